/**
 * `ntk-depth/advanced`: engine-level pieces beneath the core API of `ntk-depth` (src/index.ts),
 * for programs that assemble their own pipelines: the WebAssembly engine, float64 and decimal
 * factorizations (LU, Cholesky, symmetric eigendecomposition), kernel matrices and predictions from
 * Gram results, the gradient-flow filter, digit counting, decimal text, progress plumbing. Browser-safe
 * like the core. These are the same functions the core is built from, re-exported here without copies;
 * their signatures follow the engine and may change more often than the core's. Validators of user
 * options (parameters, depths, precision, threads, architectures) are not exported: every entry point
 * validates its own options and throws an `NtkError`.
 */
export { loadWasmEngine, MAX_WASM_BYTES, type WasmEngine, type WasmVariant } from "./wasm/engine.js";
export { throwIfAborted } from "./progress.js";
export { parseDecimalText, toExactDecimal, exactOneMinus } from "./decimalText.js";
export { parseJsonKeepingNumbers } from "./data/json.js";
export { preciseDecimal } from "./precise/precision.js";

// Float64 and decimal factorizations.
export { luFactorFloat64, LuFactorizationFloat64, type LuFactorsFloat64 } from "./linalg/lu.js";
export { choleskyFactor, CholeskyFactorization } from "./linalg/cholesky.js";
export { symmetricEigenFloat64, type SymmetricEigenFloat64, type SymmetricEigenOptions } from "./linalg/eigen.js";
export {
  luFactorPrecise,
  luSolvePrecise,
  solvePrecise,
  luAnalysisPrecise,
  findIdenticalRows,
  type LuAnalysisPrecise,
  type LuFactorsPrecise,
  type IdenticalRows,
} from "./linalg/preciseLu.js";
export { symmetricEigenPrecise, type SymmetricEigenPrecise } from "./linalg/preciseEigen.js";
export { determinantFromComplement, type ComplementDeterminant } from "./linalg/complement.js";

// Pair, Gram and prediction engines beneath the core's entry points.
export { pairComplementsPrecise } from "./sphere/precise.js";
export { gramThroughDepthPreciseRuns, gramDeterminantsPrecise, gramDeterminantsPaced, kernelEntryDigitsVouched, type GramRunsPrecise } from "./gram/precise.js";
export { gramFloat64For, gramDeterminantsVouchedFor } from "./arch/gramFor.js";
export { toArchitecture } from "./arch/float64.js";
export { unionPoints, unionRaw, sliceUnion } from "./predict/union.js";
export { predictFromKernelsFloat64, type KernelPredictionFloat64Options, type PredictionFloat64 } from "./predict/float64.js";
export { predictFromKernelsPrecise, type KernelPredictionPreciseOptions, type PredictionPrecise, type PredictionDigitsVouched } from "./predict/precise.js";
export { flowFilter, flowFilterPrecise } from "./predict/flowFilter.js";
export { spectralPredictor, type SpectralPredictor } from "./predict/spectral.js";
export { type EnsembleOnDataFloat64 } from "./predict/ensembleOnData.js";
export { ensembleOnDataPrecise, type EnsembleOnDataPrecise } from "./predict/ensembleOnDataPrecise.js";
export { findSingularCauses, depthOneBias, type SingularCause, type SingularCauseInput } from "./predict/singularCause.js";
export { type SampleRunner, type SampleJob, type RawSample } from "./width/monteCarlo.js";

// Depth at constant cost (SPEC §9): the float64 jump for σb = 0, the raw diagonals in closed form, the depth map.
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

// Digit counting (how many significant digits of a value agree with a reference).
export { correctDigits, relativeError, digitsVouched, float64DigitsFromRelativeError, vouchedText, FLOAT64_MATCH_DIGITS, NO_DIGIT_VOUCHED } from "./digits.js";

// The vouching rule: two runs 6 digits apart, the digits they agree on, one retry (src/precise/vouched.ts).
export { digitsAgreed, vouchTwice, VOUCH_EXTRA_DIGITS, type VouchPlan, type VouchedRuns } from "./precise/vouched.js";

// How many worker threads a call with `threads: n` (or none) will use: all cores by default, 1 where shared memory is unavailable.
export { resolveThreads } from "./threads/pool.js";
