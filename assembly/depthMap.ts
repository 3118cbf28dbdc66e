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
// Table: per piece 2 × DEPTH_MAP_POINTS Chebyshev coefficients (ε then u), pieces 0 … J, then
// J+1 … J+C.

import { thetaOfComplement } from "./correlation";
import { depthJumpPair } from "./depthJump";

/** Chebyshev points (and coefficients) per function per piece: degree 12. */
export const DEPTH_MAP_POINTS: i32 = 13;
const PIECE_VALUES: i32 = 2 * DEPTH_MAP_POINTS;
/** Scratch for one jump result. */
const JUMP_OUT: usize = memory.data(24, 8);
/** Values at the Chebyshev points of one piece, before the transform. */
const NODE_VALUES: usize = memory.data(8 * 26, 8);

const HALF_PI: f64 = 0.5 * Math.PI;
const ROOT4_2: f64 = 1.189207115002721; // 2^{1/4}
const ROOT4_8: f64 = 1.681792830507429; // 2^{3/4}

// Upper end of piece j ≤ J (its lower end is that of j + 1, or 0 for j = J).
// @ts-ignore: decorator
@inline function pieceHigh(j: i32): f64 {
  return HALF_PI * Math.pow(2.0, -0.25 * <f64>j);
}


/** Σ c_k T_k(x) (Clenshaw) for the n = DEPTH_MAP_POINTS coefficients at `c`. */
// @ts-ignore: decorator
@inline function clenshaw(c: usize, x: f64): f64 {
  let b1: f64 = 0.0;
  let b2: f64 = 0.0;
  const x2 = x + x;
  for (let k = DEPTH_MAP_POINTS - 1; k >= 1; k--) {
    const b0 = x2 * b1 - b2 + load<f64>(c + (<usize>k << 3));
    b2 = b1;
    b1 = b0;
  }
  return x * b1 - b2 + load<f64>(c);
}

/** Chebyshev coefficients of the values at NODE_VALUES (ε at 0…n−1, u at n…2n−1) into `out`. */
function transform(out: usize): void {
  const n = DEPTH_MAP_POINTS;
  for (let f = 0; f < 2; f++) {
    for (let j = 0; j < n; j++) {
      let s: f64 = 0.0;
      for (let k = 0; k < n; k++) {
        s += load<f64>(NODE_VALUES + (<usize>(f * n + k) << 3)) * Math.cos((Math.PI * <f64>j * (<f64>k + 0.5)) / <f64>n);
      }
      store<f64>(out + (<usize>(f * n + j) << 3), ((j == 0 ? 1.0 : 2.0) * s) / <f64>n);
    }
  }
}

/** Chebyshev point k of n on [−1, 1]. */
// @ts-ignore: decorator
@inline function chebyshevPoint(k: i32): f64 {
  return Math.cos((Math.PI * (<f64>k + 0.5)) / <f64>DEPTH_MAP_POINTS);
}

/**
 * Fills the table at `table` ((J + 1 + C) × 2 × DEPTH_MAP_POINTS float64) for depth L (as float64)
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
    transform(table + <usize>(p * PIECE_VALUES) * 8);
  }
}

/**
 * Pairs `start … end − 1` of the packed arrays: reads ε_1 from `eps` and θ_1 from `u` (as
 * gramInitialComplement leaves them: θ_1 of nearly antipodal pairs is accurate there, unlike
 * θ(ε_1)), writes ε_L to `eps` and u_L to `u` from the table of depthMapBuild (same J and C). Pairs
 * are independent: ranges may be split across workers. ε_1 = 0 (coincident points) gives exactly 0, 0.
 */
export function depthMapFill(eps: usize, u: usize, start: i32, end: i32, table: usize, geometricPieces: i32, uniformPieces: i32): void {
  const width = HALF_PI / <f64>uniformPieces;
  const bottom = pieceHigh(geometricPieces);
  for (let k = start; k < end; k++) {
    const p = <usize>k << 3;
    const e = load<f64>(eps + p);
    if (e == 0.0) {
      store<f64>(u + p, 0.0);
      continue;
    }
    const theta = load<f64>(u + p);
    if (theta > HALF_PI) {
      const piece = min<i32>(uniformPieces - 1, <i32>((theta - HALF_PI) / width));
      const x = (theta - HALF_PI - width * (<f64>piece + 0.5)) / (0.5 * width);
      const at = table + <usize>((geometricPieces + 1 + piece) * PIECE_VALUES) * 8;
      store<f64>(eps + p, clenshaw(at, x));
      store<f64>(u + p, clenshaw(at + (<usize>DEPTH_MAP_POINTS << 3), x));
      continue;
    }
    let j: i32;
    let lo: f64 = 0.0;
    let hi: f64 = bottom;
    if (theta < bottom) {
      j = geometricPieces;
    } else {
      // j = ⌊−4 log2(θ/(π/2))⌋ from the exponent e2 and mantissa m ∈ [1, 2) of θ/(π/2) ≤ 1.
      const bits = reinterpret<u64>(theta / HALF_PI);
      const e2 = <i32>((bits >> 52) & 0x7ff) - 1023;
      const m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000);
      const q = m == 1.0 ? 0 : m <= ROOT4_2 ? 1 : m <= Math.SQRT2 ? 2 : m <= ROOT4_8 ? 3 : 4;
      j = max<i32>(0, min<i32>(geometricPieces - 1, -4 * e2 - q));
      hi = pieceHigh(j);
      lo = pieceHigh(j + 1);
    }
    const x = (2.0 * theta - lo - hi) / (hi - lo);
    const at = table + <usize>(j * PIECE_VALUES) * 8;
    store<f64>(eps + p, e * clenshaw(at, x));
    store<f64>(u + p, theta * clenshaw(at + (<usize>DEPTH_MAP_POINTS << 3), x));
  }
}
