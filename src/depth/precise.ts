/**
 * The Abel function Φ and the NTK sum function Ψ of SPEC §9 at any precision (decimal.js), from
 * their asymptotic series (coefficients to 130 digits in ./seriesTable.ts, derived by
 * scripts/depth_series.py): the high-precision twin of assembly/depthJump.ts's series part.
 *
 *   Φ(θ) = 3π/θ + (3/2) ln θ + Σ c_k θ^k,   Φ(F(θ)) = Φ(θ) + 1
 *   Ψ(θ) = a4/θ⁴ + a3/θ³ + a2/θ² + a1/θ + b ln θ + Σ d_k θ^k,   Ψ(F(θ)) − Ψ(θ) = cos F(θ) w(F(θ))
 *   w(θ) = Φ′(θ)/sin θ
 *
 * The series diverge (|c_k| ~ k!/(6π²)^k beyond k ≈ 65), so they are used below a switch angle
 * θ_s and truncated where the terms fall below the working precision: with |c_k|, |d_k| < 1 for
 * k ≤ 80, K(θ) = ⌈(digits + 3)/(−log10 θ)⌉ terms leave less than 10^−(digits+3). The caller vouches
 * for the truncation by computing again with another switch angle (hence other term counts).
 */
import type { Decimal } from "decimal.js";
import { PHI, PSI, PSI_SINGULAR, SERIES_TABLE_DIGITS } from "./seriesTable.js";

/**
 * Most significant digits the high-precision jump offers: its working precision (this plus
 * guard digits) must stay below the table's 130 digits, and K(θ_s) within the 80 tabulated terms.
 */
export const MAX_JUMP_PRECISION = 80;

/** The switch angle for a run at `digits` working digits: K(θ_s) ≤ 76 tabulated terms. */
export function jumpSwitchAngle(digits: number): number {
  return 10 ** -((digits + 3) / 76);
}

let parsed: { c: Decimal[]; d: Decimal[] } | null = null;

/**
 * The tabulated c_k, d_k as Decimals, parsed once (≈150 strings of 130 digits cost more than a
 * whole jump otherwise). Held at the table's full digits; a sum started in another class rounds
 * to that class's precision, so one parse serves every precision.
 */
function parsedTable(D: typeof Decimal): { c: Decimal[]; d: Decimal[] } {
  if (parsed === null) {
    const Full = D.clone({ precision: SERIES_TABLE_DIGITS });
    parsed = { c: PHI.map((x) => new Full(x)), d: PSI.map((x) => new Full(x)) };
  }
  return parsed;
}

/** Φ, Φ′, Ψ and w at one precision (a Decimal class of `digits` significant digits). */
export class PreciseAbelSeries {
  private readonly c: Decimal[];
  private readonly d: Decimal[];
  private readonly a4: Decimal;
  private readonly a3: Decimal;
  private readonly a2: Decimal;
  private readonly a1: Decimal;
  private readonly b: Decimal;
  private readonly threePi: Decimal;
  /** π in the class's precision. */
  readonly pi: Decimal;

  /** @param D a Decimal class of at most SERIES_TABLE_DIGITS − 5 digits. */
  constructor(
    private readonly D: typeof Decimal,
    private readonly digits: number,
  ) {
    if (digits > SERIES_TABLE_DIGITS - 5) throw new RangeError(`the series table holds ${SERIES_TABLE_DIGITS} digits, ${digits} asked`);
    const t = parsedTable(D);
    this.c = t.c;
    this.d = t.d;
    this.a4 = new D(PSI_SINGULAR.a4);
    this.a3 = new D(PSI_SINGULAR.a3);
    this.a2 = new D(PSI_SINGULAR.a2);
    this.a1 = new D(PSI_SINGULAR.a1);
    this.b = new D(PSI_SINGULAR.b);
    this.pi = D.acos(-1);
    this.threePi = this.pi.times(3);
  }

  /** Terms of the power series needed at θ (≤ the table's length); θ below the float64 range needs none. */
  private terms(theta: Decimal, table: readonly Decimal[]): number {
    const log10 = -Math.log10(theta.toNumber());
    return Math.min(table.length - 1, Math.ceil((this.digits + 3) / Math.max(log10, 1e-9)));
  }

  /** Σ_{k=1}^{K} coef_k θ^k (Horner), or its derivative Σ k coef_k θ^{k−1} when `derivative`. */
  private power(theta: Decimal, table: readonly Decimal[], derivative = false): Decimal {
    const K = this.terms(theta, table);
    let s = new this.D(0);
    for (let k = K; k >= 1; k--) s = derivative ? s.times(theta).plus(table[k]!.times(k)) : s.plus(table[k]!).times(theta);
    return s;
  }

  /** Φ(θ) for 0 < θ ≤ θ_s. */
  phi(theta: Decimal): Decimal {
    return this.threePi.div(theta).plus(theta.ln().times(1.5)).plus(this.power(theta, this.c));
  }

  /** Φ′(θ) = −3π/θ² + 3/(2θ) + Σ k c_k θ^{k−1}. */
  phiPrime(theta: Decimal): Decimal {
    return this.threePi
      .neg()
      .div(theta.times(theta))
      .plus(new this.D(1.5).div(theta))
      .plus(this.power(theta, this.c, true));
  }

  /** w(θ) = Φ′(θ)/sin θ. */
  w(theta: Decimal): Decimal {
    return this.phiPrime(theta).div(theta.sin());
  }

  /** Ψ(θ) for 0 < θ ≤ θ_s. */
  psi(theta: Decimal): Decimal {
    const inv = new this.D(1).div(theta);
    const singular = this.a4.times(inv).plus(this.a3).times(inv).plus(this.a2).times(inv).plus(this.a1).times(inv);
    return singular.plus(this.b.times(theta.ln())).plus(this.power(theta, this.d));
  }

  /** θ with Φ(θ) = t (t ≥ Φ(θ_s)), by Newton from 3π/(t − (3/2) ln(3π/t)) until the step is below 10^−digits θ. */
  inversePhi(t: Decimal): Decimal {
    let theta = this.threePi.div(t.minus(this.threePi.div(t).ln().times(1.5)));
    const tol = new this.D(10).pow(-this.digits);
    for (let i = 0; i < 60; i++) {
      const step = this.phi(theta).minus(t).div(this.phiPrime(theta));
      theta = theta.minus(step);
      if (step.abs().lte(tol.times(theta))) return theta;
    }
    throw new RangeError("Newton on Φ did not converge");
  }
}
