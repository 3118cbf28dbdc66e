/**
 * The determinant of a normalized Gram matrix (Σ̄ or Θ̄: unit diagonal) from its complement
 * E = 1 − K̄ (SPEC §4–5). When every entry of K̄ approaches 1, det K̄ collapses and LU on K̄ itself
 * returns rounding noise, while E is known to full relative accuracy (the Gram path carries it
 * directly). With J = 11ᵀ, K̄ = J − E and the matrix determinant lemma gives
 *
 *     det K̄ = det(−E) (1 + 1ᵀ(−E)^{-1} 1) = (−1)^m det E · (1 − 1ᵀE^{-1}1),
 *
 * which needs only an LU of E. Browser-safe.
 */
import { FLOAT64_DIGITS, luFactor, type Determinant } from "../linalg/lu.js";

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
 * det(J − E) for the m × m row-major complement `oneMinus` = E (zero diagonal). Returns `null`
 * when E is exactly singular in float64 (then the lemma does not apply; for example two equal
 * points, which make K̄ singular as well, or m = 1). Errors as `luFactor`.
 */
export async function determinantFromComplement(oneMinus: Float64Array, m: number): Promise<ComplementDeterminant | null> {
  const lu = await luFactor(oneMinus, m);
  if (lu.singular) return null;
  const ones = new Float64Array(m).fill(1);
  const x = lu.solve(ones);
  const s = x.reduce((a, b) => a + b, 0);
  const factor = 1 - s;
  const e = lu.determinant();
  const signFactor = factor > 0 ? 1 : factor < 0 ? -1 : 0;
  const sign = ((m % 2 === 0 ? 1 : -1) * e.signDet * signFactor) as -1 | 0 | 1;
  const log10AbsDet = sign === 0 ? -Infinity : e.log10AbsDet + Math.log10(Math.abs(factor));
  const cancellation = Math.log10(Math.max(1, Math.abs(s / factor)));
  const kept = FLOAT64_DIGITS - Math.log10(lu.conditionEstimate()) - cancellation;
  // 1 − s = 0 (complete cancellation) or a non-finite estimate: no digit is kept.
  const digitsKept = Number.isFinite(kept) ? Math.max(0, kept) : 0;
  return { det: sign * 10 ** log10AbsDet, log10AbsDet, signDet: sign, digitsKept };
}
