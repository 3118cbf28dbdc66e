/**
 * The gradient-flow filter of SPEC §6: `K^{-1}(I − e^{−ηKt}) = V diag(φ(λ)) Vᵀ` with
 * `φ(λ) = (1 − e^{−sλ}) / λ = −expm1(−sλ) / λ`, `s = ηt` (the time convention is settled before:
 * see settings.ts), in float64 and in decimal.js side by side. `φ(0) = s`, so finite-time
 * predictions stay defined when K is singular; as s → ∞, φ(λ) → 1/λ for λ > 0.
 */
import { checkDecimal, describeValue } from "../argumentTypes.js";
import { NtkError } from "../errors.js";
import type { Decimal } from "decimal.js";

/** Below this |sλ| the float64 filter uses its series: the quotient would be 0/0 at λ = 0. */
const SERIES_BELOW = 1e-8;

/**
 * φ(λ) = (1 − e^{−sλ}) / λ in float64.
 *
 * Domain: finite λ (zero and the tiny negative eigenvalues round-off gives a positive
 * semi-definite matrix included), finite s ≥ 0. Range: φ ≥ 0 for λ ≥ 0, φ(0) = s, φ ≤ s; for
 * λ < 0 the value of the formula (growing like e^{s|λ|}/|λ|, +∞ when that overflows), never
 * clamped: the caller reports a negative eigenvalue instead of hiding it.
 * Accuracy: a few ulps at every λ: `expm1` keeps the small-argument digits, and below
 * |sλ| = 1e-8 the series `s (1 − sλ/2)` (relative truncation error below 1e-16) replaces the
 * quotient. Anything else (NaN, ±∞, s < 0, not a number) is BAD_OPTION.
 */
export function flowFilter(lambda: number, s: number): number {
  if (!Number.isFinite(lambda) || !Number.isFinite(s) || s < 0) {
    throw new NtkError(
      "BAD_OPTION",
      `flowFilter needs a finite eigenvalue λ and a finite flow time s ≥ 0, got λ = ${describeValue(lambda)}, s = ${describeValue(s)}.`,
      {},
    );
  }
  const x = s * lambda;
  if (Math.abs(x) < SERIES_BELOW) return s * (1 - x / 2);
  return -Math.expm1(-x) / lambda;
}

/**
 * φ(λ) in decimal.js, rounded to the precision p of `lambda`'s Decimal class.
 *
 * Domain and range as {@link flowFilter} (any finite λ, s ≥ 0). Accuracy: relative error of a
 * few units in the p-th digit at every λ: for |sλ| < 1/2, `expm1` is summed as its Taylor series
 * (no cancellation; terms until one falls below 10^(−p−2) of the sum), elsewhere `1 − e^{−sλ}`
 * cancels at most 0.41 digits (e^{−1/2} ≈ 0.61).
 */
export function flowFilterPrecise(lambda: Decimal, s: Decimal): Decimal {
  if (!checkDecimal(lambda, "λ").isFinite() || !checkDecimal(s, "s").isFinite() || s.isNegative()) {
    throw new NtkError(
      "BAD_OPTION",
      `flowFilterPrecise needs a finite eigenvalue λ and a finite flow time s ≥ 0, got λ = ${lambda.toString()}, s = ${s.toString()}.`,
      {},
    );
  }
  const D = lambda.constructor as typeof Decimal;
  const x = s.times(lambda);
  if (x.isZero()) return s;
  if (x.abs().lt(0.5)) {
    // 1 − e^{−x} = x − x²/2! + x³/3! − …; divided by λ: s (1 − x/2! + x²/3! − …).
    const tiny = new D(10).pow(-D.precision - 2);
    let term = new D(1);
    let sum = new D(1);
    for (let n = 2; term.abs().gt(tiny); n++) {
      term = term.times(x.neg()).div(n);
      sum = sum.plus(term);
    }
    return s.times(sum);
  }
  return new D(1).minus(x.neg().exp()).div(lambda);
}
