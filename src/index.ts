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
export { projectToSphere, PROJECTIONS, DEFAULT_SPHERE_TOLERANCE, type RawPoints, type ProjectionOptions } from "./sphere/float64.js";

// Numbers to text.
export { formatFloat64, formatScaled, formatFromLog10, formatVouched, renderTable, type TableColumn } from "./format.js";

// The WebAssembly engine (loaded on first use; exposed for hosts that want to preload it).
export { loadWasmEngine, type WasmVariant } from "./wasm/engine.js";

// Dense linear algebra (SPEC §5): LU, determinant with log10|det| and sign, condition estimate.
export { analyzeMatrix, luFactor, LuFactorization, FLOAT64_DIGITS, type MatrixAnalysis, type Determinant, type LuFactors, type LinalgOptions } from "./linalg/lu.js";

// Gram matrices through depth (SPEC §2, §5): Σ̄, Θ̄ and their complements at checkpoint depths.
export { gramThroughDepthFloat64, kernelMatrix64, type GramOptions, type GramFloat64Options, type GramAtDepth64 } from "./gram/float64.js";

// High precision (SPEC §4 at any precision): one pair through depth with digits vouched; digit counting.
export { pairThroughDepth } from "./pair.js";
export { pairThroughDepthFloat64, type PairOptions, type PairFloat64Options, type PairMethod, type PairPoint64, type PairResult64 } from "./pair/float64.js";
export { resolveParams, resolveRho1, MAX_DEPTH, type ResolvedParams, type ResolvedRho1 } from "./params.js";
export { pairThroughDepthPrecise, type PairPrecisionOptions, type PairPointPrecise, type PairResultPrecise, type VouchedPairField } from "./pair/precise.js";
export { checkPrecision, MIN_PRECISION, MAX_PRECISION } from "./precise/precision.js";
export { correctDigits, relativeError, digitsVouched } from "./compare/digits.js";
// Float64 (textbook and stable) against high precision for one pair, every depth scanned.
export { comparePair, DIGIT_THRESHOLDS, MAX_COMPARE_DEPTH, type PairCompareOptions, type PairComparison, type PairComparePoint, type Float64PathAtDepth, type DigitLoss } from "./compare/pairCompare.js";

// High precision for data: sphere projections, Gram matrices with vouched entries and determinants, decimal LU.
export { projectToSphereAtPrecision, pairComplementsAtPrecision, exactRawCoordinates, type PreciseSpherePoints } from "./sphere/precise.js";
export { gramThroughDepthPrecise, gramDeterminantsVouched, kernelMatrixPrecise, type GramPrecisionOptions, type GramAtDepthPrecise, type GramResultPrecise, type GramDeterminantPrecise, type GramMatrixName } from "./gram/precise.js";
export { gramThroughDepth, type GramThroughDepthFloat64Options } from "./gram.js";
export { analyzeMatrixPrecise, preciseLuAnalysis, preciseLuFactor, preciseSolve, findIdenticalRows, type PreciseMatrixAnalysis, type VouchedMatrixAnalysis, type PreciseDeterminant, type DeterminantDigits } from "./linalg/preciseLu.js";

// Closed-form predictions (SPEC §6): from kernel matrices in float64 and at any precision, and on data.
export { predictFromKernels64, type KernelPrediction64Options, type Prediction64 } from "./predict/float64.js";
export { predictFromKernelsPrecise, type KernelPredictionPreciseOptions, type PredictionPrecise, type PredictionDigitsVouched } from "./predict/precise.js";
export { predict, predictThroughDepth, DEFAULT_AUTO_DIGITS, type PredictOptions, type PredictThroughDepthOptions, type DataPrediction, type DataPrediction64 } from "./predict/fromData.js";
export { TIME_CONVENTIONS, DIAG_REG_SCALES, type PredictionSettings, type TimeConvention, type DiagRegScale } from "./predict/settings.js";
export { flowFilter, flowFilterPrecise } from "./predict/flowFilter.js";
export { preciseSymmetricEigen, type PreciseEigen } from "./linalg/preciseEigen.js";

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
export { TARGET_KINDS, oneHotTargets, testClassIndices, argmaxClasses, accuracy, classify, type TargetKind, type ClassEncoding, type Classification } from "./predict/classes.js";
export { spectralPredictor, type SpectralPredictor } from "./predict/spectral.js";
