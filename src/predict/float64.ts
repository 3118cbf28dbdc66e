/**
 * Closed-form predictions of kernel regression / gradient flow (SPEC §6) in float64, from given
 * kernel matrices: `f_t(x) = K_x K^{-1} (I − e^{−ηKt}) Y`, `f_∞(x) = K_x K^{-1} Y`, with an
 * optional ridge K + δI. t = ∞ uses one LU factorization (WebAssembly) for the solve, det and the
 * κ1 estimate; finite t uses the symmetric eigendecomposition `K = V diag(λ) Vᵀ` (WebAssembly) and
 * the filter φ of flowFilter.ts. The high-precision counterpart is precise.ts.
 */
import { NtkError } from "../errors.js";
import { symmetricEigenFloat64 } from "../linalg/eigen.js";
import { multiply, transpose } from "../linalg/dense.js";
import { FLOAT64_DIGITS, checkFiniteEntries, luFactorFloat64, type Determinant, type LinalgOptions } from "../linalg/lu.js";
import { throwIfAborted, type ProgressOptions } from "../progress.js";
import { complementSolve, type ComplementSolution } from "./complementSolve.js";
import { flowFilter } from "./flowFilter.js";
import { checkPredictionShape, type PredictionShape } from "./shapes.js";
import { flowTime, resolveSettings, ridgeFor, type PredictionSettings } from "./settings.js";

/** Below this many correct digits a float64 result carries a warning (the CLI's default --digits). */
export const WARN_BELOW_DIGITS = 10;

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
   * How the weights were computed: "lu" (t = ∞, LU of K + δI), "complement" (t = ∞, Sherman–Morrison
   * from C = 1 − K, when given and better conditioned), "eigen" (finite t).
   */
  readonly solver: "lu" | "complement" | "eigen";
  /** s = ηt in the "flow" convention (after converting a Neural Tangents time); ∞ for t = ∞. */
  readonly flowTime: number;
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
   * det(K + δI) with log10|det| and sign (never under- or overflows; see Determinant): from the LU of
   * K + δI, or by the determinant lemma from the complement (solver "complement").
   */
  readonly determinant: Determinant;
  /** κ1(K + δI) estimate (LU, Hager/Higham); ∞ when a pivot is exactly zero. */
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
  const settings = resolveSettings(o);
  if (o.kernelRelativeError !== undefined && !(o.kernelRelativeError >= 0 && o.kernelRelativeError < 1)) {
    throw new NtkError("BAD_OPTION", `kernelRelativeError must be in [0, 1), got ${o.kernelRelativeError}.`, { kernelRelativeError: o.kernelRelativeError });
  }
  const shape = checkPredictionShape(o.trainKernel.length, o.testKernel.length, o.targets.length, o.m, o.k ?? 1);
  const { m, testCount, k } = shape;
  checkFiniteEntries(o.trainKernel, m, "training kernel K");
  checkFiniteEntries(o.testKernel, m, "test kernel K_x");
  checkFiniteEntries(o.targets, k, "targets Y");
  const K = symmetricCopy(o.trainKernel, m, "training kernel K", "k(X, X)");
  let trace = 0;
  for (let i = 0; i < m; i++) trace += K[i * m + i];
  const ridge = ridgeFor(settings, trace, m);
  for (let i = 0; i < m; i++) K[i * m + i] += ridge;
  const s = flowTime(settings, m, k);
  throwIfAborted(o.signal);

  const lu = await luFactorFloat64(K, m, o);
  let determinant = lu.determinant();
  const kernelConditionEstimate = lu.conditionEstimate();
  const warnings: string[] = [];
  let weights: Float64Array;
  let conditionEstimate: number;
  let eigenvalues: Float64Array | null = null;
  let solver: PredictionFloat64["solver"] = settings.infinite ? "lu" : "eigen";
  const fromComplement = settings.infinite ? await solveFromComplement(o, ridge, m, testCount) : null;
  // The complement solve wins only with a finite, smaller condition estimate: when 1 − K has
  // underflowed to exact zeros it has none, and K itself (all ones) is reported singular below.
  const complementUsable = fromComplement !== null && Number.isFinite(fromComplement.conditionEstimate);
  if (complementUsable && !(fromComplement.conditionEstimate >= kernelConditionEstimate)) {
    solver = "complement";
    weights = fromComplement.weights;
    determinant = fromComplement.determinant;
    conditionEstimate = fromComplement.conditionEstimate;
  } else if (settings.infinite) {
    if (lu.singular) {
      throw new NtkError(
        "SINGULAR_MATRIX",
        `K${ridge > 0 ? " + δI" : ""} (${m} × ${m}) is exactly singular in float64 (LU pivot of column ${lu.zeroPivotColumn} is 0), so f_∞ = K_x K^{-1} Y does not exist. ` +
          "Use a finite time (stays defined), a ridge diagReg > 0, or the high-precision path.",
        { column: lu.zeroPivotColumn, m },
      );
    }
    // (K + δI) Z = K_xᵀ, then weights = Zᵀ (K is symmetric).
    weights = transpose(await lu.solveAsync(transpose(o.testKernel, testCount, m), testCount), m, testCount);
    conditionEstimate = kernelConditionEstimate;
  } else {
    const eig = await symmetricEigenFloat64(K, m, o);
    eigenvalues = eig.values;
    const phi = Float64Array.from(eig.values, (lambda) => flowFilter(lambda, s));
    const bad = phi.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new NtkError(
        "NON_FINITE",
        `K has the negative eigenvalue λ = ${eig.values[bad]} and e^{s|λ|} overflows float64 at s = ηt = ${s}: the matrix is not positive semi-definite to float64 accuracy. Use a shorter time, a ridge, or the high-precision path.`,
        { eigenvalue: eig.values[bad], flowTime: s },
      );
    }
    weights = filteredWeights(o.testKernel, eig.vectors, phi, testCount, m);
    const lambdaMax = Math.max(Math.abs(eig.values[0]), Math.abs(eig.values[m - 1]));
    conditionEstimate = lambdaMax * phi.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    const noise = 8 * m * 2 ** -53 * lambdaMax;
    if (eig.values[0] < -noise) {
      warnings.push(
        `K${ridge > 0 ? " + δI" : ""} has a negative eigenvalue λ = ${eig.values[0].toPrecision(3)}, beyond float64 round-off (${noise.toPrecision(2)}): it is not positive semi-definite, and e^{−sλ} grows instead of decaying along that direction.`,
      );
    }
  }
  const entryError = Math.max(o.kernelRelativeError ?? 0, 2 ** -53);
  const digitsKept = Math.min(FLOAT64_DIGITS, Math.max(0, -Math.log10(conditionEstimate * entryError)));
  if (digitsKept < WARN_BELOW_DIGITS) {
    warnings.push(
      `${settings.infinite ? "K" : "The flow filter of K"}${ridge > 0 ? " + δI" : ""} has condition estimate ${conditionEstimate.toPrecision(3)}${entryError > 2 ** -53 ? ` and its entries relative error ${entryError.toPrecision(2)}` : ""}: the float64 weights and predictions keep about ${Math.floor(digitsKept)} significant digits` +
        `${digitsKept < 1 ? " (none can be trusted)" : ""}. Use the high-precision path (precision "auto") for more.`,
    );
  }
  const predictions = multiply(weights, o.targets, testCount, m, k);
  const weightsL1 = new Float64Array(testCount);
  for (let i = 0; i < testCount; i++) for (let j = 0; j < m; j++) weightsL1[i] += Math.abs(weights[i * m + j]);
  return {
    ...shape,
    solver,
    flowTime: s,
    ridge,
    predictions,
    weights,
    weightsL1,
    determinant,
    kernelConditionEstimate,
    conditionEstimate,
    digitsKept,
    eigenvalues,
    warnings,
  };
}

/** The complement solve when both complements are given (validated like K and K_x), else null. */
async function solveFromComplement(o: KernelPredictionFloat64Options, ridge: number, m: number, t: number): Promise<ComplementSolution | null> {
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
  return complementSolve(symmetricCopy(o.trainComplement, m, "training complement 1 − K", "1 − k(X, X)"), o.testComplement, ridge, m, t, o);
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

/** K_x V diag(φ) Vᵀ, t × m: the effective weights at finite time. */
function filteredWeights(kx: ArrayLike<number>, v: Float64Array, phi: Float64Array, t: number, m: number): Float64Array {
  const b = multiply(kx, v, t, m, m);
  for (let i = 0; i < t; i++) for (let j = 0; j < m; j++) b[i * m + j] *= phi[j];
  return multiply(b, transpose(v, m, m), t, m, m);
}
