/**
 * Shapes of the matrices a prediction takes (SPEC §6): K (m × m), K_x (t × m), Y (m × k), all
 * row-major. Checked once for the float64 and the high-precision paths alike.
 */
import { NtkError } from "../errors.js";
import { checkKernelName } from "../params.js";
import { checkObject } from "../argumentTypes.js";
import { checkDataset, type Dataset } from "../data/dataset.js";
import { checkRawPoints, type RawPoints } from "../sphere/float64.js";

/** The sizes of one prediction problem. */
export interface PredictionShape {
  /** Training points m ≥ 1 (order of K). */
  readonly m: number;
  /** Test points (rows of K_x), ≥ 1. */
  readonly testCount: number;
  /** Target columns k ≥ 1 (columns of Y). */
  readonly k: number;
}

/**
 * Infers and checks the shape from the entry counts of K, K_x and Y and the declared m and k.
 * Throws `DIMENSION_MISMATCH` saying which matrix has the wrong number of entries.
 */
export function checkPredictionShape(trainKernelLength: number, testKernelLength: number, targetsLength: number, m: number, k: number): PredictionShape {
  if (!Number.isInteger(m) || m < 1 || trainKernelLength !== m * m) {
    throw new NtkError(
      "DIMENSION_MISMATCH",
      `The training kernel K must be m × m (row-major) for m = ${m} training points, got ${trainKernelLength} entries.`,
      { m, length: trainKernelLength },
    );
  }
  if (!Number.isInteger(k) || k < 1 || targetsLength !== m * k) {
    throw new NtkError("DIMENSION_MISMATCH", `The targets Y must be m × k = ${m} × ${k} values (row-major), got ${targetsLength}.`, {
      m,
      k,
      length: targetsLength,
    });
  }
  if (testKernelLength < m || testKernelLength % m !== 0) {
    throw new NtkError(
      "DIMENSION_MISMATCH",
      `The test kernel K_x must have m = ${m} columns and at least one row (row-major), got ${testKernelLength} entries.`,
      { m, length: testKernelLength },
    );
  }
  return { m, testCount: testKernelLength / m, k };
}

/** BAD_OPTION unless `kernel` is "ntk" or "nngp" (both predictors check it first). */
export function checkPredictorKernel(kernel: unknown): void {
  checkKernelName(kernel);
}

/** m and k of a predictor's options: DIMENSION_MISMATCH unless m ≥ 1, k ≥ 1 and the targets hold m × k values. */
export function checkPredictorTargets(o: { readonly m: number; readonly k?: number; readonly targets?: ArrayLike<unknown> }): { m: number; k: number } {
  const m = o.m;
  const k = o.k ?? 1;
  if (!Number.isInteger(m) || m < 1) throw new NtkError("DIMENSION_MISMATCH", `m must be a positive integer, got ${String(m)}.`, { m: String(m) });
  if (!Number.isInteger(k) || k < 1 || o.targets?.length !== m * k) {
    throw new NtkError("DIMENSION_MISMATCH", `The targets Y must be m × k = ${m} × ${String(k)} values (row-major), got ${String(o.targets?.length)}.`, {
      m,
      k: String(k),
    });
  }
  return { m, k };
}

/** Checks the types of the data a prediction entry takes: BAD_ARGUMENT without an options object, the data-set and raw-point errors. */
export function checkPredictInput(o: { readonly train: Dataset; readonly test: RawPoints }, entry: string): void {
  checkObject(o, `${entry}'s options`);
  checkDataset(o.train);
  checkRawPoints(o.test);
}
