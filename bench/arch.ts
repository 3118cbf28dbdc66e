/**
 * Architectures (src/arch/): CPU time per unique pair per depth step of the Gram matrices, m = 300
 * points in R^10 to depth L = 100, measured side by side: the ReLU network through the ReLU engine
 * (gramThroughDepthFloat64), the same network through the architecture API ("relu dense", which
 * dispatches to that engine: the ratio must be 1), and the general tape (WASM) for ReLU
 * ("relu dense relu dense" at half the depth, the same network), leaky ReLU, erf and a residual
 * block. The tape costs a step per layer operation, so a block of k operations costs k steps.
 */
import { gramThroughDepthFloat64 } from "../src/gram/float64.js";
import { archGramThroughDepthFloat64 } from "../src/arch/float64.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { median, nowMs, type BenchRow, type BenchSection } from "./timing.js";

const M = 300;
const N0 = 10;
const DEPTH = 100;
const REPEATS = 5;

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

/** Median CPU milliseconds (user + system) of REPEATS runs after a warm-up. */
async function cpuMs(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const cpu: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const c0 = process.cpuUsage();
    const t0 = nowMs();
    await fn();
    void t0;
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return median(cpu);
}

export async function run(): Promise<BenchSection> {
  const points = randomPoints(M, N0);
  const pairSteps = ((M * (M - 1)) / 2) * (DEPTH - 1);
  const per = (ms: number): number => (ms * 1e6) / pairSteps;
  const relu = per(await cpuMs(() => gramThroughDepthFloat64({ points, depths: [DEPTH] })));
  const rows: BenchRow[] = [{ name: "ReLU network, ReLU engine (gramThroughDepthFloat64)", median: relu, unit: "ns/(pair·step), CPU", note: "baseline" }];
  const archRow = async (name: string, architecture: string, depth: number): Promise<void> => {
    const t = per(await cpuMs(() => archGramThroughDepthFloat64({ points, depths: [depth], architecture })));
    rows.push({ name, median: t, unit: "ns/(pair·step), CPU", note: `${(t / relu).toFixed(2)}× the ReLU engine` });
  };
  await archRow('"relu dense" through archGramThroughDepthFloat64 (dispatches to the ReLU engine)', "relu dense", DEPTH);
  await archRow('"relu dense relu dense" at L = 50 (the same network on the general tape)', "relu dense relu dense", DEPTH / 2);
  await archRow('"leaky_relu(0.1) dense" (tape)', "leaky_relu(0.1) dense", DEPTH);
  await archRow('"erf dense" (tape)', "erf dense", DEPTH);
  await archRow('"residual(alpha=1/sqrt(L); relu dense)" (tape, 4 operations a block)', "residual(alpha=1/sqrt(L); relu dense)", DEPTH);
  return {
    title: "Architectures: the general tape beside the ReLU engine",
    setup: `m = ${M} points in R^${N0}, L = ${DEPTH} (per step: one depth step of one unique pair), median CPU time of ${REPEATS} runs after a warm-up; WASM (SIMD build where available). The machine was shared with other jobs: compare ratios within this table.`,
    rows,
  };
}
