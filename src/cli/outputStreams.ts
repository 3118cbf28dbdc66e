import { NtkError } from "../index.js";
/**
 * What the command line does when its output cannot be written. A reader that goes away early
 * (`ntk-depth … | head -1`) is normal Unix use: EPIPE ends the run at once with exit code 0 and no
 * message, as `cat` or `seq` do. Any other write error (ENOSPC on a full disk, EIO, …) ends it
 * with the typed error OUTPUT_FAILED and exit code 1, never a stack trace.
 */

/** Exit code and the one line for stderr (empty for EPIPE) for a write error on `what`. */
export function outputFailure(error: NodeJS.ErrnoException, what: "standard output" | "standard error"): { code: number; message: string } {
  if (error.code === "EPIPE") return { code: 0, message: "" };
  const reason = error.code === "ENOSPC" ? "no space left on the device" : (error.message ?? String(error));
  const e = new NtkError("OUTPUT_FAILED", `cannot write to ${what}: ${reason}${error.code ? ` (${error.code})` : ""}. Free space or write elsewhere.`, {
    errno: error.code,
  });
  return { code: 1, message: `ntk-depth: error ${e.code}: ${e.message}\n` };
}

/**
 * Makes write errors on the process's stdout and stderr end the process as described above
 * (instead of Node's unhandled 'error' event with its stack trace).
 */
export function guardProcessOutput(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    const { code, message } = outputFailure(error, "standard output");
    if (message) process.stderr.write(message);
    process.exit(code);
  });
  process.stderr.on("error", (error: NodeJS.ErrnoException) => process.exit(outputFailure(error, "standard error").code || 1));
}
