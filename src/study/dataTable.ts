import { formatFloat64 } from "../index.js";
/**
 * The data behind every table and figure of the study, in one shape that renders to CSV and JSON
 * the same way: named columns with their meaning, rows of numbers (float64, printed as shortest
 * round-trip decimal text) and labels. Browser-safe.
 */

/** A cell: a float64 number, a label, or null for "not computed / not reached". */
export type Cell = number | string | null;

/** One column: its key in the rows and what the numbers in it mean (SPEC names, units). */
export interface DataColumn {
  readonly key: string;
  readonly meaning: string;
}

/** A named table of study data. */
export interface DataTable {
  /** File stem, e.g. "rho-rate" (written as rho-rate.csv and rho-rate.json). */
  readonly name: string;
  /** One sentence: what was computed, how, and how accurate it is. */
  readonly description: string;
  readonly columns: readonly DataColumn[];
  readonly rows: readonly Readonly<Record<string, Cell>>[];
}

/** A cell read as a number: its value when it holds one, NaN for labels and null. */
export function cellNumber(c: Cell | undefined): number {
  return typeof c === "number" ? c : NaN;
}

/** Integers from 2^53 up to here (depths to 2^60) print as their exact integer value, not as shortest round-trip text ("…847000" for 2^60). */
const EXACT_INTEGER_BELOW = 2 ** 63;

function cellText(c: Cell | undefined): string | null {
  if (c === null || c === undefined) return null;
  if (typeof c === "string") return c;
  return Number.isInteger(c) && Math.abs(c) >= 2 ** 53 && Math.abs(c) < EXACT_INTEGER_BELOW ? BigInt(c).toString() : formatFloat64(c);
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV: a header of column keys, then one line per row; null cells are empty. */
export function tableToCsv(t: DataTable): string {
  const lines = [t.columns.map((c) => csvField(c.key)).join(",")];
  for (const row of t.rows) lines.push(t.columns.map((c) => csvField(cellText(row[c.key]) ?? "")).join(","));
  return lines.join("\r\n") + "\r\n";
}

/**
 * JSON document `{ name, description, columns: [{key, meaning}], rows: [{key: "decimal text" | null}] }`;
 * every number is a decimal string (the project's JSON convention), so no digit is lost to a
 * reader's float parsing.
 */
export function tableToJson(t: DataTable): string {
  const rows = t.rows.map((row) => Object.fromEntries(t.columns.map((c) => [c.key, cellText(row[c.key])])));
  return JSON.stringify({ name: t.name, description: t.description, columns: t.columns, rows }, null, 2) + "\n";
}
