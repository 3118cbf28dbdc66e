/**
 * Gram throughput (SPEC §5): nanoseconds per unique pair per depth step of
 * `gramThroughDepthFloat64` for m = 1000 points and L = 100, in the WebAssembly SIMD and scalar
 * builds and in the plain TypeScript port, on the same points. Times are the public entry point's
 * (wall and CPU time: on a shared machine the wall time also counts waiting for a core),
 * so they include validation, the layer-1 complements, and writing the four m × m matrices out
 * (O(m²), small beside the m²/2 · (L − 1) pair steps).
 */
import { gramThroughDepthFloat64, type GramFloat64Options } from "../src/gram/float64.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { medianWallAndCpu, type BenchRow, type BenchSection } from "./timing.js";

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
  return projectToSphereFloat64({ m, n0, coords }, "normalize");
}

export async function run(): Promise<BenchSection> {
  const points = randomPoints(M, N0);
  const pairSteps = ((M * (M - 1)) / 2) * (DEPTH - 1);
  const perPairStep = async (options: Pick<GramFloat64Options, "backend" | "variant">) => {
    const { wallMs, cpuMs } = await medianWallAndCpu(REPEATS, async () => void (await gramThroughDepthFloat64({ points, depths: [DEPTH], ...options })));
    return { wall: (wallMs * 1e6) / pairSteps, cpu: (cpuMs * 1e6) / pairSteps };
  };
  const plain = await perPairStep({ backend: "plain" });
  const simd = await perPairStep({ backend: "wasm", variant: "simd" });
  const scalar = await perPairStep({ backend: "wasm", variant: "scalar" });
  const rows: BenchRow[] = [];
  for (const clock of ["wall", "cpu"] as const) {
    const unit = clock === "wall" ? "ns/(pair·step), wall" : "ns/(pair·step), CPU";
    const vs = (t: { wall: number; cpu: number }): string => `${(plain[clock] / t[clock]).toFixed(2)}× the plain TS throughput`;
    rows.push(
      { name: "WASM SIMD build", median: simd[clock], unit, note: vs(simd) },
      { name: "WASM scalar build", median: scalar[clock], unit, note: vs(scalar) },
      { name: "plain TypeScript port", median: plain[clock], unit, note: "baseline" },
    );
  }
  return {
    title: "Gram matrices through depth (Σ̄, Θ̄ and complements in one pass)",
    rows,
    setup:
      `m = ${M} random points on S^${N0 - 1}, L = ${DEPTH} (${pairSteps.toExponential(3)} pair steps), paper case σw = 1, σb = 0; medians of ${REPEATS} runs after a warm-up, ` +
      "of gramThroughDepthFloat64 end to end, as wall time and as the process's CPU time (which a loaded machine inflates less). " +
      "All three paths run the same arithmetic (exact step above ε = 0.8, degree-12 polynomial fits below); the SIMD build runs eight pairs as four f64x2 chains, the scalar build two chains, the plain port one pair at a time. " +
      `Target: WASM ≥ ${TARGET_SPEEDUP}× faster than plain TypeScript.`,
  };
}
