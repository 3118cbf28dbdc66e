/**
 * The built-in data sets' package files read from the installed packages (Node only: node:fs).
 * Browser pages use `fetchBuiltinDataFiles` (data/builtin.ts) instead.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { NtkError } from "../errors.js";
import type { BuiltinDataFiles } from "./builtin.js";

const require = createRequire(import.meta.url);
const cache = new Map<string, Promise<string>>();

/**
 * Reads each of `BUILTIN_DATA_FILES` from the package installed beside ntk-depth, once per process
 * (the text stays cached: about 21 MB for all of MNIST). A missing package is `FILE_UNREADABLE`
 * saying to install the dependencies.
 */
export const nodeBuiltinDataFiles: BuiltinDataFiles = {
  readText(file: string): Promise<string> {
    let text = cache.get(file);
    if (text === undefined) {
      text = read(file);
      cache.set(file, text);
      text.catch(() => cache.delete(file));
    }
    return text;
  },
};

async function read(file: string): Promise<string> {
  try {
    return await readFile(require.resolve(file), "utf8");
  } catch (e) {
    const pkg = file.split("/")[0];
    throw new NtkError(
      "FILE_UNREADABLE",
      `cannot read ${file} of the package ${pkg}, which holds a built-in data set: ${(e as Error).message}. Install ntk-depth's dependencies (npm ci).`,
      { file },
    );
  }
}
