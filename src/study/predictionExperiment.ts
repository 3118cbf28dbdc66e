/**
 * The study's prediction experiment (SPEC §6, claim 3): f_∞(x) = K_x K^{-1} Y and the weight-row
 * norms ‖K_x K^{-1}‖₁ at random test points through depth, for the normalized NTK Θ̄ and NNGP Σ̄,
 * by the library's `predictThroughDepth` (one Gram pass of train ∪ test per kernel): in float64 at
 * every depth, and at high precision at the shallower ones, where it checks the float64 numbers.
 */
import type { Cell, DataTable } from "./dataTable.js";
import { subdivide } from "./stages.js";
import {
  datasetFromArrays,
  isNtkError,
  predictThroughDepth,
  type DataPrediction,
  type ProgressOptions,
  type RawPoints,
  type NetworkParams,
  type SpherePoints,
} from "../index.js";

/** Labels of the two normalized kernels in tables, figures and verdicts. */
export const NTK_LABEL = "Θ̄ (NTK)";
export const NNGP_LABEL = "Σ̄ (NNGP)";
/** Precision labels of the predictions table. */
export const PRECISION_LABEL = { float64: "float64", precise: "high precision" } as const;

const KERNELS = [
  { kernel: "ntk", label: NTK_LABEL },
  { kernel: "nngp", label: NNGP_LABEL },
] as const;

/** A row saying that this depth and precision gave no f_∞: K exactly singular, or a non-finite float64 result. */
function noResultRow(depth: number, label: string, t: number, line: string, precision: string): Record<string, Cell> {
  return { depth, kernel: label, testPoint: t + 1, line, precision, prediction: null, weightsL1: null, digitsKept: 0 };
}

/**
 * Runs `predictAt` on all `depths` at once (one Gram pass); when K is exactly singular at some
 * depth (SINGULAR_MATRIX, e.g. Σ̄ rounding to the matrix of ones when σb > 0), runs the depths one
 * by one instead, so that the others still get their predictions. Returns a result or null
 * (singular) per depth, in order.
 */
async function throughDepthOrOneByOne(
  depths: readonly number[],
  predictAt: (depths: readonly number[]) => Promise<DataPrediction[]>,
): Promise<[number, DataPrediction | null][]> {
  try {
    return (await predictAt(depths)).map((r) => [r.depth, r]);
  } catch (e) {
    if (!isNtkError(e, "SINGULAR_MATRIX")) throw e;
  }
  const out: [number, DataPrediction | null][] = [];
  for (const depth of depths) {
    try {
      out.push([depth, (await predictAt([depth]))[0]]);
    } catch (e) {
      if (!isNtkError(e, "SINGULAR_MATRIX")) throw e;
      out.push([depth, null]);
    }
  }
  return out;
}

/** Inputs of {@link runPredictionExperiment}. */
export interface PredictionExperimentInput {
  /** Raw training points with one target each (exact binary values of the float64 labels). */
  readonly train: RawPoints;
  readonly trainLabels: Float64Array;
  /** Raw test points. */
  readonly test: RawPoints;
  /** Float64 depths (each ≥ 2: at L = 1 the kernel is linear, singular for more points than dimensions). */
  readonly depths: readonly number[];
  /** High-precision depths (each ≥ 2) and significant digits. */
  readonly preciseDepths: readonly number[];
  readonly precision: number;
  readonly params?: NetworkParams;
}

/**
 * Float64 and high-precision f_∞ and ‖K_x K^{-1}‖₁ per depth, kernel and test point. Cost: per
 * kernel one float64 Gram pass of train ∪ test to the deepest depth and one high-precision pass to
 * the deepest precise depth, and one small solve per depth.
 */
export async function runPredictionExperiment(o: PredictionExperimentInput, progress: ProgressOptions): Promise<DataTable> {
  const train = datasetFromArrays({
    points: Array.from({ length: o.train.m }, (_, i) => Array.from(o.train.coords.subarray(i * o.train.n0, (i + 1) * o.train.n0))),
    labels: Array.from(o.trainLabels),
    source: o.train.source ?? "training points",
  });
  const rows: Record<string, Cell>[] = [];
  let run = 0;
  for (const { kernel, label } of KERNELS) {
    const base = { train, test: o.test, kernel, normalized: true, params: o.params, time: "inf" } as const;
    const line = (t: number) => `${label}, test point ${t + 1}`;
    const f64 = await throughDepthOrOneByOne(o.depths, (depths) => predictThroughDepth({ ...base, depths, ...subdivide(progress, run, 2 * KERNELS.length) }));
    run++;
    for (const [depth, r] of f64) {
      for (let t = 0; t < o.test.m; t++) {
        const p = r?.float64;
        // A float64 solve that returned a non-finite number has no result to show; it is not a 0.
        const finite = p && Number.isFinite(p.predictions[t]) && Number.isFinite(p.weightsL1[t]) && Number.isFinite(p.digitsKept);
        rows.push(
          p && finite
            ? {
                depth,
                kernel: label,
                testPoint: t + 1,
                line: line(t),
                precision: PRECISION_LABEL.float64,
                prediction: p.predictions[t],
                weightsL1: p.weightsL1[t],
                digitsKept: p.digitsKept,
              }
            : noResultRow(depth, label, t, line(t), PRECISION_LABEL.float64),
        );
      }
    }
    const precise = await throughDepthOrOneByOne(o.preciseDepths, (depths) =>
      predictThroughDepth({ ...base, depths, precision: o.precision, ...subdivide(progress, run, 2 * KERNELS.length) }),
    );
    run++;
    for (const [depth, r] of precise) {
      for (let t = 0; t < o.test.m; t++) {
        const p = r?.precise;
        rows.push(
          p
            ? {
                depth,
                kernel: label,
                testPoint: t + 1,
                line: line(t),
                precision: PRECISION_LABEL.precise,
                prediction: p.predictions[t].toNumber(),
                weightsL1: p.weightsL1[t].toNumber(),
                digitsKept: Math.min(p.digitsVouched.predictions, p.digitsVouched.weightsL1),
              }
            : noResultRow(depth, label, t, line(t), PRECISION_LABEL.precise),
        );
      }
    }
  }
  return {
    name: "predictions",
    description: `f_∞(x) = K_x K^{-1} Y at ${o.test.m} random test points (synthetic targets y = x1 + x2·x3) for the normalized kernels: float64 (LU, WebAssembly) at every depth, high precision (${o.precision} digits asked, vouched by two runs) at L ≤ ${o.preciseDepths[o.preciseDepths.length - 1]}; with the 1-norm of each weight row K_x K^{-1}.`,
    columns: [
      { key: "depth", meaning: "L" },
      { key: "kernel", meaning: "K = the training Gram of this normalized kernel" },
      { key: "testPoint", meaning: "index of the test point" },
      { key: "line", meaning: "kernel and test point (the line in the figures)" },
      { key: "precision", meaning: "float64 or high precision" },
      {
        key: "prediction",
        meaning: "f_∞(x) = K_x K^{-1} Y (high precision: rounded to float64; null: no result, K exactly singular or float64 gave a non-finite value)",
      },
      { key: "weightsL1", meaning: "‖K_x K^{-1}‖₁, the 1-norm of the weight row" },
      {
        key: "digitsKept",
        meaning:
          "significant digits kept: float64 −log10(κ·ε), κ the condition estimate of the solve used (Cholesky of K, LU when it is not positive definite, or the complement solve from 1 − K̄) and ε ≈ 2L·2^−53 the Gram entries' relative error, clamped to [0, 15.95]; high precision the digits vouched for (fewer of prediction and weight norm)",
      },
    ],
    rows,
  };
}

/** The study's data: each random point on the sphere, its role and its synthetic target. */
export function pointsTable(points: SpherePoints, train: number, labels: Float64Array): DataTable {
  const { m, n0, coords } = points;
  return {
    name: "points",
    description: "The random points (on the unit sphere, after normalization) and their synthetic targets y = x1 + x2·x3.",
    columns: [
      { key: "role", meaning: "train or test" },
      { key: "index", meaning: "index within its role" },
      ...Array.from({ length: n0 }, (_, j) => ({ key: `x${j + 1}`, meaning: `coordinate ${j + 1} on the unit sphere` })),
      { key: "y", meaning: "target y = x1 + x2·x3" },
    ],
    rows: Array.from({ length: m }, (_, i) => ({
      role: i < train ? "train" : "test",
      index: i < train ? i + 1 : i - train + 1,
      ...Object.fromEntries(Array.from({ length: n0 }, (_, j) => [`x${j + 1}`, coords[i * n0 + j]])),
      y: labels[i],
    })),
  };
}
