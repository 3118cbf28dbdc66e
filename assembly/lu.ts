// LU factorization with partial pivoting, PA = LU (SPEC §5), and solves with its factors.
// Layout: row-major n × n float64 matrices, entry (i, j) at byte a + 8 (i n + j); pivots are i32.
// Method: blocked right-looking LU (LAPACK dgetrf's order of operations): factor a panel of NB
// columns with row interchanges, solve for the block row of U, then update the trailing matrix
// with gemm.ts's register-tiled 4 × 4 kernel, block by block (UPDATE_ROWS × UPDATE_COLS). The block-row
// solve and the trailing update are cut into tasks (column ranges, blocks) that the thread pool
// runs in parallel; every entry is computed in the same order whatever the cut (an entry of the
// update is c − Σ_p l_p u_p, the sum taken over p in order), so the bits do not depend on the
// number of threads. The solves with many right-hand sides are blocked the same way.

import { gemmStrided } from "./gemm";

/** Panel width: small enough that the panel and one packed U tile stay in cache. */
const NB: i32 = 48;

/** Rows and columns of one trailing-update block (one task of the pool). */
export const UPDATE_ROWS: i32 = 128;
export const UPDATE_COLS: i32 = 256;
/** Columns of the block row of U per task of the pool (a multiple of gemm's 4-column tile). */
export const BLOCK_ROW_COLS: i32 = 512;
/** Depth of one chunk of the GEMM kernel: a chunk of B (GEMM_DEPTH × 64 columns) is 128 KB. */
const GEMM_DEPTH: i32 = 256;
/** Rows per block of the blocked triangular solves. */
const SOLVE_ROWS: i32 = 64;
/** Right-hand-side columns per task of the pool's solves. */
export const SOLVE_COLS: i32 = 64;

/** The panel width NB (columns factored together). */
export function luPanelWidth(): i32 {
  return NB;
}

@inline function at(a: usize, n: i32, i: i32, j: i32): usize {
  return a + ((<usize>i * <usize>n + <usize>j) << 3);
}

/**
 * Factors the row-major n × n matrix at `a` in place into unit lower L (below the diagonal) and U
 * (on and above it). `piv[j]` (i32) is the row swapped with row j at step j. Returns the first
 * column whose pivot is exactly zero, or −1; like dgetrf it continues past a zero pivot, so U is
 * complete either way. One thread; the pool runs the same steps (luFactorPanel, luBlockRow,
 * luUpdateBlock) with the last two spread over its workers.
 */
export function luFactorFloat64(a: usize, n: i32, piv: usize): i32 {
  let firstZero: i32 = -1;
  for (let k: i32 = 0; k < n; k += NB) {
    const nb = min(NB, n - k);
    const z = luFactorPanel(a, n, k, piv);
    if (z >= 0 && firstZero < 0) firstZero = z;
    const c0 = k + nb;
    for (let c = c0; c < n; c += BLOCK_ROW_COLS) luBlockRow(a, n, k, c, min(c + BLOCK_ROW_COLS, n));
    for (let r = c0; r < n; r += UPDATE_ROWS) {
      for (let c = c0; c < n; c += UPDATE_COLS) luUpdateBlock(a, n, k, r, min(r + UPDATE_ROWS, n), c, min(c + UPDATE_COLS, n));
    }
  }
  return firstZero;
}

/** Factors the panel of columns k … k + NB − 1 (rows k … n − 1), swapping whole rows; returns its first zero pivot column or −1. */
export function luFactorPanel(a: usize, n: i32, k: i32, piv: usize): i32 {
  return factorPanel(a, n, k, min(NB, n - k), piv);
}

// Unblocked LU of columns k … k+nb−1, rows k … n−1, swapping whole rows (which is what dgetrf's
// dlaswp calls on the left and right blocks amount to).
function factorPanel(a: usize, n: i32, k: i32, nb: i32, piv: usize): i32 {
  let firstZero: i32 = -1;
  const end = k + nb;
  for (let j = k; j < end; j++) {
    let p = j;
    let best = abs<f64>(load<f64>(at(a, n, j, j)));
    for (let i = j + 1; i < n; i++) {
      const v = abs<f64>(load<f64>(at(a, n, i, j)));
      if (v > best) {
        best = v;
        p = i;
      }
    }
    store<i32>(piv + (<usize>j << 2), p);
    if (p != j) swapRows(a, n, j, p);
    const pivot = load<f64>(at(a, n, j, j));
    if (pivot == 0.0) {
      // The column is zero on and below the diagonal: nothing to eliminate.
      if (firstZero < 0) firstZero = j;
      continue;
    }
    const rowJ = at(a, n, j, 0);
    for (let i = j + 1; i < n; i++) {
      const rowI = at(a, n, i, 0);
      // Division, not multiplication by 1/pivot, so tiny pivots lose nothing to underflow.
      const l = load<f64>(rowI + (<usize>j << 3)) / pivot;
      store<f64>(rowI + (<usize>j << 3), l);
      if (l != 0.0) {
        for (let c = j + 1; c < end; c++) {
          const o = <usize>c << 3;
          store<f64>(rowI + o, load<f64>(rowI + o) - l * load<f64>(rowJ + o));
        }
      }
    }
  }
  return firstZero;
}

function swapRows(a: usize, n: i32, r: i32, s: i32): void {
  const x = at(a, n, r, 0);
  const y = at(a, n, s, 0);
  let c: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    for (; c + 2 <= n; c += 2) {
      const o = <usize>c << 3;
      const t = v128.load(x + o);
      v128.store(x + o, v128.load(y + o));
      v128.store(y + o, t);
    }
  }
  for (; c < n; c++) {
    const o = <usize>c << 3;
    const t = load<f64>(x + o);
    store<f64>(x + o, load<f64>(y + o));
    store<f64>(y + o, t);
  }
}

/** dst[0 … len) −= s · src[0 … len), contiguous float64. */
@inline function axpyNeg(dst: usize, src: usize, s: f64, len: i32): void {
  let c: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    const sv = f64x2.splat(s);
    for (; c + 2 <= len; c += 2) {
      const o = <usize>c << 3;
      v128.store(dst + o, f64x2.sub(v128.load(dst + o), f64x2.mul(sv, v128.load(src + o))));
    }
  }
  for (; c < len; c++) {
    const o = <usize>c << 3;
    store<f64>(dst + o, load<f64>(dst + o) - s * load<f64>(src + o));
  }
}

/** U12 = L11⁻¹ A12 for the block row k … k + NB − 1, columns c0 … c1 − 1 (unit lower triangular L11). */
export function luBlockRow(a: usize, n: i32, k: i32, c0: i32, c1: i32): void {
  const nb = min(NB, n - k);
  const len = c1 - c0;
  for (let i = 1; i < nb; i++) {
    const rowI = at(a, n, k + i, 0);
    for (let p = 0; p < i; p++) {
      const l = load<f64>(rowI + (<usize>(k + p) << 3));
      if (l != 0.0) axpyNeg(rowI + (<usize>c0 << 3), at(a, n, k + p, c0), l, len);
    }
  }
}

/** A22 −= L21 U12 on rows r0 … r1 − 1, columns c0 … c1 − 1 of the trailing matrix after the panel at k. */
export function luUpdateBlock(a: usize, n: i32, k: i32, r0: i32, r1: i32, c0: i32, c1: i32): void {
  const nb = min(NB, n - k);
  gemmSubtract(at(a, n, r0, c0), n, at(a, n, r0, k), n, at(a, n, k, c0), n, r1 - r0, c1 - c0, nb);
}

/**
 * C −= A B for row-major C (rows × cols, row stride ldc), A (rows × depth, stride lda) and
 * B (depth × cols, stride ldb), strides in float64. Each entry is c − Σ_p a_p b_p with the sum
 * taken in order of p (gemm.ts's kernel with α = −1, β = 1: −s + c is exactly c − s).
 */
function gemmSubtract(c: usize, ldc: i32, a: usize, lda: i32, b: usize, ldb: i32, rows: i32, cols: i32, depth: i32): void {
  // Depth in chunks of GEMM_DEPTH, so that the chunk of B a block reads stays in cache; each
  // chunk subtracts its own sum (fixed chunks: the same order for every cut of the work).
  for (let p0: i32 = 0; p0 < depth; p0 += GEMM_DEPTH) {
    const d = min(GEMM_DEPTH, depth - p0);
    gemmStrided(c, ldc, a + (<usize>p0 << 3), lda, 1, b + <usize>p0 * (<usize>ldb << 3), ldb, rows, d, cols, -1.0, 1.0);
  }
}

/**
 * Solves A X = B in place for the row-major n × k right-hand sides at `b`, given the factors and
 * pivots of `luFactorFloat64`. Assumes no zero pivot (the caller checks). One thread; the pool runs
 * luPermuteRows, then luSolveColumns on column ranges of SOLVE_COLS in parallel.
 */
export function luSolve(a: usize, n: i32, piv: usize, b: usize, k: i32): void {
  luPermuteRows(n, piv, b, k);
  for (let c: i32 = 0; c < k; c += SOLVE_COLS) luSolveColumns(a, n, b, k, c, min(c + SOLVE_COLS, k));
}

/** Applies the row interchanges of `luFactorFloat64` to the n × k right-hand sides at `b`. */
export function luPermuteRows(n: i32, piv: usize, b: usize, k: i32): void {
  const rowBytes = <usize>k << 3;
  for (let j: i32 = 0; j < n; j++) {
    const p = load<i32>(piv + (<usize>j << 2));
    if (p != j) {
      for (let c: i32 = 0; c < k; c++) {
        const x = b + <usize>j * rowBytes + (<usize>c << 3);
        const y = b + <usize>p * rowBytes + (<usize>c << 3);
        const t = load<f64>(x);
        store<f64>(x, load<f64>(y));
        store<f64>(y, t);
      }
    }
  }
}

/**
 * L U X = B for columns c0 … c1 − 1 of the permuted n × k right-hand sides at `b` (forward with
 * unit lower L, then backward with U): {@link solveColumns} with a unit diagonal.
 */
export function luSolveColumns(a: usize, n: i32, b: usize, k: i32, c0: i32, c1: i32): void {
  solveColumns(a, n, b, k, c0, c1, true);
}

/**
 * L U X = B for columns c0 … c1 − 1 of the n × k right-hand sides at `b`, L read from the strict
 * lower triangle of `a` (with a unit diagonal when `unitLower`, else a_ii) and U from the upper
 * triangle and diagonal: LU's factors, or Cholesky's L and Lᵀ (assembly/cholesky.ts). Blocked:
 * rows in blocks of SOLVE_ROWS, the part of each block that depends on earlier blocks as one GEMM,
 * the rest row by row within the block. Every entry is computed in the same order whatever the
 * column range, so any cut into ranges gives the same bits.
 */
export function solveColumns(a: usize, n: i32, b: usize, k: i32, c0: i32, c1: i32, unitLower: bool): void {
  const w = c1 - c0;
  const rowBytes = <usize>k << 3;
  const bc = b + (<usize>c0 << 3);
  for (let i0: i32 = 0; i0 < n; i0 += SOLVE_ROWS) {
    const i1 = min(i0 + SOLVE_ROWS, n);
    if (i0 > 0) gemmSubtract(bc + <usize>i0 * rowBytes, k, at(a, n, i0, 0), n, bc, k, i1 - i0, w, i0);
    for (let i = i0; i < i1; i++) {
      const rowA = at(a, n, i, 0);
      const rowB = bc + <usize>i * rowBytes;
      for (let p = i0; p < i; p++) {
        const l = load<f64>(rowA + (<usize>p << 3));
        if (l != 0.0) axpyNeg(rowB, bc + <usize>p * rowBytes, l, w);
      }
      if (!unitLower) divideRow(rowB, load<f64>(rowA + (<usize>i << 3)), w);
    }
  }
  for (let i1: i32 = n; i1 > 0; i1 -= SOLVE_ROWS) {
    const i0 = max(0, i1 - SOLVE_ROWS);
    if (i1 < n) gemmSubtract(bc + <usize>i0 * rowBytes, k, at(a, n, i0, i1), n, bc + <usize>i1 * rowBytes, k, i1 - i0, w, n - i1);
    for (let i = i1 - 1; i >= i0; i--) {
      const rowA = at(a, n, i, 0);
      const rowB = bc + <usize>i * rowBytes;
      for (let p = i + 1; p < i1; p++) {
        const u = load<f64>(rowA + (<usize>p << 3));
        if (u != 0.0) axpyNeg(rowB, bc + <usize>p * rowBytes, u, w);
      }
      divideRow(rowB, load<f64>(rowA + (<usize>i << 3)), w);
    }
  }
}

/** x[0 … len) /= d (division, not multiplication by 1/d: the same bits as the textbook solve). */
@inline function divideRow(x: usize, d: f64, len: i32): void {
  for (let c: i32 = 0; c < len; c++) {
    const o = x + (<usize>c << 3);
    store<f64>(o, load<f64>(o) / d);
  }
}

/**
 * Solves Aᵀ x = b in place for one vector at `x`, given the factors of `luFactorFloat64`:
 * Aᵀ = Uᵀ Lᵀ P, so solve Uᵀ, then Lᵀ, then undo the interchanges in reverse order.
 */
export function luSolveTransposed(a: usize, n: i32, piv: usize, x: usize): void {
  // Uᵀ y = b, column-oriented so U is read along its rows.
  for (let i: i32 = 0; i < n; i++) {
    const rowA = at(a, n, i, 0);
    const xi = load<f64>(x + (<usize>i << 3)) / load<f64>(rowA + (<usize>i << 3));
    store<f64>(x + (<usize>i << 3), xi);
    if (xi != 0.0 && i + 1 < n) axpyNeg(x + (<usize>(i + 1) << 3), rowA + (<usize>(i + 1) << 3), xi, n - i - 1);
  }
  for (let i: i32 = n - 1; i > 0; i--) {
    const rowA = at(a, n, i, 0);
    const xi = load<f64>(x + (<usize>i << 3));
    if (xi != 0.0) axpyNeg(x, rowA, xi, i);
  }
  for (let j: i32 = n - 1; j >= 0; j--) {
    const p = load<i32>(piv + (<usize>j << 2));
    if (p != j) {
      const u = x + (<usize>j << 3);
      const v = x + (<usize>p << 3);
      const t = load<f64>(u);
      store<f64>(u, load<f64>(v));
      store<f64>(v, t);
    }
  }
}
