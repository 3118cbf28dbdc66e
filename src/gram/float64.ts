/**
 * Gram matrices of the NNGP kernel Σ and the NTK Θ through depth, in float64 (SPEC §2, §4, §5),
 * all four of Σ̄, 1 − Σ̄, Θ̄, 1 − Θ̄ from one pass over the layers.
 *
 * All points lie on the unit sphere, so every diagonal entry at layer l is the same scalar
 * q_l = Σ^(l)(x, x), and Θ^(l)(x, x) = τ_l q_l; these scalars are computed here once per layer.
 * Per unique pair only the complements ε = 1 − Σ̄ and u = 1 − Θ̄ are carried (docs/RECURSIONS.md),
 * starting from |x_i − x_j|²/2, in WebAssembly (assembly/gram.ts) or its TypeScript port
 * (gram/plain.ts). Cost: m(m−1)/2 · L pair steps; a step is the exact complement step
 * (assembly/correlation.ts: asin, and sin/cos or a series) while ε ≥ 0.8, and below that (almost
 * every layer of a deep run) one sqrt and two degree-12 polynomials fitted to θ(ε) and g(θ(ε))
 * (assembly/complementSeries.ts, within 3.4e-16 relative as evaluated). Memory O(m²).
 *
 * Accuracy (tested against mpmath, test/fixtures/gram.json): the complements 1 − Σ̄ and 1 − Θ̄ are
 * relatively accurate, observed within 4e-15 for m ≤ 6 and L ≤ 1000, and within 1.5e-14 for one
 * pair at L = 10^5 (u is carried as a double word so that its roundings do not add up over the
 * layers; 1 − Σ̄ can gain a few ulps per 10^5 layers). Σ̄ = 1 − ε and Θ̄ = 1 − u have that relative
 * accuracy plus one ulp of 1 absolute: near 0 (e.g. Σ̄^(2) of a nearly antipodal pair) they are
 * accurate to ~1e-16 absolute only, since no value near 0 is carried separately. Raw diagonals
 * are within a few ulps.
 */
import { NtkError } from "../errors.js";
import {
  checkCheckpoints,
  checkDepth,
  checkFloat64Params,
  MAX_DEPTH,
  MAX_JUMP_DEPTH,
  resolveDepth,
  resolveParams,
  type DepthInput,
  type ResolvedParams,
} from "../params.js";
import { gramByDepthMap } from "./depthMapGram.js";
import { fillInitialComplements, unpackMatrix } from "./fillSteps.js";
import { ProgressTicker, type ProgressOptions } from "../progress.js";
import type { KernelName, NetworkParams, SpherePoints } from "../types.js";
import { acquirePool, resolveThreads, type ThreadOptions, type ThreadPool } from "../threads/pool.js";
import { loadPrivateWasmEngine, loadWasmEngine, type WasmEngine, type WasmVariant } from "../wasm/engine.js";
import { GRAM_COEFFICIENTS_PER_LAYER, plainGramAdvance, plainGramInitialComplement, plainGramUnpack } from "./plain.js";

/** Inputs of every Gram path (float64 and high precision). */
export interface GramOptions extends ProgressOptions {
  /** Unit rows (from `projectToSphereFloat64`), m ≥ 1 points in dimension n0 ≥ 1. */
  readonly points: SpherePoints;
  /** Checkpoint depths L (1 ≤ L ≤ 1e9); validated, sorted and deduplicated. At least one. */
  readonly depths: readonly number[];
  /** σw, σb (default 1, 0: the paper's case). */
  readonly params?: NetworkParams;
}

/** Options of {@link gramThroughDepthFloat64}. */
export interface GramFloat64Options extends Omit<GramOptions, "depths">, ThreadOptions {
  /**
   * Checkpoint depths L, exact (numbers, bigints or decimal text), 1 ≤ L ≤ 2^60 for σb = 0, and for
   * σb > 0 with σw² < 2 (the state reaches its fixed point, see {@link GramAtDepthFloat64.fixedPointFrom}); 10^9 otherwise.
   */
  readonly depths: readonly DepthInput[];
  /**
   * "auto" (default): for σb = 0 the tabulated depth-L maps (./depthMapGram.ts, cost independent
   * of L) once the direct loop would take more than ~1 ms, the direct loop otherwise; "direct":
   * the loop over layers; "jump": the depth maps (σb = 0 only).
   */
  readonly method?: "auto" | "direct" | "jump";
  /** "wasm" (default; SIMD build where the host has it) or "plain" (TypeScript port, for benchmarks and cross-checks). */
  readonly backend?: "wasm" | "plain";
  /** Which WebAssembly build the "wasm" backend runs: "auto" (default: SIMD where available), "simd" or "scalar". */
  readonly variant?: WasmVariant;
  /**
   * σb > 0 (direct loop): stop iterating once the float64 state reaches its fixed point (default
   * true; see {@link GramAtDepthFloat64.fixedPointFrom}); false runs every layer, for cross-checks (depths ≤ 10^9 then).
   */
  readonly stopAtFixedPoint?: boolean;
}

/**
 * The Gram matrices at one depth L. Every matrix is m × m, row-major, exactly symmetric.
 * Raw values: Σ^(L)(x_i, x_j) = sigmaNormalized[i m + j] · sigmaDiag · 2^log2Scale, and
 * Θ^(L)(x_i, x_j) = ntkNormalized[i m + j] · ntkDiag · 2^log2Scale.
 */
export interface GramAtDepthFloat64 {
  /** L, the number of weight layers (SPEC §1), as a number: exact up to 2^53 (see depthExact). */
  readonly depth: number;
  /** L exactly. */
  readonly depthExact: bigint;
  /** Number of points m. */
  readonly m: number;
  /** Σ̄^(L), the correlation ρ of every pair; diagonal exactly 1; entries in [−1, 1]. */
  readonly sigmaNormalized: Float64Array;
  /** 1 − Σ̄^(L), carried directly (SPEC §4); diagonal exactly 0; entries in [0, 2]. */
  readonly oneMinusSigmaNormalized: Float64Array;
  /** Θ̄^(L) = Θ / sqrt(Θ(x,x) Θ(x′,x′)); diagonal exactly 1. */
  readonly ntkNormalized: Float64Array;
  /** 1 − Θ̄^(L), carried directly; diagonal exactly 0. */
  readonly oneMinusNtkNormalized: Float64Array;
  /**
   * Power of two scaling the raw diagonals: 0 while q_L stays within 2^±500, otherwise the
   * exponent that keeps `sigmaDiag` there (e.g. −999 at L = 1000 in the paper's case with n0 = 1).
   */
  readonly log2Scale: number;
  /** Σ^(L)(x, x) / 2^log2Scale (in the paper's case q_L = 1/(n0 2^{L−1})). */
  readonly sigmaDiag: number;
  /** Θ^(L)(x, x) / 2^log2Scale (in the paper's case L/(n0 2^{L−1})). */
  readonly ntkDiag: number;
  /**
   * Direct runs with σb > 0: a depth from which the float64 state (layer scalars and every pair's
   * complements) no longer changes, so that this and every deeper checkpoint cost nothing; null
   * if the run did not get there. Found at the granularity of the loop's 4096-layer rounds.
   */
  readonly fixedPointFrom?: bigint | null;
}

/** Largest number of layers whose coefficients one WASM call receives. */
const MAX_LAYERS_PER_CALL = 4096;
/** Pair steps per kernel call: about a millisecond, so that progress and Ctrl-C stay responsive. */
const PAIR_STEPS_PER_CALL = 1 << 18;
/** Runs of at most this many pair steps (a few milliseconds) use the shared engine and never yield. */
const SHORT_RUN_PAIR_STEPS = 1 << 20;
/** Below this many pair steps (layer-1 products counted as n0/8 steps a pair) one thread does it all: tens of milliseconds. */
const PARALLEL_MIN_PAIR_STEPS = 1 << 22;
/** Keep the scaled diagonal mantissa within 2^±RENORMALIZE_LOG2. */
const RENORMALIZE_LOG2 = 500;
const RENORMALIZE_BELOW = 2 ** -RENORMALIZE_LOG2;
const RENORMALIZE_ABOVE = 2 ** (RENORMALIZE_LOG2 + 1);

/**
 * The layer scalars shared by every pair (docs/RECURSIONS.md): q_l = qMantissa · 2^log2Scale with
 * q_1 = σw²/n0 + σb², q_{l+1} = σw² q_l/2 + σb², w_l = σw² q_l / (2 q_{l+1}), τ_1 = 1,
 * τ_{l+1} = w_l τ_l + 1. q is renormalized by exact powers of two, so no depth under- or
 * overflows it (the paper's case has q_L = 1/(n0 2^{L−1})).
 */
export class LayerScalars {
  /** Current layer l (starts at 1). */
  layer = 1;
  /** q_l / 2^log2Scale. */
  qMantissa: number;
  /** Exponent of the power of two carried beside q. */
  log2Scale = 0;
  /** τ_l = Θ^(l)(x,x) / Σ^(l)(x,x). */
  tau = 1;
  /** σw² / 2. */
  readonly halfSigmaW2: number;
  /** σb². */
  readonly sigmaB2: number;
  /** c1 = σw² / (n0 q_1): the layer-1 complements are ε_1 = u_1 = c1 (1 − x·x′) (docs/RECURSIONS.md); 1 in the paper's case. */
  readonly c1: number;

  /** Throws BAD_SIGMA_W / BAD_SIGMA_B for σw, σb outside the float64 range (checkFloat64Params). */
  constructor(params: ResolvedParams, n0: number) {
    checkFloat64Params(params);
    const sigmaW2 = params.sigmaW64 * params.sigmaW64;
    this.halfSigmaW2 = sigmaW2 / 2;
    this.sigmaB2 = params.sigmaB64 * params.sigmaB64;
    this.qMantissa = sigmaW2 / n0 + this.sigmaB2;
    this.c1 = sigmaW2 / n0 / this.qMantissa;
    this.renormalize();
  }

  /**
   * Moves `steps` layers on, writing for each layer l its w_l, a_l = w_l τ_l / τ_{l+1} and
   * b_l = 1 / τ_{l+1} to `out` (GRAM_COEFFICIENTS_PER_LAYER values a layer, from index 0).
   */
  fill(out: Float64Array, steps: number): void {
    let { qMantissa: q, tau } = this;
    for (let l = 0, k = 0; l < steps; l++, k += GRAM_COEFFICIENTS_PER_LAYER) {
      const carried = this.halfSigmaW2 * q;
      // σb² in units of 2^log2Scale; 0 · 2^(huge) would be NaN, and σb = 0 adds nothing anyway.
      const bias = this.sigmaB2 === 0 ? 0 : this.sigmaB2 * 2 ** -this.log2Scale;
      const next = carried + bias;
      const w = carried / next;
      const tauNext = w * tau + 1;
      out[k] = w;
      out[k + 1] = (w * tau) / tauNext;
      out[k + 2] = 1 / tauNext;
      tau = tauNext;
      q = next;
      // Renormalize by an exact power of two once q leaves 2^±RENORMALIZE_LOG2 (cheap test first).
      if (q < RENORMALIZE_BELOW || q >= RENORMALIZE_ABOVE) {
        this.qMantissa = q;
        this.renormalize();
        q = this.qMantissa;
      }
    }
    this.qMantissa = q;
    this.tau = tau;
    this.layer += steps;
  }

  private renormalize(): void {
    const e = Math.floor(Math.log2(this.qMantissa));
    if (Math.abs(e) > RENORMALIZE_LOG2) {
      this.qMantissa *= 2 ** -e;
      this.log2Scale += e;
    }
  }
}

/** Where the pair complements live while the depth loop runs: WASM memory or JS arrays. */
interface PairStore {
  /** Pairs first … first + count − 1 advanced `steps` layers, in calls of `taskPairs` pairs when on the pool. */
  advance(first: number, count: number, coef: Float64Array, steps: number, taskPairs: number): void | Promise<void>;
  /** Σ̄, 1 − Σ̄, Θ̄, 1 − Θ̄ as new m × m arrays. */
  unpack(): Promise<[Float64Array, Float64Array, Float64Array, Float64Array]>;
  /** A copy of every pair's ε and u (for the fixed-point test). */
  state(): Float64Array;
}
interface GramExports {
  gramAdvance(eps: number, u: number, first: number, count: number, coef: number, steps: number): void;
}

/**
 * Largest m whose Gram state fits in `bytes` of WASM memory: two packed pair arrays, one m × m
 * output and the coordinates, 2m² + (n0 − 1)m float64, plus the coefficient buffer.
 */
export function largestGramFitting(bytes: number, n0: number): number {
  const values = bytes / 8 - GRAM_COEFFICIENTS_PER_LAYER * MAX_LAYERS_PER_CALL;
  const b = n0 - 1;
  return Math.max(0, Math.floor((-b + Math.sqrt(b * b + 8 * values)) / 4));
}

/**
 * The pair state in WebAssembly memory: the engine's own (one thread), or the shared memory of
 * `pool`, whose workers then run the layer-1 blocks, the pair ranges and the output rows. Either
 * way every pair and every output row is computed by one call of the same kernel, so the bits do
 * not depend on the number of threads.
 */
async function wasmStore(engine: WasmEngine, points: SpherePoints, c1: number, pool: ThreadPool | null): Promise<PairStore> {
  const { m, n0 } = points;
  const pairs = (m * (m - 1)) / 2;
  const ex = engine.exports as unknown as GramExports;
  const [eps, u, coef, out, coords] = engine.reserve(
    [pairs, pairs, GRAM_COEFFICIENTS_PER_LAYER * MAX_LAYERS_PER_CALL, m * m, m * n0],
    `the Gram matrices of ${m} points in dimension ${n0}`,
    (bytes) => `At most m = ${largestGramFitting(bytes, n0)} points fit.`,
  );
  engine.f64(coords, m * n0).set(points.coords);
  await fillInitialComplements(engine, pool, coords, m, n0, c1, eps, u);
  const unpackOne = (packed: number, diagonal: number, fromComplement: number): Promise<Float64Array> =>
    unpackMatrix(engine, pool, packed, m, out, diagonal, fromComplement);
  return {
    advance(first, count, coefficients, steps, taskPairs) {
      engine.f64(coef, coefficients.length).set(coefficients);
      if (!pool) return ex.gramAdvance(eps, u, first, count, coef, steps);
      const tasks: number[][] = [];
      for (let f = first; f < first + count; f += taskPairs) tasks.push([eps, u, f, Math.min(taskPairs, first + count - f), coef, steps]);
      return pool.run("gramAdvance", tasks);
    },
    unpack: async () => [await unpackOne(eps, 1, 1), await unpackOne(eps, 0, 0), await unpackOne(u, 1, 1), await unpackOne(u, 0, 0)],
    state: () => {
      const copy = new Float64Array(2 * pairs);
      copy.set(engine.f64(eps, pairs));
      copy.set(engine.f64(u, pairs), pairs);
      return copy;
    },
  };
}

function plainStore(points: SpherePoints, c1: number): PairStore {
  const { m, n0 } = points;
  const pairs = (m * (m - 1)) / 2;
  const eps = new Float64Array(pairs);
  const u = new Float64Array(pairs);
  plainGramInitialComplement(points.coords, m, n0, c1, eps, u);
  const unpackOne = (packed: Float64Array, diagonal: number, fromComplement: boolean): Float64Array => {
    const out = new Float64Array(m * m);
    plainGramUnpack(packed, m, out, diagonal, fromComplement);
    return out;
  };
  return {
    advance: (first, count, coef, steps) => plainGramAdvance(eps, u, first, count, coef, steps),
    unpack: async () => [unpackOne(eps, 1, true), unpackOne(eps, 0, false), unpackOne(u, 1, true), unpackOne(u, 0, false)],
    state: () => {
      const copy = new Float64Array(2 * pairs);
      copy.set(eps);
      copy.set(u, pairs);
      return copy;
    },
  };
}

/** Throws EMPTY_DATA, DIMENSION_MISMATCH, NON_FINITE or OFF_SPHERE unless `points` holds m unit rows. */
export function checkSpherePoints(points: SpherePoints): void {
  const { m, n0, coords } = points;
  if (!(Number.isInteger(m) && Number.isInteger(n0) && m >= 1 && n0 >= 1)) {
    throw new NtkError("EMPTY_DATA", `A Gram matrix needs at least one point with at least one coordinate, got m = ${m}, n0 = ${n0}.`, { m, n0 });
  }
  if (coords.length !== m * n0) {
    throw new NtkError("DIMENSION_MISMATCH", `${m} points of dimension ${n0} need ${m * n0} coordinates (row-major), got ${coords.length}.`, {
      m,
      n0,
      length: coords.length,
    });
  }
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let c = 0; c < n0; c++) {
      const x = coords[i * n0 + c];
      if (!Number.isFinite(x)) {
        throw new NtkError("NON_FINITE", `Point ${i + 1}, coordinate ${c + 1} is ${x}; every coordinate must be finite.`, { row: i + 1, column: c + 1 });
      }
      s += x * x;
    }
    // Unit rows from projectToSphereFloat64 have |x|² within a few 1e-16 of 1; 1e-12 allows for that only.
    if (!(Math.abs(s - 1) <= 1e-12)) {
      throw new NtkError(
        "OFF_SPHERE",
        `Point ${i + 1} has |x|² = ${s}, not 1: Gram matrices need points on the unit sphere. Project them first (projectToSphereFloat64).`,
        { row: i + 1, normSquared: s },
      );
    }
  }
}

/** Validates a checkpoint list exactly: each a depth 1 … `max`, at least one; returns them sorted, without duplicates. */
function checkDepthListExact(depths: readonly DepthInput[], max: bigint): bigint[] {
  if (!Array.isArray(depths) || depths.length === 0) {
    throw new NtkError("BAD_DEPTH", "Give at least one depth L ≥ 1 at which to report the Gram matrices.", {});
  }
  const exact = depths.map((d, i) => resolveDepth(d, depths.length === 1 ? "depth" : `depth ${i + 1}`, max));
  return [...new Set(exact)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Pair steps of the direct loop beyond which "auto" takes the depth maps (σb = 0): ~1 ms, about a table's build. */
const GRAM_AUTO_JUMP_PAIR_STEPS = 400_000;

/** The Gram method to run (throws BAD_OPTION for an unknown method, or "jump" with σb > 0 or the plain backend). */
function chooseGramMethod(method: string, params: ResolvedParams, backend: string, pairs: number, depths: readonly bigint[]): "direct" | "jump" {
  if (method !== "auto" && method !== "direct" && method !== "jump") {
    throw new NtkError("BAD_OPTION", `method must be "auto", "direct" or "jump", got "${method}".`, { method });
  }
  if (method === "jump" && (!params.sigmaB.isZero() || backend !== "wasm")) {
    throw new NtkError(
      "BAD_OPTION",
      `the tabulated depth maps need σb = 0 and the WebAssembly backend (got σb = ${params.sigmaB.toString()}, backend "${backend}").`,
      { method, backend },
    );
  }
  if (method !== "auto") return method;
  const last = depths[depths.length - 1]!;
  const directSteps = pairs * (Number(last) - 1);
  return params.sigmaB.isZero() && backend === "wasm" && (last > BigInt(MAX_DEPTH) || directSteps > GRAM_AUTO_JUMP_PAIR_STEPS) ? "jump" : "direct";
}

/** Validates a checkpoint list: each a depth 1 … 1e9, at least one; returns them sorted, without duplicates. */
export function checkDepthList(depths: readonly number[]): number[] {
  if (!Array.isArray(depths) || depths.length === 0) {
    throw new NtkError("BAD_DEPTH", "Give at least one depth L ≥ 1 at which to report the Gram matrices.", {});
  }
  depths.forEach((d, i) => checkDepth(d, depths.length === 1 ? "depth" : `depth ${i + 1}`));
  return checkCheckpoints(depths, Math.max(...depths));
}

/**
 * Σ̄, 1 − Σ̄, Θ̄ and 1 − Θ̄ (with the raw diagonals) of the m points at every checkpoint depth, from
 * one pass over the layers (see the module comment for the method and its accuracy).
 *
 * Progress counts pair steps, m(m−1)/2 per layer. Errors: EMPTY_DATA (no points), DIMENSION_MISMATCH
 * (coords not m × n0), NON_FINITE, OFF_SPHERE (a row not of unit norm), BAD_DEPTH (no depth, or one
 * not an integer in 1 … 1e9), BAD_SIGMA_W / BAD_SIGMA_B, WASM_MEMORY_EXHAUSTED (m too large: the
 * message gives the largest m that fits in the 4 GiB of wasm32 memory: 16 383 for small n0, 16 189
 * for n0 = 784; refused before anything is allocated), ABORTED (through `signal`), BAD_OPTION
 * (`threads` not an integer 1 … 63).
 *
 * Threads: from about 2^22 pair steps on (counting the layer-1 inner products as n0/8 steps a
 * pair), the layer-1 blocks, the pair ranges of every layer chunk and the rows of the output
 * matrices run on `threads` workers; the result is bit-identical for any thread count.
 */
export async function gramThroughDepthFloat64(o: GramFloat64Options): Promise<GramAtDepthFloat64[]> {
  checkSpherePoints(o.points);
  const params = resolveParams(o.params);
  const backend = o.backend ?? "wasm";
  if (backend !== "wasm" && backend !== "plain") {
    throw new NtkError("BAD_OPTION", `backend must be "wasm" or "plain", got "${String(backend)}".`, { backend });
  }
  const { m, n0 } = o.points;
  const pairs = (m * (m - 1)) / 2;
  const scalars = new LayerScalars(params, n0);
  // σb > 0 with σw² < 2: q, τ and every pair converge geometrically, and from the float64 fixed point on depth costs nothing.
  const settles = !params.sigmaB.isZero() && params.sigmaW64 * params.sigmaW64 < 2 && o.stopAtFixedPoint !== false;
  const exactDepths = checkDepthListExact(o.depths, (params.sigmaB.isZero() && o.method !== "direct") || settles ? MAX_JUMP_DEPTH : BigInt(MAX_DEPTH));
  const threads = await resolveThreads(o.threads);
  if (chooseGramMethod(o.method ?? "auto", params, backend, pairs, exactDepths) === "jump") {
    // A depth map costs a few tens of ns a pair, about what 8 direct steps cost.
    const lease = threads > 1 && pairs * Math.max(8, n0 / 8) >= PARALLEL_MIN_PAIR_STEPS ? await acquirePool(threads, o.variant) : null;
    try {
      const engine = lease ? lease.pool.engine : await loadPrivateWasmEngine(o.variant);
      return await gramByDepthMap(
        engine,
        lease?.pool ?? null,
        o.points,
        params,
        exactDepths,
        o,
        (bytes) => `At most m = ${largestGramFitting(bytes, n0)} points fit.`,
      );
    } finally {
      lease?.release();
    }
  }
  const { c1 } = scalars;
  const finalDepth = Math.min(Number(exactDepths[exactDepths.length - 1]), MAX_DEPTH);
  const total = pairs * (finalDepth - 1);
  // A run that may yield to the event loop keeps its state in an engine of its own, since other
  // calls may reserve the shared engine's buffers meanwhile; a short run never yields. A run on
  // the thread pool has the pool to itself until it ends.
  const mayYield = total > SHORT_RUN_PAIR_STEPS || finalDepth > SHORT_RUN_PAIR_STEPS;
  const parallel = backend === "wasm" && threads > 1 && pairs * Math.max(finalDepth - 1, n0 / 8) >= PARALLEL_MIN_PAIR_STEPS;
  const lease = parallel ? await acquirePool(threads, o.variant) : null;
  try {
    const store =
      backend === "plain"
        ? plainStore(o.points, c1)
        : lease
          ? await wasmStore(lease.pool.engine, o.points, c1, lease.pool)
          : await wasmStore(await (mayYield ? loadPrivateWasmEngine(o.variant) : loadWasmEngine(o.variant)), o.points, c1, null);
    return await runLayers(o, store, scalars, exactDepths, pairs, m, total, mayYield || parallel, lease ? 4 * threads : 1, settles);
  } finally {
    lease?.release();
  }
}

/**
 * The depth loop of {@link gramThroughDepthFloat64}: `tasksPerCall` blocks of pairs per advance (one per call on one thread).
 * With `watchFixedPoint` (σb > 0, σw² < 2), a round of layers that leaves the layer scalars and every pair's ε, u
 * bitwise as they were, followed by one more layer that does too, is the float64 fixed point: every later depth
 * has that state, so deeper checkpoints (to 2^60) take no layers at all.
 */
async function runLayers(
  o: GramFloat64Options,
  store: PairStore,
  scalars: LayerScalars,
  depths: readonly bigint[],
  pairs: number,
  m: number,
  total: number,
  mayYield: boolean,
  tasksPerCall: number,
  watchFixedPoint: boolean,
): Promise<GramAtDepthFloat64[]> {
  const ticker = new ProgressTicker(o, total, 1);
  const results: GramAtDepthFloat64[] = [];
  const coef = new Float64Array(GRAM_COEFFICIENTS_PER_LAYER * MAX_LAYERS_PER_CALL);
  let done = 0;
  let fixedPointFrom: number | null = null;
  const pauseIfDue = async (): Promise<void> => {
    const pause = mayYield ? ticker.tick(done) : undefined;
    if (pause) await pause;
  };
  const scalarState = (): number[] => [scalars.qMantissa, scalars.log2Scale, scalars.tau];
  const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => {
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    return true;
  };
  /** One round of `steps` layers over every pair; true when it left the scalars and the pairs as they were (checked only when `watch`). */
  const round = async (steps: number, watch: boolean): Promise<boolean> => {
    const scalarsBefore = scalarState();
    scalars.fill(coef, steps);
    const pairsBefore = watch && same(scalarsBefore, scalarState()) ? store.state() : null;
    const taskPairs = Math.max(8, 8 * Math.floor(PAIR_STEPS_PER_CALL / steps / 8));
    const block = taskPairs * tasksPerCall;
    for (let first = 0; first < pairs; first += block) {
      const count = Math.min(block, pairs - first);
      await store.advance(first, count, coef.subarray(0, GRAM_COEFFICIENTS_PER_LAYER * steps), steps, taskPairs);
      done += count * steps;
      await pauseIfDue();
    }
    // With a single point there are no pairs, but a deep run still yields now and then.
    if (pairs === 0) await pauseIfDue();
    return pairsBefore !== null && same(pairsBefore, store.state());
  };
  let settled: [Float64Array, Float64Array, Float64Array, Float64Array] | null = null;
  for (const depthExact of depths) {
    const depth = Math.min(Number(depthExact), MAX_DEPTH);
    while (fixedPointFrom === null && scalars.layer < depth) {
      const start = scalars.layer;
      const steps = Math.min(depth - scalars.layer, MAX_LAYERS_PER_CALL);
      // A full round that changed nothing, then one layer that changes nothing either: a fixed point, not a cycle.
      if ((await round(steps, watchFixedPoint && steps === MAX_LAYERS_PER_CALL)) && scalars.layer < depth && (await round(1, true))) fixedPointFrom = start;
    }
    if (fixedPointFrom === null && depthExact > BigInt(MAX_DEPTH)) {
      throw new NtkError(
        "BAD_DEPTH",
        `the recursion did not reach its float64 fixed point within ${MAX_DEPTH.toLocaleString("en-US")} layers, so depth ${depthExact} cannot be run layer by layer.`,
        { depth: depthExact.toString() },
      );
    }
    // Past the fixed point every checkpoint has the same matrices: unpack once, copy for each.
    const [sigmaNormalized, oneMinusSigmaNormalized, ntkNormalized, oneMinusNtkNormalized] =
      fixedPointFrom === null ? await store.unpack() : copies((settled ??= await store.unpack()));
    results.push({
      depth: Number(depthExact),
      depthExact,
      m,
      sigmaNormalized,
      oneMinusSigmaNormalized,
      ntkNormalized,
      oneMinusNtkNormalized,
      log2Scale: scalars.log2Scale,
      sigmaDiag: scalars.qMantissa,
      ntkDiag: scalars.tau * scalars.qMantissa,
      fixedPointFrom: fixedPointFrom === null ? null : BigInt(fixedPointFrom),
    });
  }
  ticker.finish();
  return results;
}

function copies(a: readonly [Float64Array, Float64Array, Float64Array, Float64Array]): [Float64Array, Float64Array, Float64Array, Float64Array] {
  return [a[0].slice(), a[1].slice(), a[2].slice(), a[3].slice()];
}

/**
 * The matrix of one kernel at one depth: value = matrix[i] × 2^log2Scale. Normalized (Σ̄ or Θ̄):
 * the stored array itself and log2Scale 0. Raw (Σ or Θ): a new array Σ̄ · sigmaDiag (Θ̄ · ntkDiag)
 * and the depth's log2Scale. Throws BAD_OPTION for an unknown kernel name.
 */
export function kernelMatrixFloat64(g: GramAtDepthFloat64, kernel: KernelName, normalized: boolean): { matrix: Float64Array; log2Scale: number } {
  if (kernel !== "ntk" && kernel !== "nngp") {
    throw new NtkError("BAD_OPTION", `kernel must be "ntk" or "nngp", got "${String(kernel)}".`, { kernel });
  }
  const bar = kernel === "ntk" ? g.ntkNormalized : g.sigmaNormalized;
  if (normalized) return { matrix: bar, log2Scale: 0 };
  const diag = kernel === "ntk" ? g.ntkDiag : g.sigmaDiag;
  return { matrix: bar.map((x) => x * diag), log2Scale: g.log2Scale };
}
