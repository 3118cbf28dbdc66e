/**
 * Predictions on data (SPEC §6, §7): put training and test points on the sphere, compute the Gram
 * matrix of their union (training rows first) at depth L, slice K = k(X, X) and K_x = k(x, X), and
 * solve in float64 or at high precision. One entry point, {@link predict}, precision an option;
 * {@link predictThroughDepth} follows the same prediction through many depths in one Gram pass.
 */
import { NtkError } from "../errors.js";
import type { Dataset } from "../data/dataset.js";
import { gramFloat64Resolved, kernelMatrixFloat64Checked, type GramAtDepthFloat64, type GramKernels } from "../gram/float64.js";
import { LOST_NTK_COMPLEMENT, LOST_SIGMA_COMPLEMENT } from "../gram/lostComplements.js";
import { archGramPreciseResolved } from "../arch/precise.js";
import { archGramFloat64Resolved, toArchitecture, type ArchitectureInput } from "../arch/float64.js";
import type { ResolvedArchitecture } from "../arch/description.js";
import { checkDepthList, checkKernelName, MAX_DEPTH, resolveDepth, resolveParams, type DepthInput, type ResolvedParams } from "../params.js";
import { checkPrecision } from "../precise/precision.js";
import type { ResourceLimits } from "../precise/runCost.js";
import type { ProgressOptions } from "../progress.js";
import { resolveThreads } from "../threads/pool.js";
import type { LinalgOptions } from "../linalg/lu.js";
import { projectToSphereFloat64, type RawPoints } from "../sphere/float64.js";
import { checkPredictInput } from "./shapes.js";
import type { KernelName, NetworkParams, Projection, SpherePoints } from "../types.js";
import { type PredictionFloat64 } from "./float64.js";
import { firstGramPrecision, preciseGramRuns, predictFromGramPrecise, predictWithDigits, type PreciseDataResult } from "./preciseOnData.js";
import type { PredictionPrecise } from "./precise.js";
import { flowSettings, flowTime, resolveSettings, type PredictionSettings, type ResolvedSettings } from "./settings.js";
import { joinSpherePoints, sliceUnion64, joinRawPoints, splitUnionColumns } from "./union.js";
import { depthOneBiasChecked, findDuplicateCauses, linearRankCause, type SingularCause } from "./singularCause.js";
import { ensembleKernels, ensembleOnDataOf, type EnsembleOnDataFloat64 } from "./ensembleOnData.js";
import { checkEnsembleNetwork, ensembleFromGramRuns, ensembleGramPrecision, type EnsembleOnDataPrecise } from "./ensembleOnDataPrecise.js";
import {
  classifyChecked,
  oneHotTargetsChecked,
  testClassIndicesChecked,
  TARGET_KINDS,
  type Classification,
  type ClassEncoding,
  type TargetKind,
} from "./classes.js";
import { FLOAT64_DIGITS } from "../linalg/lu.js";
import { checkPredictionFits } from "./preciseOnData.js";
import { digitsAtMagnitude } from "./predictor.js";
import { predictFromCheckedKernels64 } from "./float64.js";

/** Default number of correct digits `precision: "auto"` aims for. */
export const DEFAULT_AUTO_DIGITS = 10;

/**
 * Options of {@link predict}. `variant` (from LinalgOptions) chooses the WebAssembly build of the
 * float64 path, Gram fill and factorization alike: "fma" fuses the factorization's and the solves'
 * multiply-adds where the host has FMA (faster; the Gram matrices keep their bits, the predictions
 * differ from the default build's within rounding, see docs/FINITE_WIDTH.md).
 */
export interface PredictOptions extends PredictionSettings, ProgressOptions, LinalgOptions, ResourceLimits {
  /** Training points and their targets (m points, k targets each). */
  readonly train: Dataset;
  /** Test points (targets, if any, are ignored); same raw dimension as `train`. */
  readonly test: RawPoints;
  /** How raw points reach the sphere (SPEC §7). Default "normalize". */
  readonly projection?: Projection;
  /** Depth L (number of weight layers, 1 ≤ L ≤ 1e9): a safe integer, a bigint or decimal integer text. */
  readonly depth: DepthInput;
  /** "ntk" (Θ, default) or "nngp" (Σ). */
  readonly kernel?: KernelName;
  /** Use the normalized kernel (Θ̄ or Σ̄, unit diagonal) instead of the raw one. Default false. */
  readonly normalized?: boolean;
  /** σw, σb (default 1, 0). */
  readonly params?: NetworkParams;
  /** The network (src/arch/: text, JSON or resolved); default SPEC §1's ReLU network with `params`. */
  readonly architecture?: ArchitectureInput;
  /**
   * Omitted: float64. A number P (20..1000): P significant digits wanted in predictions, weights
   * and det; the Gram precision is raised until they are vouched for (3 tries; a shortfall is a
   * warning). "auto": `digits` digits wanted, the search starting from the float64 condition
   * estimate, and a shortfall is PRECISION_LIMIT (see predictWithDigits in preciseOnData.ts).
   */
  readonly precision?: number | "auto";
  /** Digits "auto" must vouch for (integer 1..1000). Default 10. */
  readonly digits?: number;
  /**
   * "values" (default): train on the training set's targets. "onehot": classify, training on
   * one-hot rows minus 1/C built from its class labels (predict/classes.ts); the result's
   * `classification` then holds each test point's predicted class and, when the test set has class
   * labels, the accuracy.
   */
  readonly targets?: TargetKind;
  /**
   * Also the variance ("variance") or the covariance matrix ("full") of the ensemble of trained
   * networks at the test points (docs/PREDICTOR.md), from the same Gram matrix as the mean: in
   * float64 (`ensembleFloat64`, also the same factorization) or, with a number `precision` P, at P digits
   * from the same two Gram runs (`ensemblePrecise`; the ReLU network only; with "auto": BAD_OPTION).
   */
  readonly covariance?: "variance" | "full";
}

/** A float64 prediction on data; raw kernels are carried as K / 2^log2Scale. */
export interface DataPredictionFloat64 extends PredictionFloat64 {
  /**
   * Raw kernels at depth are tiny (q_L = 1/(n0 2^{L−1}) in the paper's case): the solve ran on
   * K / 2^log2Scale with the flow time scaled by 2^log2Scale and the ridge divided by it, which
   * gives the same weights and predictions. `eigenvalues` are those of K / 2^log2Scale; `ridge`,
   * `flowTime` and `determinant` are the true ones. 0 for normalized kernels.
   */
  readonly log2Scale: number;
}

/** What {@link predict} returns. */
export interface DataPrediction {
  readonly depth: number;
  readonly kernel: KernelName;
  readonly normalized: boolean;
  readonly projection: Projection;
  /** Training points m, test points t, targets k. */
  readonly m: number;
  readonly testCount: number;
  readonly k: number;
  /** The float64 result (computed for float64 and for "auto", where its condition estimate starts the search). */
  readonly float64: DataPredictionFloat64 | null;
  /** The high-precision result, when a precision was asked for. */
  readonly precise: PredictionPrecise | null;
  /** Significant digits the high-precision Gram matrix was computed at (null in float64); the precision "auto" chose. */
  readonly precisionUsed: number | null;
  /** Digits the high-precision Gram entries were vouched for (null in float64). */
  readonly gramDigitsVouched: number | null;
  /** Reasons the data make K exactly singular (empty when none is known). */
  readonly singularCauses: readonly SingularCause[];
  /** Every warning of the run. */
  readonly warnings: readonly string[];
  /**
   * With `targets: "onehot"`: predicted classes (argmax of the high-precision predictions when
   * there are any, else of the float64 ones) and the accuracy; null otherwise.
   */
  readonly classification: Classification | null;
  /** With `covariance` and no precision: the ensemble's variance (and covariance) in float64; null otherwise. */
  readonly ensembleFloat64: EnsembleOnDataFloat64 | null;
  /**
   * With `covariance` and a precision P: the ensemble's variance (and covariance) at P digits, each
   * value vouched, from the same Gram runs as the mean (`ensembleOnDataPrecise`); null otherwise.
   */
  readonly ensemblePrecise: EnsembleOnDataPrecise | null;
}

/**
 * Closed-form predictions f_t (or f_∞) of the infinitely wide ReLU network on `test`, trained on
 * `train` (SPEC §6). See {@link PredictOptions}.
 *
 * Errors: EMPTY_DATA (training set without targets), DIMENSION_MISMATCH (train and test
 * dimensions differ), BAD_DEPTH, BAD_OPTION (kernel name, settings), BAD_PRECISION, the projection
 * errors (ZERO_VECTOR, OFF_SPHERE, …), SINGULAR_MATRIX for t = ∞ without ridge when K is exactly
 * singular, with the cause in the message (two training points that are the same point on the
 * sphere, named; L = 1 with more points than the rank of the linear kernel; in float64 also distinct
 * points that round to the same float64 row), PRECISION_LIMIT when "auto" cannot vouch for the
 * digits within 1000, ABORTED.
 */
export async function predict(o: PredictOptions): Promise<DataPrediction> {
  checkPredictInput(o, "predict");
  const classes = classTargets(o);
  if (classes !== null) return withClasses(await predict({ ...o, train: classes.encoding.train, targets: "values" }), classes);
  const depth = Number(resolveDepth(o.depth, "depth", BigInt(MAX_DEPTH)));
  if (o.covariance !== undefined && o.precision === "auto") {
    throw new NtkError("BAD_OPTION", 'covariance takes a fixed precision P (digits) or none, not "auto".', {});
  }
  const p = await prepare(o);
  if (o.precision === undefined) return (await predictFloat64ThroughDepth(o, p, [depth]))[0];
  if (typeof o.precision === "number") {
    const precision = checkPrecision(o.precision);
    const covariance = o.covariance === undefined ? null : checkCovariance(o.covariance);
    if (covariance !== null) checkEnsembleNetwork(o);
    const causes = causesAt(p, depth, true);
    // With covariance the Gram runs behind the mean serve the ensemble too, at the guard digits the ensemble wants.
    const ensembleGram = covariance === null ? {} : { keepGramRuns: true, minGramPrecision: ensembleGramPrecision(precision) };
    const r = await predictWithDigits({ ...o, ...p, depth, ...ensembleGram }, precision, 0, false);
    const ensemble = covariance === null ? null : await ensembleFromGramRuns({ ...o, depth, kernel: p.kernel }, p.settings, covariance, precision, r.gramRuns!);
    return { ...preciseResult(o, p, depth, causes, null, r), ensemblePrecise: ensemble };
  }
  if (o.precision !== "auto")
    throw new NtkError("BAD_PRECISION", `precision must be a number of digits or "auto", got ${String(o.precision)}.`, { precision: String(o.precision) });
  const digits = o.digits ?? DEFAULT_AUTO_DIGITS;
  if (!Number.isInteger(digits) || digits < 1 || digits > 1000) {
    throw new NtkError("BAD_PRECISION", `digits must be an integer from 1 to 1000, got ${digits}.`, { digits });
  }
  const causes = causesAt(p, depth, true);
  let f64: DataPredictionFloat64 | null = null;
  try {
    const [gram] = await gramFloat64Of(o, p, [depth]);
    [f64] = await predictFromGramFloat64(o, p, gram);
  } catch (e) {
    // A float64 K that is singular only through rounding still has a high-precision answer.
    if (!(e instanceof NtkError && (e.code === "SINGULAR_MATRIX" || e.code === "NON_FINITE"))) throw e;
  }
  // The high-precision solve works on K itself (not its complement): it loses log10 κ(K) digits.
  const kappa = f64 === null ? Infinity : f64.solver === "complement" ? f64.kernelConditionEstimate : f64.conditionEstimate;
  const lost = !Number.isFinite(kappa) || kappa * 2 ** -53 >= 1 ? 20 : Math.log10(Math.max(1, kappa));
  const r = await predictWithDigits({ ...o, ...p, depth }, digits, lost, true);
  return preciseResult(o, p, depth, causes, f64, r);
}

/** Options of {@link predictThroughDepth}: those of {@link predict}, with checkpoint depths in place of one depth. */
export interface PredictThroughDepthOptions extends Omit<PredictOptions, "depth" | "precision" | "digits"> {
  /** Checkpoint depths (1 ≤ L ≤ 1e9; numbers, bigints or decimal integer text), validated, sorted and deduplicated. */
  readonly depths: readonly DepthInput[];
  /**
   * Omitted: float64. A number P (20..1000): one high-precision Gram pass at min(1000, P + ⌈log10 m⌉ + 5)
   * digits, and P digits asked of every prediction; a depth whose conditioning leaves fewer says so
   * in its warnings (use {@link predict} with precision "auto" at that depth for a guarantee).
   */
  readonly precision?: number;
}

/**
 * {@link predict} at every checkpoint depth, from ONE pass of the Gram recursion through the
 * depths (float64 or one high-precision pass): the way to follow the weight rows K_x K^{-1} and
 * det K as depth grows. Results in increasing depth. Errors as {@link predict}; a depth at which K
 * is exactly singular (t = ∞, no ridge) throws SINGULAR_MATRIX naming that depth.
 */
export async function predictThroughDepth(o: PredictThroughDepthOptions): Promise<DataPrediction[]> {
  checkPredictInput(o, "predictThroughDepth");
  const classes = classTargets(o);
  if (classes !== null) return (await predictThroughDepth({ ...o, train: classes.encoding.train, targets: "values" })).map((r) => withClasses(r, classes));
  const depths = checkDepthList(o.depths);
  const p = await prepare(o);
  if (o.precision === undefined) return predictFloat64ThroughDepth(o, p, depths);
  const precision = checkPrecision(o.precision);
  if (o.covariance !== undefined) {
    throw new NtkError("BAD_OPTION", "covariance with a precision is computed by predict() at one depth; drop covariance or the precision here.", {});
  }
  for (const depth of depths) causesAt(p, depth, true);
  const gramPrecision = firstGramPrecision(precision, 0, o.train.m);
  checkPredictionFits(o, depths, gramPrecision);
  const limits = { maxMemoryBytes: o.maxMemoryBytes, maxSeconds: o.maxSeconds };
  // Sized above for the Gram and the solves together: the ReLU Gram runs on the resolved options, unsized again.
  const gramOptions = { data: joinRawPoints(o.train, o.test), projection: p.projection, onProgress: o.onProgress, signal: o.signal, ...limits };
  const gram =
    (await preciseGramRuns(p, gramOptions, depths, gramPrecision))?.result ??
    (await archGramPreciseResolved({ ...gramOptions, precision: gramPrecision }, p.resolvedArchitecture!, depths));
  const out: DataPrediction[] = [];
  for (const g of gram.grams) {
    const r = await predictFromGramPrecise({ ...o, ...p }, g, gramPrecision, precision);
    out.push(preciseResult(o, p, g.depth, causesAt(p, g.depth, true), null, r));
  }
  return out;
}

/**
 * The float64 predictions at the checked `depths` from one Gram pass, for options resolved into `p`
 * by {@link prepare}: the layers below take the resolved values and check nothing again.
 */
async function predictFloat64ThroughDepth(o: Omit<PredictOptions, "depth">, p: Prepared, depths: readonly number[]): Promise<DataPrediction[]> {
  for (const depth of depths) causesAt(p, depth, false);
  const grams = await gramFloat64Of(o, p, depths);
  const out: DataPrediction[] = [];
  for (const g of grams) {
    const causes = causesAt(p, g.depth, false);
    const [f64, ensemble] = await predictFromGramFloat64(o, p, g);
    out.push({
      ...shape(o, p, g.depth),
      ensembleFloat64: ensemble,
      ensemblePrecise: null,
      float64: f64,
      precise: null,
      precisionUsed: null,
      gramDigitsVouched: null,
      singularCauses: causes,
      warnings: [...causeWarnings(causes, p.fatal), ...f64.warnings],
    });
  }
  return out;
}

/**
 * The float64 Gram matrices of train ∪ test at the checked `depths`. The ReLU network runs on the
 * resolved Gram core (points, parameters, depths and threads resolved once, in {@link prepare}), and
 * so does an architecture, its description resolved there too. The ReLU core returns only the
 * kernels the prediction reads ({@link kernelsRead}): at m + t points each kernel left out saves
 * two (m + t)² matrices; and, without covariance, only their first m columns
 * ({@link unionColumns}), copied out of the fill once instead of copied whole and then sliced.
 */
async function gramFloat64Of(o: Omit<PredictOptions, "depth">, p: Prepared, depths: readonly number[]): Promise<readonly GramAtDepthFloat64<GramKernels>[]> {
  const points = joinSpherePoints(p.trainSphere, p.testSphere);
  const progress = { onProgress: o.onProgress, signal: o.signal };
  if (p.resolvedArchitecture !== null) {
    return (await archGramFloat64Resolved({ points, depths, threads: p.threads, backend: "wasm", ...progress }, p.resolvedArchitecture)).grams;
  }
  const { grams } = await gramFloat64Resolved({
    points,
    params: p.resolvedParams,
    depths: depths.map(BigInt),
    threads: p.threads,
    backend: "wasm",
    variant: o.variant,
    method: "auto",
    kernels: kernelsRead(p.kernel, o.covariance !== undefined),
    columns: unionColumns(o, p),
    ...progress,
  });
  return grams;
}

/**
 * The columns of the union's Gram matrices a prediction reads: the m training columns, K(X, X)
 * above K(x, X), when it reads no other entry (the ReLU core, no covariance, whose Σ(x, x′) lies
 * right of them); undefined (all m + t) otherwise.
 */
function unionColumns(o: Pick<PredictOptions, "covariance">, p: Prepared): number | undefined {
  return o.covariance === undefined && p.resolvedArchitecture === null ? p.trainSphere.m : undefined;
}

/**
 * The kernels whose matrices {@link predictFromGramFloat64} reads: the trained kernel's (the mean,
 * at t = ∞ with its complement, at finite t the kernel alone), and the NNGP's when the ensemble's
 * variance is asked for (Σ enters it whatever the trained kernel).
 */
function kernelsRead(kernel: KernelName, covariance: boolean): GramKernels {
  return covariance && kernel === "ntk" ? "both" : kernel;
}

/** Everything validated and resolved once, at the entry, for every depth. */
interface Prepared {
  readonly kernel: KernelName;
  readonly normalized: boolean;
  readonly projection: Projection;
  readonly settings: ResolvedSettings;
  /** The depth-1 kernel's bias, null when the network is not linear at L = 1 ({@link depthOneBias}). */
  readonly hasBias: boolean | null;
  readonly trainSphere: SpherePoints;
  readonly testSphere: SpherePoints;
  /** Duplicate training points (the depth-independent causes of a singular K), found once. */
  readonly duplicates: readonly SingularCause[];
  /** t = ∞ without ridge: an exactly singular K is an error, not a warning. */
  readonly fatal: boolean;
  /** σw, σb resolved (the options' `params` stay as given, for the high-precision layers' own resolution). */
  readonly resolvedParams: ResolvedParams;
  /** The architecture resolved once (`toArchitecture`), null for the ReLU network of `params`. */
  readonly resolvedArchitecture: ResolvedArchitecture | null;
  /** Worker threads, resolved once (`resolveThreads`). */
  readonly threads: number;
}

async function prepare(o: Omit<PredictOptions, "depth">): Promise<Prepared> {
  const { train, test } = o;
  if (train.targets === null || train.k < 1) {
    throw new NtkError("EMPTY_DATA", `${train.source} has no targets (labels): training needs one or more target values per point.`, { source: train.source });
  }
  if (train.n0 !== test.n0) {
    throw new NtkError(
      "DIMENSION_MISMATCH",
      `${test.source ?? "test points"} have dimension ${test.n0} but ${train.source} has ${train.n0}; both sets must have the same coordinates.`,
      {
        train: train.n0,
        test: test.n0,
      },
    );
  }
  const kernel = checkKernelName(o.kernel ?? "ntk");
  const projection = o.projection ?? "normalize";
  const settings = resolveSettings(o);
  const params = resolveParams(o.params);
  const architecture = o.architecture === undefined ? null : toArchitecture(o.architecture, o.params);
  const trainSphere = projectToSphereFloat64(train, projection);
  return {
    kernel,
    normalized: o.normalized ?? false,
    projection,
    settings,
    hasBias: depthOneBiasChecked(architecture ?? undefined, params),
    trainSphere,
    duplicates: findDuplicateCauses({ raw: train, projected: trainSphere, projection }),
    testSphere: projectToSphereFloat64(test, projection),
    fatal: settings.infinite && settings.exact.diagReg.isZero(),
    resolvedParams: params,
    resolvedArchitecture: architecture,
    threads: await resolveThreads(o.threads),
  };
}

/**
 * The known causes of an exactly singular K at `depth`; throws SINGULAR_MATRIX when they are
 * fatal. `precise`: float64-only duplicates are no cause (the high-precision path keeps them apart).
 */
function causesAt(p: Prepared, depth: number, precise: boolean): SingularCause[] {
  const rank = linearRankCause(p.trainSphere, depth, p.hasBias);
  const all = [...(rank ? [rank] : []), ...p.duplicates];
  const causes = precise ? all.filter((c) => c.kind !== "float64-duplicate") : all;
  if (p.fatal && causes.length > 0) throwSingular(causes, depth);
  return all;
}

function causeWarnings(causes: readonly SingularCause[], fatal: boolean, precise = false): string[] {
  return causes
    .filter((c) => !(precise && c.kind === "float64-duplicate"))
    .map((c) => `K is exactly singular: ${c.message}; ${fatal ? "" : "finite-time and ridge predictions stay defined."}`);
}

function shape(o: Omit<PredictOptions, "depth">, p: Prepared, depth: number) {
  return { depth, kernel: p.kernel, normalized: p.normalized, projection: p.projection, m: o.train.m, testCount: o.test.m, k: o.train.k, classification: null };
}

/** One-hot training targets and the test points' classes when `targets` is "onehot"; null for "values". */
function classTargets(o: Pick<PredictOptions, "train" | "test" | "targets">): { encoding: ClassEncoding; trueIndex: Int32Array | null } | null {
  const kind = o.targets ?? "values";
  if (kind === "values") return null;
  if (kind !== "onehot")
    throw new NtkError("BAD_OPTION", `targets must be ${TARGET_KINDS.map((t) => `"${t}"`).join(" or ")}, got "${String(kind)}".`, { targets: String(kind) });
  const encoding = oneHotTargetsChecked(o.train);
  return { encoding, trueIndex: testClassIndicesChecked(o.test, encoding.classes) };
}

function withClasses(r: DataPrediction, c: { encoding: ClassEncoding; trueIndex: Int32Array | null }): DataPrediction {
  return { ...r, classification: classifyChecked(r.precise?.predictions ?? r.float64!.predictions, c.encoding, c.trueIndex) };
}

function preciseResult(
  o: Omit<PredictOptions, "depth">,
  p: Prepared,
  depth: number,
  causes: SingularCause[],
  f64: DataPredictionFloat64 | null,
  r: PreciseDataResult,
): DataPrediction {
  return {
    ...shape(o, p, depth),
    float64: f64,
    precise: r.prediction,
    ensembleFloat64: null,
    ensemblePrecise: null,
    precisionUsed: r.precision,
    gramDigitsVouched: r.gramDigitsVouched,
    singularCauses: causes,
    warnings: [...causeWarnings(causes, p.fatal, true), ...r.warnings],
  };
}

function throwSingular(causes: readonly SingularCause[], depth: number): never {
  throw new NtkError(
    "SINGULAR_MATRIX",
    `The training kernel K at depth ${depth} is exactly singular, so f_∞ = K_x K^{-1} Y does not exist: ${causes.map((c) => c.message).join("; ")}. ` +
      "Remove the duplicate points, use a finite time (stays defined) or a ridge diagReg > 0" +
      (causes.some((c) => c.kind === "float64-duplicate") ? ", or a precision (the high-precision path keeps the points apart)." : "."),
    { depth, causes: causes.map((c) => ({ kind: c.kind, points: c.points })) },
  );
}

/** Relative accuracy of float64 Gram entries after L layers (gram/float64.ts: a few ulps per layer). */
function gramRelativeError(depth: number): number {
  return 2 * depth * 2 ** -53;
}

/**
 * The float64 prediction from one Gram matrix of train ∪ test. A raw kernel is c·K̄ with one
 * scalar c = diag·2^log2Scale (all points are on the sphere), so at t = ∞ the weights are those of
 * K̄ with the ridge δ/c, solved from K̄ and from its complement 1 − K̄ (whichever keeps more
 * digits, complementSolve.ts); at finite t the solve runs on K/2^log2Scale with the time scaled by
 * 2^log2Scale. Either way no value leaves the float64 range, and det K = c^m det(…) is reported in log form.
 */
async function predictFromGramFloat64(
  o: Omit<PredictOptions, "depth">,
  p: Prepared,
  gram: GramAtDepthFloat64<GramKernels>,
): Promise<[DataPredictionFloat64, EnsembleOnDataFloat64 | null]> {
  const m = p.trainSphere.m;
  const t = p.testSphere.m;
  const depth = gram.depth;
  const settings = p.settings;
  const warnings: string[] = [];
  const s = flowTime(settings, m, o.train.k);
  const diag = p.normalized ? 1 : p.kernel === "ntk" ? gram.ntkDiag : gram.sigmaDiag;
  // log2 of the scalar the solve's matrix is multiplied by to give K.
  const log2Scale = p.normalized ? 0 : gram.log2Scale;
  const ensemble = o.covariance === undefined ? null : ensembleKernels(gram, p.kernel, p.normalized, settings.infinite, m, t, checkCovariance(o.covariance));
  // K and K_x: views of the union's first m columns where the fill returned only those (gramFloat64Of), else
  // slices of the whole matrix (with t = 0 the two are the same matrix).
  const blocks = (union: Float64Array) => (union.length === (m + t) * m ? splitUnionColumns(union, m, t) : sliceUnion64(union, m, t));
  // The blocks of the Gram matrix are its own (fresh arrays, or views of them), finite and exactly symmetric: no second validation pass over m² entries.
  const solve = (
    kernel: { train: Float64Array; test: Float64Array },
    complement: { train: Float64Array; test: Float64Array } | null,
    time: number | "inf",
    diagReg: number,
  ) =>
    predictFromCheckedKernels64({
      signal: o.signal,
      threads: o.threads,
      variant: o.variant,
      settings: flowSettings(time, diagReg, settings.diagRegScale),
      shape: { m, testCount: t, k: o.train.k },
      trainKernel: kernel.train,
      testKernel: kernel.test,
      targets: o.train.targets as Float64Array,
      trainComplement: complement?.train ?? null,
      testComplement: complement?.test ?? null,
      entryError: Math.max(gramRelativeError(depth), 2 ** -53),
      ensemble: ensemble?.kernels,
    });
  let r: Awaited<ReturnType<typeof solve>>;
  let log10Scale: number;
  let timeDigits = FLOAT64_DIGITS;
  let complementLost = false;
  if (settings.infinite) {
    // The Gram fill returned the matrices of p.kernel (kernelsRead).
    const bar = (p.kernel === "ntk" ? gram.ntkNormalized : gram.sigmaNormalized)!;
    const complement = (p.kernel === "ntk" ? gram.oneMinusNtkNormalized : gram.oneMinusSigmaNormalized)!;
    const lostBit = p.kernel === "ntk" ? LOST_NTK_COMPLEMENT : LOST_SIGMA_COMPLEMENT;
    complementLost = gram.lostToZero?.some((bits) => (bits & lostBit) !== 0) === true;
    if (complementLost) {
      // The t = ∞ solve takes its digits from the complement (complementSolve.ts), which float64 has lost here.
      warnings.push(
        `At depth ${depth} some entries of 1 − K̄ fell below the smallest normal float64 (2^-1022; σb > 0 drives them there, docs/DEPTH_JUMP.md §6): ` +
          "float64 has lost them, and with them every digit of the t = ∞ predictions. Use a precision.",
      );
    }
    log10Scale = Math.log10(diag) + log2Scale * Math.log10(2);
    const ridge = settings.diagRegScale === "absolute" && settings.diagReg !== 0 ? settings.diagReg / diag / 2 ** log2Scale : settings.diagReg;
    checkRidge(ridge, settings.diagReg, log2Scale, depth);
    r = await solve(blocks(bar), blocks(complement), "inf", ridge);
  } else {
    const { matrix } = kernelMatrixFloat64Checked(gram, p.kernel, p.normalized);
    const scale = 2 ** log2Scale;
    log10Scale = log2Scale * Math.log10(2);
    // K = c·K′ with c = 2^log2Scale: f_t = K′_x K′^{-1}(I − e^{−(sc)K′}) Y, ridge δ/c. The time the
    // solve runs at, sc, is below the normal float64 range when the raw kernel is tiny and t short:
    // it then holds fewer digits, and none when it underflows to 0 (the predictor sees t = 0). A
    // time the user gave subnormal (c = 1) is theirs: the predictor's range check speaks of it.
    timeDigits = s > 0 && log2Scale !== 0 ? digitsAtMagnitude(s * scale) : FLOAT64_DIGITS;
    if (timeDigits === 0) {
      warnings.push(
        `The raw kernel at depth ${depth} is of order 2^${log2Scale}: at time ηt = ${s} the flow has barely started, and the predictions (of order ηt·2^${log2Scale}) are below the float64 range: ` +
          "they are printed as 0 and no digit of them is kept. Use the normalized kernel, a longer time, or a precision.",
      );
    } else if (timeDigits < FLOAT64_DIGITS) {
      warnings.push(
        `The raw kernel at depth ${depth} is of order 2^${log2Scale}: the solve runs at the time ηt·2^${log2Scale} = ${s * scale}, a subnormal float64 with about ${Math.floor(timeDigits)} significant digits, ` +
          "so the predictions keep no more than that. Use the normalized kernel, a longer time, or a precision.",
      );
    }
    const ridge = settings.diagRegScale === "absolute" && settings.diagReg !== 0 ? settings.diagReg / scale : settings.diagReg;
    checkRidge(ridge, settings.diagReg, log2Scale, depth);
    // t = 0 stays 0 when 2^log2Scale overflows (σw² > 2, deep): 0 · ∞ would be NaN. A product that
    // overflows is t = ∞ to float64: e^{−(sc)λ} is 0 for every eigenvalue the solve can resolve.
    r = await solve(blocks(matrix), null, s === 0 ? 0 : s * scale, ridge);
  }
  const log10AbsDet = r.determinant.log10AbsDet + m * log10Scale;
  const det = log10Scale === 0 || r.determinant.signDet === 0 ? r.determinant.det : r.determinant.signDet * 10 ** log10AbsDet;
  const { ensemble: answer, ...prediction } = r;
  const prediction64: DataPredictionFloat64 = {
    ...prediction,
    log2Scale,
    flowTime: Number.isFinite(s) ? s : null,
    // δ itself when absolute (not δ/c·c, which is δ only up to rounding); else δ·trace(K)/m = δ·diag·2^log2Scale
    // (every point is on the sphere, so K's diagonal is one value), 0 only when that underflows.
    ridge: settings.diagRegScale === "absolute" ? settings.diagReg : settings.diagReg * diag * 2 ** log2Scale,
    determinant: { det, log10AbsDet, signDet: r.determinant.signDet },
    digitsKept: complementLost ? 0 : Math.min(r.digitsKept, timeDigits),
    warnings: [...warnings, ...r.warnings],
  };
  return [prediction64, answer === null || ensemble === null ? null : ensembleOnDataOf(answer, t, ensemble.log2Scale)];
}

/** The `covariance` option, checked. */
function checkCovariance(request: string): "variance" | "full" {
  if (request !== "variance" && request !== "full") {
    throw new NtkError("BAD_OPTION", `covariance must be "variance" or "full", got "${String(request)}".`, { covariance: String(request) });
  }
  return request;
}

/** BAD_OPTION when the ridge, in the units of the solve's matrix, leaves the float64 range. */
function checkRidge(scaled: number, diagReg: number, log2Scale: number, depth: number): void {
  if (!Number.isFinite(scaled)) {
    throw new NtkError(
      "BAD_OPTION",
      `diagReg δ = ${diagReg} is beyond 1e308 times the raw kernel's scale 2^${log2Scale} at depth ${depth}: the ridge alone would decide the result. Use the normalized kernel or a smaller δ.`,
      { diagReg, log2Scale },
    );
  }
}
