/**
 * Gram throughput (SPEC §5): nanoseconds per unique pair per depth step of
 * `gramThroughDepthFloat64` for m = 1000 points and L = 100, in the WebAssembly SIMD and scalar
 * builds and in the plain TypeScript port, on the same points. Times are the public entry point's,
 * so they include validation, the layer-1 complements, and writing the four m × m matrices out
 * (O(m²), small beside the m²/2 · (L − 1) pair steps).
 */
import { gramThroughDepthFloat64, type GramFloat64Options } from "../src/gram/float64.js";
import { projectToSphere } from "../src/sphere/float64.js";
import { medianMsAsync, type BenchRow, type BenchSection } from "./timing.js";

const M = 1000;
const N0 = 10;
const DEPTH = 100;
const REPEATS = 5;
/** Target from the project brief: WASM at least this many times faster than plain TypeScript. */
const TARGET_SPEEDUP = 2;

function randomPoints(m: number, n0: number) {
  let s = 88172645;
  const coords = Float64Array.from({ length: m * n0 }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296 - 0.5;
  });
  return projectToSphere({ m, n0, coords }, "normalize");
}

export async function run(): Promise<BenchSection> {
  const points = randomPoints(M, N0);
  const pairSteps = ((M * (M - 1)) / 2) * (DEPTH - 1);
  const nsPerPairStep = async (options: Pick<GramFloat64Options, "backend" | "variant">) =>
    ((await medianMsAsync(async () => void (await gramThroughDepthFloat64({ points, depths: [DEPTH], ...options })), REPEATS)) * 1e6) / pairSteps;
  const plain = await nsPerPairStep({ backend: "plain" });
  const simd = await nsPerPairStep({ backend: "wasm", variant: "simd" });
  const scalar = await nsPerPairStep({ backend: "wasm", variant: "scalar" });
  const vs = (ns: number): string => `${(plain / ns).toFixed(2)}× faster than plain TS`;
  const rows: BenchRow[] = [
    { name: "WASM SIMD build", median: simd, unit: "ns/(pair·step)", note: vs(simd) },
    { name: "WASM scalar build", median: scalar, unit: "ns/(pair·step)", note: vs(scalar) },
    { name: "plain TypeScript port", median: plain, unit: "ns/(pair·step)", note: "baseline" },
  ];
  return {
    title: "Gram matrices through depth (Σ̄, Θ̄ and complements in one pass)",
    rows,
    setup: `m = ${M} random points on S^${N0 - 1}, L = ${DEPTH} (${pairSteps.toExponential(3)} pair steps), paper case σw = 1, σb = 0; median of ${REPEATS} runs after a warm-up; times of gramThroughDepthFloat64 end to end. Target: WASM ≥ ${TARGET_SPEEDUP}× faster than plain TypeScript.`,
  };
}
