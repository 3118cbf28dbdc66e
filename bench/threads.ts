/**
 * Worker threads and peers (issue 9), side by side in one run:
 * - the direct Gram fill (m = 1000 points on S^9, L = 100, the setup of the gram section) per
 *   unique pair per depth step on 1 and 2 threads, against the same recursion in numpy
 *   (bench/gram_numpy.py, run when python3 with numpy is present; otherwise a row says so);
 * - the layer-1 inner products alone (m = 4000 points in R^784, L = 1) on 1 and 2 threads;
 * - LU factorization (n = 2000) and a solve with 500 right-hand sides on 1 and 2 threads;
 * - Cholesky factorization (n = 4000, a random symmetric positive definite matrix) on 1 and 2 threads.
 * Wall times (a loaded machine stretches them), medians over repeats after a warm-up.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { gramThroughDepthFloat64 } from "../src/gram/float64.js";
import { choleskyFactor } from "../src/linalg/cholesky.js";
import { luFactorFloat64 } from "../src/linalg/lu.js";
import { benchPoints, randomValues } from "./points.js";
import { medianWallAndCpu, type BenchRow, type BenchSection } from "./timing.js";

const GRAM_M = 1000;
const GRAM_N0 = 10;
const GRAM_DEPTH = 100;
const GEMM_M = 4000;
const GEMM_N0 = 784;
const LU_N = 2000;
const SOLVE_K = 500;
const CHOLESKY_N = 4000;
const REPEATS = 3;

/** The numpy peer's ns per pair step, or why it was not run. */
function numpyPeer(): { nsPerPairStep: number; numpy: string } | { skipped: string } {
  const script = fileURLToPath(new URL("./gram_numpy.py", import.meta.url));
  try {
    const out = execFileSync("python3", [script, String(GRAM_M), String(GRAM_N0), String(GRAM_DEPTH), String(REPEATS)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    return JSON.parse(out) as { nsPerPairStep: number; numpy: string };
  } catch (e) {
    return { skipped: `numpy peer skipped: python3 with numpy not available (${String((e as Error).message).split("\n")[0]})` };
  }
}

/**
 * Rows for one computation on 1 and 2 threads: `work / wall time` (and the CPU time the process
 * spent, workers included: with perfect scaling it stays the same on 2 threads).
 */
async function oneAgainstTwo(label: string, unit: string, work: number, fn: (threads: number) => Promise<void>): Promise<BenchRow[]> {
  const one = await medianWallAndCpu(REPEATS, () => fn(1));
  const two = await medianWallAndCpu(REPEATS, () => fn(2));
  const rate = (ms: number): number => work / ms;
  return [
    { name: `${label}, 1 thread`, median: rate(one.wallMs), unit, note: `baseline; CPU ${one.cpuMs.toFixed(0)} ms, wall ${one.wallMs.toFixed(0)} ms` },
    {
      name: `${label}, 2 threads`,
      median: rate(two.wallMs),
      unit,
      note: `${(one.wallMs / two.wallMs).toFixed(2)}× 1 thread (wall); CPU ${two.cpuMs.toFixed(0)} ms (${(two.cpuMs / one.cpuMs).toFixed(2)}× 1 thread's), wall ${two.wallMs.toFixed(0)} ms`,
    },
  ];
}

export async function run(): Promise<BenchSection> {
  const rows: BenchRow[] = [];
  const points = benchPoints(GRAM_M, GRAM_N0);
  const pairSteps = ((GRAM_M * (GRAM_M - 1)) / 2) * (GRAM_DEPTH - 1);
  const gram = await oneAgainstTwo(
    "direct Gram fill (WASM)",
    "M pair·steps/s",
    pairSteps / 1e3,
    async (threads) => void (await gramThroughDepthFloat64({ points, depths: [GRAM_DEPTH], threads })),
  );
  rows.push(...gram);
  const ns = (row: BenchRow): number => 1e3 / row.median;
  const peer = numpyPeer();
  if ("skipped" in peer) rows.push({ name: peer.skipped, median: Number.NaN, unit: "", note: "" });
  else {
    rows.push({
      name: `same recursion in numpy ${peer.numpy} (bench/gram_numpy.py)`,
      median: 1e3 / peer.nsPerPairStep,
      unit: "M pair·steps/s",
      note: `${peer.nsPerPairStep.toFixed(0)} ns/(pair·step) against WASM's ${ns(gram[0]).toFixed(1)} (1 thread) and ${ns(gram[1]).toFixed(1)} (2 threads): WASM ${(peer.nsPerPairStep / ns(gram[0])).toFixed(1)}× and ${(peer.nsPerPairStep / ns(gram[1])).toFixed(1)}× faster`,
    });
  }
  const wide = benchPoints(GEMM_M, GEMM_N0, 2463534242);
  rows.push(
    ...(await oneAgainstTwo(
      `layer-1 inner products (blocked GEMM) and output, m = ${GEMM_M}, n0 = ${GEMM_N0}`,
      "GFlop/s",
      (GEMM_M * (GEMM_M - 1) * GEMM_N0) / 1e6,
      async (threads) => void (await gramThroughDepthFloat64({ points: wide, depths: [1], threads })),
    )),
  );
  const a = randomValues(LU_N * LU_N, 2463534242);
  const b = randomValues(LU_N * SOLVE_K, 77);
  rows.push(
    ...(await oneAgainstTwo(
      `LU factorization, n = ${LU_N}`,
      "GFlop/s",
      (2 * LU_N ** 3) / 3 / 1e6,
      async (threads) => void (await luFactorFloat64(a, LU_N, { threads })),
    )),
  );
  const factored = [await luFactorFloat64(a, LU_N, { threads: 1 }), await luFactorFloat64(a, LU_N, { threads: 2 })];
  rows.push(
    ...(await oneAgainstTwo(
      `solve with ${SOLVE_K} right-hand sides, n = ${LU_N}`,
      "GFlop/s",
      (2 * LU_N * LU_N * SOLVE_K) / 1e6,
      async (threads) => void (await factored[threads - 1].solveAsync(b, SOLVE_K)),
    )),
  );
  // G + Gᵀ + 2√n I: exactly symmetric, positive definite by a margin (κ2 ≈ 3).
  const g = randomValues(CHOLESKY_N * CHOLESKY_N, 2463534242);
  const spd = new Float64Array(CHOLESKY_N * CHOLESKY_N);
  for (let i = 0; i < CHOLESKY_N; i++) {
    for (let j = 0; j < CHOLESKY_N; j++) spd[i * CHOLESKY_N + j] = g[i * CHOLESKY_N + j] + g[j * CHOLESKY_N + i] + (i === j ? 2 * Math.sqrt(CHOLESKY_N) : 0);
  }
  rows.push(
    ...(await oneAgainstTwo(
      `Cholesky factorization, n = ${CHOLESKY_N}`,
      "GFlop/s",
      CHOLESKY_N ** 3 / 3 / 1e6,
      async (threads) => void (await choleskyFactor(spd, CHOLESKY_N, { threads })),
    )),
  );
  return {
    title: "Worker threads: 1 against 2, and the direct Gram fill against numpy",
    rows,
    setup:
      `Direct Gram fill: m = ${GRAM_M} random points on S^${GRAM_N0 - 1}, L = ${GRAM_DEPTH}, paper case, gramThroughDepthFloat64 end to end; numpy runs the same complement recursion vectorized over the pairs (bench/gram_numpy.py, one thread). ` +
      `Layer-1 inner products: L = 1, flop count m(m−1)·n0. LU: random n × n, 2n³/3 flops; solve: 2n²k flops (LuFactorizationFloat64.solveAsync); Cholesky: n = ${CHOLESKY_N}, G + Gᵀ + 2√n·I with G random, n³/3 flops (choleskyFactor end to end: the copy in, and on one thread the copy out; on two the factor stays in the pool's memory for its solves). Rates from the median wall time of ${REPEATS} runs after a warm-up; ` +
      "CPU is the whole process's (workers included). Results are the same bits on 1 and 2 threads (test/threads.test.ts, test/cholesky-blocked.test.ts).",
  };
}
