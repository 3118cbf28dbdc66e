/**
 * What every command gets from the dispatcher: where to write (so tests can run the CLI in
 * process) and the shared output conventions: JSON on stdout with every number as a string,
 * tables for people, a progress sink on stderr.
 */
import type { KernelName } from "../types.js";
import type { ProgressSink } from "./progressBar.js";
import { TEXT_WIDTH, wrapText } from "../format.js";

/** Output channels of one CLI run. */
export interface CliIO {
  /** Writes to standard output (results only). */
  readonly out: (text: string) => void;
  /** Writes to standard error (messages, progress). */
  readonly err: (text: string) => void;
  /** The stream progress bars are drawn on, and whether it is a terminal. */
  readonly errStream: NodeJS.WritableStream;
  readonly errIsTTY: boolean;
}

/**
 * Prints text output for people: prose lines longer than {@link TEXT_WIDTH} columns are wrapped at
 * spaces; lines with aligned columns (two spaces in a row inside them: table rows) are kept whole.
 */
export function printText(io: CliIO, text: string): void {
  io.out(
    text
      .split("\n")
      .map((line) => (line.length > TEXT_WIDTH && !/\S {2,}\S/.test(line) ? wrapText(line) : line))
      .join("\n"),
  );
}

/** Prints a JSON document (numbers already converted to decimal strings by the caller). */
export function printJson(io: CliIO, doc: unknown): void {
  io.out(JSON.stringify(doc, null, 2) + "\n");
}

/** The progress sink of a command: a bar only on a terminal and never with `--json`. */
export function progressSink(io: CliIO, json: boolean): ProgressSink {
  return { showBar: io.errIsTTY && !json, stream: io.errStream };
}

/** The SPEC symbol of a kernel: Θ (NTK) or Σ (NNGP), with the bar of the normalized kernel (Θ̄, Σ̄). */
export function kernelSymbol(kernel: KernelName, normalized: boolean): string {
  return kernel === "ntk" ? (normalized ? "Θ̄" : "Θ") : normalized ? "Σ̄" : "Σ";
}
