/**
 * The predictor of `predictor.ts` (SPEC §6, docs/PREDICTOR.md) at any precision in decimal.js:
 * the training kernel is factored once per working precision (Cholesky at t = ∞, falling back to
 * LU when it is not positive definite at that precision; the Jacobi eigendecomposition at finite
 * t, linalg/preciseEigen.ts) and every query `(time, test kernels)` reuses the factors. Beside the
 * mean it gives the variance and covariance of the infinite ensemble of trained networks with the
 * formulas of `predictor.ts`: Cov = Σ_** − A Σ_xᵀ − Σ_x Aᵀ + A Σ Aᵀ, and for "nngp" at finite t
 * Σ_** − B diag(φ_2s(λ) + δ φ_s(λ)²) Bᵀ with B = Σ_x V.
 *
 * Digits: every value of a query is vouched by the rule of `precise/vouched.ts`: the query runs at
 * P + 10 + ⌈log10(m + 1)⌉ digits and 6 digits higher (each on factors of its own precision, cached),
 * and each value carries the significant digits on which the two runs agree, minus one, at most
 * P. Both runs are repeated once with more guard digits when a value falls short of P against its
 * natural scale (a weight against its row's largest, a mean against |A row|₁ · max|Y|, a
 * covariance against |Σ_**| + 2|A||Σ_x| + |A||Σ||A|ᵀ, the sum its terms cancel from), so that a
 * variance that is 0 in exact arithmetic (a test point on a training point) does not ask for digits
 * it cannot have: it is reported with the few significant digits it has, often none.
 * Kernel entries are taken as exact (decimal text exactly, numbers by their binary value).
 * `matrixAnalysis` gives det and the condition estimate of the trained kernel + δI from the same
 * cached factors, vouched by the same rule: this is the one high-precision prediction path
 * (`predictFromKernelsPrecise` and `predict` with a precision are views of it).
 */
import { Decimal } from "decimal.js";
import { NtkError } from "../errors.js";
import { multiplyPrecise } from "../linalg/dense.js";
import { describeValue } from "../argumentTypes.js";
import { choleskyFactorWork, preciseCholeskyFactorSteps, preciseCholeskySolve, type PreciseCholesky } from "../linalg/preciseCholesky.js";
import { symmetricEigenPrecise, type SymmetricEigenPrecise } from "../linalg/preciseEigen.js";
import {
  identicalRowsChecked,
  preciseDeterminant,
  luFactorWork,
  luSolvePrecise,
  preciseLuFactorSteps,
  norm1Precise,
  type LuFactorsPrecise,
} from "../linalg/preciseLu.js";
import { exactBinaryDecimal } from "../decimalText.js";
import { checkPrecision, MAX_PRECISION } from "../precise/precision.js";
import { digitsAgreed, VOUCH_EXTRA_DIGITS, VOUCH_RETRY_MARGIN, vouchedByText, vouchTwice, vouchValue, type Vouched } from "../precise/vouched.js";
import { ProgressTicker, runSteps, type ProgressOptions } from "../progress.js";
import type { KernelName } from "../types.js";
import { flowFilterPrecise } from "./flowFilter.js";
import type { CovarianceRequest } from "./predictor.js";
import { flowTimePrecise, resolveSettings, settingsAtTime, type PredictionSettings, type ResolvedSettings } from "./settings.js";
import { checkPredictorKernel, checkPredictorTargets } from "./shapes.js";

/** A matrix entry as given: a Decimal, decimal text (exact), or a number (its exact binary value). */
export type DecimalLike = Decimal | string | number;

/**
 * Guard digits of the first lower run beyond P + ⌈log10(m + 1)⌉: room for a moderately
 * conditioned solve (κ up to about 10^4) to be vouched without a retry.
 */
export const PREDICTION_GUARD_DIGITS = 10;

/** Options of the high-precision predictor: those of `createPredictor` with decimal entries and `precision`. */
export interface PrecisePredictorOptions extends Omit<PredictionSettings, "time">, ProgressOptions {
  /** Which kernel gradient flow trains with: "ntk" (Θ) or "nngp" (Σ, the readout layer). */
  readonly kernel: KernelName;
  /** Significant digits wanted in every value, 20 … 1000 (BAD_PRECISION otherwise). */
  readonly precision: number;
  /** Training points m ≥ 1. */
  readonly m: number;
  /** Target columns k (default 1). */
  readonly k?: number;
  /** Targets Y, m × k row-major. */
  readonly targets: ArrayLike<DecimalLike>;
  /** Σ(X, X), m × m, symmetric. */
  readonly trainNngp: ArrayLike<DecimalLike>;
  /** Θ(X, X), m × m, symmetric; required for kernel "ntk". */
  readonly trainNtk?: ArrayLike<DecimalLike>;
}

/** One query, as {@link PredictorQuery} of the float64 predictor, with decimal entries. */
export interface PrecisePredictorQuery {
  /** Training time t ≥ 0 or "inf" (default), in the predictor's time convention; decimal text is read exactly. */
  readonly time?: number | string;
  /** Σ(x, X), t × m row-major. */
  readonly testNngp: ArrayLike<DecimalLike>;
  /** Θ(x, X), t × m row-major: required for kernel "ntk". */
  readonly testNtk?: ArrayLike<DecimalLike>;
  /** Σ(x, x): t variances, or the t × t matrix (needed for "full"). */
  readonly testTestNngp?: ArrayLike<DecimalLike>;
  /** Default "variance" when `testTestNngp` is given, else "none". */
  readonly covariance?: CovarianceRequest;
}

/** The answer to one query; every value with the significant digits it vouches for. */
export interface PrecisePredictorResult {
  readonly testCount: number;
  /** s = ηt in the flow convention; null for t = ∞. */
  readonly flowTime: Decimal | null;
  /** How A_t was computed (in the upper run): "cholesky" or "lu" (t = ∞), "eigen" (finite t). */
  readonly solver: "cholesky" | "lu" | "eigen";
  /** E f_t(x) = A_t Y, t × k row-major. */
  readonly mean: readonly Vouched<Decimal>[];
  /** A_t, t × m row-major. */
  readonly weights: readonly Vouched<Decimal>[];
  /** |A_t row|₁ per test point: how much an error in Y can move the mean. */
  readonly weightsL1: readonly Vouched<Decimal>[];
  /**
   * The least digits of each group counted against its natural scale, as the retry counts them
   * (normwise): a weight against its row's largest, a mean against |A row|₁ · max|Y|. Unlike the
   * significant digits of each value, a weight near 0 beside large ones does not pull these down.
   */
  readonly scaledDigits: { readonly weights: number; readonly mean: number; readonly weightsL1: number };
  /** Var f_t(x) per test point, or null when not asked for. */
  readonly variance: readonly Vouched<Decimal>[] | null;
  /** Cov(f_t(x), f_t(x′)), t × t row-major, or null unless "full". */
  readonly covariance: readonly Vouched<Decimal>[] | null;
  /** Significant digits asked for. */
  readonly precision: number;
  /** Digits of the lower and upper runs (the upper is returned). */
  readonly workingPrecisions: readonly [number, number];
  readonly vouchedBy: string;
  readonly warnings: readonly string[];
}

/**
 * det and condition of the factored trained kernel + δI at one time, from the factors the queries
 * at that time use (vouched by the same rule; see {@link PrecisePredictor.matrixAnalysis}).
 */
export interface PreciseTrainedMatrixAnalysis {
  /** s = ηt in the flow convention; null for t = ∞. */
  readonly flowTime: Decimal | null;
  /** The factorization: "cholesky" or "lu" (t = ∞), "eigen" (finite t). */
  readonly solver: "cholesky" | "lu" | "eigen";
  /** The ridge added to the diagonal (δ, or δ·trace/m). */
  readonly ridge: Decimal;
  /** det(K + δI): Π L_ii² (Cholesky), the signed product of the LU pivots, or Π λ (eigen). */
  readonly determinant: Vouched<Decimal>;
  /** log10 |det(K + δI)| (−∞ when det is 0). */
  readonly log10AbsDet: number;
  /** Eigenvalues of K + δI, ascending (finite t; null for t = ∞). */
  readonly eigenvalues: Decimal[] | null;
  /** κ1(K + δI) = ‖K + δI‖₁‖(K + δI)^{-1}‖₁ from the inverse (t = ∞); κ_t = max|λ| · max|φ_s(λ)| (finite t). About two significant digits. */
  readonly conditionEstimate: number;
  /**
   * True when K + δI is singular to the working precision (finite t: an eigenvalue within
   * `noise` of 0; det's digits are then not vouched). At t = ∞ this is SINGULAR_MATRIX instead.
   */
  readonly singularToPrecision: boolean;
  /** The size of an eigenvalue or pivot indistinguishable from 0 at the working precision. */
  readonly noise: Decimal;
  /** Digits of the lower and upper runs (the upper is returned). */
  readonly workingPrecisions: readonly [number, number];
  readonly vouchedBy: string;
}

/** A high-precision predictor: factors cached per working precision. */
export interface PrecisePredictor {
  readonly kernel: KernelName;
  readonly m: number;
  readonly k: number;
  readonly precision: number;
  predict(query: PrecisePredictorQuery): Promise<PrecisePredictorResult>;
  /**
   * det and condition of the trained kernel + δI as factored for queries at `time` (default "inf").
   * At t = ∞ a matrix singular to the working precision (κ1 ≥ 10^p / (10 m), or a zero pivot)
   * after the retry throws SINGULAR_MATRIX; at finite t it is reported (`singularToPrecision`).
   */
  matrixAnalysis(time?: number | string): Promise<PreciseTrainedMatrixAnalysis>;
}

/**
 * Creates a high-precision predictor. Validates once: BAD_PRECISION, BAD_OPTION (kernel, settings,
 * a missing Θ for "ntk", a kernel that is not symmetric), DIMENSION_MISMATCH, NOT_A_NUMBER and
 * NON_FINITE (entries). Queries throw SINGULAR_MATRIX (t = ∞ with an exactly singular K + δI at
 * the working precision), NO_CONVERGENCE (Jacobi), ABORTED, and the shape errors of their kernels.
 */
export function createPrecisePredictor(o: PrecisePredictorOptions): PrecisePredictor {
  checkPredictorKernel(o.kernel);
  const precision = checkPrecision(o.precision);
  const settings = resolveSettings({ ...o, time: "inf" });
  const { m, k } = checkPredictorTargets(o);
  if (o.kernel === "ntk" && o.trainNtk === undefined) {
    throw new NtkError("BAD_OPTION", `kernel "ntk" needs trainNtk, the NTK Θ(X, X) of the training points.`, {});
  }
  const predictor = new DecimalPredictor(o, precision, m, k, settings, false);
  predictor.inputs(precision + PREDICTION_GUARD_DIGITS);
  return predictor;
}

/** A high-precision predictor whose queries and analyses take resolved settings and checked kernels. */
export interface CheckedPrecisePredictor {
  /** {@link PrecisePredictor.predict} for a query of `t` test rows already checked (shapes, entries): checks nothing. */
  predictChecked(q: PrecisePredictorQuery, settings: ResolvedSettings, t: number, request: CovarianceRequest): Promise<PrecisePredictorResult>;
  /** {@link PrecisePredictor.matrixAnalysis} at resolved settings. */
  analysis(settings: ResolvedSettings): Promise<PreciseTrainedMatrixAnalysis>;
}

/**
 * A predictor on resolved `settings` (t = ∞; queries give theirs) and the shapes m, k checked,
 * for the layers below the public entries. `entriesChecked`: the kernels are m × m, symmetric,
 * and every entry finite (as a Gram matrix's are), so nothing is checked, at creation or in the
 * queries, and each working precision only reads the entries; otherwise the entries are checked
 * once, now, as {@link createPrecisePredictor} checks them.
 */
export function precisePredictorOf(
  o: PrecisePredictorOptions,
  m: number,
  k: number,
  settings: ResolvedSettings,
  entriesChecked: boolean,
): CheckedPrecisePredictor {
  const predictor = new DecimalPredictor(o, o.precision, m, k, settings, entriesChecked);
  if (!entriesChecked) predictor.inputs(o.precision + PREDICTION_GUARD_DIGITS);
  return predictor;
}

/** The training side at one working precision. */
interface Inputs {
  readonly D: typeof Decimal;
  readonly Y: Decimal[];
  /** Σ(X, X) without ridge. */
  readonly sigma: Decimal[];
  /** The trained kernel plus δI. */
  readonly trained: Decimal[];
  readonly ridge: Decimal;
}

/** The factorization of each solver, in words. */
const SOLVER_WORDS = { cholesky: "Cholesky", lu: "LU with partial pivoting", eigen: "Jacobi eigendecomposition" } as const;

/** One run of {@link PrecisePredictor.matrixAnalysis} at one working precision. */
interface AnalysisRun {
  readonly solver: PreciseTrainedMatrixAnalysis["solver"];
  readonly flowTime: Decimal | null;
  readonly ridge: Decimal;
  readonly determinant: Decimal;
  readonly eigenvalues: Decimal[] | null;
  readonly conditionLog10: number;
  readonly singular: boolean;
  readonly noise: Decimal;
}

/** One run of a query at one working precision. */
interface QueryRun {
  readonly solver: PrecisePredictorResult["solver"];
  readonly flowTime: Decimal | null;
  readonly weights: Decimal[];
  readonly mean: Decimal[];
  readonly weightsL1: Decimal[];
  /** t = ∞ and an LU pivot is exactly 0 at this precision: no values. */
  readonly singular: boolean;
  readonly cov: Decimal[] | null;
  /** The scales of the retry count (see the module note). */
  readonly meanScale: Decimal[];
  readonly weightScale: Decimal[];
  readonly covScale: Decimal[] | null;
}

class DecimalPredictor implements PrecisePredictor, CheckedPrecisePredictor {
  readonly kernel: KernelName;
  private readonly cache = new Map<number, Inputs>();
  private readonly direct = new Map<number, { chol: PreciseCholesky | null; lu: LuFactorsPrecise | null }>();
  /** log10 κ1 of the trained kernel + δI per working precision (from its inverse). */
  private readonly conditionLog10 = new Map<number, number>();
  private readonly eigen = new Map<number, SymmetricEigenPrecise>();

  constructor(
    private readonly o: PrecisePredictorOptions,
    readonly precision: number,
    readonly m: number,
    readonly k: number,
    /** The settings at t = ∞ (queries set their own time). */
    private readonly settings: ResolvedSettings,
    /** Whether the training entries, shapes and symmetry are known good: then only the first {@link inputs} would check them. */
    private validated: boolean,
  ) {
    this.kernel = o.kernel;
  }

  /** The training kernels, targets and ridge at `digits` (validated on first use only). */
  inputs(digits: number): Inputs {
    const hit = this.cache.get(digits);
    if (hit) return hit;
    const { m, k, o } = this;
    const D = Decimal.clone({ precision: digits, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });
    const check = !this.validated;
    const convert = check ? toDecimals : decimalsOf;
    const Y = convert(D, Array.from(o.targets), k, "targets Y");
    const sigma = convert(D, Array.from(o.trainNngp), m, "training NNGP kernel Σ(X, X)");
    if (check) {
      checkShape(sigma.length, m * m, "training NNGP kernel Σ(X, X)", m);
      checkSymmetric(D, sigma, m);
    }
    let trained = sigma.slice();
    if (this.kernel === "ntk") {
      trained = convert(D, Array.from(o.trainNtk!), m, "training NTK Θ(X, X)");
      if (check) {
        checkShape(trained.length, m * m, "training NTK Θ(X, X)", m);
        checkSymmetric(D, trained, m);
      }
    }
    this.validated = true;
    const settings = this.settings;
    let trace = new D(0);
    for (let i = 0; i < m; i++) trace = trace.plus(trained[i * m + i]);
    const ridge = settings.diagRegScale === "mean-diagonal" ? new D(settings.exact.diagReg).times(trace).div(m) : new D(settings.exact.diagReg);
    for (let i = 0; i < m; i++) trained[i * m + i] = trained[i * m + i].plus(ridge);
    const inputs = { D, Y, sigma, trained, ridge };
    this.cache.set(digits, inputs);
    return inputs;
  }

  async predict(q: PrecisePredictorQuery): Promise<PrecisePredictorResult> {
    const { m } = this;
    const settings = settingsAtTime(this.settings, q.time);
    const t = rowsOf(q.testNngp, m, "test NNGP kernel Σ(x, X)");
    if (this.kernel === "ntk") {
      if (q.testNtk === undefined) throw new NtkError("BAD_OPTION", `kernel "ntk" needs testNtk, the NTK Θ(x, X) of the test points.`, {});
      if (rowsOf(q.testNtk, m, "test NTK Θ(x, X)") !== t) {
        throw new NtkError("DIMENSION_MISMATCH", `testNtk has ${q.testNtk.length / m} rows but testNngp has ${t}: both are t × m for the same test points.`, {
          ntkRows: q.testNtk.length / m,
          nngpRows: t,
        });
      }
    }
    const request = q.covariance ?? (q.testTestNngp !== undefined ? "variance" : "none");
    if (request !== "none" && request !== "variance" && request !== "full") {
      throw new NtkError("BAD_OPTION", `covariance must be "none", "variance" or "full", got ${String(request)}.`, { covariance: String(request) });
    }
    if (request !== "none") {
      const n = q.testTestNngp?.length;
      if (n === undefined || !(n === t * t || (request === "variance" && n === t))) {
        throw new NtkError(
          "DIMENSION_MISMATCH",
          `The covariance needs testTestNngp, Σ(x, x′) of the ${t} test points: ${request === "full" ? `the t × t = ${t * t} values` : `their ${t} variances or the t × t matrix`}, got ${String(n)}.`,
          { t },
        );
      }
    }
    return this.answer(q, settings, t, request, toDecimals);
  }

  predictChecked(q: PrecisePredictorQuery, settings: ResolvedSettings, t: number, request: CovarianceRequest): Promise<PrecisePredictorResult> {
    return this.answer(q, settings, t, request, decimalsOf);
  }

  /** The query, checked; `convert` reads its test kernels at each working precision. */
  private async answer(
    q: PrecisePredictorQuery,
    settings: ResolvedSettings,
    t: number,
    request: CovarianceRequest,
    convert: ToDecimals,
  ): Promise<PrecisePredictorResult> {
    const { m, precision } = this;
    const runs = await vouchTwice<QueryRun>({
      precision,
      lowerDigits: precision + PREDICTION_GUARD_DIGITS + Math.ceil(Math.log10(m + 1)),
      run: async (lowerDigits, upperDigits) => ({
        lower: await this.run(lowerDigits, q, settings, t, request, convert),
        upper: await this.run(upperDigits, q, settings, t, request, convert),
      }),
      count: (l, u) => {
        if (l.singular || u.singular) return 0;
        const d = scaledDigits(l, u, precision);
        return Math.min(d.weights, d.mean, d.weightsL1, u.cov === null ? precision : leastAgreed(l.cov!, u.cov, precision, u.covScale!));
      },
    });
    const { lower: l, upper: u } = runs;
    for (const [r, digits] of [
      [l, runs.lowerDigits],
      [u, runs.upperDigits],
    ] as const) {
      if (r.singular) {
        const rows = identicalRowsChecked(this.inputs(digits).trained, m);
        throw new NtkError(
          "SINGULAR_MATRIX",
          `The trained kernel (${m} × ${m}) is singular to ${digits} digits (exactly: a zero pivot${rows ? `; rows ${rows.first + 1} and ${rows.second + 1} are identical` : ""}), so the t = ∞ prediction does not exist. Use a finite time or a ridge diagReg > 0.`,
          { m },
        );
      }
    }
    const vouchedBy = vouchedByText(
      `the predictor's query (${SOLVER_WORDS[u.solver]} of the trained kernel, each run on factors of its own precision)`,
      runs,
      precision,
    );
    const vouch = (a: Decimal[], b: Decimal[]): Vouched<Decimal>[] => b.map((x, i) => vouchValue(a[i], x, runs, precision, vouchedBy));
    const cov = u.cov === null ? null : vouch(l.cov!, u.cov);
    const variance = cov === null ? null : request === "full" ? Array.from({ length: t }, (_, i) => cov[i * t + i]) : cov;
    const warnings: string[] = [];
    const negative = variance?.findIndex((v) => v.value.isNeg() && v.digits >= 1) ?? -1;
    if (negative >= 0) {
      warnings.push(
        `The variance at test point ${negative} is ${variance![negative].value.toSignificantDigits(3).toString()} (its sign vouched): Σ and the trained kernel are not consistent (not positive semi-definite together).`,
      );
    }
    const short = [...vouch(l.mean, u.mean), ...(variance ?? [])].filter((v) => v.digits < precision).length;
    if (short > 0) {
      warnings.push(
        `${short} of the means and variances vouch fewer than the ${precision} significant digits asked for (values that cancel to near 0, such as the variance at a training point, keep only the digits the two runs agree on).`,
      );
    }
    return {
      testCount: t,
      flowTime: u.flowTime,
      solver: u.solver,
      mean: vouch(l.mean, u.mean),
      weights: vouch(l.weights, u.weights),
      weightsL1: vouch(l.weightsL1, u.weightsL1),
      scaledDigits: scaledDigits(l, u, precision),
      variance,
      covariance: request === "full" ? cov : null,
      precision,
      workingPrecisions: [runs.lowerDigits, runs.upperDigits],
      vouchedBy,
      warnings,
    };
  }

  async matrixAnalysis(time: number | string = "inf"): Promise<PreciseTrainedMatrixAnalysis> {
    return this.analysis(settingsAtTime(this.settings, time));
  }

  async analysis(settings: ResolvedSettings): Promise<PreciseTrainedMatrixAnalysis> {
    const { m, precision } = this;
    const logM = Math.ceil(Math.log10(m + 1));
    // A matrix singular to the working precision matters only to t = ∞; finite times are defined regardless.
    const fatal = (r: AnalysisRun) => settings.infinite && r.singular;
    const runs = await vouchTwice<AnalysisRun>({
      precision,
      lowerDigits: precision + PREDICTION_GUARD_DIGITS + logM,
      maxUpperDigits: MAX_PRECISION + 3 * PREDICTION_GUARD_DIGITS + VOUCH_EXTRA_DIGITS,
      run: async (lowerDigits, upperDigits) => ({ lower: await this.analyzeAt(lowerDigits, settings), upper: await this.analyzeAt(upperDigits, settings) }),
      // Only what more digits can improve: det of a matrix singular to the working precision is not counted.
      count: (l, u) => (fatal(l) || fatal(u) ? 0 : u.singular ? precision : digitsAgreed(l.determinant, u.determinant, precision)),
      // The factorization loses about log10 κ digits: guard for that, or at least the shortfall.
      retryDigits: ({ lowerDigits, upper, digits }) =>
        Math.max(precision + Math.ceil(Math.max(0, upper.conditionLog10)) + logM + 5, lowerDigits + (precision - digits) + VOUCH_RETRY_MARGIN),
    });
    const { lower: l, upper: u } = runs;
    for (const [r, digits] of [
      [l, runs.lowerDigits],
      [u, runs.upperDigits],
    ] as const) {
      if (fatal(r)) {
        throw new NtkError(
          "SINGULAR_MATRIX",
          `The trained kernel (${m} × ${m}) cannot be inverted for f_∞ = K_x K^{-1} Y: it is singular to ${digits} digits (a pivot within ${r.noise.toPrecision(2)} of 0). ` +
            "Use a finite time (stays defined) or a ridge diagReg > 0.",
          { m },
        );
      }
    }
    const vouchedBy = vouchedByText(`det of the trained kernel (${SOLVER_WORDS[u.solver]}, the factors of the queries)`, runs, precision);
    const determinant = vouchValue(l.determinant, u.determinant, runs, precision, vouchedBy, 0, u.singular ? 0 : Infinity);
    return {
      flowTime: u.flowTime,
      solver: u.solver,
      ridge: u.ridge,
      determinant,
      log10AbsDet: u.determinant.isZero() ? -Infinity : log10Abs(u.determinant),
      eigenvalues: u.eigenvalues,
      conditionEstimate: 10 ** u.conditionLog10,
      singularToPrecision: u.singular,
      noise: u.noise,
      workingPrecisions: [runs.lowerDigits, runs.upperDigits],
      vouchedBy,
    };
  }

  /** det, κ and singularity of the trained kernel + δI at `digits`, from the factors of that precision. */
  private async analyzeAt(digits: number, settings: ResolvedSettings): Promise<AnalysisRun> {
    const { m } = this;
    const { D, trained, ridge } = this.inputs(digits);
    const s = flowTimePrecise(settings, m, this.k, D);
    const eps = new D(10).pow(1 - digits);
    if (s === null) {
      const f = await this.factorDirect(digits, D, trained);
      const scale = trained.reduce((a, v) => D.max(a, v.abs()), new D(0));
      const noise = scale.times(m).times(eps);
      if (f.lu !== null && f.lu.zeroPivotColumn >= 0) {
        return { solver: "lu", flowTime: null, ridge, determinant: new D(0), eigenvalues: null, conditionLog10: digits, singular: true, noise };
      }
      let determinant: Decimal;
      if (f.chol) {
        let root = new D(1);
        for (let j = 0; j < m; j++) root = root.times(f.chol.lower[j * m + j]);
        determinant = root.times(root);
      } else determinant = preciseDeterminant(D, f.lu!).det;
      let conditionLog10 = this.conditionLog10.get(digits);
      if (conditionLog10 === undefined) {
        // ‖(K + δI)^{-1}‖₁ column by column (m² multiply-adds each), so that progress and Ctrl-C reach inside.
        const ticker = new ProgressTicker(this.o, m, 1, `condition of the trained kernel (inverse, ${digits} digits)`);
        let inverseNorm = new D(0);
        for (let j = 0; j < m; j++) {
          const e = Array.from({ length: m }, (_, i) => new D(i === j ? 1 : 0));
          const column = f.chol ? preciseCholeskySolve(D, f.chol, e, 1) : luSolvePrecise(D, f.lu!, e, 1, trained);
          inverseNorm = D.max(
            inverseNorm,
            column.reduce((a, v) => a.plus(v.abs()), new D(0)),
          );
          const pause = ticker.tick(j + 1);
          if (pause) await pause;
        }
        ticker.finish();
        conditionLog10 = log10Abs(norm1Precise(D, trained, m).times(inverseNorm));
        this.conditionLog10.set(digits, conditionLog10);
      }
      // κ1 ≥ 10^p/(10 m): the smallest pivot is at the rounding level, singular to this precision.
      const singular = conditionLog10 >= digits - Math.log10(m) - 1;
      return { solver: f.chol ? "cholesky" : "lu", flowTime: null, ridge, determinant, eigenvalues: null, conditionLog10, singular, noise };
    }
    const eig = await this.factorEigen(digits, D, trained);
    const lambda = eig.values;
    const lambdaMax = D.max(lambda[0].abs(), lambda[m - 1].abs());
    const noise = lambdaMax.times(m).times(eps);
    const smallest = lambda.reduce((a, v) => D.min(a, v.abs()), lambdaMax);
    const phiMax = lambda.reduce((a, v) => D.max(a, flowFilterPrecise(v, s).abs()), new D(0));
    const conditionLog10 = lambdaMax.isZero() || phiMax.isZero() ? 0 : log10Abs(lambdaMax.times(phiMax));
    const determinant = lambda.reduce((a, v) => a.times(v), new D(1));
    return { solver: "eigen", flowTime: s, ridge, determinant, eigenvalues: lambda, conditionLog10, singular: smallest.lte(noise), noise };
  }

  /** The query at `digits`, on the factors of that precision. */
  private async run(
    digits: number,
    q: PrecisePredictorQuery,
    settings: ResolvedSettings,
    t: number,
    request: CovarianceRequest,
    convert: ToDecimals,
  ): Promise<QueryRun> {
    const { m, k } = this;
    const { D, Y, sigma, trained, ridge } = this.inputs(digits);
    const sx = convert(D, Array.from(q.testNngp), m, "test NNGP kernel Σ(x, X)");
    const kx = this.kernel === "ntk" ? convert(D, Array.from(q.testNtk!), m, "test NTK Θ(x, X)") : sx;
    const s = flowTimePrecise(settings, m, k, D);
    let weights: Decimal[];
    let solver: QueryRun["solver"];
    /** ψ with Cov = Σ_** − B diag(ψ) Bᵀ, B = Σ_x V (kernel "nngp", finite t). */
    let psi: Decimal[] | null = null;
    let eig: SymmetricEigenPrecise | null = null;
    if (s === null) {
      const f = await this.factorDirect(digits, D, trained);
      if (f.lu !== null && f.lu.zeroPivotColumn >= 0) {
        return {
          solver: "lu",
          flowTime: null,
          singular: true,
          weights: [],
          mean: [],
          weightsL1: [],
          cov: null,
          meanScale: [],
          weightScale: [],
          covScale: null,
        };
      }
      const rhs = transposeOf(kx, t, m);
      weights = transposeOf(f.chol ? preciseCholeskySolve(D, f.chol, rhs, t) : luSolvePrecise(D, f.lu!, rhs, t, trained), m, t);
      solver = f.chol ? "cholesky" : "lu";
    } else {
      eig = await this.factorEigen(digits, D, trained);
      const phi = eig.values.map((lambda) => flowFilterPrecise(lambda, s));
      const b = multiplyPrecise(D, kx, eig.vectors, t, m, m);
      const scaled = b.map((v, idx) => v.times(phi[idx % m]));
      weights = multiplyPrecise(D, scaled, transposeOf(eig.vectors, m, m), t, m, m);
      solver = "eigen";
      if (this.kernel === "nngp") psi = eig.values.map((lambda, j) => flowFilterPrecise(lambda, s.times(2)).plus(ridge.times(phi[j]).times(phi[j])));
    }
    const mean = multiplyPrecise(D, weights, Y, t, m, k);
    const yMax = Y.reduce((a, y) => D.max(a, y.abs()), new D(0));
    const l1 = Array.from({ length: t }, (_, i) => weights.slice(i * m, (i + 1) * m).reduce((a, w) => a.plus(w.abs()), new D(0)));
    const rowMax = Array.from({ length: t }, (_, i) => weights.slice(i * m, (i + 1) * m).reduce((a, w) => D.max(a, w.abs()), new D(0)));
    const base = {
      solver,
      flowTime: s,
      weights,
      mean,
      weightsL1: l1,
      singular: false,
      meanScale: mean.map((_, i) => l1[Math.floor(i / k)].times(yMax)),
      weightScale: weights.map((_, i) => rowMax[Math.floor(i / m)]),
    };
    if (request === "none") return { ...base, cov: null, covScale: null };
    const selfRaw = convert(D, Array.from(q.testTestNngp!), q.testTestNngp!.length === t ? 1 : t, "test NNGP kernel Σ(x, x′)");
    const self = (i: number, j: number) => (selfRaw.length === t * t ? selfRaw[i * t + j] : selfRaw[i]);
    const full = request === "full";
    const pairs: [number, number][] = [];
    for (let i = 0; i < t; i++) for (let j = full ? 0 : i; j < (full ? t : i + 1); j++) pairs.push([i, j]);
    const aSigma = multiplyPrecise(D, weights, sigma, t, m, m);
    const bMat = psi === null ? null : multiplyPrecise(D, sx, eig!.vectors, t, m, m);
    const cov: Decimal[] = [];
    const covScale: Decimal[] = [];
    for (const [i, j] of pairs) {
      let sum = new D(0);
      let mag = self(i, j).abs();
      for (let p = 0; p < m; p++) {
        const aip = weights[i * m + p];
        const ajp = weights[j * m + p];
        mag = mag.plus(aip.times(sx[j * m + p]).abs()).plus(ajp.times(sx[i * m + p]).abs());
        for (let r = 0; r < m; r++)
          mag = mag.plus(
            aip
              .times(sigma[p * m + r])
              .times(weights[j * m + r])
              .abs(),
          );
        if (bMat !== null) sum = sum.minus(bMat[i * m + p].times(psi![p]).times(bMat[j * m + p]));
        else sum = sum.plus(aSigma[i * m + p].minus(sx[i * m + p]).times(ajp)).minus(aip.times(sx[j * m + p]));
      }
      cov.push(self(i, j).plus(sum));
      covScale.push(mag);
    }
    return { ...base, cov, covScale };
  }

  /**
   * Cholesky of the trained kernel + δI at `digits`, or LU when that finds it not positive
   * definite; an exactly zero LU pivot is kept (the caller retries at more digits, where the
   * rounding that made it may not recur, and throws if it stays).
   */
  private async factorDirect(digits: number, D: typeof Decimal, trained: Decimal[]): Promise<{ chol: PreciseCholesky | null; lu: LuFactorsPrecise | null }> {
    const hit = this.direct.get(digits);
    if (hit) return hit;
    const m = this.m;
    const cholWork = choleskyFactorWork(m);
    const ticker = new ProgressTicker(this.o, cholWork, 1, `factor the trained kernel (Cholesky, ${digits} digits)`);
    const chol = await runSteps(preciseCholeskyFactorSteps(D, trained, m), ticker);
    ticker.finish();
    let lu: LuFactorsPrecise | null = null;
    if (chol === null) {
      const luTicker = new ProgressTicker(this.o, luFactorWork(m), 1, `factor the trained kernel (LU, ${digits} digits)`);
      lu = await runSteps(preciseLuFactorSteps(D, trained, m), luTicker);
      luTicker.finish();
    }
    const f = { chol, lu };
    this.direct.set(digits, f);
    return f;
  }

  private async factorEigen(digits: number, D: typeof Decimal, trained: Decimal[]): Promise<SymmetricEigenPrecise> {
    const hit = this.eigen.get(digits);
    if (hit) return hit;
    const e = await symmetricEigenPrecise(D, trained, this.m, this.o);
    this.eigen.set(digits, e);
    return e;
  }
}

function checkShape(length: number, expected: number, what: string, m: number): void {
  if (length !== expected) throw new NtkError("DIMENSION_MISMATCH", `The ${what} must be m × m = ${m} × ${m} values (row-major), got ${length}.`, { m });
}

/** Rows t ≥ 1 of a t × m matrix given row-major (DIMENSION_MISMATCH otherwise). */
function rowsOf(a: ArrayLike<DecimalLike> | undefined, m: number, what: string): number {
  if (a === undefined || a === null || typeof a.length !== "number" || a.length < m || a.length % m !== 0) {
    throw new NtkError("DIMENSION_MISMATCH", `The ${what} must have m = ${m} columns and at least one row (row-major), got ${String(a?.length)} entries.`, {
      m,
    });
  }
  return a.length / m;
}

/** The transpose of a row-major r × c matrix. */
function transposeOf<T>(a: readonly T[], r: number, c: number): T[] {
  const out: T[] = new Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j];
  return out;
}

/** The least digits on which two runs agree over `b`, each value against its scale (none: relative to itself). */
function leastAgreed(a: readonly Decimal[], b: readonly Decimal[], precision: number, scale?: readonly Decimal[]): number {
  let least = precision;
  b.forEach((x, i) => (least = Math.min(least, digitsAgreed(a[i], x, precision, scale?.[i] ?? 0))));
  return least;
}

/** {@link PrecisePredictorResult.scaledDigits} of two runs. */
function scaledDigits(l: QueryRun, u: QueryRun, precision: number): PrecisePredictorResult["scaledDigits"] {
  return {
    weights: leastAgreed(l.weights, u.weights, precision, u.weightScale),
    mean: leastAgreed(l.mean, u.mean, precision, u.meanScale),
    weightsL1: leastAgreed(l.weightsL1, u.weightsL1, precision),
  };
}

/** How entries are read at a working precision: {@link toDecimals} (checked) or {@link decimalsOf}. */
type ToDecimals = (D: typeof Decimal, values: readonly DecimalLike[], width: number, what: string) => Decimal[];

/** {@link toDecimals} for entries already checked: the same exact values, nothing checked. */
function decimalsOf(D: typeof Decimal, values: readonly DecimalLike[]): Decimal[] {
  return values.map((v) => (typeof v === "number" ? new D(exactBinaryDecimal(v, "entry")) : new D(v)));
}

/** Entries as Decimals of class D, exactly (numbers by their binary value; the constructor does not round); NaN/∞ rejected. */
export function toDecimals(D: typeof Decimal, values: readonly DecimalLike[], width: number, what: string): Decimal[] {
  return values.map((v, i) => {
    let d: Decimal;
    try {
      d = typeof v === "number" ? new D(exactBinaryDecimal(v, what)) : new D(v);
    } catch (e) {
      if (e instanceof NtkError) throw new NtkError(e.code, `Entry (${Math.floor(i / width)}, ${i % width}) of the ${e.message}`, { index: i });
      throw new NtkError("NOT_A_NUMBER", `Entry (${Math.floor(i / width)}, ${i % width}) of the ${what} is not a number: ${describeValue(v)}.`, { index: i });
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
function checkSymmetric(D: typeof Decimal, K: Decimal[], m: number): void {
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

/** log10 |x| for a nonzero Decimal of any exponent, to about 15 significant digits. */
function log10Abs(x: Decimal): number {
  const [mantissa, exponent] = x.abs().toExponential(16).split("e");
  return Math.log10(Number(mantissa)) + Number(exponent);
}
