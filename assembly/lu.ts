// LU factorization with partial pivoting, PA = LU (SPEC §5), and solves with its factors.
// Layout: row-major n × n float64 matrices, entry (i, j) at byte a + 8 (i n + j); pivots are i32.
// Method: blocked right-looking LU (LAPACK dgetrf's order of operations): factor a panel of NB
// columns with row interchanges, solve for the block row of U, then update the trailing matrix
// with a register-tiled 4 × 4 GEMM over a packed copy of that block row.

/** Panel width: small enough that the panel and one packed U tile stay in cache. */
const NB: i32 = 48;
/** Rows and columns of the GEMM register tile. */
const MR: i32 = 4;
const NR: i32 = 4;

/** Float64 values the scratch buffer handed to `luFactor` must hold for order n. */
export function luScratchLength(n: i32): i32 {
  return NB * (n + NR);
}

@inline function at(a: usize, n: i32, i: i32, j: i32): usize {
  return a + ((<usize>i * <usize>n + <usize>j) << 3);
}

/**
 * Factors the row-major n × n matrix at `a` in place into unit lower L (below the diagonal) and U
 * (on and above it). `piv[j]` (i32) is the row swapped with row j at step j. `work` is scratch of
 * `luScratchLength(n)` float64. Returns the first column whose pivot is exactly zero, or −1; like
 * dgetrf it continues past a zero pivot, so U is complete either way.
 */
export function luFactor(a: usize, n: i32, piv: usize, work: usize): i32 {
  let firstZero: i32 = -1;
  for (let k: i32 = 0; k < n; k += NB) {
    const nb = min(NB, n - k);
    const z = factorPanel(a, n, k, nb, piv);
    if (z >= 0 && firstZero < 0) firstZero = z;
    if (k + nb < n) {
      solveBlockRow(a, n, k, nb);
      updateTrailing(a, n, k, nb, work);
    }
  }
  return firstZero;
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

// U12 = L11⁻¹ A12 for the block row k … k+nb−1, columns k+nb … n−1 (unit lower triangular L11).
function solveBlockRow(a: usize, n: i32, k: i32, nb: i32): void {
  const c0 = k + nb;
  const len = n - c0;
  for (let i = 1; i < nb; i++) {
    const rowI = at(a, n, k + i, 0);
    for (let p = 0; p < i; p++) {
      const l = load<f64>(rowI + (<usize>(k + p) << 3));
      if (l != 0.0) axpyNeg(rowI + (<usize>c0 << 3), at(a, n, k + p, c0), l, len);
    }
  }
}

// A22 −= L21 U12. U12 is first packed into `work` as column tiles of width NR (tile t holds
// U12[p, c0 + NR t + c] at NR (nb t + p) + c), so the inner loop reads it sequentially.
function updateTrailing(a: usize, n: i32, k: i32, nb: i32, work: usize): void {
  const c0 = k + nb;
  const cols = n - c0;
  const tiles = cols / NR;
  for (let t: i32 = 0; t < tiles; t++) {
    const dst = work + ((<usize>t * <usize>nb * NR) << 3);
    for (let p: i32 = 0; p < nb; p++) {
      const src = at(a, n, k + p, c0 + t * NR);
      const d = dst + ((<usize>p * NR) << 3);
      store<f64>(d, load<f64>(src));
      store<f64>(d, load<f64>(src, 8), 8);
      store<f64>(d, load<f64>(src, 16), 16);
      store<f64>(d, load<f64>(src, 24), 24);
    }
  }
  const rows = n - c0;
  const fullRows = rows - rows % MR;
  for (let r: i32 = 0; r < fullRows; r += MR) {
    const i = c0 + r;
    const l0 = at(a, n, i, k);
    for (let t: i32 = 0; t < tiles; t++) {
      tile4x4(l0, n, work + ((<usize>t * <usize>nb * NR) << 3), nb, at(a, n, i, c0 + t * NR));
    }
  }
  for (let i = c0 + fullRows; i < n; i++) {
    const l = at(a, n, i, k);
    for (let t: i32 = 0; t < tiles; t++) {
      tile1x4(l, work + ((<usize>t * <usize>nb * NR) << 3), nb, at(a, n, i, c0 + t * NR));
    }
  }
  // Columns left over after the full tiles: plain dot products against the unpacked U12.
  for (let j = c0 + tiles * NR; j < n; j++) {
    for (let i = c0; i < n; i++) {
      const l = at(a, n, i, k);
      let s: f64 = 0.0;
      for (let p: i32 = 0; p < nb; p++) s += load<f64>(l + (<usize>p << 3)) * load<f64>(at(a, n, k + p, j));
      const o = at(a, n, i, j);
      store<f64>(o, load<f64>(o) - s);
    }
  }
}

// C[0 … 4, 0 … 4] −= L[0 … 4, 0 … nb) · U[0 … nb, 0 … 4): L rows at stride n, U packed, C at stride n.
@inline function tile4x4(l: usize, n: i32, u: usize, nb: i32, c: usize): void {
  const rs = <usize>n << 3;
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
      up += 32;
    }
    v128.store(c, f64x2.sub(v128.load(c), s00));
    v128.store(c, f64x2.sub(v128.load(c, 16), s01), 16);
    v128.store(c + rs, f64x2.sub(v128.load(c + rs), s10));
    v128.store(c + rs, f64x2.sub(v128.load(c + rs, 16), s11), 16);
    v128.store(c + 2 * rs, f64x2.sub(v128.load(c + 2 * rs), s20));
    v128.store(c + 2 * rs, f64x2.sub(v128.load(c + 2 * rs, 16), s21), 16);
    v128.store(c + 3 * rs, f64x2.sub(v128.load(c + 3 * rs), s30));
    v128.store(c + 3 * rs, f64x2.sub(v128.load(c + 3 * rs, 16), s31), 16);
  } else {
    for (let r: usize = 0; r < 4; r++) tile1x4(l + r * rs, u, nb, c + r * rs);
  }
}

@inline function tile1x4(l: usize, u: usize, nb: i32, c: usize): void {
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
    up += 32;
  }
  store<f64>(c, load<f64>(c) - s0);
  store<f64>(c, load<f64>(c, 8) - s1, 8);
  store<f64>(c, load<f64>(c, 16) - s2, 16);
  store<f64>(c, load<f64>(c, 24) - s3, 24);
}

/**
 * Solves A X = B in place for the row-major n × k right-hand sides at `b`, given the factors and
 * pivots of `luFactor`. Assumes no zero pivot (the caller checks).
 */
export function luSolve(a: usize, n: i32, piv: usize, b: usize, k: i32): void {
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
  for (let i: i32 = 1; i < n; i++) {
    const rowA = at(a, n, i, 0);
    const rowB = b + <usize>i * rowBytes;
    for (let p: i32 = 0; p < i; p++) {
      const l = load<f64>(rowA + (<usize>p << 3));
      if (l != 0.0) axpyNeg(rowB, b + <usize>p * rowBytes, l, k);
    }
  }
  for (let i: i32 = n - 1; i >= 0; i--) {
    const rowA = at(a, n, i, 0);
    const rowB = b + <usize>i * rowBytes;
    for (let p: i32 = i + 1; p < n; p++) {
      const u = load<f64>(rowA + (<usize>p << 3));
      if (u != 0.0) axpyNeg(rowB, b + <usize>p * rowBytes, u, k);
    }
    const d = load<f64>(rowA + (<usize>i << 3));
    for (let c: i32 = 0; c < k; c++) {
      const o = rowB + (<usize>c << 3);
      store<f64>(o, load<f64>(o) / d);
    }
  }
}

/**
 * Solves Aᵀ x = b in place for one vector at `x`, given the factors of `luFactor`:
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
