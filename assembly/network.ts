// The elementwise and small-matrix steps of a finite ReLU network's passes (docs/FINITE_WIDTH.md).
// Activations and back-propagated vectors are stored feature-major: a layer of width n for a batch
// of m inputs is an n × m row-major matrix, column c belonging to input c.

/** x[i, c] ← x[i, c] + σb·bias[i] for the n × m matrix x, then ReLU when `relu` ≠ 0. */
export function addBias(x: usize, bias: usize, sigmaB: f64, n: i32, m: i32, relu: i32): void {
  for (let i: i32 = 0; i < n; i++) {
    const shift = sigmaB * load<f64>(bias + (<usize>i << 3));
    const row = x + ((<usize>i * <usize>m) << 3);
    for (let c: i32 = 0; c < m; c++) {
      const p = row + (<usize>c << 3);
      const z = load<f64>(p) + shift;
      // NaN passes through (z <= 0 is false for it): a diverged weight must not be hidden as an inactive unit.
      store<f64>(p, relu != 0 && z <= 0.0 ? 0.0 : z);
    }
  }
}

/** d[i, c] ← d[i, c] where a[i, c] > 0, else 0: the ReLU derivative (0 at 0) for post-activations a. */
export function reluMask(d: usize, a: usize, count: i32): void {
  for (let i: i32 = 0; i < count; i++) {
    const o = <usize>i << 3;
    if (!(load<f64>(a + o) > 0.0)) store<f64>(d + o, 0.0);
  }
}

/**
 * g ← α·xᵀx for the n × m matrix x (g is m × m): the inner products of its columns, each summed
 * over rows in increasing order, so g is exactly symmetric.
 */
export function columnGram(g: usize, x: usize, n: i32, m: i32, alpha: f64): void {
  const mm = m * m;
  memory.fill(g, 0, <usize>mm << 3);
  const rowBytes = <usize>m << 3;
  for (let p: i32 = 0; p < n; p++) {
    const row = x + <usize>p * rowBytes;
    for (let i: i32 = 0; i < m; i++) {
      const s = load<f64>(row + (<usize>i << 3));
      if (s == 0.0) continue;
      const gi = g + <usize>i * rowBytes;
      let c: i32 = 0;
      if (ASC_FEATURE_SIMD) {
        const sv = f64x2.splat(s);
        for (; c + 2 <= m; c += 2) {
          const o = <usize>c << 3;
          v128.store(gi + o, f64x2.add(v128.load(gi + o), f64x2.mul(sv, v128.load(row + o))));
        }
      }
      for (; c < m; c++) {
        const o = <usize>c << 3;
        store<f64>(gi + o, load<f64>(gi + o) + s * load<f64>(row + o));
      }
    }
  }
  if (alpha != 1.0) {
    for (let e: i32 = 0; e < mm; e++) {
      const o = <usize>e << 3;
      store<f64>(g + o, alpha * load<f64>(g + o));
    }
  }
}

/** θ[e] ← θ[e] + gd[e]·(cw·ga[e] + cb) for the m × m matrices: one layer's term of the empirical NTK. */
export function ntkLayerTerm(theta: usize, gd: usize, ga: usize, mm: i32, cw: f64, cb: f64): void {
  for (let e: i32 = 0; e < mm; e++) {
    const o = <usize>e << 3;
    store<f64>(theta + o, load<f64>(theta + o) + load<f64>(gd + o) * (cw * load<f64>(ga + o) + cb));
  }
}

/** dst[i, c] ← α·src[i, c]·r[c] for the n × m matrices (scales each input's column by its residual). */
export function scaleColumns(dst: usize, src: usize, r: usize, n: i32, m: i32, alpha: f64): void {
  for (let i: i32 = 0; i < n; i++) {
    const row = <usize>i * <usize>m;
    for (let c: i32 = 0; c < m; c++) {
      const o = (row + <usize>c) << 3;
      store<f64>(dst + o, alpha * load<f64>(src + o) * load<f64>(r + (<usize>c << 3)));
    }
  }
}

/** dst (m × n) ← transpose of src (n × m). */
export function transpose(dst: usize, src: usize, n: i32, m: i32): void {
  for (let i: i32 = 0; i < n; i++) {
    for (let c: i32 = 0; c < m; c++) {
      store<f64>(dst + ((<usize>c * <usize>n + <usize>i) << 3), load<f64>(src + ((<usize>i * <usize>m + <usize>c) << 3)));
    }
  }
}

/** b[i] ← b[i] + α Σ_c d[i, c] for the n × m matrix d (the bias step of gradient descent, d already scaled by the residuals). */
export function addRowSums(b: usize, d: usize, n: i32, m: i32, alpha: f64): void {
  for (let i: i32 = 0; i < n; i++) {
    const row = d + ((<usize>i * <usize>m) << 3);
    let s: f64 = 0.0;
    for (let c: i32 = 0; c < m; c++) s += load<f64>(row + (<usize>c << 3));
    store<f64>(b + (<usize>i << 3), load<f64>(b + (<usize>i << 3)) + alpha * s);
  }
}
