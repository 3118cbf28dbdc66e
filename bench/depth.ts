/**
 * Depth at constant cost (SPEC §9), each against the direct recursion in the same run:
 *   - one pair at L = 10^18, float64 (target ≤ 50 µs) and 40 digits (target ≤ 50 ms, wall and
 *     CPU time), at 300 digits (the 380-digit table's top precision) and at 1 000 (the library's
 *     top precision, the 1 050-digit table), with the direct recursion's cost
 *     per layer measured beside it (at L = 10^18 the direct loop cannot run: its time there is
 *     that per-layer cost × 10^18, extrapolated, and said so);
 *   - σb > 0: a Gram matrix at L = 10^18, where the direct loop stops at its float64 fixed point,
 *     against the same loop run layer by layer to L = 10^4 (stopAtFixedPoint: false);
 *   - Gram matrices of m = 2 000 points in R^784 on the sphere at L = 1 000 (target: tabulated
 *     ≥ 100× faster than direct) and at L = 10^6 (direct extrapolated from its measured cost per
 *     pair step at L = 1 000, since a run would take hours).
 */
import { pairThroughDepthFloat64 } from "../src/pair/float64.js";
import { pairThroughDepthPrecise } from "../src/pair/precise.js";
import { gramThroughDepthFloat64 } from "../src/gram/float64.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { datasetFromArrays } from "../src/data/dataset.js";
import { buildDepthMapFloat64, depthMapFillFloat64 } from "../src/depth/depthMap.js";
import { loadPrivateWasmEngine } from "../src/wasm/engine.js";
import { medianMsAsync, medianWallAndCpu, type BenchRow, type BenchSection } from "./timing.js";

const DEEP = 10n ** 18n;

function randomPoints(m: number, n0: number): ReturnType<typeof projectToSphereFloat64> {
  let a = 12345;
  const next = () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648 - 0.5;
  };
  const points = Array.from({ length: m }, () => Array.from({ length: n0 }, next));
  return projectToSphereFloat64(datasetFromArrays({ points }), "normalize");
}

export async function run(): Promise<BenchSection> {
  const rows: BenchRow[] = [];
  // One pair, float64: 1000 checkpoints per call so that a call lasts milliseconds.
  const at = Array.from({ length: 1000 }, (_, i) => DEEP - BigInt(i));
  const jump64 = ((await medianMsAsync(async () => void (await pairThroughDepthFloat64({ rho1: "0.5", depth: DEEP, at, method: "jump" })), 7)) * 1e3) / 1000;
  const directSteps = 2_000_000;
  const directNs =
    ((await medianMsAsync(async () => void (await pairThroughDepthFloat64({ rho1: "0.5", depth: directSteps, method: "direct" })), 5)) * 1e6) / directSteps;
  rows.push({ name: "pair, float64 jump, L = 10^18", median: jump64, unit: "µs/depth", note: "target ≤ 50 µs" });
  rows.push({
    name: "pair, float64 direct, per layer",
    median: directNs,
    unit: "ns/layer",
    note: `L = 10^18 would take ~${((directNs * 1e18) / 1e9 / 3.15e7).toExponential(1)} years (extrapolated)`,
  });
  const jump40Timing = await medianWallAndCpu(9, async () => void (await pairThroughDepthPrecise({ rho1: "0.5", depth: DEEP, precision: 40, method: "jump" })));
  const jump40 = jump40Timing.wallMs;
  const jump300 = await medianWallAndCpu(3, async () => void (await pairThroughDepthPrecise({ rho1: "0.5", depth: DEEP, precision: 300, method: "jump" })));
  const jump1000 = await medianWallAndCpu(3, async () => void (await pairThroughDepthPrecise({ rho1: "0.5", depth: DEEP, precision: 1000, method: "jump" })));
  const direct40Steps = 2000;
  const direct40 =
    ((await medianMsAsync(async () => void (await pairThroughDepthPrecise({ rho1: "0.5", depth: direct40Steps, precision: 40, method: "direct" })), 3)) * 1e3) /
    direct40Steps;
  rows.push({
    name: "pair, 40 digits, jump, L = 10^18 (two vouching runs), wall",
    median: jump40,
    unit: "ms",
    note: `target ≤ 50 ms; CPU ${jump40Timing.cpuMs.toFixed(1)} ms`,
  });
  rows.push({
    name: "pair, 300 digits, jump, L = 10^18 (two vouching runs), wall",
    median: jump300.wallMs,
    unit: "ms",
    note: `CPU ${jump300.cpuMs.toFixed(0)} ms`,
  });
  rows.push({
    name: "pair, 1000 digits, jump, L = 10^18 (two vouching runs), wall",
    median: jump1000.wallMs,
    unit: "ms",
    note: `CPU ${jump1000.cpuMs.toFixed(0)} ms`,
  });
  rows.push({
    name: "pair, 40 digits, direct, per layer (two vouching runs)",
    median: direct40,
    unit: "µs/layer",
    note: `the jump equals ${Math.round((jump40 * 1e3) / direct40)} direct layers`,
  });

  // Gram, m = 2000 in R^784.
  const points = randomPoints(2000, 784);
  const pairs = (2000 * 1999) / 2;
  const gramAt = async (depth: bigint, method: "direct" | "jump", repeats: number) =>
    medianMsAsync(async () => void (await gramThroughDepthFloat64({ points, depths: [depth], method })), repeats);
  const tab1000 = await gramAt(1000n, "jump", 3);
  const dir1000 = await gramAt(1000n, "direct", 1);
  const tab1e6 = await gramAt(1_000_000n, "jump", 3);
  // Depth 1 costs only what both methods share: the input complements |x − x′|²/2 (m(m−1)/2 · n0) and unpacking.
  const base = await gramAt(1n, "direct", 3);
  // The depth-dependent stage of the tabulated Gram alone (build the L = 1 000 map, apply it to
  // every pair), on one thread: the difference of two whole runs is within their noise.
  const mapStage = await timeMapStage(1000n, pairs);
  const perPairStep = (dir1000 * 1e6) / (pairs * 999);
  const dir1e6 = (perPairStep * pairs * 999_999) / 1e6;
  rows.push({
    name: "Gram m = 2 000, L = 1 000, tabulated (σb = 0)",
    median: tab1000,
    unit: "ms",
    note: `${(dir1000 / tab1000).toFixed(0)}× direct (target ≥ 100×)`,
  });
  rows.push({ name: "Gram m = 2 000, L = 1 000, direct", median: dir1000, unit: "ms", note: `${perPairStep.toFixed(2)} ns per pair step` });
  rows.push({
    name: "Gram m = 2 000, L = 1 (shared part: input complements in R^784, unpacking)",
    median: base,
    unit: "ms",
    note: "what both methods share; it caps the end-to-end ratio at L = 1 000",
  });
  rows.push({
    name: "Gram m = 2 000, L = 1 000, the depth map alone (build, then fill every pair), one thread",
    median: mapStage,
    unit: "ms",
    note: `${((mapStage * 1e6) / pairs).toFixed(0)} ns a pair; against the direct run's depth part (direct − shared): ${((dir1000 - base) / mapStage).toFixed(0)}×`,
  });
  // The same comparison where the input stage is small (R^10, m(m−1)/2 · 10 products): what the
  // end-to-end ratio is when the depth part dominates.
  const low = randomPoints(2000, 10);
  const lowAt = async (depth: bigint, method: "direct" | "jump", repeats: number) =>
    medianMsAsync(async () => void (await gramThroughDepthFloat64({ points: low, depths: [depth], method })), repeats);
  const lowTab = await lowAt(1000n, "jump", 5);
  const lowDir = await lowAt(1000n, "direct", 1);
  rows.push({
    name: "Gram m = 2 000 in R^10, L = 1 000, tabulated",
    median: lowTab,
    unit: "ms",
    note: `${(lowDir / lowTab).toFixed(0)}× direct (target ≥ 100×)`,
  });
  rows.push({ name: "Gram m = 2 000 in R^10, L = 1 000, direct", median: lowDir, unit: "ms", note: "one run" });
  rows.push({ name: "Gram m = 2 000, L = 10^6, tabulated", median: tab1e6, unit: "ms", note: `${(dir1e6 / tab1e6).toExponential(1)}× direct (extrapolated)` });
  rows.push({
    name: "Gram m = 2 000, L = 10^6, direct (extrapolated, not run)",
    median: dir1e6,
    unit: "ms",
    note: "per-pair-step cost at L = 1 000 × pairs × 999 999",
  });

  // σb > 0: m = 150 of the same points, σw = 1, σb = 0.5 (w* = 1/2: the state settles within a few thousand layers).
  const few = randomPoints(150, 784);
  const params = { sigmaW: 1, sigmaB: 0.5 };
  let settledAt: bigint | null | undefined = null;
  const settled = await medianMsAsync(async () => {
    settledAt = (await gramThroughDepthFloat64({ points: few, depths: [DEEP], params, threads: 1 })).fixedPointFrom;
  }, 3);
  const layered = await medianMsAsync(
    async () => void (await gramThroughDepthFloat64({ points: few, depths: [10_000], params, threads: 1, stopAtFixedPoint: false })),
    1,
  );
  rows.push({
    name: "Gram m = 150, σb = 0.5, L = 10^18 (direct, stops at the float64 fixed point)",
    median: settled,
    unit: "ms",
    note: `fixed point from L = ${String(settledAt)}; ${(layered / settled).toFixed(0)}× faster than every layer to 10^4`,
  });
  rows.push({ name: "Gram m = 150, σb = 0.5, L = 10^4, every layer (stopAtFixedPoint: false)", median: layered, unit: "ms", note: "one run" });
  return {
    title: "Depth at constant cost (SPEC §9): jump and tabulated maps against the direct recursion",
    rows,
    setup:
      "ρ1 = 0.5, paper case; float64 jump timed over 1 000 checkpoints near 10^18 per call; 40 digits: precision 40 (two runs, 48 and 54 digits), median of 9, CPU = process.cpuUsage; " +
      "σb > 0 Gram: 150 of the points, σw = 1, σb = 0.5, one thread; " +
      "Gram: m = 2 000 random points in R^784 (and, to show the ratio where the input stage is small, in R^10) normalized to the sphere, both normalized kernels and their complements, on the default threads (both cores), the map stage alone on one; medians (the direct Gram at L = 1 000 once).",
  };
}

/**
 * Median ms of building the depth-L map plus median ms of filling `pairs` pairs of spread
 * ε_1 ∈ (0, 2) from it, on a private engine (the build reserves scratch memory, so it is timed
 * apart, before the pairs are laid out).
 */
async function timeMapStage(depth: bigint, pairs: number): Promise<number> {
  const engine = await loadPrivateWasmEngine();
  let map = buildDepthMapFloat64(engine, depth);
  const build = await medianMsAsync(async () => void (map = buildDepthMapFloat64(engine, depth)), 5);
  const [eps, u, table] = engine.reserve([pairs, pairs, map.coefficients.length], "the map-stage benchmark");
  engine.f64(table!, map.coefficients.length).set(map.coefficients);
  const start = Float64Array.from({ length: pairs }, (_, k) => 2 * ((k + 0.5) / pairs) ** 3);
  const theta = start.map((e) => Math.acos(1 - e));
  const fills: number[] = [];
  for (let r = 0; r < 5; r++) {
    engine.f64(eps!, pairs).set(start);
    engine.f64(u!, pairs).set(theta);
    const t0 = performance.now();
    depthMapFillFloat64(engine, map, table!, eps!, u!, 0, pairs);
    fills.push(performance.now() - t0);
  }
  return build + fills.sort((a, b) => a - b)[2];
}
