/**
 * Closed-form predictions (SPEC §6) at any precision from given kernel matrices, with det and the
 * condition estimate of K + δI: a view of the decimal predictor (predictorPrecise.ts), the one
 * high-precision prediction path. K is the trained kernel (kernel "nngp" of the predictor with
 * Σ = K): t = ∞ factors K + δI by Cholesky (LU when it is not positive definite at the working
 * precision), det from the factors and κ1 from the inverse; finite t by the Jacobi
 * eigendecomposition, `weights = K_x V diag(φ(λ)) Vᵀ`, φ(λ) = (1 − e^{−sλ})/λ (flowFilter.ts),
 * `det = Π λ`. Then `predictions = weights · Y`. The float64 counterpart is float64.ts.
 *
 * How the digits are vouched for: by the vouching rule (`precise/vouched.ts`), as the predictor
 * does: its query and its matrix analysis each run at P + 10 + ⌈log10(m + 1)⌉ digits and again 6
 * digits higher (the higher run is returned); each reported digit count is how far the two agree
 * (per row relative to the row's largest weight for weights, relative to |weights row|₁·max|Y|
 * for predictions, relative to themselves for det and the 1-norms), minus one, and never more than
 * the precision asked for; a shortfall repeats both runs once with more guard digits. When the
 * kernel entries themselves are known to only `inputDigits` digits (normwise: |δK_ij| ≤
 * 10^−inputDigits · max|K|, so ‖δK‖ ≤ m·10^−inputDigits·max|K|), that caps the count at
 * `inputDigits − log10 κ − log10 m` as well (first-order perturbation bound).
 */
import { Decimal } from "decimal.js";
import { NtkError } from "../errors.js";
import { checkArrayLike, checkObject, describeValue } from "../argumentTypes.js";
import type { ProgressOptions } from "../progress.js";
import { checkPrecision } from "../precise/precision.js";
import { precisePredictorOf, toDecimals, type CheckedPrecisePredictor, type DecimalLike, type PrecisePredictorOptions } from "./predictorPrecise.js";
import { checkPredictionShape, type PredictionShape } from "./shapes.js";
import { resolveSettings, type PredictionSettings, type ResolvedSettings } from "./settings.js";

export type { DecimalLike } from "./predictorPrecise.js";

/** Matrices and settings of one high-precision prediction. */
export interface KernelPredictionPreciseOptions extends PredictionSettings, ProgressOptions {
  /** K, m × m row-major, symmetric. */
  readonly trainKernel: readonly DecimalLike[];
  /** K_x, t × m row-major. */
  readonly testKernel: readonly DecimalLike[];
  /** Y, m × k row-major. */
  readonly targets: readonly DecimalLike[];
  readonly m: number;
  /** Target columns k (default 1). */
  readonly k?: number;
  /** Significant digits wanted in every reported quantity, 20..1000 (checkPrecision). */
  readonly precision: number;
  /**
   * Significant digits to which the kernel entries are known (e.g. a high-precision Gram's
   * `digitsVouched`); default: the entries are exact.
   */
  readonly inputDigits?: number;
}

/** How many digits each reported quantity is vouched for (see the module documentation). */
export interface PredictionDigitsVouched {
  readonly predictions: number;
  readonly weights: number;
  readonly weightsL1: number;
  readonly determinant: number;
}

/** A high-precision prediction. Values carry the working precision; print them with their vouched digits. */
export interface PredictionPrecise extends PredictionShape {
  /** Digits asked for. */
  readonly precision: number;
  /** Digits carried in the main run. */
  readonly workingPrecision: number;
  /** How the digits are known, in words. */
  readonly vouchedBy: string;
  /** s = ηt in the "flow" convention; null for t = ∞. */
  readonly flowTime: Decimal | null;
  /** Ridge added to the diagonal. */
  readonly ridge: Decimal;
  /** f_t at the test points, t × k row-major. */
  readonly predictions: Decimal[];
  /** Weight rows, t × m (K_x (K + δI)^{-1} for t = ∞; effective weights at finite t, as float64.ts). */
  readonly weights: Decimal[];
  /** Σ_j |weights_ij| per test point. */
  readonly weightsL1: Decimal[];
  /**
   * det(K + δI) from the factors (t = ∞: Π L_ii² of Cholesky, or the signed product of the LU
   * pivots) or the product of the eigenvalues (finite t), with log10|det| (−∞ when det is 0) and
   * its sign: the fields of the float64 prediction's `determinant`, det as a Decimal.
   */
  readonly determinant: { readonly det: Decimal; readonly log10AbsDet: number; readonly signDet: -1 | 0 | 1 };
  /** Eigenvalues of K + δI, ascending (finite t; null for t = ∞). */
  readonly eigenvalues: Decimal[] | null;
  /** κ1(K + δI) = ‖K + δI‖₁‖(K + δI)^{-1}‖₁ for t = ∞, κ_t = max|λ| · max|φ(λ)| for finite t (as float64.ts). */
  readonly conditionEstimate: number;
  readonly digitsVouched: PredictionDigitsVouched;
  readonly warnings: readonly string[];
}

/**
 * Predictions, weight rows, their 1-norms and det(K + δI) at `precision` significant digits, with
 * the digits each is vouched for.
 *
 * Errors: BAD_PRECISION (precision outside 20..1000, or inputDigits not a positive number),
 * DIMENSION_MISMATCH, NOT_A_NUMBER/NON_FINITE (an entry), BAD_OPTION (settings, a K that is not
 * symmetric), SINGULAR_MATRIX (t = ∞ and K + δI is singular to the working precision after the
 * retry), NO_CONVERGENCE (Jacobi), ABORTED.
 */
export async function predictFromKernelsPrecise(o: KernelPredictionPreciseOptions): Promise<PredictionPrecise> {
  checkObject(o, "predictFromKernelsPrecise's options");
  const precision = checkPrecision(o.precision);
  if (o.inputDigits !== undefined && !(typeof o.inputDigits === "number" && o.inputDigits > 0)) {
    throw new NtkError("BAD_PRECISION", `inputDigits must be a positive number of digits, got ${describeValue(o.inputDigits)}.`, {
      inputDigits: describeValue(o.inputDigits),
    });
  }
  for (const name of ["trainKernel", "testKernel", "targets"] as const) checkArrayLike(o[name], name);
  const shape = checkPredictionShape(o.trainKernel.length, o.testKernel.length, o.targets.length, o.m, o.k ?? 1);
  // Validated here under the names of this function's matrices (the predictor would call K its Σ); entries stay exact.
  const trainKernel = toDecimals(Decimal, o.trainKernel, shape.m, "training kernel K");
  const testKernel = toDecimals(Decimal, o.testKernel, shape.m, "test kernel K_x");
  const targets = toDecimals(Decimal, o.targets, shape.k, "targets Y");
  const settings = resolveSettings(o);
  // The entries are checked above; their symmetry is checked by the predictor, at its first working precision.
  const predictor = precisePredictorOf(predictorOptions(o, precision, shape, targets, trainKernel), shape.m, shape.k, settings, false);
  return predictionFrom(predictor, { settings, shape, testKernel, precision, inputDigits: o.inputDigits });
}

/** What {@link predictionFrom} takes besides the predictor: all checked, the test kernel t × m. */
export interface CheckedPreciseQuery {
  readonly settings: ResolvedSettings;
  readonly shape: PredictionShape;
  readonly testKernel: readonly Decimal[];
  readonly precision: number;
  readonly inputDigits: number | undefined;
}

/** The predictor's options for K, Y (Decimals, checked) and the progress of `o`. */
export function predictorOptions(
  o: ProgressOptions,
  precision: number,
  shape: PredictionShape,
  targets: readonly Decimal[],
  trainKernel: readonly Decimal[],
): PrecisePredictorOptions {
  return { kernel: "nngp", precision, m: shape.m, k: shape.k, targets, trainNngp: trainKernel, onProgress: o.onProgress, signal: o.signal };
}

/**
 * {@link predictFromKernelsPrecise} from a predictor of K and Y and a checked query (what
 * predictions from data call, their kernels sliced from a Gram matrix): checks nothing.
 */
export async function predictionFrom(predictor: CheckedPrecisePredictor, c: CheckedPreciseQuery): Promise<PredictionPrecise> {
  const { settings, shape, precision } = c;
  const analysis = await predictor.analysis(settings);
  const r = await predictor.predictChecked({ testNngp: c.testKernel }, settings, shape.testCount, "none");
  const conditionLog10 = Math.log10(analysis.conditionEstimate);
  const inputCap = c.inputDigits === undefined ? Infinity : Math.floor(c.inputDigits - Math.max(0, conditionLog10) - Math.log10(shape.m));
  const cap = (d: number) => Math.max(0, Math.min(inputCap, d));
  const digitsVouched = {
    predictions: cap(r.scaledDigits.mean),
    weights: cap(r.scaledDigits.weights),
    weightsL1: cap(r.scaledDigits.weightsL1),
    determinant: cap(analysis.determinant.digits),
  };
  const warnings: string[] = [];
  const short = Object.entries(digitsVouched).filter(([, d]) => d < precision);
  if (short.length > 0) {
    warnings.push(
      `Fewer than the ${precision} digits asked for are vouched for: ${short.map(([name, d]) => `${name} ${d}`).join(", ")}` +
        (c.inputDigits !== undefined ? ` (the kernel entries are known to ${c.inputDigits} digits and κ ≈ 1e${Math.round(conditionLog10)}).` : "."),
    );
  }
  if (analysis.singularToPrecision) {
    warnings.push(
      `K${analysis.ridge.isZero() ? "" : " + δI"} is singular to ${analysis.workingPrecisions[1]} digits (an eigenvalue within ${analysis.noise.toPrecision(2)} of 0), so det(K + δI) = 0 within that: its digits are not vouched for. Finite-time predictions stay defined.`,
    );
  }
  const lambda = analysis.eigenvalues;
  if (lambda !== null && lambda[0].lt(analysis.noise.neg())) {
    warnings.push(
      `K has a negative eigenvalue λ = ${lambda[0].toPrecision(3)}: it is not positive semi-definite, and e^{−sλ} grows instead of decaying along that direction.`,
    );
  }
  const capText = c.inputDigits !== undefined ? `; each count is at most the kernel's ${c.inputDigits} digits less log10 κ and log10 m` : "";
  return {
    ...shape,
    precision,
    workingPrecision: r.workingPrecisions[1],
    vouchedBy: `${r.vouchedBy}; det: ${analysis.vouchedBy}${capText}`,
    flowTime: r.flowTime,
    ridge: analysis.ridge,
    predictions: r.mean.map((v) => v.value),
    weights: r.weights.map((v) => v.value),
    weightsL1: r.weightsL1.map((v) => v.value),
    determinant: {
      det: analysis.determinant.value,
      log10AbsDet: analysis.log10AbsDet,
      signDet: analysis.determinant.value.isZero() ? 0 : analysis.determinant.value.isNegative() ? -1 : 1,
    },
    eigenvalues: lambda,
    conditionEstimate: analysis.conditionEstimate,
    digitsVouched,
    warnings,
  };
}
