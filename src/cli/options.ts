/**
 * Reading numeric command-line flags: integers (depths, dimensions, digits) and comma-separated
 * depth lists. Range checks stay with the library (src/params.ts and friends), so the CLI and the
 * API reject the same values with the same codes; this module only turns text into integers.
 */
import { getHeapStatistics } from "node:v8";
import type { Command } from "commander";
import { NtkError, type NtkErrorCode } from "../errors.js";
import type { ResourceLimits } from "../precise/runCost.js";

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

/** Share of Node's heap limit a high-precision run may be estimated to use by default. */
const HEAP_SHARE = 0.75;

/** `--max-memory` and `--max-time` of the commands with high-precision runs (rho, kernel, compare, predict). */
export function addLimitFlags(command: Command): Command {
  return command
    .option(
      "--max-memory <MiB>",
      `high precision: refuse runs estimated to need more heap than this, in MiB, or inf (default: ${Math.round((HEAP_SHARE * getHeapStatistics().heap_size_limit) / 2 ** 20)}, 3/4 of Node's heap limit)`,
    )
    .option("--max-time <s>", "high precision: refuse runs estimated to take longer than this, in seconds, or inf (default: 3600)");
}

/** The limits of {@link addLimitFlags}' flags (BAD_OPTION for text that is not a positive integer or inf). */
export function parseLimits(flags: { readonly maxMemory?: string; readonly maxTime?: string }): ResourceLimits {
  const read = (text: string, flag: string) => (text.trim() === "inf" ? Infinity : parseInteger(text, flag, "BAD_OPTION"));
  return {
    maxMemoryBytes: flags.maxMemory === undefined ? HEAP_SHARE * getHeapStatistics().heap_size_limit : read(flags.maxMemory, "--max-memory") * 2 ** 20,
    maxSeconds: flags.maxTime === undefined ? undefined : read(flags.maxTime, "--max-time"),
  };
}
