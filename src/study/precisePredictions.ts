/**
 * High-precision predictions for the study: the Gram matrices of the union of training and test
 * points in high precision (gram/precise.ts), then f_∞ = K_x K^{-1} Y and ‖K_x K^{-1}‖₁ for Θ̄
 * and Σ̄ by the high-precision prediction path, each with the digits it vouches for. They check
 * the float64 predictions, and stay trustworthy where Σ̄ is too ill-conditioned for float64.
 */
import { gramThroughDepthPrecise } from "../gram/precise.js";
import { predictFromKernelsPrecise } from "../predict/precise.js";
import type { ProgressOptions } from "../progress.js";
import type { RawPoints } from "../sphere/float64.js";
import type { NetworkParams } from "../types.js";
import type { Cell } from "./dataTable.js";
import { NNGP_LABEL, NTK_LABEL, PRECISION_LABEL } from "./gramExperiment.js";

/** Row-major block of a Decimal matrix (n × n), rows [r0, r1) × columns [c0, c1). */
function blockOf<T>(a: readonly T[], n: number, r0: number, r1: number, c0: number, c1: number): T[] {
  const out: T[] = [];
  for (let i = r0; i < r1; i++) for (let j = c0; j < c1; j++) out.push(a[i * n + j]);
  return out;
}

/**
 * Prediction rows (columns as the study's predictions table) at `depths` (each ≥ 2: at L = 1 the
 * kernel is linear and singular for more points than dimensions). `raw` holds the `train`
 * training points first, then the test points; `trainLabels` their targets (exact binary values).
 * Kernel entries enter with the digits the Gram path vouches for (`inputDigits`).
 */
export async function precisePredictionRows(raw: RawPoints, train: number, trainLabels: Float64Array, depths: readonly number[], precision: number, params: NetworkParams | undefined, progress: ProgressOptions): Promise<Record<string, Cell>[]> {
  const m = raw.m;
  const gram = await gramThroughDepthPrecise({ data: raw, projection: "normalize", depths, precision, params, onProgress: progress.onProgress, signal: progress.signal });
  const rows: Record<string, Cell>[] = [];
  for (const g of gram.grams) {
    for (const [label, matrix, name] of [[NTK_LABEL, g.ntkNormalized, "ntkNormalized"], [NNGP_LABEL, g.sigmaNormalized, "sigmaNormalized"]] as const) {
      const p = await predictFromKernelsPrecise({
        trainKernel: blockOf(matrix, m, 0, train, 0, train),
        testKernel: blockOf(matrix, m, train, m, 0, train),
        targets: Array.from(trainLabels),
        m: train,
        time: "inf",
        precision,
        inputDigits: g.digitsVouchedByMatrix[name],
        signal: progress.signal,
      });
      for (let t = 0; t < m - train; t++) {
        rows.push({
          depth: g.depth,
          kernel: label,
          testPoint: t + 1,
          line: `${label}, test point ${t + 1}`,
          precision: PRECISION_LABEL.precise,
          prediction: p.predictions[t].toNumber(),
          weightsL1: p.weightsL1[t].toNumber(),
          digitsKept: Math.min(p.digitsVouched.predictions, p.digitsVouched.weightsL1),
          status: "solved",
        });
      }
    }
  }
  return rows;
}
