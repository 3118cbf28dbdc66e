// Dense matrix product C = α A B + β C for the layers of a finite network (docs/FINITE_WIDTH.md).
// C is r × n and B is k × n, both row-major with row stride n; A is r × k read through strides,
// entry (i, p) at a + 8 (i·rsA + p·csA), so the same kernel multiplies by W (rsA = k, csA = 1) and
// by Wᵀ (rsA = 1, csA = r) without a transposed copy. Register tiles of 4 rows × 4 columns of C
// (eight f64x2 accumulators in the SIMD build); for each block of 4 rows of A every column tile is
// done before moving on, so those rows of A stay in cache and A (the weights) streams through once.
// Each entry is summed over p in increasing order, in one accumulator, whichever path computes it.

const MR: i32 = 4;
const NR: i32 = 4;
/**
 * Summation indices p per block when A is read at a stride (A = Wᵀ): the block's rows of W stay in
 * L1 while every row block of C uses them, instead of W streaming from L2 once per 4 rows of C.
 */
const KC: i32 = 64;

/** C = α·A·B + β·C (β = 0 never reads C, so C may hold anything). */
export function gemm(c: usize, a: usize, b: usize, r: i32, k: i32, n: i32, rsA: i32, csA: i32, alpha: f64, beta: f64): void {
  if (ASC_FEATURE_SIMD && csA != 1 && beta == 0.0 && k > KC) {
    gemmBlocked(c, a, b, r, k, n, rsA, csA, alpha);
    return;
  }
  const fullRows = r - (r % MR);
  const fullCols = n - (n % NR);
  const rs = <usize>rsA << 3;
  const cs = <usize>csA << 3;
  const rowB = <usize>n << 3;
  for (let i: i32 = 0; i < fullRows; i += MR) {
    const ai = a + <usize>i * rs;
    const ci = c + <usize>i * rowB;
    for (let j: i32 = 0; j < fullCols; j += NR) {
      tile4x4(ai, rs, cs, b + (<usize>j << 3), rowB, k, ci + (<usize>j << 3), alpha, beta);
    }
    for (let q: i32 = 0; q < MR; q++) {
      for (let j = fullCols; j < n; j++) dotInto(ai + <usize>q * rs, cs, b + (<usize>j << 3), rowB, k, ci + <usize>q * rowB + (<usize>j << 3), alpha, beta);
    }
  }
  for (let i = fullRows; i < r; i++) {
    const ai = a + <usize>i * rs;
    const ci = c + <usize>i * rowB;
    for (let j: i32 = 0; j < n; j++) dotInto(ai, cs, b + (<usize>j << 3), rowB, k, ci + (<usize>j << 3), alpha, beta);
  }
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
    s += load<f64>(ap) * load<f64>(bp);
    ap += cs;
    bp += rowB;
  }
  finish(c, s, alpha, beta);
}

@inline function tile4x4(a: usize, rs: usize, cs: usize, b: usize, rowB: usize, k: i32, c: usize, alpha: f64, beta: f64): void {
  if (ASC_FEATURE_SIMD) {
    let s00 = f64x2.splat(0.0), s01 = f64x2.splat(0.0);
    let s10 = f64x2.splat(0.0), s11 = f64x2.splat(0.0);
    let s20 = f64x2.splat(0.0), s21 = f64x2.splat(0.0);
    let s30 = f64x2.splat(0.0), s31 = f64x2.splat(0.0);
    let ap = a;
    let bp = b;
    for (let p: i32 = 0; p < k; p++) {
      const b0 = v128.load(bp);
      const b1 = v128.load(bp, 16);
      let x = v128.load64_splat(ap);
      s00 = f64x2.add(s00, f64x2.mul(x, b0));
      s01 = f64x2.add(s01, f64x2.mul(x, b1));
      x = v128.load64_splat(ap + rs);
      s10 = f64x2.add(s10, f64x2.mul(x, b0));
      s11 = f64x2.add(s11, f64x2.mul(x, b1));
      x = v128.load64_splat(ap + 2 * rs);
      s20 = f64x2.add(s20, f64x2.mul(x, b0));
      s21 = f64x2.add(s21, f64x2.mul(x, b1));
      x = v128.load64_splat(ap + 3 * rs);
      s30 = f64x2.add(s30, f64x2.mul(x, b0));
      s31 = f64x2.add(s31, f64x2.mul(x, b1));
      ap += cs;
      bp += rowB;
    }
    finishRow(c, s00, s01, alpha, beta);
    finishRow(c + rowB, s10, s11, alpha, beta);
    finishRow(c + 2 * rowB, s20, s21, alpha, beta);
    finishRow(c + 3 * rowB, s30, s31, alpha, beta);
  } else {
    for (let q: usize = 0; q < 4; q++) {
      const aq = a + q * rs;
      const cq = c + q * rowB;
      dotInto(aq, cs, b, rowB, k, cq, alpha, beta);
      dotInto(aq, cs, b + 8, rowB, k, cq + 8, alpha, beta);
      dotInto(aq, cs, b + 16, rowB, k, cq + 16, alpha, beta);
      dotInto(aq, cs, b + 24, rowB, k, cq + 24, alpha, beta);
    }
  }
}

@inline function finishRow(c: usize, s0: v128, s1: v128, alpha: f64, beta: f64): void {
  const av = f64x2.splat(alpha);
  if (beta == 0.0) {
    v128.store(c, f64x2.mul(av, s0));
    v128.store(c, f64x2.mul(av, s1), 16);
  } else {
    const bv = f64x2.splat(beta);
    v128.store(c, f64x2.add(f64x2.mul(av, s0), f64x2.mul(bv, v128.load(c))));
    v128.store(c, f64x2.add(f64x2.mul(av, s1), f64x2.mul(bv, v128.load(c, 16))), 16);
  }
}

// The strided product in blocks of KC summation indices. Each entry's running sum is carried in C
// from block to block (loaded as the next block's starting accumulator) and scaled by α at the
// end, so every entry is the same sequence of additions as in the unblocked kernel: same bits.
function gemmBlocked(c: usize, a: usize, b: usize, r: i32, k: i32, n: i32, rsA: i32, csA: i32, alpha: f64): void {
  const fullRows = r - (r % MR);
  const fullCols = n - (n % NR);
  const rs = <usize>rsA << 3;
  const cs = <usize>csA << 3;
  const rowB = <usize>n << 3;
  for (let p0: i32 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const ap = a + <usize>p0 * cs;
    const bp = b + <usize>p0 * rowB;
    for (let i: i32 = 0; i < fullRows; i += MR) {
      const ci = c + <usize>i * rowB;
      for (let j: i32 = 0; j < fullCols; j += NR) {
        tileCarry(ap + <usize>i * rs, rs, cs, bp + (<usize>j << 3), rowB, kc, ci + (<usize>j << 3), p0 == 0);
      }
    }
  }
  for (let i: i32 = 0; i < fullRows; i++) {
    const ci = c + <usize>i * rowB;
    if (alpha != 1.0) {
      for (let j: i32 = 0; j < fullCols; j++) store<f64>(ci + (<usize>j << 3), alpha * load<f64>(ci + (<usize>j << 3)));
    }
    for (let j = fullCols; j < n; j++) dotInto(a + <usize>i * rs, cs, b + (<usize>j << 3), rowB, k, ci + (<usize>j << 3), alpha, 0.0);
  }
  for (let i = fullRows; i < r; i++) {
    const ci = c + <usize>i * rowB;
    for (let j: i32 = 0; j < n; j++) dotInto(a + <usize>i * rs, cs, b + (<usize>j << 3), rowB, k, ci + (<usize>j << 3), alpha, 0.0);
  }
}

// A 4 × 4 tile of C over kc summation indices, starting from 0 (first block) or from C's sums so far; stores the sums unscaled.
@inline function tileCarry(a: usize, rs: usize, cs: usize, b: usize, rowB: usize, kc: i32, c: usize, first: bool): void {
  const zero = f64x2.splat(0.0);
  const r1 = rowB;
  const r2 = 2 * rowB;
  const r3 = 3 * rowB;
  let s00 = first ? zero : v128.load(c), s01 = first ? zero : v128.load(c, 16);
  let s10 = first ? zero : v128.load(c + r1), s11 = first ? zero : v128.load(c + r1, 16);
  let s20 = first ? zero : v128.load(c + r2), s21 = first ? zero : v128.load(c + r2, 16);
  let s30 = first ? zero : v128.load(c + r3), s31 = first ? zero : v128.load(c + r3, 16);
  let ap = a;
  let bp = b;
  for (let p: i32 = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = v128.load64_splat(ap);
    s00 = f64x2.add(s00, f64x2.mul(x, b0));
    s01 = f64x2.add(s01, f64x2.mul(x, b1));
    x = v128.load64_splat(ap + rs);
    s10 = f64x2.add(s10, f64x2.mul(x, b0));
    s11 = f64x2.add(s11, f64x2.mul(x, b1));
    x = v128.load64_splat(ap + 2 * rs);
    s20 = f64x2.add(s20, f64x2.mul(x, b0));
    s21 = f64x2.add(s21, f64x2.mul(x, b1));
    x = v128.load64_splat(ap + 3 * rs);
    s30 = f64x2.add(s30, f64x2.mul(x, b0));
    s31 = f64x2.add(s31, f64x2.mul(x, b1));
    ap += cs;
    bp += rowB;
  }
  v128.store(c, s00);
  v128.store(c, s01, 16);
  v128.store(c + r1, s10);
  v128.store(c + r1, s11, 16);
  v128.store(c + r2, s20);
  v128.store(c + r2, s21, 16);
  v128.store(c + r3, s30);
  v128.store(c + r3, s31, 16);
}
