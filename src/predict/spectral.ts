/**
 * Kernel regression from one eigendecomposition of the training kernel (SPEC §6): with
 * K = V diag(λ) Vᵀ, the coefficients at flow time s = ηt are α_s = V diag(φ_s(λ)) Vᵀ Y
 * (φ of flowFilter.ts, φ_∞(λ) = 1/λ) and f_s(x) = K_x α_s. The factorization is computed once and
 * serves every time and every target matrix, and its eigenvalues are the spectrum and the 2-norm
 * condition number of K. Only the coefficients (m × k) are formed, not the t × m weight rows, so a
 * prediction costs O(m² k + t m k) after the O(m³) factorization: what classification with many
 * test points and few classes needs. predictFromKernelsFloat64 (float64.ts) is the path that also
 * returns weight rows, determinants and condition estimates.
 */
import { NtkError } from "../errors.js";
import { symmetricEigenFloat64 } from "../linalg/eigen.js";
import type { LinalgOptions } from "../linalg/lu.js";
import { flowFilter } from "./flowFilter.js";

/** A predictor holding the eigendecomposition of one training kernel. */
export interface SpectralPredictor {
  /** Number of training points m. */
  readonly m: number;
  /** Eigenvalues of K, ascending (float64; each within about m·2⁻⁵³·max|λ| of the exact one). */
  readonly eigenvalues: Float64Array;
  /**
   * κ2(K) = λ_max / λ_min when λ_min > 0; ∞ when K is not positive definite in float64 (λ_min ≤ 0).
   */
  readonly conditionNumber: number;
  /**
   * f_s at the test points (t × k row-major) for `testKernel` K_x (t × m) and `targets` Y (m × k),
   * at flow time s = ηt ≥ 0 (Infinity for t = ∞). Throws SINGULAR_MATRIX at s = ∞ when λ_min ≤ 0.
   * Relative error about κ_s·m·2⁻⁵³ normwise, κ_s = λ_max · max φ_s(λ).
   */
  predict(testKernel: ArrayLike<number>, targets: ArrayLike<number>, k: number, s: number): Float64Array;
}

/**
 * Factorizes the symmetric m × m `trainKernel` (row-major) once. Errors: those of symmetricEigenFloat64
 * (DIMENSION_MISMATCH, NON_FINITE, NO_CONVERGENCE).
 */
export async function spectralPredictor(trainKernel: ArrayLike<number>, m: number, options: LinalgOptions = {}): Promise<SpectralPredictor> {
  const { values, vectors } = await symmetricEigenFloat64(trainKernel, m, options);
  const lambdaMin = values[0];
  const lambdaMax = values[m - 1];
  return {
    m,
    eigenvalues: values,
    conditionNumber: lambdaMin > 0 ? lambdaMax / lambdaMin : Infinity,
    predict(testKernel, targets, k, s) {
      if (!(s >= 0)) throw new NtkError("BAD_OPTION", `the flow time s = ηt must be ≥ 0 or Infinity, got ${s}.`, { s });
      if (s === Infinity && !(lambdaMin > 0)) {
        throw new NtkError("SINGULAR_MATRIX", `K has the eigenvalue ${lambdaMin} ≤ 0 in float64, so f_∞ = K_x K^{-1} Y does not exist; use a finite time.`, {
          lambdaMin,
        });
      }
      const t = testKernel.length / m;
      if (!Number.isInteger(t) || targets.length !== m * k) {
        throw new NtkError("DIMENSION_MISMATCH", `K_x must be t × ${m} and Y ${m} × ${k}, got ${testKernel.length} and ${targets.length} entries.`, { m, k });
      }
      // c = diag(φ) Vᵀ Y (m × k), then α = V c; rows of V are read in order.
      const c = new Float64Array(m * k);
      for (let i = 0; i < m; i++)
        for (let p = 0; p < m; p++) {
          const v = vectors[i * m + p];
          for (let j = 0; j < k; j++) c[p * k + j] += v * targets[i * k + j];
        }
      for (let p = 0; p < m; p++) {
        const phi = s === Infinity ? 1 / values[p] : flowFilter(values[p], s);
        for (let j = 0; j < k; j++) c[p * k + j] *= phi;
      }
      const alpha = new Float64Array(m * k);
      for (let i = 0; i < m; i++)
        for (let p = 0; p < m; p++) {
          const v = vectors[i * m + p];
          for (let j = 0; j < k; j++) alpha[i * k + j] += v * c[p * k + j];
        }
      const out = new Float64Array(t * k);
      for (let i = 0; i < t; i++)
        for (let p = 0; p < m; p++) {
          const kx = testKernel[i * m + p];
          for (let j = 0; j < k; j++) out[i * k + j] += kx * alpha[p * k + j];
        }
      return out;
    },
  };
}
