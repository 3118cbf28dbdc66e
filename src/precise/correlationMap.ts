/**
 * The correlation map of one ReLU layer in arbitrary precision (SPEC §3–4), the high-precision
 * twin of assembly/correlation.ts with the same names: the state is ε = 1 − ρ, never ρ.
 *
 *   θ = 2 asin(√(ε/2))              asin by its Taylor series after halving the angle until
 *                                    ε/2 < 1/16 (so every step's series converges ≥ 4 bits a term)
 *   g(θ) = sin θ − θ cos θ           by its series θ³ Σ (−1)^{k+1} 2k θ^{2k−2}/(2k+1)! at every θ,
 *                                    so g never cancels (for θ ≤ π at most ~1 digit, covered by guard bits)
 *   ε′ = w (ε − g(θ)/π)             one layer; w = σw² q/(2 q′) ∈ (0, 1]
 *
 * Series run in fixed point with `bits + 32` fractional bits (the terms shrink, so relative
 * precision is set by the leading term); everything else in {@link BigFloat}. π comes once from
 * decimal.js's stored constant, which limits the precision to ~1020 digits (see `./precision.ts`).
 */
import type { Decimal } from "decimal.js";
import { type BigFloat, BigFloatContext, sh } from "./bigFloat.js";
import { piBig } from "./elementary.js";
import { DECIMAL_CONSTANT_DIGITS } from "./precision.js";

/** Extra fractional bits of the fixed-point series beyond the context's mantissa bits. */
const SERIES_GUARD_BITS = 32;

/** Halve the asin argument until z = ε/2 < 2^−4 (the series then gains ≥ 4 bits a term). */
const ASIN_SERIES_MAX_LOG2 = -4;

/** Integer factors of the k-th term of {@link PreciseCorrelationMap.layer}, as BigInts. */
interface LayerCoefficients {
  readonly odd: bigint; // 2k + 1
  readonly even: bigint; // 2k + 2
  readonly gNum: bigint; // 8k
  readonly gDen: bigint; // (2k − 1)² (2k + 1)
}

// Constants, filled on first use and never changed: converting small numbers to BigInt in the
// inner loop costs as much as the arithmetic at 30–50 digits.
const LAYER_COEFFICIENTS: LayerCoefficients[] = [];

function layerCoefficients(k: number): LayerCoefficients {
  for (let j = LAYER_COEFFICIENTS.length + 1; j <= k; j++) {
    LAYER_COEFFICIENTS.push({ odd: BigInt(2 * j + 1), even: BigInt(2 * j + 2), gNum: BigInt(8 * j), gDen: BigInt((2 * j - 1) * (2 * j - 1) * (2 * j + 1)) });
  }
  return LAYER_COEFFICIENTS[k - 1]!;
}

/** The correlation map at one precision. Create once per precision, reuse for every step. */
export class PreciseCorrelationMap {
  readonly ctx: BigFloatContext;
  /** π rounded to the context's precision. */
  readonly pi: BigFloat;
  /** 1/π rounded to the context's precision. */
  readonly invPi: BigFloat;
  private readonly f: number;
  private readonly fixedOne: bigint;
  private readonly two: BigFloat;

  /**
   * @param bits mantissa bits; @param D a Decimal class with more than bits·log10(2) + 5 digits
   * (π is read from it, or beyond decimal.js's stored π computed by Machin's formula).
   */
  constructor(bits: number, D: typeof Decimal) {
    this.ctx = new BigFloatContext(bits);
    this.pi = D.precision <= DECIMAL_CONSTANT_DIGITS.pi ? this.ctx.fromDecimal(D.acos(-1), D) : piBig(this.ctx);
    this.invPi = this.ctx.div(this.ctx.one, this.pi);
    this.f = bits + SERIES_GUARD_BITS;
    this.fixedOne = 1n << BigInt(this.f);
    this.two = this.ctx.fromInteger(2);
  }

  /**
   * θ = arccos(1 − ε) = 2 asin(√(ε/2)) for ε ∈ [0, 2]; range [0, π]. At ε = 2 exactly (ρ = −1)
   * it returns the object {@link pi} itself, which {@link complementStep} and
   * {@link oneMinusKappa0} recognise, so that h(−1) = 0 and κ0(−1) = 0 come out exactly.
   */
  thetaOfComplement(eps: BigFloat): BigFloat {
    const c = this.ctx;
    if (eps.m === this.two.m && eps.e === this.two.e) return this.pi;
    let z = c.scale2(eps, -1); // z = sin²(θ/2)
    let halvings = 0;
    while (!c.magnitudeBelow(z, ASIN_SERIES_MAX_LOG2)) {
      // sin²(φ/2) = (1 − cos φ)/2 = z / (2 (1 + √(1 − z))) with z = sin²φ: no cancellation.
      z = c.div(z, c.scale2(c.add(c.one, c.sqrt(c.sub(c.one, z))), 1));
      halvings++;
    }
    // asin √z = √z · Σ_k a_k z^k, a_0 = 1, a_{k+1} = a_k (2k+1)² / ((2k+2)(2k+3)).
    const zf = c.toFixed(z, this.f);
    let term = this.fixedOne;
    let sum = term;
    for (let k = 0; ; k++) {
      term = (((term * zf) >> BigInt(this.f)) * BigInt((2 * k + 1) * (2 * k + 1))) / BigInt((2 * k + 2) * (2 * k + 3));
      if (term === 0n) break;
      sum += term;
    }
    return c.scale2(c.mul(c.sqrt(z), c.fromFixed(sum, this.f)), halvings + 1);
  }

  /** g(θ) = sin θ − θ cos θ for θ ∈ [0, π], from its series (relative accuracy at every θ). */
  gOfTheta(theta: BigFloat): BigFloat {
    const c = this.ctx;
    const t2 = c.mul(theta, theta);
    // g/θ³ = Σ_{k≥1} b_k θ^{2k−2}, b_1 = 1/3, b_{k+1} = −b_k θ² / (2k (2k+3)).
    const yf = c.toFixed(t2, this.f);
    let term = this.fixedOne / 3n;
    let sum = term;
    for (let k = 1; ; k++) {
      term = -((term * yf) >> BigInt(this.f)) / BigInt(2 * k * (2 * k + 3));
      if (term === 0n) break;
      sum += term;
    }
    return c.mul(c.mul(t2, theta), c.fromFixed(sum, this.f));
  }

  /** One layer: ε′ = w (ε − g(θ)/π), given θ = θ(ε) and the layer weight w ∈ (0, 1]. */
  complementStep(eps: BigFloat, theta: BigFloat, w: BigFloat): BigFloat {
    const c = this.ctx;
    if (theta === this.pi) return c.mul(w, c.sub(eps, c.one)); // g(π)/π = 1 exactly
    return c.mul(w, c.sub(eps, c.mul(this.gOfTheta(theta), this.invPi)));
  }

  /**
   * θ(ε) and the next complement ε′ = w (ε − g(θ)/π) together, from one series once z = ε/2 < 1/16
   * (every layer but the first few). With c_k = C(2k,k)/4^k and s = √z:
   *   θ = 2s (1 + z Σ_{k≥1} c_k z^{k−1}/(2k+1))
   *   g(θ) = 2s z Σ_{k≥1} 8k c_k z^{k−1} / ((2k−1)² (2k+1))
   * (the second from sin θ = 2s√(1−z), cos θ = 1 − 2z and the series of asin and √(1−z); its
   * terms are all positive, so g is formed without cancellation, relative to its own size).
   * About twice as fast as {@link thetaOfComplement} + {@link complementStep}, same accuracy.
   */
  layer(eps: BigFloat, w: BigFloat): { readonly theta: BigFloat; readonly next: BigFloat } {
    const c = this.ctx;
    const z = c.scale2(eps, -1);
    if (!c.magnitudeBelow(z, ASIN_SERIES_MAX_LOG2)) {
      const theta = this.thetaOfComplement(eps);
      return { theta, next: this.complementStep(eps, theta, w) };
    }
    const f = this.f;
    const fN = BigInt(f);
    const zf = c.toFixed(z, f);
    let term = this.fixedOne >> 1n; // c_1 z^0 = 1/2
    let asinRest = 0n;
    let gSum = 0n;
    // term_k < 2^(f − (k−1)·zBits): only the top f − (k−1)·zBits + 8 bits of zf can reach the
    // units of the product, so the rest is dropped first (truncation error < 2^−8 unit a term).
    // Measured at 1000 digits: ~900 µs a layer against ~1000 µs before (machine under load); no change at 30 digits.
    const zBits = -(z.e + c.bits); // z < 2^−zBits
    for (let k = 1; term !== 0n; k++) {
      const q = layerCoefficients(k);
      asinRest += term / q.odd;
      gSum += (term * q.gNum) / q.gDen;
      const drop = Math.min(f, Math.max(0, (k - 1) * zBits - 8));
      term = ((drop === 0 ? (term * zf) >> fN : (term * (zf >> sh(drop))) >> sh(f - drop)) * q.odd) / q.even;
    }
    const twoS = c.scale2(c.sqrt(z), 1);
    const theta = c.mul(twoS, c.add(c.one, c.mul(z, c.fromFixed(asinRest, f))));
    const g = c.mul(c.mul(twoS, z), c.fromFixed(gSum, f));
    return { theta, next: c.mul(w, c.sub(eps, c.mul(g, this.invPi))) };
  }

  /**
   * One layer of the NTK complement u = 1 − Θ̄: u′ = a (u + (1 − u) θ/π) + b ε′ (docs/RECURSIONS.md),
   * with θ = θ(ε) of this layer, ε′ its next complement and a, b the layer's weights
   * (`PreciseLayerScalars.step`).
   */
  ntkComplementStep(u: BigFloat, theta: BigFloat, epsNext: BigFloat, a: BigFloat, b: BigFloat): BigFloat {
    const c = this.ctx;
    return c.add(c.mul(a, c.add(u, c.mul(c.sub(c.one, u), this.oneMinusKappa0(theta)))), c.mul(b, epsNext));
  }

  /** 1 − κ0(ρ) = θ/π. */
  oneMinusKappa0(theta: BigFloat): BigFloat {
    if (theta === this.pi) return this.ctx.one;
    return this.ctx.mul(theta, this.invPi);
  }
}
