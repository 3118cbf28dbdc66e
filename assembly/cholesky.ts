// Cholesky factorization A = L Lᵀ of a symmetric positive definite matrix (SPEC §6: infinite-time
// predictions), and solves with it. Row-major n × n float64; only the lower triangle is read.
// Method: blocked right-looking, on LU's blocks and kernels (assembly/lu.ts): per panel of NB
// columns, the diagonal block by Cholesky–Crout, then the rows below it (L21 = A21 L11⁻ᵀ, row by
// row), each row's entries also written transposed into the panel's block row above the diagonal,
// so that the trailing update A22 −= L21 L21ᵀ is LU's update A22 −= L21 U12 with U12 = L21ᵀ
// (restricted to blocks that meet the lower triangle). The factored matrix holds L below and on
// the diagonal and Lᵀ above it, which is what LU's blocked solve reads. Every entry is computed in
// the same order whatever the cut into tasks, so the bits do not depend on the number of threads.
import { dot } from "./vector";
import { luPanelWidth, luUpdateBlock, solveColumns, SOLVE_COLS, UPDATE_COLS, UPDATE_ROWS } from "./lu";

/** Rows below the diagonal block per task of the pool (choleskyPanelRows). */
export const CHOLESKY_PANEL_ROWS: i32 = 256;

@inline function row(a: usize, n: i32, i: i32): usize {
  return a + ((<usize>i * <usize>n) << 3);
}

/**
 * Overwrites the row-major n × n matrix at `a` with L on and below the diagonal and Lᵀ above it
 * (A = L Lᵀ). Returns −1 on success, or the first column j whose pivot a_jj − Σ L_jp² is not
 * positive (A is not positive definite in float64; the leading j × j block is). One thread; the
 * pool runs the same steps (choleskyFactorDiagonal, then choleskyPanelRows and luUpdateBlock
 * spread over its workers).
 */
export function choleskyFactor(a: usize, n: i32): i32 {
  const nb = luPanelWidth();
  for (let k: i32 = 0; k < n; k += nb) {
    const failed = choleskyFactorDiagonal(a, n, k);
    if (failed >= 0) return failed;
    const r0 = min(k + nb, n);
    for (let r = r0; r < n; r += CHOLESKY_PANEL_ROWS) choleskyPanelRows(a, n, k, r, min(r + CHOLESKY_PANEL_ROWS, n));
    for (let r = r0; r < n; r += UPDATE_ROWS) {
      const r1 = min(r + UPDATE_ROWS, n);
      for (let c = r0; c < r1; c += UPDATE_COLS) luUpdateBlock(a, n, k, r, r1, c, min(c + UPDATE_COLS, r1));
    }
  }
  return -1;
}

/** Cholesky–Crout of the diagonal block at panel k (its lower triangle updated by the earlier panels); −1 or the failing column. */
export function choleskyFactorDiagonal(a: usize, n: i32, k: i32): i32 {
  const end = min(k + luPanelWidth(), n);
  const kOff = <usize>k << 3;
  for (let j = k; j < end; j++) {
    const rj = row(a, n, j);
    const d = load<f64>(rj + (<usize>j << 3)) - dot(rj + kOff, rj + kOff, j - k);
    // `!(d > 0)` also catches NaN, so failure is reported, never propagated.
    if (!(d > 0.0)) return j;
    const ljj = sqrt<f64>(d);
    store<f64>(rj + (<usize>j << 3), ljj);
    for (let i = j + 1; i < end; i++) {
      const ri = row(a, n, i);
      const o = ri + (<usize>j << 3);
      const l = (load<f64>(o) - dot(ri + kOff, rj + kOff, j - k)) / ljj;
      store<f64>(o, l);
      store<f64>(rj + (<usize>i << 3), l);
    }
  }
  return -1;
}

/** L21 = A21 L11⁻ᵀ on rows r0 … r1 − 1 below the diagonal block of panel k, each entry also stored at its transposed place. */
export function choleskyPanelRows(a: usize, n: i32, k: i32, r0: i32, r1: i32): void {
  const end = min(k + luPanelWidth(), n);
  const kOff = <usize>k << 3;
  for (let r = r0; r < r1; r++) {
    const rr = row(a, n, r);
    for (let j = k; j < end; j++) {
      const rj = row(a, n, j);
      const o = rr + (<usize>j << 3);
      const l = (load<f64>(o) - dot(rr + kOff, rj + kOff, j - k)) / load<f64>(rj + (<usize>j << 3));
      store<f64>(o, l);
      store<f64>(rj + (<usize>r << 3), l);
    }
  }
}

/** Solves L Lᵀ X = B in place for the row-major n × k right-hand sides at `b`, `a` from `choleskyFactor`. */
export function choleskySolve(a: usize, n: i32, b: usize, k: i32): void {
  for (let c: i32 = 0; c < k; c += SOLVE_COLS) choleskySolveColumns(a, n, b, k, c, min(c + SOLVE_COLS, k));
}

/** {@link choleskySolve} for the right-hand-side columns c0 … c1 − 1 (one task of the pool). */
export function choleskySolveColumns(a: usize, n: i32, b: usize, k: i32, c0: i32, c1: i32): void {
  solveColumns(a, n, b, k, c0, c1, false);
}
