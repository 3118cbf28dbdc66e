/**
 * ntk-depth's public API. Browser-safe: nothing here touches node: modules or files (Node
 * programs load data files with `loadDataset` from `ntk-depth/data/files`, i.e. src/data/files.ts).
 */
export { NtkError, isNtkError, type NtkErrorCode, type NtkErrorDetails } from "./errors.js";
export type { NetworkParams, KernelName, SpherePoints, Projection } from "./types.js";
export { parseDecimalText, toExactDecimal, exactOneMinus } from "./decimalText.js";
export type { ProgressOptions } from "./progress.js";

// Data in (SPEC §7) and projections onto the sphere.
export { datasetFromArrays, checkCompatible, type Dataset, type DatasetInput, type RawNumber } from "./data/dataset.js";
export { parseDatasetJson, parseJsonKeepingNumbers, type JsonValue } from "./data/json.js";
export { parseDatasetCsv } from "./data/csv.js";
export { parseDatasetText } from "./data/text.js";
export { projectToSphereFloat64, PROJECTIONS, DEFAULT_SPHERE_TOLERANCE, type RawPoints, type ProjectionOptions } from "./sphere/float64.js";

// Numbers to text.
export { formatFloat64, formatScaled, formatFromLog10, formatVouched, renderTable, type TableColumn } from "./format.js";

// The WebAssembly engine (loaded on first use; exposed for hosts that want to preload it).
export { loadWasmEngine, type WasmVariant } from "./wasm/engine.js";

// Dense linear algebra (SPEC §5): LU, determinant with log10|det| and sign, condition estimate.
export {
  analyzeMatrixFloat64,
  luFactorFloat64,
  LuFactorizationFloat64,
  FLOAT64_DIGITS,
  type MatrixAnalysisFloat64,
  type Determinant,
  type LuFactorsFloat64,
  type LinalgOptions,
} from "./linalg/lu.js";

// Gram matrices through depth (SPEC §2, §5): Σ̄, Θ̄ and their complements at checkpoint depths.
export { gramThroughDepthFloat64, kernelMatrixFloat64, type GramOptions, type GramFloat64Options, type GramAtDepthFloat64 } from "./gram/float64.js";

// High precision (SPEC §4 at any precision): one pair through depth with digits vouched; digit counting.
export { pairThroughDepth } from "./pair.js";
export {
  pairThroughDepthFloat64,
  type PairOptions,
  type PairFloat64Options,
  type PairMethod,
  type PairPointFloat64,
  type PairResultFloat64,
} from "./pair/float64.js";
export { resolveParams, resolveRho1, MAX_DEPTH, type ResolvedParams, type ResolvedRho1 } from "./params.js";
export { pairThroughDepthPrecise, type PairPrecisionOptions, type PairPointPrecise, type PairResultPrecise, type VouchedPairField } from "./pair/precise.js";
export { checkPrecision, MIN_PRECISION, MAX_PRECISION } from "./precise/precision.js";
export { correctDigits, relativeError, digitsVouched, float64DigitsFromRelativeError } from "./compare/digits.js";
// Float64 (textbook and stable) against high precision for one pair, every depth scanned.
export {
  comparePair,
  DIGIT_THRESHOLDS,
  MAX_COMPARE_DEPTH,
  type PairCompareOptions,
  type PairComparison,
  type PairComparePoint,
  type Float64PathAtDepth,
  type DigitLoss,
} from "./compare/pairCompare.js";

// High precision for data: sphere projections, Gram matrices with vouched entries and determinants, decimal LU.
export { projectToSpherePrecise, pairComplementsPrecise, exactRawCoordinates, type SpherePointsPrecise } from "./sphere/precise.js";
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
export { gramThroughDepth, type GramThroughDepthFloat64Options } from "./gram.js";
export {
  analyzeMatrixPrecise,
  luAnalysisPrecise,
  luFactorPrecise,
  solvePrecise,
  findIdenticalRows,
  type MatrixAnalysisPrecise,
  type VouchedMatrixAnalysis,
  type DeterminantPrecise,
  type DeterminantDigits,
} from "./linalg/preciseLu.js";

// Closed-form predictions (SPEC §6): from kernel matrices in float64 and at any precision, and on data.
export { predictFromKernelsFloat64, type KernelPredictionFloat64Options, type PredictionFloat64 } from "./predict/float64.js";
export { predictFromKernelsPrecise, type KernelPredictionPreciseOptions, type PredictionPrecise, type PredictionDigitsVouched } from "./predict/precise.js";
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
export { flowFilter, flowFilterPrecise } from "./predict/flowFilter.js";
export { symmetricEigenPrecise, type SymmetricEigenPrecise } from "./linalg/preciseEigen.js";

// The Mercer spectrum on the sphere (issue 9): Gegenbauer eigenvalues μ_k^(L) of ρ1 ↦ Θ̄^(L), Σ̄^(L), and the kernels as functions of ρ1.
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

// Depth at constant cost (SPEC §9): exact depths to 2^60, the float64 jump for σb = 0 (one pair, or
// a range of packed pairs in WebAssembly memory), the raw diagonals in closed form.
export { MAX_JUMP_DEPTH, resolveDepth, resolveCheckpoints, type DepthInput } from "./params.js";
export { AUTO_JUMP_ABOVE, type PairMethodRun } from "./pair/float64.js";
export { depthJumpFloat64, depthJumpFillFloat64, rawDiagonalFloat64, type DepthJumpFloat64, type RawDiagonalFloat64 } from "./depth/float64.js";
export {
  buildDepthMapFloat64,
  depthMapFillFloat64,
  depthMapGeometricPieces,
  depthMapLength,
  DEPTH_MAP_POINTS,
  DEPTH_MAP_UNIFORM_PIECES,
  type DepthMapFloat64,
} from "./depth/depthMap.js";

// Built-in data sets (MNIST, Iris) by name and index range, read through a files seam (Node: loadDataset
// in data/files.ts accepts the names; pages: fetchBuiltinDataFiles), and classification by one-hot targets.
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

// What the explorer page (web/) needs beyond the above.
export { FLOAT64_MATCH_DIGITS } from "./compare/digits.js";

// Finite width (docs/FINITE_WIDTH.md): sampled ReLU networks, their empirical kernels, Monte Carlo over seeds.
export { empiricalKernels, type EmpiricalKernelOptions, type EmpiricalKernels } from "./width/empirical.js";
export {
  monteCarloKernels,
  type MonteCarloOptions,
  type MonteCarloResult,
  type KernelMonteCarlo,
  type EntryStatistics,
  type RatioEstimate,
  type SampleRunner,
  type SampleJob,
  type RawSample,
} from "./width/monteCarlo.js";
export { MAX_FINITE_DEPTH, type FiniteNetworkOptions } from "./width/network.js";
export { trainNetworks, MAX_TRAINING_STEPS, type TrainOptions, type TrainResult, type TrainCheckpoint } from "./width/training.js";
// Architectures beyond the ReLU network (docs/ARCHITECTURES.md): a composable description (JSON or
// --arch text), its Gram matrices and pairs in float64 and at high precision.
export {
  resolveArchitecture,
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
  toArchitecture,
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
// A predictor that factors the training kernel once and answers many (time, test points) queries,
// with the mean and covariance of the ensemble of trained networks (docs/PREDICTOR.md).
export {
  createPredictor,
  type Predictor,
  type PredictorOptions,
  type PredictorQuery,
  type PredictorResult,
  type CovarianceRequest,
} from "./predict/predictor.js";
// Worker threads (issue 9): the thread count every parallel entry point resolves, and its bounds.
export { resolveThreads, MAX_THREADS, type ThreadOptions } from "./threads/pool.js";
export { spectralPredictor, type SpectralPredictor } from "./predict/spectral.js";
// Reproducible data (issue 13): seeded random points uniform on the sphere and the study's synthetic target.
export { seededUniform, randomGaussianPoints, syntheticLabels } from "./study/randomData.js";

// The vouching rule every high-precision result follows (src/precise/vouched.ts).
export { digitsAgreed, vouchTwice, VOUCH_EXTRA_DIGITS, type Vouched, type VouchedRuns, type VouchPlan } from "./precise/vouched.js";
export type { PrecisePredictor, PrecisePredictorOptions, PrecisePredictorQuery, PrecisePredictorResult } from "./predict/predictorPrecise.js";
