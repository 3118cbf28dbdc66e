// Dense matrix product C = α A B + β C, the one kernel behind the layers of a finite network
// (docs/FINITE_WIDTH.md) and LU's trailing updates and blocked solves (lu.ts, as α = −1, β = 1).
// C is r × n with row stride ldc, B is k × n with row stride ldb, both row-major; A is r × k read
// through strides, entry (i, p) at a + 8 (i·rsA + p·csA), so the same kernel multiplies by W
// (rsA = k, csA = 1) and by Wᵀ (rsA = 1, csA = r) without a transposed copy of W. Register tiles of
// 4 rows × 4 columns of C (eight f64x2 accumulators in the SIMD build); for each block of 4 rows
// of A every column tile is done before moving on, so those rows of A stay in cache and A (the
// weights) streams through once. Each entry is summed over p in increasing order, in one
// accumulator, whichever path computes it, and finished as α·s + β·c: every path and every cut of
// the work (rows, columns) gives the same bits. Each step of a sum is `madd`/`madd1` below: a
// multiply then an add, or in the relaxed-SIMD build one relaxed multiply-add (fused where the
// host has FMA), the same instruction on every path so that the cuts still agree within a build.

import { threadSlot } from "./threads";
import { GEMM_KC, GEMM_PANELS, GEMM_PANEL_BYTES } from "./memory";

const MR: i32 = 4;
const NR: i32 = 4;

/** C = α·A·B + β·C for C and B of row stride n (β = 0 never reads C, so C may hold anything). */
export function gemm(c: usize, a: usize, b: usize, r: i32, k: i32, n: i32, rsA: i32, csA: i32, alpha: f64, beta: f64): void {
  gemmStrided(c, n, a, rsA, csA, b, n, r, k, n, alpha, beta);
}

/** C = α·A·B + β·C with every stride explicit (in float64 values): C r × n at row stride ldc, B k × n at ldb. */
export function gemmStrided(c: usize, ldc: i32, a: usize, rsA: i32, csA: i32, b: usize, ldb: i32, r: i32, k: i32, n: i32, alpha: f64, beta: f64): void {
  const fullRows = r - (r % MR);
  const fullCols = n - (n % NR);
  const rs = <usize>rsA << 3;
  const cs = <usize>csA << 3;
  const rowB = <usize>ldb << 3;
  const rowC = <usize>ldc << 3;
  if (ASC_FEATURE_SIMD && csA != 1 && beta == 0.0 && k > GEMM_KC) {
    // A already in panels (rsA = 1, csA = 4: the strip is contiguous, see gemmPanels) needs no copy.
    packedTiles(c, rowC, a, rs, cs, b, rowB, fullRows, k, fullCols, rsA == 1 && csA == MR);
    // The tiles hold the plain sums: scale them as the edges below are.
    if (alpha != 1.0) {
      for (let i: i32 = 0; i < fullRows; i++) {
        const ci = c + <usize>i * rowC;
        for (let j: i32 = 0; j < fullCols; j++) store<f64>(ci + (<usize>j << 3), alpha * load<f64>(ci + (<usize>j << 3)));
      }
    }
  } else {
    for (let i: i32 = 0; i < fullRows; i += MR) {
      const ai = a + <usize>i * rs;
      const ci = c + <usize>i * rowC;
      for (let j: i32 = 0; j < fullCols; j += NR) tile4x4(ai, rs, cs, b + (<usize>j << 3), rowB, k, ci + (<usize>j << 3), rowC, alpha, beta, false, false, 0);
    }
  }
  for (let i = fullRows; i < r; i++) {
    const ai = a + <usize>i * rs;
    const ci = c + <usize>i * rowC;
    for (let j: i32 = 0; j < fullCols; j += NR) row1x4(ai, cs, b + (<usize>j << 3), rowB, k, ci + (<usize>j << 3), alpha, beta);
  }
  for (let i: i32 = 0; i < r; i++) {
    const ai = a + <usize>i * rs;
    const ci = c + <usize>i * rowC;
    for (let j = fullCols; j < n; j++) dotInto(ai, cs, b + (<usize>j << 3), rowB, k, ci + (<usize>j << 3), alpha, beta);
  }
}

/**
 * C = α·A·B + β·C (B and C of row stride n) for A (r × k) stored in panels of 4 rows, as
 * network.ts's `normalFillPanels` writes Wᵀ: rows 4t … 4t + 3 in panel t at a + 32·t·k, entry (q, p)
 * at + 8 (4p + q) (the last panel padded to 4 rows). Each entry is the same sum in the same order as
 * gemm gives with A read in place, so the bits are gemm's; but a strip of A is one contiguous run,
 * where Wᵀ read in place needs a copy of every strip out of rows a whole W row apart (the copy cost
 * the backward product about 40% of its time). Rows of C may be cut at any multiple of 4.
 */
export function gemmPanels(c: usize, a: usize, b: usize, r: i32, k: i32, n: i32, alpha: f64, beta: f64): void {
  const rowC = <usize>n << 3;
  const panelBytes = <usize>k << 5;
  // A strip at a time, in gemmStrided's blocks of GEMM_KC summation indices (B's block stays in L1
  // for the strip's column tiles); the same blocks taken across strips 32·k bytes apart measured slower.
  for (let i: i32 = 0; i < r; i += MR) {
    gemmStrided(c + <usize>i * rowC, n, a + <usize>(i >> 2) * panelBytes, 1, MR, b, n, min(MR, r - i), k, n, alpha, beta);
  }
}

// The full tiles of a strided product (A = Wᵀ), in blocks of GEMM_KC summation indices, each
// 4-row strip of a block copied to contiguous per-thread scratch for the column tiles. Read in
// place, a tile's loads of A sit a whole row of W apart, and with W's row length a multiple of 512
// values they all map to one set of the L1 cache and evict each other. When the strip's rows are
// side by side (rs = 8, A = Wᵀ), the first column tile reads it in place and copies it as it goes,
// so that reading W from memory overlaps that tile's arithmetic instead of running as a pass of
// its own (the copy alone cost about a third of the product). Each entry's running sum is carried
// in C from block to block (loaded as the next block's starting accumulator), so every entry is the
// same sequence of additions as in the unblocked kernel; C is left holding the sums. `inPanel`:
// A's strip is one contiguous panel already (rs = 8, cs = 32, see gemmPanels) and is read in
// place; the blocks then keep B's block in L1 for every column tile.
function packedTiles(c: usize, rowC: usize, a: usize, rs: usize, cs: usize, b: usize, rowB: usize, fullRows: i32, k: i32, fullCols: i32, inPanel: bool): void {
  const panel = GEMM_PANELS + <usize>threadSlot() * GEMM_PANEL_BYTES;
  for (let p0: i32 = 0; p0 < k; p0 += GEMM_KC) {
    const kc = min(GEMM_KC, k - p0);
    const ap = a + <usize>p0 * cs;
    const bp = b + <usize>p0 * rowB;
    for (let i: i32 = 0; i < fullRows; i += MR) {
      const ci = c + <usize>i * rowC;
      const src = ap + <usize>i * rs;
      let strip = panel;
      let j: i32 = 0;
      if (inPanel) {
        strip = src;
      } else if (rs == 8 && fullCols > 0) {
        tile4x4(src, rs, cs, bp, rowB, kc, ci, rowC, 1.0, 0.0, true, p0 > 0, panel);
        j = NR;
      } else {
        copyStrip(panel, src, rs, cs, kc);
      }
      for (; j < fullCols; j += NR) tile4x4(strip, 8, 32, bp + (<usize>j << 3), rowB, kc, ci + (<usize>j << 3), rowC, 1.0, 0.0, true, p0 > 0, 0);
    }
  }
}

// A's 4-row strip of kc summation indices to `dst`, entry (q, p) at + 8 (4p + q).
function copyStrip(dst: usize, a: usize, rs: usize, cs: usize, kc: i32): void {
  let src = a;
  let d = dst;
  for (let p: i32 = 0; p < kc; p++, src += cs, d += 32) {
    store<f64>(d, load<f64>(src));
    store<f64>(d, load<f64>(src + rs), 8);
    store<f64>(d, load<f64>(src + 2 * rs), 16);
    store<f64>(d, load<f64>(src + 3 * rs), 24);
  }
}

// s + x·y, one step of an entry's sum. The relaxed build's f64x2.relaxed_madd rounds once where
// the host fuses it (x86 FMA3, ARM) and twice elsewhere, so its bits depend on the host: that
// build is opt-in, and the default builds keep the multiply and add that every host rounds alike.
@inline function madd(x: v128, y: v128, s: v128): v128 {
  return ASC_FEATURE_RELAXED_SIMD ? f64x2.relaxed_madd(x, y, s) : f64x2.add(s, f64x2.mul(x, y));
}

// The scalar step of the edge rows and columns: in the relaxed build the same vector instruction
// as the tiles' (lane 0), so an entry gets the same bits whether a tile or an edge computes it.
@inline function madd1(x: f64, y: f64, s: f64): f64 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.extract_lane(f64x2.relaxed_madd(f64x2.splat(x), f64x2.splat(y), f64x2.splat(s)), 0);
  return s + x * y;
}

/** 1 when this build's products use the relaxed multiply-add (the opt-in "fma" build), else 0. */
export function relaxedMaddEnabled(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}

/**
 * One scalar step s + x·y exactly as this build's products take it; the host fuses it when
 * (1 + 2⁻³⁰)(1 − 2⁻³⁰) − 1 gives −2⁻⁶⁰ rather than 0. Arguments, not constants, so that the
 * optimizer cannot fold it at build time.
 */
export function gemmStep(x: f64, y: f64, s: f64): f64 {
  return madd1(x, y, s);
}

@inline function finish(c: usize, s: f64, alpha: f64, beta: f64): void {
  store<f64>(c, beta == 0.0 ? alpha * s : alpha * s + beta * load<f64>(c));
}

// One entry: Σ_p A(i, p) B(p, j), A read at stride cs, B at stride rowB.
function dotInto(a: usize, cs: usize, b: usize, rowB: usize, k: i32, c: usize, alpha: f64, beta: f64): void {
  let s: f64 = 0.0;
  let ap = a;
  let bp = b;
  for (let p: i32 = 0; p < k; p++) {
    s = madd1(load<f64>(ap), load<f64>(bp), s);
    ap += cs;
    bp += rowB;
  }
  finish(c, s, alpha, beta);
}

// Four entries of one row of C (four scalar accumulators, A's entry loaded once per p).
function row1x4(a: usize, cs: usize, b: usize, rowB: usize, k: i32, c: usize, alpha: f64, beta: f64): void {
  let s0: f64 = 0.0, s1: f64 = 0.0, s2: f64 = 0.0, s3: f64 = 0.0;
  let ap = a;
  let bp = b;
  for (let p: i32 = 0; p < k; p++) {
    const x = load<f64>(ap);
    s0 = madd1(x, load<f64>(bp), s0);
    s1 = madd1(x, load<f64>(bp, 8), s1);
    s2 = madd1(x, load<f64>(bp, 16), s2);
    s3 = madd1(x, load<f64>(bp, 24), s3);
    ap += cs;
    bp += rowB;
  }
  finish(c, s0, alpha, beta);
  finish(c + 8, s1, alpha, beta);
  finish(c + 16, s2, alpha, beta);
  finish(c + 24, s3, alpha, beta);
}

/**
 * A 4 × 4 tile of C over k summation indices. `raw`: store the plain sums, starting from 0 or,
 * when `carry`, from the sums C holds (a block of a longer sum); else finish as α·s + β·c.
 * `copyTo` ≠ 0 (only with A's rows side by side, rs = 8): also copy A's 4 × k strip there, entry
 * (q, p) at + 8 (4p + q).
 */
@inline function tile4x4(a: usize, rs: usize, cs: usize, b: usize, rowB: usize, k: i32, c: usize, rowC: usize, alpha: f64, beta: f64, raw: bool, carry: bool, copyTo: usize): void {
  if (ASC_FEATURE_SIMD) {
    const r1 = rowC;
    const r2 = rowC << 1;
    const r3 = r1 + r2;
    const zero = f64x2.splat(0.0);
    let s00 = carry ? v128.load(c) : zero, s01 = carry ? v128.load(c, 16) : zero;
    let s10 = carry ? v128.load(c + r1) : zero, s11 = carry ? v128.load(c + r1, 16) : zero;
    let s20 = carry ? v128.load(c + r2) : zero, s21 = carry ? v128.load(c + r2, 16) : zero;
    let s30 = carry ? v128.load(c + r3) : zero, s31 = carry ? v128.load(c + r3, 16) : zero;
    const a2 = rs << 1;
    const a3 = rs + a2;
    let ap = a;
    let bp = b;
    let cp = copyTo;
    for (let p: i32 = 0; p < k; p++) {
      if (copyTo != 0) {
        v128.store(cp, v128.load(ap));
        v128.store(cp, v128.load(ap, 16), 16);
        cp += 32;
      }
      const b0 = v128.load(bp);
      const b1 = v128.load(bp, 16);
      let x = v128.load64_splat(ap);
      s00 = madd(x, b0, s00);
      s01 = madd(x, b1, s01);
      x = v128.load64_splat(ap + rs);
      s10 = madd(x, b0, s10);
      s11 = madd(x, b1, s11);
      x = v128.load64_splat(ap + a2);
      s20 = madd(x, b0, s20);
      s21 = madd(x, b1, s21);
      x = v128.load64_splat(ap + a3);
      s30 = madd(x, b0, s30);
      s31 = madd(x, b1, s31);
      ap += cs;
      bp += rowB;
    }
    finishRow(c, s00, s01, alpha, beta, raw);
    finishRow(c + r1, s10, s11, alpha, beta, raw);
    finishRow(c + r2, s20, s21, alpha, beta, raw);
    finishRow(c + r3, s30, s31, alpha, beta, raw);
  } else {
    for (let q: usize = 0; q < 4; q++) row1x4(a + q * rs, cs, b, rowB, k, c + q * rowC, alpha, beta);
  }
}

@inline function finishRow(c: usize, s0: v128, s1: v128, alpha: f64, beta: f64, raw: bool): void {
  if (raw) {
    v128.store(c, s0);
    v128.store(c, s1, 16);
  } else if (beta == 0.0) {
    const av = f64x2.splat(alpha);
    v128.store(c, f64x2.mul(av, s0));
    v128.store(c, f64x2.mul(av, s1), 16);
  } else {
    const av = f64x2.splat(alpha);
    const bv = f64x2.splat(beta);
    v128.store(c, f64x2.add(f64x2.mul(av, s0), f64x2.mul(bv, v128.load(c))));
    v128.store(c, f64x2.add(f64x2.mul(av, s1), f64x2.mul(bv, v128.load(c, 16))), 16);
  }
}
