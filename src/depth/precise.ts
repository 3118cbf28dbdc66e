/**
 * The Abel function Φ and the NTK sum function Ψ of SPEC §9 at any precision, from their
 * asymptotic series (coefficients in ./seriesTable.ts, derived by scripts/depth_series.py): the
 * high-precision twin of assembly/depthJump.ts's series part.
 *
 *   Φ(θ) = 3π/θ + (3/2) ln θ + Σ c_k θ^k,   Φ(F(θ)) = Φ(θ) + 1
 *   Ψ(θ) = a4/θ⁴ + a3/θ³ + a2/θ² + a1/θ + b ln θ + Σ d_k θ^k,   Ψ(F(θ)) − Ψ(θ) = cos F(θ) w(F(θ))
 *   w(θ) = Φ′(θ)/sin θ
 *
 * Evaluated in BigFloat (Horner on coefficients converted once per precision and cached; ln and
 * sin from ../precise/elementary.ts): decimal.js's ln and sin alone cost more than the rest.
 * The series diverge (|c_k| ~ k!/(6π²)^k beyond k ≈ 65), so they are used below a switch angle
 * θ_s and truncated where the terms fall below the working precision: with |c_k|, |d_k| < 1 for
 * the tabulated k, K(θ) = ⌈(bits + 8)/(−log2 θ)⌉ terms leave less than 2^−(bits+8). The caller
 * vouches for the truncation by computing again with another switch angle (hence other term counts).
 */
import { type BigFloat, BigFloatContext } from "../precise/bigFloat.js";
import { lnBig, sinBig } from "../precise/elementary.js";
import { PHI, PSI, PSI_SINGULAR, SERIES_TABLE_DIGITS } from "./seriesTable.js";

/**
 * Most significant digits the high-precision jump offers: its working precision (this plus
 * guard, vouching and cancellation digits) must stay below the table's 380 digits, and K(θ_s)
 * within the tabulated terms (164 of Φ, 160 of Ψ).
 */
export const MAX_JUMP_PRECISION = 300;

/**
 * The switch angle for a run at `digits` working digits: K(θ_s) ≈ 136 terms, where |c_k|, |d_k| < 10^−3
 * (scripts/depth_series.py prints them), and at most 0.3, where the series' best truncation
 * (~e^{−6π²/θ} ≈ 1e-86) is far below what the lower precisions need.
 */
export function jumpSwitchAngle(digits: number): number {
  return Math.min(0.3, 10 ** -((digits + 3) / 136));
}

/** Series evaluators by mantissa bits: a run converts the ~160 table entries once, later runs at the same precision reuse them. */
const BY_BITS = new Map<number, PreciseAbelSeries>();

/** Φ, Φ′, Ψ and w in BigFloat of `bits` mantissa bits; π is read from `pi` (a decimal literal or a BigFloat of any precision). */
export class PreciseAbelSeries {
  readonly ctx: BigFloatContext;
  /** π at this precision. */
  readonly pi: BigFloat;
  private readonly threePi: BigFloat;
  private readonly threeHalves: BigFloat;
  private readonly c: readonly BigFloat[];
  /** k c_k, the coefficients of Φ′'s power series. */
  private readonly kc: readonly BigFloat[];
  private readonly d: readonly BigFloat[];
  private readonly a4: BigFloat;
  private readonly a3: BigFloat;
  private readonly a2: BigFloat;
  private readonly a1: BigFloat;
  private readonly b: BigFloat;

  private constructor(bits: number, pi: BigFloat) {
    const c = new BigFloatContext(bits);
    this.ctx = c;
    this.pi = c.normalize(pi.m, pi.e);
    this.threePi = c.mul(c.fromInteger(3), this.pi);
    this.threeHalves = c.scale2(c.fromInteger(3), -1);
    this.c = PHI.map((x) => c.fromDecimalText(x));
    this.kc = this.c.map((x, k) => c.mul(c.fromInteger(k), x));
    this.d = PSI.map((x) => c.fromDecimalText(x));
    this.a4 = c.fromDecimalText(PSI_SINGULAR.a4);
    this.a3 = c.fromDecimalText(PSI_SINGULAR.a3);
    this.a2 = c.fromDecimalText(PSI_SINGULAR.a2);
    this.a1 = c.fromDecimalText(PSI_SINGULAR.a1);
    this.b = c.fromDecimalText(PSI_SINGULAR.b);
  }

  /**
   * The evaluator at `bits` mantissa bits (at most the table's digits less 5), made once per
   * precision. `pi` must hold at least `bits` correct bits.
   */
  static at(bits: number, pi: BigFloat): PreciseAbelSeries {
    if (bits > (SERIES_TABLE_DIGITS - 5) * Math.log2(10)) throw new RangeError(`the series table holds ${SERIES_TABLE_DIGITS} digits, ${bits} bits asked`);
    let s = BY_BITS.get(bits);
    if (s === undefined) {
      s = new PreciseAbelSeries(bits, pi);
      BY_BITS.set(bits, s);
    }
    return s;
  }

  /** Terms of the power series needed at θ: K with θ^K < 2^−(bits+8), capped at the table's length. */
  private terms(theta: BigFloat, length: number): number {
    const log2 = -(theta.e + this.ctx.bits); // θ < 2^−log2
    return Math.min(length - 1, Math.ceil((this.ctx.bits + 8) / Math.max(log2, 1e-9)));
  }

  /** Σ_{k=1}^{K} coef_k θ^k (Horner), or Σ k c_k θ^{k−1} for `table = kc`. */
  private horner(theta: BigFloat, table: readonly BigFloat[], derivative: boolean): BigFloat {
    const c = this.ctx;
    const K = this.terms(theta, table.length);
    let s = c.zero;
    for (let k = K; k >= 1; k--) s = derivative ? c.add(c.mul(s, theta), table[k]!) : c.mul(c.add(s, table[k]!), theta);
    return s;
  }

  /** ln θ (for callers that need it beside Φ or Ψ: compute once, pass it in). */
  ln(theta: BigFloat): BigFloat {
    return lnBig(this.ctx, theta);
  }

  /** sin x for |x| ≤ 2. */
  sin(x: BigFloat): BigFloat {
    return sinBig(this.ctx, x);
  }

  /** Φ(θ) for 0 < θ ≤ θ_s. */
  phi(theta: BigFloat, lnTheta = this.ln(theta)): BigFloat {
    const c = this.ctx;
    return c.add(c.add(c.div(this.threePi, theta), c.mul(this.threeHalves, lnTheta)), this.horner(theta, this.c, false));
  }

  /** Φ′(θ) = −3π/θ² + 3/(2θ) + Σ k c_k θ^{k−1}. */
  phiPrime(theta: BigFloat): BigFloat {
    const c = this.ctx;
    const singular = c.div(c.sub(this.threeHalves, c.div(this.threePi, theta)), theta);
    return c.add(singular, this.horner(theta, this.kc, true));
  }

  /** w(θ) = Φ′(θ)/sin θ. */
  w(theta: BigFloat): BigFloat {
    return this.ctx.div(this.phiPrime(theta), this.sin(theta));
  }

  /** Ψ(θ) for 0 < θ ≤ θ_s. */
  psi(theta: BigFloat, lnTheta = this.ln(theta)): BigFloat {
    const c = this.ctx;
    const inv = c.div(c.one, theta);
    const singular = c.mul(c.add(c.mul(c.add(c.mul(c.add(c.mul(this.a4, inv), this.a3), inv), this.a2), inv), this.a1), inv);
    return c.add(c.add(singular, c.mul(this.b, lnTheta)), this.horner(theta, this.d, false));
  }

  /**
   * θ with Φ(θ) = t (t ≥ Φ(θ_s)), by Newton until the step is below 2^−(bits−8) θ; from `guess`,
   * or else from 3π/(t − (3/2) ln(3π/t)).
   */
  inversePhi(t: BigFloat, guess?: BigFloat): BigFloat {
    const c = this.ctx;
    let theta = guess;
    if (theta === undefined) {
      const x = c.div(this.threePi, t);
      theta = c.div(this.threePi, c.sub(t, c.mul(this.threeHalves, this.ln(x))));
    }
    for (let i = 0; i < 60; i++) {
      const step = c.div(c.sub(this.phi(theta), t), this.phiPrime(theta));
      theta = c.sub(theta, step);
      if (c.isZero(step) || step.e + c.bits <= theta.e + 8) return theta;
    }
    throw new RangeError("Newton on Φ did not converge");
  }
}
