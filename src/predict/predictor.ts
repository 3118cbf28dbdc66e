/**
 * A predictor (SPEC §6) in float64: the training kernel is factored once (Cholesky for t = ∞,
 * falling back to LU when float64 finds it not positive definite; the eigendecomposition for
 * finite t, computed on first use) and every later query `(time, test kernels)` reuses it, as
 * Neural Tangents' `gradient_descent_mse` does. Beside the mean it gives the covariance of the
 * infinite ensemble of trained networks at the test points (docs/PREDICTOR.md derives it):
 *
 * - kernel "ntk": gradient flow of the whole network from random initialization (Lee et al. 2019,
 *   "Wide neural networks of any depth evolve as linear models under gradient descent"):
 *   f_t(x) = f_0(x) + A_t (Y − f_0(X)) with A_t = Θ_x Θ^{-1}(I − e^{−sΘ}) and f_0 ~ GP(0, Σ), so
 *   Cov = Σ_** − A_t Σ_xᵀ − Σ_x A_tᵀ + A_t Σ A_tᵀ;
 * - kernel "nngp": the same with Θ replaced by Σ (only the readout layer trained), which
 *   simplifies to Cov = Σ_** − Σ_x Σ^{-1}(I − e^{−2sΣ}) Σ_xᵀ and at t = ∞ is the Bayesian
 *   posterior covariance Σ_** − Σ_x Σ^{-1} Σ_xᵀ.
 *
 * s = ηt in the "flow" convention (settings.ts). A ridge δ replaces the trained kernel by
 * (kernel + δI) inside A_t only; f_0 keeps the covariance Σ. Every output column (target) has
 * the same covariance.
 */
import { NtkError } from "../errors.js";
import { choleskyFactorEstimated } from "../linalg/cholesky.js";
import { symmetricEigenFloat64, type SymmetricEigenFloat64 } from "../linalg/eigen.js";
import { checkFiniteEntries, FLOAT64_DIGITS, luFactorFloat64, type LinalgOptions } from "../linalg/lu.js";
import { multiply, transpose } from "../linalg/dense.js";
import type { KernelName } from "../types.js";
import { complementFactor, type ComplementFactorization } from "./complementSolve.js";
import { flowFilter } from "./flowFilter.js";
import { createPrecisePredictor, type PrecisePredictor, type PrecisePredictorOptions } from "./predictorPrecise.js";
import { flowTime, resolveSettings, ridgeFor, settingsAtTime, type PredictionSettings, type ResolvedSettings } from "./settings.js";
import { type Determinant } from "../linalg/lu.js";
import { checkPredictorKernel, checkPredictorTargets } from "./shapes.js";

const UNIT_ROUNDOFF = 2 ** -53;

/** Below this many correct digits a float64 result carries a warning (the CLI's default --digits). */
export const WARN_BELOW_DIGITS = 10;

/** Options of {@link createPredictor}: the training data, as kernel matrices, and the training settings. */
export interface PredictorOptions extends Omit<PredictionSettings, "time">, LinalgOptions {
  /** Which kernel gradient flow trains with: "ntk" (Θ, the whole network) or "nngp" (Σ, the readout layer). */
  readonly kernel: KernelName;
  /** Training points m ≥ 1. */
  readonly m: number;
  /** Targets Y, m × k row-major. */
  readonly targets: ArrayLike<number>;
  /** Target columns k (default 1). */
  readonly k?: number;
  /** Σ(X, X), the NNGP kernel of the training points (m × m, symmetric): the covariance of f_0(X). */
  readonly trainNngp: ArrayLike<number>;
  /** Θ(X, X), the NTK of the training points (m × m, symmetric); required for kernel "ntk". */
  readonly trainNtk?: ArrayLike<number>;
}

/** What to compute for the test points besides the mean. */
export type CovarianceRequest = "none" | "variance" | "full";

/** One query: a time and the test points' kernels. */
export interface PredictorQuery {
  /** Training time t ≥ 0 or "inf" (default), in the predictor's time convention. */
  readonly time?: number | string;
  /** Σ(x, X), t × m row-major: always needed (the mean for "nngp", the covariance for both). */
  readonly testNngp: ArrayLike<number>;
  /**
   * 1 − k(x, X) of the trained normalized kernel, t × m, when the predictor was built with its
   * complement (internal: predictFromKernelsFloat64); then required at t = ∞.
   */
  readonly testComplement?: ArrayLike<number>;
  /** Θ(x, X), t × m row-major: required for kernel "ntk". */
  readonly testNtk?: ArrayLike<number>;
  /**
   * Σ(x, x) of the test points: t values (their variances; enough for `covariance: "variance"`) or
   * the t × t matrix Σ(x, x′) (needed for "full"). Required unless `covariance` is "none".
   */
  readonly testTestNngp?: ArrayLike<number>;
  /** Default "variance" when `testTestNngp` is given, else "none". */
  readonly covariance?: CovarianceRequest;
}

/** The answer to one query. */
export interface PredictorResult {
  readonly testCount: number;
  /** s = ηt in the flow convention; null for t = ∞ (as the precise predictor). */
  readonly flowTime: number | null;
  /**
   * How A_t was computed: "cholesky" (t = ∞, the trained kernel + δI positive definite in float64),
   * "lu" (t = ∞, it is not), "complement" (t = ∞, normalized kernel given with its complement,
   * complementSolve.ts), "eigen" (finite t).
   */
  readonly solver: "cholesky" | "lu" | "complement" | "eigen";
  /** Mean prediction E f_t(x) = A_t Y, t × k row-major. */
  readonly mean: Float64Array;
  /** The weights A_t, t × m row-major. */
  readonly weights: Float64Array;
  /** Var f_t(x) for each test point (length t), or null when not asked for. */
  readonly variance: Float64Array | null;
  /** Cov(f_t(x), f_t(x′)), t × t row-major, or null unless `covariance: "full"`. */
  readonly covariance: Float64Array | null;
  /**
   * Estimated absolute error of each variance (length t; null with `variance`): κ·m·u times the
   * sum of the magnitudes of the terms (|Σ_**| + 2|A_t||Σ_x| + |A_t||Σ||A_t|ᵀ), κ the condition
   * estimate. A variance smaller than this carries no digit; one below −(this) means the kernels
   * are inconsistent (a warning says so).
   */
  readonly varianceError: Float64Array | null;
  /**
   * The condition estimate governing A_t: κ1 of the trained kernel + δI for t = ∞ (the error
   * amplification of the complement solve with solver "complement"); max|λ|·max φ for finite t.
   */
  readonly conditionEstimate: number;
  /**
   * Significant digits of A_t and the mean, normwise: −log10(κ · max(entry error, 2⁻⁵³)), clamped to
   * [0, FLOAT64_DIGITS] (FLOAT64_DIGITS − log10 κ for kernels exact as given).
   */
  readonly digitsKept: number;
  readonly warnings: readonly string[];
}

/** A trained predictor: answers {@link PredictorQuery}s with the factorizations it keeps. */
export interface Predictor {
  readonly kernel: KernelName;
  readonly m: number;
  readonly k: number;
  /** The ridge added to the diagonal of the trained kernel (δ, or δ·trace/m). */
  readonly ridge: number;
  predict(query: PredictorQuery): Promise<PredictorResult>;
}

/**
 * Creates a float64 predictor for the training kernels and targets (see the module
 * documentation for the formulas). Validates everything once: DIMENSION_MISMATCH (sizes),
 * NON_FINITE (a NaN/±∞ entry), BAD_OPTION (kernel name, settings, a matrix that is not
 * symmetric, a missing Θ for "ntk"). Factorizations happen on the first query that needs them.
 */
export async function createPredictor(o: PredictorOptions): Promise<Predictor>;
/** With `precision` (digits, 20 … 1000): the decimal predictor of `predictorPrecise.ts`, every value vouched. */
export async function createPredictor(o: PrecisePredictorOptions): Promise<PrecisePredictor>;
export async function createPredictor(o: PredictorOptions | PrecisePredictorOptions): Promise<Predictor | PrecisePredictor> {
  if (typeof o !== "object" || o === null) {
    throw new NtkError("BAD_OPTION", `createPredictor takes an options object ({ kernel, trainKernel, targets, … }), got ${o === null ? "null" : typeof o}.`);
  }
  if ("precision" in o && o.precision !== undefined) return createPrecisePredictor(o);
  return createFloat64Predictor(o as PredictorOptions);
}

async function createFloat64Predictor(o: PredictorOptions): Promise<Predictor> {
  checkPredictorKernel(o.kernel);
  const settings = resolveSettings({ ...o, time: "inf" });
  const { m, k } = checkPredictorTargets(o);
  checkFiniteEntries(o.targets, k, "targets Y");
  const sigma = checkedSymmetric(o.trainNngp, m, "training NNGP kernel Σ(X, X)");
  if (o.kernel === "ntk" && o.trainNtk === undefined) {
    throw new NtkError("BAD_OPTION", `kernel "ntk" needs trainNtk, the NTK Θ(X, X) of the training points.`, {});
  }
  const trained = o.kernel === "ntk" ? checkedSymmetric(o.trainNtk!, m, "training NTK Θ(X, X)") : Float64Array.from(sigma);
  let trace = 0;
  for (let i = 0; i < m; i++) trace += trained[i * m + i];
  const ridge = ridgeFor(settings, trace, m);
  for (let i = 0; i < m; i++) trained[i * m + i] += ridge;
  return new Float64Predictor({
    kernel: o.kernel,
    options: o,
    settings,
    m,
    k,
    targets: Float64Array.from(o.targets),
    sigma,
    trained,
    ridge,
    complement: null,
    entryError: UNIT_ROUNDOFF,
  });
}

/** @internal What {@link Float64Predictor} is built from, validated by its caller. */
export interface CheckedPredictorInput {
  readonly kernel: KernelName;
  readonly options: LinalgOptions;
  readonly settings: ResolvedSettings;
  readonly m: number;
  readonly k: number;
  readonly targets: Float64Array;
  /** Σ(X, X) without ridge; null when no covariance will be asked for. */
  readonly sigma: Float64Array | null;
  /** The trained kernel plus δI (symmetric). */
  readonly trained: Float64Array;
  readonly ridge: number;
  /** C = 1 − K̄ of a normalized trained kernel (symmetric, without ridge), or null. */
  readonly complement: Float64Array | null;
  /** Relative error of the kernel entries (≥ 2⁻⁵³): enters digitsKept. */
  readonly entryError: number;
}

/** det and κ1 of the trained kernel + δI, from its t = ∞ factorization. */
export interface TrainedMatrixAnalysis {
  readonly determinant: Determinant;
  /** κ1 estimate (Hager/Higham); ∞ when the matrix is exactly singular in float64. */
  readonly conditionEstimate: number;
}

/** @internal A predictor from inputs its caller validated (predictFromKernelsFloat64). */
export function predictorFromChecked(input: CheckedPredictorInput): Float64Predictor {
  return new Float64Predictor(input);
}

/** The t = ∞ factorization a predictor keeps: one of Cholesky or LU of the trained kernel + δI, and the complement's LU when it was needed. */
interface DirectFactorization {
  /** Solves (trained + δI) Z = rhs for the m × t right-hand sides; null when the matrix is exactly singular. */
  readonly solve: ((rhs: Float64Array, t: number) => Promise<Float64Array>) | null;
  readonly solver: "cholesky" | "lu";
  readonly analysis: TrainedMatrixAnalysis;
  /** First column with an exactly zero LU pivot, or −1. */
  readonly zeroPivotColumn: number;
  /** The complement solve (normalized kernels given with their complement), when preferred. */
  readonly complement: ComplementFactorization | null;
}

/** The float64 predictor (see the module documentation). */
export class Float64Predictor implements Predictor {
  readonly kernel: KernelName;
  readonly m: number;
  readonly k: number;
  readonly ridge: number;
  private direct: DirectFactorization | null = null;
  private eigen: SymmetricEigenFloat64 | null = null;
  private readonly input: CheckedPredictorInput;
  private readonly sigma: Float64Array | null;

  /** @internal Use {@link createPredictor}. */
  constructor(input: CheckedPredictorInput) {
    this.input = input;
    this.kernel = input.kernel;
    this.m = input.m;
    this.k = input.k;
    this.ridge = input.ridge;
    this.sigma = input.sigma;
  }

  /** det and κ1 of the trained kernel + δI (its t = ∞ factorization, computed once, whatever the time asked). */
  async matrixAnalysis(): Promise<TrainedMatrixAnalysis> {
    return (await this.factorDirect()).analysis;
  }

  /** Eigenvalues of the trained kernel + δI, ascending, once a finite-time query has computed them; else null. */
  get eigenvalues(): Float64Array | null {
    return this.eigen?.values ?? null;
  }

  async predict(q: PredictorQuery): Promise<PredictorResult> {
    const { m } = this;
    const settings = settingsAtTime(this.input.settings, q.time);
    const sx = checkedRows(q.testNngp, m, "test NNGP kernel Σ(x, X)");
    const t = sx.length / m;
    let kx = sx;
    if (this.kernel === "ntk") {
      if (q.testNtk === undefined) throw new NtkError("BAD_OPTION", `kernel "ntk" needs testNtk, the NTK Θ(x, X) of the test points.`, {});
      kx = checkedRows(q.testNtk, m, "test NTK Θ(x, X)");
      if (kx.length !== sx.length) {
        throw new NtkError("DIMENSION_MISMATCH", `testNtk has ${kx.length / m} rows but testNngp has ${t}: both are t × m for the same test points.`, {
          ntkRows: kx.length / m,
          nngpRows: t,
        });
      }
    }
    const covariance = q.covariance ?? (q.testTestNngp !== undefined ? "variance" : "none");
    if (covariance !== "none" && covariance !== "variance" && covariance !== "full") {
      throw new NtkError("BAD_OPTION", `covariance must be "none", "variance" or "full", got ${String(covariance)}.`, { covariance: String(covariance) });
    }
    if (covariance !== "none" && this.sigma === null) {
      throw new NtkError("BAD_OPTION", `A covariance needs trainNngp, the NNGP kernel Σ(X, X) of the training points.`, {});
    }
    const self = covariance === "none" ? null : checkedSelf(q.testTestNngp, t, covariance === "full");
    return this.answer(q, settings, sx, kx, t, covariance, self);
  }

  /**
   * {@link predict} for a query its caller built from checked kernels (finite entries, t × m, and
   * Σ(x, x′) with a covariance that the predictor can give) at resolved `settings`: checks nothing.
   */
  predictChecked(q: PredictorQuery, settings: ResolvedSettings): Promise<PredictorResult> {
    const sx = Float64Array.from(q.testNngp);
    const kx = this.kernel === "ntk" ? Float64Array.from(q.testNtk!) : sx;
    const covariance = q.covariance ?? (q.testTestNngp !== undefined ? "variance" : "none");
    return this.answer(q, settings, sx, kx, sx.length / this.m, covariance, covariance === "none" ? null : Float64Array.from(q.testTestNngp!));
  }

  /** The query, checked: test kernels `sx` (Σ) and `kx` (the trained kernel's), `t` rows; Σ(x, x′) in `self`. */
  private async answer(
    q: PredictorQuery,
    settings: ResolvedSettings,
    sx: Float64Array,
    kx: Float64Array,
    t: number,
    covariance: CovarianceRequest,
    self: Float64Array | null,
  ): Promise<PredictorResult> {
    const { m, k } = this;
    const s = flowTime(settings, m, k);
    const warnings: string[] = [];
    const withRidge = this.ridge > 0 ? " + δI" : "";

    let weights: Float64Array;
    let solver: PredictorResult["solver"];
    let kappa: number;
    /** ψ(λ) with Cov = Σ_** − B diag(ψ) Bᵀ, B = Σ_x V (kernel "nngp", finite t). */
    let eigenPsi: Float64Array | null = null;
    if (settings.infinite) {
      const d = await this.factorDirect();
      if (d.complement !== null) {
        if (q.testComplement === undefined || q.testComplement.length !== t * m) {
          throw new NtkError(
            "DIMENSION_MISMATCH",
            `The test complement 1 − k(x, X) must be t × m = ${t} × ${m} values, like the test kernel, got ${String(q.testComplement?.length)}.`,
            {
              m,
              t,
            },
          );
        }
        const c = await d.complement.solve(q.testComplement, t);
        weights = c.weights;
        kappa = c.conditionEstimate;
        solver = "complement";
      } else {
        if (d.solve === null) {
          throw new NtkError(
            "SINGULAR_MATRIX",
            `K${withRidge} (${m} × ${m}) is exactly singular in float64 (LU pivot of column ${d.zeroPivotColumn} is 0), so f_∞ = K_x K^{-1} Y does not exist. ` +
              "Use a finite time (stays defined), a ridge diagReg > 0, or the high-precision path.",
            { column: d.zeroPivotColumn, m },
          );
        }
        weights = transpose(await d.solve(transpose(kx, t, m), t), m, t);
        kappa = d.analysis.conditionEstimate;
        solver = d.solver;
      }
    } else {
      const eig = await this.factorEigen();
      const phi = Float64Array.from(eig.values, (lambda) => flowFilter(lambda, s));
      const bad = phi.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        throw new NtkError(
          "NON_FINITE",
          `K${withRidge} has the negative eigenvalue λ = ${eig.values[bad]} and e^{s|λ|} overflows float64 at s = ηt = ${s}: the matrix is not positive semi-definite to float64 accuracy. Use a shorter time, a ridge, or the high-precision path.`,
          { eigenvalue: eig.values[bad], flowTime: s },
        );
      }
      const b = multiply(kx, eig.vectors, t, m, m);
      for (let i = 0; i < t; i++) for (let j = 0; j < m; j++) b[i * m + j] *= phi[j];
      weights = multiply(b, transpose(eig.vectors, m, m), t, m, m);
      const lambdaMax = Math.max(Math.abs(eig.values[0]), Math.abs(eig.values[m - 1]));
      // At least 1: at tiny s the weights are s·K_x to first order, each with its own rounding only.
      kappa = Math.max(1, lambdaMax * phi.reduce((a, v) => Math.max(a, Math.abs(v)), 0));
      solver = "eigen";
      const noise = 8 * m * UNIT_ROUNDOFF * lambdaMax;
      if (eig.values[0] < -noise) {
        warnings.push(
          `K${withRidge} has a negative eigenvalue λ = ${eig.values[0].toPrecision(3)}, beyond float64 round-off (${noise.toPrecision(2)}): it is not positive semi-definite, and e^{−sλ} grows instead of decaying along that direction.`,
        );
      }
      if (this.kernel === "nngp") eigenPsi = Float64Array.from(eig.values, (lambda, j) => flowFilter(lambda, 2 * s) + this.ridge * phi[j] * phi[j]);
    }
    const entryError = Math.max(this.input.entryError, UNIT_ROUNDOFF);
    const conditioned = Math.min(FLOAT64_DIGITS, Math.max(0, -Math.log10(kappa * entryError)));
    const mean = multiply(weights, this.input.targets, t, m, k);
    // Weights and predictions at tiny times are tiny too: below 2^−1022 float64 holds fewer digits.
    const range = s === 0 ? null : smallestRange(weights, this.input.targets, t, m);
    const digitsKept = Math.min(conditioned, range?.digits ?? FLOAT64_DIGITS);
    if (conditioned < WARN_BELOW_DIGITS) {
      warnings.push(
        `${settings.infinite ? "K" : "The flow filter of K"}${withRidge} has condition estimate ${kappa.toPrecision(3)}${entryError > UNIT_ROUNDOFF ? ` and its entries relative error ${entryError.toPrecision(2)}` : ""}: the float64 weights and predictions keep about ${Math.floor(conditioned)} significant digits` +
          `${conditioned < 1 ? " (none can be trusted)" : ""}. Use the high-precision path (precision "auto") for more.`,
      );
    }
    if (range !== null && range.digits < conditioned) warnings.push(rangeWarning(range, s));
    if (self === null)
      return {
        testCount: t,
        flowTime: Number.isFinite(s) ? s : null,
        solver,
        mean,
        weights,
        variance: null,
        covariance: null,
        varianceError: null,
        conditionEstimate: kappa,
        digitsKept,
        warnings,
      };

    const full = covariance === "full";
    const cov = this.ensembleCovariance(weights, sx, self, t, full, eigenPsi);
    const variance = new Float64Array(t);
    for (let i = 0; i < t; i++) variance[i] = full ? cov[i * t + i] : cov[i];
    const varianceError = this.varianceErrors(weights, sx, self, t, kappa);
    const negative = variance.findIndex((v, i) => v < -varianceError[i]);
    if (negative >= 0) {
      warnings.push(
        `The variance at test point ${negative} is ${variance[negative].toPrecision(3)}, below minus its error estimate ${varianceError[negative].toPrecision(2)}: Σ and the trained kernel are not consistent (not positive semi-definite together).`,
      );
    }
    return {
      testCount: t,
      flowTime: Number.isFinite(s) ? s : null,
      solver,
      mean,
      weights,
      variance,
      covariance: full ? cov : null,
      varianceError,
      conditionEstimate: kappa,
      digitsKept,
      warnings,
    };
  }

  /**
   * Cov = Σ_** − A Σ_xᵀ − Σ_x Aᵀ + A Σ Aᵀ (t × t, or only its diagonal when `full` is false);
   * for "nngp" at finite t the equal Σ_** − B diag(ψ) Bᵀ, which has no cancellation between terms.
   */
  private ensembleCovariance(a: Float64Array, sx: Float64Array, self: Float64Array, t: number, full: boolean, psi: Float64Array | null): Float64Array {
    const m = this.m;
    const selfAt = (i: number, j: number) => (self.length === t * t ? self[i * t + j] : self[i]);
    const out = new Float64Array(full ? t * t : t);
    // The upper triangle, mirrored: the covariance is exactly symmetric.
    const put = (o: Float64Array, i: number, j: number, v: number) => {
      if (!full) o[i] = v;
      else o[i * t + j] = o[j * t + i] = v;
    };
    if (psi !== null) {
      const b = multiply(sx, this.eigen!.vectors, t, m, m);
      for (let i = 0; i < t; i++) {
        for (let j = i; j < (full ? t : i + 1); j++) {
          let sum = 0;
          for (let p = 0; p < m; p++) sum += b[i * m + p] * psi[p] * b[j * m + p];
          put(out, i, j, selfAt(i, j) - sum);
        }
      }
      return out;
    }
    const aSigma = multiply(a, this.sigma!, t, m, m);
    for (let i = 0; i < t; i++) {
      for (let j = i; j < (full ? t : i + 1); j++) {
        let sum = 0;
        for (let p = 0; p < m; p++) sum += (aSigma[i * m + p] - sx[i * m + p]) * a[j * m + p] - a[i * m + p] * sx[j * m + p];
        put(out, i, j, selfAt(i, j) + sum);
      }
    }
    return out;
  }

  /** κ·m·u·(|Σ_ii| + 2 Σ_p |A_ip Σx_ip| + Σ_pq |A_ip| |Σ_pq| |A_iq|) for each test point i. */
  private varianceErrors(a: Float64Array, sx: Float64Array, self: Float64Array, t: number, kappa: number): Float64Array {
    const m = this.m;
    const out = new Float64Array(t);
    for (let i = 0; i < t; i++) {
      let mag = Math.abs(self.length === t * t ? self[i * t + i] : self[i]);
      for (let p = 0; p < m; p++) {
        const aip = Math.abs(a[i * m + p]);
        mag += 2 * aip * Math.abs(sx[i * m + p]);
        for (let q = 0; q < m; q++) mag += aip * Math.abs(this.sigma![p * m + q]) * Math.abs(a[i * m + q]);
      }
      out[i] = Math.max(1, kappa) * m * UNIT_ROUNDOFF * mag;
    }
    return out;
  }

  /**
   * The t = ∞ factorization, once: Cholesky of the trained kernel + δI, or its LU when float64 finds
   * it not positive definite (an exactly singular LU is kept: det 0, and t = ∞ queries throw). With
   * a complement C = 1 − K̄, the LU of C − δI instead when every off-diagonal entry of C is below
   * 1/2 (K̄ near the matrix of ones, whose rounding to float64 already costs digits); the other
   * matrix is factored too only when the first one leaves fewer than WARN_BELOW_DIGITS digits, and
   * the one with the smaller condition estimate is kept.
   */
  private async factorDirect(): Promise<DirectFactorization> {
    if (this.direct !== null) return this.direct;
    const { m, ridge, complement, options } = this.input;
    const enough = (kappa: number) => FLOAT64_DIGITS - Math.log10(kappa) >= WARN_BELOW_DIGITS;
    let viaComplement: ComplementFactorization | null = null;
    if (complement !== null && nearOnes(complement, m)) viaComplement = await complementFactor(complement, ridge, m, options);
    // Before any test row, κ1(C − δI) stands for the complement solve's amplification (which adds
    // the cancellations measured per query).
    const kernel = viaComplement !== null && enough(viaComplement.conditionEstimate) ? null : await this.factorKernel();
    if (kernel !== null && complement !== null && viaComplement === null && !enough(kernel.analysis.conditionEstimate)) {
      viaComplement = await complementFactor(complement, ridge, m, options);
    }
    const useComplement = viaComplement !== null && (kernel === null || viaComplement.conditionEstimate < kernel.analysis.conditionEstimate);
    const analysis = kernel?.analysis ?? { determinant: viaComplement!.determinant, conditionEstimate: viaComplement!.kernelConditionEstimate() };
    this.direct = {
      solve: kernel?.solve ?? null,
      solver: kernel?.solver ?? "lu",
      zeroPivotColumn: kernel?.zeroPivotColumn ?? -1,
      // det by the determinant lemma when the complement carries the digits K̄ has lost.
      analysis: useComplement ? { ...analysis, determinant: viaComplement!.determinant } : analysis,
      complement: useComplement ? viaComplement : null,
    };
    return this.direct;
  }

  /** Cholesky of the trained kernel + δI, or LU when it is not positive definite in float64. */
  private async factorKernel(): Promise<Omit<DirectFactorization, "complement">> {
    const { m, trained, options } = this.input;
    try {
      // Off the diagonal the trained kernel's entries are finite (checked, or so by construction); on it the ridge was added since.
      let finite = true;
      for (let i = 0; i < m; i++) finite &&= Number.isFinite(trained[i * m + i]);
      const chol = await choleskyFactorEstimated(trained, m, options, !finite);
      return {
        solve: (rhs, t) => chol.solveAsync(rhs, t),
        solver: "cholesky",
        analysis: { determinant: chol.determinant(), conditionEstimate: chol.conditionEstimate() },
        zeroPivotColumn: -1,
      };
    } catch (e) {
      if (!(e instanceof NtkError && e.code === "NOT_POSITIVE_DEFINITE")) throw e;
    }
    const lu = await luFactorFloat64(trained, m, options);
    return {
      solve: lu.singular ? null : (rhs, t) => lu.solveAsync(rhs, t),
      solver: "lu",
      analysis: { determinant: lu.determinant(), conditionEstimate: lu.conditionEstimate() },
      zeroPivotColumn: lu.zeroPivotColumn,
    };
  }

  private async factorEigen(): Promise<SymmetricEigenFloat64> {
    this.eigen ??= await symmetricEigenFloat64(this.input.trained, this.m, this.input.options);
    return this.eigen;
  }
}

/** Smallest positive normal float64, 2^−1022: below it a value keeps fewer than 53 bits. */
const MIN_NORMAL = 2 ** -1022;

/** Significant digits float64 holds at magnitude x: FLOAT64_DIGITS for normal numbers, fewer for subnormals (whose last bit is 2^−1074), 0 at 0. */
export function digitsAtMagnitude(x: number): number {
  if (x >= MIN_NORMAL) return FLOAT64_DIGITS;
  return x > 0 ? Math.min(FLOAT64_DIGITS, Math.max(0, Math.log10(x / 2 ** -1074))) : 0;
}

/** The test point whose weight row or prediction scale (|w|₁·max|Y|) is smallest, and the digits float64 holds there. */
interface RangeLimit {
  readonly point: number;
  /** max|w_ij| over the row, or |w|₁·max|Y| when that is the smaller. */
  readonly magnitude: number;
  readonly what: "weights" | "predictions";
  readonly digits: number;
}

function smallestRange(weights: Float64Array, targets: Float64Array, t: number, m: number): RangeLimit | null {
  let maxY = 0;
  for (const y of targets) maxY = Math.max(maxY, Math.abs(y));
  let worst: RangeLimit | null = null;
  for (let i = 0; i < t; i++) {
    let maxW = 0;
    let l1 = 0;
    for (let j = 0; j < m; j++) {
      maxW = Math.max(maxW, Math.abs(weights[i * m + j]));
      l1 += Math.abs(weights[i * m + j]);
    }
    const candidates: [number, RangeLimit["what"]][] = [[maxW, "weights"]];
    if (maxY > 0) candidates.push([l1 * maxY, "predictions"]);
    for (const [magnitude, what] of candidates) {
      const digits = digitsAtMagnitude(magnitude);
      if (digits < (worst?.digits ?? FLOAT64_DIGITS)) worst = { point: i, magnitude, what, digits };
    }
  }
  return worst;
}

/** The warning for weights or predictions below the normal float64 range, saying what is printed. */
function rangeWarning(r: RangeLimit, s: number): string {
  const where = `At time ηt = ${s}, test point ${r.point}'s ${r.what}`;
  const advice = "Use a longer time, a precision, or (for a raw kernel at depth) the normalized kernel.";
  if (r.magnitude === 0) return `${where} are below the float64 range: they are printed as 0 and no digit of them is kept. ${advice}`;
  const kept =
    r.digits < 1
      ? "no digit of the weights and predictions is kept (the values printed are rounding noise)"
      : `the weights and predictions keep about ${Math.floor(r.digits)} significant digits (those printed beyond are noise)`;
  return `${where} are of order ${r.magnitude.toPrecision(2)}, below the normal float64 range (2.2e-308), where float64 holds fewer digits: ${kept}. ${advice}`;
}

/** True when every off-diagonal entry of the complement C = 1 − K̄ is below 1/2 (every K̄ entry above 1/2). */
function nearOnes(complement: Float64Array, m: number): boolean {
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j && !(complement[i * m + j] < 0.5)) return false;
  return true;
}

/** A copy of the m × m matrix `a` after checking shape, finiteness and symmetry (BAD_OPTION naming `what`). */
function checkedSymmetric(a: ArrayLike<number> | undefined, m: number, what: string): Float64Array {
  if (a === undefined || a === null || typeof a.length !== "number" || a.length !== m * m) {
    throw new NtkError("DIMENSION_MISMATCH", `The ${what} must be m × m = ${m} × ${m} values (row-major), got ${String(a?.length)}.`, { m });
  }
  checkFiniteEntries(a, m, what);
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
  const out = Float64Array.from(a);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      if (Math.abs(a[i * m + j] - a[j * m + i]) > 1e-12 * scale) {
        throw new NtkError("BAD_OPTION", `The ${what} is not symmetric: entry [${i}][${j}] = ${a[i * m + j]} but [${j}][${i}] = ${a[j * m + i]}.`, {
          row: i,
          col: j,
        });
      }
      out[j * m + i] = a[i * m + j];
    }
  }
  return out;
}

/** A copy of the t × m matrix `a` (t ≥ 1 inferred), checked for shape and finiteness. */
function checkedRows(a: ArrayLike<number> | undefined, m: number, what: string): Float64Array {
  if (a === undefined || a === null || typeof a.length !== "number" || a.length < m || a.length % m !== 0) {
    throw new NtkError("DIMENSION_MISMATCH", `The ${what} must have m = ${m} columns and at least one row (row-major), got ${String(a?.length)} entries.`, {
      m,
    });
  }
  checkFiniteEntries(a, m, what);
  return Float64Array.from(a);
}

/** Σ(x, x) as t values or a t × t matrix (required when `full`). */
function checkedSelf(a: ArrayLike<number> | undefined, t: number, full: boolean): Float64Array {
  const ok = a !== undefined && a !== null && typeof a.length === "number" && (a.length === t * t || (!full && a.length === t));
  if (!ok) {
    throw new NtkError(
      "DIMENSION_MISMATCH",
      `The covariance needs testTestNngp, Σ(x, x′) of the ${t} test points: ${full ? `the t × t = ${t * t} values` : `their ${t} variances or the t × t matrix`}, got ${String(a?.length)}.`,
      { t },
    );
  }
  checkFiniteEntries(a, a.length === t ? 1 : t, "test NNGP kernel Σ(x, x′)");
  return Float64Array.from(a);
}
