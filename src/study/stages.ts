import { type ProgressOptions } from "../index.js";
import { throwIfAborted } from "../advanced.js";
/**
 * Progress of a study made of several computations run one after another: each stage gets its
 * own ProgressOptions whose reports are mapped onto one overall bar, weighted by the stage's
 * expected share of the run time.
 */

/** Units of the overall progress count (a stage of weight w spans w × this many units). */
const UNITS = 1000;

/** Hands out per-stage progress options that report into one overall count. */
export class StageProgress {
  private readonly options: ProgressOptions;
  private readonly offsets: number[] = [];
  private readonly weights: readonly number[];
  private readonly total: number;

  /** `weights`: relative expected durations of the stages, in run order (each > 0). */
  constructor(options: ProgressOptions, weights: readonly number[]) {
    this.options = options;
    this.weights = weights;
    let sum = 0;
    for (const w of weights) {
      this.offsets.push(sum);
      sum += Math.round(w * UNITS);
    }
    this.total = sum;
  }

  /** Progress options for stage `index`; checks the abort signal before the stage starts. */
  stage(index: number): ProgressOptions {
    throwIfAborted(this.options.signal);
    const offset = this.offsets[index];
    const span = Math.round(this.weights[index] * UNITS);
    const report = this.options.onProgress;
    this.options.onProgress?.(offset, this.total);
    return {
      signal: this.options.signal,
      onProgress: report ? (done, total) => report(offset + Math.floor((span * done) / Math.max(1, total)), this.total) : undefined,
    };
  }

  /** Reports the whole run done. */
  finish(): void {
    this.options.onProgress?.(this.total, this.total);
  }
}

/**
 * The `index`-th of `count` equal parts of one stage's progress (0-based), so that a stage made of
 * several runs, each reporting from 0 to its own total, moves one bar forward instead of back.
 */
export function subdivide(progress: ProgressOptions, index: number, count: number): ProgressOptions {
  const report = progress.onProgress;
  return {
    signal: progress.signal,
    onProgress: report ? (done, total) => report(index * total + done, count * total) : undefined,
  };
}
