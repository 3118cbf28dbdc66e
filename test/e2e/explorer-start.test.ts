/**
 * `npm run web` (scripts/web.mjs): prints the address to open on its fixed port, and when that
 * port is taken says so and what to do, instead of moving to another port.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const started: ChildProcess[] = [];

afterAll(() => {
  for (const child of started) child.kill();
});

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts scripts/web.mjs on `port`; resolves with its output once `until` matches it, or with its exit code. */
function startWeb(port: number, until: RegExp): Promise<{ output: string; code: number | null }> {
  const child = spawn(process.execPath, ["scripts/web.mjs"], { cwd: root, env: { ...process.env, PORT: String(port) } });
  started.push(child);
  let output = "";
  return new Promise((resolve) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (until.test(output)) resolve({ output, code: null });
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) => resolve({ output, code }));
  });
}

describe("npm run web", () => {
  it("prints the address on its port, and a clear message when the port is taken", async () => {
    const port = await freePort();
    const first = await startWeb(port, /open http/);
    expect(first.output).toContain(`ntk-depth explorer: open http://localhost:${port}/`);
    const second = await startWeb(port, /$^/);
    expect(second.code).toBe(1);
    expect(second.output).toMatch(new RegExp(`Port ${port} is already taken.*PORT=${port + 1} npm run web`));
  });
});
