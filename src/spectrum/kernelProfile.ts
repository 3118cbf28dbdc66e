/**
 * The depth-L normalized kernels as functions of ρ1 = x·x′ alone (SPEC §3, §9): on the sphere
 * every diagonal entry is the same scalar, so Σ̄^(L)(x, x′) and Θ̄^(L)(x, x′) depend on the pair
 * only through ρ1 (for any σw, σb; with σb > 0 also through n0, which enters ε_1). This module
 * evaluates ρ1 ↦ 1 − Σ̄^(L) and ρ1 ↦ 1 − Θ̄^(L) at many ρ1 and several depths at once, from the
 * complements ε_1 = 1 − ρ1 (which the caller forms without cancellation, e.g. 2 sin²(φ/2)).
 *
 * Method: the direct complement recursion of the float64 Gram path (docs/RECURSIONS.md), every ρ1
 * one packed "pair" of the WebAssembly Gram kernel (assembly/gram.ts) with the layer scalars of
 * gram/float64.ts; cost (number of ρ1) × (deepest depth) steps. Accuracy as that path's: the
 * complements within about 1e-14 relative (observed against mpmath, test/fixtures/gram.json).
 */
import { checkDepthList, LayerScalars } from "../gram/float64.js";
import { GRAM_COEFFICIENTS_PER_LAYER } from "../gram/plain.js";
import { NtkError } from "../errors.js";
import { checkInputDim, resolveParams } from "../params.js";
import { ProgressTicker, type ProgressOptions } from "../progress.js";
import type { NetworkParams } from "../types.js";
import { loadPrivateWasmEngine } from "../wasm/engine.js";

/** Options of {@link kernelProfilesThroughDepth}. */
export interface KernelProfileOptions extends ProgressOptions {
  /** ε_1 = 1 − ρ1 at each evaluation point, each in [0, 2] (finite). */
  readonly oneMinusRho1: Float64Array;
  /** Depths L (1 ≤ L ≤ 1e9); validated, sorted and deduplicated. At least one. */
  readonly depths: readonly number[];
  /** σw, σb (default 1, 0: the paper's case). */
  readonly params?: NetworkParams;
  /** Input dimension n0 ≥ 1 (default 1): enters ε_1 only when σb > 0. */
  readonly inputDim?: number;
}

/** Both normalized kernels at one depth, at the evaluation points in the order given. */
export interface KernelProfileAtDepth {
  readonly depth: number;
  /** 1 − Σ̄^(L)(ρ1) = 1 − ρ^(L), carried directly, in [0, 2]. */
  readonly oneMinusSigmaNormalized: Float64Array;
  /** 1 − Θ̄^(L)(ρ1), carried directly. */
  readonly oneMinusNtkNormalized: Float64Array;
}

/** How the profiles were computed, for reports: "direct" runs L steps per point. */
export const KERNEL_PROFILE_METHOD = "direct recursion (L steps per point)";

interface GramExports {
  gramAdvance(eps: number, u: number, first: number, count: number, coef: number, steps: number): void;
}

/** Layers per WebAssembly call (the coefficients stay in cache, as in gram/float64.ts). */
const LAYERS_PER_CALL = 4096;
/** Point steps per call: about a millisecond, so that progress and cancel stay responsive. */
const STEPS_PER_CALL = 1 << 18;

/**
 * 1 − Σ̄^(L) and 1 − Θ̄^(L) at every ε_1 = 1 − ρ1 and every depth (see the module comment).
 * Progress counts point steps. Errors: BAD_OPTION (an ε_1 outside [0, 2] or not finite, bad n0),
 * BAD_DEPTH, BAD_SIGMA_W / BAD_SIGMA_B, WASM_MEMORY_EXHAUSTED, ABORTED.
 */
export async function kernelProfilesThroughDepth(o: KernelProfileOptions): Promise<KernelProfileAtDepth[]> {
  const depths = checkDepthList(o.depths);
  const params = resolveParams(o.params);
  const n0 = checkInputDim(o.inputDim);
  const points = o.oneMinusRho1;
  for (const [i, e] of points.entries()) {
    if (!(e >= 0 && e <= 2)) {
      throw new NtkError("BAD_OPTION", `oneMinusRho1[${i}] = ${e} is not in [0, 2]; 1 − ρ1 of two unit vectors lies there.`, { index: i });
    }
  }
  const scalars = new LayerScalars(params, n0);
  const n = points.length;
  const engine = await loadPrivateWasmEngine();
  const ex = engine.exports as unknown as GramExports;
  const [eps, u, coef] = engine.reserve([n, n, GRAM_COEFFICIENTS_PER_LAYER * LAYERS_PER_CALL], `kernel profiles at ${n} points`);
  const first = points.map((e) => Math.min(2, scalars.c1 * e));
  engine.f64(eps, n).set(first);
  engine.f64(u, n).set(first);
  const coefficients = new Float64Array(GRAM_COEFFICIENTS_PER_LAYER * LAYERS_PER_CALL);
  const ticker = new ProgressTicker(o, n * (depths[depths.length - 1] - 1), 1);
  let done = 0;
  const out: KernelProfileAtDepth[] = [];
  for (const depth of depths) {
    while (scalars.layer < depth) {
      const steps = Math.min(depth - scalars.layer, LAYERS_PER_CALL);
      scalars.fill(coefficients, steps);
      const block = Math.max(1, Math.floor(STEPS_PER_CALL / steps));
      for (let start = 0; start < n; start += block) {
        const count = Math.min(block, n - start);
        engine.f64(coef, GRAM_COEFFICIENTS_PER_LAYER * steps).set(coefficients.subarray(0, GRAM_COEFFICIENTS_PER_LAYER * steps));
        ex.gramAdvance(eps, u, start, count, coef, steps);
        done += count * steps;
        const pause = ticker.tick(done);
        if (pause) await pause;
      }
    }
    out.push({ depth, oneMinusSigmaNormalized: engine.f64(eps, n).slice(), oneMinusNtkNormalized: engine.f64(u, n).slice() });
  }
  ticker.finish();
  return out;
}
