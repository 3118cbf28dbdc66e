/**
 * Worker threads and peers (issue 9), side by side in one run:
 * - the direct Gram fill (m = 1000 points on S^9, L = 100, the setup of the gram section) per
 *   unique pair per depth step on 1 and 2 threads, against the same recursion in numpy
 *   (bench/gram_numpy.py, run when python3 with numpy is present; otherwise a row says so);
 * - the layer-1 inner products alone (m = 4000 points in R^784, L = 1) on 1 and 2 threads;
 * - LU factorization (n = 2000) and a solve with 500 right-hand sides on 1 and 2 threads.
 * Wall times (a loaded machine stretches them), medians over repeats after a warm-up.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { gramThroughDepthFloat64 } from "../src/gram/float64.js";
import { luFactor } from "../src/linalg/lu.js";
import { projectToSphere } from "../src/sphere/float64.js";
import { medianMsAsync, type BenchRow, type BenchSection } from "./timing.js";

const GRAM_M = 1000;
const GRAM_N0 = 10;
const GRAM_DEPTH = 100;
const GEMM_M = 4000;
const GEMM_N0 = 784;
const LU_N = 2000;
const SOLVE_K = 500;
const REPEATS = 3;

/** xorshift32 values in [−0.5, 0.5). */
function randomValues(count: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: count }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296 - 0.5;
  });
}

/** The numpy peer's ns per pair step, or why it was not run. */
function numpyPeer(): { nsPerPairStep: number; numpy: string } | { skipped: string } {
  const script = fileURLToPath(new URL("./gram_numpy.py", import.meta.url));
  try {
    const out = execFileSync("python3", [script, String(GRAM_M), String(GRAM_N0), String(GRAM_DEPTH), String(REPEATS)], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return JSON.parse(out) as { nsPerPairStep: number; numpy: string };
  } catch (e) {
    return { skipped: `numpy peer skipped: python3 with numpy not available (${String((e as Error).message).split("\n")[0]})` };
  }
}

export async function run(): Promise<BenchSection> {
  const rows: BenchRow[] = [];
  const points = projectToSphere({ m: GRAM_M, n0: GRAM_N0, coords: randomValues(GRAM_M * GRAM_N0, 88172645) }, "normalize");
  const pairSteps = ((GRAM_M * (GRAM_M - 1)) / 2) * (GRAM_DEPTH - 1);
  const gramNs = async (threads: number): Promise<number> =>
    ((await medianMsAsync(async () => void (await gramThroughDepthFloat64({ points, depths: [GRAM_DEPTH], threads })), REPEATS)) * 1e6) / pairSteps;
  const gram1 = await gramNs(1);
  const gram2 = await gramNs(2);
  rows.push(
    { name: "direct Gram fill, WASM, 1 thread", median: gram1, unit: "ns/(pair·step)", note: "baseline" },
    { name: "direct Gram fill, WASM, 2 threads", median: gram2, unit: "ns/(pair·step)", note: `${(gram1 / gram2).toFixed(2)}× 1 thread` },
  );
  const peer = numpyPeer();
  if ("skipped" in peer) rows.push({ name: peer.skipped, median: Number.NaN, unit: "", note: "" });
  else {
    rows.push({
      name: `same recursion in numpy ${peer.numpy} (bench/gram_numpy.py)`,
      median: peer.nsPerPairStep,
      unit: "ns/(pair·step)",
      note: `WASM is ${(peer.nsPerPairStep / gram1).toFixed(1)}× faster on 1 thread, ${(peer.nsPerPairStep / gram2).toFixed(1)}× on 2`,
    });
  }

  const wide = projectToSphere({ m: GEMM_M, n0: GEMM_N0, coords: randomValues(GEMM_M * GEMM_N0, 2463534242) }, "normalize");
  const gemmFlops = GEMM_M * (GEMM_M - 1) * GEMM_N0;
  const gemmGflops = async (threads: number): Promise<number> =>
    gemmFlops / 1e6 / (await medianMsAsync(async () => void (await gramThroughDepthFloat64({ points: wide, depths: [1], threads })), REPEATS));
  const gemm1 = await gemmGflops(1);
  const gemm2 = await gemmGflops(2);
  rows.push(
    { name: `layer-1 inner products (blocked GEMM), m = ${GEMM_M}, n0 = ${GEMM_N0}, 1 thread`, median: gemm1, unit: "GFlop/s", note: "baseline; includes writing the four m × m matrices" },
    { name: "the same, 2 threads", median: gemm2, unit: "GFlop/s", note: `${(gemm2 / gemm1).toFixed(2)}× 1 thread` },
  );

  const a = randomValues(LU_N * LU_N, 2463534242);
  const b = randomValues(LU_N * SOLVE_K, 77);
  const luFlops = (2 * LU_N ** 3) / 3;
  const luGflops = async (threads: number): Promise<number> => luFlops / 1e6 / (await medianMsAsync(async () => void (await luFactor(a, LU_N, { threads })), REPEATS));
  const lu1 = await luGflops(1);
  const lu2 = await luGflops(2);
  const solveFlops = 2 * LU_N * LU_N * SOLVE_K;
  const solveGflops = async (threads: number): Promise<number> => {
    const f = await luFactor(a, LU_N, { threads });
    return solveFlops / 1e6 / (await medianMsAsync(async () => void (await f.solveAsync(b, SOLVE_K)), REPEATS));
  };
  const solve1 = await solveGflops(1);
  const solve2 = await solveGflops(2);
  rows.push(
    { name: `LU factorization, n = ${LU_N}, 1 thread`, median: lu1, unit: "GFlop/s", note: "baseline" },
    { name: `LU factorization, n = ${LU_N}, 2 threads`, median: lu2, unit: "GFlop/s", note: `${(lu2 / lu1).toFixed(2)}× 1 thread` },
    { name: `solve with ${SOLVE_K} right-hand sides, n = ${LU_N}, 1 thread`, median: solve1, unit: "GFlop/s", note: "baseline" },
    { name: `the same solve, 2 threads`, median: solve2, unit: "GFlop/s", note: `${(solve2 / solve1).toFixed(2)}× 1 thread` },
  );
  return {
    title: "Worker threads: 1 against 2, and the direct Gram fill against numpy",
    rows,
    setup:
      `Direct Gram fill: m = ${GRAM_M} random points on S^${GRAM_N0 - 1}, L = ${GRAM_DEPTH}, paper case, gramThroughDepthFloat64 end to end (wall); numpy runs the same complement recursion vectorized over the pairs (bench/gram_numpy.py). ` +
      `Layer-1 inner products: L = 1, flop count m(m−1)·n0. LU: random n × n, 2n³/3 flops; solve: 2n²k flops (LuFactorization.solveAsync). Medians of ${REPEATS} runs after a warm-up; results are the same bits on 1 and 2 threads (test/threads.test.ts).`,
  };
}
