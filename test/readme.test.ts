import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);

/** Every command line of a ```sh block in README.md that runs the CLI (backslash continuations joined). */
function readmeCommands(): string[] {
  const readme = readFileSync(`${root}README.md`, "utf8");
  const commands: string[] = [];
  for (const block of readme.matchAll(/^```sh\n([\s\S]*?)^```/gm)) {
    const joined = block[1].replace(/\\\n\s*/g, " ");
    for (const line of joined.split("\n").map((l) => l.trim())) {
      if (line.startsWith("npx tsx src/cli.ts") || line.startsWith("ntk-depth")) commands.push(line);
    }
  }
  return commands;
}

/** The README's ```ts blocks, with the package name pointed at this checkout's sources. */
function readmeLibraryExamples(): string[] {
  const readme = readFileSync(`${root}README.md`, "utf8");
  return [...readme.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((block) => block[1].replace(/from "ntk-depth"/g, `from "${root}src/index.ts"`));
}

describe("README.md library examples", () => {
  const examples = readmeLibraryExamples();
  it("has at least one", () => {
    expect(examples.length).toBeGreaterThan(0);
  });
  it.each(examples.map((code, i) => [i + 1, code] as const))("example %i runs and prints", async (i, code) => {
    const dir = mkdtempSync(join(tmpdir(), "ntk-readme-"));
    const file = join(dir, `example-${i}.mts`);
    writeFileSync(file, code);
    const { stdout } = await run(join(root, "node_modules", ".bin", "tsx"), [file], { cwd: root });
    expect(stdout.trim().split("\n").length).toBeGreaterThan(2);
  });
});

describe("README.md command-line examples", () => {
  const commands = readmeCommands();
  it("has at least one example", () => {
    expect(commands.length).toBeGreaterThan(0);
  });
  it.each(commands)("%s exits 0", async (command) => {
    // `ntk-depth` is the package bin; run it the way npm's shim does.
    const line = command.startsWith("ntk-depth") ? command.replace(/^ntk-depth/, "node bin/ntk-depth.mjs") : command;
    const { stdout } = await run("sh", ["-c", line], { cwd: root, env: { ...process.env, NO_COLOR: "1" } });
    expect(stdout.length).toBeGreaterThan(0);
  });
});
