// The elementwise and small-matrix steps of a finite ReLU network's passes (docs/FINITE_WIDTH.md).
// Activations and back-propagated vectors are stored feature-major: a layer of width n for a batch
// of m inputs is an n × m row-major matrix, column c belonging to input c.

import { normalFill } from "./normal";

/** Values of W drawn per piece of normalFillPanels (64 KiB): the packing reads them from L2, and each panel gets runs of several cache lines. */
const PANEL_FILL_VALUES: i32 = 8192;

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

/**
 * Rows p0 … p1 − 1 of a layer's weights W (n × m, value p·m + i of Gaussian stream `stream`, as
 * normalFill numbers them) to `w` (row-major, the whole matrix at w) and, transposed, to the panels
 * gemmPanels reads: column block t of W (columns 4t … 4t + 3, fewer at the edge) is panel t at
 * panels + 32·t·n, entry W[p, 4t + q] at + 8 (4p + q). The forward pass multiplies by W and the
 * backward pass by Wᵀ from its panels. Packing a few rows at a time right after they are drawn
 * reads them from cache, where a strip copy in the backward product reads W from memory. With
 * `keepRows` 0 only the panels are kept: each piece of rows is drawn over the first rows of this
 * call's range at w (the backward pass has no use for W row-major, and writing all of it costs as
 * much as the panels). p0·m must be even (normalFill's pairs); any cut of the rows into such
 * pieces gives the same values.
 */
export function normalFillPanels(w: usize, panels: usize, n: i32, m: i32, p0: i32, p1: i32, seedHi: u32, seedLo: u32, stream: u32, keepRows: i32): void {
  const step = max(2, (PANEL_FILL_VALUES / m) & ~1);
  const panelBytes = <usize>n << 5;
  const fullCols = m & ~3;
  for (let q0 = p0; q0 < p1; q0 += step) {
    const q1 = min(p1, q0 + step);
    const rows = w + ((<usize>(keepRows != 0 ? q0 : p0) * <usize>m) << 3);
    normalFill(rows, (q1 - q0) * m, seedHi, seedLo, stream, q0 * m);
    // Panel by panel, so that each one receives a contiguous run of (q1 − q0)·32 bytes: row by row,
    // the stores would land a panel apart (32·n bytes) and each cache line would be fetched twice.
    const rowBytes = <usize>m << 3;
    let panel = panels + (<usize>q0 << 5);
    let j: i32 = 0;
    for (; j < fullCols; j += 4, panel += panelBytes) {
      let src = rows + (<usize>j << 3);
      let dst = panel;
      for (let p = q0; p < q1; p++, src += rowBytes, dst += 32) {
        if (ASC_FEATURE_SIMD) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
        } else {
          for (let q: usize = 0; q < 32; q += 8) store<f64>(dst + q, load<f64>(src + q));
        }
      }
    }
    // The last panel, narrower than 4 columns, in a loop of its own: one loop with a width test per
    // row measured about 10% slower for the whole draw.
    if (j < m) {
      let src = rows + (<usize>j << 3);
      let dst = panel;
      const edge = <usize>(m - j) << 3;
      for (let p = q0; p < q1; p++, src += rowBytes, dst += 32) {
        for (let q: usize = 0; q < edge; q += 8) store<f64>(dst + q, load<f64>(src + q));
      }
    }
  }
}
