/**
 * f_∞ for a normalized kernel from its complement (SPEC §4 applied to §6): deep down every entry
 * of Σ̄ tends to 1, K̄ = J − C (J the matrix of ones, C = 1 − K̄ carried directly by the Gram
 * path) has κ ~ 1/min C, and rounding K̄ itself to float64 already costs log10 κ digits, whatever
 * solver follows. C keeps those digits, and K̄ + δI = J − C′ with C′ = C − δI is inverted by
 * Sherman–Morrison without ever forming K̄:
 *
 *     u = C′⁻¹ 1,  z = C′⁻¹ c_x  (c_x = 1 − k_x, the test point's complement row),
 *     K̄_x-row of weights  w = (K̄ + δI)⁻¹ k_x = z + α u,   α = (1 − 1ᵀz) / (1ᵀu − 1),
 *     det(K̄ + δI) = (−1)^m det C′ · (1 − 1ᵀu)   (matrix determinant lemma, `lemmaDeterminant`).
 *
 * C′ stays well conditioned where K̄ is not (at depth its entries are nearly equal, C ≈ ε(J − I),
 * κ(C) ≈ m), so the digits lost are those of κ(C′) and of the two cancellations, measured per run.
 */
import { lemmaDeterminant } from "../linalg/complement.js";
import { luFactorFloat64, type Determinant, type LinalgOptions } from "../linalg/lu.js";

/** Weights, determinant and error amplification of the complement solve. */
export interface ComplementSolution {
  /** Weight rows (K̄ + δI)⁻¹ k_x, t × m row-major. */
  readonly weights: Float64Array;
  /** det(K̄ + δI) by the determinant lemma. */
  readonly determinant: Determinant;
  /**
   * Error amplification: the weights' relative error (normwise per row) is about this times the
   * relative error of C's entries: κ1(C′) times the cancellations in 1 − 1ᵀz, 1ᵀu − 1 and z + αu,
   * measured from the computed values (first-order bound).
   */
  readonly conditionEstimate: number;
}

/**
 * Solves with K̄ + δI = J − (C − δI) from the complements. `complement` is C = 1 − K̄ (m × m,
 * symmetric, zero diagonal), `testComplement` the rows 1 − k_x (t × m), `ridge` δ. Returns null
 * when C − δI is exactly singular in float64 or 1ᵀu = 1 (the lemma does not apply; solve with K̄).
 */
export async function complementSolve(
  complement: ArrayLike<number>,
  testComplement: ArrayLike<number>,
  ridge: number,
  m: number,
  t: number,
  options: LinalgOptions = {},
): Promise<ComplementSolution | null> {
  const c = Float64Array.from(complement);
  for (let i = 0; i < m; i++) c[i * m + i] -= ridge;
  const lu = await luFactorFloat64(c, m, options);
  if (lu.singular) return null;
  const width = t + 1;
  const rhs = new Float64Array(m * width);
  for (let r = 0; r < m; r++) {
    rhs[r * width] = 1;
    for (let i = 0; i < t; i++) rhs[r * width + 1 + i] = testComplement[i * m + r];
  }
  const sol = await lu.solveAsync(rhs, width);
  let sumU = 0;
  let absU = 0;
  let maxU = 0;
  for (let r = 0; r < m; r++) {
    const x = sol[r * width];
    sumU += x;
    absU += Math.abs(x);
    maxU = Math.max(maxU, Math.abs(x));
  }
  const denominator = sumU - 1;
  if (denominator === 0) return null;
  const kappa = lu.conditionEstimate();
  const weights = new Float64Array(t * m);
  let amplification = 1;
  for (let i = 0; i < t; i++) {
    let sumZ = 0;
    let absZ = 0;
    let maxZ = 0;
    for (let r = 0; r < m; r++) {
      const z = sol[r * width + 1 + i];
      sumZ += z;
      absZ += Math.abs(z);
      maxZ = Math.max(maxZ, Math.abs(z));
    }
    const alpha = (1 - sumZ) / denominator;
    let maxW = 0;
    for (let r = 0; r < m; r++) {
      const w = sol[r * width + 1 + i] + alpha * sol[r * width];
      weights[i * m + r] = w;
      maxW = Math.max(maxW, Math.abs(w));
    }
    // First order, per unit relative error in C′'s entries (each solve contributes κ·‖·‖):
    // δα ≲ κ(Σ|z| + |α| Σ|u|) / |1ᵀu − 1|, δw ≲ κ(max|z| + |α| max|u|) + |δα| max|u|.
    const deltaAlpha = (kappa * (absZ + Math.abs(alpha) * absU)) / Math.abs(denominator);
    const deltaW = kappa * (maxZ + Math.abs(alpha) * maxU) + deltaAlpha * maxU;
    amplification = Math.max(amplification, maxW === 0 ? Infinity : deltaW / maxW);
  }
  return { weights, determinant: lemmaDeterminant(lu.determinant(), sumU, m), conditionEstimate: amplification };
}
