/**
 * The one error class of ntk-depth. Every rejection of bad input, every exactly singular system
 * and every resource limit is an `NtkError` with a stable `code` that callers can switch on; the
 * message says what was wrong and what to do about it.
 */

/** Stable error codes. Codes are never renamed; new ones are only added. */
export type NtkErrorCode =
  | "NON_FINITE" // a NaN or ±Infinity in the input
  | "NOT_A_NUMBER" // text that does not spell a decimal number
  | "RAGGED_ROWS" // rows of different length
  | "EMPTY_DATA" // no points, or points of dimension 0
  | "DIMENSION_MISMATCH" // train/test (or points/labels) disagree in shape
  | "ZERO_VECTOR" // a zero vector cannot be normalized onto the sphere
  | "OFF_SPHERE" // projection "none" but |x| differs from 1 by more than the tolerance
  | "BAD_DEPTH" // depth not a positive integer, or out of range
  | "BAD_RHO" // |ρ1| > 1
  | "BAD_SIGMA_W" // σw ≤ 0 (or not finite)
  | "BAD_SIGMA_B" // σb < 0 (or not finite)
  | "BAD_OPTION" // any other option outside its domain (learning rate, time, ridge, …)
  | "BAD_PRECISION" // precision outside the supported range of significant digits
  | "PRECISION_LIMIT" // beyond what decimal.js's stored constants (π, ln 10) or the depth jump's tabulated series support
  | "SINGULAR_MATRIX" // an exactly singular system in a solve
  | "WASM_MEMORY_EXHAUSTED" // the WebAssembly memory cannot grow to the size the problem needs
  | "FILE_UNREADABLE" // a file that cannot be opened or read
  | "FILE_MALFORMED" // a file whose contents are not in the expected format
  | "ABORTED" // a long run cancelled through its AbortSignal
  | "NOT_POSITIVE_DEFINITE" // Cholesky met a non-positive pivot: the matrix is not SPD in float64
  | "NO_CONVERGENCE" // an iteration (e.g. Jacobi eigen sweeps) did not converge in its budget
  | "UNKNOWN_DATASET" // a built-in data-set name that does not exist (the valid names are listed)
  | "BAD_RANGE" // a data-set index range that is malformed, out of bounds or empty
  | "NO_CLASS_LABELS" // classification asked for (targets "onehot") but the data carry no class labels
  | "UNKNOWN_CLASS" // a test point's class is not among the training classes
  | "BAD_WIDTH" // a finite network's width not an integer ≥ 1 (or widths not one per hidden layer)
  | "BAD_SAMPLES" // too few sampled networks for the statistics asked for (at least 2)
  | "DIVERGED" // gradient descent's loss stopped being finite; details.step and the checkpoints so far
  | "BAD_ARCH" // an architecture description (JSON or --arch text) that is malformed or has no kernel recursion
  | "OUTPUT_FAILED" // the command line could not write its output (disk full, I/O error)
  | "PRECISION_RUN_TOO_LARGE" // a high-precision run estimated to need more memory or time than allowed (details: estimates, largest size that fits)
  | "BAD_ARGUMENT" // an argument of the wrong type (no options object, text where a number or array belongs, …)
  | "UNSUPPORTED_HOST"; // the host lacks a WebAssembly feature the requested build needs (relaxed SIMD for the "fma" build)

/** Extra facts attached to an error, for programs that want more than the message. */
export interface NtkErrorDetails {
  readonly [key: string]: unknown;
}

/** The single error type thrown by ntk-depth for anything the caller can fix. */
export class NtkError extends Error {
  override readonly name = "NtkError";
  /** Stable machine-readable reason; see {@link NtkErrorCode}. */
  readonly code: NtkErrorCode;
  /** Structured facts behind the message (the offending value, a line number, …). */
  readonly details: NtkErrorDetails;

  constructor(code: NtkErrorCode, message: string, details: NtkErrorDetails = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/** True when `e` is an {@link NtkError}, optionally with the given code. */
export function isNtkError(e: unknown, code?: NtkErrorCode): e is NtkError {
  return e instanceof NtkError && (code === undefined || e.code === code);
}
