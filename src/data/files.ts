/**
 * Loading data sets from files (Node only: uses node:fs; the browser pastes text into the
 * parsers of `json.ts` and `csv.ts` instead). The format follows the file extension, `.json`
 * or `.csv`; any other extension is read as JSON when its first non-blank character is `{` or `[`,
 * as CSV otherwise.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { NtkError } from "../errors.js";
import type { Dataset } from "./dataset.js";
import { parseDatasetCsv } from "./csv.js";
import { parseDatasetJson } from "./json.js";
import { parseDatasetText } from "./text.js";

/**
 * Reads and parses a data file. Throws `FILE_UNREADABLE` when the file cannot be read (the message
 * carries the system's reason), `FILE_MALFORMED` with the line for bad syntax, and the errors of
 * the parsers. Messages name the file by its base name.
 */
export async function loadDataset(path: string): Promise<Dataset> {
  const name = basename(path);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    throw new NtkError("FILE_UNREADABLE", `cannot read data file ${path}: ${reason}. Check the path and permissions.`, { path });
  }
  const lower = name.toLowerCase();
  if (lower.endsWith(".json")) return parseDatasetJson(text, name);
  if (lower.endsWith(".csv")) return parseDatasetCsv(text, name);
  return parseDatasetText(text, name);
}
