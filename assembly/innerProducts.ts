// Layer 1 of every pair from the inner products x_i·x_j (docs/RECURSIONS.md): ε_1 = c1 (1 − x·x′)
// and the angle θ_1 = arccos Σ̄^(1), as a blocked GEMM: the inner products of a block of
// GRAM_INIT_BLOCK rows with another block come from 4 × 2 register tiles whose rows stay in cache,
// instead of one pass over both rows per pair. Where the inner product cancels the complement is
// recomputed from the points, which keeps its relative accuracy and does not see the last-bit
// deviation of |x| from 1: 1 − x·x′ = |x − x′|²/2 for close points, and 1 + x·x′ = |x + x′|²/2 for
// nearly antipodal ones, whose θ_1 = π − 2 asin(|x + x′|/2) would otherwise lose π − θ_1 (κ0 of
// layer 1, which enters Θ̄^(2) directly) to the rounding of ε_1 near 2. Every pair's inner product
// is summed in one fixed order, even coordinates and odd coordinates in two running sums, whichever
// tile or edge loop computes it, so the result does not depend on the blocking or on which thread
// runs a block.

import { thetaOfComplements } from "./correlation";
import { dot } from "./vector";

/** Rows per block: two blocks of 64 rows in R^784 (800 KB) stay in a core's L2 cache. */
export const GRAM_INIT_BLOCK: i32 = 64;

/** Below this value of 1 − x·x′ (of 1 + x·x′) it is recomputed from the difference (the sum) of the points. */
const EXACT_BELOW: f64 = 0.5;

// @ts-ignore: decorator
@inline function pairIndex(m: i32, i: i32, j: i32): usize {
  return <usize>i * <usize>m - ((<usize>i * <usize>(i + 1)) >> 1) + <usize>(j - i - 1);
}

// Lane sum of a tile accumulator, plus the odd last coordinate, exactly as `dot` (./vector) sums.
// @ts-ignore: decorator
@inline function finishDot(acc: v128, x: usize, y: usize, n0: i32): f64 {
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (n0 & 1) {
    const o = <usize>(n0 - 1) << 3;
    s += load<f64>(x + o) * load<f64>(y + o);
  }
  return s;
}

// |x + sign x′|²/2 over n0 coordinates (sign ±1, so sign x′ is exact).
function halfSquaredNorm(x: usize, y: usize, n0: i32, sign: f64): f64 {
  let s: f64 = 0.0;
  for (let c: i32 = 0; c < n0; c++) {
    const t = load<f64>(x + (<usize>c << 3)) + sign * load<f64>(y + (<usize>c << 3));
    s += t * t;
  }
  return 0.5 * s;
}

// Stores the pair (i, j), i < j, from its inner product: ε_1 = c1 (1 − x·x′) to `eps` and
// θ_1 = arccos Σ̄^(1) from both ε_1 and 1 + Σ̄^(1) = twoBias + c1 (1 + x·x′) to `u`.
// @ts-ignore: decorator
@inline function storePair(coords: usize, m: i32, n0: i32, c1: f64, twoBias: f64, eps: usize, u: usize, i: i32, j: i32, dot: f64): void {
  let d = 1.0 - dot;
  let s = 1.0 + dot;
  const rowBytes = <usize>n0 << 3;
  const xi = coords + <usize>i * rowBytes;
  const xj = coords + <usize>j * rowBytes;
  if (d < EXACT_BELOW) d = halfSquaredNorm(xi, xj, n0, -1.0);
  else if (s < EXACT_BELOW) s = halfSquaredNorm(xi, xj, n0, 1.0);
  const e = min<f64>(c1 * d, 2.0);
  const k = pairIndex(m, i, j) << 3;
  store<f64>(eps + k, e);
  store<f64>(u + k, thetaOfComplements(e, min<f64>(twoBias + c1 * s, 2.0)));
}

/**
 * Layer 1 of the pairs (i, j), i < j, with i in block `bi` and j in block `bj` (blocks of
 * GRAM_INIT_BLOCK rows, bi ≤ bj): ε_1 = 1 − Σ̄^(1) ∈ [0, 2] to `eps` and θ_1 = arccos Σ̄^(1) to `u`,
 * where Σ̄^(1) = 1 − c1 (1 − x·x′) and `twoBias` = 2 σb²/q_1 (so 1 + Σ̄^(1) = twoBias + c1 (1 + x·x′)).
 * `coords` is row-major m × n0; `eps` and `u` are the packed pair arrays (pair (i, j) at
 * i m − i (i + 1)/2 + j − i − 1).
 */
export function gramInitialBlock(coords: usize, m: i32, n0: i32, c1: f64, twoBias: f64, eps: usize, u: usize, bi: i32, bj: i32): void {
  const i0 = bi * GRAM_INIT_BLOCK;
  const i1 = min(i0 + GRAM_INIT_BLOCK, m);
  const j0 = bj * GRAM_INIT_BLOCK;
  const j1 = min(j0 + GRAM_INIT_BLOCK, m);
  const rowBytes = <usize>n0 << 3;
  const pairsOfCoords = n0 & ~1;
  let i = i0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= i1; i += 4) {
      const x0 = coords + <usize>i * rowBytes;
      const x1 = x0 + rowBytes;
      const x2 = x1 + rowBytes;
      const x3 = x2 + rowBytes;
      let j = max(j0, i + 1);
      for (; j + 2 <= j1; j += 2) {
        const y0 = coords + <usize>j * rowBytes;
        const y1 = y0 + rowBytes;
        let a00 = f64x2.splat(0.0), a01 = f64x2.splat(0.0);
        let a10 = f64x2.splat(0.0), a11 = f64x2.splat(0.0);
        let a20 = f64x2.splat(0.0), a21 = f64x2.splat(0.0);
        let a30 = f64x2.splat(0.0), a31 = f64x2.splat(0.0);
        for (let c: i32 = 0; c < pairsOfCoords; c += 2) {
          const o = <usize>c << 3;
          const v0 = v128.load(y0 + o);
          const v1 = v128.load(y1 + o);
          let w = v128.load(x0 + o);
          a00 = f64x2.add(a00, f64x2.mul(w, v0));
          a01 = f64x2.add(a01, f64x2.mul(w, v1));
          w = v128.load(x1 + o);
          a10 = f64x2.add(a10, f64x2.mul(w, v0));
          a11 = f64x2.add(a11, f64x2.mul(w, v1));
          w = v128.load(x2 + o);
          a20 = f64x2.add(a20, f64x2.mul(w, v0));
          a21 = f64x2.add(a21, f64x2.mul(w, v1));
          w = v128.load(x3 + o);
          a30 = f64x2.add(a30, f64x2.mul(w, v0));
          a31 = f64x2.add(a31, f64x2.mul(w, v1));
        }
        // Only entries above the diagonal are stored (the tile may straddle it in diagonal blocks).
        if (i < j) storePair(coords, m, n0, c1, twoBias, eps, u, i, j, finishDot(a00, x0, y0, n0));
        if (i < j + 1) storePair(coords, m, n0, c1, twoBias, eps, u, i, j + 1, finishDot(a01, x0, y1, n0));
        if (i + 1 < j) storePair(coords, m, n0, c1, twoBias, eps, u, i + 1, j, finishDot(a10, x1, y0, n0));
        if (i + 1 < j + 1) storePair(coords, m, n0, c1, twoBias, eps, u, i + 1, j + 1, finishDot(a11, x1, y1, n0));
        if (i + 2 < j) storePair(coords, m, n0, c1, twoBias, eps, u, i + 2, j, finishDot(a20, x2, y0, n0));
        if (i + 2 < j + 1) storePair(coords, m, n0, c1, twoBias, eps, u, i + 2, j + 1, finishDot(a21, x2, y1, n0));
        if (i + 3 < j) storePair(coords, m, n0, c1, twoBias, eps, u, i + 3, j, finishDot(a30, x3, y0, n0));
        if (i + 3 < j + 1) storePair(coords, m, n0, c1, twoBias, eps, u, i + 3, j + 1, finishDot(a31, x3, y1, n0));
      }
      // A last odd column of the block.
      for (; j < j1; j++) {
        const y = coords + <usize>j * rowBytes;
        for (let r: i32 = 0; r < 4; r++) {
          if (i + r < j) storePair(coords, m, n0, c1, twoBias, eps, u, i + r, j, dot(coords + <usize>(i + r) * rowBytes, y, n0));
        }
      }
    }
  }
  // Rows left over (all rows in the scalar build): one pair at a time, same summation order.
  for (; i < i1; i++) {
    const x = coords + <usize>i * rowBytes;
    for (let j = max(j0, i + 1); j < j1; j++) {
      storePair(coords, m, n0, c1, twoBias, eps, u, i, j, dot(x, coords + <usize>j * rowBytes, n0));
    }
  }
}
