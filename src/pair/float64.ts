/**
 * One pair of points through depth in float64 (SPEC §2–4, §9): ρ, 1 − ρ, θ, Θ̄, 1 − Θ̄ and the raw
 * kernels Σ, Σ̇, Θ at checkpoint depths, up to L = 10^18.
 *
 * Methods: "jump" (σb = 0 only) computes each checkpoint at a cost independent of L
 * (../depth/float64.ts, SPEC §9); "direct" runs the stable recursion layer by layer (up to 10^9
 * layers; with σb > 0 it stops as soon as the state no longer changes in float64, the fixed point,
 * and every later depth has that state); "auto" (the default) takes the jump for σb = 0 beyond
 * AUTO_JUMP_ABOVE layers and "direct" otherwise. "stable" is the former name of "direct".
 *
 * "stable" (the default) carries ε = 1 − ρ and u = 1 − Θ̄ and never forms ρ: a pair is a single
 * entry of the Gram loop, so it runs the very same WebAssembly kernel (assembly/gram.ts,
 * `gramAdvance`) or its TypeScript port (gram/plain.ts), with the layer scalars q, w, τ of
 * gram/float64.ts. "textbook" carries ρ and Θ̄ by SPEC §3's formulas (assembly/pair.ts), to show
 * how that loses 1 − ρ by cancellation.
 *
 * Accuracy of "stable" (test/pair.test.ts against mpmath at 50 digits, depths to 10^6, ρ1 across
 * [−1, 1]): 1 − ρ, θ, Θ̄ and 1 − Θ̄ relatively within 1e-12; ρ = 1 − ε within a few ulps of 1
 * absolute. 1 − ρ1 is formed from the exact decimal of ρ1 ("0.9999999" gives exactly 1e-7), then
 * rounded once, and so is 1 + ρ1, from which θ_1 comes for ρ1 near −1 (π − θ_1, hence κ0 and Σ̇ of
 * layer 2, stay accurate there: test/gram-antipodal.test.ts). "textbook": no accuracy claim; its error is measured (`compare`, test/pair.test.ts).
 */
import { checkObject } from "../argumentTypes.js";
import { NtkError } from "../errors.js";
import { checkInputDim, MAX_DEPTH, resolveCheckpoints, resolveParams, resolveRho1, type ResolvedParams, type ResolvedRho1 } from "../params.js";
import { depthJumpFloat64, rawDiagonalFloat64 } from "../depth/float64.js";
import { ProgressTicker, type ProgressOptions } from "../progress.js";
import { LayerScalars } from "../layerScalars.js";
import { lostPairFields, MIN_NORMAL_COMPLEMENT, type LostPairField } from "../gram/lostComplements.js";
import { GRAM_COEFFICIENTS_PER_LAYER, plainGramAdvance } from "../gram/plain.js";
import { layerOneComplements, thetaOfComplement, thetaOfComplements } from "../complement.js";
import { exactOneMinus } from "../decimalText.js";
import { loadWasmEngine, type WasmEngine, type WasmVariant } from "../wasm/engine.js";
import type { PairOptions } from "../types.js";

export type { PairOptions } from "../types.js";

/**
 * "auto" (default): the fastest correct method; "direct" (alias "stable"): the complement
 * recursion of SPEC §4, layer by layer; "jump": SPEC §9 at a cost independent of depth (σb = 0);
 * "textbook": SPEC §3 as written.
 */
export type PairMethod = "auto" | "direct" | "jump" | "stable" | "textbook";

/** The method that ran: "direct" (stable recursion), "jump" or "textbook". */
export type PairMethodRun = "direct" | "jump" | "textbook";

/** "auto" jumps (σb = 0) once the final depth exceeds this many layers: below it the direct loop costs less than a jump per checkpoint. */
export const AUTO_JUMP_ABOVE = 2000;

/** Options of {@link pairThroughDepthFloat64}. */
export interface PairFloat64Options extends PairOptions {
  /** Default "auto". */
  readonly method?: PairMethod;
  /** "wasm" (default) or "plain" (TypeScript port of the stable loop, for benchmarks and cross-checks). */
  readonly backend?: "wasm" | "plain";
  /** Which WebAssembly build runs: "auto" (default: SIMD where available), "simd", "scalar" or "fma" (no matrix products here: the "simd" bits). */
  readonly variant?: WasmVariant;
}

/** One checkpoint. Raw kernels are `field × 2^log2Scale`, so that no depth under- or overflows them. */
export interface PairPointFloat64 {
  /** Depth L (weight layers), as a number: exact up to 2^53, rounded beyond (see depthExact). */
  readonly depth: number;
  /** Depth L exactly. */
  readonly depthExact: bigint;
  /** ρ^(L) = Σ̄^(L)(x, x′) ∈ [−1, 1]. */
  readonly rho: number;
  /** 1 − ρ^(L) ∈ [0, 2], carried directly by "stable"; by "textbook" formed as 1 − ρ. */
  readonly oneMinusRho: number;
  /** θ^(L) = arccos ρ^(L), radians in [0, π]. */
  readonly theta: number;
  /** Θ̄^(L)(x, x′) = Θ(x, x′) / sqrt(Θ(x, x) Θ(x′, x′)). */
  readonly ntkNormalized: number;
  /** 1 − Θ̄^(L), carried directly by "stable". */
  readonly oneMinusNtkNormalized: number;
  /** Power of two scaling sigma, ntk, sigmaDiag and ntkDiag (0 while q_L stays within 2^±500; a multiple of 256 after a jump). */
  readonly log2Scale: number;
  /** Σ^(L)(x, x′) / 2^log2Scale. */
  readonly sigma: number;
  /** Θ^(L)(x, x′) / 2^log2Scale. */
  readonly ntk: number;
  /** Σ^(L)(x, x) / 2^log2Scale (paper's case: 1 / (n0 2^{L−1})). */
  readonly sigmaDiag: number;
  /** Θ^(L)(x, x) / 2^log2Scale (paper's case: L / (n0 2^{L−1})). */
  readonly ntkDiag: number;
  /** Σ̇^(L)(x, x′) = σw² (π − θ^(L−1)) / (2π), unscaled; null at L = 1, which has no ReLU layer. */
  readonly sigmaDot: number | null;
  /**
   * Fields float64 has lost although their true value is positive (ρ1 < 1), so that their number
   * means nothing: with "direct" and "jump", 1 − ρ below 2^-1022 ≈ 2.2e-308 (the smallest normal
   * float64; σb > 0 makes it decay geometrically, by σw²/2 a layer, so past 2^-1022 within about
   * 1000 / log2(2/σw²) layers), which takes θ and 1 − Θ̄ (derived from it through √(1 − ρ)) with
   * it, or 1 − Θ̄ below 2^-1022 on its own (gram/lostComplements.ts, docs/DEPTH_JUMP.md §6); with
   * "textbook", complements that came out 0 or subnormal by the cancellation in 1 − ρ. Empty when
   * every value keeps its stated accuracy. ρ and Θ̄ stay right to an ulp of 1 absolute.
   */
  readonly lostToZero: readonly LostPairField[];
}

/** The result of {@link pairThroughDepthFloat64}. */
export interface PairResultFloat64 {
  /** The method that ran. */
  readonly method: PairMethodRun;
  /**
   * Direct runs with σb > 0: a depth from which the float64 state no longer changes (every later
   * checkpoint has its values, at no cost), or null if none was reached. Found at the granularity
   * of the loop's 4096-layer calls, so the state may have settled a little earlier.
   */
  readonly fixedPointFrom: bigint | null;
  readonly params: ResolvedParams;
  /** One entry per checkpoint, ascending in depth. */
  readonly points: readonly PairPointFloat64[];
}

/** Layers per kernel call: the coefficients (3 float64 a layer) stay in L1, a call takes ~0.1 ms. */
const LAYERS_PER_CALL = 4096;
/** Runs longer than this many layers yield to the event loop now and then (progress, cancel). */
const SHORT_RUN_LAYERS = 1 << 20;

/** Float64 values of the layer state of assembly/layers.ts ([q_l / 2^s, s, τ_l, σw²/2, σb², l]), before the pair's own two. */
const LAYER_STATE_LENGTH = 6;

/** The layer scalars at the current layer (see LayerScalars). */
interface Layer {
  readonly layer: number;
  readonly qMantissa: number;
  readonly log2Scale: number;
  readonly tau: number;
}

/** One pair's depth loop, whichever method and backend runs it. */
interface PairLoop {
  /** Advances by `steps` ≤ LAYERS_PER_CALL layers. */
  advance(steps: number): void;
  /** [1 − ρ, ρ, θ, 1 − Θ̄, Θ̄] at the current layer. */
  read(): [oneMinusRho: number, rho: number, theta: number, oneMinusNtk: number, ntk: number];
  /** The layer scalars at the current layer. */
  layer(): Layer;
}

interface PairExports {
  gramAdvance(eps: number, u: number, first: number, count: number, coef: number, steps: number, fromLayerOne: number): void;
  textbookPairAdvance(state: number, coef: number, steps: number): void;
  layerCoefficients(state: number, coef: number, steps: number): void;
}

/** The stable loop's state read out; at layer 1 the u slot holds θ_1 (gramInitialComplement's layout) and u_1 = ε_1. */
function stableRead(eps: number, u: number, layerOne: boolean): ReturnType<PairLoop["read"]> {
  return layerOne ? [eps, 1 - eps, u, eps, 1 - eps] : [eps, 1 - eps, thetaOfComplement(eps), u, 1 - u];
}

/**
 * A loop in WebAssembly: the layer coefficients come from `layerCoefficients` (assembly/layers.ts)
 * straight into the buffer the pair kernel reads, so no layer costs any TypeScript work. The
 * state (layer scalars, then ε, u for "stable" or ρ, Θ̄ for "textbook") lives in `state` between
 * calls and is copied in and out around each call (8 float64 per ≤ 4096 layers), so a long run can
 * yield to the event loop while other computations use the shared engine.
 */
function wasmLoop(engine: WasmEngine, start: LayerScalars, method: PairMethod, initial: [number, number]): PairLoop {
  const ex = engine.exports as unknown as PairExports;
  const state = Float64Array.of(start.qMantissa, start.log2Scale, start.tau, start.halfSigmaW2, start.sigmaB2, start.layer, ...initial);
  return {
    advance(steps) {
      const [at, coef] = engine.reserve([state.length, GRAM_COEFFICIENTS_PER_LAYER * LAYERS_PER_CALL], "one pair's depth loop");
      const view = engine.f64(at, state.length);
      view.set(state);
      ex.layerCoefficients(at, coef, steps);
      const pair = at + 8 * LAYER_STATE_LENGTH;
      // state[5], the layer, as it was before layerCoefficients moved it on.
      if (method === "stable") ex.gramAdvance(pair, pair + 8, 0, 1, coef, steps, state[5] === 1 ? 1 : 0);
      else ex.textbookPairAdvance(pair, coef, steps);
      state.set(view);
    },
    read() {
      const [a, b] = state.subarray(LAYER_STATE_LENGTH);
      return method === "stable" ? stableRead(a, b, state[5] === 1) : [1 - a, a, Math.acos(Math.min(1, Math.max(-1, a))), 1 - b, b];
    },
    layer: () => ({ qMantissa: state[0], log2Scale: state[1], tau: state[2], layer: state[5] }),
  };
}

/** The stable loop in plain TypeScript (gram/plain.ts's port of the kernel, LayerScalars for the layers), from ε_1 and θ_1. */
function plainLoop(scalars: LayerScalars, eps1: number, theta1: number): PairLoop {
  const eps = Float64Array.of(eps1);
  const u = Float64Array.of(theta1);
  const coef = new Float64Array(GRAM_COEFFICIENTS_PER_LAYER * LAYERS_PER_CALL);
  return {
    advance(steps) {
      const fromLayerOne = scalars.layer === 1;
      scalars.fill(coef, steps);
      plainGramAdvance(eps, u, 0, 1, coef, steps, fromLayerOne);
    },
    read: () => stableRead(eps[0]!, u[0]!, scalars.layer === 1),
    layer: () => scalars,
  };
}

/** The method to run for these options, after validation (throws BAD_OPTION, BAD_DEPTH). */
function chooseMethod(method: PairMethod, params: ResolvedParams, finalDepth: bigint): PairMethodRun {
  const noBias = params.sigmaB.isZero();
  if (method === "jump" && !noBias) {
    throw new NtkError(
      "BAD_OPTION",
      `the jump (SPEC §9) needs σb = 0, got σb = ${params.sigmaB.toString()}; with σb > 0 use method "direct", which stops at the fixed point.`,
      { method },
    );
  }
  const run: PairMethodRun = method === "auto" ? (noBias && finalDepth > BigInt(AUTO_JUMP_ABOVE) ? "jump" : "direct") : method === "stable" ? "direct" : method;
  // σb > 0 with σw² < 2 converges to a fixed point, after which depth costs nothing; otherwise the direct loop is bounded by MAX_DEPTH.
  const reachesFixedPoint = !noBias && params.sigmaW64 * params.sigmaW64 < 2;
  if (run !== "jump" && finalDepth > BigInt(MAX_DEPTH) && !(run === "direct" && reachesFixedPoint)) {
    const why =
      run === "textbook"
        ? "the textbook recursion runs layer by layer"
        : noBias
          ? 'use method "jump" or "auto" (σb = 0)'
          : "with σw² ≥ 2 and σb > 0 the recursion has no fixed point to stop at";
    throw new NtkError("BAD_DEPTH", `depth ${finalDepth} is beyond ${MAX_DEPTH.toLocaleString("en-US")} layers, the limit of a layer-by-layer run: ${why}.`, {
      depth: finalDepth.toString(),
      max: MAX_DEPTH,
    });
  }
  return run;
}

/**
 * ρ, 1 − ρ, θ, Θ̄, 1 − Θ̄ and raw Σ, Σ̇, Θ of a pair with input correlation ρ1 at each checkpoint
 * (see the module comment for methods and accuracy). Depths are exact: numbers (safe integers),
 * bigints or decimal text, 1 ≤ L ≤ 10^18 (the direct and textbook loops: 10^9, except σb > 0 with
 * σw² < 2, whose fixed point makes any depth free). Progress counts layers (direct) or checkpoints (jump).
 * Throws BAD_RHO, BAD_DEPTH, BAD_SIGMA_W, BAD_SIGMA_B, NOT_A_NUMBER, NON_FINITE, BAD_OPTION (method,
 * backend, inputDim, jump with σb > 0), ABORTED.
 */
export async function pairThroughDepthFloat64(o: PairFloat64Options): Promise<PairResultFloat64> {
  checkObject(o, "pairThroughDepthFloat64's options");
  return pairFloat64Resolved(resolvePairFloat64(o), o);
}

/** The options of {@link pairThroughDepthFloat64} after validation, and the method chosen for them. */
export interface ResolvedPairFloat64 {
  readonly rho1: ResolvedRho1;
  readonly params: ResolvedParams;
  readonly n0: number;
  /** Checkpoint depths, exact, ascending, without duplicates; the method was chosen for the last. */
  readonly checkpoints: readonly bigint[];
  readonly method: PairMethodRun;
  readonly backend: "wasm" | "plain";
}

/**
 * Validates and resolves the options of {@link pairThroughDepthFloat64} once (ρ1, σw, σb, n0,
 * depths, method, backend), so that callers running the same pair several times (`comparePair`'s
 * segments) check nothing again. Throws the codes of {@link pairThroughDepthFloat64} but ABORTED.
 */
export function resolvePairFloat64(o: PairFloat64Options): ResolvedPairFloat64 {
  const rho1 = resolveRho1(o.rho1);
  const params = resolveParams(o.params);
  const n0 = checkInputDim(o.inputDim);
  const checkpoints = resolveCheckpoints(o.at, o.depth);
  const requested = o.method ?? "auto";
  const backend = o.backend ?? "wasm";
  if (!["auto", "direct", "jump", "stable", "textbook"].includes(requested)) {
    throw new NtkError("BAD_OPTION", `method must be "auto", "direct", "jump" or "textbook" ("stable" is "direct"), got "${String(requested)}".`, {
      method: requested,
    });
  }
  if (backend !== "wasm" && backend !== "plain") {
    throw new NtkError("BAD_OPTION", `backend must be "wasm" or "plain", got "${String(backend)}".`, { backend });
  }
  if (requested === "textbook" && backend === "plain") {
    throw new NtkError("BAD_OPTION", `the textbook method runs in WebAssembly only; use backend "wasm".`, { method: requested, backend });
  }
  // The plain TypeScript backend has only the direct loop: "auto" runs that there.
  const method = chooseMethod(requested === "auto" && backend === "plain" ? "direct" : requested, params, checkpoints[checkpoints.length - 1]!);
  if (method === "jump" && backend === "plain") throw new NtkError("BAD_OPTION", `the jump runs in WebAssembly only; use backend "wasm".`, { method, backend });
  return { rho1, params, n0, checkpoints, method, backend };
}

/** {@link pairThroughDepthFloat64} on resolved options: checks nothing. */
export async function pairFloat64Resolved(r: ResolvedPairFloat64, o: ProgressOptions & { readonly variant?: WasmVariant }): Promise<PairResultFloat64> {
  const { rho1, params, n0, checkpoints, method, backend } = r;
  const scalars = new LayerScalars(params, n0);
  // The true 1 − ρ1 (and every later 1 − ρ) is > 0 unless ρ1 = 1 exactly.
  const truePositive = !rho1.oneMinusRho1.isZero();
  // Layer 1 (SPEC §2): ρ^(1) = (σw² ρ1/n0 + σb²) / q_1, so 1 − ρ^(1) = c1 (1 − ρ1) with c1 = σw²/(n0 q_1),
  // and 1 + ρ^(1) = 2σb²/q_1 + c1 (1 + ρ1): both from the exact decimal of ρ1, each rounded once, so
  // that θ_1 (and κ0 of layer 1) is accurate for ρ1 near −1 as near 1 (docs/RECURSIONS.md).
  const [eps1, epsBar1] = layerOneComplements(scalars.c1, scalars.twoBias, rho1.oneMinusRho1_64, exactOneMinus(rho1.rho1.neg()).toNumber());
  const finalDepth = checkpoints[checkpoints.length - 1]!;
  if (method === "jump") return pairJump(await loadWasmEngine(o.variant), eps1, epsBar1, truePositive, params, n0, checkpoints, o);
  const sigmaW2 = params.sigmaW64 * params.sigmaW64;
  const q1 = scalars.qMantissa * 2 ** scalars.log2Scale;
  const rho1Textbook = ((sigmaW2 * rho1.rho1_64) / n0 + params.sigmaB64 * params.sigmaB64) / q1;
  const finalLayers = Math.min(Number(finalDepth), MAX_DEPTH);
  const mayYield = finalLayers > SHORT_RUN_LAYERS;
  const loop =
    backend === "plain"
      ? plainLoop(scalars, eps1, thetaOfComplements(eps1, epsBar1))
      : wasmLoop(
          await loadWasmEngine(o.variant),
          scalars,
          method === "textbook" ? "textbook" : "stable",
          method === "textbook" ? [rho1Textbook, rho1Textbook] : [eps1, thetaOfComplements(eps1, epsBar1)],
        );

  const watchFixedPoint = method === "direct" && !params.sigmaB.isZero();
  let fixedPointFrom: number | null = null;
  const ticker = new ProgressTicker(o, finalLayers - 1, 16);
  // What must repeat for a fixed point: the layer scalars and the pair's values.
  const snapshot = (): number[] => {
    const l = loop.layer();
    return [l.qMantissa, l.log2Scale, l.tau, ...loop.read()];
  };
  const same = (a: number[], b: number[]): boolean => a.every((x, i) => Object.is(x, b[i]));
  const advanceTo = async (depth: number): Promise<void> => {
    for (let layer = loop.layer().layer; layer < depth && fixedPointFrom === null;) {
      const steps = Math.min(depth - layer, LAYERS_PER_CALL);
      const before = watchFixedPoint ? snapshot() : [];
      loop.advance(steps);
      layer += steps;
      // A whole call that left the state as it was: check that one more layer does too (a true
      // fixed point of the float64 map, not a cycle), then every later layer repeats it.
      if (watchFixedPoint && same(before, snapshot()) && layer < depth) {
        loop.advance(1);
        layer += 1;
        if (same(before, snapshot())) fixedPointFrom = layer - steps - 1;
      }
      const pause = mayYield ? ticker.tick(layer - 1) : undefined;
      if (pause) await pause;
    }
  };

  const points: PairPointFloat64[] = [];
  for (const depthExact of checkpoints) {
    const depth = Number(depthExact);
    let sigmaDot: number | null = null;
    if (depth > 1) {
      await advanceTo(Math.min(depth - 1, MAX_DEPTH));
      sigmaDot = (sigmaW2 / 2) * (1 - loop.read()[2] / Math.PI);
      await advanceTo(Math.min(depth, MAX_DEPTH));
    }
    if (depth > MAX_DEPTH && fixedPointFrom === null) {
      throw new NtkError(
        "BAD_DEPTH",
        `the recursion did not reach its fixed point within ${MAX_DEPTH.toLocaleString("en-US")} layers, so depth ${depthExact} cannot be run layer by layer.`,
        { depth: depthExact.toString() },
      );
    }
    const [oneMinusRho, rho, theta, oneMinusNtkNormalized, ntkNormalized] = loop.read();
    const { qMantissa: q, log2Scale, tau } = loop.layer();
    const lostToZero =
      method === "textbook"
        ? lostToCancellation(truePositive, oneMinusRho, oneMinusNtkNormalized)
        : lostPairFields(truePositive, oneMinusRho, oneMinusNtkNormalized);
    points.push(
      pairPointFloat64(
        depthExact,
        { oneMinusRho, rho, theta, oneMinusNtkNormalized, ntkNormalized },
        { log2Scale, sigmaDiag: q, ntkDiag: tau * q },
        sigmaDot,
        lostToZero,
      ),
    );
  }
  ticker.finish();
  return { method, params, points, fixedPointFrom: fixedPointFrom === null ? null : BigInt(fixedPointFrom) };
}

/** The normalized values at one depth, each complement carried as computed. */
export interface PairNormalizedFloat64 {
  readonly oneMinusRho: number;
  readonly rho: number;
  readonly theta: number;
  readonly oneMinusNtkNormalized: number;
  readonly ntkNormalized: number;
}

/** The diagonals Σ(x, x) and Θ(x, x) at one depth, as `value × 2^log2Scale`. */
export interface PairDiagonalsFloat64 {
  readonly log2Scale: number;
  readonly sigmaDiag: number;
  readonly ntkDiag: number;
}

/** One checkpoint from its normalized values and diagonals (the raw kernels are their products): every float64 path builds its points here. */
export function pairPointFloat64(
  depthExact: bigint,
  n: PairNormalizedFloat64,
  d: PairDiagonalsFloat64,
  sigmaDot: number | null,
  lostToZero: readonly LostPairField[],
): PairPointFloat64 {
  return {
    depth: Number(depthExact),
    depthExact,
    rho: n.rho,
    oneMinusRho: n.oneMinusRho,
    theta: n.theta,
    ntkNormalized: n.ntkNormalized,
    oneMinusNtkNormalized: n.oneMinusNtkNormalized,
    log2Scale: d.log2Scale,
    sigma: n.rho * d.sigmaDiag,
    ntk: n.ntkNormalized * d.ntkDiag,
    sigmaDiag: d.sigmaDiag,
    ntkDiag: d.ntkDiag,
    sigmaDot,
    lostToZero,
  };
}

/** Textbook complements that came out 0 or subnormal by cancellation although the true value is positive. */
function lostToCancellation(truePositive: boolean, oneMinusRho: number, oneMinusNtkNormalized: number): LostPairField[] {
  return truePositive
    ? (["oneMinusRho", "oneMinusNtkNormalized"] as const).filter((_, k) => [oneMinusRho, oneMinusNtkNormalized][k]! < MIN_NORMAL_COMPLEMENT)
    : [];
}

/** Every checkpoint by the jump (σb = 0): ε_1 is 1 − ρ1 and `epsBar1` 1 + ρ1 (c1 = 1 when σb = 0). */
async function pairJump(
  engine: WasmEngine,
  eps1: number,
  epsBar1: number,
  truePositive: boolean,
  params: ResolvedParams,
  n0: number,
  checkpoints: readonly bigint[],
  o: ProgressOptions,
): Promise<PairResultFloat64> {
  const sigmaW2 = params.sigmaW64 * params.sigmaW64;
  const ticker = new ProgressTicker(o, checkpoints.length, 64);
  const points: PairPointFloat64[] = [];
  for (const [i, depthExact] of checkpoints.entries()) {
    const j = depthJumpFloat64(engine, eps1, depthExact, epsBar1);
    const sigmaDot = depthExact > 1n ? (sigmaW2 / 2) * (1 - depthJumpFloat64(engine, eps1, depthExact - 1n, epsBar1).theta / Math.PI) : null;
    const normalized = {
      oneMinusRho: j.oneMinusRho,
      rho: 1 - j.oneMinusRho,
      theta: j.theta,
      oneMinusNtkNormalized: j.oneMinusNtkNormalized,
      ntkNormalized: 1 - j.oneMinusNtkNormalized,
    };
    const lostToZero = lostPairFields(truePositive, j.oneMinusRho, j.oneMinusNtkNormalized);
    points.push(pairPointFloat64(depthExact, normalized, rawDiagonalFloat64(params, n0, depthExact), sigmaDot, lostToZero));
    const pause = ticker.tick(i + 1);
    if (pause) await pause;
  }
  ticker.finish();
  return { method: "jump", params, points, fixedPointFrom: null };
}
