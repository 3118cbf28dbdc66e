/**
 * Gram matrices and single pairs through depth for any architecture (description.ts), in float64:
 * Σ̄, 1 − Σ̄, Θ̄, 1 − Θ̄ and the raw diagonals, in the shapes of the ReLU paths (`GramAtDepthFloat64`,
 * `PairResultFloat64`), so that predictions, determinants and the CLI take them unchanged.
 *
 * The plain ReLU network (`relu dense`, one σw, σb) runs on the ReLU engine itself
 * (gram/float64.ts, pair/float64.ts): same bits, same speed. Every other architecture runs its
 * tape (tape.ts) over the pairs in WebAssembly (assembly/architecture.ts) or its TypeScript port
 * (plainTape.ts). Depth L is the stem and L − 1 blocks; a block whose α depends on L (c/sqrt(L))
 * is a different network at each depth, so each checkpoint then gets its own pass.
 *
 * Accuracy (test/arch-float64.test.ts against mpmath, test/fixtures/arch.json): the complements
 * 1 − Σ̄ and 1 − Θ̄ within 1e-12 relative for ρ1 ∈ [−0.9, 1) to depth 1000; near ρ1 = −1 the
 * first activation reads 1 + x·x′ from the inputs (test/arch-antipodal.test.ts: within 1e-14 at
 * 1 + ρ1 down to 1e-30); beyond it 1 + ρ is 2 − ε, accurate to ~1e-16 absolute (docs/ARCHITECTURES.md §4).
 */
import { checkObject } from "../argumentTypes.js";
import { NtkError } from "../errors.js";
import { exactOneMinus } from "../decimalText.js";
import { checkDepthList, checkInputDim, MAX_DEPTH, resolveCheckpoints, resolveRho1, type DepthInput, type ResolvedParams } from "../params.js";
import { ProgressTicker, type ProgressOptions } from "../progress.js";
import { gramFloat64Resolved, gramThroughDepthFloat64, type GramAtDepthFloat64, type GramResultFloat64 } from "../gram/float64.js";
import { checkSpherePoints } from "../sphere/float64.js";
import { plainGramUnpack, plainInputComplements } from "../gram/plain.js";
import { thetaOfComplement } from "../complement.js";
import { lostPairFields, withLostComplements } from "../gram/lostComplements.js";
import { pairPointFloat64, pairThroughDepthFloat64, type PairResultFloat64 } from "../pair/float64.js";
import type { NetworkParams, SpherePoints } from "../types.js";
import { loadPrivateWasmEngine, loadWasmEngine, type WasmVariant } from "../wasm/engine.js";
import { resolveArchitecture, type ArchitectureSpec, type ResolvedArchitecture } from "./description.js";
import { parseArchitecture } from "./parse.js";
import { plainTapeAdvance } from "./plainTape.js";
import { inputState, OP_WIDTH, residualNesting, scaledValue, tapeLength, writeTape, type DiagonalState } from "./tape.js";

/** An architecture as text (`--arch` syntax), JSON description, or already resolved. */
export type ArchitectureInput = string | ArchitectureSpec | ResolvedArchitecture;

/** Resolves any {@link ArchitectureInput}; `params` are the σw, σb of dense layers without their own. Throws BAD_ARCH. */
export function toArchitecture(arch: ArchitectureInput, params: NetworkParams = {}): ResolvedArchitecture {
  if (typeof arch === "string") return parseArchitecture(arch, params);
  if (typeof arch === "object" && arch !== null && "reluMlp" in arch && "text" in arch) return arch;
  return resolveArchitecture(arch, params);
}

/** Options of {@link archGramThroughDepthFloat64}. */
export interface ArchGramOptions extends ProgressOptions {
  /** Unit rows (from `projectToSphereFloat64`). */
  readonly points: SpherePoints;
  /** Checkpoint depths L (stem + L − 1 blocks), 1 ≤ L ≤ 1e9 (number, bigint or integer text). */
  readonly depths: readonly DepthInput[];
  readonly architecture: ArchitectureInput;
  /** σw, σb of dense layers that do not give their own (default 1, 0). */
  readonly params?: NetworkParams;
  /** "wasm" (default) or "plain" (TypeScript port). */
  readonly backend?: "wasm" | "plain";
  readonly variant?: WasmVariant;
}

/** Operations per WebAssembly call (whole blocks, at least one). */
const OPS_PER_CALL = 4096;
/** Pair operations per call, so that progress and cancellation stay responsive. */
const PAIR_OPS_PER_CALL = 1 << 18;
/** Runs of at most this many pair operations use the shared engine and never yield. */
const SHORT_RUN_PAIR_OPS = 1 << 20;

/** Where the pair complements live and how the tape runs over them. */
interface TapeRunner {
  run(tape: Float64Array, ops: number, from: number, to: number): void;
  /** ε and u of every pair (copies). */
  read(): [Float64Array, Float64Array];
}

interface ArchExports {
  archAdvance(eps: number, u: number, from: number, to: number, tape: number, ops: number, stack: number, bars: number): void;
}

/** Both input complements of every pair, ε_0 = 1 − x·x′ and ε̄_0 = 1 + x·x′, each accurate relative to itself (|x ∓ x′|²/2 where the inner product cancels). */
export interface InputComplements {
  readonly eps: Float64Array;
  readonly epsBar: Float64Array;
}

/** The {@link InputComplements} of the points' pairs (packed pair order; the stem's first dense layer applies its own weight). */
export function inputComplements(points: SpherePoints): InputComplements {
  const { m, n0 } = points;
  const eps = new Float64Array((m * (m - 1)) / 2);
  const epsBar = new Float64Array(eps.length);
  plainInputComplements(points.coords, m, n0, eps, epsBar);
  return { eps, epsBar };
}

/** (ε̄, ū) per pair at the input, where Θ̄ = Σ̄ (u_0 = ε_0): ε̄_0 twice. */
function interleaved(epsBar: Float64Array): Float64Array {
  const out = new Float64Array(2 * epsBar.length);
  epsBar.forEach((x, i) => (out[2 * i] = out[2 * i + 1] = x));
  return out;
}

/** Each pair starts at (ε, u) = (ε_0, ε_0) with (ε̄_0, ū_0) beside it for the first activation (assembly/architecture.ts). */
async function tapeRunner(
  start: InputComplements,
  backend: "wasm" | "plain",
  nesting: number,
  longRun: boolean,
  variant: WasmVariant | undefined,
): Promise<TapeRunner> {
  const pairs = start.eps.length;
  if (backend === "plain") {
    const eps = start.eps.slice();
    const u = start.eps.slice();
    const bars = interleaved(start.epsBar);
    return { run: (tape, ops, from, to) => plainTapeAdvance(eps, u, from, to, tape, 0, ops, bars), read: () => [eps.slice(), u.slice()] };
  }
  const engine = await (longRun ? loadPrivateWasmEngine(variant) : loadWasmEngine(variant));
  const ex = engine.exports as unknown as ArchExports;
  const [eps, u, bars, tape, stack] = engine.reserve(
    [pairs, pairs, 2 * pairs, OPS_PER_CALL * OP_WIDTH, 2 * nesting + 2],
    `the Gram matrices of ${pairs} pairs`,
  );
  engine.f64(eps, pairs).set(start.eps);
  engine.f64(u, pairs).set(start.eps);
  engine.f64(bars, 2 * pairs).set(interleaved(start.epsBar));
  return {
    run(t, ops, from, to) {
      engine.f64(tape, ops * OP_WIDTH).set(t.subarray(0, ops * OP_WIDTH));
      ex.archAdvance(eps, u, from, to, tape, ops, stack, bars);
    },
    read: () => [engine.f64(eps, pairs).slice(), engine.f64(u, pairs).slice()],
  };
}

function atDepth(depth: number, m: number, state: DiagonalState, eps: Float64Array, u: Float64Array): Omit<GramAtDepthFloat64, "lostToZero"> {
  const unpack = (packed: Float64Array, diagonal: number, fromComplement: boolean): Float64Array => {
    const out = new Float64Array(m * m);
    plainGramUnpack(packed, m, out, diagonal, fromComplement);
    return out;
  };
  return {
    depth,
    depthExact: BigInt(depth),
    m,
    sigmaNormalized: unpack(eps, 1, true),
    oneMinusSigmaNormalized: unpack(eps, 0, false),
    ntkNormalized: unpack(u, 1, true),
    oneMinusNtkNormalized: unpack(u, 0, false),
    log2Scale: state.q.e,
    sigmaDiag: state.q.m,
    ntkDiag: state.tau * state.q.m,
  };
}

/** A pair's checkpoints as numbers (see {@link archDepthList}). Throws BAD_DEPTH. */
export function archCheckpoints(at: readonly DepthInput[] | undefined, depth: DepthInput): number[] {
  return resolveCheckpoints(at, depth, BigInt(MAX_DEPTH)).map(Number);
}

/** Whether any α of the architecture depends on the depth. */
export function dependsOnDepth(arch: ResolvedArchitecture): boolean {
  const visit = (layers: ResolvedArchitecture["block"]): boolean => layers.some((l) => l.kind === "residual" && (l.alpha.depthPower !== 0 || visit(l.branch)));
  return visit(arch.stem) || visit(arch.block);
}

/**
 * Σ̄, 1 − Σ̄, Θ̄, 1 − Θ̄ and raw diagonals of the points at every checkpoint depth, for any
 * architecture (see the module comment). Errors: BAD_ARCH, BAD_DEPTH, BAD_OPTION (backend), the
 * Gram path's point errors (EMPTY_DATA, DIMENSION_MISMATCH, NON_FINITE, OFF_SPHERE),
 * WASM_MEMORY_EXHAUSTED, ABORTED.
 */
export async function archGramThroughDepthFloat64(o: ArchGramOptions): Promise<GramResultFloat64> {
  checkObject(o, "archGramThroughDepthFloat64's options");
  const arch = toArchitecture(o.architecture, o.params);
  const relu = reluEngineParams(arch);
  if (relu !== null) return gramThroughDepthFloat64({ ...o, params: relu });
  checkSpherePoints(o.points);
  const depths = checkDepthList(o.depths);
  return archGramFloat64Resolved({ ...o, depths, backend: checkBackend(o.backend), threads: 1 }, arch);
}

/** The options of {@link archGramThroughDepthFloat64} after validation, with the architecture resolved apart. */
export interface ResolvedArchGramOptions extends ProgressOptions {
  /** Unit rows, checked by `checkSpherePoints` (or built as unit rows by the caller). */
  readonly points: SpherePoints;
  /** Checkpoint depths, ascending, without duplicates, each 1 … MAX_DEPTH (`checkDepthList`). */
  readonly depths: readonly number[];
  readonly backend: "wasm" | "plain";
  /** Worker threads of the ReLU engine (`resolveThreads`); the tape of other architectures runs on one. */
  readonly threads: number;
  readonly variant?: WasmVariant;
}

/**
 * {@link archGramThroughDepthFloat64} on resolved options and a resolved architecture (what
 * predictions call, having resolved both once): checks nothing. The plain ReLU network runs on the
 * resolved ReLU Gram core.
 */
export async function archGramFloat64Resolved(o: ResolvedArchGramOptions, arch: ResolvedArchitecture): Promise<GramResultFloat64> {
  if (arch.reluMlp !== null) {
    return gramFloat64Resolved({ ...o, params: arch.reluMlp, depths: o.depths.map(BigInt), method: "auto" });
  }
  const atDepths = await runArchitecture(o, o.depths, o.backend, arch, o.points.m, o.points.n0, inputComplements(o.points));
  return {
    method: "direct",
    fixedPointFrom: null,
    params: firstLayerParams(arch),
    n0: o.points.n0,
    grams: atDepths.map((g) => withLostComplements(g, o.points)),
  };
}

/** The `backend` option: "wasm" (default) or "plain"; BAD_OPTION otherwise. */
function checkBackend(backend: string | undefined): "wasm" | "plain" {
  const b = backend ?? "wasm";
  if (b !== "wasm" && b !== "plain") throw new NtkError("BAD_OPTION", `backend must be "wasm" or "plain", got "${String(b)}".`, { backend: b });
  return b;
}

/** σw, σb of the architecture's first layer (a dense layer, by the description's rules): the `params` of its results. */
export function firstLayerParams(arch: ResolvedArchitecture): ResolvedParams {
  const first = arch.stem[0]!;
  return first.kind === "dense" ? first.params : (undefined as never);
}

/** The tape of `arch` over the pairs of `m` points whose input complements are `start`, in dimension n0, at the checked `depths`. */
async function runArchitecture(
  o: ProgressOptions & { readonly variant?: WasmVariant },
  depths: readonly number[],
  backend: "wasm" | "plain",
  arch: ResolvedArchitecture,
  m: number,
  n0: number,
  start: InputComplements,
): Promise<Omit<GramAtDepthFloat64, "lostToZero">[]> {
  const pairs = start.eps.length;
  const stemOps = tapeLength(arch.stem);
  const blockOps = tapeLength(arch.block);
  if (Math.max(stemOps, blockOps) > OPS_PER_CALL) {
    throw new NtkError("BAD_ARCH", `the stem or block expands to more than ${OPS_PER_CALL} operations; use the depth (the block repeats) for long networks.`, {
      stemOps,
      blockOps,
    });
  }
  const passes = dependsOnDepth(arch) ? depths.map((d) => [d]) : [depths];
  const totalOps = passes.reduce((s, p) => s + stemOps + (p[p.length - 1] - 1) * blockOps, 0) * Math.max(pairs, 1);
  const longRun = totalOps > SHORT_RUN_PAIR_OPS;
  const ticker = new ProgressTicker(o, totalOps, 1);
  const nesting = Math.max(residualNesting(arch.stem), residualNesting(arch.block));
  const tape = new Float64Array(OPS_PER_CALL * OP_WIDTH);
  const block = Math.max(1, Math.floor(PAIR_OPS_PER_CALL / Math.max(blockOps, stemOps)));
  const results: Omit<GramAtDepthFloat64, "lostToZero">[] = [];
  let done = 0;
  for (const pass of passes) {
    const finalDepth = pass[pass.length - 1];
    const runner = await tapeRunner(start, backend, nesting, longRun, o.variant);
    const advance = async (ops: number): Promise<void> => {
      for (let first = 0; first < pairs; first += block) {
        const count = Math.min(block, pairs - first);
        runner.run(tape, ops, first, first + count);
        done += count * ops;
        const pause = longRun ? ticker.tick(done) : undefined;
        if (pause) await pause;
      }
      if (pairs === 0) {
        const pause = longRun ? ticker.tick(done) : undefined;
        if (pause) await pause;
      }
    };
    const stem = writeTape(arch.stem, inputState(n0), finalDepth, tape, 0);
    let state = stem.state;
    await advance(stem.end / OP_WIDTH);
    let layer = 1;
    for (const depth of pass) {
      while (layer < depth) {
        const copies = Math.min(depth - layer, Math.floor(OPS_PER_CALL / blockOps));
        let at = 0;
        for (let k = 0; k < copies; k++) ({ state, end: at } = writeTape(arch.block, state, finalDepth, tape, at));
        await advance(at / OP_WIDTH);
        layer += copies;
      }
      if (!(scaledValue(state.q) > 0 || state.q.m > 0) || !Number.isFinite(state.tau) || !(state.tau > 0)) {
        throw new NtkError(
          "BAD_ARCH",
          `the diagonal scalars left the float64 range at depth ${depth} (q mantissa ${state.q.m}, τ = ${state.tau}); use the high-precision path.`,
          { depth },
        );
      }
      const [eps, u] = runner.read();
      results.push(atDepth(depth, m, state, eps, u));
    }
  }
  ticker.finish();
  return results;
}

/** σw and σb of the architecture when it is the plain ReLU network (which runs on the ReLU engine), else null. */
export function reluEngineParams(arch: ResolvedArchitecture): NetworkParams | null {
  const p = arch.reluMlp;
  return p ? { sigmaW: p.sigmaW.toString(), sigmaB: p.sigmaB.toString() } : null;
}

/** Options of {@link archPairThroughDepthFloat64}. */
export interface ArchPairOptions extends ProgressOptions {
  /** ρ1 = x·x′ ∈ [−1, 1]; text is read exactly (1 − ρ1 formed exactly). */
  readonly rho1: number | string;
  /** Final depth L (number, bigint or integer text), at most 1e9: the architectures have no depth jump. */
  readonly depth: DepthInput;
  /** Checkpoints (each ≤ depth); default [depth]. */
  readonly at?: readonly DepthInput[];
  readonly architecture: ArchitectureInput;
  readonly params?: NetworkParams;
  /** Input dimension n0 (default 1): scales the raw kernels. */
  readonly inputDim?: number;
  readonly backend?: "wasm" | "plain";
  readonly variant?: WasmVariant;
}

/**
 * One pair with input correlation ρ1 through depth, for any architecture: the fields of the ReLU
 * pair path (`PairResultFloat64`, method "stable"); `sigmaDot` is null except on the ReLU network, which
 * runs on the ReLU engine. A pair is one entry of the Gram tape, started from the exact 1 − ρ1.
 * Errors as {@link archGramThroughDepthFloat64}, and BAD_RHO.
 */
export async function archPairThroughDepthFloat64(o: ArchPairOptions): Promise<PairResultFloat64> {
  checkObject(o, "archPairThroughDepthFloat64's options");
  const arch = toArchitecture(o.architecture, o.params);
  const relu = reluEngineParams(arch);
  if (relu !== null) return pairThroughDepthFloat64({ ...o, params: relu });
  const rho1 = resolveRho1(o.rho1);
  const n0 = checkInputDim(o.inputDim);
  const checkpoints = archCheckpoints(o.at, o.depth);
  // 1 ∓ ρ1 both from the exact text: 1 + ρ1 keeps its digits for ρ1 near −1.
  const start = { eps: Float64Array.of(Math.min(2, rho1.oneMinusRho1_64)), epsBar: Float64Array.of(Math.min(2, exactOneMinus(rho1.rho1.neg()).toNumber())) };
  const grams = await runArchitecture(o, checkpoints, checkBackend(o.backend), arch, 2, n0, start);
  const params = firstLayerParams(arch);
  const result = grams.map((g) => {
    const eps = g.oneMinusSigmaNormalized[1];
    const u = g.oneMinusNtkNormalized[1];
    const normalized = { oneMinusRho: eps, rho: 1 - eps, theta: thetaOfComplement(eps), oneMinusNtkNormalized: u, ntkNormalized: 1 - u };
    return pairPointFloat64(BigInt(g.depth), normalized, g, null, lostPairFields(!rho1.oneMinusRho1.isZero(), eps, u));
  });
  return { method: "direct", params, points: result, fixedPointFrom: null };
}
