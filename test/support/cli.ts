/** Runs the CLI in process with captured output: what every CLI test needs. */
import { PassThrough } from "node:stream";
import { runCli } from "../../src/cli.js";

/** Result of one in-process CLI run. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `ntk-depth …args` in process (stderr not a terminal, so no progress bar). */
export async function cli(...args: string[]): Promise<CliRun> {
  let out = "";
  let err = "";
  const code = await runCli(args, { out: (t) => void (out += t), err: (t) => void (err += t), errStream: new PassThrough(), errIsTTY: false });
  return { code, out, err };
}

/** Runs the CLI, expects exit 0 and nothing on stderr, and parses stdout as JSON. */
export async function cliJson<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  const r = await cli(...args);
  if (r.code !== 0 || r.err !== "") throw new Error(`ntk-depth ${args.join(" ")} exited ${r.code}: ${r.err}`);
  return JSON.parse(r.out) as T;
}
