/**
 * The depth-L normalized kernels as functions of ρ1 = x·x′ alone (SPEC §3, §9): on the sphere
 * every diagonal entry is the same scalar, so Σ̄^(L)(x, x′) and Θ̄^(L)(x, x′) depend on the pair
 * only through ρ1 (for any σw, σb; with σb > 0 also through n0, which enters ε_1). This module
 * evaluates ρ1 ↦ 1 − Σ̄^(L) and ρ1 ↦ 1 − Θ̄^(L) at many ρ1 and several depths at once, from the
 * complements ε_1 = 1 − ρ1 (which the caller forms without cancellation, e.g. 2 sin²(φ/2)) and,
 * optionally, 1 + ρ1 (2 cos²(φ/2)): layer 1's θ_1 comes from the accurate one of the two, as in the
 * Gram's layer-1 fill, so nodes near ρ1 = −1 keep κ0 = 1 − θ_1/π and with it Θ̄^(2) (SPEC §4).
 *
 * Methods, per depth: "jump" (σb = 0 only) runs the depth jump of SPEC §9 (depth/float64.ts) at a
 * cost independent of L, a few µs a point, to any depth up to 2^60; "direct" runs the complement
 * recursion of the float64 Gram path (docs/RECURSIONS.md), every ρ1 one packed "pair" of the
 * WebAssembly Gram kernel (assembly/gram.ts) with the layer scalars of gram/float64.ts, cost
 * (number of ρ1) × (deepest direct depth) steps, depths to 10^9; "auto" (default) jumps for σb = 0
 * beyond AUTO_JUMP_ABOVE layers, as the pair path does. Accuracy: the direct complements within
 * about 1e-14 relative (observed against mpmath, test/fixtures/gram.json), the jump within 1e-12
 * of the direct recursion (observed ~1e-14, test/depth-jump.test.ts).
 */
import { checkArrayLike, checkObject, describeValue } from "../argumentTypes.js";
import { depthJumpFillFloat64 } from "../depth/float64.js";
import { GRAM_COEFFICIENTS_PER_LAYER, LayerScalars } from "../layerScalars.js";
import { layerOneComplements, thetaOfComplements } from "../complement.js";
import { NtkError } from "../errors.js";
import { AUTO_JUMP_ABOVE } from "../pair/float64.js";
import { checkInputDim, MAX_DEPTH, resolveCheckpoints, resolveDepth, resolveParams, type DepthInput } from "../params.js";
import { ProgressTicker, type ProgressOptions } from "../progress.js";
import type { NetworkParams } from "../types.js";
import { loadPrivateWasmEngine } from "../wasm/engine.js";

/** Options of {@link kernelProfilesThroughDepth}. */
export interface KernelProfileOptions extends ProgressOptions {
  /** ε_1 = 1 − ρ1 at each evaluation point, each in [0, 2] (finite). */
  readonly oneMinusRho1: Float64Array;
  /**
   * 1 + ρ1 at each point, formed without cancellation (e.g. 2 cos²(φ/2)), in [0, 2]; default
   * 2 − ε_1, which loses 1 + ρ1 near ρ1 = −1, where θ_1 and κ0 at layer 1 need it (SPEC §4).
   */
  readonly onePlusRho1?: Float64Array;
  /** Depths L, exact (numbers that are safe integers, bigints or decimal text), 1 ≤ L ≤ 2^60 (direct: 10^9); sorted and deduplicated. At least one. */
  readonly depths: readonly DepthInput[];
  /** "auto" (default), "direct" or "jump" (σb = 0 only); see the module comment. */
  readonly method?: KernelProfileMethod;
  /** σw, σb (default 1, 0: the paper's case). */
  readonly params?: NetworkParams;
  /** Input dimension n0 ≥ 1 (default 1): enters ε_1 only when σb > 0. */
  readonly inputDim?: number;
}

/** How the kernels are evaluated at each depth. */
export type KernelProfileMethod = "auto" | "direct" | "jump";

/** Both normalized kernels at one depth, at the evaluation points in the order given. */
export interface KernelProfileAtDepth {
  /** L as a number (exact to 2^53, and for powers of two beyond). */
  readonly depth: number;
  readonly depthExact: bigint;
  /** Which method computed this depth. */
  readonly method: "direct" | "jump";
  /** 1 − Σ̄^(L)(ρ1) = 1 − ρ^(L), carried directly, in [0, 2]. */
  readonly oneMinusSigmaNormalized: Float64Array;
  /** 1 − Θ̄^(L)(ρ1), carried directly. */
  readonly oneMinusNtkNormalized: Float64Array;
}

/** How each method computes, for reports. */
export const KERNEL_PROFILE_METHODS = {
  direct: "the direct complement recursion (L steps a point)",
  jump: "the depth jump of SPEC §9 (cost independent of L)",
} as const;

interface GramExports {
  gramAdvance(eps: number, u: number, first: number, count: number, coef: number, steps: number, fromLayerOne: number): void;
}

/** Layers per WebAssembly call (the coefficients stay in cache, as in gram/float64.ts). */
const LAYERS_PER_CALL = 4096;
/** Point steps per call: about a millisecond, so that progress and cancel stay responsive. */
const STEPS_PER_CALL = 1 << 18;
/** Points per jump call: a few ms. */
const JUMPS_PER_CALL = 512;

/**
 * 1 − Σ̄^(L) and 1 − Θ̄^(L) at every ε_1 = 1 − ρ1 and every depth (see the module comment).
 * Progress counts point steps (a jump counts as one). Errors: BAD_OPTION (an ε_1 outside [0, 2] or
 * not finite, bad n0, an unknown method, "jump" with σb > 0), BAD_DEPTH (beyond 2^60, or beyond
 * 10^9 for the direct recursion), BAD_SIGMA_W / BAD_SIGMA_B, WASM_MEMORY_EXHAUSTED, ABORTED.
 */
export async function kernelProfilesThroughDepth(o: KernelProfileOptions): Promise<KernelProfileAtDepth[]> {
  checkObject(o, "kernelProfilesThroughDepth's options");
  if (!Array.isArray(o.depths) || o.depths.length === 0) {
    throw new NtkError("BAD_DEPTH", "Give at least one depth L ≥ 1 at which to evaluate the kernels.", {});
  }
  const exact = o.depths.map((d, i) => resolveDepth(d, o.depths.length === 1 ? "depth" : `depth ${i + 1}`));
  const depths = resolveCheckpoints(
    exact,
    exact.reduce((a, b) => (a > b ? a : b)),
  );
  const params = resolveParams(o.params);
  const n0 = checkInputDim(o.inputDim);
  const method = o.method ?? "auto";
  if (method !== "auto" && method !== "direct" && method !== "jump") {
    throw new NtkError("BAD_OPTION", `method must be "auto", "direct" or "jump", got "${String(method)}".`, { method });
  }
  const noBias = params.sigmaB.isZero();
  if (method === "jump" && !noBias) {
    throw new NtkError("BAD_OPTION", `the jump (SPEC §9) needs σb = 0, got σb = ${params.sigmaB.toString()}; use method "direct".`, { method });
  }
  const jumps = (d: bigint) => method === "jump" || (method === "auto" && noBias && d > BigInt(AUTO_JUMP_ABOVE));
  const directDepths = depths.filter((d) => !jumps(d)).map(Number);
  const deepestDirect = directDepths.length > 0 ? directDepths[directDepths.length - 1] : 1;
  if (deepestDirect > MAX_DEPTH) {
    throw new NtkError(
      "BAD_DEPTH",
      `depth ${deepestDirect} is beyond ${MAX_DEPTH.toLocaleString("en-US")} layers, the limit of the direct recursion${noBias ? ': use method "jump" or "auto" (σb = 0)' : ""}.`,
      { depth: deepestDirect },
    );
  }
  const points = Array.from(checkArrayLike(o.oneMinusRho1, "oneMinusRho1"));
  const onePlus = o.onePlusRho1 === undefined ? points.map((e) => 2 - e) : Array.from(checkArrayLike(o.onePlusRho1, "onePlusRho1"));
  for (const [name, values] of [
    ["oneMinusRho1", points],
    ["onePlusRho1", onePlus],
  ] as const) {
    if (values.length !== points.length) {
      throw new NtkError("BAD_OPTION", `onePlusRho1 has ${values.length} values for ${points.length} points; give one per point.`, {});
    }
    for (const [i, e] of values.entries()) {
      if (!(e >= 0 && e <= 2)) {
        throw new NtkError("BAD_OPTION", `${name}[${i}] = ${describeValue(e)} is not in [0, 2]; 1 ∓ ρ1 of two unit vectors lies there.`, { index: i });
      }
    }
  }
  const scalars = new LayerScalars(params, n0);
  const n = points.length;
  const engine = await loadPrivateWasmEngine();
  const ex = engine.exports as unknown as GramExports;
  const [eps, u, bar, coef] = engine.reserve([n, n, n, GRAM_COEFFICIENTS_PER_LAYER * LAYERS_PER_CALL], `kernel profiles at ${n} points`);
  // [ε_1, 1 + Σ̄^(1)] and θ_1 from the accurate one of the two (as the Gram's layer-1 fill).
  const layerOne = Array.from(points, (e, i) => layerOneComplements(scalars.c1, scalars.twoBias, e, onePlus[i]));
  const first = Float64Array.from(layerOne, ([e]) => e);
  const firstBar = Float64Array.from(layerOne, ([, eBar]) => eBar);
  const firstTheta = Float64Array.from(layerOne, ([e, eBar]) => thetaOfComplements(e, eBar));
  engine.f64(bar, n).set(firstBar);
  const jumpCount = depths.length - directDepths.length;
  const ticker = new ProgressTicker(o, n * (deepestDirect - 1 + jumpCount), 1);
  let done = 0;
  const out: KernelProfileAtDepth[] = [];
  // Direct depths first (one pass through the layers), then each jump from the layer-1 state.
  // u holds θ_1 at layer 1: gramAdvance's first step (fromLayerOne) reads it.
  engine.f64(eps, n).set(first);
  engine.f64(u, n).set(firstTheta);
  const coefficients = new Float64Array(GRAM_COEFFICIENTS_PER_LAYER * LAYERS_PER_CALL);
  for (const depth of directDepths) {
    while (scalars.layer < depth) {
      const fromLayerOne = scalars.layer === 1 ? 1 : 0;
      const steps = Math.min(depth - scalars.layer, LAYERS_PER_CALL);
      scalars.fill(coefficients, steps);
      const block = Math.max(1, Math.floor(STEPS_PER_CALL / steps));
      for (let start = 0; start < n; start += block) {
        const count = Math.min(block, n - start);
        engine.f64(coef, GRAM_COEFFICIENTS_PER_LAYER * steps).set(coefficients.subarray(0, GRAM_COEFFICIENTS_PER_LAYER * steps));
        ex.gramAdvance(eps, u, start, count, coef, steps, fromLayerOne);
        done += count * steps;
        const pause = ticker.tick(done);
        if (pause) await pause;
      }
    }
    out.push({
      depth,
      depthExact: BigInt(depth),
      method: "direct",
      oneMinusSigmaNormalized: engine.f64(eps, n).slice(),
      // At layer 1 the u slot holds θ_1; u_1 = ε_1 (Θ^(1) = Σ^(1)).
      oneMinusNtkNormalized: depth === 1 ? first.slice() : engine.f64(u, n).slice(),
    });
  }
  for (const depth of depths.filter(jumps)) {
    engine.f64(eps, n).set(first);
    for (let start = 0; start < n; start += JUMPS_PER_CALL) {
      const end = Math.min(n, start + JUMPS_PER_CALL);
      depthJumpFillFloat64(engine, eps, u, start, end, depth, bar);
      done += end - start;
      const pause = ticker.tick(done);
      if (pause) await pause;
    }
    out.push({
      depth: Number(depth),
      depthExact: depth,
      method: "jump",
      oneMinusSigmaNormalized: engine.f64(eps, n).slice(),
      oneMinusNtkNormalized: engine.f64(u, n).slice(),
    });
  }
  ticker.finish();
  return out;
}
