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
 */
import { Decimal } from "decimal.js";
import { NtkError } from "../errors.js";
import { preciseCholeskyFactor, preciseCholeskySolve, type PreciseCholesky } from "../linalg/preciseCholesky.js";
import { symmetricEigenPrecise, type SymmetricEigenPrecise } from "../linalg/preciseEigen.js";
import { findIdenticalRows, luFactorPrecise, luSolvePrecise, type LuFactorsPrecise } from "../linalg/preciseLu.js";
import { checkPrecision } from "../precise/precision.js";
import { digitsAgreed, vouchedByText, vouchTwice, vouchValue, type Vouched } from "../precise/vouched.js";
import type { ProgressOptions } from "../progress.js";
import type { KernelName } from "../types.js";
import { flowFilterPrecise } from "./flowFilter.js";
import { checkSymmetric, PREDICTION_GUARD_DIGITS, toDecimals, type DecimalLike } from "./precise.js";
import type { CovarianceRequest } from "./predictor.js";
import { flowTimePrecise, resolveSettings, type PredictionSettings } from "./settings.js";

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

/** A high-precision predictor: factors cached per working precision. */
export interface PrecisePredictor {
  readonly kernel: KernelName;
  readonly m: number;
  readonly k: number;
  readonly precision: number;
  predict(query: PrecisePredictorQuery): Promise<PrecisePredictorResult>;
}

/**
 * Creates a high-precision predictor. Validates once: BAD_PRECISION, BAD_OPTION (kernel, settings,
 * a missing Θ for "ntk", a kernel that is not symmetric), DIMENSION_MISMATCH, NOT_A_NUMBER and
 * NON_FINITE (entries). Queries throw SINGULAR_MATRIX (t = ∞ with an exactly singular K + δI at
 * the working precision), NO_CONVERGENCE (Jacobi), ABORTED, and the shape errors of their kernels.
 */
export function createPrecisePredictor(o: PrecisePredictorOptions): PrecisePredictor {
  if (o.kernel !== "ntk" && o.kernel !== "nngp") {
    throw new NtkError("BAD_OPTION", `kernel must be "ntk" or "nngp", got ${String(o.kernel)}.`, { kernel: String(o.kernel) });
  }
  const precision = checkPrecision(o.precision);
  resolveSettings({ ...o, time: "inf" });
  const m = o.m;
  const k = o.k ?? 1;
  if (!Number.isInteger(m) || m < 1) throw new NtkError("DIMENSION_MISMATCH", `m must be a positive integer, got ${String(m)}.`, { m: String(m) });
  if (!Number.isInteger(k) || k < 1 || o.targets?.length !== m * k) {
    throw new NtkError("DIMENSION_MISMATCH", `The targets Y must be m × k = ${m} × ${String(k)} values (row-major), got ${String(o.targets?.length)}.`, {
      m,
      k: String(k),
    });
  }
  if (o.kernel === "ntk" && o.trainNtk === undefined) {
    throw new NtkError("BAD_OPTION", `kernel "ntk" needs trainNtk, the NTK Θ(X, X) of the training points.`, {});
  }
  const predictor = new DecimalPredictor(o, precision, m, k);
  predictor.inputs(precision + PREDICTION_GUARD_DIGITS);
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

/** One run of a query at one working precision. */
interface QueryRun {
  readonly solver: PrecisePredictorResult["solver"];
  readonly flowTime: Decimal | null;
  readonly weights: Decimal[];
  readonly mean: Decimal[];
  readonly cov: Decimal[] | null;
  /** The scales of the retry count (see the module note). */
  readonly meanScale: Decimal[];
  readonly weightScale: Decimal[];
  readonly covScale: Decimal[] | null;
}

class DecimalPredictor implements PrecisePredictor {
  readonly kernel: KernelName;
  private readonly cache = new Map<number, Inputs>();
  private readonly direct = new Map<number, { chol: PreciseCholesky | null; lu: LuFactorsPrecise | null }>();
  private readonly eigen = new Map<number, SymmetricEigenPrecise>();

  constructor(
    private readonly o: PrecisePredictorOptions,
    readonly precision: number,
    readonly m: number,
    readonly k: number,
  ) {
    this.kernel = o.kernel;
  }

  /** The training kernels, targets and ridge at `digits` (validated on first use). */
  inputs(digits: number): Inputs {
    const hit = this.cache.get(digits);
    if (hit) return hit;
    const { m, k, o } = this;
    const D = Decimal.clone({ precision: digits, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });
    const Y = toDecimals(D, Array.from(o.targets), k, "targets Y");
    const sigma = toDecimals(D, Array.from(o.trainNngp), m, "training NNGP kernel Σ(X, X)");
    checkShape(sigma.length, m * m, "training NNGP kernel Σ(X, X)", m);
    checkSymmetric(D, sigma, m);
    let trained = sigma.slice();
    if (this.kernel === "ntk") {
      trained = toDecimals(D, Array.from(o.trainNtk!), m, "training NTK Θ(X, X)");
      checkShape(trained.length, m * m, "training NTK Θ(X, X)", m);
      checkSymmetric(D, trained, m);
    }
    const settings = resolveSettings({ ...o, time: "inf" });
    let trace = new D(0);
    for (let i = 0; i < m; i++) trace = trace.plus(trained[i * m + i]);
    const ridge = settings.diagRegScale === "mean-diagonal" ? new D(settings.exact.diagReg).times(trace).div(m) : new D(settings.exact.diagReg);
    for (let i = 0; i < m; i++) trained[i * m + i] = trained[i * m + i].plus(ridge);
    const inputs = { D, Y, sigma, trained, ridge };
    this.cache.set(digits, inputs);
    return inputs;
  }

  async predict(q: PrecisePredictorQuery): Promise<PrecisePredictorResult> {
    const { m, precision } = this;
    const settings = resolveSettings({ ...this.o, time: q.time ?? "inf" });
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
    const runs = await vouchTwice<QueryRun>({
      precision,
      lowerDigits: precision + PREDICTION_GUARD_DIGITS + Math.ceil(Math.log10(m + 1)),
      run: async (lowerDigits, upperDigits) => ({
        lower: await this.run(lowerDigits, q, settings, t, request),
        upper: await this.run(upperDigits, q, settings, t, request),
      }),
      count: (l, u) => {
        let least = precision;
        const scaled = (a: Decimal[], b: Decimal[], s: Decimal[]) => b.forEach((x, i) => (least = Math.min(least, digitsAgreed(a[i], x, precision, s[i]))));
        scaled(l.weights, u.weights, u.weightScale);
        scaled(l.mean, u.mean, u.meanScale);
        if (u.cov !== null) scaled(l.cov!, u.cov, u.covScale!);
        return least;
      },
    });
    const { lower: l, upper: u } = runs;
    const vouchedBy = vouchedByText(
      `the predictor's query (${u.solver === "eigen" ? "Jacobi eigendecomposition" : u.solver === "cholesky" ? "Cholesky" : "LU with partial pivoting"} of the trained kernel, each run on factors of its own precision)`,
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
      variance,
      covariance: request === "full" ? cov : null,
      precision,
      workingPrecisions: [runs.lowerDigits, runs.upperDigits],
      vouchedBy,
      warnings,
    };
  }

  /** The query at `digits`, on the factors of that precision. */
  private async run(
    digits: number,
    q: PrecisePredictorQuery,
    settings: ReturnType<typeof resolveSettings>,
    t: number,
    request: CovarianceRequest,
  ): Promise<QueryRun> {
    const { m, k } = this;
    const { D, Y, sigma, trained, ridge } = this.inputs(digits);
    const sx = toDecimals(D, Array.from(q.testNngp), m, "test NNGP kernel Σ(x, X)");
    const kx = this.kernel === "ntk" ? toDecimals(D, Array.from(q.testNtk!), m, "test NTK Θ(x, X)") : sx;
    const s = flowTimePrecise(settings, m, k, D);
    let weights: Decimal[];
    let solver: QueryRun["solver"];
    /** ψ with Cov = Σ_** − B diag(ψ) Bᵀ, B = Σ_x V (kernel "nngp", finite t). */
    let psi: Decimal[] | null = null;
    let eig: SymmetricEigenPrecise | null = null;
    if (s === null) {
      const f = this.factorDirect(digits, D, trained);
      const rhs = transposeOf(kx, t, m);
      weights = transposeOf(f.chol ? preciseCholeskySolve(D, f.chol, rhs, t) : luSolvePrecise(D, f.lu!, rhs, t, trained), m, t);
      solver = f.chol ? "cholesky" : "lu";
    } else {
      eig = await this.factorEigen(digits, D, trained);
      const phi = eig.values.map((lambda) => flowFilterPrecise(lambda, s));
      const b = product(D, kx, eig.vectors, t, m, m);
      const scaled = b.map((v, idx) => v.times(phi[idx % m]));
      weights = product(D, scaled, transposeOf(eig.vectors, m, m), t, m, m);
      solver = "eigen";
      if (this.kernel === "nngp") psi = eig.values.map((lambda, j) => flowFilterPrecise(lambda, s.times(2)).plus(ridge.times(phi[j]).times(phi[j])));
    }
    const mean = product(D, weights, Y, t, m, k);
    const yMax = Y.reduce((a, y) => D.max(a, y.abs()), new D(0));
    const l1 = Array.from({ length: t }, (_, i) => weights.slice(i * m, (i + 1) * m).reduce((a, w) => a.plus(w.abs()), new D(0)));
    const rowMax = Array.from({ length: t }, (_, i) => weights.slice(i * m, (i + 1) * m).reduce((a, w) => D.max(a, w.abs()), new D(0)));
    const base = {
      solver,
      flowTime: s,
      weights,
      mean,
      meanScale: mean.map((_, i) => l1[Math.floor(i / k)].times(yMax)),
      weightScale: weights.map((_, i) => rowMax[Math.floor(i / m)]),
    };
    if (request === "none") return { ...base, cov: null, covScale: null };
    const selfRaw = toDecimals(D, Array.from(q.testTestNngp!), q.testTestNngp!.length === t ? 1 : t, "test NNGP kernel Σ(x, x′)");
    const self = (i: number, j: number) => (selfRaw.length === t * t ? selfRaw[i * t + j] : selfRaw[i]);
    const full = request === "full";
    const pairs: [number, number][] = [];
    for (let i = 0; i < t; i++) for (let j = full ? 0 : i; j < (full ? t : i + 1); j++) pairs.push([i, j]);
    const aSigma = product(D, weights, sigma, t, m, m);
    const bMat = psi === null ? null : product(D, sx, eig!.vectors, t, m, m);
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

  /** Cholesky of the trained kernel + δI at `digits`, or LU when that finds it not positive definite. */
  private factorDirect(digits: number, D: typeof Decimal, trained: Decimal[]): { chol: PreciseCholesky | null; lu: LuFactorsPrecise | null } {
    const hit = this.direct.get(digits);
    if (hit) return hit;
    const m = this.m;
    const chol = preciseCholeskyFactor(D, trained, m);
    let lu: LuFactorsPrecise | null = null;
    if (chol === null) {
      lu = luFactorPrecise(D, trained, m);
      if (lu.zeroPivotColumn >= 0) {
        const rows = findIdenticalRows(trained, m);
        throw new NtkError(
          "SINGULAR_MATRIX",
          `The trained kernel (${m} × ${m}) is exactly singular at ${digits} digits${rows ? ` (rows ${rows.first + 1} and ${rows.second + 1} are identical)` : ""}, so the t = ∞ prediction does not exist. Use a finite time or a ridge diagReg > 0.`,
          { m },
        );
      }
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

/** Row-major r × c product of r × n and n × c matrices. */
function product(D: typeof Decimal, a: readonly Decimal[], b: readonly Decimal[], r: number, n: number, c: number): Decimal[] {
  const out: Decimal[] = new Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      let acc = new D(0);
      for (let p = 0; p < n; p++) acc = acc.plus(a[i * n + p].times(b[p * c + j]));
      out[i * c + j] = acc;
    }
  }
  return out;
}

/** The transpose of a row-major r × c matrix. */
function transposeOf<T>(a: readonly T[], r: number, c: number): T[] {
  const out: T[] = new Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j];
  return out;
}
