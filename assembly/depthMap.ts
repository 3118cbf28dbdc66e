// The depth-L maps ε_1 ↦ ε_L = 1 − Σ̄^(L) and ε_1 ↦ u_L = 1 − Θ̄^(L) of σb = 0 (SPEC §9) as a table of
// piecewise Chebyshev interpolants, built once per depth from the jump (depthJump.ts) and then
// read for every pair of a Gram matrix: θ_1, a piece index and two degree-12 Clenshaw sums a
// pair, whatever L is. The variable is θ_1 = arccos ρ1, in which the maps are analytic on (0, π]
// (at π too, unlike in ε_1 or sin(θ_1/2)), with their only nearby singularities around θ_1 = 0
// (at |θ_1| ~ 3π/L, and the double pole of ε_L/ε_1 at 0): pieces shrink geometrically toward 0,
// each 11.5 of its half-widths from 0, so the Chebyshev error of degree 12 is ~13 · 23^-13 ≈ 3e-16
// of the function (half-octave pieces left 3e-13 in ε_L/ε_1).
//   θ_1 ≤ π/2: quarter-octave pieces [2^{-(j+1)/4}, 2^{-j/4}] π/2 for j = 0 … J−1, and [0, 2^{-J/4} π/2]
//       (piece J), with 2^{-J/4} π/2 ≤ 0.05/L, where the maps are polynomials in θ_1 to far below
//       an ulp. Fitted: ε_L/ε_1 and u_L/θ_1 (both tend to constants as θ_1 → 0), so the
//       complements keep their relative accuracy down to ε_1 → 0.
//   θ_1 > π/2: C equal pieces, fitted ε_L and u_L themselves.
// Table: per piece its centre and inverse half-width, then the DEPTH_MAP_POINTS Chebyshev
// coefficients of ε and u interleaved (c_k of ε, c_k of u: one f64x2 each), pieces 0 … J, then
// J+1 … J+C. The fill is branch-free per pair (the piece from θ_1's exponent and mantissa, or one
// multiply above π/2; no log, exp or pow) and runs both Clenshaw sums as one f64x2 recurrence.

import { thetaOfComplement } from "./correlation";
import { depthJumpPair } from "./depthJump";

/** Chebyshev points (and coefficients) per function per piece: degree 12. */
export const DEPTH_MAP_POINTS: i32 = 13;
/** Float64 values per piece: centre, inverse half-width, then 2 × DEPTH_MAP_POINTS coefficients. */
export const DEPTH_MAP_PIECE_VALUES: i32 = 2 + 2 * DEPTH_MAP_POINTS;
const PIECE_BYTES: usize = <usize>DEPTH_MAP_PIECE_VALUES << 3;
/** Byte offset of the coefficients within a piece. */
const COEFFICIENTS_AT: usize = 16;
/** Scratch for one jump result. */
const JUMP_OUT: usize = memory.data(24, 8);
/** Values at the Chebyshev points of one piece, before the transform. */
const NODE_VALUES: usize = memory.data(8 * 26, 8);

const HALF_PI: f64 = 0.5 * Math.PI;
const INV_HALF_PI: f64 = 2.0 / Math.PI;
const ROOT4_2: f64 = 1.189207115002721; // 2^{1/4}
const ROOT4_8: f64 = 1.681792830507429; // 2^{3/4}

// Upper end of piece j ≤ J (its lower end is that of j + 1, or 0 for j = J).
// @ts-ignore: decorator
@inline function pieceHigh(j: i32): f64 {
  return HALF_PI * Math.pow(2.0, -0.25 * <f64>j);
}


/** The sums of the last {@link clenshawTwo}: ε's and u's of the first pair, then of the second. */
let sumE0: f64 = 0.0;
let sumU0: f64 = 0.0;
let sumE1: f64 = 0.0;
let sumU1: f64 = 0.0;

/**
 * Σ c_k T_k(x) (Clenshaw) of both functions of two pairs at once: from the interleaved coefficients
 * at `c0` (c_k of ε at c0 + 16k, of u at c0 + 16k + 8) at x0, and at `c1` at x1, to sumE0, sumU0,
 * sumE1, sumU1. Each step is (c_k − b_{k+2}) + 2x b_{k+1}, so that only a multiply and an add lie on
 * the recurrence's critical path, and two independent recurrences hide each other's latency; each is one f64x2 chain in
 * the SIMD build and two scalar chains otherwise, with the same operations in the same order (so
 * the same bits).
 */
// @ts-ignore: decorator
@inline function clenshawTwo(c0: usize, x0: f64, c1: usize, x1: f64): void {
  if (ASC_FEATURE_SIMD) {
    let a1 = f64x2.splat(0.0);
    let a2 = f64x2.splat(0.0);
    let b1 = f64x2.splat(0.0);
    let b2 = f64x2.splat(0.0);
    const xa = f64x2.splat(x0 + x0);
    const xb = f64x2.splat(x1 + x1);
    for (let k = DEPTH_MAP_POINTS - 1; k >= 1; k--) {
      const a0 = f64x2.add(f64x2.sub(v128.load(c0 + (<usize>k << 4)), a2), f64x2.mul(xa, a1));
      const b0 = f64x2.add(f64x2.sub(v128.load(c1 + (<usize>k << 4)), b2), f64x2.mul(xb, b1));
      a2 = a1;
      a1 = a0;
      b2 = b1;
      b1 = b0;
    }
    const ra = f64x2.add(f64x2.sub(v128.load(c0), a2), f64x2.mul(f64x2.splat(x0), a1));
    const rb = f64x2.add(f64x2.sub(v128.load(c1), b2), f64x2.mul(f64x2.splat(x1), b1));
    sumE0 = f64x2.extract_lane(ra, 0);
    sumU0 = f64x2.extract_lane(ra, 1);
    sumE1 = f64x2.extract_lane(rb, 0);
    sumU1 = f64x2.extract_lane(rb, 1);
  } else {
    let e1: f64 = 0.0;
    let e2: f64 = 0.0;
    let u1: f64 = 0.0;
    let u2: f64 = 0.0;
    let f1: f64 = 0.0;
    let f2: f64 = 0.0;
    let v1: f64 = 0.0;
    let v2: f64 = 0.0;
    const xa = x0 + x0;
    const xb = x1 + x1;
    for (let k = DEPTH_MAP_POINTS - 1; k >= 1; k--) {
      const at0 = c0 + (<usize>k << 4);
      const at1 = c1 + (<usize>k << 4);
      const e0 = load<f64>(at0) - e2 + xa * e1;
      const u0 = load<f64>(at0, 8) - u2 + xa * u1;
      const f0 = load<f64>(at1) - f2 + xb * f1;
      const v0 = load<f64>(at1, 8) - v2 + xb * v1;
      e2 = e1;
      e1 = e0;
      u2 = u1;
      u1 = u0;
      f2 = f1;
      f1 = f0;
      v2 = v1;
      v1 = v0;
    }
    sumE0 = load<f64>(c0) - e2 + x0 * e1;
    sumU0 = load<f64>(c0, 8) - u2 + x0 * u1;
    sumE1 = load<f64>(c1) - f2 + x1 * f1;
    sumU1 = load<f64>(c1, 8) - v2 + x1 * v1;
  }
}

/** The piece of θ_1 (byte address in the table): see depthMapFill. */
// @ts-ignore: decorator
@inline function pieceAt(table: usize, theta: f64, geometricPieces: i32, bottom: f64, inverseWidth: f64, lastUniform: i32): usize {
  // Below π/2: j = ⌊−4 log2(θ/(π/2))⌋ from the exponent e2 and mantissa m ∈ [1, 2) of θ·(2/π).
  const bits = reinterpret<u64>(theta * INV_HALF_PI);
  const e2 = <i32>((bits >> 52) & 0x7ff) - 1023;
  const m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000);
  const q = <i32>(m > 1.0) + <i32>(m > ROOT4_2) + <i32>(m > Math.SQRT2) + <i32>(m > ROOT4_8);
  const geometricPiece = select<i32>(geometricPieces, max<i32>(0, min<i32>(geometricPieces - 1, -4 * e2 - q)), theta < bottom);
  // Above it: C equal pieces (θ ≤ π/2 gives a non-positive offset here, not used).
  const uniformPiece = min<i32>(lastUniform, geometricPieces + 1 + <i32>((theta - HALF_PI) * inverseWidth));
  return table + <usize>select<i32>(uniformPiece, geometricPiece, theta > HALF_PI) * PIECE_BYTES;
}

/** Chebyshev coefficients of the values at NODE_VALUES (ε at 0…n−1, u at n…2n−1), interleaved, into `out`. */
function transform(out: usize): void {
  const n = DEPTH_MAP_POINTS;
  for (let f = 0; f < 2; f++) {
    for (let j = 0; j < n; j++) {
      let s: f64 = 0.0;
      for (let k = 0; k < n; k++) {
        s += load<f64>(NODE_VALUES + (<usize>(f * n + k) << 3)) * Math.cos((Math.PI * <f64>j * (<f64>k + 0.5)) / <f64>n);
      }
      store<f64>(out + (<usize>(2 * j + f) << 3), ((j == 0 ? 1.0 : 2.0) * s) / <f64>n);
    }
  }
}

/** Chebyshev point k of n on [−1, 1]. */
// @ts-ignore: decorator
@inline function chebyshevPoint(k: i32): f64 {
  return Math.cos((Math.PI * (<f64>k + 0.5)) / <f64>DEPTH_MAP_POINTS);
}

/**
 * Fills the table at `table` ((J + 1 + C) × DEPTH_MAP_PIECE_VALUES float64) for depth L (as float64)
 * with J geometric pieces above the bottom piece and C uniform pieces above π/2. 13 (J + 1 + C) jumps.
 */
export function depthMapBuild(table: usize, geometricPieces: i32, uniformPieces: i32, depth: f64): void {
  const n = DEPTH_MAP_POINTS;
  const pieces = geometricPieces + 1 + uniformPieces;
  const width = HALF_PI / <f64>uniformPieces;
  for (let p = 0; p < pieces; p++) {
    const geometric = p <= geometricPieces;
    const hi = geometric ? pieceHigh(p) : HALF_PI + width * <f64>(p - geometricPieces);
    const lo = geometric ? (p == geometricPieces ? 0.0 : pieceHigh(p + 1)) : hi - width;
    for (let k = 0; k < n; k++) {
      const theta = 0.5 * (lo + hi) + 0.5 * (hi - lo) * chebyshevPoint(k);
      const half = Math.sin(0.5 * theta);
      const eps1 = 2.0 * half * half;
      const halfBar = Math.cos(0.5 * theta);
      depthJumpPair(eps1, 2.0 * halfBar * halfBar, depth, JUMP_OUT);
      // Quotients against the ε_1 and θ_1 the fill will see.
      const eL = load<f64>(JUMP_OUT);
      const uL = load<f64>(JUMP_OUT, 8);
      store<f64>(NODE_VALUES + (<usize>k << 3), geometric ? eL / eps1 : eL);
      store<f64>(NODE_VALUES + (<usize>(n + k) << 3), geometric ? uL / thetaOfComplement(eps1) : uL);
    }
    const at = table + <usize>p * PIECE_BYTES;
    store<f64>(at, 0.5 * (lo + hi));
    store<f64>(at, 2.0 / (hi - lo), 8);
    transform(at + COEFFICIENTS_AT);
  }
}

/**
 * Pairs `start … end − 1` of the packed arrays: reads ε_1 from `eps` and θ_1 from `u` (as
 * gramInitialComplement leaves them: θ_1 of nearly antipodal pairs is accurate there, unlike
 * θ(ε_1)), writes ε_L to `eps` and u_L to `u` from the table of depthMapBuild (same J and C). Pairs
 * are independent: ranges may be split across workers. ε_1 = 0 (coincident points, θ_1 = 0) gives
 * exactly 0, 0 (the bottom piece's quotients are finite).
 */
export function depthMapFill(eps: usize, u: usize, start: i32, end: i32, table: usize, geometricPieces: i32, uniformPieces: i32): void {
  const inverseWidth = <f64>uniformPieces / HALF_PI;
  const bottom = pieceHigh(geometricPieces);
  const lastUniform = geometricPieces + uniformPieces;
  // Two pairs a step (the last one paired with itself when the count is odd: same bits either way).
  for (let k = start; k < end; k += 2) {
    const p0 = <usize>k << 3;
    const p1 = <usize>min<i32>(k + 1, end - 1) << 3;
    const e0 = load<f64>(eps + p0);
    const t0 = load<f64>(u + p0);
    const e1 = load<f64>(eps + p1);
    const t1 = load<f64>(u + p1);
    const at0 = pieceAt(table, t0, geometricPieces, bottom, inverseWidth, lastUniform);
    const at1 = pieceAt(table, t1, geometricPieces, bottom, inverseWidth, lastUniform);
    clenshawTwo(at0 + COEFFICIENTS_AT, (t0 - load<f64>(at0)) * load<f64>(at0, 8), at1 + COEFFICIENTS_AT, (t1 - load<f64>(at1)) * load<f64>(at1, 8));
    // Geometric pieces hold ε_L/ε_1 and u_L/θ_1.
    const upper0 = t0 > HALF_PI;
    const upper1 = t1 > HALF_PI;
    store<f64>(eps + p0, select<f64>(sumE0, e0 * sumE0, upper0));
    store<f64>(u + p0, select<f64>(sumU0, t0 * sumU0, upper0));
    store<f64>(eps + p1, select<f64>(sumE1, e1 * sumE1, upper1));
    store<f64>(u + p1, select<f64>(sumU1, t1 * sumU1, upper1));
  }
}
