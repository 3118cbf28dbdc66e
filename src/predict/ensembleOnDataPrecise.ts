/**
 * The variance (and on request the covariance) of the ensemble of trained networks at test points,
 * on data, at P significant digits: the high-precision twin of `ensembleOnData.ts`. The union Gram
 * matrix at one depth comes from `gramThroughDepthPreciseRuns`, which already holds two runs at
 * different precisions (`predict` passes the very runs its mean was computed from, so one Gram
 * computation serves both); the decimal predictor (`predictorPrecise.ts`) runs on each run's Σ and
 * trained kernel, and every value vouches for the digits on which the two whole pipelines agree
 * (the vouching rule of `precise/vouched.ts` applied to Gram and predictor together, so that the
 * Gram's rounding, amplified by the conditioning, is covered), never more than the predictor on
 * the upper Gram vouches by itself.
 */
import { Decimal } from "decimal.js";
import { NtkError } from "../errors.js";
import { describeValue } from "../argumentTypes.js";
import { checkKernelName, MAX_DEPTH, resolveDepth } from "../params.js";
import { checkPrecision } from "../precise/precision.js";
import { checkPredictInput } from "./shapes.js";
import { gramThroughDepthPreciseRuns, kernelMatrixPreciseChecked, type GramRunsPrecise } from "../gram/precise.js";
import { vouchValue, type Vouched } from "../precise/vouched.js";
import type { PredictOptions } from "./fromData.js";
import type { CovarianceRequest } from "./predictor.js";
import { precisePredictorOf, toDecimals, type PrecisePredictorResult } from "./predictorPrecise.js";
import { resolveSettings, type ResolvedSettings } from "./settings.js";
import type { KernelName } from "../types.js";
import { sliceUnionChecked, joinRawPoints } from "./union.js";

/** Var f_t(x) (and Cov on request) at the test points at P digits, each value vouched. */
export interface EnsembleOnDataPrecise {
  readonly testCount: number;
  readonly precision: number;
  /** Digits of the Gram matrix's two runs. */
  readonly gramWorkingPrecisions: readonly [number, number];
  readonly variance: readonly Vouched<Decimal>[];
  /** t × t row-major for "full", else null. */
  readonly covariance: readonly Vouched<Decimal>[] | null;
  readonly vouchedBy: string;
  readonly warnings: readonly string[];
}

/** Guard digits of the Gram beyond P: room for the solve's conditioning before the pipelines disagree. */
const GRAM_GUARD_DIGITS = 10;

/**
 * The ensemble's variance or covariance for `predict`'s options at `precision` digits (the ReLU
 * network; an architecture is BAD_OPTION here). Errors: those of `gramThroughDepthPrecise` and of
 * the decimal predictor.
 */
export async function ensembleOnDataPrecise(o: PredictOptions, request: Exclude<CovarianceRequest, "none">, precision: number): Promise<EnsembleOnDataPrecise> {
  checkPredictInput(o, "ensembleOnDataPrecise");
  const depth = Number(resolveDepth(o.depth, "depth", BigInt(MAX_DEPTH)));
  checkPrecision(precision);
  if (request !== "variance" && request !== "full")
    throw new NtkError("BAD_OPTION", `covariance must be "variance" or "full", got ${describeValue(request)}.`, {});
  checkEnsembleNetwork(o);
  const kernel = checkKernelName(o.kernel ?? "ntk");
  const settings = resolveSettings(o);
  const runs = await gramThroughDepthPreciseRuns({
    data: joinRawPoints(o.train, o.test),
    projection: o.projection ?? "normalize",
    depths: [depth],
    params: o.params,
    precision: ensembleGramPrecision(precision),
    onProgress: o.onProgress,
    signal: o.signal,
  });
  return ensembleFromGramRuns({ ...o, kernel }, settings, request, precision, runs);
}

/** The Gram precision the ensemble wants at P digits: P + {@link GRAM_GUARD_DIGITS}. */
export function ensembleGramPrecision(precision: number): number {
  return precision + GRAM_GUARD_DIGITS;
}

/** BAD_OPTION for an architecture: the ensemble at a precision supports the ReLU network only. */
export function checkEnsembleNetwork(o: Pick<PredictOptions, "architecture">): void {
  if (o.architecture !== undefined) {
    throw new NtkError("BAD_OPTION", "covariance with a precision supports the ReLU network only so far; drop the architecture or the precision.", {});
  }
}

/**
 * {@link ensembleOnDataPrecise} from given Gram runs of train ∪ test (training rows first) at
 * `o.depth`: the decimal predictor on each run, each value vouched by the two pipelines.
 */
export async function ensembleFromGramRuns(
  o: PredictOptions & { readonly kernel: KernelName },
  settings: ResolvedSettings,
  request: Exclude<CovarianceRequest, "none">,
  precision: number,
  runs: GramRunsPrecise,
): Promise<EnsembleOnDataPrecise> {
  const m = o.train.m;
  const t = o.test.m;
  const normalized = o.normalized ?? false;
  // Read (and checked) once here; the Gram's slices are finite and symmetric, so the predictors check nothing.
  const targets = toDecimals(
    Decimal,
    o.train.targetText !== undefined ? o.train.targetText.flat() : Array.from(o.train.targets as Float64Array),
    o.train.k,
    "targets Y",
  );
  const answer = async (r: (typeof runs.lower)[number]): Promise<PrecisePredictorResult> => {
    const g = { ...r.matrices, sigmaDiag: r.sigmaDiag, ntkDiag: r.ntkDiag };
    const n = m + t;
    const sigma = kernelMatrixPreciseChecked(g, "nngp", normalized);
    const sig = sliceUnionChecked(sigma, m, t);
    const th = sliceUnionChecked(kernelMatrixPreciseChecked(g, "ntk", normalized), m, t);
    const testTest =
      request === "full"
        ? Array.from({ length: t * t }, (_, e) => sigma[(m + Math.floor(e / t)) * n + m + (e % t)])
        : Array.from({ length: t }, (_, i) => sigma[(m + i) * n + m + i]);
    const predictor = precisePredictorOf(
      { kernel: o.kernel, m, k: o.train.k, targets, trainNngp: sig.train, trainNtk: th.train, precision, onProgress: o.onProgress, signal: o.signal },
      m,
      o.train.k,
      settings,
      true,
    );
    return predictor.predictChecked({ testNngp: sig.test, testNtk: th.test, testTestNngp: testTest, covariance: request }, settings, t, request);
  };
  const lower = await answer(runs.lower[0]);
  const upper = await answer(runs.upper[0]);
  const vouchedBy =
    `the Gram matrix (${runs.result.vouchedBy}) and the decimal predictor on each of its two runs; each value vouches for the digits on which the two pipelines agree, minus one, ` +
    `and at most what the predictor on the upper Gram vouches by itself (${upper.vouchedBy})`;
  const both = (a: readonly Vouched<Decimal>[], b: readonly Vouched<Decimal>[]): Vouched<Decimal>[] =>
    b.map((v, i) => vouchValue(a[i].value, v.value, runs, precision, vouchedBy, 0, v.digits));
  const variance = both(lower.variance!, upper.variance!);
  const short = variance.filter((v) => v.digits < precision).length;
  const warnings = upper.warnings.filter((w) => !w.includes("fewer than the"));
  if (short > 0) {
    warnings.push(
      `${short} of the ${t} variances vouch fewer than the ${precision} digits asked for (a variance that cancels to near 0, e.g. at a training point, keeps only the digits both pipelines agree on).`,
    );
  }
  return {
    testCount: t,
    precision,
    gramWorkingPrecisions: [runs.lowerDigits, runs.upperDigits],
    variance,
    covariance: upper.covariance === null ? null : both(lower.covariance!, upper.covariance),
    vouchedBy,
    warnings,
  };
}
