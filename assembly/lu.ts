// LU factorization with partial pivoting, PA = LU (SPEC §5), and solves with its factors.
// Layout: row-major n × n float64 matrices, entry (i, j) at byte a + 8 (i n + j); pivots are i32.
// Method: blocked right-looking LU (LAPACK dgetrf's order of operations): factor a panel of NB
// columns with row interchanges, solve for the block row of U, then update the trailing matrix
// with a register-tiled 4 × 4 GEMM, block by block (UPDATE_ROWS × UPDATE_COLS). The block-row
// solve and the trailing update are cut into tasks (column ranges, blocks) that the thread pool
// runs in parallel; every entry is computed in the same order whatever the cut (an entry of the
// update is c − Σ_p l_p u_p, the sum taken over p in order), so the bits do not depend on the
// number of threads. The solves with many right-hand sides are blocked the same way.
import { axpyNeg } from "./vector";

/** Panel width: small enough that the panel and one packed U tile stay in cache. */
const NB: i32 = 48;
/** Rows and columns of the GEMM register tile. */
const MR: i32 = 4;
const NR: i32 = 4;

/** Rows and columns of one trailing-update block (one task of the pool). */
export const UPDATE_ROWS: i32 = 128;
export const UPDATE_COLS: i32 = 256;
/** Columns of the block row of U per task of the pool (a multiple of NR). */
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
 * taken in order of p, in the 4 × 4 tiles and at the edges alike.
 */
function gemmSubtract(c: usize, ldc: i32, a: usize, lda: i32, b: usize, ldb: i32, rows: i32, cols: i32, depth: i32): void {
  // Depth in chunks of GEMM_DEPTH, so that the chunk of B a block reads stays in cache; each
  // chunk subtracts its own sum (fixed chunks: the same order for every cut of the work).
  for (let p0: i32 = 0; p0 < depth; p0 += GEMM_DEPTH) {
    const d = min(GEMM_DEPTH, depth - p0);
    gemmSubtractChunk(c, ldc, a + (<usize>p0 << 3), lda, b + <usize>p0 * (<usize>ldb << 3), ldb, rows, cols, d);
  }
}

function gemmSubtractChunk(c: usize, ldc: i32, a: usize, lda: i32, b: usize, ldb: i32, rows: i32, cols: i32, depth: i32): void {
  const cs = <usize>ldc << 3;
  const as = <usize>lda << 3;
  const fullRows = rows - rows % MR;
  const fullCols = cols - cols % NR;
  for (let i: i32 = 0; i < fullRows; i += MR) {
    for (let j: i32 = 0; j < fullCols; j += NR) tile4x4(a + <usize>i * as, lda, b + (<usize>j << 3), ldb, depth, c + <usize>i * cs + (<usize>j << 3), ldc);
  }
  for (let i = fullRows; i < rows; i++) {
    for (let j: i32 = 0; j < fullCols; j += NR) tile1x4(a + <usize>i * as, b + (<usize>j << 3), ldb, depth, c + <usize>i * cs + (<usize>j << 3));
  }
  const bs = <usize>ldb << 3;
  for (let i: i32 = 0; i < rows; i++) {
    for (let j = fullCols; j < cols; j++) {
      let s: f64 = 0.0;
      const ai = a + <usize>i * as;
      for (let p: i32 = 0; p < depth; p++) s += load<f64>(ai + (<usize>p << 3)) * load<f64>(b + <usize>p * bs + (<usize>j << 3));
      const o = c + <usize>i * cs + (<usize>j << 3);
      store<f64>(o, load<f64>(o) - s);
    }
  }
}

// C[0 … 4, 0 … 4] −= L[0 … 4, 0 … nb) · U[0 … nb, 0 … 4): L and C rows at stride n, U rows at stride ldu.
@inline function tile4x4(l: usize, n: i32, u: usize, ldu: i32, nb: i32, c: usize, ldc: i32): void {
  const rs = <usize>n << 3;
  const us = <usize>ldu << 3;
  const cs = <usize>ldc << 3;
  if (ASC_FEATURE_SIMD) {
    let s00 = f64x2.splat(0.0), s01 = f64x2.splat(0.0);
    let s10 = f64x2.splat(0.0), s11 = f64x2.splat(0.0);
    let s20 = f64x2.splat(0.0), s21 = f64x2.splat(0.0);
    let s30 = f64x2.splat(0.0), s31 = f64x2.splat(0.0);
    let lp = l;
    let up = u;
    for (let p: i32 = 0; p < nb; p++) {
      const u0 = v128.load(up);
      const u1 = v128.load(up, 16);
      let x = v128.load64_splat(lp);
      s00 = f64x2.add(s00, f64x2.mul(x, u0));
      s01 = f64x2.add(s01, f64x2.mul(x, u1));
      x = v128.load64_splat(lp + rs);
      s10 = f64x2.add(s10, f64x2.mul(x, u0));
      s11 = f64x2.add(s11, f64x2.mul(x, u1));
      x = v128.load64_splat(lp + 2 * rs);
      s20 = f64x2.add(s20, f64x2.mul(x, u0));
      s21 = f64x2.add(s21, f64x2.mul(x, u1));
      x = v128.load64_splat(lp + 3 * rs);
      s30 = f64x2.add(s30, f64x2.mul(x, u0));
      s31 = f64x2.add(s31, f64x2.mul(x, u1));
      lp += 8;
      up += us;
    }
    v128.store(c, f64x2.sub(v128.load(c), s00));
    v128.store(c, f64x2.sub(v128.load(c, 16), s01), 16);
    v128.store(c + cs, f64x2.sub(v128.load(c + cs), s10));
    v128.store(c + cs, f64x2.sub(v128.load(c + cs, 16), s11), 16);
    v128.store(c + 2 * cs, f64x2.sub(v128.load(c + 2 * cs), s20));
    v128.store(c + 2 * cs, f64x2.sub(v128.load(c + 2 * cs, 16), s21), 16);
    v128.store(c + 3 * cs, f64x2.sub(v128.load(c + 3 * cs), s30));
    v128.store(c + 3 * cs, f64x2.sub(v128.load(c + 3 * cs, 16), s31), 16);
  } else {
    for (let r: usize = 0; r < 4; r++) tile1x4(l + r * rs, u, ldu, nb, c + r * cs);
  }
}

@inline function tile1x4(l: usize, u: usize, ldu: i32, nb: i32, c: usize): void {
  const us = <usize>ldu << 3;
  let s0: f64 = 0.0, s1: f64 = 0.0, s2: f64 = 0.0, s3: f64 = 0.0;
  let lp = l;
  let up = u;
  for (let p: i32 = 0; p < nb; p++) {
    const x = load<f64>(lp);
    s0 += x * load<f64>(up);
    s1 += x * load<f64>(up, 8);
    s2 += x * load<f64>(up, 16);
    s3 += x * load<f64>(up, 24);
    lp += 8;
    up += us;
  }
  store<f64>(c, load<f64>(c) - s0);
  store<f64>(c, load<f64>(c, 8) - s1, 8);
  store<f64>(c, load<f64>(c, 16) - s2, 16);
  store<f64>(c, load<f64>(c, 24) - s3, 24);
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
 * unit lower L, then backward with U), blocked: rows in blocks of SOLVE_ROWS, the part of each
 * block that depends on earlier blocks as one GEMM, the rest row by row within the block.
 */
export function luSolveColumns(a: usize, n: i32, b: usize, k: i32, c0: i32, c1: i32): void {
  const w = c1 - c0;
  const rowBytes = <usize>k << 3;
  const bc = b + (<usize>c0 << 3);
  for (let i0: i32 = 0; i0 < n; i0 += SOLVE_ROWS) {
    const i1 = min(i0 + SOLVE_ROWS, n);
    if (i0 > 0) gemmSubtract(bc + <usize>i0 * rowBytes, k, at(a, n, i0, 0), n, bc, k, i1 - i0, w, i0);
    for (let i = i0 + 1; i < i1; i++) {
      const rowA = at(a, n, i, 0);
      for (let p = i0; p < i; p++) {
        const l = load<f64>(rowA + (<usize>p << 3));
        if (l != 0.0) axpyNeg(bc + <usize>i * rowBytes, bc + <usize>p * rowBytes, l, w);
      }
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
      const d = load<f64>(rowA + (<usize>i << 3));
      for (let c: i32 = 0; c < w; c++) {
        const o = rowB + (<usize>c << 3);
        store<f64>(o, load<f64>(o) / d);
      }
    }
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
