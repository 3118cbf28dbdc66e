/**
 * The command line's output going wrong: a reader that closes the pipe early (EPIPE: exit 0, no
 * message) and a full disk (ENOSPC: OUTPUT_FAILED, exit 1, no stack trace). Real processes, since
 * both are about the process's own stdout.
 */
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { outputFailure } from "../src/cli/outputStreams.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsx = join(root, "node_modules", ".bin", "tsx");
/** A run whose output is long enough to need more than one pipe buffer. */
const LONG_RUN = ["src/cli.ts", "rho", "--rho1", "0.5", "--depth", "3000", "--at", Array.from({ length: 3000 }, (_, i) => i + 1).join(",")];

function runCli(stdout: "pipe" | number, closeAtOnce: boolean): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, LONG_RUN, { cwd: root, stdio: ["ignore", stdout, "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    if (closeAtOnce) child.stdout!.destroy();
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("output errors of the command line", () => {
  it("a reader that closes the pipe at once (… | head -1): exit 0, nothing on stderr", async () => {
    const r = await runCli("pipe", true);
    expect(r).toEqual({ code: 0, stderr: "" });
  });

  it("a full disk (/dev/full): OUTPUT_FAILED on stderr, exit 1, no stack trace", async () => {
    const fd = openSync("/dev/full", "w");
    try {
      const r = await runCli(fd, false);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^ntk-depth: error OUTPUT_FAILED: cannot write to standard output: no space left on the device \(ENOSPC\)\./);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      closeSync(fd);
    }
  });

  it("maps each write error to its exit code and message", () => {
    expect(outputFailure(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }), "standard output")).toEqual({ code: 0, message: "" });
    const eio = outputFailure(Object.assign(new Error("i/o error, write"), { code: "EIO" }), "standard output");
    expect(eio.code).toBe(1);
    expect(eio.message).toBe("ntk-depth: error OUTPUT_FAILED: cannot write to standard output: i/o error, write (EIO). Free space or write elsewhere.\n");
  });
});
