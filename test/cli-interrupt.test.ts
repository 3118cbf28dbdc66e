/**
 * Ctrl-C always ends the command line with its message and exit code 130, also in the middle of
 * the long decimal LU of `kernel --compare` (which once ran tens of seconds without yielding to
 * the event loop, so that SIGINT waited for the end). A real process: the signal handler is the
 * process's own. The child runs the CLI's `main()` and says "ready" once its handler is installed,
 * so the signal never lands in module loading (where Node's default action would kill it).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
/** Starts main() (process.argv: node, a placeholder for the script, the arguments), and reports once its SIGINT handler exists. */
const STARTER = `const { main } = await import("./src/cli.ts"); const done = main(); process.stderr.write("ready\\n"); await done;`;

function interruptAfter(delayMs: number, args: readonly string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", STARTER, "ntk-depth", ...args], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    let sent = false;
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (!sent && stderr.includes("ready\n")) {
        sent = true;
        setTimeout(() => child.kill("SIGINT"), delayMs);
      }
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stderr: stderr.replace("ready\n", "") }));
  });
}

/** About a minute of high-precision work: Gram runs, their comparison, then 2 × 30 decimal LUs of order 20. */
const LONG_COMPARE = ["kernel", "--data", "mnist[0:20]", "--depth", "30", "--compare"];

describe("Ctrl-C", () => {
  it("during a long high-precision run: the interruption message and exit code 130", async () => {
    const r = await interruptAfter(1500, LONG_COMPARE);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(130);
    expect(r.stderr).toBe("ntk-depth: interrupted; nothing was computed to the end, no result printed.\n");
  });

  it("before any computation starts (data still loading): the same message and code", async () => {
    const r = await interruptAfter(0, LONG_COMPARE);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(130);
    expect(r.stderr).toBe("ntk-depth: interrupted; nothing was computed to the end, no result printed.\n");
  });
});
