/**
 * Symmetric eigendecomposition K = V diag(λ) Vᵀ in float64 (WebAssembly: Householder
 * tridiagonalization and implicit QR with Wilkinson shifts), for
 * finite-time predictions (SPEC §6). The high-precision counterpart is `preciseEigen.ts`; both
 * use the same layout.
 */
import { NtkError } from "../errors.js";
import { loadWasmEngine } from "../wasm/engine.js";
import { checkFiniteEntries, checkSquareShape, largestOrderFitting, type LinalgOptions } from "./lu.js";

/** Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric float64 matrix. */
export interface SymmetricEigenFloat64 {
  /** Order n of the matrix. */
  readonly n: number;
  /** Eigenvalues λ_1 ≤ … ≤ λ_n. */
  readonly values: Float64Array;
  /** Eigenvectors, row-major n × n: column j (entries `vectors[i * n + j]`) belongs to `values[j]`. */
  readonly vectors: Float64Array;
  /** Implicit QR steps taken (about 2 per eigenvalue). */
  readonly qrSteps: number;
}

/** Options of {@link symmetricEigenFloat64}. */
export interface SymmetricEigenOptions extends LinalgOptions {
  /** QR steps allowed before NO_CONVERGENCE (integer ≥ 1, default 30n; about 2n are typical). */
  readonly maxQrSteps?: number;
}

interface EigenExports {
  symmetricEigenFloat64(a: number, n: number, w: number, work: number, maxSteps: number): number;
}

/**
 * Eigenvalues and eigenvectors of the symmetric row-major n × n matrix `a` (not modified; its upper
 * triangle is used, the lower one is taken to mirror it), in WebAssembly: Householder reduction to
 * tridiagonal form, then implicit symmetric QR steps with Wilkinson shifts (Golub & Van Loan §8.3).
 *
 * Accuracy: backward stable: each λ̂_i is within about c·n·u·‖A‖₂ of the true λ_i (u = 2⁻⁵³, c a
 * small constant; plus n·2.2e-308 when entries are near the underflow threshold), eigenvectors are orthonormal to about n·u and an eigenvector of an eigenvalue
 * separated by `gap` from the rest is accurate to about n·u·‖A‖₂ / gap. Eigenvalues much smaller
 * than u·‖A‖ are therefore noise of that size (use the high-precision path, `preciseEigen.ts`, for
 * them). Cost: about 9n³ flops.
 * Errors: DIMENSION_MISMATCH, NON_FINITE, WASM_MEMORY_EXHAUSTED as `luFactorFloat64`; BAD_OPTION for a
 * `maxQrSteps` that is not a positive integer; NO_CONVERGENCE when the QR steps run out (never
 * observed with the default).
 */
export async function symmetricEigenFloat64(a: ArrayLike<number>, n: number, options: SymmetricEigenOptions = {}): Promise<SymmetricEigenFloat64> {
  checkSquareShape(a, n);
  const maxQrSteps = options.maxQrSteps ?? 30 * n;
  if (!Number.isInteger(maxQrSteps) || maxQrSteps < 1) {
    throw new NtkError("BAD_OPTION", `maxQrSteps must be a positive integer, got ${maxQrSteps}.`, { maxQrSteps });
  }
  const engine = await loadWasmEngine(options.variant);
  const [ap, wp, work] = engine.reserve(
    [n * n, n * n, 4 * n],
    `the eigendecomposition of a ${n} × ${n} matrix`,
    (bytes) => `At most n = ${largestOrderFitting(bytes / 2, 2)} fits.`,
  );
  checkFiniteEntries(a, n);
  engine.f64(ap, n * n).set(a);
  const qrSteps = (engine.exports as unknown as EigenExports).symmetricEigenFloat64(ap, n, wp, work, maxQrSteps);
  if (qrSteps < 0) {
    throw new NtkError(
      "NO_CONVERGENCE",
      `The symmetric QR iteration for the ${n} × ${n} matrix did not converge in ${maxQrSteps} steps. Allow more steps (maxQrSteps).`,
      { n, maxQrSteps },
    );
  }
  const lambda = engine.f64(work, n);
  const w = engine.f64(wp, n * n);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => lambda[i] - lambda[j]);
  const values = Float64Array.from(order, (i) => lambda[i]);
  const vectors = new Float64Array(n * n);
  order.forEach((src, j) => {
    for (let i = 0; i < n; i++) vectors[i * n + j] = w[src * n + i];
  });
  return { n, values, vectors, qrSteps };
}
