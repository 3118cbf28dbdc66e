// Contiguous float64 vector kernels shared by the factorizations (lu.ts, cholesky.ts, eigen.ts) and the
// Gram's inner products (innerProducts.ts). Not exported from the module: inlined into their callers.
// SIMD where the build has it, a scalar tail.

/** dst[0 … len) −= s · src[0 … len), contiguous float64. */
@inline export function axpyNeg(dst: usize, src: usize, s: f64, len: i32): void {
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

/**
 * Σ_{p < len} x[p] y[p] over contiguous float64: the even and the odd terms in two partial sums,
 * added at the end, then the last term of an odd length. The SIMD build keeps the two sums in the
 * lanes of one vector, the scalar build in two variables: the same roundings, so the same bits.
 */
@inline export function dot(x: usize, y: usize, len: i32): f64 {
  let p: i32 = 0;
  let s: f64 = 0.0;
  if (ASC_FEATURE_SIMD) {
    let v = f64x2.splat(0.0);
    for (; p + 2 <= len; p += 2) {
      const o = <usize>p << 3;
      v = f64x2.add(v, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    }
    s = f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
  } else {
    let even: f64 = 0.0;
    let odd: f64 = 0.0;
    for (; p + 2 <= len; p += 2) {
      const o = <usize>p << 3;
      even += load<f64>(x + o) * load<f64>(y + o);
      odd += load<f64>(x + o, 8) * load<f64>(y + o, 8);
    }
    s = even + odd;
  }
  for (; p < len; p++) {
    const o = <usize>p << 3;
    s += load<f64>(x + o) * load<f64>(y + o);
  }
  return s;
}
