import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
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
  it("--version prints package.json's version and exits 0", async () => {
    const { version } = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) {
      const r = await cli(flag);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`${version}\n`);
      expect(r.err).toBe("");
    }
  });
});
