/**
 * The layer scalars shared by every pair, in arbitrary precision (docs/RECURSIONS.md): the
 * high-precision twin of `LayerScalars` in `../layerScalars.ts`, read by the precise pair and Gram loops.
 *
 *   q_1 = σw²/n0 + σb²,   q_{l+1} = σw² q_l/2 + σb²,   w_l = σw² q_l / (2 q_{l+1}) ∈ (0, 1]
 *   τ_1 = 1,   τ_{l+1} = w_l τ_l + 1,   a_l = w_l τ_l / τ_{l+1},   b_l = 1 / τ_{l+1}
 *
 * q and τ are BigFloats (exponent range ±9e15: q_L = 1/(n0 2^{L−1}) at any depth); each step rounds
 * once per operation, relative error < 2^(1−bits) each (see `bigFloat.ts`), vouched by the callers'
 * second run.
 */
import type { Decimal } from "decimal.js";
import type { ResolvedParams } from "../params.js";
import type { BigFloat, BigFloatContext } from "./bigFloat.js";

/** The weights of one layer step l → l + 1. */
export interface LayerWeights {
  /** w_l = σw² q_l / (2 q_{l+1}) ∈ (0, 1]; exactly 1 when σb = 0. */
  readonly w: BigFloat;
  /** a_l = w_l τ_l / τ_{l+1}, the weight of the carried NTK term in u′ (a + b = 1). */
  readonly a: BigFloat;
  /** b_l = 1 / τ_{l+1}, the weight of ε′ in u′. */
  readonly b: BigFloat;
}

/** q_l and τ_l at the current layer, moved on one layer at a time. */
export class PreciseLayerScalars {
  /** q_l = Σ^(l)(x, x), unscaled. */
  q: BigFloat;
  /** τ_l = Θ^(l)(x, x) / q_l. */
  tau: BigFloat;
  /** σw² / 2, rounded to the context (Σ̇ = σw²/2 · (1 − θ/π)). */
  readonly halfSigmaW2: BigFloat;
  /** c1 = σw² / (n0 q_1) at the precision of `D`: ε_1 = u_1 = c1 (1 − x·x′); exactly 1 in the paper's case. */
  readonly c1: Decimal;
  private readonly sigmaB2: BigFloat;
  private readonly noBias: boolean;

  /** @param D the Decimal class of the run (σw², σb², q_1 and c1 are formed in it, then rounded to `ctx`). */
  constructor(
    params: ResolvedParams,
    n0: number,
    private readonly ctx: BigFloatContext,
    private readonly D: typeof Decimal,
  ) {
    const sw2 = new D(params.sigmaW).pow(2);
    const sb2 = new D(params.sigmaB).pow(2);
    const q1 = sw2.div(n0).plus(sb2);
    this.c1 = sw2.div(q1.times(n0));
    this.q = ctx.fromDecimal(q1, D);
    this.tau = ctx.one;
    this.halfSigmaW2 = ctx.scale2(ctx.fromDecimal(sw2, D), -1);
    this.sigmaB2 = ctx.fromDecimal(sb2, D);
    this.noBias = params.sigmaB.isZero();
  }

  /**
   * ε_1 = c1 (1 − x·x′) from the input complement 1 − x·x′ (exact, or rounded to the run's Decimal
   * class), formed in that class and kept at most 2, which only rounding could pass (antipodal
   * inputs with c1 rounded up): the high-precision twin of `layerOneComplement` (complement.ts).
   */
  layerOneComplement(oneMinusDot: Decimal): BigFloat {
    return this.ctx.fromDecimal(this.D.min(this.c1.times(oneMinusDot), 2), this.D);
  }

  /** Moves q and τ from layer l to l + 1 and returns the weights of that step. */
  step(): LayerWeights {
    const c = this.ctx;
    const carried = c.mul(this.halfSigmaW2, this.q);
    const qNext = c.add(carried, this.sigmaB2);
    const w = this.noBias ? c.one : c.div(carried, qNext);
    const wTau = c.mul(w, this.tau);
    const tauNext = c.add(wTau, c.one);
    this.q = qNext;
    this.tau = tauNext;
    return { w, a: c.div(wTau, tauNext), b: c.div(c.one, tauNext) };
  }
}
