/**
 * One pair through depth (SPEC §3–4): nanoseconds per depth step of `pairThroughDepthFloat64` for
 * the stable complement loop in WebAssembly (SIMD and scalar builds; a single pair gains nothing
 * from SIMD lanes) and in plain TypeScript, and the textbook loop in WebAssembly. End-to-end times
 * of the public entry point, so they include generating the layer coefficients (w, a, b) every
 * layer, which the Gram loop amortizes over all pairs but a single pair does not: in WebAssembly
 * (assembly/layers.ts) for the WASM rows, in TypeScript (LayerScalars) for the plain row.
 */
import { pairThroughDepthFloat64, type PairFloat64Options } from "../src/pair/float64.js";
import { medianMsAsync, type BenchRow, type BenchSection } from "./timing.js";

const DEPTH = 2_000_000;
const REPEATS = 7;

export async function run(): Promise<BenchSection> {
  const perStep = async (options: Partial<PairFloat64Options>) => {
    const ms = await medianMsAsync(async () => void (await pairThroughDepthFloat64({ rho1: "0.5", depth: DEPTH, ...options })), REPEATS);
    return (ms * 1e6) / (DEPTH - 1);
  };
  const plain = await perStep({ backend: "plain" });
  const simd = await perStep({ variant: "simd" });
  const scalar = await perStep({ variant: "scalar" });
  const textbook = await perStep({ method: "textbook" });
  const vs = (t: number) => `${(plain / t).toFixed(2)}× plain TS`;
  const rows: BenchRow[] = [
    { name: "stable, WASM SIMD build", median: simd, unit: "ns/step", note: vs(simd) },
    { name: "stable, WASM scalar build", median: scalar, unit: "ns/step", note: vs(scalar) },
    { name: "stable, plain TypeScript", median: plain, unit: "ns/step", note: "baseline" },
    { name: "textbook, WASM", median: textbook, unit: "ns/step", note: vs(textbook) },
  ];
  return {
    title: "One pair through depth (float64)",
    rows,
    setup: `ρ1 = 0.5, L = ${DEPTH.toExponential(0)}, paper case; medians of ${REPEATS} runs after a warm-up, wall time of pairThroughDepthFloat64 end to end.`,
  };
}
