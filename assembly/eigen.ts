// Symmetric eigendecomposition A = V diag(λ) Vᵀ (SPEC §6: finite-time predictions).
// Method (Golub & Van Loan §8.3): Householder reduction to tridiagonal T = Qᵀ A Q, then implicit
// symmetric QR steps with Wilkinson shifts on T, accumulating the Givens rotations. About 9n³
// flops in all, an order of magnitude less than cyclic Jacobi.
// Layout: A row-major n × n, full symmetric storage (the upper triangle is mirrored first). The
// eigenvectors come out as the ROWS of W = Vᵀ (row-major n × n), so that every Householder and
// Givens update of W is an operation on contiguous rows.
// Scratch `work` (4n float64): d (diagonal of T, then the eigenvalues), e (subdiagonal), β, and a
// temporary row.

/** Unit roundoff 2⁻⁵³. */
const U: f64 = 1.1102230246251565e-16;
/** Smallest positive normal float64. */
const TINY: f64 = 2.2250738585072014e-308;

@inline function at(a: usize, n: i32, i: i32, j: i32): usize {
  return a + ((<usize>i * <usize>n + <usize>j) << 3);
}

@inline function el(x: usize, i: i32): usize {
  return x + (<usize>i << 3);
}

/** Σ x[i] y[i] over len contiguous float64. */
@inline function dot(x: usize, y: usize, len: i32): f64 {
  let i: i32 = 0;
  let s: f64 = 0.0;
  if (ASC_FEATURE_SIMD) {
    let v = f64x2.splat(0.0);
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      v = f64x2.add(v, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    }
    s = f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
  }
  for (; i < len; i++) s += load<f64>(el(x, i)) * load<f64>(el(y, i));
  return s;
}

/** dst −= s·x + t·y over len contiguous float64 (t = 0 gives an axpy). */
@inline function update2(dst: usize, s: f64, x: usize, t: f64, y: usize, len: i32): void {
  let i: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    const sv = f64x2.splat(s);
    const tv = f64x2.splat(t);
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      const r = f64x2.add(f64x2.mul(sv, v128.load(x + o)), f64x2.mul(tv, v128.load(y + o)));
      v128.store(dst + o, f64x2.sub(v128.load(dst + o), r));
    }
  }
  for (; i < len; i++) {
    const o = <usize>i << 3;
    store<f64>(dst + o, load<f64>(dst + o) - (s * load<f64>(x + o) + t * load<f64>(y + o)));
  }
}

// x ← c x + s y, y ← c y − s x over len contiguous float64.
@inline function rotateRows(x: usize, y: usize, c: f64, s: f64, len: i32): void {
  let i: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    const cv = f64x2.splat(c);
    const sv = f64x2.splat(s);
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      const xv = v128.load(x + o);
      const yv = v128.load(y + o);
      v128.store(x + o, f64x2.add(f64x2.mul(cv, xv), f64x2.mul(sv, yv)));
      v128.store(y + o, f64x2.sub(f64x2.mul(cv, yv), f64x2.mul(sv, xv)));
    }
  }
  for (; i < len; i++) {
    const o = <usize>i << 3;
    const xv = load<f64>(x + o);
    const yv = load<f64>(y + o);
    store<f64>(x + o, c * xv + s * yv);
    store<f64>(y + o, c * yv - s * xv);
  }
}

// Householder reduction: leaves d, e of T in work and v_k (scaled so that H_k = I − β_k v_k v_kᵀ)
// in row k of A, columns k+1 … n−1, β_k in work[2n + k].
function tridiagonalize(a: usize, n: i32, work: usize): void {
  const d = work;
  const e = work + (<usize>n << 3);
  const beta = work + (<usize>(2 * n) << 3);
  const p = work + (<usize>(3 * n) << 3);
  for (let k: i32 = 0; k < n - 2; k++) {
    const m = n - k - 1;
    const v = at(a, n, k, k + 1); // x = A[k, k+1 …] = A[k+1 …, k] by symmetry
    store<f64>(el(d, k), load<f64>(at(a, n, k, k)));
    let scale: f64 = 0.0;
    for (let i: i32 = 1; i < m; i++) scale = max(scale, abs<f64>(load<f64>(el(v, i))));
    const x0 = load<f64>(v);
    if (scale == 0.0) {
      // Already tridiagonal in this column: H_k = I.
      store<f64>(el(e, k), x0);
      store<f64>(el(beta, k), 0.0);
      continue;
    }
    scale = max(scale, abs<f64>(x0));
    // The reflector is invariant under scaling v, so work with x / scale: no over- or underflow.
    for (let i: i32 = 0; i < m; i++) store<f64>(el(v, i), load<f64>(el(v, i)) / scale);
    const sigma = sqrt<f64>(dot(v, v, m));
    const y0 = load<f64>(v);
    // α has the sign opposite to x0 so that v0 = x0 − α involves no cancellation.
    const alpha = y0 >= 0.0 ? -sigma : sigma;
    store<f64>(v, y0 - alpha);
    const b = 2.0 / dot(v, v, m);
    store<f64>(el(e, k), alpha * scale);
    store<f64>(el(beta, k), b);
    // A' ← H A' H on the trailing m × m block: p = β A' v, w = p − (β pᵀv / 2) v,
    // A' −= v wᵀ + w vᵀ (rows of A' are contiguous).
    const a0 = at(a, n, k + 1, k + 1);
    const rs = <usize>n << 3;
    for (let i: i32 = 0; i < m; i++) store<f64>(el(p, i), b * dot(a0 + <usize>i * rs, v, m));
    const half = 0.5 * b * dot(p, v, m);
    for (let i: i32 = 0; i < m; i++) store<f64>(el(p, i), load<f64>(el(p, i)) - half * load<f64>(el(v, i)));
    for (let i: i32 = 0; i < m; i++) update2(a0 + <usize>i * rs, load<f64>(el(v, i)), p, load<f64>(el(p, i)), v, m);
  }
  if (n >= 2) {
    store<f64>(el(d, n - 2), load<f64>(at(a, n, n - 2, n - 2)));
    store<f64>(el(e, n - 2), load<f64>(at(a, n, n - 2, n - 1)));
  }
  store<f64>(el(d, n - 1), load<f64>(at(a, n, n - 1, n - 1)));
}

// W = Qᵀ = H_{n−3} ⋯ H_0, built by applying H_0, H_1, … from the left to I.
function formQTransposed(a: usize, n: i32, w: usize, work: usize): void {
  const beta = work + (<usize>(2 * n) << 3);
  const t = work + (<usize>(3 * n) << 3);
  for (let i: i32 = 0; i < n; i++) {
    for (let j: i32 = 0; j < n; j++) store<f64>(at(w, n, i, j), i == j ? 1.0 : 0.0);
  }
  for (let k: i32 = 0; k < n - 2; k++) {
    const b = load<f64>(el(beta, k));
    if (b == 0.0) continue;
    const v = at(a, n, k, k + 1);
    const m = n - k - 1;
    for (let j: i32 = 0; j < n; j++) store<f64>(el(t, j), 0.0);
    for (let i: i32 = 0; i < m; i++) update2(t, -load<f64>(el(v, i)), at(w, n, k + 1 + i, 0), 0.0, t, n);
    for (let i: i32 = 0; i < m; i++) update2(at(w, n, k + 1 + i, 0), b * load<f64>(el(v, i)), t, 0.0, t, n);
  }
}

/**
 * Eigenvalues (into work[0 … n), unsorted) and eigenvectors (rows of `w`) of the symmetric
 * row-major n × n matrix at `a`, which is destroyed. `work` holds 4n float64. Returns the number of
 * implicit QR steps taken, or −1 when `maxSteps` did not suffice (typically ~2 per eigenvalue).
 * Deflation sets e_i to 0 when |e_i| ≤ u (|d_i| + |d_{i+1}|) or |e_i| < max(u max|T_ij|, 2.2e-308):
 * a perturbation of at most u‖A‖ + 2.2e-308 each.
 */
export function symmetricEigenFloat64(a: usize, n: i32, w: usize, work: usize, maxSteps: i32): i32 {
  for (let i: i32 = 0; i < n; i++) {
    for (let j: i32 = 0; j < i; j++) store<f64>(at(a, n, i, j), load<f64>(at(a, n, j, i)));
  }
  tridiagonalize(a, n, work);
  formQTransposed(a, n, w, work);
  const d = work;
  const e = work + (<usize>n << 3);
  // ‖T‖ scale for the absolute deflation test: without it a tiny e_i between zero diagonals
  // next to huge entries is never deflated (its rotations underflow to the identity).
  let normT: f64 = 0.0;
  for (let i: i32 = 0; i < n; i++) normT = max(normT, abs<f64>(load<f64>(el(d, i))));
  for (let i: i32 = 0; i + 1 < n; i++) normT = max(normT, abs<f64>(load<f64>(el(e, i))));
  const cutoff = max(U * normT, TINY);
  let steps: i32 = 0;
  let hi: i32 = n - 1;
  while (hi > 0) {
    // Deflate negligible subdiagonals, then find the unreduced block lo … hi.
    for (let i: i32 = 0; i < hi; i++) {
      const ei = abs<f64>(load<f64>(el(e, i)));
      if (ei <= U * (abs<f64>(load<f64>(el(d, i))) + abs<f64>(load<f64>(el(d, i + 1)))) || ei < cutoff) store<f64>(el(e, i), 0.0);
    }
    if (load<f64>(el(e, hi - 1)) == 0.0) {
      hi--;
      continue;
    }
    let lo = hi - 1;
    while (lo > 0 && load<f64>(el(e, lo - 1)) != 0.0) lo--;
    if (steps >= maxSteps) return -1;
    steps++;
    qrStep(d, e, lo, hi, w, n);
  }
  return steps;
}

// One implicit symmetric QR step with Wilkinson shift on the block lo … hi of T (d, e), chasing
// the bulge with Givens rotations G_k; each is applied as W ← G_kᵀ W to rows k, k+1 of W.
function qrStep(d: usize, e: usize, lo: i32, hi: i32, w: usize, n: i32): void {
  const am = load<f64>(el(d, hi - 1));
  const bm = load<f64>(el(e, hi - 1));
  const cm = load<f64>(el(d, hi));
  const delta = 0.5 * (am - cm);
  const root = Math.hypot(delta, bm);
  // bm · (bm / …), not bm² / …: bm² underflows for tiny bm and the shift would be lost.
  const mu = cm - bm * (bm / (delta >= 0.0 ? delta + root : delta - root));
  let x = load<f64>(el(d, lo)) - mu;
  let z = load<f64>(el(e, lo));
  for (let k: i32 = lo; k < hi; k++) {
    const r = Math.hypot(x, z);
    const c = r == 0.0 ? 1.0 : x / r;
    const s = r == 0.0 ? 0.0 : z / r;
    if (k > lo) store<f64>(el(e, k - 1), r);
    const dk = load<f64>(el(d, k));
    const ek = load<f64>(el(e, k));
    const dk1 = load<f64>(el(d, k + 1));
    const cs = c * s;
    store<f64>(el(d, k), c * c * dk + 2.0 * cs * ek + s * s * dk1);
    store<f64>(el(d, k + 1), s * s * dk - 2.0 * cs * ek + c * c * dk1);
    const ekNew = cs * (dk1 - dk) + (c * c - s * s) * ek;
    store<f64>(el(e, k), ekNew);
    rotateRows(at(w, n, k, 0), at(w, n, k + 1, 0), c, s, n);
    if (k + 1 < hi) {
      const ek1 = load<f64>(el(e, k + 1));
      x = ekNew;
      z = s * ek1; // the bulge T[k+2, k]
      store<f64>(el(e, k + 1), c * ek1);
    }
  }
}
