/**
 * ntk-depth's public API, the core: the common jobs (one pair, Gram matrices, determinants,
 * predictions, comparisons against high precision, the Mercer spectrum, finite-width networks,
 * data in, numbers out, errors). Engine-level pieces are in `ntk-depth/advanced` (src/advanced.ts);
 * Node programs load data files with `loadDataset` from `ntk-depth/data/files` (src/data/files.ts).
 * Browser-safe: nothing here touches node: modules or files. docs/api.md lists every name below
 * (test/api-docs.test.ts keeps the two equal).
 *
 * Naming: a function or type that exists in float64 and at high precision has the suffixes
 * `Float64` and `Precise` (`pairThroughDepthFloat64`, `pairThroughDepthPrecise`); the unsuffixed
 * name, where there is one (`pairThroughDepth`, `gramThroughDepth`, `predict`), takes a
 * `precision` option and picks the variant. Options: `depth` is one depth, `depths` a list of
 * checkpoint depths, in every function that takes them.
 */

// Errors: one class, stable codes.
export { NtkError, isNtkError, type NtkErrorCode, type NtkErrorDetails } from "./errors.js";

// Common option and value types.
export type { NetworkParams, KernelName, SpherePoints, Projection, PairOptions } from "./types.js";
export type { ProgressOptions } from "./progress.js";
export { MAX_DEPTH, MAX_JUMP_DEPTH, type DepthInput, type ResolvedParams } from "./params.js";
export { MIN_PRECISION, MAX_PRECISION } from "./precise/precision.js";
export { MAX_THREADS, type ThreadOptions } from "./threads/pool.js";

// Data in (SPEC §7): data sets from arrays, text, JSON or CSV; built-in data sets; projections onto the sphere.
export { datasetFromArrays, checkCompatible, type Dataset, type DatasetInput, type RawNumber } from "./data/dataset.js";
export { parseDatasetJson, type JsonValue } from "./data/json.js";
export { parseDatasetCsv } from "./data/csv.js";
export { parseDatasetText } from "./data/text.js";
export { projectToSphereFloat64, PROJECTIONS, DEFAULT_SPHERE_TOLERANCE, type RawPoints, type ProjectionOptions } from "./sphere/float64.js";
export { projectToSpherePrecise, type SpherePointsPrecise } from "./sphere/precise.js";
export {
  BUILTIN_DATASETS,
  BUILTIN_DATASET_SHAPES,
  BUILTIN_DATA_FILES,
  MNIST_DIGIT_COUNTS,
  loadBuiltinDataset,
  parseBuiltinDatasetSpec,
  refersToBuiltinDataset,
  mnistSampleAt,
  fetchBuiltinDataFiles,
  type BuiltinDatasetName,
  type BuiltinDatasetSpec,
  type BuiltinDataFiles,
  type BuiltinLoadOptions,
  type MnistSample,
} from "./data/builtin.js";
export { seededUniform, randomGaussianPoints, syntheticLabels } from "./data/randomData.js";

// Numbers to text.
export {
  formatFloat64,
  formatScaled,
  formatFromLog10,
  formatVouched,
  formatConditionEstimate,
  renderTable,
  countOf,
  wrapText,
  TEXT_WIDTH,
  type TableColumn,
} from "./format.js";

// Limits on a high-precision run's estimated memory and time (PRECISION_RUN_TOO_LARGE beyond them).
export { type ResourceLimits } from "./precise/runCost.js";

// One pair through depth (SPEC §2–4, §9).
export { pairThroughDepth } from "./pair.js";
export {
  pairThroughDepthFloat64,
  AUTO_JUMP_ABOVE,
  type PairFloat64Options,
  type PairMethod,
  type PairMethodRun,
  type PairPointFloat64,
  type PairResultFloat64,
} from "./pair/float64.js";
export { pairThroughDepthPrecise, type PairPrecisionOptions, type PairPointPrecise, type PairResultPrecise, type VouchedPairField } from "./pair/precise.js";

// Float64 against high precision (SPEC §4): one pair, every depth scanned; a Gram matrix entry by entry.
export {
  comparePair,
  DIGIT_THRESHOLDS,
  MAX_COMPARE_DEPTH,
  DEFAULT_COMPARE_PRECISION,
  type PairCompareOptions,
  type PairComparison,
  type PairComparePoint,
  type Float64PathAtDepth,
  type DigitLoss,
} from "./compare/pairCompare.js";
export {
  compareGram,
  DEFAULT_GRAM_COMPARE_PRECISION,
  type GramCompareOptions,
  type GramComparison,
  type EntryComparison,
  type DeterminantComparison,
} from "./compare/gramCompare.js";

// Gram matrices through depth (SPEC §2, §5): Σ̄, Θ̄ and their complements at checkpoint depths.
export { gramThroughDepth, type GramThroughDepthFloat64Options } from "./gram.js";
export {
  gramThroughDepthFloat64,
  kernelMatrixFloat64,
  type GramOptions,
  type GramFloat64Options,
  type GramAtDepthFloat64,
  type GramResultFloat64,
  type GramKernels,
} from "./gram/float64.js";
export {
  gramThroughDepthPrecise,
  gramDeterminantsVouched,
  kernelMatrixPrecise,
  type GramPrecisionOptions,
  type GramAtDepthPrecise,
  type GramResultPrecise,
  type GramDeterminantPrecise,
  type GramMatrixName,
} from "./gram/precise.js";

// Determinant and conditioning (SPEC §5).
export { analyzeMatrixFloat64, FLOAT64_DIGITS, type MatrixAnalysisFloat64, type Determinant, type LinalgOptions } from "./linalg/lu.js";
export { analyzeMatrixPrecise, type MatrixAnalysisPrecise, type DeterminantPrecise, type DeterminantDigits } from "./linalg/preciseLu.js";

// Predictions (SPEC §6) on data: at one depth or through depth; a predictor that factors the training
// kernel once and answers many (time, test points) queries with the ensemble's mean and covariance
// (docs/PREDICTOR.md); classification by one-hot targets.
export {
  predict,
  predictThroughDepth,
  DEFAULT_AUTO_DIGITS,
  type PredictOptions,
  type PredictThroughDepthOptions,
  type DataPrediction,
  type DataPredictionFloat64,
} from "./predict/fromData.js";
export { TIME_CONVENTIONS, DIAG_REG_SCALES, type PredictionSettings, type TimeConvention, type DiagRegScale } from "./predict/settings.js";
export {
  createPredictor,
  type Predictor,
  type PredictorOptions,
  type PredictorQuery,
  type PredictorResult,
  type CovarianceRequest,
} from "./predict/predictor.js";
export {
  TARGET_KINDS,
  oneHotTargets,
  testClassIndices,
  argmaxClasses,
  accuracy,
  classify,
  type TargetKind,
  type ClassEncoding,
  type Classification,
} from "./predict/classes.js";

// The Mercer spectrum on the sphere: Gegenbauer eigenvalues μ_k^(L) of ρ1 ↦ Θ̄^(L), Σ̄^(L), and the kernels as functions of ρ1.
export {
  sphereSpectrum,
  harmonicDimension,
  MAX_SPECTRUM_DEGREE,
  DEFAULT_SPECTRUM_DEGREE,
  KERNEL_VALUE_RELATIVE_ERROR,
  type SphereSpectrumOptions,
  type SphereSpectrum,
  type SphereSpectrumAtDepth,
  type KernelSpectrum,
} from "./spectrum/gegenbauer.js";
export { kernelProfilesThroughDepth, type KernelProfileOptions, type KernelProfileAtDepth, type KernelProfileMethod } from "./spectrum/kernelProfile.js";

// Finite width (docs/FINITE_WIDTH.md): sampled ReLU networks, their empirical kernels, Monte Carlo over seeds, training.
export { empiricalKernels, type EmpiricalKernelOptions, type EmpiricalKernels } from "./width/empirical.js";
export {
  monteCarloKernels,
  type MonteCarloOptions,
  type MonteCarloResult,
  type KernelMonteCarlo,
  type EntryStatistics,
  type RatioEstimate,
} from "./width/monteCarlo.js";
export { MAX_FINITE_DEPTH, type FiniteNetworkOptions } from "./width/network.js";
export { trainNetworks, MAX_TRAINING_STEPS, type TrainOptions, type TrainResult, type TrainCheckpoint } from "./width/training.js";

// Architectures beyond the ReLU network (docs/ARCHITECTURES.md): a composable description (JSON or
// --arch text), its Gram matrices and pairs in float64 and at high precision.
export {
  reluMlpSpec,
  type ArchitectureSpec,
  type LayerSpec,
  type ResolvedArchitecture,
  type ResolvedLayer,
  type ResolvedActivation,
  type ResolvedAlpha,
} from "./arch/description.js";
export { parseArchitecture, parseArchitectureText, ARCH_SYNTAX_HELP } from "./arch/parse.js";
export {
  archGramThroughDepthFloat64,
  archPairThroughDepthFloat64,
  type ArchitectureInput,
  type ArchGramOptions,
  type ArchPairOptions,
} from "./arch/float64.js";
export {
  archGramThroughDepthPrecise,
  archGramDeterminantsVouched,
  archPairThroughDepthPrecise,
  type ArchGramPrecisionOptions,
  type ArchPairPrecisionOptions,
} from "./arch/precise.js";

// A value with the digits it vouches for (the one vouching rule, src/precise/vouched.ts).
export type { Vouched } from "./precise/vouched.js";

// Complements float64 has lost (σb > 0 past 2^-1022): the bound and the bits of GramAtDepthFloat64.lostToZero.
export { MIN_NORMAL_COMPLEMENT, LOST_SIGMA_COMPLEMENT, LOST_NTK_COMPLEMENT, type LostPairField } from "./gram/lostComplements.js";
export type { PrecisePredictor, PrecisePredictorOptions, PrecisePredictorQuery, PrecisePredictorResult } from "./predict/predictorPrecise.js";

// How renderTable lays out a table too wide for the terminal (blocks of columns, key columns repeated).
export type { TableLayout } from "./format.js";
// Unsuffixed entries that take an optional `precision` and pick the float64 or the precise variant.
export { analyzeMatrix, type AnalyzeMatrixFloat64Options, type AnalyzeMatrixPrecisionOptions } from "./linalg.js";
export { projectToSphere, type ProjectToSphereOptions } from "./sphere.js";
