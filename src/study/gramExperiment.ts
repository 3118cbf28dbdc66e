/**
 * The study's Gram-matrix experiment on random sphere data (SPEC §5–6, claims 2 and 3): Θ̄ and Σ̄
 * entries through depth, det of both (float64 LU on K̄, and float64 via the complement E = 1 − K̄),
 * and closed-form predictions f_∞ = K_x K^{-1} Y with their weight rows, all from one float64
 * Gram pass over the union of training and test points (train rows first, then test rows).
 */
import { gramThroughDepthFloat64, type GramAtDepth64 } from "../gram/float64.js";
import { analyzeMatrix } from "../linalg/lu.js";
import { predictFromKernels64 } from "../predict/float64.js";
import { isNtkError } from "../errors.js";
import type { ProgressOptions } from "../progress.js";
import type { NetworkParams, SpherePoints } from "../types.js";
import { determinantFromComplement } from "./complementDeterminant.js";
import type { Cell, DataTable } from "./dataTable.js";
import { syntheticLabels } from "./randomData.js";

/** Block rows × cols of an n × n row-major matrix, as its own row-major array. */
export function block(a: Float64Array, n: number, rows: readonly [number, number], cols: readonly [number, number]): Float64Array {
  const [r0, r1] = rows;
  const [c0, c1] = cols;
  const out = new Float64Array((r1 - r0) * (c1 - c0));
  for (let i = r0; i < r1; i++) out.set(a.subarray(i * n + c0, i * n + c1), (i - r0) * (c1 - c0));
  return out;
}

/** The two normalized kernels the experiment studies, with the labels tables and figures use. */
const KERNELS = [
  { key: "ntk", label: "Θ̄ (NTK)", bar: (g: GramAtDepth64) => g.ntkNormalized, complement: (g: GramAtDepth64) => g.oneMinusNtkNormalized },
  { key: "nngp", label: "Σ̄ (NNGP)", bar: (g: GramAtDepth64) => g.sigmaNormalized, complement: (g: GramAtDepth64) => g.oneMinusSigmaNormalized },
] as const;

/** Label of the Θ̄ kernel in tables, figures and verdicts. */
export const NTK_LABEL = KERNELS[0].label;
/** Label of the Σ̄ kernel. */
export const NNGP_LABEL = KERNELS[1].label;
/** Precision labels of the predictions table. */
export const PRECISION_LABEL = { float64: "float64", precise: "high precision" } as const;
/** Method labels of the determinant table. */
export const DET_METHOD = { lu: "float64, LU of K̄", complement: "float64, from 1 − K̄", precise: "high precision" } as const;

/** Inputs of {@link runGramExperiment}. */
export interface GramExperimentInput extends ProgressOptions {
  /** Training points (rows 0 … train−1) followed by test points, on the sphere. */
  readonly points: SpherePoints;
  readonly train: number;
  readonly depths: readonly number[];
  readonly params?: NetworkParams;
}

/** Tables produced by the experiment (figures and verdicts are drawn from them). */
export interface GramExperiment {
  /** Off-diagonal training entries of Θ̄, Σ̄ and their complements at every depth. */
  readonly entries: DataTable;
  /** log10|det| of the training Θ̄ and Σ̄ by each float64 method (high precision is added by run.ts). */
  readonly determinants: DataTable;
  /** f_∞ and ‖weight row‖₁ per test point, kernel and depth. */
  readonly predictions: DataTable;
  /** Synthetic targets of the training and test points. */
  readonly labels: DataTable;
}

/** Columns of the determinant table (shared with the high-precision rows added later). */
export const DETERMINANT_COLUMNS = [
  { key: "depth", meaning: "L, number of weight layers" },
  { key: "matrix", meaning: "which normalized Gram matrix of the training points" },
  { key: "method", meaning: "how det was computed" },
  { key: "log10AbsDet", meaning: "log10 |det K̄| (null: exactly singular)" },
  { key: "signDet", meaning: "sign of det K̄ (−1, 0, 1)" },
  { key: "digits", meaning: "significant digits of det the method keeps (float64: from the κ1 estimate; high precision: vouched by two precisions)" },
] as const;

/**
 * Runs the float64 Gram pass and analyses every depth. Cost: one Gram pass over (m choose 2) pairs
 * to the deepest depth, plus two small LUs and two predictions per depth.
 */
export async function runGramExperiment(o: GramExperimentInput): Promise<GramExperiment> {
  const { points, train } = o;
  const m = points.m;
  const test = m - train;
  const grams = await gramThroughDepthFloat64({ points, depths: o.depths, params: o.params, onProgress: o.onProgress, signal: o.signal });
  const labels = syntheticLabels(points);
  const trainLabels = labels.subarray(0, train);
  const entryRows: Record<string, Cell>[] = [];
  const detRows: Record<string, Cell>[] = [];
  const predictionRows: Record<string, Cell>[] = [];
  for (const g of grams) {
    for (let i = 0; i < train; i++) {
      for (let j = i + 1; j < train; j++) {
        const k = i * m + j;
        entryRows.push({
          depth: g.depth,
          entry: `(${i + 1},${j + 1})`,
          ntkNormalized: g.ntkNormalized[k],
          oneMinusNtkNormalized: g.oneMinusNtkNormalized[k],
          sigmaNormalized: g.sigmaNormalized[k],
          oneMinusSigmaNormalized: g.oneMinusSigmaNormalized[k],
        });
      }
    }
    for (const kernel of KERNELS) {
      const trainBlock = block(kernel.bar(g), m, [0, train], [0, train]);
      const lu = await analyzeMatrix(trainBlock, train);
      detRows.push({ depth: g.depth, matrix: kernel.label, method: DET_METHOD.lu, log10AbsDet: lu.singular ? null : lu.log10AbsDet, signDet: lu.signDet, digits: lu.digitsKept });
      const viaComplement = await determinantFromComplement(block(kernel.complement(g), m, [0, train], [0, train]), train);
      detRows.push({
        depth: g.depth,
        matrix: kernel.label,
        method: DET_METHOD.complement,
        log10AbsDet: viaComplement && viaComplement.signDet !== 0 ? viaComplement.log10AbsDet : null,
        signDet: viaComplement ? viaComplement.signDet : null,
        digits: viaComplement ? viaComplement.digitsKept : null,
      });
      const testBlock = block(kernel.bar(g), m, [train, m], [0, train]);
      try {
        const p = await predictFromKernels64({ trainKernel: trainBlock, testKernel: testBlock, targets: trainLabels, m: train, time: "inf", signal: o.signal });
        for (let t = 0; t < test; t++) {
          predictionRows.push({ depth: g.depth, kernel: kernel.label, testPoint: t + 1, line: `${kernel.label}, test point ${t + 1}`, precision: PRECISION_LABEL.float64, prediction: p.predictions[t], weightsL1: p.weightsL1[t], digitsKept: p.digitsKept, status: "solved" });
        }
      } catch (e) {
        if (!isNtkError(e, "SINGULAR_MATRIX")) throw e;
        for (let t = 0; t < test; t++) {
          predictionRows.push({ depth: g.depth, kernel: kernel.label, testPoint: t + 1, line: `${kernel.label}, test point ${t + 1}`, precision: PRECISION_LABEL.float64, prediction: null, weightsL1: null, digitsKept: 0, status: "singular in float64" });
        }
      }
    }
  }
  return {
    entries: {
      name: "kernel-entries",
      description: `Off-diagonal entries of the normalized Gram matrices of ${train} random training points, float64 Gram pass (complements carried directly, SPEC §4; accurate to about 1e-12 relative).`,
      columns: [
        { key: "depth", meaning: "L, number of weight layers" },
        { key: "entry", meaning: "(i,j), training points i < j" },
        { key: "ntkNormalized", meaning: "Θ̄^(L)(x_i, x_j)" },
        { key: "oneMinusNtkNormalized", meaning: "1 − Θ̄^(L)(x_i, x_j), carried directly" },
        { key: "sigmaNormalized", meaning: "Σ̄^(L)(x_i, x_j) = ρ^(L)" },
        { key: "oneMinusSigmaNormalized", meaning: "1 − ρ^(L), carried directly" },
      ],
      rows: entryRows,
    },
    determinants: {
      name: "determinants",
      description: `log10|det| of the ${train} × ${train} training Θ̄ and Σ̄: float64 LU of K̄, float64 via 1 − K̄ (matrix determinant lemma), and high precision where computed.`,
      columns: DETERMINANT_COLUMNS,
      rows: detRows,
    },
    predictions: {
      name: "predictions",
      description: `f_∞(x) = K_x K^{-1} Y at ${test} random test points (synthetic targets y = x1 + x2·x3), float64 (LU, WebAssembly) at every depth and high precision at the shallower ones, with the 1-norm of each weight row K_x K^{-1}.`,
      columns: [
        { key: "depth", meaning: "L" },
        { key: "kernel", meaning: "K = the training Gram of this normalized kernel" },
        { key: "testPoint", meaning: "index of the test point" },
        { key: "line", meaning: "kernel and test point (the line in the figures)" },
        { key: "precision", meaning: "float64 (LU in WebAssembly) or high precision (decimal.js, vouched by two runs)" },
        { key: "prediction", meaning: "f_∞(x) = K_x K^{-1} Y (null: K exactly singular in float64)" },
        { key: "weightsL1", meaning: "‖K_x K^{-1}‖₁, the 1-norm of the weight row" },
        { key: "digitsKept", meaning: "significant digits kept: float64 16 − log10 κ1(K) (clamped); high precision the digits vouched for (fewer of prediction and weight norm)" },
        { key: "status", meaning: "solved, or why not" },
      ],
      rows: predictionRows,
    },
    labels: {
      name: "labels",
      description: "The random points (on the sphere) and their synthetic targets y = x1 + x2·x3.",
      columns: [
        { key: "role", meaning: "train or test" },
        { key: "index", meaning: "index within its role" },
        ...Array.from({ length: points.n0 }, (_, j) => ({ key: `x${j + 1}`, meaning: `coordinate ${j + 1} on the unit sphere` })),
        { key: "y", meaning: "target y = x1 + x2·x3" },
      ],
      rows: Array.from({ length: m }, (_, i) => ({
        role: i < train ? "train" : "test",
        index: i < train ? i + 1 : i - train + 1,
        ...Object.fromEntries(Array.from({ length: points.n0 }, (_, j) => [`x${j + 1}`, points.coords[i * points.n0 + j]])),
        y: labels[i],
      })),
    },
  };
}
