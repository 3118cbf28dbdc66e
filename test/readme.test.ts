import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);

/**
 * Every `npx tsx src/cli.ts …` line of a ```sh block in README.md (backslash continuations joined).
 * The library examples, the pages and the `ntk-depth …` lines run from the installed tarball in
 * test/package.test.ts.
 */
function readmeCommands(): string[] {
  const readme = readFileSync(`${root}README.md`, "utf8");
  const commands: string[] = [];
  for (const block of readme.matchAll(/^```sh\n([\s\S]*?)^```/gm)) {
    const joined = block[1].replace(/\\\n\s*/g, " ");
    for (const line of joined.split("\n").map((l) => l.trim())) {
      if (line.startsWith("npx tsx src/cli.ts")) commands.push(line);
    }
  }
  return commands;
}

describe("README.md command-line examples", () => {
  const commands = readmeCommands();
  it("has at least one example", () => {
    expect(commands.length).toBeGreaterThan(0);
  });
  it.each(commands)("%s exits 0", async (command) => {
    const { stdout } = await run("sh", ["-c", command], { cwd: root, env: { ...process.env, NO_COLOR: "1" } });
    expect(stdout.length).toBeGreaterThan(0);
  });
});
