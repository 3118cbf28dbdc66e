/**
 * The high-precision half of `predict` (fromData.ts): the Gram matrix of the union of training and
 * test points at a chosen precision (gram/precise.ts: decimal text projected exactly), then
 * `predictFromKernelsPrecise` with the Gram's vouched digits as the kernel's accuracy; and the
 * search for the Gram precision that delivers the digits asked for.
 */
import { NtkError } from "../errors.js";
import type { Dataset } from "../data/dataset.js";
import { gramRunsResolved, kernelMatrixPreciseChecked, resolvedGramPrecise, type GramAtDepthPrecise, type GramRunsPrecise } from "../gram/precise.js";
import type { ResolvedParams } from "../params.js";
import { archGramPreciseResolved } from "../arch/precise.js";
import type { ResolvedArchitecture } from "../arch/description.js";
import { sliceUnionChecked, joinRawPoints } from "./union.js";
import type { ProgressOptions } from "../progress.js";
import type { RawPoints } from "../sphere/float64.js";
import type { KernelName, Projection } from "../types.js";
import { MAX_PRECISION, MIN_PRECISION, workingPrecision } from "../precise/precision.js";
import { checkPreciseRunFits, type ResourceLimits } from "../precise/runCost.js";
import { Decimal } from "decimal.js";
import { predictionFrom, predictorOptions, type PredictionPrecise } from "./precise.js";
import { precisePredictorOf, toDecimals } from "./predictorPrecise.js";
import type { PredictionSettings, ResolvedSettings } from "./settings.js";

/** What the high-precision path needs (validated by `predict`). */
export interface PreciseDataInput extends PredictionSettings, ProgressOptions, ResourceLimits {
  readonly train: Dataset;
  readonly test: RawPoints;
  readonly projection: Projection;
  readonly depth: number;
  readonly kernel: KernelName;
  readonly normalized: boolean;
  /** The settings as the entry resolved them (`time`, `learningRate`, … stay as given). */
  readonly settings: ResolvedSettings;
  /** σw, σb as the entry resolved them. */
  readonly resolvedParams: ResolvedParams;
  /** The network (src/arch/) as the entry resolved it; null for the ReLU network with `resolvedParams`. */
  readonly resolvedArchitecture: ResolvedArchitecture | null;
  /** Keep both Gram runs in the result (`gramRuns`), for the ensemble's covariance (the ReLU network only). */
  readonly keepGramRuns?: boolean;
  /** Least Gram precision of the first try (default 0: the one the digits ask for). */
  readonly minGramPrecision?: number;
}

/**
 * PRECISION_RUN_TOO_LARGE unless the Gram matrix of train ∪ test and, at each depth, two runs of
 * the solve with the m × m training kernel (LU analysis, factorization, t right-hand sides) fit
 * the limits of `o` (see precise/runCost.ts).
 */
export function checkPredictionFits(
  o: { readonly train: RawPoints; readonly test: RawPoints } & ResourceLimits,
  depths: readonly number[],
  gramPrecision: number,
): void {
  const m = o.train.m;
  const t = o.test.m;
  const depth = depths[depths.length - 1];
  const digits = workingPrecision(gramPrecision, depth).upper;
  checkPreciseRunFits(
    `A high-precision prediction from ${m} training and ${t} test points at depth ${depth} (${digits} working digits)`,
    {
      points: m + t,
      depth,
      checkpoints: depths.length,
      digits,
      determinantOrder: m,
      solveColumns: t,
      inputDim: o.train.n0,
    },
    o,
  );
}

/** A high-precision prediction with the Gram precision behind it. */
export interface PreciseDataResult {
  readonly prediction: PredictionPrecise;
  /** Digits the Gram matrix was computed at. */
  readonly precision: number;
  /** Digits its entries were vouched for (the minimum over entries). */
  readonly gramDigitsVouched: number;
  readonly warnings: readonly string[];
  /** Both runs of the Gram computation behind the prediction, with `keepGramRuns`; else null. */
  readonly gramRuns: GramRunsPrecise | null;
}

/** Gram tries before giving up. */
const ATTEMPTS = 3;
/** Digits added to the Gram precision beyond the expected loss, each try. */
const MARGIN = 5;

/**
 * Gram matrix at `gramPrecision` digits, prediction asked for `digits` digits (at least 20 are
 * carried: checkPrecision's floor). Errors: those of gramThroughDepthPrecise and predictFromKernelsPrecise.
 */
async function predictPreciseOnData(o: PreciseDataInput, gramPrecision: number, digits: number): Promise<PreciseDataResult> {
  // Sized here, for the Gram and the solves together; the ReLU Gram then runs on the resolved options, unsized again.
  checkPredictionFits(o, [o.depth], gramPrecision);
  const gramOptions = {
    data: joinRawPoints(o.train, o.test),
    projection: o.projection,
    onProgress: o.onProgress,
    signal: o.signal,
    maxMemoryBytes: o.maxMemoryBytes,
    maxSeconds: o.maxSeconds,
  };
  const gramRuns = await preciseGramRuns(o, gramOptions, [o.depth], gramPrecision);
  const gram = gramRuns?.result ?? (await archGramPreciseResolved({ ...gramOptions, precision: gramPrecision }, o.resolvedArchitecture!, [o.depth]));
  return { ...(await predictFromGramPrecise(o, gram.grams[0], gramPrecision, digits)), gramRuns: o.keepGramRuns === true ? gramRuns : null };
}

/**
 * Both runs of the ReLU network's Gram matrices at checked `depths` (`gramThroughDepthPrecise` is
 * their `result`), on the parameters the entry resolved (an architecture that is the plain ReLU
 * network gives its own); null for any other architecture, whose Gram the caller runs on
 * `archGramPreciseResolved`. The caller has sized the run.
 */
export async function preciseGramRuns(
  o: Pick<PreciseDataInput, "resolvedParams" | "resolvedArchitecture">,
  gramOptions: Parameters<typeof gramRunsResolved>[0],
  depths: readonly number[],
  gramPrecision: number,
): Promise<GramRunsPrecise | null> {
  const params = o.resolvedArchitecture === null ? o.resolvedParams : o.resolvedArchitecture.reluMlp;
  return params === null ? null : gramRunsResolved(gramOptions, resolvedGramPrecise(depths, gramPrecision, params));
}

/** The prediction from one high-precision Gram matrix of train ∪ test (training rows first), computed at `gramPrecision`. */
export async function predictFromGramPrecise(
  o: Omit<PreciseDataInput, "depth">,
  g: GramAtDepthPrecise,
  gramPrecision: number,
  digits: number,
): Promise<PreciseDataResult> {
  const name = o.kernel === "ntk" ? "ntkNormalized" : "sigmaNormalized";
  // K̄'s entries are vouched for in decimal places (|K̄| ≤ 1): a normwise relative accuracy, as
  // predictFromKernelsPrecise's inputDigits means; the raw kernel adds the diagonal's digits.
  const kernelDigits = o.normalized ? g.digitsVouchedByMatrix[name] : Math.min(g.digitsVouchedByMatrix[name], g.digitsVouched);
  const m = o.train.m;
  const { train, test } = sliceUnionChecked(kernelMatrixPreciseChecked(g, o.kernel, o.normalized), m, o.test.m);
  // The Gram's slices are finite and exactly symmetric, the settings resolved by the entry: only the targets are read (and checked) here, once.
  const shape = { m, testCount: o.test.m, k: o.train.k };
  const targets = toDecimals(
    Decimal,
    o.train.targetText !== undefined ? o.train.targetText.flat() : Array.from(o.train.targets as Float64Array),
    shape.k,
    "targets Y",
  );
  const precision = Math.max(MIN_PRECISION, digits);
  const predictor = precisePredictorOf(predictorOptions(o, precision, shape, targets, train), m, shape.k, o.settings, true);
  const prediction = await predictionFrom(predictor, { settings: o.settings, shape, testKernel: test, precision, inputDigits: kernelDigits });
  return { prediction, precision: gramPrecision, gramDigitsVouched: kernelDigits, warnings: prediction.warnings, gramRuns: null };
}

/**
 * The Gram precision first tried for `digits` digits of a solve that loses about `lost` digits,
 * with m training points: digits + lost + ⌈log10 m⌉ + 5, within MIN_PRECISION … MAX_PRECISION
 * (capped, so that digits asked near the limit still get a try at the limit itself).
 */
export function firstGramPrecision(digits: number, lost: number, m: number): number {
  return Math.min(MAX_PRECISION, Math.max(MIN_PRECISION, digits + Math.ceil(lost) + Math.ceil(Math.log10(m)) + MARGIN));
}

/**
 * The Gram precision that delivers `digits` vouched digits in predictions, weights, their 1-norms
 * and det. The first try computes the Gram at `digits + lost + ⌈log10 m⌉ + 5` digits, where `lost`
 * estimates the digits the solve loses: log10 of the float64 condition estimate for
 * `precision: "auto"` (20 when float64 kept no digit or failed: κ is then only known to exceed
 * 1e16), 0 for a fixed precision; never more than 1000 (MAX_PRECISION). Each try is checked by
 * the digits the result vouches for; if short, the Gram precision grows by the shortfall plus 5
 * (again at most 1000) and the run repeats, up to 3 tries, none past a try at 1000 itself.
 * `strict` ("auto"): throws PRECISION_LIMIT when the digits are still short after the last try;
 * otherwise the last result is returned with its shortfall in the warnings.
 */
export async function predictWithDigits(o: PreciseDataInput, digits: number, lost: number, strict: boolean): Promise<PreciseDataResult> {
  let precision = Math.max(firstGramPrecision(digits, lost, o.train.m), Math.min(MAX_PRECISION, o.minGramPrecision ?? 0));
  let last = await predictPreciseOnData(o, precision, digits);
  for (let attempt = 1; ; attempt++) {
    const v = last.prediction.digitsVouched;
    const worst = Math.min(v.predictions, v.weights, v.weightsL1, v.determinant);
    if (worst >= digits) return { ...last, warnings: last.warnings.filter((w) => !w.startsWith("Fewer than")) };
    // Singular to working precision (more digits will not help), out of tries, or out of digits.
    if (last.prediction.determinant.signDet === 0 || worst === 0 || attempt >= ATTEMPTS || precision === MAX_PRECISION) break;
    precision = Math.min(MAX_PRECISION, precision + digits - worst + MARGIN);
    last = await predictPreciseOnData(o, precision, digits);
  }
  if (!strict) return last;
  throw new NtkError(
    "PRECISION_LIMIT",
    `could not vouch for ${digits} digits with a Gram precision up to ${last.precision}` +
      ` (at ${last.precision} digits: predictions ${last.prediction.digitsVouched.predictions}, weights ${last.prediction.digitsVouched.weights}, det ${last.prediction.digitsVouched.determinant})` +
      (last.precision === MAX_PRECISION
        ? `. ${MAX_PRECISION} digits is the largest supported precision: ask for fewer digits, or use a ridge or a finite time if the kernel is ill-conditioned.`
        : ". The kernel is too ill-conditioned (or singular): ask for fewer digits, or use a ridge or a finite time."),
    { digits, precision },
  );
}
