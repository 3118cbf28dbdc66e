/**
 * A data set from text whose format is not known beforehand (pasted text, a file with another
 * extension): JSON when its first non-blank character is `{` or `[`, CSV otherwise. Browser-safe.
 */
import { parseDatasetCsv } from "./csv.js";
import type { Dataset } from "./dataset.js";
import { parseDatasetJson } from "./json.js";

/**
 * Parses `text` as JSON or CSV by its first non-blank character (see the module note). Errors as
 * {@link parseDatasetJson} or {@link parseDatasetCsv}, naming `source`; line numbers count the
 * text as given, leading blank lines included.
 */
export function parseDatasetText(text: string, source: string): Dataset {
  return /^\s*[[{]/.test(text) ? parseDatasetJson(text, source) : parseDatasetCsv(text, source);
}
