/**
 * Symmetric eigendecomposition in decimal.js: cyclic Jacobi rotations at the working precision of
 * the given Decimal class. The high-precision counterpart of `linalg/eigen.ts`; used for
 * finite-time predictions (SPEC §6), where `K = V diag(λ) Vᵀ` is needed at dozens of digits.
 */
import type { Decimal } from "decimal.js";
import { NtkError } from "../errors.js";
import { ProgressTicker, type ProgressOptions } from "../progress.js";
import { symmetricEigenFloat64 } from "./eigen.js";
import { multiplyPrecise } from "./dense.js";
import { checkPreciseSquare } from "./preciseLu.js";
import { checkDecimalClass, checkOptionalObject } from "../argumentTypes.js";

/** Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix. */
export interface SymmetricEigenPrecise {
  /** Order n of the matrix. */
  readonly n: number;
  /** Eigenvalues λ_1 ≤ … ≤ λ_n. */
  readonly values: Decimal[];
  /** Eigenvectors, row-major n × n: column j (entries `vectors[i * n + j]`) belongs to `values[j]`. */
  readonly vectors: Decimal[];
  /** Number of Jacobi sweeps taken. */
  readonly sweeps: number;
}

/** Sweeps allowed before giving up; cyclic Jacobi converges quadratically (about 10 sweeps from the identity at 40 digits). */
const MAX_SWEEPS = 60;

/**
 * Eigendecomposition of the symmetric n × n matrix `a` (row-major; only symmetry to the working
 * precision is assumed, the upper triangle is used) by cyclic threshold Jacobi rotations in the
 * Decimal class `D` (its precision is the working precision p), started from float64's
 * eigenvectors made orthonormal at precision p (n ≥ 3).
 *
 * Accuracy: backward stable: the result is the exact decomposition of a symmetric matrix within
 * about n·10^(1−p)·‖A‖ of `a`, so each eigenvalue is within that absolute distance of the true one
 * and eigenvectors of well separated eigenvalues are accurate to about n·10^(1−p)‖A‖ / gap.
 * Convergence: stops when every off-diagonal entry is below 10^(−p)·‖A‖_F. Throws `NO_CONVERGENCE` if
 * that does not happen in 60 sweeps (never observed: convergence is quadratic), `ABORTED` through
 * the signal, `DIMENSION_MISMATCH` when `a` does not hold n × n entries (n ≥ 1), `NON_FINITE` for a NaN or
 * ±∞ entry (which would otherwise run all 60 sweeps and report NO_CONVERGENCE). Cost: about 6n³ Decimal
 * multiplications for the head start and 6n³ per sweep; 2–3 sweeps from the head start (about 10
 * from the identity), e.g. 2 sweeps at n = 40, p = 42.
 */
export async function symmetricEigenPrecise(
  D: typeof Decimal,
  a: readonly Decimal[],
  n: number,
  options: ProgressOptions = {},
): Promise<SymmetricEigenPrecise> {
  checkDecimalClass(D);
  checkPreciseSquare(a, n, "matrix");
  checkOptionalObject(options, "options");
  let A: Decimal[] = a.map((x) => new D(x));
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i * n + j] = A[j * n + i];
  let V: Decimal[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) V.push(new D(i === j ? 1 : 0));
  const start = await float64Start(D, A, n);
  if (start !== null) {
    // Rotating to float64's eigenvectors first leaves off-diagonal entries of order 1e-16‖A‖,
    // which Jacobi's quadratic convergence removes in 2–3 sweeps instead of ~10.
    A = start.rotated;
    V = start.basis;
  }
  let norm2 = new D(0);
  for (const x of A) norm2 = norm2.plus(x.times(x));
  const tol = norm2.sqrt().times(new D(10).pow(-D.precision));
  const ticker = new ProgressTicker(options, MAX_SWEEPS * Math.max(1, (n * (n - 1)) / 2), 8, `eigendecomposition (Jacobi, ${D.precision} digits)`);
  let sweeps = 0;
  let done = 0;
  for (; sweeps < MAX_SWEEPS; sweeps++) {
    let largest = new D(0);
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) if (A[p * n + q].abs().gt(largest)) largest = A[p * n + q].abs();
    if (largest.lte(tol)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        // Threshold Jacobi: an entry already below the final tolerance is left for good.
        if (A[p * n + q].abs().gt(tol)) rotate(D, A, V, n, p, q);
        const wait = ticker.tick(++done);
        if (wait) await wait;
      }
    }
  }
  if (sweeps === MAX_SWEEPS) {
    throw new NtkError(
      "NO_CONVERGENCE",
      `Jacobi eigendecomposition did not converge in ${MAX_SWEEPS} sweeps at ${D.precision} digits; the matrix may not be symmetric.`,
      { n },
    );
  }
  ticker.finish();
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => A[i * n + i].comparedTo(A[j * n + j]));
  const values = order.map((i) => A[i * n + i]);
  const vectors: Decimal[] = new Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) vectors[r * n + c] = V[r * n + order[c]];
  return { n, values, vectors, sweeps };
}

/** One Jacobi rotation zeroing A[p][q] (Golub & Van Loan, Algorithm 8.5.1, symmetric Schur). */
function rotate(D: typeof Decimal, A: Decimal[], V: Decimal[], n: number, p: number, q: number): void {
  const apq = A[p * n + q];
  const tau = A[q * n + q].minus(A[p * n + p]).div(apq.times(2));
  // The smaller root of t² + 2τt − 1 = 0 keeps the rotation angle ≤ π/4 (stability).
  const t = (tau.gte(0) ? new D(1) : new D(-1)).div(tau.abs().plus(tau.times(tau).plus(1).sqrt()));
  const c = new D(1).div(t.times(t).plus(1).sqrt());
  const s = t.times(c);
  for (let k = 0; k < n; k++) {
    const akp = A[k * n + p];
    const akq = A[k * n + q];
    A[k * n + p] = c.times(akp).minus(s.times(akq));
    A[k * n + q] = s.times(akp).plus(c.times(akq));
  }
  for (let k = 0; k < n; k++) {
    const apk = A[p * n + k];
    const aqk = A[q * n + k];
    A[p * n + k] = c.times(apk).minus(s.times(aqk));
    A[q * n + k] = s.times(apk).plus(c.times(aqk));
  }
  A[p * n + q] = new D(0);
  A[q * n + p] = new D(0);
  for (let k = 0; k < n; k++) {
    const vkp = V[k * n + p];
    const vkq = V[k * n + q];
    V[k * n + p] = c.times(vkp).minus(s.times(vkq));
    V[k * n + q] = s.times(vkp).plus(c.times(vkq));
  }
}

/**
 * A float64 head start: the eigenvectors of `A` rounded to float64 (WebAssembly, linalg/eigen.ts),
 * made orthonormal at the working precision (modified Gram–Schmidt, twice, so that ‖QᵀQ − I‖ is at
 * the rounding level), and QᵀAQ. Exact similarity: the Jacobi sweeps that follow decide the
 * accuracy, as without it. Null (start from the identity) for n < 3 or when the scaled entries do not
 * all survive the trip to float64 (the scale is taken out first, so only a matrix with entries
 * spanning more than the float64 range is refused).
 */
async function float64Start(D: typeof Decimal, A: readonly Decimal[], n: number): Promise<{ rotated: Decimal[]; basis: Decimal[] } | null> {
  if (n < 3) return null;
  const scale = A.reduce((s, x) => D.max(s, x.abs()), new D(0));
  if (scale.isZero()) return null;
  const a64 = Float64Array.from(A, (x) => x.div(scale).toNumber());
  if (a64.some((x) => !Number.isFinite(x))) return null;
  let vectors: Float64Array;
  try {
    ({ vectors } = await symmetricEigenFloat64(a64, n));
  } catch {
    return null; // e.g. WASM memory: the head start is an optimization, Jacobi alone still converges
  }
  const Q = Array.from(vectors, (x) => new D(x));
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < j; k++) {
        let dot = new D(0);
        for (let i = 0; i < n; i++) dot = dot.plus(Q[i * n + k].times(Q[i * n + j]));
        for (let i = 0; i < n; i++) Q[i * n + j] = Q[i * n + j].minus(dot.times(Q[i * n + k]));
      }
      let norm = new D(0);
      for (let i = 0; i < n; i++) norm = norm.plus(Q[i * n + j].times(Q[i * n + j]));
      norm = norm.sqrt();
      for (let i = 0; i < n; i++) Q[i * n + j] = Q[i * n + j].div(norm);
    }
  }
  // QᵀAQ, symmetric by construction: compute the upper triangle and mirror it.
  const AQ = multiplyPrecise(D, A, Q, n, n, n);
  const rotated: Decimal[] = new Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let acc = new D(0);
      for (let k = 0; k < n; k++) acc = acc.plus(Q[k * n + i].times(AQ[k * n + j]));
      rotated[i * n + j] = acc;
      rotated[j * n + i] = acc;
    }
  }
  return { rotated, basis: Q };
}
