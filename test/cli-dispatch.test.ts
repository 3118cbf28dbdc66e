import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cli } from "./support/cli.js";

const root = fileURLToPath(new URL("..", import.meta.url));


describe("the dispatcher", () => {
  it("--help exits 0 on stdout", async () => {
    const r = await cli("--help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: ntk-depth/);
    expect(r.err).toBe("");
  });
  it("an unknown option or command exits 2 with a hint, nothing on stdout", async () => {
    const r = await cli("--frobnicate");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown option '--frobnicate'[\s\S]*run with --help/);
    expect(r.out).toBe("");
    expect((await cli("nonsense")).code).toBe(2);
  });
  it("the bin runs after npm ci without a build step", async () => {
    const r = await new Promise<{ code: number | null; out: string }>((resolve) =>
      execFile("node", ["bin/ntk-depth.mjs", "--help"], { cwd: root }, (error, stdout) => resolve({ code: error ? (error.code as number) : 0, out: stdout })),
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: ntk-depth/);
  });
});
