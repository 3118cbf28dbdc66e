/**
 * The layer scalars shared by every pair, in float64 (docs/RECURSIONS.md): the scalars of the
 * network (not of a pair of points) that the Gram loop (gram/float64.ts), the pair path
 * (pair/float64.ts) and the kernel profiles (spectrum/kernelProfile.ts) step through depth. The
 * high-precision twin is `PreciseLayerScalars` in precise/layerScalars.ts.
 */
import { checkFloat64Params, type ResolvedParams } from "./params.js";

/** Float64 values per layer in a coefficient array: w_l, a_l = w_l τ_l / τ_{l+1}, b_l = 1 / τ_{l+1}. */
export const GRAM_COEFFICIENTS_PER_LAYER = 3;

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
  /** 2σb²/q_1 = 2 (1 − c1), formed without cancellation: 1 + Σ̄^(1) = twoBias + c1 (1 + x·x′). */
  readonly twoBias: number;

  /** Throws BAD_SIGMA_W / BAD_SIGMA_B for σw, σb outside the float64 range (checkFloat64Params). */
  constructor(params: ResolvedParams, n0: number) {
    checkFloat64Params(params);
    const sigmaW2 = params.sigmaW64 * params.sigmaW64;
    this.halfSigmaW2 = sigmaW2 / 2;
    this.sigmaB2 = params.sigmaB64 * params.sigmaB64;
    this.qMantissa = sigmaW2 / n0 + this.sigmaB2;
    this.c1 = sigmaW2 / n0 / this.qMantissa;
    this.twoBias = (2 * this.sigmaB2) / this.qMantissa;
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
