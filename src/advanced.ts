/**
 * `ntk-depth/advanced`: engine-level pieces beneath the core API of `ntk-depth` (src/index.ts),
 * for programs that assemble their own pipelines: the WebAssembly engine, float64 and decimal
 * factorizations (LU, Cholesky, symmetric eigendecomposition), kernel matrices from Gram results,
 * the gradient-flow filter, Gram comparison and digit counting. Browser-safe like the core.
 * These are the same functions the core is built from, re-exported here without copies; their
 * signatures follow the engine and may change more often than the core's.
 */
export { loadWasmEngine, MAX_WASM_BYTES, type WasmEngine, type WasmVariant } from "./wasm/engine.js";
export { luFactorFloat64, LuFactorizationFloat64, FLOAT64_DIGITS, type LuFactorsFloat64, type LinalgOptions } from "./linalg/lu.js";
export { choleskyFactor, CholeskyFactorization } from "./linalg/cholesky.js";
export { symmetricEigenFloat64, type SymmetricEigenFloat64, type SymmetricEigenOptions } from "./linalg/eigen.js";
export {
  luFactorPrecise,
  luSolvePrecise,
  solvePrecise,
  luAnalysisPrecise,
  findIdenticalRows,
  type LuFactorsPrecise,
  type IdenticalRows,
} from "./linalg/preciseLu.js";
export { symmetricEigenPrecise, type SymmetricEigenPrecise } from "./linalg/preciseEigen.js";
export { preciseDecimal, checkPrecision, MIN_PRECISION, MAX_PRECISION } from "./precise/precision.js";
export { resolveParams, resolveRho1, MAX_DEPTH, type ResolvedParams, type ResolvedRho1 } from "./params.js";
export { pairThroughDepthFloat64, type PairResultFloat64 } from "./pair/float64.js";
export { pairThroughDepthPrecise, type PairResultPrecise } from "./pair/precise.js";
export { gramThroughDepthFloat64, kernelMatrixFloat64, type GramAtDepthFloat64 } from "./gram/float64.js";
export {
  gramThroughDepthPrecise,
  gramThroughDepthPreciseRuns,
  gramDeterminantsPrecise,
  kernelMatrixPrecise,
  type GramAtDepthPrecise,
  type GramRunsPrecise,
  type GramDeterminantPrecise,
} from "./gram/precise.js";
export { unionPoints, unionRaw, sliceUnion } from "./predict/union.js";
export { predictFromKernelsFloat64, type KernelPredictionFloat64Options, type PredictionFloat64 } from "./predict/float64.js";
export { predictFromKernelsPrecise, type KernelPredictionPreciseOptions, type PredictionPrecise } from "./predict/precise.js";
export { flowFilter, flowFilterPrecise } from "./predict/flowFilter.js";
export { findSingularCauses, type SingularCause, type SingularCauseInput } from "./predict/singularCause.js";
export {
  compareGram,
  DEFAULT_GRAM_COMPARE_PRECISION,
  type GramCompareOptions,
  type GramComparison,
  type EntryComparison,
  type DeterminantComparison,
} from "./compare/gramCompare.js";
export { correctDigits, relativeError, digitsVouched, float64DigitsFromRelativeError, FLOAT64_MATCH_DIGITS } from "./compare/digits.js";
