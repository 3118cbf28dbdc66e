/**
 * Data sets written as CSV with a header line: columns whose name starts with `y` (any case,
 * e.g. `y`, `y1`, `Y_price`) are targets, a column named `class` (any case) holds class labels
 * (any text, e.g. `setosa` or `7`; at most one such column), all others are coordinates, in the
 * order they appear.
 * Fields may be quoted ("…", with "" for a quote); lines that are empty or start with `#` are
 * skipped. Each number's text is kept (SPEC §7). Browser-safe.
 */
import { NtkError } from "../errors.js";
import { datasetFromArrays, type Dataset } from "./dataset.js";
// The browser build of csv-parse: the Node one relies on the global Buffer.
import { parse } from "csv-parse/browser/esm/sync";

/** One CSV record with the 1-based line on which it starts. */
interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/**
 * Reads a data set from CSV text. Errors name `source` and the line: `FILE_MALFORMED` (no header,
 * no coordinate column, an unterminated quote, a line with the wrong number of fields, duplicate
 * column names), `NOT_A_NUMBER` / `NON_FINITE` for a bad cell (line and column name), `EMPTY_DATA`
 * when there is no data line.
 */
export function parseDatasetCsv(text: string, source: string): Dataset {
  const records = splitCsv(text, source);
  if (records.length === 0) {
    throw new NtkError("EMPTY_DATA", `${source} is empty; expected a header line such as "x1,x2,y" and data lines.`, { source });
  }
  const [header, ...data] = records;
  const names = header.fields.map((f) => f.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (name === "")
      throw new NtkError("FILE_MALFORMED", `${source} line ${header.line}: a column has no name; name every column in the header.`, {
        source,
        line: header.line,
      });
    if (seen.has(name)) throw new NtkError("FILE_MALFORMED", `${source} line ${header.line}: column "${name}" appears twice.`, { source, line: header.line });
    seen.add(name);
  }
  const isClass = (n: string) => n.toLowerCase() === "class";
  const classColumns = names.flatMap((n, j) => (isClass(n) ? [j] : []));
  if (classColumns.length > 1) {
    throw new NtkError(
      "FILE_MALFORMED",
      `${source} line ${header.line}: ${classColumns.length} columns are named "class"; one column holds the class labels.`,
      { source, line: header.line },
    );
  }
  const coordColumns = names.flatMap((n, j) => (/^y/i.test(n) || isClass(n) ? [] : [j]));
  const targetColumns = names.flatMap((n, j) => (/^y/i.test(n) ? [j] : []));
  if (coordColumns.length === 0) {
    throw new NtkError(
      "FILE_MALFORMED",
      `${source} line ${header.line}: no coordinate column (every column is a target, its name starting with "y", or the "class" column).`,
      { source, line: header.line },
    );
  }
  if (data.length === 0) {
    throw new NtkError("EMPTY_DATA", `${source} has a header but no data lines; give at least one point.`, { source });
  }
  for (const r of data) {
    if (r.fields.length !== names.length) {
      throw new NtkError("FILE_MALFORMED", `${source} line ${r.line}: ${r.fields.length} fields, but the header has ${names.length} columns.`, {
        source,
        line: r.line,
        fields: r.fields.length,
        expected: names.length,
      });
    }
  }
  const where = (columns: number[]) => (i: number, j: number) => `${source} line ${data[i].line}, column "${names[columns[j]]}"`;
  return datasetFromArrays({
    points: data.map((r) => coordColumns.map((j) => r.fields[j])),
    labels: targetColumns.length > 0 ? data.map((r) => targetColumns.map((j) => r.fields[j])) : undefined,
    classes: classColumns.length > 0 ? data.map((r) => r.fields[classColumns[0]]) : undefined,
    source,
    locatePoint: where(coordColumns),
    locateLabel: where(targetColumns),
    locateClass: (i) => where(classColumns)(i, 0),
  });
}

/**
 * Splits CSV text into records with csv-parse (RFC 4180 quoting, LF or CRLF line ends, BOM,
 * `#` comment lines and blank lines skipped). Field counts are checked by the caller, which knows
 * the header, so records of any length are let through here.
 */
function splitCsv(text: string, source: string): CsvRecord[] {
  try {
    const rows = parse(text, {
      bom: true,
      record_delimiter: ["\r\n", "\n", "\r"],
      comment: "#",
      comment_no_infix: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as {
      record: string[];
      info: { lines: number };
    }[];
    // info.lines is the line on which the record ends; a record spans more lines only when a
    // quoted field holds line breaks. Inside quotes csv-parse counts \r and \n one line each, so
    // a CRLF there counts twice, in this record's info.lines and in every later one: `extra`
    // takes those back.
    let extra = 0;
    return rows
      .map((r) => {
        const line = r.info.lines - countChars(r.record, /[\r\n]/g) - extra;
        extra += countChars(r.record, /\r\n/g);
        return { line, fields: r.record };
      })
      .filter((r) => !(r.fields.length === 1 && r.fields[0].trim() === ""));
  } catch (e) {
    const line = typeof (e as { lines?: unknown }).lines === "number" ? (e as { lines: number }).lines : undefined;
    const where = line === undefined ? "" : ` line ${line}`;
    throw new NtkError("FILE_MALFORMED", `${source}${where}: ${(e as Error).message}. Check quoting: quote whole fields, double quotes inside them.`, {
      source,
      line,
    });
  }
}

/** Matches of the global `pattern` in all `fields`. */
function countChars(fields: readonly string[], pattern: RegExp): number {
  return fields.reduce((n, f) => n + (f.match(pattern)?.length ?? 0), 0);
}
