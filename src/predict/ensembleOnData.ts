/**
 * The variance (and on request the covariance) of the ensemble of trained networks at test
 * points, on data (docs/PREDICTOR.md), in float64: asked of the same predictor, built on the same
 * union Gram matrix, as `predict`'s mean (fromData.ts, `covariance` option). Σ is sliced from the
 * Gram matrix in units of 2^log2Scale (raw kernels at depth are tiny); the mean's solve runs on
 * the normalized kernel at t = ∞ and on K / 2^log2Scale at finite t, which leaves A_t unchanged,
 * so the covariance comes out in units of 2^log2Scale.
 */
import { kernelMatrixFloat64Checked, type GramAtDepthFloat64, type GramKernels } from "../gram/float64.js";
import type { KernelName } from "../types.js";
import type { EnsembleAnswer64, EnsembleKernels64 } from "./float64.js";
import { sliceUnion64 } from "./union.js";

/** Var f_t(x) (and Cov on request) at the test points, each value = mantissa × 2^log2Scale. */
export interface EnsembleOnDataFloat64 {
  readonly testCount: number;
  /** Variances, length t. */
  readonly variance: Float64Array;
  /** Their estimated absolute errors (see PredictorResult.varianceError). */
  readonly varianceError: Float64Array;
  /** t × t covariance for "full", else null. */
  readonly covariance: Float64Array | null;
  /** Power of two the values above are to be multiplied by (0 for normalized kernels). */
  readonly log2Scale: number;
}

/**
 * The ensemble query for the Gram matrix of train ∪ test (m training rows first, then t test rows):
 * Σ, Σ(x, X) and Σ(x, x) in units of 2^log2Scale (`gram` must hold the NNGP's matrices). At finite t for kernel "nngp" the trained
 * kernel is that same Σ (the predictor's NNGP shortcut, formula (2)); otherwise formula (1) with Σ
 * apart from the trained kernel, whatever its unit.
 */
export function ensembleKernels(
  gram: GramAtDepthFloat64<GramKernels>,
  kernel: KernelName,
  normalized: boolean,
  infinite: boolean,
  m: number,
  t: number,
  request: "variance" | "full",
): { kernels: EnsembleKernels64; log2Scale: number } {
  const sigma = kernelMatrixFloat64Checked(gram, "nngp", normalized);
  const n = m + t;
  const slices = sliceUnion64(sigma.matrix, m, t);
  const testTest =
    request === "full"
      ? Float64Array.from({ length: t * t }, (_, e) => sigma.matrix[(m + Math.floor(e / t)) * n + m + (e % t)])
      : Float64Array.from({ length: t }, (_, i) => sigma.matrix[(m + i) * n + m + i]);
  return {
    kernels: { request, kernel: kernel === "nngp" && !infinite ? "nngp" : "ntk", sigma: slices.train, testSigma: slices.test, testTestSigma: testTest },
    log2Scale: sigma.log2Scale,
  };
}

/** The answer of the predictor's ensemble query as {@link EnsembleOnDataFloat64}. */
export function ensembleOnDataOf(answer: EnsembleAnswer64, t: number, log2Scale: number): EnsembleOnDataFloat64 {
  return { testCount: t, variance: answer.variance!, varianceError: answer.varianceError!, covariance: answer.covariance, log2Scale };
}
