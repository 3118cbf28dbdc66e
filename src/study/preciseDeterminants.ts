/**
 * High-precision determinants of the training Θ̄ and Σ̄ for the study: one pair of high-precision
 * Gram runs (gram/precise.ts) and the determinants of both kernels from them, with the digits the
 * two runs vouch for. They are the reference the float64 determinants are judged against.
 */
import { gramDeterminantsPaced, gramThroughDepthPreciseRuns } from "../gram/precise.js";
import type { ProgressOptions } from "../progress.js";
import type { RawPoints } from "../sphere/float64.js";
import type { NetworkParams } from "../types.js";
import type { Cell } from "./dataTable.js";
import { DET_METHOD } from "./gramExperiment.js";
import { NNGP_LABEL, NTK_LABEL } from "./predictionExperiment.js";

/** Determinant rows (columns as DETERMINANT_COLUMNS) and how their digits were vouched for. */
export interface PreciseDeterminantRows {
  readonly rows: readonly Record<string, Cell>[];
  readonly vouchedBy: string;
}

/**
 * log10|det| of Θ̄ and Σ̄ of `raw` (projected by "normalize" at working precision) at `depths`,
 * at `precision` significant digits. `digits` is the number of digits of det vouched for (two runs
 * agreeing, capped by the conditioning); log10|det| is rounded to float64 for the table.
 */
export async function preciseDeterminantRows(
  raw: RawPoints,
  depths: readonly number[],
  precision: number,
  params: NetworkParams | undefined,
  progress: ProgressOptions,
): Promise<PreciseDeterminantRows> {
  const runs = await gramThroughDepthPreciseRuns({
    data: raw,
    projection: "normalize",
    depths,
    precision,
    params,
    onProgress: progress.onProgress,
    signal: progress.signal,
  });
  const rows: Record<string, Cell>[] = [];
  for (const [kernel, label] of [
    ["ntk", NTK_LABEL],
    ["nngp", NNGP_LABEL],
  ] as const) {
    for (const d of await gramDeterminantsPaced(runs, kernel, true, progress)) {
      rows.push({
        depth: d.depth,
        matrix: label,
        method: DET_METHOD.precise,
        log10AbsDet: d.log10AbsDet === null ? null : d.log10AbsDet.toNumber(),
        signDet: d.signDet,
        digits: d.digitsVouched.det,
      });
    }
  }
  return { rows, vouchedBy: runs.result.vouchedBy };
}
