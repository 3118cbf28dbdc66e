/**
 * Symmetric eigendecomposition K = V diag(λ) Vᵀ in float64 (WebAssembly, cyclic Jacobi), for
 * finite-time predictions (SPEC §6). The high-precision counterpart is `preciseEigen.ts`; both
 * use the same layout.
 */
import { NtkError } from "../errors.js";
import { loadWasmEngine } from "../wasm/engine.js";
import { checkFiniteEntries, checkSquareShape, largestOrderFitting, type LinalgOptions } from "./lu.js";

/** Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric float64 matrix. */
export interface SymmetricEigen {
  /** Order n of the matrix. */
  readonly n: number;
  /** Eigenvalues λ_1 ≤ … ≤ λ_n. */
  readonly values: Float64Array;
  /** Eigenvectors, row-major n × n: column j (entries `vectors[i * n + j]`) belongs to `values[j]`. */
  readonly vectors: Float64Array;
  /** Jacobi sweeps taken. */
  readonly sweeps: number;
}

/** Options of {@link symmetricEigen}. */
export interface SymmetricEigenOptions extends LinalgOptions {
  /** Jacobi sweeps allowed before NO_CONVERGENCE (integer ≥ 1, default 60; 6–10 are typical). */
  readonly maxSweeps?: number;
}

interface EigenExports {
  symmetricEigen(a: number, n: number, w: number, maxSweeps: number): number;
}

/**
 * Eigenvalues and eigenvectors of the symmetric row-major n × n matrix `a` (not modified; its upper
 * triangle is used, the lower one is taken to mirror it), by cyclic Jacobi rotations in WebAssembly.
 *
 * Accuracy: backward stable: each λ̂_i is within about c·n·u·‖A‖₂ of the true λ_i (u = 2⁻⁵³, c a
 * small constant), eigenvectors are orthonormal to about n·u and an eigenvector of an eigenvalue
 * separated by `gap` from the rest is accurate to about n·u·‖A‖₂ / gap. For positive definite
 * matrices with graded scaling Jacobi also gives small eigenvalues to high relative accuracy.
 * Cost: about 6n³ flops per sweep, 6–10 sweeps.
 * Errors: DIMENSION_MISMATCH, NON_FINITE, WASM_MEMORY_EXHAUSTED as `luFactor`; BAD_OPTION for a
 * `maxSweeps` that is not a positive integer; NO_CONVERGENCE when the sweeps run out.
 */
export async function symmetricEigen(a: ArrayLike<number>, n: number, options: SymmetricEigenOptions = {}): Promise<SymmetricEigen> {
  const maxSweeps = options.maxSweeps ?? 60;
  if (!Number.isInteger(maxSweeps) || maxSweeps < 1) {
    throw new NtkError("BAD_OPTION", `maxSweeps must be a positive integer, got ${maxSweeps}.`, { maxSweeps });
  }
  checkSquareShape(a, n);
  const engine = await loadWasmEngine(options.variant);
  const [ap, wp] = engine.reserve([n * n, n * n], `the eigendecomposition of a ${n} × ${n} matrix`, (bytes) => `At most n = ${largestOrderFitting(bytes / 2, 0)} fits.`);
  checkFiniteEntries(a, n);
  engine.f64(ap, n * n).set(a);
  const sweeps = (engine.exports as unknown as EigenExports).symmetricEigen(ap, n, wp, maxSweeps);
  if (sweeps < 0) {
    throw new NtkError("NO_CONVERGENCE", `Jacobi eigendecomposition of the ${n} × ${n} matrix did not converge in ${maxSweeps} sweeps. Allow more sweeps (maxSweeps).`, { n, maxSweeps });
  }
  const diag = engine.f64(ap, n * n);
  const w = engine.f64(wp, n * n);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => diag[i * n + i] - diag[j * n + j]);
  const values = Float64Array.from(order, (i) => diag[i * n + i]);
  const vectors = new Float64Array(n * n);
  order.forEach((src, j) => {
    for (let i = 0; i < n; i++) vectors[i * n + j] = w[src * n + i];
  });
  return { n, values, vectors, sweeps };
}
