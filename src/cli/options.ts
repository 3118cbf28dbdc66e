import { NtkError, type NtkErrorCode } from "../index.js";
/**
 * Reading numeric command-line flags: integers (depths, dimensions, digits) and comma-separated
 * depth lists. Range checks stay with the library (src/params.ts and friends), so the CLI and the
 * API reject the same values with the same codes; this module only turns text into integers.
 */

/**
 * The integer spelled by `text` ("1000", "1e6"), or `NtkError(code)` naming `flag` when the text
 * is not a safe integer.
 */
export function parseInteger(text: string, flag: string, code: NtkErrorCode): number {
  const t = text.trim();
  const value = /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(value)) {
    throw new NtkError(code, `${flag} must be an integer, got "${text}".`, { flag, text });
  }
  return value;
}

/** A comma-separated list of depths ("1,10,1e3") as integers, in the order given. */
export function parseDepthList(text: string, flag: string): number[] {
  return text.split(",").map((part) => parseInteger(part, flag, "BAD_DEPTH"));
}

/** `--threads <N>` of the commands that run on the worker pool (kernel, predict). */
export const THREADS_FLAG = "--threads <N>";
export const THREADS_HELP =
  "worker threads for the Gram fill and the linear algebra (1..63; default: every core). Results are the same bits for any N; small problems run on one thread anyway";

/** The `--threads` value as an integer (checked further by the library), or undefined when not given. */
export function parseThreads(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseInteger(text, "--threads", "BAD_OPTION");
}
