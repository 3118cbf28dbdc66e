/**
 * Data sets written as JSON: `{"points": [[x11, x12, …], …], "labels": [y1, …]}` (one target) or
 * `"labels": [[y11, …, y1k], …]` (k targets), or a bare list of points; an optional field
 * `"classes": ["setosa", …]` gives each point's class label (text or numbers). A JSON number means the
 * decimal it spells, so numbers are kept as their source text (lossless-json) instead of being
 * rounded by `JSON.parse`, whose reviver cannot see the source text on Node 20. Browser-safe.
 */
import { parse } from "lossless-json";
import { NtkError } from "../errors.js";
import { datasetFromArrays, type Dataset } from "./dataset.js";

/** A parsed JSON value, with every number kept as its source text. */
export type JsonValue = null | boolean | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Parses JSON text (RFC 8259) with numbers kept as their source text (strings): `1e-7` becomes
 * "1e-7". A JSON string is returned as its (unescaped) value, so `"0.5"` and `0.5` read alike.
 * Throws `FILE_MALFORMED` naming `source`, the line and column (1-based) of a syntax error, or
 * saying the nesting is too deep when it would overflow the stack.
 */
export function parseJsonKeepingNumbers(text: string, source: string): JsonValue {
  try {
    return parse(text, null, (numberText) => numberText) as JsonValue;
  } catch (e) {
    // lossless-json recurses once per nesting level: deep enough nesting overflows the stack,
    // which says nothing about where; a data set nests three levels at most.
    if (e instanceof RangeError)
      throw new NtkError("FILE_MALFORMED", `${source}: JSON nested too deeply to be a data set (points are a list of lists of numbers).`, { source });
    if (!(e instanceof SyntaxError)) throw e;
    const message = e.message;
    const at = /position (\d+)/.exec(message);
    const pos = at ? Number(at[1]) : text.length;
    const { line, column } = lineAndColumn(text, pos);
    const what = message.replace(/ at position \d+$/, "");
    const hint = /^-?(NaN|Infinity)/.test(text.slice(pos)) ? " NaN and Infinity are not JSON numbers, and data must be finite." : "";
    throw new NtkError("FILE_MALFORMED", `${source}: invalid JSON at line ${line}, column ${column}: ${what}.${hint}`, { source, line, column });
  }
}

/** 1-based line and column of character offset `pos` in `text`. */
function lineAndColumn(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  return { line, column: pos - (before.lastIndexOf("\n") + 1) + 1 };
}

/**
 * Reads a data set from JSON text (see the module comment for the shapes). Errors name `source`
 * (a file name, or e.g. "pasted JSON"): `FILE_MALFORMED` for syntax or shape, then any error of
 * {@link datasetFromArrays}.
 */
export function parseDatasetJson(text: string, source: string): Dataset {
  const doc = parseJsonKeepingNumbers(text, source);
  if (Array.isArray(doc)) return datasetFromArrays({ points: doc as string[][], source });
  if (doc === null || typeof doc !== "object") {
    throw new NtkError("FILE_MALFORMED", `${source}: expected an object {"points": [[…], …], "labels": […]} or a list of points.`, { source });
  }
  const unknown = Object.keys(doc).filter((key) => key !== "points" && key !== "labels" && key !== "classes");
  if (unknown.length > 0) {
    throw new NtkError(
      "FILE_MALFORMED",
      `${source}: unknown key(s) ${unknown.map((u) => JSON.stringify(u)).join(", ")}; only "points", "labels" and "classes" are read.`,
      { source, keys: unknown },
    );
  }
  if (!Array.isArray(doc.points)) {
    throw new NtkError("FILE_MALFORMED", `${source}: "points" must be a list of rows, e.g. "points": [[0.6, 0.8], [1, 0]].`, { source });
  }
  return datasetFromArrays({
    points: doc.points as string[][],
    labels: doc.labels as string[] | undefined,
    classes: doc.classes as string[] | undefined,
    source,
  });
}
