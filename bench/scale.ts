/**
 * The scale target of issue 9: m = 10 000 training points in R^784 on the sphere, 1 000 test
 * points, 10 targets. Times, end to end through the public API on every core (default threads):
 * the Gram matrices of the training points (Σ̄, Θ̄ and their complements) at depth L, and
 * kernel-regression predictions f∞ = K_x K⁻¹ Y (normalized NTK, t = ∞: the Gram matrix of
 * train ∪ test, then the predictor's one factorization of K̄, blocked Cholesky on the worker
 * threads, and its triangular solves for the 1 000 weight rows) at the same depth. Each row also
 * gives the process's CPU time and the machine's load average before and after, since the wall
 * time means little on a shared machine. `SCALE_M` and `SCALE_DEPTH` in the environment change m
 * and L (the test set stays m/10).
 */
import { loadavg } from "node:os";
import { datasetFromArrays } from "../src/data/dataset.js";
import { gramThroughDepthFloat64 } from "../src/gram/float64.js";
import { predict } from "../src/predict/fromData.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { resolveThreads } from "../src/threads/pool.js";
import { loadWasmEngine } from "../src/wasm/engine.js";
import { nowMs, type BenchRow, type BenchSection } from "./timing.js";

const M = Number(process.env.SCALE_M ?? 10_000);
const N0 = 784;
const TEST = Math.round(M / 10);
const TARGETS = 10;
const DEPTH = Number(process.env.SCALE_DEPTH ?? 1_000_000);

/** Gaussian-ish raw values (sum of two uniforms) from xorshift32. */
function randomValues(count: number, seed: number): Float64Array {
  let s = seed;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296 - 0.5;
  };
  return Float64Array.from({ length: count }, () => next() + next());
}

/** "CPU x s": the process's CPU time since `c0` (every thread), which a loaded machine stretches less than the wall time. */
function cpuSeconds(c0: NodeJS.CpuUsage): string {
  const c = process.cpuUsage(c0);
  return `CPU ${((c.user + c.system) / 1e6).toFixed(1)} s`;
}

/** "load x → y": the 1-minute load average then and now. */
function load(before: number): string {
  return `load average ${before.toFixed(1)} → ${loadavg()[0].toFixed(1)}`;
}

export async function run(): Promise<BenchSection> {
  const threads = await resolveThreads(undefined);
  const rows: BenchRow[] = [];
  const trainRaw = { m: M, n0: N0, coords: randomValues(M * N0, 12345) };
  const points = projectToSphereFloat64(trainRaw, "normalize");
  const l0 = loadavg()[0];
  const t0 = nowMs();
  const c0 = process.cpuUsage();
  const {
    grams: [gram],
  } = await gramThroughDepthFloat64({ points, depths: [DEPTH] });
  const gramSeconds = (nowMs() - t0) / 1000;
  console.error(`scale: Gram matrices of ${M} points at L = ${DEPTH} in ${gramSeconds.toFixed(1)} s (${cpuSeconds(c0)})`);
  rows.push({
    name: `Gram matrices Σ̄, Θ̄, 1 − Σ̄, 1 − Θ̄ of m = ${M} points, L = ${DEPTH}`,
    median: gramSeconds,
    unit: "s",
    note: `target ≤ 20 s (m = 10 000, L = 10^6); ${cpuSeconds(c0)}; ${load(l0)}; Θ̄[0][1] = ${gram.ntkNormalized[1]}`,
  });
  const labels = Array.from({ length: M }, (_, i) => Array.from(randomValues(TARGETS, 1000 + i)));
  const train = datasetFromArrays({ points: Array.from({ length: M }, (_, i) => Array.from(trainRaw.coords.subarray(i * N0, (i + 1) * N0))), labels });
  const test = { m: TEST, n0: N0, coords: randomValues(TEST * N0, 777) };
  // The default build, then the opt-in fma build (fused multiply-adds in the factorization and the solves), one run each.
  let first: number | null = null;
  for (const variant of ["auto", "fma"] as const) {
    if (variant === "fma") {
      try {
        await loadWasmEngine("fma");
      } catch (e) {
        rows.push({ name: "the same predictions on the fma build", median: NaN, unit: "s", note: `not run: ${e instanceof Error ? e.message : String(e)}` });
        break;
      }
    }
    const p0 = loadavg()[0];
    const s0 = nowMs();
    const u0 = process.cpuUsage();
    // The Gram fill is the only stage that reports progress: its last report splits the wall time.
    let gramDone = s0;
    const r = await predict({
      train,
      test,
      depth: DEPTH,
      normalized: true,
      time: "inf",
      variant,
      onProgress: (done, total) => void (done >= total && (gramDone = nowMs())),
    });
    const predictSeconds = (nowMs() - s0) / 1000;
    const solveSeconds = (nowMs() - gramDone) / 1000;
    first ??= predictSeconds;
    rows.push({
      name:
        variant === "auto"
          ? `predictions f∞ at ${TEST} test points, ${TARGETS} targets, m = ${M}, L = ${DEPTH} (normalized NTK), end to end`
          : "the same predictions on the fma build (opt-in: fused multiply-adds in the factorization and the solves)",
      median: predictSeconds,
      unit: "s",
      note: `target ≤ 60 s; ${cpuSeconds(u0)}; ${load(p0)}; of which ${(predictSeconds - solveSeconds).toFixed(1)} s to the end of the Gram fill of train ∪ test and ${solveSeconds.toFixed(1)} s after it (factorization, solves, κ1 estimate, products); solver ${r.float64?.solver}, digits kept ${r.float64?.digitsKept.toFixed(1)}${variant === "fma" ? `; ${(first / predictSeconds).toFixed(2)}× the default build's speed` : ""}, peak resident memory so far ${(process.resourceUsage().maxRSS / 2 ** 20).toFixed(1)} GiB`,
    });
  }
  return {
    title: `Scale: m = ${M} points in R^${N0}, L = ${DEPTH}, ${threads} threads`,
    rows,
    setup:
      `Random points (sums of two uniforms, normalized onto S^${N0 - 1}); one run each (no repeats: each takes seconds to minutes), wall time, with the process's CPU time (all threads) in the note. ` +
      'Predictions include building the training set from arrays, the Gram matrix of train ∪ test at depth L (of which predict() takes out of WebAssembly memory only the m training columns of Θ̄ and 1 − Θ̄: kernels "ntk"), and the t = ∞ solve (one Cholesky factorization of K̄, the solves for the weight rows), with det and the κ1 estimate. ' +
      'They run on the default build, then on the opt-in "fma" build (its own worker pool and memory; the Gram matrices keep their bits, the factorization and solves fuse their multiply-adds). ' +
      "On a machine shared with other jobs the wall times stretch with the load average shown; the CPU times much less.",
  };
}
