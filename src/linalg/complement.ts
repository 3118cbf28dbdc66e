/**
 * Determinants of J − C (J the matrix of ones) from an LU of the complement C alone (SPEC §4–5).
 * A normalized Gram matrix K̄ (unit diagonal) deep down has every entry near 1: det K̄ collapses
 * and LU on K̄ itself returns rounding noise, while C = 1 − K̄ is known to full relative accuracy
 * (the Gram path carries it directly). The matrix determinant lemma gives
 *
 *     det(J − C) = det(−C) (1 + 1ᵀ(−C)⁻¹1) = (−1)^m det C · (1 − 1ᵀC⁻¹1),
 *
 * which needs only an LU of C and the one solve u = C⁻¹1. The study's det K̄ and the predictor's
 * det(K̄ + δI) (C − δI in place of C) both go through here. Browser-safe.
 */
import { FLOAT64_DIGITS, luFactorFloat64, type Determinant } from "./lu.js";

/**
 * det(J − C) by the lemma, from det C (as `luFactorFloat64(…).determinant()` reports it) and
 * s = 1ᵀC⁻¹1, for an m × m C. Exact arithmetic on exact inputs; the error is that of det C plus
 * the cancellation in 1 − s, relative error ≈ |s / (1 − s)| times that of s. `signDet` is 0 when
 * det C is 0 or s = 1 exactly; `det` follows `Determinant`'s rules (no silent under- or overflow).
 */
export function lemmaDeterminant(detC: Determinant, s: number, m: number): Determinant {
  const factor = 1 - s;
  const parity = m % 2 === 0 ? 1 : -1;
  const signFactor = factor > 0 ? 1 : factor < 0 ? -1 : 0;
  const signDet = (parity * detC.signDet * signFactor) as -1 | 0 | 1;
  if (signDet === 0) return { det: 0, log10AbsDet: -Infinity, signDet: 0 };
  const log10AbsDet = detC.log10AbsDet + Math.log10(Math.abs(factor));
  // The plain product keeps every bit when it neither under- nor overflows; else go through log10.
  const product = parity * detC.det * factor;
  const det = Number.isFinite(product) && product !== 0 && Math.abs(log10AbsDet) < 300 ? product : signDet * 10 ** log10AbsDet;
  return { det, log10AbsDet, signDet };
}

/** det K̄ from its complement, with how many digits it keeps. */
export interface ComplementDeterminant extends Determinant {
  /**
   * Significant digits the result keeps, estimated as FLOAT64_DIGITS − log10 κ1(E) −
   * log10 max(1, |s / (1 − s)|) with s = 1ᵀE^{-1}1 (the second term is the cancellation in 1 − s),
   * clamped at 0. Assumes E's entries carry their own relative error of a few units of 2^-53.
   */
  readonly digitsKept: number;
}

/**
 * det K̄ = det(J − E) for the m × m row-major complement `oneMinus` = E = 1 − K̄ (zero diagonal).
 * Returns `null` when E is exactly singular in float64 (then the lemma does not apply; for example
 * two equal points, which make K̄ singular as well, or m = 1). Errors as `luFactorFloat64`.
 */
export async function determinantFromComplement(oneMinus: Float64Array, m: number): Promise<ComplementDeterminant | null> {
  const lu = await luFactorFloat64(oneMinus, m);
  if (lu.singular) return null;
  const s = lu.solve(new Float64Array(m).fill(1)).reduce((a, b) => a + b, 0);
  const cancellation = Math.log10(Math.max(1, Math.abs(s / (1 - s))));
  const kept = FLOAT64_DIGITS - Math.log10(lu.conditionEstimate()) - cancellation;
  // 1 − s = 0 (complete cancellation) or a non-finite estimate: no digit is kept.
  const digitsKept = Number.isFinite(kept) ? Math.max(0, kept) : 0;
  return { ...lemmaDeterminant(lu.determinant(), s, m), digitsKept };
}
