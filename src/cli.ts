#!/usr/bin/env node
/**
 * The `ntk-depth` command line. Run it as `npx tsx src/cli.ts <command> …` in a checkout, or through
 * the package bin `ntk-depth` (bin/ntk-depth.mjs, which runs the compiled dist/cli.js).
 *
 * Adding a command is one line: write `src/cli/<name>.ts` exporting
 * `register(program: Command, io: CliIO): void` (which calls `program.command("<name>")…`; write
 * results with `io.out`, use `printJson`/`progressSink` from `./cli/context.js`, `withProgress`
 * from `./cli/progressBar.js` and `src/format.ts` for numbers), then add it to `COMMANDS` below.
 *
 * Exit codes: 0 success; 1 an `NtkError` (bad input, singular system, …: message and code on
 * stderr, no stack trace); 2 bad usage (unknown command or option, missing or invalid argument);
 * 130 interrupted by Ctrl-C. Anything else is a bug and prints its stack trace.
 */
import { pathToFileURL } from "node:url";
import { Command, CommanderError } from "commander";
import { isNtkError } from "./errors.js";
import type { CliIO } from "./cli/context.js";
import { register as registerRho } from "./cli/rho.js";
import { register as registerKernel } from "./cli/kernel.js";
import { register as registerPredict } from "./cli/predict.js";
import { register as registerStudy } from "./cli/study.js";
import { register as registerCompare } from "./cli/compare.js";
import { register as registerWidth } from "./cli/width.js";
import { register as registerTrain } from "./cli/train.js";
import { packageVersion } from "./cli/version.js";
import { guardProcessOutput } from "./cli/outputStreams.js";

/** Every command, registered in this order (which is also the order of `--help`). */
const COMMANDS: readonly ((program: Command, io: CliIO) => void)[] = [
  registerRho,
  registerKernel,
  registerCompare,
  registerPredict,
  registerStudy,
  registerWidth,
  registerTrain,
];

/** Exit code for bad usage (unknown option or command, missing or malformed argument). */
export const EXIT_USAGE = 2;
/** Exit code for an NtkError. */
export const EXIT_ERROR = 1;
/** Exit code after Ctrl-C, as shells report for SIGINT. */
export const EXIT_INTERRUPTED = 130;

/** What Ctrl-C prints, whenever it comes. */
export const INTERRUPTED_MESSAGE = "ntk-depth: interrupted; nothing was computed to the end, no result printed.\n";

/** Builds the program with every command; writes go to `io`. */
export function buildProgram(io: CliIO): Command {
  const program = new Command("ntk-depth")
    .description(
      "Neural tangent (Θ) and NNGP (Σ) kernels of deep, infinitely wide ReLU networks (σw = 1, σb = 0 by default), " +
        "in float64 (WebAssembly) and in arbitrary precision (decimal.js). docs/SPEC.md defines every quantity.",
    )
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError("(run with --help for usage)")
    .allowExcessArguments(false)
    .version(packageVersion(), "-V, --version", "print the version of ntk-depth and exit");
  for (const register of COMMANDS) register(program, io);
  return program;
}

/**
 * Runs the CLI on `args` (without the node and script paths) and returns the exit code.
 * Never throws for user errors; an unexpected exception (a bug) propagates.
 */
export async function runCli(args: readonly string[], io: CliIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...args], { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_USAGE;
    if (isNtkError(e, "ABORTED")) {
      io.err(INTERRUPTED_MESSAGE);
      return EXIT_INTERRUPTED;
    }
    if (isNtkError(e)) {
      io.err(`ntk-depth: error ${e.code}: ${e.message}\n`);
      return EXIT_ERROR;
    }
    throw e;
  }
}

/** The process's own IO channels. */
export function processIO(): CliIO {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    errStream: process.stderr,
    errIsTTY: process.stderr.isTTY === true,
  };
}

/** Entry point of the bin and of `tsx src/cli.ts`: runs on process.argv and sets the exit code. */
export async function main(): Promise<void> {
  guardProcessOutput();
  // Ctrl-C outside a long computation (loading data, parsing, printing): the same message and code.
  // During one, `withProgress` has its own handler, which aborts the run and lets it end cleanly.
  process.on("SIGINT", () => {
    if (process.listenerCount("SIGINT") > 1) return;
    process.stderr.write(INTERRUPTED_MESSAGE);
    process.exit(EXIT_INTERRUPTED);
  });
  process.exitCode = await runCli(process.argv.slice(2), processIO());
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
