/**
 * Closed-form predictions of kernel regression / gradient flow (SPEC §6) in float64, from given
 * kernel matrices: `f_t(x) = K_x K^{-1} (I − e^{−ηKt}) Y`, `f_∞(x) = K_x K^{-1} Y`, with an
 * optional ridge K + δI, through the float64 predictor of predictor.ts (one factorization of
 * K + δI: Cholesky, or LU when it is not positive definite, for t = ∞ and for det and κ1; the
 * symmetric eigendecomposition and the filter φ of flowFilter.ts for finite t). The
 * high-precision counterpart is precise.ts.
 */
import { NtkError } from "../errors.js";
import { checkArrayLike, checkObject, describeValue } from "../argumentTypes.js";
import { FLOAT64_DIGITS, checkFiniteEntries, type Determinant, type LinalgOptions } from "../linalg/lu.js";
import { throwIfAborted, type ProgressOptions } from "../progress.js";
import { predictorFromChecked, type PredictorResult } from "./predictor.js";
import type { KernelName } from "../types.js";
import { checkPredictionShape, type PredictionShape } from "./shapes.js";
import { resolveSettings, ridgeFor, type PredictionSettings, type ResolvedSettings } from "./settings.js";

/** Largest relative asymmetry |K_ij − K_ji| / max|K| accepted in K (a Gram matrix is symmetric). */
const SYMMETRY_TOLERANCE = 1e-12;

/** Matrices and settings of one float64 prediction. */
export interface KernelPredictionFloat64Options extends PredictionSettings, ProgressOptions, LinalgOptions {
  /** K = k(X, X), m × m row-major, symmetric (any of Σ, Θ, Σ̄, Θ̄; SPEC §5). */
  readonly trainKernel: ArrayLike<number>;
  /** K_x = k(x, X) for the test points, t × m row-major. */
  readonly testKernel: ArrayLike<number>;
  /** Training targets Y, m × k row-major. */
  readonly targets: ArrayLike<number>;
  /** Number of training points m. */
  readonly m: number;
  /** Number of target columns k (default 1). */
  readonly k?: number;
  /**
   * Relative accuracy of the kernel entries (e.g. a float64 Gram matrix after L layers: a few
   * ulps per layer); enters `digitsKept`. Default 2⁻⁵³ (entries exact as given).
   */
  readonly kernelRelativeError?: number;
  /**
   * For a normalized kernel: C = 1 − K (m × m), carried directly (SPEC §4), with `testComplement`
   * = 1 − K_x (t × m). At t = ∞ the solve then also runs from the complements (complementSolve.ts)
   * and the result with the smaller error amplification is returned (`solver` says which): deep
   * down, where K's entries all approach 1, that keeps digits K itself has already lost.
   */
  readonly trainComplement?: ArrayLike<number>;
  readonly testComplement?: ArrayLike<number>;
}

/** A float64 prediction with what a user needs to judge it. */
export interface PredictionFloat64 extends PredictionShape {
  /**
   * How the weights were computed: "cholesky" (t = ∞, K + δI positive definite in float64), "lu"
   * (t = ∞, LU of K + δI when it is not), "complement" (t = ∞, Sherman–Morrison from C = 1 − K,
   * when given and better conditioned), "eigen" (finite t).
   */
  readonly solver: "cholesky" | "lu" | "complement" | "eigen";
  /** s = ηt in the "flow" convention (after converting a Neural Tangents time); ∞ for t = ∞. */
  readonly flowTime: number | null;
  /** The ridge actually added to the diagonal of K (δ, or δ·trace(K)/m). */
  readonly ridge: number;
  /** f_t at the test points, t × k row-major. */
  readonly predictions: Float64Array;
  /**
   * The weight rows, t × m row-major: predictions = weights · Y. For t = ∞ the rows of
   * K_x (K + δI)^{-1}, the quantity the paper bounds; for finite t the effective weights
   * K_x V diag(φ(λ)) Vᵀ = K_x (K + δI)^{-1} (I − e^{−s(K + δI)}), which tend to the former as t → ∞.
   */
  readonly weights: Float64Array;
  /** 1-norm of each weight row, Σ_j |weights_ij| (length t). */
  readonly weightsL1: Float64Array;
  /**
   * det(K + δI) with log10|det| and sign (never under- or overflows; see Determinant), at every
   * time: from the Cholesky or LU factors of K + δI, or by the determinant lemma from the
   * complement (when the complement solve is used).
   */
  readonly determinant: Determinant;
  /**
   * Significant digits `determinant` keeps, from the matrix alone whatever the time:
   * −log10(κ · max(kernelRelativeError, 2⁻⁵³)) clamped to [0, FLOAT64_DIGITS], κ = κ1(K + δI) (or
   * the complement solve's amplification when det came from the complement).
   */
  readonly determinantDigitsKept: number;
  /** κ1(K + δI) estimate (Hager/Higham, from the factors of K + δI or through its complement); ∞ when an LU pivot is exactly zero. */
  readonly kernelConditionEstimate: number;
  /**
   * The condition number that governs the result: κ1(K + δI) for t = ∞ (solver "lu"); the error
   * amplification of the complement solve (solver "complement", see complementSolve.ts); for finite t
   * κ_t = max|λ| · max_i |φ(λ_i)| (≤ κ2(K + δI), and ≤ s·max|λ|: a short time keeps a singular K
   * harmless). The weights' relative error (normwise, per row) is about κ · m · 2⁻⁵³.
   */
  readonly conditionEstimate: number;
  /**
   * Significant digits the weights and predictions keep, normwise (relative to the largest entry
   * of a weight row, or to |weights row|₁·max|Y| for a prediction; an entry much smaller than that
   * keeps fewer): −log10(κ · max(kernelRelativeError, 2⁻⁵³)), clamped to [0, FLOAT64_DIGITS ≈ 15.95]
   * (with exact entries, FLOAT64_DIGITS − log10 κ). An estimate, as κ is: within a digit or two.
   */
  readonly digitsKept: number;
  /** Eigenvalues of K + δI, ascending (finite t only; null for t = ∞). */
  readonly eigenvalues: Float64Array | null;
  /** Messages about lost digits, negative eigenvalues, …; empty when nothing needs saying. */
  readonly warnings: readonly string[];
}

/**
 * Predictions, weight rows and their 1-norms, determinant and condition of K + δI in float64.
 *
 * Errors: DIMENSION_MISMATCH (shapes), NON_FINITE (a NaN/±∞ entry), BAD_OPTION (settings, or a K
 * that is not symmetric), SINGULAR_MATRIX (t = ∞ and K + δI has an exactly zero LU pivot: use a
 * finite time, a ridge, or the high-precision path), NON_FINITE also when a negative eigenvalue
 * makes e^{s|λ|} overflow at finite t, ABORTED through the signal.
 */
export async function predictFromKernelsFloat64(o: KernelPredictionFloat64Options): Promise<PredictionFloat64> {
  checkObject(o, "predictFromKernelsFloat64's options");
  for (const name of ["trainKernel", "testKernel", "targets"] as const) checkArrayLike(o[name], name);
  const settings = resolveSettings(o);
  if (o.kernelRelativeError !== undefined && !(typeof o.kernelRelativeError === "number" && o.kernelRelativeError >= 0 && o.kernelRelativeError < 1)) {
    throw new NtkError("BAD_OPTION", `kernelRelativeError must be in [0, 1), got ${describeValue(o.kernelRelativeError)}.`, {
      kernelRelativeError: describeValue(o.kernelRelativeError),
    });
  }
  const shape = checkPredictionShape(o.trainKernel.length, o.testKernel.length, o.targets.length, o.m, o.k ?? 1);
  const { m, testCount, k } = shape;
  checkFiniteEntries(o.trainKernel, m, "training kernel K");
  checkFiniteEntries(o.testKernel, m, "test kernel K_x");
  checkFiniteEntries(o.targets, k, "targets Y");
  const complement = checkedComplement(o, m, testCount);
  const { ensemble: _, ...prediction } = await predictFromCheckedKernels64({
    ...o,
    settings,
    shape,
    trainKernel: symmetricCopy(o.trainKernel, m, "training kernel K", "k(X, X)"),
    testKernel: o.testKernel,
    targets: o.targets,
    trainComplement: complement,
    testComplement: complement === null ? null : o.testComplement!,
    entryError: Math.max(o.kernelRelativeError ?? 0, 2 ** -53),
  });
  return prediction;
}

/**
 * @internal The ensemble's covariance asked of the same predictor as the mean (docs/PREDICTOR.md),
 * in whatever unit Σ is given (the covariance comes out in it).
 */
export interface EnsembleKernels64 {
  readonly request: "variance" | "full";
  /**
   * "ntk": formula (1), Σ apart from the trained kernel (any trained kernel, any unit of Σ);
   * "nngp": the trained kernel is Σ + δI in Σ's unit, and the test kernel is Σ(x, X).
   */
  readonly kernel: KernelName;
  /** Σ(X, X), m × m, exactly symmetric. */
  readonly sigma: Float64Array;
  /** Σ(x, X), t × m. */
  readonly testSigma: ArrayLike<number>;
  /** Σ(x, x): t variances, or the t × t matrix for "full". */
  readonly testTestSigma: ArrayLike<number>;
}

/** @internal What the ensemble query adds to a prediction (see PredictorResult). */
export type EnsembleAnswer64 = Pick<PredictorResult, "variance" | "varianceError" | "covariance">;

/**
 * @internal What {@link predictFromCheckedKernels64} takes: kernels its caller has validated (shapes,
 * finite entries, K and C exactly symmetric), e.g. slices of a Gram matrix (fromData.ts), which
 * need no second pass over their m² entries.
 */
export interface CheckedKernels64 extends ProgressOptions, LinalgOptions {
  readonly settings: ResolvedSettings;
  readonly shape: PredictionShape;
  /** K, m × m; taken over: the ridge is added to its diagonal in place. */
  readonly trainKernel: Float64Array;
  readonly testKernel: ArrayLike<number>;
  readonly targets: ArrayLike<number>;
  /** C = 1 − K (m × m) with its test rows, or null. */
  readonly trainComplement: Float64Array | null;
  readonly testComplement: ArrayLike<number> | null;
  /** Relative error of the kernel entries, at least 2⁻⁵³. */
  readonly entryError: number;
  /** The ensemble's covariance from the same factorization, when asked for. */
  readonly ensemble?: EnsembleKernels64;
}

/** {@link predictFromKernelsFloat64} after validation (see {@link CheckedKernels64}). */
export async function predictFromCheckedKernels64(c: CheckedKernels64): Promise<PredictionFloat64 & { readonly ensemble: EnsembleAnswer64 | null }> {
  const { settings, shape, entryError } = c;
  const { m, testCount, k } = shape;
  const K = c.trainKernel;
  let trace = 0;
  for (let i = 0; i < m; i++) trace += K[i * m + i];
  const ridge = ridgeFor(settings, trace, m);
  for (let i = 0; i < m; i++) K[i * m + i] += ridge;
  throwIfAborted(c.signal);
  const e = c.ensemble;
  const predictor = predictorFromChecked({
    kernel: e?.kernel ?? "nngp",
    options: c,
    settings,
    m,
    k,
    targets: Float64Array.from(c.targets),
    sigma: e?.sigma ?? null,
    trained: K,
    ridge,
    complement: c.trainComplement,
    entryError,
  });
  const r = await predictor.predictChecked(
    {
      testNngp: e?.kernel === "ntk" ? e.testSigma : c.testKernel,
      testNtk: c.testKernel,
      testComplement: c.testComplement ?? undefined,
      ...(e === undefined ? {} : { testTestNngp: e.testTestSigma, covariance: e.request }),
    },
    settings,
  );
  throwIfAborted(c.signal);
  const { determinant, conditionEstimate: kernelConditionEstimate } = await predictor.matrixAnalysis();
  const weightsL1 = new Float64Array(testCount);
  for (let i = 0; i < testCount; i++) for (let j = 0; j < m; j++) weightsL1[i] += Math.abs(r.weights[i * m + j]);
  const detKappa = Math.max(1, r.solver === "complement" ? r.conditionEstimate : kernelConditionEstimate);
  const determinantDigitsKept = Math.min(FLOAT64_DIGITS, Math.max(0, -Math.log10(detKappa * entryError)));
  return {
    ...shape,
    solver: r.solver,
    flowTime: r.flowTime,
    ridge,
    predictions: r.mean,
    weights: r.weights,
    weightsL1,
    determinant,
    determinantDigitsKept,
    kernelConditionEstimate,
    conditionEstimate: r.conditionEstimate,
    digitsKept: r.digitsKept,
    eigenvalues: predictor.eigenvalues,
    warnings: r.warnings,
    ensemble: e === undefined ? null : { variance: r.variance, varianceError: r.varianceError, covariance: r.covariance },
  };
}

/** The complement C = 1 − K (symmetric copy) when both complements are given (validated like K and K_x), else null. */
function checkedComplement(o: KernelPredictionFloat64Options, m: number, t: number): Float64Array | null {
  if (o.trainComplement === undefined && o.testComplement === undefined) return null;
  if (o.trainComplement === undefined || o.testComplement === undefined || o.trainComplement.length !== m * m || o.testComplement.length !== t * m) {
    throw new NtkError(
      "DIMENSION_MISMATCH",
      `trainComplement (m × m = ${m} × ${m}) and testComplement (t × m = ${t} × ${m}) must be given together, shaped like K and K_x.`,
      { m, t },
    );
  }
  checkFiniteEntries(o.trainComplement, m, "training complement 1 − K");
  checkFiniteEntries(o.testComplement, m, "test complement 1 − K_x");
  return symmetricCopy(o.trainComplement, m, "training complement 1 − K", "1 − k(X, X)");
}

/** `a` (m × m) with its lower triangle mirrored from the upper one; BAD_OPTION naming `what` when it is not symmetric. */
function symmetricCopy(a: ArrayLike<number>, m: number, what: string, expected: string): Float64Array {
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
  const out = Float64Array.from(a);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      if (Math.abs(a[i * m + j] - a[j * m + i]) > SYMMETRY_TOLERANCE * scale) {
        throw new NtkError(
          "BAD_OPTION",
          `The ${what} is not symmetric: entry [${i}][${j}] = ${a[i * m + j]} but [${j}][${i}] = ${a[j * m + i]}. Pass ${expected} itself.`,
          { row: i, col: j },
        );
      }
      out[j * m + i] = a[i * m + j];
    }
  }
  return out;
}
