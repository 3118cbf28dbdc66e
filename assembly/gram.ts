// Gram matrices through depth (SPEC §2, §4, §5) for m points on the unit sphere. Every point has
// the same diagonal q_l, so the layer scalars (w_l, τ_l) are shared by all pairs and come from
// TypeScript; per unique pair i < j only two numbers are carried, in complement form:
//   ε = 1 − Σ̄ and u = 1 − Θ̄  (docs/RECURSIONS.md), ε' = w (ε − g(θ)/π),
//   u' = a (u + (1 − u) θ/π) + b ε',  a = w τ_l / τ_{l+1},  b = 1 / τ_{l+1}.
// Pairs are stored packed: pair (i, j), i < j, at index i m − i (i + 1)/2 + j − i − 1.
// The depth loop runs inside the pair loop so that a pair's state stays in registers for a whole
// chunk of layers; the per-layer coefficients (3 float64 per layer) stay in L1. Below
// ε = SERIES_MID_EPS_MAX the step uses the polynomial forms of complementSeries.ts (no asin/sin/cos).

import { complementStep, thetaOfComplement } from "./correlation";
import { threadScratch } from "./threads";
import { GRAM_INIT_BLOCK, gramInitialBlock } from "./innerProducts";
import { SERIES_EPS_MAX, SERIES_MID_EPS_MAX, seriesMidTA, seriesMidTB, seriesTA, seriesTA2, seriesTB, seriesTB2 } from "./complementSeries";

/** Float64 values per layer in the coefficient buffer handed to `gramAdvance`: w, a, b. */
export const GRAM_COEFFICIENTS_PER_LAYER: i32 = 3;

const INV_PI: f64 = 1.0 / Math.PI;

/**
 * Layer 1 of every pair: ε_1 = c1 (1 − x_i·x_j) to `eps`, where `c1` = σw² / (n0 q_1) (1 in the
 * paper's case), and θ_1 = arccos Σ̄^(1) to `u` (u_1 itself equals ε_1, Θ^(1) = Σ^(1)), with
 * `twoBias` = 2 σb²/q_1, block by block (innerProducts.ts: a blocked GEMM, with |x ∓ x′|²/2 where
 * 1 ∓ x·x′ cancels). `coords` is row-major m × n0; `eps` and `u` receive m (m − 1) / 2 values each.
 * The thread pool runs the same blocks spread over its workers. `gramAdvance` with `fromLayerOne`
 * takes the state on from there.
 */
export function gramInitialComplement(coords: usize, m: i32, n0: i32, c1: f64, twoBias: f64, eps: usize, u: usize): void {
  const blocks = (m + GRAM_INIT_BLOCK - 1) / GRAM_INIT_BLOCK;
  for (let bi: i32 = 0; bi < blocks; bi++) {
    for (let bj = bi; bj < blocks; bj++) gramInitialBlock(coords, m, n0, c1, twoBias, eps, u, bi, bj);
  }
}

/**
 * Advances pairs `first … first + count − 1` by `steps` layers. `coef` holds, per layer,
 * w_l, a_l = w_l τ_l / τ_{l+1} and b_l = 1 / τ_{l+1} (GRAM_COEFFICIENTS_PER_LAYER values).
 * With `fromLayerOne` ≠ 0 the state is layer 1's as gramInitialComplement leaves it (ε_1 and θ_1),
 * and the first layer is the exact step from that θ_1; otherwise it is (ε, u) at any layer.
 * ε never increases through depth, so a pair runs its first layers lane by lane (the exact step of
 * correlation.ts above SERIES_MID_EPS_MAX, the second polynomial fit down to SERIES_EPS_MAX) and the
 * rest with the first fit, where ε and u are carried as double words within the call (each stored
 * as one float64 at its end). Each layer needs the last ε, so several pairs run as independent chains
 * to hide that latency: eight in four f64x2 vectors in the SIMD build, two in the scalar build.
 * ε stays in [0, 2], and coincident points (ε = u = 0) stay exactly 0.
 */
export function gramAdvance(eps: usize, u: usize, first: i32, count: i32, coef: usize, steps: i32, fromLayerOne: i32): void {
  let p: usize = <usize>first << 3;
  const end: usize = <usize>(first + count) << 3;
  if (fromLayerOne && steps > 0) {
    const w = load<f64>(coef);
    const a = load<f64>(coef, 8);
    const b = load<f64>(coef, 16);
    for (let q = p; q < end; q += 8) firstLayerStep(eps + q, u + q, w, a, b);
    coef += LAYER_BYTES;
    steps--;
  }
  if (ASC_FEATURE_SIMD) {
    for (; p + 64 <= end; p += 64) advanceEight(eps + p, u + p, coef, steps);
  } else {
    for (; p + 16 <= end; p += 16) advanceTwoScalar(eps + p, u + p, coef, steps);
  }
  for (; p < end; p += 8) advanceOne(eps + p, u + p, coef, steps);
}

// Layer 1 → 2 of one pair from ε_1 (at ep) and θ_1 (at up), u_1 = ε_1: the exact step, whose θ_1
// came from the accurate one of 1 ∓ Σ̄^(1), so that θ_1/π, hence κ0 = 1 − θ_1/π, ε_2 and u_2 are
// accurate to a few ulps for every pair, nearly antipodal ones included.
// @ts-ignore: decorator
@inline function firstLayerStep(ep: usize, up: usize, w: f64, a: f64, b: f64): void {
  const e = load<f64>(ep);
  const theta = load<f64>(up);
  const eNext = complementStep(e, theta, w);
  store<f64>(up, nextU(e, theta * INV_PI, a, b, eNext));
  store<f64>(ep, eNext);
}

/** Bytes per layer in the coefficient buffer. */
const LAYER_BYTES: usize = <usize>GRAM_COEFFICIENTS_PER_LAYER << 3;


// Above SERIES_EPS_MAX (a few first layers): u′ = a (u + (1 − u) θ/π) + b ε′ (docs/RECURSIONS.md).
// @ts-ignore: decorator
@inline function nextU(v: f64, thetaOverPi: f64, a: f64, b: f64, eNext: f64): f64 {
  return a * (v + (1.0 - v) * thetaOverPi) + b * eNext;
}

// Below SERIES_EPS_MAX (almost every layer) u is a double-word value v + cv: u′ = u + δ with
// δ = b (ε′ − u) + a (1 − u) θ/π (a + b = 1), computed from u = fl(v + cv). Each layer renormalizes
// the double word (v, cv) ← (fl(v + cv), its rounding error; Fast2Sum, since |cv| ≤ |v|) and adds
// δ to it with TwoSum, so cv stays within a few ulps of u even where u falls by many orders of
// magnitude within one call (σb > 0 makes u decay geometrically; a compensation kept from larger
// u would then cancel against v, ~2e-12 relative error by L = 300). Without the compensation the
// roundings of u + δ add up over the layers (~2e-12 relative in Θ̄ by L = 10^6; with it ~1e-14).
// @ts-ignore: decorator
@inline function uIncrement(vc: f64, thetaOverPi: f64, a: f64, b: f64, eNext: f64): f64 {
  return b * (eNext - vc) + a * ((1.0 - vc) * thetaOverPi);
}

// @ts-ignore: decorator
@inline function uIncrement2(vc: v128, thetaOverPi: v128, a: v128, b: v128, eNext: v128): v128 {
  return f64x2.add(f64x2.mul(b, f64x2.sub(eNext, vc)), f64x2.mul(a, f64x2.mul(f64x2.sub(f64x2.splat(1.0), vc), thetaOverPi)));
}

// The rounding error of s = v + d, exactly (Knuth's TwoSum).
// @ts-ignore: decorator
@inline function sumError(v: f64, d: f64, s: f64): f64 {
  const z = s - v;
  return v - (s - z) + (d - z);
}

// The rounding error of w = v + c when |c| ≤ |v|, exactly (Fast2Sum).
// @ts-ignore: decorator
@inline function renormError(v: f64, c: f64, w: f64): f64 {
  return c - (w - v);
}

// @ts-ignore: decorator
@inline function renormError2(v: v128, c: v128, w: v128): v128 {
  return f64x2.sub(c, f64x2.sub(w, v));
}

// @ts-ignore: decorator
@inline function sumError2(v: v128, d: v128, s: v128): v128 {
  const z = f64x2.sub(s, v);
  return f64x2.add(f64x2.sub(v, f64x2.sub(s, z)), f64x2.sub(d, z));
}

// Below SERIES_EPS_MAX ε is a double-word value e + ce too. For a close pair a layer takes off ε
// a tiny relative amount q/e = r TB(ε) ≈ sqrt(2ε)/(3π) that barely changes from one layer to the
// next, so the rounding of ε − q falls on the same side layer after layer and the relative error
// grows linearly (~5e-17 a layer at ε_1 = 1e-20, docs/DEPTH_JUMP.md §5). The step subtracts
// q = e r TB(e) − ce (the old compensation folded into the small term, whose own rounding is
// ~1e-16 of q, negligible beside e) and keeps the exact error of e − q (Fast2Sum, |q| ≤ |e|), so
// (e, ce) stays normalized without a renormalization. The layer weight w multiplies both words
// (w = 1 exactly for σb = 0, where the drift lives).
// @ts-ignore: decorator
@inline function epsStepError(e: f64, q: f64, s: f64): f64 {
  return e - s - q;
}

// @ts-ignore: decorator
@inline function epsStepError2(e: v128, q: v128, s: v128): v128 {
  return f64x2.sub(f64x2.sub(e, s), q);
}

/** Offset in the thread scratch of ε's compensation terms (u's take the first 64 bytes). */
const EPS_COMPENSATION: usize = 64;

// One layer of one pair (ε at ep, u at up, u's compensation at cp, ε's at cp + EPS_COMPENSATION),
// exact or by one of the two polynomial forms according to its own ε, with the same arithmetic as
// the series loops below, so that a pair's result never depends on which pairs share its group
// (coincident points keep bitwise identical rows).
// @ts-ignore: decorator
@inline function stepOne(ep: usize, up: usize, cp: usize, w: f64, a: f64, b: f64): void {
  const e = load<f64>(ep);
  const v = load<f64>(up);
  if (e < SERIES_EPS_MAX) {
    const r = Math.sqrt(e + e);
    const ce = load<f64>(cp, EPS_COMPENSATION);
    const q = e * (r * seriesTB(e)) - ce;
    const s = e - q;
    store<f64>(cp, w * epsStepError(e, q, s), EPS_COMPENSATION);
    const eNext = w * s;
    const cv = load<f64>(cp);
    const vc = v + cv;
    const d = uIncrement(vc, r * seriesTA(e), a, b, eNext);
    const sum = vc + d;
    store<f64>(cp, renormError(v, cv, vc) + sumError(vc, d, sum));
    store<f64>(up, sum);
    store<f64>(ep, eNext);
    return;
  }
  let eNext: f64;
  let thetaOverPi: f64;
  if (e >= SERIES_MID_EPS_MAX) {
    const theta = thetaOfComplement(e);
    eNext = complementStep(e, theta, w);
    thetaOverPi = theta * INV_PI;
  } else {
    const r = Math.sqrt(e + e);
    eNext = w * (e * (1.0 - r * seriesMidTB(e)));
    thetaOverPi = r * seriesMidTA(e);
  }
  store<f64>(up, nextU(v, thetaOverPi, a, b, eNext));
  store<f64>(ep, eNext);
}

// Runs the first layers of a group of `lanes` adjacent pairs lane by lane (stepOne) while any of
// them is still at ε ≥ SERIES_EPS_MAX; returns how many layers that took. The lanes' compensation
// terms (u's, then ε's at EPS_COMPENSATION) are left in this thread's scratch (threadScratch()).
function laneByLanePhase(ep: usize, up: usize, lanes: usize, coef: usize, steps: i32): i32 {
  // Compensation terms of up to eight lanes, in this thread's scratch (2 × 64 bytes).
  const compensation = threadScratch();
  memory.fill(compensation, 0, lanes << 3);
  memory.fill(compensation + EPS_COMPENSATION, 0, lanes << 3);
  let l: i32 = 0;
  let c = coef;
  while (l < steps) {
    let top: f64 = 0.0;
    for (let k: usize = 0; k < lanes << 3; k += 8) top = max<f64>(top, load<f64>(ep + k));
    if (top < SERIES_EPS_MAX) break;
    const w = load<f64>(c);
    const a = load<f64>(c, 8);
    const b = load<f64>(c, 16);
    for (let k: usize = 0; k < lanes << 3; k += 8) stepOne(ep + k, up + k, compensation + k, w, a, b);
    l++;
    c += LAYER_BYTES;
  }
  return l;
}

function advanceOne(ep: usize, up: usize, coef: usize, steps: i32): void {
  const compensation = threadScratch();
  let l = laneByLanePhase(ep, up, 1, coef, steps);
  let c = coef + <usize>l * LAYER_BYTES;
  let e = load<f64>(ep);
  let v = load<f64>(up);
  let cv = load<f64>(compensation);
  let ce = load<f64>(compensation, EPS_COMPENSATION);
  for (; l < steps; l++, c += LAYER_BYTES) {
    const w = load<f64>(c);
    const r = Math.sqrt(e + e);
    const q = e * (r * seriesTB(e)) - ce;
    const s = e - q;
    ce = w * epsStepError(e, q, s);
    const eNext = w * s;
    const vc = v + cv;
    const d = uIncrement(vc, r * seriesTA(e), load<f64>(c, 8), load<f64>(c, 16), eNext);
    const sum = vc + d;
    cv = renormError(v, cv, vc) + sumError(vc, d, sum);
    v = sum;
    e = eNext;
  }
  store<f64>(ep, e + ce);
  store<f64>(up, v + cv);
}

// Two adjacent pairs as two independent scalar chains (scalar build).
function advanceTwoScalar(ep: usize, up: usize, coef: usize, steps: i32): void {
  const compensation = threadScratch();
  let l = laneByLanePhase(ep, up, 2, coef, steps);
  let c = coef + <usize>l * LAYER_BYTES;
  let e = load<f64>(ep);
  let f = load<f64>(ep, 8);
  let v = load<f64>(up);
  let x = load<f64>(up, 8);
  let cv = load<f64>(compensation);
  let cx = load<f64>(compensation, 8);
  let ce = load<f64>(compensation, EPS_COMPENSATION);
  let cf = load<f64>(compensation, EPS_COMPENSATION + 8);
  for (; l < steps; l++, c += LAYER_BYTES) {
    const w = load<f64>(c);
    const a = load<f64>(c, 8);
    const b = load<f64>(c, 16);
    const re = Math.sqrt(e + e);
    const rf = Math.sqrt(f + f);
    const qe = e * (re * seriesTB(e)) - ce;
    const qf = f * (rf * seriesTB(f)) - cf;
    const se = e - qe;
    const sf = f - qf;
    ce = w * epsStepError(e, qe, se);
    cf = w * epsStepError(f, qf, sf);
    const eNext = w * se;
    const fNext = w * sf;
    const vc = v + cv;
    const xc = x + cx;
    const dv = uIncrement(vc, re * seriesTA(e), a, b, eNext);
    const dx = uIncrement(xc, rf * seriesTA(f), a, b, fNext);
    const sv = vc + dv;
    const sx = xc + dx;
    cv = renormError(v, cv, vc) + sumError(vc, dv, sv);
    cx = renormError(x, cx, xc) + sumError(xc, dx, sx);
    v = sv;
    x = sx;
    e = eNext;
    f = fNext;
  }
  store<f64>(ep, e + ce);
  store<f64>(ep, f + cf, 8);
  store<f64>(up, v + cv);
  store<f64>(up, x + cx, 8);
}

// Eight adjacent pairs in the lanes of four f64x2 vectors (SIMD build): four chains in flight.
function advanceEight(ep: usize, up: usize, coef: usize, steps: i32): void {
  const compensation = threadScratch();
  let l = laneByLanePhase(ep, up, 8, coef, steps);
  let c = coef + <usize>l * LAYER_BYTES;
  let e0 = v128.load(ep);
  let e1 = v128.load(ep, 16);
  let e2 = v128.load(ep, 32);
  let e3 = v128.load(ep, 48);
  let v0 = v128.load(up);
  let v1 = v128.load(up, 16);
  let v2 = v128.load(up, 32);
  let v3 = v128.load(up, 48);
  let c0 = v128.load(compensation);
  let c1 = v128.load(compensation, 16);
  let c2 = v128.load(compensation, 32);
  let c3 = v128.load(compensation, 48);
  let k0 = v128.load(compensation, EPS_COMPENSATION);
  let k1 = v128.load(compensation, EPS_COMPENSATION + 16);
  let k2 = v128.load(compensation, EPS_COMPENSATION + 32);
  let k3 = v128.load(compensation, EPS_COMPENSATION + 48);
  for (; l < steps; l++, c += LAYER_BYTES) {
    const w = v128.load64_splat(c);
    const a = v128.load64_splat(c, 8);
    const b = v128.load64_splat(c, 16);
    const r0 = f64x2.sqrt(f64x2.add(e0, e0));
    const r1 = f64x2.sqrt(f64x2.add(e1, e1));
    const r2 = f64x2.sqrt(f64x2.add(e2, e2));
    const r3 = f64x2.sqrt(f64x2.add(e3, e3));
    const q0 = f64x2.sub(f64x2.mul(e0, f64x2.mul(r0, seriesTB2(e0))), k0);
    const q1 = f64x2.sub(f64x2.mul(e1, f64x2.mul(r1, seriesTB2(e1))), k1);
    const q2 = f64x2.sub(f64x2.mul(e2, f64x2.mul(r2, seriesTB2(e2))), k2);
    const q3 = f64x2.sub(f64x2.mul(e3, f64x2.mul(r3, seriesTB2(e3))), k3);
    const s0 = f64x2.sub(e0, q0);
    const s1 = f64x2.sub(e1, q1);
    const s2 = f64x2.sub(e2, q2);
    const s3 = f64x2.sub(e3, q3);
    k0 = f64x2.mul(w, epsStepError2(e0, q0, s0));
    k1 = f64x2.mul(w, epsStepError2(e1, q1, s1));
    k2 = f64x2.mul(w, epsStepError2(e2, q2, s2));
    k3 = f64x2.mul(w, epsStepError2(e3, q3, s3));
    const n0 = f64x2.mul(w, s0);
    const n1 = f64x2.mul(w, s1);
    const n2 = f64x2.mul(w, s2);
    const n3 = f64x2.mul(w, s3);
    const uc0 = f64x2.add(v0, c0);
    const uc1 = f64x2.add(v1, c1);
    const uc2 = f64x2.add(v2, c2);
    const uc3 = f64x2.add(v3, c3);
    const d0 = uIncrement2(uc0, f64x2.mul(r0, seriesTA2(e0)), a, b, n0);
    const d1 = uIncrement2(uc1, f64x2.mul(r1, seriesTA2(e1)), a, b, n1);
    const d2 = uIncrement2(uc2, f64x2.mul(r2, seriesTA2(e2)), a, b, n2);
    const d3 = uIncrement2(uc3, f64x2.mul(r3, seriesTA2(e3)), a, b, n3);
    const t0 = f64x2.add(uc0, d0);
    const t1 = f64x2.add(uc1, d1);
    const t2 = f64x2.add(uc2, d2);
    const t3 = f64x2.add(uc3, d3);
    c0 = f64x2.add(renormError2(v0, c0, uc0), sumError2(uc0, d0, t0));
    c1 = f64x2.add(renormError2(v1, c1, uc1), sumError2(uc1, d1, t1));
    c2 = f64x2.add(renormError2(v2, c2, uc2), sumError2(uc2, d2, t2));
    c3 = f64x2.add(renormError2(v3, c3, uc3), sumError2(uc3, d3, t3));
    v0 = t0;
    v1 = t1;
    v2 = t2;
    v3 = t3;
    e0 = n0;
    e1 = n1;
    e2 = n2;
    e3 = n3;
  }
  v128.store(ep, f64x2.add(e0, k0));
  v128.store(ep, f64x2.add(e1, k1), 16);
  v128.store(ep, f64x2.add(e2, k2), 32);
  v128.store(ep, f64x2.add(e3, k3), 48);
  v128.store(up, f64x2.add(v0, c0));
  v128.store(up, f64x2.add(v1, c1), 16);
  v128.store(up, f64x2.add(v2, c2), 32);
  v128.store(up, f64x2.add(v3, c3), 48);
}



/** Rows and columns of the tiles in which gramUnpackRows transposes: 32 × 32 float64 (8 KiB) stay in L1. */
const UNPACK_TILE: usize = 32;

/**
 * Rows r0 … r1 − 1 of the full symmetric m × m matrix (row-major at `out`) of the packed pair
 * values at `packed` (ε or u: a complement, SPEC §4), with 0 on the diagonal. Each row is written
 * whole by one call, so calls on disjoint row ranges can run on different threads. Row r's entries
 * left of the diagonal are pairs (j, r), j < r, one from each packed row j: they are read by tiles
 * of UNPACK_TILE rows × UNPACK_TILE columns, each packed row contiguously across the tile's rows,
 * so that both the packed rows and the tile's output rows stay in cache (row by row, every entry
 * would read a new cache line). Entries are copied, so the order changes no bit.
 */
export function gramUnpackRows(packed: usize, m: i32, out: usize, r0: i32, r1: i32): void {
  const n = <usize>m;
  const rowBytes = n << 3;
  for (let rb = <usize>r0; rb < <usize>r1; rb += UNPACK_TILE) {
    const re = min<usize>(rb + UNPACK_TILE, <usize>r1);
    // Left of the diagonal: packed row j holds pairs (j, r), r > j, contiguously from j m − j (j + 1)/2 + r − j − 1.
    for (let jb: usize = 0; jb < re; jb += UNPACK_TILE) {
      const je = min<usize>(jb + UNPACK_TILE, re);
      let j = jb;
      // Tiles wholly left of the rows' diagonal, in the SIMD build: 2 × 2 blocks, two packed rows at a time.
      if (ASC_FEATURE_SIMD && je <= rb) {
        for (; j + 2 <= je; j += 2) {
          let a = packed + ((j * n - ((j * (j + 1)) >> 1) + rb - j - 1) << 3);
          // Pair (j + 1, r) is n − j − 2 values after pair (j, r).
          let b = a + ((n - j - 2) << 3);
          let dst = out + ((rb * n + j) << 3);
          let r = rb;
          for (; r + 2 <= re; r += 2, a += 16, b += 16, dst += rowBytes << 1) {
            const x = v128.load(a);
            const y = v128.load(b);
            v128.store(dst, v128.shuffle<f64>(x, y, 0, 2));
            v128.store(dst + rowBytes, v128.shuffle<f64>(x, y, 1, 3));
          }
          if (r < re) {
            store<f64>(dst, load<f64>(a));
            store<f64>(dst, load<f64>(b), 8);
          }
        }
      }
      for (; j < je; j++) {
        const rs = max<usize>(rb, j + 1);
        let src = packed + ((j * n - ((j * (j + 1)) >> 1) + rs - j - 1) << 3);
        let dst = out + ((rs * n + j) << 3);
        for (let r = rs; r < re; r++, src += 8, dst += rowBytes) store<f64>(dst, load<f64>(src));
      }
    }
    // The diagonal, and right of it pairs (r, j), j > r, contiguous from r m − r (r + 1)/2.
    for (let r = rb; r < re; r++) {
      const row = out + r * rowBytes;
      store<f64>(row + (r << 3), 0.0);
      memory.copy(row + ((r + 1) << 3), packed + ((r * n - ((r * (r + 1)) >> 1)) << 3), (n - r - 1) << 3);
    }
  }
}

/**
 * Rows r0 … r1 − 1 of the m × m matrix at `out` replaced by 1 − entry: a complement's matrix from
 * gramUnpackRows becomes its kernel's (Σ̄ = 1 − ε, Θ̄ = 1 − u, with 1 − 0 = 1 exactly on the
 * diagonal): the same bits as 1 − each pair, for one contiguous pass instead of a second
 * transposing read of the pairs (and without a second m × m buffer, which would lower the largest m).
 */
export function gramComplementRows(out: usize, m: i32, r0: i32, r1: i32): void {
  let p = out + ((<usize>r0 * <usize>m) << 3);
  const end = out + ((<usize>r1 * <usize>m) << 3);
  if (ASC_FEATURE_SIMD) {
    const one = f64x2.splat(1.0);
    for (; p + 16 <= end; p += 16) v128.store(p, f64x2.sub(one, v128.load(p)));
  }
  for (; p < end; p += 8) store<f64>(p, 1.0 - load<f64>(p));
}
