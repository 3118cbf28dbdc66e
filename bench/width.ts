/**
 * Finite networks (docs/FINITE_WIDTH.md), side by side in one run: the matrix products of a layer
 * of width 1024 on 16 inputs (forward W·A; backward Wᵀ·δ from Wᵀ's panels as the network runs it,
 * and with Wᵀ read in place as training does) in GFlop/s, and the same kernel on operands held in
 * the L1 cache (its ceiling here), each on the default build and on the opt-in "fma" build, run by
 * run alternately; the Gaussian generation (W alone, W with its panels); one whole network of
 * width 1024, depth 64 on 16 inputs (weights generated, forward, backward, empirical NTK) on 1 and
 * on 2 threads, on both builds, against numpy float64 single-threaded doing the same work
 * (bench/numpy_network.py, skipped when python3 with numpy is missing); then Monte Carlo of 100
 * networks of width 256, depth 32 on 8 inputs, on this thread and on two workers. */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { empiricalKernels } from "../src/width/empirical.js";
import type { NetworkExports } from "../src/width/passes.js";
import { monteCarloKernels } from "../src/width/monteCarlo.js";
import { sampleWorkerRunner } from "../src/width/sampleWorkers.js";
import { loadPrivateWasmEngine, loadWasmEngine, type WasmEngine } from "../src/wasm/engine.js";
import type { SpherePoints } from "../src/types.js";
import { median, medianMsAlternating, nowMs, type BenchRow, type BenchSection } from "./timing.js";

const WIDTH = 1024;
const DEPTH = 64;
const INPUTS = 16;
const TARGET_GFLOPS = 10;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Median wall and CPU milliseconds of `repeats` runs after a warm-up. */
async function timed(fn: () => Promise<unknown> | unknown, repeats: number): Promise<{ wall: number; cpu: number }> {
  await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const [w0, c0] = [nowMs(), cpuMs()];
    await fn();
    wall.push(nowMs() - w0);
    cpu.push(cpuMs() - c0);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function basisPoints(m: number): SpherePoints {
  const coords = new Float64Array(m * m);
  for (let i = 0; i < m; i++) coords[i * m + i] = 1;
  return { m, n0: m, coords, projection: "none" };
}

/** numpy's figure for the same network, or null when python3/numpy is not there. */
function numpyNetwork(): { seconds: number; cpuSeconds: number; numpy: string } | null {
  try {
    const script = fileURLToPath(new URL("./numpy_network.py", import.meta.url));
    const out = execFileSync("python3", [script, String(WIDTH), String(DEPTH), String(INPUTS), "3"], {
      env: { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" },
      encoding: "utf8",
    });
    return JSON.parse(out.trim().split("\n").pop()!);
  } catch {
    return null;
  }
}

/** The layer's operands on one engine: W, Wᵀ's panels, A (16 inputs) and C. */
function layerOperands(engine: WasmEngine): { ex: NetworkExports; w: number; panels: number; a: number; c: number } {
  const ex = engine.exports as unknown as NetworkExports;
  const [w, panels, a, c] = engine.reserve([WIDTH * WIDTH, WIDTH * WIDTH, WIDTH * INPUTS, WIDTH * INPUTS]);
  ex.normalFillPanels(w, panels, WIDTH, WIDTH, 0, WIDTH, 0, 1, 0, 1);
  ex.normalFill(a, WIDTH * INPUTS, 0, 1, 1, 0);
  return { ex, w, panels, a, c };
}

/** The opt-in "fma" build, or null (with the reason) where the host has no relaxed SIMD. */
async function fmaEngine(): Promise<WasmEngine | string> {
  try {
    return await loadPrivateWasmEngine("fma");
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export async function run(): Promise<BenchSection> {
  const rows: BenchRow[] = [];
  const engine = await loadWasmEngine();
  const fma = await fmaEngine();
  const builds = [{ name: `${engine.variant} build`, ...layerOperands(engine) }];
  if (typeof fma !== "string")
    builds.push({ name: `fma build (opt-in${fma.fusesMultiplyAdd ? ", fused on this host" : ", NOT fused on this host"})`, ...layerOperands(fma) });
  const gemmFlops = 2 * WIDTH * WIDTH * INPUTS;
  // The same kernel on operands that stay in the L1 cache (16 × 128 by 128 × 16, 16 KiB each):
  // its ceiling on this machine, which the layer's products reach or miss by how W streams in.
  const inCache = 200;
  const l1Flops = 2 * 16 * 128 * INPUTS * inCache;
  const products: [string, number, (o: (typeof builds)[number]) => void][] = [
    [`matrix product W·A (forward), ${WIDTH}×${WIDTH} by ${WIDTH}×${INPUTS}`, gemmFlops, (o) => o.ex.gemm(o.c, o.w, o.a, WIDTH, WIDTH, INPUTS, WIDTH, 1, 1, 0)],
    [
      `matrix product Wᵀ·δ (backward, from Wᵀ's panels: the network's regenerated weights), ${WIDTH}×${WIDTH} by ${WIDTH}×${INPUTS}`,
      gemmFlops,
      (o) => o.ex.gemmPanels(o.c, o.panels, o.a, WIDTH, WIDTH, INPUTS, 1, 0),
    ],
    [
      `matrix product Wᵀ·δ (backward, Wᵀ read in place: training's stored weights), ${WIDTH}×${WIDTH} by ${WIDTH}×${INPUTS}`,
      gemmFlops,
      (o) => o.ex.gemm(o.c, o.w, o.a, WIDTH, WIDTH, INPUTS, 1, WIDTH, 1, 0),
    ],
    [
      `matrix product kernel, operands in L1 cache (16×128 by 128×${INPUTS}, ${inCache} times)`,
      l1Flops,
      (o) => {
        for (let q = 0; q < inCache; q++) o.ex.gemm(o.c, o.w, o.a, 16, 128, INPUTS, 128, 1, 1, 0);
      },
    ],
  ];
  for (const [label, flops, product] of products) {
    // The builds alternate run by run, so that a change in the machine's speed falls on both.
    const t = await medianMsAlternating(
      builds.map((o) => async () => product(o)),
      15,
    );
    builds.forEach((o, i) =>
      rows.push({
        name: `${label}, ${o.name}`,
        median: flops / (t.ms[i] * 1e6),
        unit: "GFlop/s, wall",
        note:
          i === 0
            ? `target ≥ ${TARGET_GFLOPS}`
            : `${(1 / t.ratioToFirst[i]).toFixed(2)}× the ${builds[0].name} (median of paired ratios); target ≥ ${TARGET_GFLOPS}`,
      }),
    );
  }
  if (typeof fma === "string") rows.push({ name: "matrix products, fma build", median: NaN, unit: "GFlop/s", note: `not run: ${fma}` });
  const { ex, w, panels } = builds[0];
  const gen = await timed(() => ex.normalFill(w, WIDTH * WIDTH, 0, 7, 3, 0), 7);
  rows.push({
    name: `Gaussian generation (SplitMix64 + Box–Muller), ${WIDTH * WIDTH} values`,
    median: (gen.wall * 1e6) / (WIDTH * WIDTH),
    unit: "ns/value, wall",
    note: `${((gen.cpu * 1e6) / (WIDTH * WIDTH)).toFixed(1)} ns/value by CPU time`,
  });
  const genPanels = await timed(() => ex.normalFillPanels(w, panels, WIDTH, WIDTH, 0, WIDTH, 0, 7, 3, 1), 7);
  rows.push({
    name: "the same values drawn as the forward pass draws them: W and Wᵀ's panels",
    median: (genPanels.wall * 1e6) / (WIDTH * WIDTH),
    unit: "ns/value, wall",
    note: `${((genPanels.cpu * 1e6) / (WIDTH * WIDTH)).toFixed(1)} ns/value by CPU time; ${(genPanels.wall / gen.wall).toFixed(2)}× W alone`,
  });

  const points = basisPoints(INPUTS);
  // Matrix-product flops of the passes: forward L products, backward L − 1 (sizes n_l × n_{l−1} by m).
  const widths = [INPUTS, ...Array<number>(DEPTH - 1).fill(WIDTH), 1];
  let flops = 0;
  for (let l = 1; l <= DEPTH; l++) flops += 2 * widths[l] * widths[l - 1] * INPUTS * (l > 1 ? 2 : 1);
  const weights = widths.reduce((s, n, l) => (l === 0 ? s : s + n * widths[l - 1]), 0);
  const network = { points, depth: DEPTH, width: WIDTH, seed: 1 };
  const one = await timed(() => empiricalKernels({ ...network, threads: 1 }), 3);
  const two = await timed(() => empiricalKernels({ ...network, threads: 2 }), 3);
  const np = numpyNetwork();
  const vsNumpy = (wall: number) => (np ? `; ${(np.seconds / (wall / 1000)).toFixed(2)}× numpy's speed (wall)` : "");
  rows.push({
    name: `whole network (${(weights / 1e6).toFixed(0)}M weights generated, forward, backward, Θ_n), 1 thread`,
    median: one.wall / 1000,
    unit: "s, wall",
    note: `${(one.cpu / 1000).toFixed(2)} s CPU; products ${(flops / 1e9).toFixed(2)} GFlop${vsNumpy(one.wall)} (target ≥ 1×)`,
  });
  rows.push({
    name: "the same network, 2 threads (generation and products on the pool)",
    median: two.wall / 1000,
    unit: "s, wall",
    note: `${(two.cpu / 1000).toFixed(2)} s CPU (all threads); ${(one.wall / two.wall).toFixed(2)}× 1 thread${vsNumpy(two.wall)} (target ≥ 1.8×); same bits`,
  });
  if (typeof fma !== "string") {
    for (const threads of [1, 2]) {
      const t = await timed(() => empiricalKernels({ ...network, threads, variant: "fma" }), 3);
      const base = threads === 1 ? one : two;
      rows.push({
        name: `the same network on the fma build (opt-in), ${threads} thread${threads > 1 ? "s" : ""}`,
        median: t.wall / 1000,
        unit: "s, wall",
        note: `${(t.cpu / 1000).toFixed(2)} s CPU; ${(base.wall / t.wall).toFixed(2)}× the ${engine.variant} build${vsNumpy(t.wall)}`,
      });
    }
  }
  if (np) {
    rows.push({
      name: `numpy ${np.numpy} float64, single-threaded, same work`,
      median: np.seconds,
      unit: "s, wall",
      note: `${np.cpuSeconds.toFixed(2)} s CPU; ntk-depth on 1 thread is ${(np.cpuSeconds / (one.cpu / 1000)).toFixed(2)}× its speed by CPU time`,
    });
  } else {
    rows.push({ name: "numpy float64, single-threaded, same work", median: NaN, unit: "s", note: "not run: python3 with numpy not found" });
  }

  const mc = { points: basisPoints(8), depth: 32, width: 256, samples: 100, seed: 5 };
  const mcOne = await timed(() => monteCarloKernels(mc), 1);
  const mcTwo = await timed(() => monteCarloKernels({ ...mc, runner: sampleWorkerRunner(2) }), 1);
  rows.push({
    name: "Monte Carlo, 100 networks of width 256, depth 32, 8 inputs, this thread",
    median: mcOne.wall / 1000,
    unit: "s, wall",
    note: `${(mcOne.cpu / 1000).toFixed(2)} s CPU`,
  });
  rows.push({ name: "the same on two worker threads", median: mcTwo.wall / 1000, unit: "s, wall", note: `${(mcOne.wall / mcTwo.wall).toFixed(2)}× faster` });
  return {
    title: "Finite networks: one network, matrix products, Monte Carlo",
    rows,
    setup: `Width ${WIDTH} in every hidden layer, depth ${DEPTH}, ${INPUTS} inputs (the unit vectors of R^${INPUTS}), σw = 1, σb = 0, weights regenerated per layer, the last 16 kept from the forward pass (docs/FINITE_WIDTH.md); WASM SIMD build. Matrix products: medians of 15 runs; whole network: median of 3 after a warm-up (2 threads: the shared-memory build's worker pool); Monte Carlo rows: one run after a warm-up (worker start-up included). numpy: bench/numpy_network.py, median of 3, OPENBLAS_NUM_THREADS=1. Wall and CPU times: CPU time is what a loaded machine inflates less.`,
  };
}
