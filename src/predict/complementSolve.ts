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
 * One LU factorization of C′ serves every query of a predictor (predictor.ts), and also gives
 * κ1(K̄ + δI) by Hager's estimator with the solves (K̄ + δI)⁻¹x = βu − C′⁻¹x, β = 1ᵀC′⁻¹x / (1ᵀu − 1),
 * without forming K̄.
 */
import { lemmaDeterminant } from "../linalg/complement.js";
import { estimateInverseNorm1, luFactorFloat64, type Determinant, type LinalgOptions, type LuFactorizationFloat64 } from "../linalg/lu.js";

/** Weights and error amplification of the complement solve for some test rows. */
export interface ComplementSolution {
  /** Weight rows (K̄ + δI)⁻¹ k_x, t × m row-major. */
  readonly weights: Float64Array;
  /**
   * Error amplification: the weights' relative error (normwise per row) is about this times the
   * relative error of C's entries: κ1(C′) times the cancellations in 1 − 1ᵀz, 1ᵀu − 1 and z + αu,
   * measured from the computed values (first-order bound).
   */
  readonly conditionEstimate: number;
}

/** The LU factorization of C′ = C − δI with u = C′⁻¹1, kept for any number of test rows. */
export class ComplementFactorization {
  /** det(K̄ + δI) by the determinant lemma. */
  readonly determinant: Determinant;
  /** κ1(C′) (Hager/Higham): the part of the error amplification that does not depend on the test rows. */
  readonly conditionEstimate: number;
  private kernelKappa: number | null = null;

  /** @internal Use {@link complementFactor}. */
  constructor(
    private readonly lu: LuFactorizationFloat64,
    private readonly u: Float64Array,
    private readonly sumU: number,
    private readonly complement: Float64Array,
    private readonly ridge: number,
  ) {
    this.conditionEstimate = lu.conditionEstimate();
    this.determinant = lemmaDeterminant(lu.determinant(), sumU, lu.n);
  }

  /** Weight rows for the test complement rows 1 − k_x (t × m), with their error amplification. */
  async solve(testComplement: ArrayLike<number>, t: number): Promise<ComplementSolution> {
    const m = this.lu.n;
    const rhs = new Float64Array(m * t);
    for (let r = 0; r < m; r++) for (let i = 0; i < t; i++) rhs[r * t + i] = testComplement[i * m + r];
    const sol = await this.lu.solveAsync(rhs, t);
    const u = this.u;
    let absU = 0;
    let maxU = 0;
    for (let r = 0; r < m; r++) {
      absU += Math.abs(u[r]);
      maxU = Math.max(maxU, Math.abs(u[r]));
    }
    const denominator = this.sumU - 1;
    const weights = new Float64Array(t * m);
    let amplification = 1;
    for (let i = 0; i < t; i++) {
      let sumZ = 0;
      let absZ = 0;
      let maxZ = 0;
      for (let r = 0; r < m; r++) {
        const z = sol[r * t + i];
        sumZ += z;
        absZ += Math.abs(z);
        maxZ = Math.max(maxZ, Math.abs(z));
      }
      const alpha = (1 - sumZ) / denominator;
      let maxW = 0;
      for (let r = 0; r < m; r++) {
        const w = sol[r * t + i] + alpha * u[r];
        weights[i * m + r] = w;
        maxW = Math.max(maxW, Math.abs(w));
      }
      // First order, per unit relative error in C′'s entries (each solve contributes κ·‖·‖):
      // δα ≲ κ(Σ|z| + |α| Σ|u|) / |1ᵀu − 1|, δw ≲ κ(max|z| + |α| max|u|) + |δα| max|u|.
      const deltaAlpha = (this.conditionEstimate * (absZ + Math.abs(alpha) * absU)) / Math.abs(denominator);
      const deltaW = this.conditionEstimate * (maxZ + Math.abs(alpha) * maxU) + deltaAlpha * maxU;
      amplification = Math.max(amplification, maxW === 0 ? Infinity : deltaW / maxW);
    }
    return { weights, conditionEstimate: amplification };
  }

  /** κ1(K̄ + δI) = ‖J − C′‖₁ ‖(J − C′)⁻¹‖₁, estimated with solves through C′ (Hager/Higham); ∞ on overflow. */
  kernelConditionEstimate(): number {
    if (this.kernelKappa !== null) return this.kernelKappa;
    const m = this.lu.n;
    let norm = 0;
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += Math.abs(1 - this.complement[i * m + j] + (i === j ? this.ridge : 0));
      norm = Math.max(norm, s);
    }
    const x = new Float64Array(m);
    // K̄ + δI is symmetric: its transposed solves are solves.
    const solve = (): void => {
      const z = this.lu.solve(x);
      let sumZ = 0;
      for (let r = 0; r < m; r++) sumZ += z[r];
      const beta = sumZ / (this.sumU - 1);
      for (let r = 0; r < m; r++) x[r] = beta * this.u[r] - z[r];
    };
    const kappa = estimateInverseNorm1(m, () => x, solve, solve) * norm;
    this.kernelKappa = Number.isNaN(kappa) ? Infinity : kappa;
    return this.kernelKappa;
  }
}

/**
 * Factors C′ = C − δI from `complement` C = 1 − K̄ (m × m, symmetric, zero diagonal) and the ridge
 * δ. Returns null when C′ is exactly singular in float64 or 1ᵀu = 1 (the lemma does not apply;
 * solve with K̄).
 */
export async function complementFactor(
  complement: Float64Array,
  ridge: number,
  m: number,
  options: LinalgOptions = {},
): Promise<ComplementFactorization | null> {
  const c = Float64Array.from(complement);
  for (let i = 0; i < m; i++) c[i * m + i] -= ridge;
  const lu = await luFactorFloat64(c, m, options);
  if (lu.singular) return null;
  const u = lu.solve(new Float64Array(m).fill(1));
  let sumU = 0;
  for (let r = 0; r < m; r++) sumU += u[r];
  if (sumU - 1 === 0) return null;
  return new ComplementFactorization(lu, u, sumU, complement, ridge);
}
