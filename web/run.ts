/**
 * One explorer run from a state: the checkpoints, the pair series and the data series, with
 * progress reported per phase and cancellation through one AbortSignal. Runs in the Web Worker
 * (worker.ts); nothing here touches the DOM.
 */
import { dataSeriesFloat64, explorerData } from "./dataSeries.js";
import { withPreciseData } from "./dataSeriesPrecise.js";
import { pairSeries } from "./pairSeries.js";
import type { ExplorerResult, PairSeries } from "./protocol.js";
import { logSpacedDepths, type ExplorerState } from "./state.js";
import { MAX_DEPTH, type BuiltinDataFiles, type ProgressOptions } from "../src/index.js";

/** Receives progress: the phase's name, units done and total (the phase's own unit). */
export type ProgressSink = (phase: string, done: number, total: number) => void;

/**
 * Runs the pair half, hands it to `onPair` (so the page can draw it while the rest runs), then
 * the data half (built-in data sets read through `files`). Throws the library's NtkError (ABORTED when `signal` fires).
 */
export async function runExplorer(
  state: ExplorerState,
  sink: ProgressSink,
  signal: AbortSignal,
  onPair: (depths: readonly number[], pair: PairSeries) => void,
  files?: BuiltinDataFiles,
): Promise<ExplorerResult> {
  const started = performance.now();
  const depths = logSpacedDepths(state.depthMin, state.depthMax, state.checkpoints);
  const phase = (name: string): ProgressOptions => ({ signal, onProgress: (done, total) => sink(name, done, total) });
  const pair = await pairSeries(state, depths, phase);
  onPair(depths, pair);
  const points = await explorerData(state, files);
  const data64 = await dataSeriesFloat64(state, depths, points, phase("Gram matrices, float64"));
  // The high-precision Gram runs layer by layer: not beyond 10^9 layers (the page says so).
  const data =
    state.precision > 0 && state.depthMax <= MAX_DEPTH
      ? await withPreciseData(data64, state, depths, points, phase(`Gram matrices, ${state.precision} digits`))
      : data64;
  return { depths, pair, data, elapsedMs: performance.now() - started };
}
