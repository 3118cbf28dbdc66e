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
import { choleskyFactor, type CholeskyFactorization } from "../linalg/cholesky.js";
import { symmetricEigenFloat64, type SymmetricEigenFloat64 } from "../linalg/eigen.js";
import { checkFiniteEntries, FLOAT64_DIGITS, luFactorFloat64, type LinalgOptions, type LuFactorizationFloat64 } from "../linalg/lu.js";
import { multiply, transpose } from "../linalg/dense.js";
import type { KernelName } from "../types.js";
import { flowFilter } from "./flowFilter.js";
import { flowTime, resolveSettings, ridgeFor, type PredictionSettings, type ResolvedSettings } from "./settings.js";

const UNIT_ROUNDOFF = 2 ** -53;

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
  /** s = ηt in the flow convention (∞ for t = ∞). */
  readonly flowTime: number;
  /** How A_t was computed: "cholesky" or "lu" (t = ∞), "eigen" (finite t). */
  readonly solver: "cholesky" | "lu" | "eigen";
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
  /** The condition estimate governing A_t (κ1 of the trained kernel + δI for t = ∞; max|λ|·max φ for finite t). */
  readonly conditionEstimate: number;
  /** Significant digits of A_t and the mean, normwise: FLOAT64_DIGITS − log10 κ, clamped to [0, FLOAT64_DIGITS]. */
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
export async function createPredictor(o: PredictorOptions): Promise<Predictor> {
  if (o.kernel !== "ntk" && o.kernel !== "nngp") {
    throw new NtkError("BAD_OPTION", `kernel must be "ntk" or "nngp", got ${String(o.kernel)}.`, { kernel: String(o.kernel) });
  }
  const settings = resolveSettings({ ...o, time: "inf" });
  const m = o.m;
  const k = o.k ?? 1;
  if (!Number.isInteger(m) || m < 1) throw new NtkError("DIMENSION_MISMATCH", `m must be a positive integer, got ${String(m)}.`, { m: String(m) });
  if (!Number.isInteger(k) || k < 1 || o.targets?.length !== m * k) {
    throw new NtkError("DIMENSION_MISMATCH", `The targets Y must be m × k = ${m} × ${String(k)} values (row-major), got ${String(o.targets?.length)}.`, {
      m,
      k: String(k),
    });
  }
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
  return new Float64Predictor(o.kernel, o, settings, m, k, Float64Array.from(o.targets), sigma, trained, ridge);
}

class Float64Predictor implements Predictor {
  private direct: { chol: CholeskyFactorization | null; lu: LuFactorizationFloat64 | null; kappa: number } | null = null;
  private eigen: SymmetricEigenFloat64 | null = null;

  constructor(
    readonly kernel: KernelName,
    private readonly options: LinalgOptions,
    private readonly settings: ResolvedSettings,
    readonly m: number,
    readonly k: number,
    private readonly targets: Float64Array,
    /** Σ(X, X) without ridge. */
    private readonly sigma: Float64Array,
    /** The trained kernel plus δI. */
    private readonly trained: Float64Array,
    readonly ridge: number,
  ) {}

  async predict(q: PredictorQuery): Promise<PredictorResult> {
    const { m, k } = this;
    const settings = resolveSettings({ ...this.settings, time: q.time ?? "inf" });
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
    const self = covariance === "none" ? null : checkedSelf(q.testTestNngp, t, covariance === "full");
    const s = flowTime(settings, m, k);
    const warnings: string[] = [];

    let weights: Float64Array;
    let solver: PredictorResult["solver"];
    let kappa: number;
    /** ψ(λ) with Cov = Σ_** − B diag(ψ) Bᵀ, B = Σ_x V (kernel "nngp", finite t). */
    let eigenPsi: Float64Array | null = null;
    if (settings.infinite) {
      const d = await this.factorDirect();
      kappa = d.kappa;
      const rhs = transpose(kx, t, m);
      weights = transpose(d.chol ? d.chol.solve(rhs, t) : d.lu!.solve(rhs, t), m, t);
      solver = d.chol ? "cholesky" : "lu";
    } else {
      const eig = await this.factorEigen();
      const phi = Float64Array.from(eig.values, (lambda) => flowFilter(lambda, s));
      const bad = phi.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        throw new NtkError(
          "NON_FINITE",
          `The trained kernel has the negative eigenvalue λ = ${eig.values[bad]} and e^{s|λ|} overflows float64 at s = ηt = ${s}. Use a shorter time, a ridge, or the high-precision path.`,
          { eigenvalue: eig.values[bad], flowTime: s },
        );
      }
      const b = multiply(kx, eig.vectors, t, m, m);
      const scaled = Float64Array.from(b, (v, idx) => v * phi[idx % m]);
      weights = multiply(scaled, transpose(eig.vectors, m, m), t, m, m);
      const lambdaMax = Math.max(Math.abs(eig.values[0]), Math.abs(eig.values[m - 1]));
      kappa = lambdaMax * phi.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
      solver = "eigen";
      if (this.kernel === "nngp") eigenPsi = Float64Array.from(eig.values, (lambda, j) => flowFilter(lambda, 2 * s) + this.ridge * phi[j] * phi[j]);
    }
    const digitsKept = Math.min(FLOAT64_DIGITS, Math.max(0, -Math.log10(kappa * UNIT_ROUNDOFF)));
    if (digitsKept < 10) {
      warnings.push(
        `The trained kernel${this.ridge > 0 ? " + δI" : ""} has condition estimate ${kappa.toPrecision(2)}: A_t and the mean keep about ${Math.floor(digitsKept)} significant digits.`,
      );
    }
    const mean = multiply(weights, this.targets, t, m, k);
    if (self === null)
      return {
        testCount: t,
        flowTime: s,
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
      flowTime: s,
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
    const aSigma = multiply(a, this.sigma, t, m, m);
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
        for (let q = 0; q < m; q++) mag += aip * Math.abs(this.sigma[p * m + q]) * Math.abs(a[i * m + q]);
      }
      out[i] = Math.max(1, kappa) * m * UNIT_ROUNDOFF * mag;
    }
    return out;
  }

  /** Cholesky of the trained kernel + δI, or LU when float64 finds it not positive definite. */
  private async factorDirect(): Promise<{ chol: CholeskyFactorization | null; lu: LuFactorizationFloat64 | null; kappa: number }> {
    if (this.direct !== null) return this.direct;
    const m = this.m;
    // κ1 from the LU's Hager/Higham estimate either way: Cholesky has none of its own here.
    const lu = await luFactorFloat64(this.trained, m, this.options);
    if (lu.singular) {
      throw new NtkError(
        "SINGULAR_MATRIX",
        `The trained kernel${this.ridge > 0 ? " + δI" : ""} (${m} × ${m}) is exactly singular in float64, so the t = ∞ prediction does not exist. Use a finite time, a ridge diagReg > 0, or the high-precision path.`,
        { m },
      );
    }
    let chol: CholeskyFactorization | null = null;
    try {
      chol = await choleskyFactor(this.trained, m, this.options);
    } catch (e) {
      if (!(e instanceof NtkError && e.code === "NOT_POSITIVE_DEFINITE")) throw e;
    }
    this.direct = { chol, lu: chol ? null : lu, kappa: lu.conditionEstimate() };
    return this.direct;
  }

  private async factorEigen(): Promise<SymmetricEigenFloat64> {
    this.eigen ??= await symmetricEigenFloat64(this.trained, this.m, this.options);
    return this.eigen;
  }
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
