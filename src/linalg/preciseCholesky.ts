/**
 * Cholesky factorization A = L Lᵀ of a symmetric positive definite matrix in decimal.js: the
 * high-precision twin of `cholesky.ts` (the t = ∞ predictor, SPEC §6), kept for any number of
 * solves. Row-major arrays of Decimal; only the lower triangle of A is read.
 */
import type { Decimal } from "decimal.js";
import type { Steps } from "../progress.js";
import { checkPreciseSquare } from "./preciseLu.js";

/** A = L Lᵀ at one working precision. */
export interface PreciseCholesky {
  /** Order n ≥ 1. */
  readonly n: number;
  /** L, row-major n × n, lower triangular with positive diagonal (zeros above it). */
  readonly lower: Decimal[];
}

/** Multiply-adds of {@link preciseCholeskyFactorSteps} on an n × n matrix: Σ_j j (n − j) ≈ n³/6. */
export function choleskyFactorWork(n: number): number {
  return ((n - 1) * n * (n + 1)) / 6;
}

/**
 * L with A = L Lᵀ in the Decimal class `D` (its precision p is the working precision), or null when
 * a pivot is ≤ 0 at that precision (A not positive definite, or too close to singular for p
 * digits): the caller then falls back to LU. Backward stable without pivoting (the factors are
 * exact for a matrix within about n·10^(1−p)·max|a_ii| of A). Cost n³/6 multiply-adds and n square
 * roots, yielding the multiply-adds done after each column (run with runSteps). Throws `DIMENSION_MISMATCH`, `NON_FINITE` (through `checkPreciseSquare`).
 */
export function* preciseCholeskyFactorSteps(D: typeof Decimal, a: readonly Decimal[], n: number): Steps<PreciseCholesky | null> {
  checkPreciseSquare(a, n, "matrix");
  let work = 0;
  const l: Decimal[] = Array.from({ length: n * n }, () => new D(0));
  for (let j = 0; j < n; j++) {
    let d = new D(a[j * n + j]);
    for (let p = 0; p < j; p++) d = d.minus(l[j * n + p].times(l[j * n + p]));
    if (!d.gt(0)) return null;
    const ljj = d.sqrt();
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = new D(a[i * n + j]);
      for (let p = 0; p < j; p++) s = s.minus(l[i * n + p].times(l[j * n + p]));
      l[i * n + j] = s.div(ljj);
    }
    work += j * (n - j);
    yield work;
  }
  return { n, lower: l };
}

/** Solves A X = B with A = L Lᵀ for the row-major n × k right-hand sides `b`, in `D` (forward, then back substitution). */
export function preciseCholeskySolve(D: typeof Decimal, c: PreciseCholesky, b: readonly Decimal[], k: number): Decimal[] {
  const { n, lower: l } = c;
  const x = b.map((v) => new D(v));
  for (let col = 0; col < k; col++) {
    for (let i = 0; i < n; i++) {
      let s = x[i * k + col];
      for (let p = 0; p < i; p++) s = s.minus(l[i * n + p].times(x[p * k + col]));
      x[i * k + col] = s.div(l[i * n + i]);
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i * k + col];
      for (let p = i + 1; p < n; p++) s = s.minus(l[p * n + i].times(x[p * k + col]));
      x[i * k + col] = s.div(l[i * n + i]);
    }
  }
  return x;
}
