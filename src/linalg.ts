/**
 * Determinant and conditioning of a square matrix (SPEC §5) at float64 or at any precision: one
 * entry point, precision is one option. Without `precision` the float64 LU of `./linalg/lu.ts`
 * (WebAssembly) runs; with `precision: P` (20 … 1000 significant digits) the decimal LU of
 * `./linalg/preciseLu.ts`, whose det and log10|det| carry the digits they vouch for.
 */
import { NtkError } from "./errors.js";
import type { Decimal } from "decimal.js";
import { analyzeMatrixFloat64, type LinalgOptions, type MatrixAnalysisFloat64 } from "./linalg/lu.js";
import { analyzeMatrixPrecise, type MatrixAnalysisPrecise } from "./linalg/preciseLu.js";

/** Options of {@link analyzeMatrix} in float64: those of `analyzeMatrixFloat64`, no precision. */
export interface AnalyzeMatrixFloat64Options extends LinalgOptions {
  readonly precision?: undefined;
}

/** Options of {@link analyzeMatrix} at a precision. */
export interface AnalyzeMatrixPrecisionOptions {
  /** Significant digits wanted, an integer 20 … 1000 (BAD_PRECISION otherwise). */
  readonly precision: number;
}

/**
 * Float64: det, log10|det| with sign, κ1 estimate, digits lost and kept, pivot growth of the
 * row-major n × n matrix `a` (see `analyzeMatrixFloat64`).
 */
export function analyzeMatrix(a: ArrayLike<number>, n: number, options?: AnalyzeMatrixFloat64Options): Promise<MatrixAnalysisFloat64>;
/**
 * High precision: det, log10|det|, sign and κ1 of `a` (entries exact Decimals), with `precision`
 * digits vouched for where the conditioning allows (see `analyzeMatrixPrecise`).
 */
export function analyzeMatrix(a: readonly Decimal[], n: number, options: AnalyzeMatrixPrecisionOptions): Promise<MatrixAnalysisPrecise>;
export async function analyzeMatrix(
  a: ArrayLike<number> | readonly Decimal[],
  n: number,
  options: AnalyzeMatrixFloat64Options | AnalyzeMatrixPrecisionOptions = {},
): Promise<MatrixAnalysisFloat64 | MatrixAnalysisPrecise> {
  if (typeof options !== "object" || options === null) {
    throw new NtkError(
      "BAD_OPTION",
      `analyzeMatrix takes an options object such as { precision: 30 } or { threads: 2 }, got ${options === null ? "null" : typeof options}.`,
    );
  }
  const precision = options.precision;
  if (precision !== undefined) return analyzeMatrixPrecise(a as readonly Decimal[], n, precision);
  return analyzeMatrixFloat64(a as ArrayLike<number>, n, options as AnalyzeMatrixFloat64Options);
}
