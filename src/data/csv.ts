/**
 * Data sets written as CSV with a header line: columns whose name starts with `y` (any case,
 * e.g. `y`, `y1`, `Y_price`) are targets, all others are coordinates, in the order they appear.
 * Fields may be quoted ("…", with "" for a quote); lines that are empty or start with `#` are
 * skipped. Each number's text is kept (SPEC §7). Browser-safe.
 */
import { NtkError } from "../errors.js";
import { datasetFromArrays, type Dataset } from "./dataset.js";

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
    if (name === "") throw new NtkError("FILE_MALFORMED", `${source} line ${header.line}: a column has no name; name every column in the header.`, { source, line: header.line });
    if (seen.has(name)) throw new NtkError("FILE_MALFORMED", `${source} line ${header.line}: column "${name}" appears twice.`, { source, line: header.line });
    seen.add(name);
  }
  const coordColumns = names.flatMap((n, j) => (/^y/i.test(n) ? [] : [j]));
  const targetColumns = names.flatMap((n, j) => (/^y/i.test(n) ? [j] : []));
  if (coordColumns.length === 0) {
    throw new NtkError("FILE_MALFORMED", `${source} line ${header.line}: no coordinate column (every column name starts with "y", which marks targets).`, { source, line: header.line });
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
    source,
    locatePoint: where(coordColumns),
    locateLabel: where(targetColumns),
  });
}

/** Splits CSV text into records (RFC 4180 quoting, LF or CRLF line ends). */
function splitCsv(text: string, source: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (pos < text.length) {
    const startLine = line;
    const fields: string[] = [];
    let field = "";
    let quoted = false;
    let atFieldStart = true;
    let endOfRecord = false;
    while (!endOfRecord) {
      if (pos >= text.length) {
        if (quoted) throw new NtkError("FILE_MALFORMED", `${source} line ${startLine}: a quoted field is never closed.`, { source, line: startLine });
        break;
      }
      const c = text[pos];
      if (quoted) {
        if (c === '"' && text[pos + 1] === '"') {
          field += '"';
          pos += 2;
        } else if (c === '"') {
          quoted = false;
          pos++;
        } else {
          if (c === "\n") line++;
          field += c;
          pos++;
        }
      } else if (c === '"' && atFieldStart) {
        quoted = true;
        atFieldStart = false;
        pos++;
      } else if (c === ",") {
        fields.push(field);
        field = "";
        atFieldStart = true;
        pos++;
      } else if (c === "\n" || c === "\r") {
        pos += c === "\r" && text[pos + 1] === "\n" ? 2 : 1;
        line++;
        endOfRecord = true;
      } else {
        if (c === '"') throw new NtkError("FILE_MALFORMED", `${source} line ${line}: a quote inside an unquoted field; quote the whole field.`, { source, line });
        if (c !== " " && c !== "\t") atFieldStart = false;
        field += c;
        pos++;
      }
    }
    fields.push(field);
    const blank = fields.length === 1 && fields[0].trim() === "";
    const comment = fields[0].trimStart().startsWith("#");
    if (!blank && !comment) records.push({ line: startLine, fields });
  }
  return records;
}
