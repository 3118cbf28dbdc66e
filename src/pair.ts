/**
 * One pair of points through depth, at float64 or at any precision: one entry point, precision is
 * one option (SPEC §2–4). Without `precision` it runs the float64 path (`./pair/float64.ts`,
 * WebAssembly, stable complement recursion by default); with `precision: P` (20..1000 significant
 * digits) the BigInt high-precision path (`./pair/precise.ts`), whose values carry the digits they
 * vouch for. Field names are the same in both results.
 */
import { checkObject } from "./argumentTypes.js";
import { pairThroughDepthFloat64, type PairFloat64Options, type PairResultFloat64 } from "./pair/float64.js";
import { pairThroughDepthPrecise, type PairPrecisionOptions, type PairResultPrecise } from "./pair/precise.js";

/** Float64: ρ, 1 − ρ, θ, Θ̄, 1 − Θ̄ and raw Σ, Θ (scaled by 2^log2Scale) at each checkpoint. */
export function pairThroughDepth(o: PairFloat64Options): Promise<PairResultFloat64>;
/** High precision: the same quantities as Decimals, each with its digits vouched. */
export function pairThroughDepth(o: PairPrecisionOptions): Promise<PairResultPrecise>;
export async function pairThroughDepth(o: PairFloat64Options | PairPrecisionOptions): Promise<PairResultFloat64 | PairResultPrecise> {
  checkObject(o, "pairThroughDepth's options");
  return "precision" in o && o.precision !== undefined ? pairThroughDepthPrecise(o) : pairThroughDepthFloat64(o as PairFloat64Options);
}
