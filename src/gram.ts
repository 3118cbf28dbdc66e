/**
 * Gram matrices through depth at float64 or at any precision: one entry point, precision is one
 * option (SPEC §2, §4, §5). Both start from raw points and a projection (SPEC §7). Without
 * `precision` the points are projected in float64 and the matrices come from the WebAssembly
 * path (`./gram/float64.ts`); with `precision: P` (20 … 1000 significant digits) the decimal text
 * of the points is projected at working precision and the matrices come from the BigInt path
 * (`./gram/precise.ts`), every entry with the digits it vouches for. Both results have one
 * envelope (method, params, n0, `grams` per checkpoint, the four matrices under the same names);
 * the precise one adds its vouching fields.
 */
import { checkObject } from "./argumentTypes.js";
import { gramThroughDepthFloat64, type GramResultFloat64 } from "./gram/float64.js";
import { gramThroughDepthPrecise, type GramPrecisionOptions, type GramResultPrecise } from "./gram/precise.js";
import { projectToSphereFloat64 } from "./sphere/float64.js";
import type { ThreadOptions } from "./threads/pool.js";
import type { WasmVariant } from "./wasm/engine.js";

/** Options of the float64 call: those of the precise path without `precision`, plus the backend choice. */
export interface GramThroughDepthFloat64Options extends Omit<GramPrecisionOptions, "precision" | "extraGuardDigits">, ThreadOptions {
  readonly precision?: undefined;
  /** "wasm" (default) or "plain" (TypeScript port). */
  readonly backend?: "wasm" | "plain";
  /** WebAssembly build: "auto" (default), "simd", "scalar" or "fma" (no matrix products here: the "simd" bits). */
  readonly variant?: WasmVariant;
}

/** Float64: Σ̄, 1 − Σ̄, Θ̄, 1 − Θ̄ and raw diagonals (scaled by 2^log2Scale) at each checkpoint. */
export function gramThroughDepth(o: GramThroughDepthFloat64Options): Promise<GramResultFloat64>;
/** High precision: the same matrices as Decimals, with the digits each vouches for. */
export function gramThroughDepth(o: GramPrecisionOptions): Promise<GramResultPrecise>;
export async function gramThroughDepth(o: GramThroughDepthFloat64Options | GramPrecisionOptions): Promise<GramResultFloat64 | GramResultPrecise> {
  checkObject(o, "gramThroughDepth's options");
  if (o.precision !== undefined) return gramThroughDepthPrecise(o);
  const { data, projection, tolerance, ...rest } = o;
  return gramThroughDepthFloat64({ ...rest, points: projectToSphereFloat64(data, projection, { tolerance }) });
}
