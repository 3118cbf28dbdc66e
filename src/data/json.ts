/**
 * Data sets written as JSON: `{"points": [[x11, x12, …], …], "labels": [y1, …]}` (one target) or
 * `"labels": [[y11, …, y1k], …]` (k targets), or a bare list of points. A JSON number means the
 * decimal it spells, so the scanner keeps each number's text instead of rounding it through
 * `JSON.parse` (whose reviver cannot see the source text on Node 20). Browser-safe.
 */
import { NtkError } from "../errors.js";
import { datasetFromArrays, type Dataset } from "./dataset.js";

/** A parsed JSON value, with every number kept as its source text. */
export type JsonValue = null | boolean | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Parses JSON text (RFC 8259) with numbers kept as their source text (strings): `1e-7` becomes
 * "1e-7". A JSON string is returned as its (unescaped) value, so `"0.5"` and `0.5` read alike.
 * Throws `FILE_MALFORMED` naming `source`, the line and column (1-based) of a syntax error.
 */
export function parseJsonKeepingNumbers(text: string, source: string): JsonValue {
  const s = new Scanner(text, source);
  s.skipSpace();
  const value = s.value(0);
  s.skipSpace();
  if (s.pos < text.length) s.fail("unexpected text after the JSON value");
  return value;
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
  const unknown = Object.keys(doc).filter((key) => key !== "points" && key !== "labels");
  if (unknown.length > 0) {
    throw new NtkError("FILE_MALFORMED", `${source}: unknown key(s) ${unknown.map((u) => JSON.stringify(u)).join(", ")}; only "points" and "labels" are read.`, { source, keys: unknown });
  }
  if (!Array.isArray(doc.points)) {
    throw new NtkError("FILE_MALFORMED", `${source}: "points" must be a list of rows, e.g. "points": [[0.6, 0.8], [1, 0]].`, { source });
  }
  return datasetFromArrays({ points: doc.points as string[][], labels: doc.labels as string[] | undefined, source });
}

/** Nesting deeper than this is not a data set; refusing it keeps recursion bounded. */
const MAX_DEPTH = 64;
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

class Scanner {
  pos = 0;
  constructor(
    private readonly text: string,
    private readonly source: string,
  ) {}

  fail(what: string, at = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    const column = at - lineStart + 1;
    const found = at < this.text.length ? ` near ${JSON.stringify(this.text.slice(at, at + 12))}` : " at the end of the text";
    throw new NtkError("FILE_MALFORMED", `${this.source}: invalid JSON at line ${line}, column ${column}: ${what}${found}.`, {
      source: this.source,
      line,
      column,
    });
  }

  skipSpace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      this.pos++;
    }
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    const c = this.text[this.pos];
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    if (c === '"') return this.string();
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    if (/^(NaN|-?Infinity)/.test(this.text.slice(this.pos, this.pos + 9))) this.fail("NaN and Infinity are not JSON (and not allowed in data)");
    return this.fail("expected a value");
  }

  private number(): string {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m) return this.fail("malformed number");
    this.pos += m[0].length;
    return m[0];
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    let out = "";
    for (;;) {
      if (this.pos >= this.text.length) this.fail("unterminated string", start);
      const c = this.text[this.pos];
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === "\\") {
        const e = this.text[this.pos + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e in simple) {
          out += simple[e];
          this.pos += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
          out += String.fromCharCode(parseInt(this.text.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else {
          this.fail("invalid escape in string");
        }
      } else if (c.charCodeAt(0) < 0x20) {
        this.fail("control character in string (strings must be on one line)");
      } else {
        out += c;
        this.pos++;
      }
    }
  }

  private array(depth: number): JsonValue[] {
    this.pos++;
    const out: JsonValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      out.push(this.value(depth + 1));
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === "]") return out;
      if (c !== ",") this.fail("expected ',' or ']' in a list", this.pos - 1);
    }
  }

  private object(depth: number): { [key: string]: JsonValue } {
    this.pos++;
    const out: { [key: string]: JsonValue } = {};
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail("expected a quoted key");
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ":") this.fail("expected ':' after a key");
      this.pos++;
      this.skipSpace();
      Object.defineProperty(out, key, { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === "}") return out;
      if (c !== ",") this.fail("expected ',' or '}' in an object", this.pos - 1);
    }
  }
}
