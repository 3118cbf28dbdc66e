// Cholesky factorization A = L Lᵀ of a symmetric positive definite matrix (SPEC §6: infinite-time
// predictions), and solves with L. Row-major n × n float64; only the lower triangle is read.
// Method: Cholesky–Crout (dot-product form): every dot product runs along two contiguous rows.
import { axpyNeg, dot } from "./vector";

@inline function row(a: usize, n: i32, i: i32): usize {
  return a + ((<usize>i * <usize>n) << 3);
}

/**
 * Overwrites the lower triangle of the row-major n × n matrix at `a` with L (A = L Lᵀ); the strict
 * upper triangle is left as it was. Returns −1 on success, or the first column j whose pivot
 * a_jj − Σ L_jp² is not positive (A is not positive definite in float64; the leading j × j block is).
 */
export function choleskyFactor(a: usize, n: i32): i32 {
  for (let j: i32 = 0; j < n; j++) {
    const rj = row(a, n, j);
    const d = load<f64>(rj + (<usize>j << 3)) - dot(rj, rj, j);
    // `!(d > 0)` also catches NaN, so failure is reported, never propagated.
    if (!(d > 0.0)) return j;
    const ljj = sqrt<f64>(d);
    store<f64>(rj + (<usize>j << 3), ljj);
    for (let i: i32 = j + 1; i < n; i++) {
      const ri = row(a, n, i);
      const o = ri + (<usize>j << 3);
      store<f64>(o, (load<f64>(o) - dot(ri, rj, j)) / ljj);
    }
  }
  return -1;
}

@inline function scaleRow(x: usize, d: f64, len: i32): void {
  for (let c: i32 = 0; c < len; c++) {
    const o = x + (<usize>c << 3);
    store<f64>(o, load<f64>(o) / d);
  }
}

/** Solves L Lᵀ X = B in place for the row-major n × k right-hand sides at `b`, L from `choleskyFactor`. */
export function choleskySolve(l: usize, n: i32, b: usize, k: i32): void {
  const rowBytes = <usize>k << 3;
  for (let i: i32 = 0; i < n; i++) {
    const li = row(l, n, i);
    const bi = b + <usize>i * rowBytes;
    for (let p: i32 = 0; p < i; p++) {
      const v = load<f64>(li + (<usize>p << 3));
      if (v != 0.0) axpyNeg(bi, b + <usize>p * rowBytes, v, k);
    }
    scaleRow(bi, load<f64>(li + (<usize>i << 3)), k);
  }
  for (let i: i32 = n - 1; i >= 0; i--) {
    const li = row(l, n, i);
    const bi = b + <usize>i * rowBytes;
    scaleRow(bi, load<f64>(li + (<usize>i << 3)), k);
    for (let p: i32 = 0; p < i; p++) {
      const v = load<f64>(li + (<usize>p << 3));
      if (v != 0.0) axpyNeg(b + <usize>p * rowBytes, bi, v, k);
    }
  }
}
