/**
 * The depth-L maps ε_1 ↦ 1 − Σ̄^(L) and ε_1 ↦ 1 − Θ̄^(L) for σb = 0 (SPEC §9) as tables of piecewise
 * Chebyshev interpolants in θ_1 = arccos ρ1 (assembly/depthMap.ts: quarter-octave pieces toward
 * θ_1 = 0, four equal pieces on [π/2, π], degree 12), built once per depth from the float64 jump
 * (13 jumps a piece, (4 log2(10πL) + 5) pieces: ~1 000 jumps at L = 10^6) and then read for every
 * pair: a cost per Gram entry that does not depend on L.
 *
 * Accuracy (test/depth-map.test.ts, 10^5 random ρ1 per depth, many within 1e-12 of ±1): the
 * complements within 1e-12 relative of the direct recursion; observed ≤ 3e-14 against the jump.
 */
import { NtkError } from "../errors.js";
import { checkWasmEngine, type WasmEngine } from "../wasm/engine.js";
import { checkInteger, checkObject } from "../argumentTypes.js";
import { resolveDepth } from "../params.js";
import { checkFillRange } from "./float64.js";

/** Chebyshev coefficients per function per piece (degree 12); must match assembly/depthMap.ts. */
export const DEPTH_MAP_POINTS = 13;
/** Float64 values per piece: its centre and inverse half-width, then the coefficients of ε_L and u_L interleaved. */
const PIECE_VALUES = 2 + 2 * DEPTH_MAP_POINTS;
/** Equal pieces of θ_1 on [π/2, π]. */
export const DEPTH_MAP_UNIFORM_PIECES = 4;

/** A built table: what depthMapFill needs besides the pairs. */
export interface DepthMapFloat64 {
  /** The depth L the table maps to. */
  readonly depth: bigint;
  /** Quarter-octave pieces of θ_1 below π/2, above the bottom piece [0, 2^{-J/4} π/2] (J). */
  readonly geometricPieces: number;
  /** Equal pieces above π/2 (C). */
  readonly uniformPieces: number;
  /** (J + 1 + C) pieces of 2 + 2 × DEPTH_MAP_POINTS values: centre, inverse half-width, then the Chebyshev coefficients of ε_L and u_L interleaved. */
  readonly coefficients: Float64Array;
}

interface DepthMapExports {
  depthMapBuild(table: number, geometricPieces: number, uniformPieces: number, depth: number): void;
  depthMapFill(eps: number, u: number, start: number, end: number, table: number, geometricPieces: number, uniformPieces: number): void;
}

/** J for depth L: the bottom piece ends at 2^{-J/4} π/2 ≤ 0.05/L, where the maps are low-degree polynomials in θ_1. */
export function depthMapGeometricPieces(depth: bigint): number {
  if (typeof depth !== "bigint" || depth < 1n) throw new NtkError("BAD_DEPTH", `the depth of a depth map is a bigint ≥ 1n, got ${String(depth)}.`, {});
  return Math.max(1, Math.ceil(4 * Math.log2(((Math.PI / 2) * Number(depth)) / 0.05)));
}

/** Float64 values of the table for depth L. */
export function depthMapLength(depth: bigint): number {
  return (depthMapGeometricPieces(depth) + 1 + DEPTH_MAP_UNIFORM_PIECES) * PIECE_VALUES;
}

/**
 * Builds the table for depth L (σb = 0; the depth enters as its float64 rounding beyond 2^53) in
 * the engine's scratch memory and returns a copy, which a caller may hand to other engines (workers).
 */
export function buildDepthMapFloat64(engine: WasmEngine, depth: bigint): DepthMapFloat64 {
  checkWasmEngine(engine);
  resolveDepth(depth);
  const geometricPieces = depthMapGeometricPieces(depth);
  const length = depthMapLength(depth);
  const [table] = engine.reserve([length], `the depth-${depth} map`);
  (engine.exports as unknown as DepthMapExports).depthMapBuild(table!, geometricPieces, DEPTH_MAP_UNIFORM_PIECES, Number(depth));
  return { depth, geometricPieces, uniformPieces: DEPTH_MAP_UNIFORM_PIECES, coefficients: engine.f64(table!, length).slice() };
}

/**
 * Applies a table to the packed pairs start … end − 1 of the float64 arrays at byte offsets `eps`
 * (ε_1 in, ε_L out) and `u` (θ_1 = arccos(1 − ε_1) in, as the Gram fill leaves it, accurate near π
 * too; u_L out), the table having been copied to byte offset `table` of the
 * same engine's memory. Ranges are independent: workers may each take one.
 */
export function depthMapFillFloat64(engine: WasmEngine, map: DepthMapFloat64, table: number, eps: number, u: number, start: number, end: number): void {
  checkFillRange(engine, { eps, u }, start, end);
  checkObject(map, "map (from buildDepthMapFloat64)");
  checkInteger(map.geometricPieces, "map.geometricPieces", 0);
  checkInteger(map.uniformPieces, "map.uniformPieces", 0);
  if (!(map.coefficients instanceof Float64Array)) throw new NtkError("BAD_ARGUMENT", "map.coefficients must be a Float64Array.", {});
  checkInteger(table, "the byte offset table", 0, engine.exports.memory.buffer.byteLength - 8 * map.coefficients.length);
  (engine.exports as unknown as DepthMapExports).depthMapFill(eps, u, start, end, table, map.geometricPieces, map.uniformPieces);
}
