/**
 * Gram matrices of the NNGP kernel Σ and the NTK Θ through depth, in float64 (SPEC §2, §4, §5),
 * all four of Σ̄, 1 − Σ̄, Θ̄, 1 − Θ̄ from one pass over the layers, or only one kernel's two
 * (`kernels`: the other's matrices are then neither unpacked nor copied out of the pair state).
 *
 * All points lie on the unit sphere, so every diagonal entry at layer l is the same scalar
 * q_l = Σ^(l)(x, x), and Θ^(l)(x, x) = τ_l q_l; these scalars are computed here once per layer.
 * Per unique pair only the complements ε = 1 − Σ̄ and u = 1 − Θ̄ are carried (docs/RECURSIONS.md),
 * starting from |x_i − x_j|²/2 (and, for nearly antipodal pairs, a first layer from |x_i + x_j|²/2:
 * θ_1 and κ0 = 1 − θ_1/π stay accurate there), in WebAssembly (assembly/gram.ts) or its TypeScript port
 * (gram/plain.ts). Cost: m(m−1)/2 · L pair steps; a step is the exact complement step
 * (assembly/correlation.ts: asin, and sin/cos or a series) while ε ≥ 0.8, and below that (almost
 * every layer of a deep run) one sqrt and two degree-12 polynomials fitted to θ(ε) and g(θ(ε))
 * (assembly/complementSeries.ts, within 3.4e-16 relative as evaluated). Memory O(m²).
 *
 * Accuracy (tested against mpmath, test/fixtures/gram.json): the complements 1 − Σ̄ and 1 − Θ̄ are
 * relatively accurate, observed within 4e-15 for m ≤ 6 and L ≤ 1000, and within 1.5e-14 for one
 * pair at L = 10^5 (u is carried as a double word so that its roundings do not add up over the
 * layers; 1 − Σ̄ can gain a few ulps per 10^5 layers). Σ̄ = 1 − ε and Θ̄ = 1 − u have that relative
 * accuracy plus one ulp of 1 absolute: near 0 (e.g. Σ̄^(2), Θ̄^(2) of a nearly antipodal pair) they
 * are accurate to ~1e-16 absolute only, since no value near 0 is carried separately; that holds
 * for 1 + x·x′ down to 0 (test/gram-antipodal.test.ts). Raw diagonals are within a few ulps.
 */
import { checkFiniteNumber, checkInteger, checkObject, describeValue } from "../argumentTypes.js";
import { NtkError } from "../errors.js";
import { checkKernelName, MAX_DEPTH, MAX_JUMP_DEPTH, resolveDepthList, resolveParams, type DepthInput, type ResolvedParams } from "../params.js";
import { gramByDepthMap } from "./depthMapGram.js";
import { fillInitialComplements, leftColumns, unpackKernels, unpackWithComplement, type UnpackedKernels } from "./fillSteps.js";
import { ProgressTicker, type ProgressOptions } from "../progress.js";
import type { KernelName, NetworkParams, SpherePoints } from "../types.js";
import { checkSpherePoints } from "../sphere/float64.js";
import { acquirePool, resolveThreads, type ThreadOptions, type ThreadPool } from "../threads/pool.js";
import { loadPrivateWasmEngine, loadWasmEngine, type WasmEngine, type WasmVariant } from "../wasm/engine.js";
import { LayerScalars } from "../layerScalars.js";
import { GRAM_COEFFICIENTS_PER_LAYER, plainGramAdvance, plainGramInitialComplement, plainGramUnpack } from "./plain.js";
import type { GramAtDepthFloat64, GramKernels, GramResultFloat64 } from "./result.js";

export type { GramAtDepthFloat64, GramKernels, GramResultFloat64 } from "./result.js";

/** Inputs of every Gram path (float64 and high precision). */
export interface GramOptions extends ProgressOptions {
  /** Unit rows (from `projectToSphereFloat64`), m ≥ 1 points in dimension n0 ≥ 1. */
  readonly points: SpherePoints;
  /** Checkpoint depths L (1 ≤ L ≤ 1e9; numbers, bigints or decimal integer text); validated, sorted and deduplicated. At least one. */
  readonly depths: readonly DepthInput[];
  /** σw, σb (default 1, 0: the paper's case). */
  readonly params?: NetworkParams;
}

/** The values of {@link GramKernels}. */
const GRAM_KERNELS: readonly GramKernels[] = ["both", "ntk", "nngp"];

/** Options of {@link gramThroughDepthFloat64}. */
export interface GramFloat64Options extends Omit<GramOptions, "depths">, ThreadOptions {
  /**
   * Checkpoint depths L, exact (numbers, bigints or decimal text), 1 ≤ L ≤ 2^60 for σb = 0, and for
   * σb > 0 with σw² < 2 (the state reaches its fixed point, see {@link GramResultFloat64.fixedPointFrom}); 10^9 otherwise.
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
  /** Which WebAssembly build the "wasm" backend runs: "auto" (default: SIMD where available), "simd", "scalar" or "fma" (no matrix products here: the "simd" bits). */
  readonly variant?: WasmVariant;
  /**
   * σb > 0 (direct loop): stop iterating once the float64 state reaches its fixed point (default
   * true; see {@link GramResultFloat64.fixedPointFrom}); false runs every layer, for cross-checks (depths ≤ 10^9 then).
   */
  readonly stopAtFixedPoint?: boolean;
  /**
   * Which kernels' matrices to return (default "both"); the matrices of a kernel not asked for are
   * null in every {@link GramAtDepthFloat64}. Raw diagonals and `lostToZero` are those of "both".
   */
  readonly kernels?: GramKernels;
}

/** Largest number of layers whose coefficients one WASM call receives. */
const MAX_LAYERS_PER_CALL = 4096;
/** Pair steps per kernel call: about a millisecond, so that progress and Ctrl-C stay responsive. */
const PAIR_STEPS_PER_CALL = 1 << 18;
/** Runs of at most this many pair steps (a few milliseconds) use the shared engine and never yield. */
const SHORT_RUN_PAIR_STEPS = 1 << 20;
/** Below this many pair steps (layer-1 products counted as n0/8 steps a pair) one thread does it all: tens of milliseconds. */
const PARALLEL_MIN_PAIR_STEPS = 1 << 22;
/** Where the pair complements live while the depth loop runs: WASM memory or JS arrays. */
interface PairStore {
  /**
   * Pairs first … first + count − 1 advanced `steps` layers, in calls of `taskPairs` pairs when on
   * the pool; `fromLayerOne` when they hold layer 1's ε_1 and θ_1 (gramInitialComplement).
   */
  advance(first: number, count: number, coef: Float64Array, steps: number, taskPairs: number, fromLayerOne: boolean): void | Promise<void>;
  /** The matrices of `kernels` as new arrays (m × m, or their left `columns`; see unpackKernels); at `layerOne` Θ̄ = Σ̄ (the u array holds θ_1 then). */
  unpack(layerOne: boolean, kernels: GramKernels): UnpackedKernels | Promise<UnpackedKernels>;
  /** A copy of every pair's ε and u (for the fixed-point test). */
  state(): Float64Array;
}
interface GramExports {
  gramAdvance(eps: number, u: number, first: number, count: number, coef: number, steps: number, fromLayerOne: number): void;
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
 * not depend on the number of threads. Without a pool every method is synchronous (`filled` is
 * undefined), so that a run on the shared engine can finish without yielding.
 */
function wasmStore(
  engine: WasmEngine,
  points: SpherePoints,
  scalars: LayerScalars,
  pool: ThreadPool | null,
  columns: number,
): { store: PairStore; filled: void | Promise<void> } {
  const { m, n0 } = points;
  const pairs = (m * (m - 1)) / 2;
  const ex = engine.exports as unknown as GramExports;
  const [eps, u, coef, out, coords] = engine.reserve(
    [pairs, pairs, GRAM_COEFFICIENTS_PER_LAYER * MAX_LAYERS_PER_CALL, m * m, m * n0],
    `the Gram matrices of ${m} points in dimension ${n0}`,
    (bytes) => `At most m = ${largestGramFitting(bytes, n0)} points fit.`,
  );
  engine.f64(coords, m * n0).set(points.coords);
  const filled = fillInitialComplements(engine, pool, coords, m, n0, scalars.c1, scalars.twoBias, eps, u);
  const store: PairStore = {
    advance(first, count, coefficients, steps, taskPairs, fromLayerOne) {
      engine.f64(coef, coefficients.length).set(coefficients);
      const one = fromLayerOne ? 1 : 0;
      if (!pool) return ex.gramAdvance(eps, u, first, count, coef, steps, one);
      const tasks: number[][] = [];
      for (let f = first; f < first + count; f += taskPairs) tasks.push([eps, u, f, Math.min(taskPairs, first + count - f), coef, steps, one]);
      return pool.run("gramAdvance", tasks);
    },
    unpack: (layerOne, kernels) =>
      unpackKernels(points, kernels, layerOne, { eps, u, epsValues: engine.f64(eps, pairs), uValues: engine.f64(u, pairs) }, (packed) =>
        unpackWithComplement(engine, pool, packed, m, out, columns),
      ),
    state: () => {
      const copy = new Float64Array(2 * pairs);
      copy.set(engine.f64(eps, pairs));
      copy.set(engine.f64(u, pairs), pairs);
      return copy;
    },
  };
  return { store, filled };
}

function plainStore(points: SpherePoints, scalars: LayerScalars, columns: number): PairStore {
  const { m, n0 } = points;
  const pairs = (m * (m - 1)) / 2;
  const eps = new Float64Array(pairs);
  const u = new Float64Array(pairs);
  plainGramInitialComplement(points.coords, m, n0, scalars.c1, scalars.twoBias, eps, u);
  const unpackOne = (packed: Float64Array, diagonal: number, fromComplement: boolean): Float64Array => {
    const out = new Float64Array(m * m);
    plainGramUnpack(packed, m, out, diagonal, fromComplement);
    return columns === m ? out : leftColumns(out, m, columns);
  };
  return {
    advance: (first, count, coef, steps, _taskPairs, fromLayerOne) => plainGramAdvance(eps, u, first, count, coef, steps, fromLayerOne),
    unpack: (layerOne, kernels) =>
      unpackKernels(points, kernels, layerOne, { eps, u, epsValues: eps, uValues: u }, (packed) => [unpackOne(packed, 1, true), unpackOne(packed, 0, false)]),
    state: () => {
      const copy = new Float64Array(2 * pairs);
      copy.set(eps);
      copy.set(u, pairs);
      return copy;
    },
  };
}

/** Pair steps of the direct loop beyond which "auto" takes the depth maps (σb = 0): ~1 ms, about a table's build. */
const GRAM_AUTO_JUMP_PAIR_STEPS = 400_000;

/** The Gram method to run: "auto" resolved for these points and depths (the method itself was checked at the entry). */
function chooseGramMethod(
  method: "auto" | "direct" | "jump",
  params: ResolvedParams,
  backend: string,
  pairs: number,
  depths: readonly bigint[],
): "direct" | "jump" {
  if (method !== "auto") return method;
  const last = depths[depths.length - 1]!;
  const directSteps = pairs * (Number(last) - 1);
  return params.sigmaB.isZero() && backend === "wasm" && (last > BigInt(MAX_DEPTH) || directSteps > GRAM_AUTO_JUMP_PAIR_STEPS) ? "jump" : "direct";
}

/**
 * Σ̄, 1 − Σ̄, Θ̄ and 1 − Θ̄ (with the raw diagonals) of the m points at every checkpoint depth, from
 * one pass over the layers (see the module comment for the method and its accuracy); with
 * `kernels: "ntk"` or `"nngp"` only that kernel's two matrices (the other's are null), the same bits.
 *
 * Progress counts pair steps, m(m−1)/2 per layer. Errors: EMPTY_DATA (no points), DIMENSION_MISMATCH
 * (coords not m × n0), NON_FINITE, OFF_SPHERE (a row not of unit norm), BAD_DEPTH (no depth, or one
 * not an integer in 1 … 1e9), BAD_SIGMA_W / BAD_SIGMA_B, WASM_MEMORY_EXHAUSTED (m too large: the
 * message gives the largest m that fits in the 4 GiB of wasm32 memory: 16 383 for small n0, 16 189
 * for n0 = 784; refused before anything is allocated), ABORTED (through `signal`), BAD_OPTION
 * (`threads` not an integer 1 … 63, `kernels` not "both", "ntk" or "nngp").
 *
 * Threads: from about 2^22 pair steps on (counting the layer-1 inner products as n0/8 steps a
 * pair), the layer-1 blocks, the pair ranges of every layer chunk and the rows of the output
 * matrices run on `threads` workers; the result is bit-identical for any thread count.
 */
export async function gramThroughDepthFloat64<K extends GramKernels = "both">(o: GramFloat64Options & { readonly kernels?: K }): Promise<GramResultFloat64<K>> {
  checkObject(o, "gramThroughDepthFloat64's options");
  checkSpherePoints(o.points);
  const params = resolveParams(o.params);
  const backend = o.backend ?? "wasm";
  if (backend !== "wasm" && backend !== "plain") {
    throw new NtkError("BAD_OPTION", `backend must be "wasm" or "plain", got "${String(backend)}".`, { backend });
  }
  const exactDepths = resolveDepthList(
    o.depths,
    (params.sigmaB.isZero() && o.method !== "direct") || gramSettles(params, o) ? MAX_JUMP_DEPTH : BigInt(MAX_DEPTH),
  );
  const method = o.method ?? "auto";
  if (method !== "auto" && method !== "direct" && method !== "jump") {
    throw new NtkError("BAD_OPTION", `method must be "auto", "direct" or "jump", got ${describeValue(method)}.`, { method: describeValue(method) });
  }
  if (method === "jump" && (!params.sigmaB.isZero() || backend !== "wasm")) {
    throw new NtkError(
      "BAD_OPTION",
      `the tabulated depth maps need σb = 0 and the WebAssembly backend (got σb = ${params.sigmaB.toString()}, backend "${backend}").`,
      { method, backend },
    );
  }
  const kernels = o.kernels ?? "both";
  if (!GRAM_KERNELS.includes(kernels)) {
    throw new NtkError("BAD_OPTION", `kernels (which kernels' matrices to return) must be "both", "ntk" or "nngp", got ${describeValue(kernels)}.`, {
      kernels: describeValue(kernels),
    });
  }
  // Every matrix whole: `columns` is for the layers above only.
  return gramFloat64Resolved({ ...o, params, depths: exactDepths, threads: await resolveThreads(o.threads), backend, method, kernels, columns: undefined });
}

/** σb > 0 with σw² < 2: q, τ and every pair converge geometrically, and from the float64 fixed point on depth costs nothing. */
function gramSettles(params: ResolvedParams, o: Pick<GramFloat64Options, "stopAtFixedPoint">): boolean {
  return !params.sigmaB.isZero() && params.sigmaW64 * params.sigmaW64 < 2 && o.stopAtFixedPoint !== false;
}

/** The options of {@link gramThroughDepthFloat64} after validation: unit rows, resolved parameters, exact checked depths, a thread count. */
export interface ResolvedGramFloat64Options<K extends GramKernels = GramKernels> extends Omit<
  GramFloat64Options,
  "params" | "depths" | "threads" | "backend" | "method" | "kernels"
> {
  /** Checked by `checkSpherePoints` (or built as unit rows by the caller). */
  readonly points: SpherePoints;
  readonly params: ResolvedParams;
  /** Checkpoint depths, ascending, without duplicates, within the limits {@link gramThroughDepthFloat64} states. */
  readonly depths: readonly bigint[];
  readonly threads: number;
  readonly backend: "wasm" | "plain";
  readonly method: "auto" | "direct" | "jump";
  /** Default "both". */
  readonly kernels?: K;
  /**
   * For the layers above (predictions), not for {@link gramThroughDepthFloat64}: every matrix
   * returned is then the m × `columns` block of its first columns (1 ≤ columns ≤ m, default m;
   * unchecked), row-major, with the same bits as those entries of the m × m matrix. The lost-complement
   * mask stays m × m.
   */
  readonly columns?: number;
}

/**
 * {@link gramThroughDepthFloat64} on options already validated and resolved: what the layers above
 * (predictions) call, so that nothing is checked twice. Checks nothing.
 */
export async function gramFloat64Resolved<K extends GramKernels = "both">(o: ResolvedGramFloat64Options<K>): Promise<GramResultFloat64<K>> {
  const { params, backend, threads, depths: exactDepths } = o;
  const kernels: GramKernels = o.kernels ?? "both";
  const { m, n0 } = o.points;
  const columns = o.columns ?? m;
  const pairs = (m * (m - 1)) / 2;
  const scalars = new LayerScalars(params, n0);
  const settles = gramSettles(params, o);
  const envelope = { params, n0 };
  if (chooseGramMethod(o.method, params, backend, pairs, exactDepths) === "jump") {
    // A depth map costs a few tens of ns a pair, about what 8 direct steps cost.
    const lease = threads > 1 && pairs * Math.max(8, n0 / 8) >= PARALLEL_MIN_PAIR_STEPS ? await acquirePool(threads, o.variant) : null;
    try {
      const engine = lease ? lease.pool.engine : await loadPrivateWasmEngine(o.variant);
      const grams = await gramByDepthMap(
        engine,
        lease?.pool ?? null,
        o.points,
        params,
        exactDepths,
        kernels,
        columns,
        o,
        (bytes) => `At most m = ${largestGramFitting(bytes, n0)} points fit.`,
      );
      // The matrices are those `kernels` names (checked at the entry), as the type says.
      return { method: "jump", fixedPointFrom: null, ...envelope, grams: grams as GramAtDepthFloat64<K>[] };
    } finally {
      lease?.release();
    }
  }
  const finalDepth = Math.min(Number(exactDepths[exactDepths.length - 1]), MAX_DEPTH);
  const total = pairs * (finalDepth - 1);
  // A run that may yield to the event loop keeps its state in an engine of its own, since other
  // calls may reserve the shared engine's buffers meanwhile; a short run never yields. A run on
  // the thread pool has the pool to itself until it ends.
  const mayYield = total > SHORT_RUN_PAIR_STEPS || finalDepth > SHORT_RUN_PAIR_STEPS;
  const parallel = backend === "wasm" && threads > 1 && pairs * Math.max(finalDepth - 1, n0 / 8) >= PARALLEL_MIN_PAIR_STEPS;
  const lease = parallel ? await acquirePool(threads, o.variant) : null;
  try {
    // From the reservation on, a short run on the shared engine must not yield (its `filled` and
    // every step of runLayers are synchronous then).
    const engine = backend === "plain" ? null : lease ? lease.pool.engine : await (mayYield ? loadPrivateWasmEngine(o.variant) : loadWasmEngine(o.variant));
    const { store, filled } = engine
      ? wasmStore(engine, o.points, scalars, lease?.pool ?? null, columns)
      : { store: plainStore(o.points, scalars, columns), filled: undefined };
    if (filled) await filled;
    const run = await drive(runLayers(o, store, scalars, exactDepths, kernels, pairs, m, total, mayYield || parallel, lease ? 4 * threads : 1, settles));
    return { method: "direct", fixedPointFrom: run.fixedPointFrom, ...envelope, grams: run.grams as GramAtDepthFloat64<K>[] };
  } finally {
    lease?.release();
  }
}

/**
 * Runs a generator that yields whatever may be a promise (a pool task, a pause for progress) and
 * takes back its value: synchronously as long as nothing yielded is a promise, so that a run whose
 * steps are all synchronous never gives the event loop a chance to touch the engine's memory.
 */
function drive<T>(g: Generator<unknown, T, unknown>): T | Promise<T> {
  let r = g.next();
  while (!r.done) {
    if (r.value instanceof Promise) return r.value.then((v) => driveAsync(g, v));
    r = g.next(r.value);
  }
  return r.value;
}

async function driveAsync<T>(g: Generator<unknown, T, unknown>, first: unknown): Promise<T> {
  let r = g.next(first);
  while (!r.done) r = g.next(await r.value);
  return r.value;
}

/**
 * The depth loop of {@link gramThroughDepthFloat64}: `tasksPerCall` blocks of pairs per advance (one per call on one thread).
 * With `watchFixedPoint` (σb > 0, σw² < 2), a round of layers that leaves the layer scalars and every pair's ε, u
 * bitwise as they were, followed by one more layer that does too, is the float64 fixed point: every later depth
 * has that state, so deeper checkpoints (to 2^60) take no layers at all.
 */
function* runLayers(
  o: ResolvedGramFloat64Options,
  store: PairStore,
  scalars: LayerScalars,
  depths: readonly bigint[],
  kernels: GramKernels,
  pairs: number,
  m: number,
  total: number,
  mayYield: boolean,
  tasksPerCall: number,
  watchFixedPoint: boolean,
): Generator<unknown, { grams: GramAtDepthFloat64<GramKernels>[]; fixedPointFrom: bigint | null }, unknown> {
  const ticker = new ProgressTicker(o, total, 1);
  const results: GramAtDepthFloat64<GramKernels>[] = [];
  const coef = new Float64Array(GRAM_COEFFICIENTS_PER_LAYER * MAX_LAYERS_PER_CALL);
  let done = 0;
  let fixedPointFrom: number | null = null;
  const pauseIfDue = (): Promise<void> | undefined => (mayYield ? ticker.tick(done) : undefined);
  const scalarState = (): number[] => [scalars.qMantissa, scalars.log2Scale, scalars.tau];
  const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => {
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    return true;
  };
  /** One round of `steps` layers over every pair; true when it left the scalars and the pairs as they were (checked only when `watch`). */
  const round = function* (steps: number, watch: boolean): Generator<unknown, boolean, unknown> {
    const scalarsBefore = scalarState();
    const fromLayerOne = scalars.layer === 1;
    scalars.fill(coef, steps);
    const pairsBefore = watch && same(scalarsBefore, scalarState()) ? store.state() : null;
    const taskPairs = Math.max(8, 8 * Math.floor(PAIR_STEPS_PER_CALL / steps / 8));
    const block = taskPairs * tasksPerCall;
    for (let first = 0; first < pairs; first += block) {
      const count = Math.min(block, pairs - first);
      yield store.advance(first, count, coef.subarray(0, GRAM_COEFFICIENTS_PER_LAYER * steps), steps, taskPairs, fromLayerOne);
      done += count * steps;
      yield pauseIfDue();
    }
    // With a single point there are no pairs, but a deep run still yields now and then.
    if (pairs === 0) yield pauseIfDue();
    return pairsBefore !== null && same(pairsBefore, store.state());
  };
  let settled: UnpackedKernels | null = null;
  for (const depthExact of depths) {
    const depth = Math.min(Number(depthExact), MAX_DEPTH);
    while (fixedPointFrom === null && scalars.layer < depth) {
      const start = scalars.layer;
      const steps = Math.min(depth - scalars.layer, MAX_LAYERS_PER_CALL);
      // A full round that changed nothing, then one layer that changes nothing either: a fixed point, not a cycle.
      if ((yield* round(steps, watchFixedPoint && steps === MAX_LAYERS_PER_CALL)) && scalars.layer < depth && (yield* round(1, true))) fixedPointFrom = start;
    }
    if (fixedPointFrom === null && depthExact > BigInt(MAX_DEPTH)) {
      throw new NtkError(
        "BAD_DEPTH",
        `the recursion did not reach its float64 fixed point within ${MAX_DEPTH.toLocaleString("en-US")} layers, so depth ${depthExact} cannot be run layer by layer.`,
        { depth: depthExact.toString() },
      );
    }
    // Past the fixed point every checkpoint has the same matrices: unpack once, copy for each.
    const matrices =
      fixedPointFrom === null
        ? ((yield store.unpack(scalars.layer === 1, kernels)) as UnpackedKernels)
        : copiesOf((settled ??= (yield store.unpack(false, kernels)) as UnpackedKernels));
    results.push({
      depth: Number(depthExact),
      depthExact,
      m,
      ...matrices,
      log2Scale: scalars.log2Scale,
      sigmaDiag: scalars.qMantissa,
      ntkDiag: scalars.tau * scalars.qMantissa,
    });
  }
  ticker.finish();
  return { grams: results, fixedPointFrom: fixedPointFrom === null ? null : BigInt(fixedPointFrom) };
}

/** Fresh copies of the matrices and the mask of one unpacking. */
function copiesOf(u: UnpackedKernels): UnpackedKernels {
  const copy = <T extends Float64Array | Uint8Array>(x: T | null): T | null => (x === null ? null : (x.slice() as T));
  return {
    sigmaNormalized: copy(u.sigmaNormalized),
    oneMinusSigmaNormalized: copy(u.oneMinusSigmaNormalized),
    ntkNormalized: copy(u.ntkNormalized),
    oneMinusNtkNormalized: copy(u.oneMinusNtkNormalized),
    lostToZero: copy(u.lostToZero),
  };
}

/**
 * The matrix of one kernel at one depth: value = matrix[i] × 2^log2Scale. Normalized (Σ̄ or Θ̄):
 * the stored array itself and log2Scale 0. Raw (Σ or Θ): a new array Σ̄ · sigmaDiag (Θ̄ · ntkDiag)
 * and the depth's log2Scale. Throws BAD_OPTION for an unknown kernel name, BAD_ARGUMENT when `g`
 * does not hold that kernel's matrix (a fill with `kernels` naming the other one).
 */
export function kernelMatrixFloat64(g: GramAtDepthFloat64<GramKernels>, kernel: KernelName, normalized: boolean): { matrix: Float64Array; log2Scale: number } {
  checkKernelName(kernel);
  const { ntkNormalized, sigmaNormalized, ntkDiag, sigmaDiag } = checkObject(g, "g (a Gram matrix at one depth)");
  const bar = kernel === "ntk" ? ntkNormalized : sigmaNormalized;
  if (bar === null && (kernel === "ntk" ? sigmaNormalized : ntkNormalized) instanceof Float64Array) {
    throw new NtkError("BAD_ARGUMENT", `g holds no ${kernel === "ntk" ? "NTK" : "NNGP"} matrix: compute it with kernels "${kernel}" or "both".`, { kernel });
  }
  if (!(bar instanceof Float64Array)) throw new NtkError("BAD_ARGUMENT", "g must be a Gram matrix from gramThroughDepth.", {});
  checkFiniteNumber(ntkDiag, "g.ntkDiag");
  checkFiniteNumber(sigmaDiag, "g.sigmaDiag");
  checkInteger(g.log2Scale, "g.log2Scale", -Number.MAX_VALUE, Number.MAX_VALUE);
  return kernelMatrixFloat64Checked(g, kernel, normalized);
}

/**
 * {@link kernelMatrixFloat64} of a Gram result this library made (nothing checked): for the layers
 * below a validated entry, which asked the fill for `kernel`'s matrices.
 */
export function kernelMatrixFloat64Checked(
  g: GramAtDepthFloat64<GramKernels>,
  kernel: KernelName,
  normalized: boolean,
): { matrix: Float64Array; log2Scale: number } {
  const bar = (kernel === "ntk" ? g.ntkNormalized : g.sigmaNormalized)!;
  if (normalized) return { matrix: bar, log2Scale: 0 };
  const diag = kernel === "ntk" ? g.ntkDiag : g.sigmaDiag;
  return { matrix: bar.map((x) => x * diag), log2Scale: g.log2Scale };
}
