/**
 * Closed-form predictions (SPEC §6) at any precision in decimal.js, from given kernel matrices.
 * t = ∞: LU with partial pivoting (linalg/preciseLu.ts) gives det(K + δI), κ1 from the inverse,
 * and `weights = K_x (K + δI)^{-1}` by a solve. Finite t: `K + δI = V diag(λ) Vᵀ` by Jacobi rotations
 * (linalg/preciseEigen.ts), `weights = K_x V diag(φ(λ)) Vᵀ` with φ(λ) = (1 − e^{−sλ})/λ
 * (flowFilter.ts), `det = Π λ`. Then `predictions = weights · Y`. The float64 counterpart is float64.ts.
 *
 * How the digits are vouched for: by the vouching rule (`precise/vouched.ts`): the whole
 * computation runs at P + 10 + ⌈log10(m + 1)⌉ digits and again 6 digits higher (the higher run is
 * returned); each reported digit count is how far the two agree (entrywise for det and the
 * 1-norms, per row relative to the row's largest weight for weights, relative to
 * |weights row|₁·max|Y| for predictions), minus one, and never more than the precision asked for.
 * When that falls short, both runs are repeated once with log10 κ more guard digits (κ measured
 * by the first pair). When the kernel entries themselves are known to
 * only `inputDigits` digits (normwise: |δK_ij| ≤ 10^−inputDigits · max|K|, so ‖δK‖ ≤ m·10^−inputDigits·max|K|),
 * that caps the count at `inputDigits − log10 κ − log10 m` as well (first-order perturbation bound).
 */
import { Decimal } from "decimal.js";
import { NtkError } from "../errors.js";
import { exactBinaryDecimal } from "../decimalText.js";
import { symmetricEigenPrecise } from "../linalg/preciseEigen.js";
import { type ProgressOptions } from "../progress.js";
import { checkPrecision, MAX_PRECISION } from "../precise/precision.js";
import { digitsAgreed, VOUCH_EXTRA_DIGITS, VOUCH_RETRY_MARGIN, vouchedByText, vouchTwice } from "../precise/vouched.js";
import { flowFilterPrecise } from "./flowFilter.js";
import { checkPredictionShape, type PredictionShape } from "./shapes.js";
import { flowTimePrecise, resolveSettings, type PredictionSettings, type ResolvedSettings } from "./settings.js";
import { ProgressTicker, runSteps } from "../progress.js";
import { luAnalysisWork, luFactorWork, luSolveWork, preciseLuAnalysisSteps, preciseLuFactorSteps, preciseLuSolveSteps } from "../linalg/preciseLu.js";

/** A matrix entry as given: a Decimal, decimal text (exact), or a number (its exact binary value). */
export type DecimalLike = Decimal | string | number;

/**
 * Guard digits of the first lower run beyond P + ⌈log10(m + 1)⌉: room for a moderately
 * conditioned solve (κ up to about 10^4) to be vouched without a retry.
 */
export const PREDICTION_GUARD_DIGITS = 10;

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
  /** det(K + δI): product of the LU pivots (t = ∞) or of the eigenvalues (finite t). */
  readonly determinant: Decimal;
  /** log10 |det(K + δI)| (−∞ when det is 0). */
  readonly log10AbsDet: number;
  /** Eigenvalues of K + δI, ascending (finite t; null for t = ∞). */
  readonly eigenvalues: Decimal[] | null;
  /** κ1(K + δI) = ‖K + δI‖₁‖(K + δI)^{-1}‖₁ for t = ∞, κ_t = max|λ| · max|φ(λ)| for finite t (as float64.ts). */
  readonly conditionEstimate: number;
  readonly digitsVouched: PredictionDigitsVouched;
  readonly warnings: readonly string[];
}

/** One run at one working precision. */
interface Run {
  readonly D: typeof Decimal;
  readonly ridge: Decimal;
  readonly flowTime: Decimal | null;
  readonly eigenvalues: Decimal[] | null;
  readonly weights: Decimal[];
  readonly predictions: Decimal[];
  readonly weightsL1: Decimal[];
  readonly determinant: Decimal;
  readonly conditionLog10: number;
  readonly singularToPrecision: boolean;
  /** Size of the smallest eigenvalue or pivot against which "singular to precision" was judged, for messages. */
  readonly noise: Decimal;
}

/**
 * Predictions, weight rows, their 1-norms and det(K + δI) at `precision` significant digits, with
 * the digits each is vouched for.
 *
 * Errors: BAD_PRECISION (precision outside 20..1000, or inputDigits not a positive number),
 * DIMENSION_MISMATCH, NOT_A_NUMBER/NON_FINITE (an entry), BAD_OPTION (settings, a K that is not
 * symmetric), SINGULAR_MATRIX (t = ∞ and K + δI is singular, or its condition exceeds what 1000
 * digits resolve), NO_CONVERGENCE (Jacobi), ABORTED.
 */
export async function predictFromKernelsPrecise(o: KernelPredictionPreciseOptions): Promise<PredictionPrecise> {
  const precision = checkPrecision(o.precision);
  if (o.inputDigits !== undefined && !(o.inputDigits > 0)) {
    throw new NtkError("BAD_PRECISION", `inputDigits must be a positive number of digits, got ${o.inputDigits}.`, { inputDigits: o.inputDigits });
  }
  const settings = resolveSettings(o);
  const shape = checkPredictionShape(o.trainKernel.length, o.testKernel.length, o.targets.length, o.m, o.k ?? 1);
  const logM = Math.ceil(Math.log10(shape.m + 1));
  const yMax = o.targets.reduce<number>((a, y) => Math.max(a, Math.abs(new Decimal(y).toNumber())), 0);
  // A singular K matters only to t = ∞; finite times are defined regardless.
  const singular = (r: Run) => settings.infinite && r.singularToPrecision;
  const runs = await vouchTwice<Run>({
    precision,
    lowerDigits: precision + PREDICTION_GUARD_DIGITS + logM,
    maxUpperDigits: MAX_PRECISION + 3 * PREDICTION_GUARD_DIGITS + VOUCH_EXTRA_DIGITS,
    run: async (lowerDigits, upperDigits) => ({ lower: await runAt(lowerDigits, o, settings, shape), upper: await runAt(upperDigits, o, settings, shape) }),
    // Only what more digits can improve: det of a matrix singular to the working precision is not counted.
    count: (lower, upper) => {
      if (singular(lower) || singular(upper)) return 0;
      const a = agreements(lower, upper, shape, yMax, precision);
      return Math.min(a.predictions, a.weights, a.weightsL1, upper.singularToPrecision ? precision : a.determinant);
    },
    // The solve loses about log10 κ digits: guard for that, or at least the shortfall.
    retryDigits: ({ lowerDigits, upper, digits }) =>
      Math.max(precision + Math.ceil(Math.max(0, upper.conditionLog10)) + logM + 5, lowerDigits + (precision - digits) + VOUCH_RETRY_MARGIN),
  });
  const main = runs.upper;
  if (singular(runs.lower)) throwSingular(shape.m, runs.lower, `it is singular to ${runs.lowerDigits} digits`);
  if (singular(main)) throwSingular(shape.m, main, `it is singular to ${runs.upperDigits} digits`);
  const working = runs.upperDigits;
  const agreed = agreements(runs.lower, main, shape, yMax, precision);
  const inputCap = o.inputDigits === undefined ? Infinity : Math.floor(o.inputDigits - Math.max(0, main.conditionLog10) - Math.log10(shape.m));
  const cap = (d: number): number => Math.max(0, Math.min(d, inputCap));
  const digitsVouched = {
    predictions: cap(agreed.predictions),
    weights: cap(agreed.weights),
    weightsL1: cap(agreed.weightsL1),
    determinant: cap(agreed.determinant),
  };

  const warnings: string[] = [];
  const short = Object.entries(digitsVouched).filter(([, d]) => d < precision);
  if (short.length > 0) {
    warnings.push(
      `Fewer than the ${precision} digits asked for are vouched for: ${short.map(([name, d]) => `${name} ${d}`).join(", ")}` +
        (o.inputDigits !== undefined ? ` (the kernel entries are known to ${o.inputDigits} digits and κ ≈ 1e${Math.round(main.conditionLog10)}).` : "."),
    );
  }
  if (main.singularToPrecision) {
    warnings.push(
      `K${settings.diagReg > 0 ? " + δI" : ""} is singular to ${working} digits (an eigenvalue within ${main.noise.toPrecision(2)} of 0), so det(K + δI) = 0 within that: its digits are not vouched for. Finite-time predictions stay defined.`,
    );
  }
  if (main.eigenvalues !== null && main.eigenvalues[0].lt(main.noise.neg())) {
    warnings.push(
      `K has a negative eigenvalue λ = ${main.eigenvalues[0].toPrecision(3)}: it is not positive semi-definite, and e^{−sλ} grows instead of decaying along that direction.`,
    );
  }
  return {
    ...shape,
    precision,
    workingPrecision: working,
    vouchedBy: vouchedByText(
      `the prediction (${settings.infinite ? "LU with partial pivoting" : "Jacobi eigendecomposition"}, both backward stable)`,
      runs,
      precision,
      o.inputDigits !== undefined ? `the kernel's ${o.inputDigits} digits less log10 κ and log10 m` : undefined,
    ),
    flowTime: main.flowTime,
    ridge: main.ridge,
    predictions: main.predictions,
    weights: main.weights,
    weightsL1: main.weightsL1,
    determinant: main.determinant,
    log10AbsDet: main.determinant.isZero() ? -Infinity : log10Abs(main.determinant),
    eigenvalues: main.eigenvalues,
    conditionEstimate: 10 ** main.conditionLog10,
    digitsVouched,
    warnings,
  };
}

/** The whole computation at `digits` significant digits. */
async function runAt(digits: number, o: KernelPredictionPreciseOptions, settings: ResolvedSettings, shape: PredictionShape): Promise<Run> {
  const D = Decimal.clone({ precision: digits, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });
  const { m, testCount, k } = shape;
  const K = toDecimals(D, o.trainKernel, m, "training kernel K");
  const Kx = toDecimals(D, o.testKernel, m, "test kernel K_x");
  const Y = toDecimals(D, o.targets, k, "targets Y");
  checkSymmetric(D, K, m);
  let trace = new D(0);
  for (let i = 0; i < m; i++) trace = trace.plus(K[i * m + i]);
  const ridge = settings.diagRegScale === "mean-diagonal" ? new D(settings.exact.diagReg).times(trace).div(m) : new D(settings.exact.diagReg);
  for (let i = 0; i < m; i++) K[i * m + i] = K[i * m + i].plus(ridge);
  const s = flowTimePrecise(settings, m, k, D);
  const solved = s === null ? await inverseWeights(D, K, Kx, m, testCount, o) : await filteredWeights(D, K, Kx, s, m, testCount, o);
  const { weights } = solved;
  // Singular to this precision at t = ∞: nothing to multiply; the caller retries or throws.
  if (weights.length === 0) return { D, ridge, flowTime: s, ...solved, predictions: [], weightsL1: [] };
  const predictions: Decimal[] = new Array(testCount * k);
  const weightsL1: Decimal[] = new Array(testCount);
  for (let i = 0; i < testCount; i++) {
    let l1 = new D(0);
    for (let p = 0; p < m; p++) l1 = l1.plus(weights[i * m + p].abs());
    weightsL1[i] = l1;
    for (let j = 0; j < k; j++) {
      let acc = new D(0);
      for (let p = 0; p < m; p++) acc = acc.plus(weights[i * m + p].times(Y[p * k + j]));
      predictions[i * k + j] = acc;
    }
  }
  return { D, ridge, flowTime: s, ...solved, predictions, weightsL1 };
}

/** What the two decompositions hand back. */
type Solved = Pick<Run, "eigenvalues" | "weights" | "determinant" | "conditionLog10" | "singularToPrecision" | "noise">;

/** t = ∞: weights = K_x K^{-1} by LU; det and κ1 from the same factorization. */
async function inverseWeights(D: typeof Decimal, K: Decimal[], Kx: Decimal[], m: number, t: number, o: ProgressOptions): Promise<Solved> {
  const analysisWork = luAnalysisWork(m);
  const ticker = new ProgressTicker(o, analysisWork + luFactorWork(m) + luSolveWork(m, t), 1, `solve K (LU, ${D.precision} digits)`);
  const analysis = await runSteps(preciseLuAnalysisSteps(D, K, m), ticker);
  const scale = K.reduce((a, v) => D.max(a, v.abs()), new D(0));
  const noise = scale.times(m).times(new D(10).pow(1 - D.precision));
  // κ1 ≥ 10^p/m means the smallest pivot is at the rounding level: singular to this precision.
  const singularToPrecision = analysis.singular || analysis.log10Condition >= D.precision - Math.log10(m) - 1;
  if (singularToPrecision) return { eigenvalues: null, weights: [], determinant: analysis.det, conditionLog10: D.precision, singularToPrecision, noise };
  const kxT: Decimal[] = new Array(m * t);
  for (let i = 0; i < t; i++) for (let j = 0; j < m; j++) kxT[j * t + i] = Kx[i * m + j];
  const lu = await runSteps(preciseLuFactorSteps(D, K, m), ticker, analysisWork);
  const z = await runSteps(preciseLuSolveSteps(D, lu, kxT, t, K), ticker, analysisWork + luFactorWork(m));
  ticker.finish();
  const weights: Decimal[] = new Array(t * m);
  for (let i = 0; i < t; i++) for (let j = 0; j < m; j++) weights[i * m + j] = z[j * t + i];
  return { eigenvalues: null, weights, determinant: analysis.det, conditionLog10: analysis.log10Condition, singularToPrecision, noise };
}

/** Finite t: weights = K_x V diag(φ(λ)) Vᵀ by the Jacobi eigendecomposition; det = Π λ. */
async function filteredWeights(D: typeof Decimal, K: Decimal[], Kx: Decimal[], s: Decimal, m: number, t: number, o: ProgressOptions): Promise<Solved> {
  const eig = await symmetricEigenPrecise(D, K, m, o);
  const lambda = eig.values;
  const lambdaMax = D.max(lambda[0].abs(), lambda[m - 1].abs());
  const noise = lambdaMax.times(m).times(new D(10).pow(1 - D.precision));
  const smallest = lambda.reduce((a, l) => D.min(a, l.abs()), lambdaMax);
  const phi = lambda.map((l) => flowFilterPrecise(l, s));
  const phiMax = phi.reduce((a, v) => D.max(a, v.abs()), new D(0));
  const conditionLog10 = lambdaMax.isZero() || phiMax.isZero() ? 0 : log10Abs(lambdaMax.times(phiMax));
  const V = eig.vectors;
  const B: Decimal[] = new Array(t * m);
  for (let i = 0; i < t; i++) {
    for (let j = 0; j < m; j++) {
      let acc = new D(0);
      for (let p = 0; p < m; p++) acc = acc.plus(Kx[i * m + p].times(V[p * m + j]));
      B[i * m + j] = acc.times(phi[j]);
    }
  }
  const weights: Decimal[] = new Array(t * m);
  for (let i = 0; i < t; i++) {
    for (let j = 0; j < m; j++) {
      let acc = new D(0);
      for (let p = 0; p < m; p++) acc = acc.plus(B[i * m + p].times(V[j * m + p]));
      weights[i * m + j] = acc;
    }
  }
  const determinant = lambda.reduce((a, l) => a.times(l), new D(1));
  return { eigenvalues: lambda, weights, determinant, conditionLog10, singularToPrecision: smallest.lte(noise), noise };
}

function throwSingular(m: number, run: Run, why: string): never {
  throw new NtkError(
    "SINGULAR_MATRIX",
    `K (${m} × ${m}) cannot be inverted for f_∞ = K_x K^{-1} Y: ${why} (a pivot within ${run.noise.toPrecision(2)} of 0). ` +
      "Use a finite time (stays defined) or a ridge diagReg > 0.",
    { m },
  );
}

/** Entries as Decimals of class D, exactly (numbers by their binary value; the constructor does not round); NaN/∞ rejected. */
export function toDecimals(D: typeof Decimal, values: readonly DecimalLike[], width: number, what: string): Decimal[] {
  return values.map((v, i) => {
    let d: Decimal;
    try {
      d = typeof v === "number" ? new D(exactBinaryDecimal(v, what)) : new D(v);
    } catch (e) {
      if (e instanceof NtkError) throw new NtkError(e.code, `Entry (${Math.floor(i / width)}, ${i % width}) of the ${e.message}`, { index: i });
      throw new NtkError("NOT_A_NUMBER", `Entry (${Math.floor(i / width)}, ${i % width}) of the ${what} is not a number: ${String(v)}.`, { index: i });
    }
    if (!d.isFinite()) {
      throw new NtkError("NON_FINITE", `Entry (${Math.floor(i / width)}, ${i % width}) of the ${what} is ${d.toString()}; every entry must be finite.`, {
        index: i,
      });
    }
    return d;
  });
}

/** BAD_OPTION unless K is symmetric to its working precision; mirrors the upper triangle down. */
export function checkSymmetric(D: typeof Decimal, K: Decimal[], m: number): void {
  const scale = K.reduce((a, v) => D.max(a, v.abs()), new D(0));
  const tolerance = scale.times(new D(10).pow(-D.precision + 2));
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      if (
        K[i * m + j]
          .minus(K[j * m + i])
          .abs()
          .gt(tolerance)
      ) {
        throw new NtkError(
          "BAD_OPTION",
          `The training kernel K is not symmetric: K[${i}][${j}] = ${K[i * m + j].toString()} but K[${j}][${i}] = ${K[j * m + i].toString()}. Pass k(X, X) itself.`,
          { row: i, col: j },
        );
      }
      K[j * m + i] = K[i * m + j];
    }
  }
}

/**
 * The digits two runs of a prediction agree on, by the vouching rule (`precise/vouched.ts`), each
 * quantity against its natural scale: a weight against the largest weight of its row, a
 * prediction against |weights row|₁ · max|Y|, the 1-norms and det relative to themselves.
 */
function agreements(lower: Run, upper: Run, shape: PredictionShape, yMax: number, precision: number): PredictionDigitsVouched {
  const { m, testCount, k } = shape;
  let weights = precision;
  let predictions = precision;
  let weightsL1 = precision;
  for (let i = 0; i < testCount; i++) {
    const row = upper.weights.slice(i * m, (i + 1) * m);
    const rowScale = row.reduce((a, w) => Decimal.max(a, w.abs()), new upper.D(0));
    for (let j = 0; j < m; j++) weights = Math.min(weights, digitsAgreed(lower.weights[i * m + j], row[j], precision, rowScale));
    const predScale = upper.weightsL1[i].times(yMax);
    for (let j = 0; j < k; j++)
      predictions = Math.min(predictions, digitsAgreed(lower.predictions[i * k + j], upper.predictions[i * k + j], precision, predScale));
    weightsL1 = Math.min(weightsL1, digitsAgreed(lower.weightsL1[i], upper.weightsL1[i], precision));
  }
  return { predictions, weights, weightsL1, determinant: digitsAgreed(lower.determinant, upper.determinant, precision) };
}

/** log10 |x| for a nonzero Decimal of any exponent, to about 15 significant digits. */
function log10Abs(x: Decimal): number {
  const [mantissa, exponent] = x.abs().toExponential(16).split("e");
  return Math.log10(Number(mantissa)) + Number(exponent);
}
