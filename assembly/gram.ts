// Gram matrices through depth (SPEC §2, §4, §5) for m points on the unit sphere. Every point has
// the same diagonal q_l, so the layer scalars (w_l, τ_l) are shared by all pairs and come from
// TypeScript; per unique pair i < j only two numbers are carried, in complement form:
//   ε = 1 − Σ̄ and u = 1 − Θ̄  (contract.md math notes), ε' = w (ε − g(θ)/π),
//   u' = a (u + (1 − u) θ/π) + b ε',  a = w τ_l / τ_{l+1},  b = 1 / τ_{l+1}.
// Pairs are stored packed: pair (i, j), i < j, at index i m − i (i + 1)/2 + j − i − 1.
// The depth loop runs inside the pair loop so that a pair's state stays in registers for a whole
// chunk of layers; the per-layer coefficients (3 float64 per layer) stay in L1. Below
// ε = SERIES_EPS_MAX the step uses the polynomial forms of complementSeries.ts (no asin/sin/cos).

import { complementStep, thetaOfComplement } from "./correlation";
import { SERIES_EPS_MAX, seriesTA, seriesTA2, seriesTB, seriesTB2 } from "./complementSeries";

/** Float64 values per layer in the coefficient buffer handed to `gramAdvance`: w, a, b. */
export const GRAM_COEFFICIENTS_PER_LAYER: i32 = 3;

const INV_PI: f64 = 1.0 / Math.PI;

/**
 * Layer-1 complements of every pair: ε_1 = u_1 = c1 · |x_i − x_j|² / 2, where `c1` =
 * σw² / (n0 q_1) (1 in the paper's case). |x − x′|²/2 equals 1 − x·x′ for unit vectors but does
 * not cancel for nearby points, and it is insensitive to the last-bit deviation of |x| from 1.
 * Clamped to [0, 2] so that an antipodal pair rounded past 2 still has a defined θ.
 * `coords` is row-major m × n0; `eps` and `u` receive m (m − 1) / 2 values each.
 */
export function gramInitialComplement(coords: usize, m: i32, n0: i32, c1: f64, eps: usize, u: usize): void {
  let k: usize = 0;
  const rowBytes = <usize>n0 << 3;
  for (let i: i32 = 0; i < m; i++) {
    const xi = coords + <usize>i * rowBytes;
    for (let j: i32 = i + 1; j < m; j++) {
      const xj = coords + <usize>j * rowBytes;
      let s: f64 = 0.0;
      for (let c: i32 = 0; c < n0; c++) {
        const d = load<f64>(xi + (<usize>c << 3)) - load<f64>(xj + (<usize>c << 3));
        s += d * d;
      }
      const e = min<f64>(c1 * (0.5 * s), 2.0);
      store<f64>(eps + (k << 3), e);
      store<f64>(u + (k << 3), e);
      k++;
    }
  }
}

/**
 * Advances pairs `first … first + count − 1` by `steps` layers. `coef` holds, per layer,
 * w_l, a_l = w_l τ_l / τ_{l+1} and b_l = 1 / τ_{l+1} (GRAM_COEFFICIENTS_PER_LAYER values).
 * ε never increases through depth, so a pair runs the exact step (correlation.ts) while
 * ε ≥ SERIES_EPS_MAX and the polynomial step after that; the SIMD build runs four pairs at once
 * in two f64x2 vectors (two independent dependency chains: the loop is bound by latency).
 * ε stays in [0, 2], and coincident points (ε = u = 0) stay exactly 0.
 */
export function gramAdvance(eps: usize, u: usize, first: i32, count: i32, coef: usize, steps: i32): void {
  let p: usize = <usize>first << 3;
  const end: usize = <usize>(first + count) << 3;
  if (ASC_FEATURE_SIMD) {
    // Four pairs in two f64x2 vectors: two independent dependency chains per layer.
    for (; p + 32 <= end; p += 32) advanceFour(eps + p, u + p, coef, steps);
  }
  for (; p < end; p += 8) advanceOne(eps + p, u + p, coef, steps);
}

/** Bytes per layer in the coefficient buffer. */
const LAYER_BYTES: usize = <usize>GRAM_COEFFICIENTS_PER_LAYER << 3;

// u′ = a (u + (1 − u) θ/π) + b ε′ (contract math notes).
// @ts-ignore: decorator
@inline function nextU(v: f64, thetaOverPi: f64, a: f64, b: f64, eNext: f64): f64 {
  return a * (v + (1.0 - v) * thetaOverPi) + b * eNext;
}

// One layer of one pair, exact or polynomial by its own ε, so that a pair's result never depends
// on which other pairs share its SIMD group (coincident points keep bitwise identical rows).
// @ts-ignore: decorator
@inline function stepOne(ep: usize, up: usize, w: f64, a: f64, b: f64): void {
  const e = load<f64>(ep);
  let eNext: f64;
  let thetaOverPi: f64;
  if (e >= SERIES_EPS_MAX) {
    const theta = thetaOfComplement(e);
    eNext = complementStep(e, theta, w);
    thetaOverPi = theta * INV_PI;
  } else {
    const r = Math.sqrt(e + e);
    eNext = w * (e * (1.0 - r * seriesTB(e)));
    thetaOverPi = r * seriesTA(e);
  }
  store<f64>(up, nextU(load<f64>(up), thetaOverPi, a, b, eNext));
  store<f64>(ep, eNext);
}

function advanceOne(ep: usize, up: usize, coef: usize, steps: i32): void {
  let e = load<f64>(ep);
  let v = load<f64>(up);
  let c = coef;
  let l: i32 = 0;
  for (; l < steps && e >= SERIES_EPS_MAX; l++, c += LAYER_BYTES) {
    const theta = thetaOfComplement(e);
    const eNext = complementStep(e, theta, load<f64>(c));
    v = nextU(v, theta * INV_PI, load<f64>(c, 8), load<f64>(c, 16), eNext);
    e = eNext;
  }
  for (; l < steps; l++, c += LAYER_BYTES) {
    const r = Math.sqrt(e + e);
    const eNext = load<f64>(c) * (e * (1.0 - r * seriesTB(e)));
    v = nextU(v, r * seriesTA(e), load<f64>(c, 8), load<f64>(c, 16), eNext);
    e = eNext;
  }
  store<f64>(ep, e);
  store<f64>(up, v);
}

// Four adjacent pairs in the lanes of two f64x2 vectors (SIMD build). Layers where any lane is
// still above SERIES_EPS_MAX run the exact step lane by lane.
function advanceFour(ep: usize, up: usize, coef: usize, steps: i32): void {
  let c = coef;
  let l: i32 = 0;
  while (l < steps && max<f64>(max<f64>(load<f64>(ep), load<f64>(ep, 8)), max<f64>(load<f64>(ep, 16), load<f64>(ep, 24))) >= SERIES_EPS_MAX) {
    const w = load<f64>(c);
    const a = load<f64>(c, 8);
    const b = load<f64>(c, 16);
    for (let k: usize = 0; k < 32; k += 8) stepOne(ep + k, up + k, w, a, b);
    l++;
    c += LAYER_BYTES;
  }
  let e = v128.load(ep);
  let f = v128.load(ep, 16);
  let v = v128.load(up);
  let x = v128.load(up, 16);
  for (; l < steps; l++, c += LAYER_BYTES) {
    const w = v128.load64_splat(c);
    const a = v128.load64_splat(c, 8);
    const b = v128.load64_splat(c, 16);
    const eNext = seriesComplementStep2(e, w);
    const fNext = seriesComplementStep2(f, w);
    v = nextU2(v, thetaOverPi2(e), a, b, eNext);
    x = nextU2(x, thetaOverPi2(f), a, b, fNext);
    e = eNext;
    f = fNext;
  }
  v128.store(ep, e);
  v128.store(ep, f, 16);
  v128.store(up, v);
  v128.store(up, x, 16);
}

// ε′ = w ε (1 − r TB(ε)), r = sqrt(2ε), in both lanes.
// @ts-ignore: decorator
@inline function seriesComplementStep2(e: v128, w: v128): v128 {
  const r = f64x2.sqrt(f64x2.add(e, e));
  return f64x2.mul(w, f64x2.mul(e, f64x2.sub(f64x2.splat(1.0), f64x2.mul(r, seriesTB2(e)))));
}

// θ/π = r TA(ε) in both lanes.
// @ts-ignore: decorator
@inline function thetaOverPi2(e: v128): v128 {
  return f64x2.mul(f64x2.sqrt(f64x2.add(e, e)), seriesTA2(e));
}

// @ts-ignore: decorator
@inline function nextU2(v: v128, thetaOverPi: v128, a: v128, b: v128, eNext: v128): v128 {
  const carried = f64x2.add(v, f64x2.mul(f64x2.sub(f64x2.splat(1.0), v), thetaOverPi));
  return f64x2.add(f64x2.mul(a, carried), f64x2.mul(b, eNext));
}

/**
 * Writes the full symmetric m × m matrix (row-major at `out`) of the packed pair values at
 * `packed`: entries `packed` itself, or 1 − `packed` when `fromComplement` is 1, and `diagonal`
 * on the diagonal (exactly 1 for Σ̄, Θ̄ and 0 for their complements; never through arccos(1)).
 */
export function gramUnpack(packed: usize, m: i32, out: usize, diagonal: f64, fromComplement: i32): void {
  let k: usize = 0;
  const n = <usize>m;
  for (let i: usize = 0; i < n; i++) {
    store<f64>(out + ((i * n + i) << 3), diagonal);
    for (let j: usize = i + 1; j < n; j++) {
      const p = load<f64>(packed + (k << 3));
      const x = fromComplement ? 1.0 - p : p;
      store<f64>(out + ((i * n + j) << 3), x);
      store<f64>(out + ((j * n + i) << 3), x);
      k++;
    }
  }
}
