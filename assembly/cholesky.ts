// Cholesky factorization A = L Lᵀ of a symmetric positive definite matrix (SPEC §6: infinite-time
// predictions), and solves with it. Row-major n × n float64; only the lower triangle is read.
// Method: blocked right-looking, in panels of CHOLESKY_PANEL columns (one pass over the trailing
// matrix per panel), each panel itself blocked in sub-panels of CHOLESKY_SUB columns: per panel,
// the diagonal block (choleskyFactorDiagonal), then the rows below it (L21 = A21 L11⁻ᵀ,
// choleskyPanelRows), then the trailing update A22 −= L21 L21ᵀ (choleskyUpdateBlock). Within a
// panel, the columns of a sub-panel first subtract the earlier sub-panels' part of their sum as one
// matrix product (gemm.ts's kernel), then are solved row by row with short dot products. Every
// entry L_ij is computed as a fixed sequence: a_ij minus one sum per earlier panel, minus the
// in-panel product, minus the in-sub-panel dot, divided by L_jj; the same whatever the cut into
// tasks, so the bits do not depend on the number of threads. Each entry below the diagonal is
// also written transposed above it, so the factored matrix holds L below and on the diagonal and
// Lᵀ above it: the update's right operand L21ᵀ is then a row-major block row (read in place), and
// that is what LU's blocked solve reads.
import { dot } from "./vector";
import { gemmStrided } from "./gemm";
import { solveColumns, SOLVE_COLS } from "./lu";

/**
 * Columns per panel: each panel makes one pass over the trailing matrix, so wider panels read and
 * write it fewer times, the update's tiles run longer sums per load and store of C, and the pool
 * waits at fewer steps; but the diagonal block, factored while the workers wait, grows as its
 * cube. 192 with update blocks of 128 × 128 took about 10% less CPU time than LU's 48 × (128 × 256)
 * at n = 4 000 and 10 000 (panels of 96 or 256 columns, and 128 × 256 blocks, did no better), and
 * two threads lose less to each other: 1.2× faster at n = 4 000, 1.04–1.13× at n = 10 000.
 */
export const CHOLESKY_PANEL: i32 = 192;
/** Columns per sub-panel: solved row by row with dot products (the rest of a panel's work is matrix products). */
const CHOLESKY_SUB: i32 = 48;
/** Rows below the diagonal block per task of the pool (choleskyPanelRows). */
export const CHOLESKY_PANEL_ROWS: i32 = 256;
/** Rows and columns of one trailing-update block (one task of the pool, choleskyUpdateBlock). */
export const CHOLESKY_UPDATE_ROWS: i32 = 128;
export const CHOLESKY_UPDATE_COLS: i32 = 128;

@inline function at(a: usize, n: i32, i: i32, j: i32): usize {
  return a + ((<usize>i * <usize>n + <usize>j) << 3);
}

/**
 * Overwrites the row-major n × n matrix at `a` with L on and below the diagonal and Lᵀ above it
 * (A = L Lᵀ). Returns −1 on success, or the first column j whose pivot a_jj − Σ L_jp² is not
 * positive (A is not positive definite in float64; the leading j × j block is). One thread; the
 * pool runs the same steps (choleskyFactorDiagonal, then choleskyPanelRows and choleskyUpdateBlock
 * spread over its workers).
 */
export function choleskyFactor(a: usize, n: i32): i32 {
  for (let k: i32 = 0; k < n; k += CHOLESKY_PANEL) {
    const failed = choleskyFactorDiagonal(a, n, k);
    if (failed >= 0) return failed;
    const r0 = min(k + CHOLESKY_PANEL, n);
    for (let r = r0; r < n; r += CHOLESKY_PANEL_ROWS) choleskyPanelRows(a, n, k, r, min(r + CHOLESKY_PANEL_ROWS, n));
    for (let r = r0; r < n; r += CHOLESKY_UPDATE_ROWS) {
      const r1 = min(r + CHOLESKY_UPDATE_ROWS, n);
      for (let c = r0; c < r1; c += CHOLESKY_UPDATE_COLS) choleskyUpdateBlock(a, n, k, r, r1, c, min(c + CHOLESKY_UPDATE_COLS, r1));
    }
  }
  return -1;
}

/** Factors the diagonal block of the panel at k (its lower triangle updated by the earlier panels); −1 or the failing column. */
export function choleskyFactorDiagonal(a: usize, n: i32, k: i32): i32 {
  const end = min(k + CHOLESKY_PANEL, n);
  for (let j0 = k; j0 < end; j0 += CHOLESKY_SUB) {
    const j1 = min(j0 + CHOLESKY_SUB, end);
    subtractPanelPrefix(a, n, k, j0, j1, j0, end);
    // Cholesky–Crout of the sub-panel, column by column down to the panel's end.
    for (let j = j0; j < j1; j++) {
      const rj = at(a, n, j, 0);
      const o = rj + (<usize>j << 3);
      const d = load<f64>(o) - dot(rj + (<usize>j0 << 3), rj + (<usize>j0 << 3), j - j0);
      // `!(d > 0)` also catches NaN, so failure is reported, never propagated.
      if (!(d > 0.0)) return j;
      store<f64>(o, sqrt<f64>(d));
      solveRows(a, n, j0, j, j + 1, end);
    }
  }
  return -1;
}

/** L21 = A21 L11⁻ᵀ on rows r0 … r1 − 1 below the diagonal block of the panel at k, each entry also stored at its transposed place. */
export function choleskyPanelRows(a: usize, n: i32, k: i32, r0: i32, r1: i32): void {
  const end = min(k + CHOLESKY_PANEL, n);
  for (let j0 = k; j0 < end; j0 += CHOLESKY_SUB) {
    const j1 = min(j0 + CHOLESKY_SUB, end);
    subtractPanelPrefix(a, n, k, j0, j1, r0, r1);
    for (let j = j0; j < j1; j++) solveRows(a, n, j0, j, r0, r1);
  }
}

/**
 * A22 −= L21 L21ᵀ on rows r0 … r1 − 1, columns c0 … c1 − 1 of the trailing matrix after the panel
 * at k, skipping 4-row strips' columns right of the diagonal (their values are overwritten by Lᵀ).
 */
export function choleskyUpdateBlock(a: usize, n: i32, k: i32, r0: i32, r1: i32, c0: i32, c1: i32): void {
  const w = min(CHOLESKY_PANEL, n - k);
  if (c1 <= r0 + 1) {
    gemmStrided(at(a, n, r0, c0), n, at(a, n, r0, k), n, 1, at(a, n, k, c0), n, r1 - r0, w, c1 - c0, -1.0, 1.0);
    return;
  }
  // A block across the diagonal: 4 rows at a time (gemm's tile height), columns up to the strip's last row.
  for (let i = r0; i < r1; i += 4) {
    const rows = min(4, r1 - i);
    const cEnd = min(c1, i + rows);
    if (cEnd > c0) gemmStrided(at(a, n, i, c0), n, at(a, n, i, k), n, 1, at(a, n, k, c0), n, rows, w, cEnd - c0, -1.0, 1.0);
  }
}

// Columns j0 … j1 − 1 (a sub-panel of the panel at k) on rows r0 … r1 − 1 −= their sum over the
// panel's earlier columns k … j0 − 1, as one product: C −= L(rows, k … j0) · Lᵀ(k … j0, j0 … j1),
// the right operand read from the transposed copies above the diagonal. Nothing for the first sub-panel.
@inline function subtractPanelPrefix(a: usize, n: i32, k: i32, j0: i32, j1: i32, r0: i32, r1: i32): void {
  if (j0 > k && r1 > r0) gemmStrided(at(a, n, r0, j0), n, at(a, n, r0, k), n, 1, at(a, n, k, j0), n, r1 - r0, j0 - k, j1 - j0, -1.0, 1.0);
}

// L_rj = (a_rj − Σ_{j0 ≤ p < j} L_rp L_jp) / L_jj for rows r0 … r1 − 1 (one column j of the sub-panel
// starting at j0), also stored at (j, r).
@inline function solveRows(a: usize, n: i32, j0: i32, j: i32, r0: i32, r1: i32): void {
  const rj = at(a, n, j, 0);
  const ljj = load<f64>(rj + (<usize>j << 3));
  const off = <usize>j0 << 3;
  for (let r = r0; r < r1; r++) {
    const rr = at(a, n, r, 0);
    const o = rr + (<usize>j << 3);
    const l = (load<f64>(o) - dot(rr + off, rj + off, j - j0)) / ljj;
    store<f64>(o, l);
    store<f64>(rj + (<usize>r << 3), l);
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
