/**
 * The finite-width half of the page (runs in the Web Worker): S sampled ReLU networks of one
 * hidden width on the first training points of the page's data set, and the Monte Carlo mean ±
 * standard error of their normalized empirical NTK Θ̄_n beside the infinite-width Θ̄ (the
 * library's monteCarloKernels; docs/FINITE_WIDTH.md).
 */
import { explorerData } from "./dataSeries.js";
import type { WidthSeries } from "./protocol.js";
import type { ExplorerState } from "./state.js";
import { MAX_WIDTH_POINTS, type WidthState } from "./widthState.js";
import { monteCarloKernels, type BuiltinDataFiles, type ProgressOptions } from "../src/index.js";

/** The Monte Carlo statistics of `width` on the data of `state` (its σw, σb too). Throws the library's NtkError. */
export async function widthSeries(state: ExplorerState, width: WidthState, progress: ProgressOptions, files?: BuiltinDataFiles): Promise<WidthSeries> {
  const started = performance.now();
  const data = await explorerData(state, files);
  const m = Math.min(data.m, MAX_WIDTH_POINTS);
  const n0 = data.onSphere.n0;
  const points = { ...data.onSphere, m, coords: data.onSphere.coords.slice(0, m * n0) };
  const r = await monteCarloKernels({
    points,
    depth: width.depth,
    width: width.width,
    samples: width.samples,
    seed: width.seed,
    params: { sigmaW: state.sigmaW, sigmaB: state.sigmaB },
    ...progress,
  });
  return {
    m,
    n0,
    depth: r.depth,
    width: width.width,
    samples: r.samples,
    seed: width.seed,
    samplesUsed: r.ntk.samplesUsed,
    samplesDead: r.ntk.samplesDead,
    entries: r.ntk.entries.map((e) => ({ pair: `${e.i + 1}–${e.j + 1}`, mean: e.mean, stderr: e.stderr, infinite: e.infinite, zScore: e.zScore })),
    diagScaled: { value: r.ntk.diagScaledMean.value, stderr: r.ntk.diagScaledMean.stderr },
    elapsedMs: performance.now() - started,
  };
}
