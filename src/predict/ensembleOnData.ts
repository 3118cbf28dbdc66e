/**
 * The variance (and on request the covariance) of the ensemble of trained networks at test
 * points, on data (docs/PREDICTOR.md): the union Gram matrix at one depth in float64, Σ and the
 * trained kernel sliced from it, and {@link createPredictor} on them. Raw kernels at depth are
 * tiny (of order 2^log2Scale): the predictor runs on K / 2^log2Scale with the flow time times
 * 2^log2Scale and the ridge divided by it, so A_t is unchanged and the covariance comes out in
 * units of 2^log2Scale.
 */
import { gramThroughDepthFloat64, kernelMatrixFloat64 } from "../gram/float64.js";
import { projectToSphereFloat64 } from "../sphere/float64.js";
import type { PredictOptions } from "./fromData.js";
import { createPredictor, type CovarianceRequest } from "./predictor.js";
import { flowTime, resolveSettings } from "./settings.js";
import { sliceUnion64, unionPoints } from "./union.js";

/** Var f_t(x) (and Cov on request) at the test points, each value = mantissa × 2^log2Scale. */
export interface EnsembleOnData {
  readonly testCount: number;
  /** Variances, length t. */
  readonly variance: Float64Array;
  /** Their estimated absolute errors (see PredictorResult.varianceError). */
  readonly varianceError: Float64Array;
  /** t × t covariance for "full", else null. */
  readonly covariance: Float64Array | null;
  /** Power of two the values above are to be multiplied by (0 for normalized kernels). */
  readonly log2Scale: number;
  readonly warnings: readonly string[];
}

/**
 * The ensemble's variance or covariance for {@link predict}'s options, in float64 (a `precision` is
 * not supported here: BAD_OPTION). Errors as `predict` in float64.
 */
export async function ensembleOnData(o: PredictOptions, request: Exclude<CovarianceRequest, "none">): Promise<EnsembleOnData> {
  const projection = o.projection ?? "normalize";
  const train = projectToSphereFloat64(o.train, projection);
  const test = projectToSphereFloat64(o.test, projection);
  const m = train.m;
  const t = test.m;
  const k = o.train.k;
  const settings = resolveSettings(o);
  const [gram] = await gramThroughDepthFloat64({
    points: unionPoints(train, test),
    depths: [o.depth],
    params: o.params,
    onProgress: o.onProgress,
    signal: o.signal,
  });
  const normalized = o.normalized ?? false;
  const sigma = kernelMatrixFloat64(gram, "nngp", normalized);
  const ntk = kernelMatrixFloat64(gram, "ntk", normalized);
  const log2Scale = sigma.log2Scale;
  const scale = 2 ** log2Scale;
  const s = flowTime(settings, m, k);
  const warnings: string[] = [];
  if (s > 0 && Number.isFinite(s) && s * scale === 0) {
    warnings.push(
      `The raw kernels at depth ${o.depth} are of order 2^${log2Scale}: at ηt = ${s} the flow has not moved in float64, and the covariance is the prior's.`,
    );
  }
  const diagReg = settings.diagRegScale === "absolute" ? settings.diagReg / scale : settings.diagReg;
  const unionSize = m + t;
  const sig = sliceUnion64(sigma.matrix, m, t);
  const th = sliceUnion64(ntk.matrix, m, t);
  const testTest = new Float64Array(request === "full" ? t * t : t);
  for (let i = 0; i < t; i++) {
    for (let j = 0; j < t; j++) {
      if (request === "full") testTest[i * t + j] = sigma.matrix[(m + i) * unionSize + m + j];
      else if (i === j) testTest[i] = sigma.matrix[(m + i) * unionSize + m + i];
    }
  }
  const predictor = await createPredictor({
    kernel: o.kernel ?? "ntk",
    m,
    k,
    targets: o.train.targets as Float64Array,
    trainNngp: sig.train,
    trainNtk: th.train,
    diagReg,
    diagRegScale: settings.diagRegScale,
  });
  const r = await predictor.predict({
    time: settings.infinite ? "inf" : s * scale,
    testNngp: sig.test,
    testNtk: th.test,
    testTestNngp: testTest,
    covariance: request,
  });
  return { testCount: t, variance: r.variance!, varianceError: r.varianceError!, covariance: r.covariance, log2Scale, warnings: [...warnings, ...r.warnings] };
}
