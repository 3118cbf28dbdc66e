import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtempSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkCompatible, datasetFromArrays } from "../src/data/dataset.js";
import { parseDatasetJson, parseJsonKeepingNumbers } from "../src/data/json.js";
import { parseDatasetCsv } from "../src/data/csv.js";
import { parseDatasetText } from "../src/data/text.js";
import { loadDataset } from "../src/data/files.js";
import { codeOf, errorOf } from "./support/errors.js";

const examples = fileURLToPath(new URL("../examples/", import.meta.url));

describe("datasetFromArrays", () => {
  it("packs numbers row-major without text", () => {
    const d = datasetFromArrays({
      points: [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      labels: [7, 8, 9],
    });
    expect([d.m, d.n0, d.k]).toEqual([3, 2, 1]);
    expect([...d.coords]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...d.targets!]).toEqual([7, 8, 9]);
    expect(d.coordText).toBeUndefined();
  });
  it("keeps decimal text and reads the nearest float64", () => {
    const d = datasetFromArrays({ points: [["0.1", " 1e-400 "]], labels: [["2", "3"]] });
    expect(d.coordText).toEqual([["0.1", "1e-400"]]);
    expect([...d.coords]).toEqual([0.1, 0]);
    expect(d.k).toBe(2);
    expect(d.targetText).toEqual([["2", "3"]]);
  });
  it("rejects bad input with stable codes", () => {
    expect(codeOf(() => datasetFromArrays({ points: [] }))).toBe("EMPTY_DATA");
    expect(codeOf(() => datasetFromArrays({ points: [[], []] }))).toBe("EMPTY_DATA");
    expect(codeOf(() => datasetFromArrays({ points: [[1], [NaN]] }))).toBe("NON_FINITE");
    expect(codeOf(() => datasetFromArrays({ points: [["1e999"]] }))).toBe("NON_FINITE");
    expect(codeOf(() => datasetFromArrays({ points: [["abc"]] }))).toBe("NOT_A_NUMBER");
    expect(codeOf(() => datasetFromArrays({ points: [[1]], labels: [1, 2] }))).toBe("DIMENSION_MISMATCH");
    const ragged = errorOf(() => datasetFromArrays({ points: [[1, 2], [3, 4], [5]] }));
    expect(ragged.code).toBe("RAGGED_ROWS");
    expect(ragged.message).toMatch(/point 3 has 1 values but point 1 has 2/);
    expect(codeOf(() => datasetFromArrays({ points: [[1], [2]], labels: [[1, 2], [3]] }))).toBe("RAGGED_ROWS");
  });
  it("packs any rectangular array faithfully (property)", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 6 })
          .chain((n) =>
            fc.array(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 8 }),
          ),
        (rows) => {
          const d = datasetFromArrays({ points: rows });
          expect(Array.from(d.coords)).toEqual(rows.flat());
          expect(d.m * d.n0).toBe(d.coords.length);
        },
      ),
    );
  });
});

describe("checkCompatible", () => {
  it("flags train/test dimension and target-count mismatches", () => {
    const train = datasetFromArrays({ points: [[1, 2]], labels: [1], source: "train.json" });
    const test3 = datasetFromArrays({ points: [[1, 2, 3]], source: "test.json" });
    const e = errorOf(() => checkCompatible(train, test3));
    expect(e.code).toBe("DIMENSION_MISMATCH");
    expect(e.message).toMatch(/test.json has points of dimension 3 but train.json has 2/);
    const testK2 = datasetFromArrays({ points: [[1, 2]], labels: [[1, 2]], source: "t" });
    expect(codeOf(() => checkCompatible(train, testK2))).toBe("DIMENSION_MISMATCH");
    expect(() => checkCompatible(train, datasetFromArrays({ points: [[3, 4]] }))).not.toThrow();
  });
});

describe("JSON", () => {
  it("keeps every number's source text", () => {
    const v = parseJsonKeepingNumbers('{"a": [0.10, -1E-7, 12345678901234567890123], "b": "x\\n\\u00e9", "c": [true, false, null]}', "t");
    expect(v).toEqual({ a: ["0.10", "-1E-7", "12345678901234567890123"], b: "x\né", c: [true, false, null] });
  });
  it("reads points with flat labels, row labels, or a bare list", () => {
    const d = parseDatasetJson('{"points": [[0.6, 0.8], [1, 0]], "labels": [1, -1]}', "p.json");
    expect([d.m, d.n0, d.k]).toEqual([2, 2, 1]);
    expect(d.coordText).toEqual([
      ["0.6", "0.8"],
      ["1", "0"],
    ]);
    const k2 = parseDatasetJson('{"points": [[1], [2]], "labels": [[1, 2], [3, 4]]}', "p.json");
    expect(k2.k).toBe(2);
    expect([...k2.targets!]).toEqual([1, 2, 3, 4]);
    const bare = parseDatasetJson("[[0.99999999999999999999, 1e-20]]", "bare.json");
    expect(bare.coordText).toEqual([["0.99999999999999999999", "1e-20"]]);
    expect(bare.targets).toBeNull();
  });
  it("says the line and column of a syntax error", () => {
    const e = errorOf(() => parseDatasetJson('{\n  "points": [[1, 2],\n    [3, 4,]]\n}', "bad.json"));
    expect(e.code).toBe("FILE_MALFORMED");
    expect(e.message).toMatch(/bad\.json: invalid JSON at line 3, column 11/);
    expect(e.details).toMatchObject({ line: 3, column: 11 });
    expect(errorOf(() => parseJsonKeepingNumbers("[01]", "z")).message).toMatch(/line 1, column 3/);
    expect(errorOf(() => parseJsonKeepingNumbers('{"a": NaN}', "z")).message).toMatch(/NaN and Infinity/);
    expect(errorOf(() => parseJsonKeepingNumbers('"abc', "z")).message).toMatch(/End of string '"' expected/);
    expect(codeOf(() => parseJsonKeepingNumbers("[1] 2", "z"))).toBe("FILE_MALFORMED");
  });
  it("refuses nesting deep enough to overflow the parser's stack with a typed error, not a position at the end", () => {
    const e = errorOf(() => parseJsonKeepingNumbers("[".repeat(100_000) + "]".repeat(100_000), "deep.json"));
    expect(e.code).toBe("FILE_MALFORMED");
    expect(e.message).toMatch(/^deep\.json: JSON nested too deeply/);
  });
  it("rejects wrong shapes and bad values", () => {
    expect(codeOf(() => parseDatasetJson('{"points": 3}', "s"))).toBe("FILE_MALFORMED");
    expect(codeOf(() => parseDatasetJson('{"pts": [[1]]}', "s"))).toBe("FILE_MALFORMED");
    expect(codeOf(() => parseDatasetJson("42", "s"))).toBe("FILE_MALFORMED");
    expect(codeOf(() => parseDatasetJson('{"points": [1, 2]}', "s"))).toBe("FILE_MALFORMED");
    expect(codeOf(() => parseDatasetJson('{"points": [[1, null]]}', "s"))).toBe("NOT_A_NUMBER");
    expect(codeOf(() => parseDatasetJson('{"points": [["0x10"]]}', "s"))).toBe("NOT_A_NUMBER");
    expect(codeOf(() => parseDatasetJson('{"points": [[1]], "labels": [1, 2]}', "s"))).toBe("DIMENSION_MISMATCH");
    expect(codeOf(() => parseDatasetJson('{"points": []}', "s"))).toBe("EMPTY_DATA");
  });
  it("parses what JSON.parse parses, to the same numbers (property)", () => {
    const scalar = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.string());
    fc.assert(
      fc.property(fc.array(fc.array(scalar)), (doc) => {
        const text = JSON.stringify(doc, null, 1);
        const kept = parseJsonKeepingNumbers(text, "p") as unknown[][];
        const parsed = JSON.parse(text) as unknown[][];
        const keptAsParsed = kept.map((row, i) => row.map((v, j) => (typeof parsed[i][j] === "number" ? Number(v) : v)));
        expect(keptAsParsed).toEqual(parsed);
      }),
    );
  });
});

describe("text of either format", () => {
  it("reads JSON by its first non-blank character, CSV otherwise, counting lines as given", () => {
    expect(parseDatasetText('\n  {"points": [[1, 0]]}', "t").coordText).toEqual([["1", "0"]]);
    expect(parseDatasetText("[[0.5, 2]]", "t").coordText).toEqual([["0.5", "2"]]);
    expect(parseDatasetText("x1,x2\n1,0\n", "t").coordText).toEqual([["1", "0"]]);
    expect(errorOf(() => parseDatasetText("\n\nx1,x2\n1\n", "t")).message).toMatch(/^t line 4: 1 fields/);
  });
});

describe("CSV", () => {
  it("splits coordinates from y… targets and keeps text", () => {
    const d = parseDatasetCsv('x1,y,x2,Y2\r\n0.5,1,"0.25",2\n\n# comment\n1e-3,3,4,5\n', "d.csv");
    expect([d.m, d.n0, d.k]).toEqual([2, 2, 2]);
    expect(d.coordText).toEqual([
      ["0.5", "0.25"],
      ["1e-3", "4"],
    ]);
    expect(d.targetText).toEqual([
      ["1", "2"],
      ["3", "5"],
    ]);
  });
  it("reads a file without targets", () => {
    const d = parseDatasetCsv("a,b\n1,2\n", "d.csv");
    expect(d.targets).toBeNull();
    expect(d.k).toBe(0);
  });
  it("names the line of each problem", () => {
    const short = errorOf(() => parseDatasetCsv("x1,x2\n1,2\n3\n", "d.csv"));
    expect(short.code).toBe("FILE_MALFORMED");
    expect(short.message).toMatch(/d\.csv line 3: 1 fields, but the header has 2 columns/);
    const nan = errorOf(() => parseDatasetCsv("x1,x2\n1,2\n3,abc\n", "d.csv"));
    expect(nan.code).toBe("NOT_A_NUMBER");
    expect(nan.message).toMatch(/d\.csv line 3, column "x2"/);
    expect(errorOf(() => parseDatasetCsv('x\n"1\n', "d.csv")).message).toMatch(/line 2: Quote Not Closed/);
    // Line breaks inside quoted fields (never a number, but they must not shift the lines after
    // them): LF, CRLF (one line, though csv-parse counts it as two), CR.
    for (const eol of ["\n", "\r\n", "\r"]) {
      const text = ["x1,x2", '"1', '",2', "3,4,5", ""].join(eol);
      expect(errorOf(() => parseDatasetCsv(text, "d.csv")).message, JSON.stringify(eol)).toMatch(/^d\.csv line 4: 3 fields/);
      const cell = ["x1,x2", "1,2", '"3', 'a",4', ""].join(eol);
      expect(errorOf(() => parseDatasetCsv(cell, "d.csv")).message, JSON.stringify(eol)).toMatch(/^d\.csv line 3, column "x1"/);
    }
    expect(codeOf(() => parseDatasetCsv("y1,y2\n1,2\n", "d.csv"))).toBe("FILE_MALFORMED");
    expect(codeOf(() => parseDatasetCsv("x,x\n1,2\n", "d.csv"))).toBe("FILE_MALFORMED");
    expect(codeOf(() => parseDatasetCsv("x,\n1,2\n", "d.csv"))).toBe("FILE_MALFORMED");
    expect(codeOf(() => parseDatasetCsv('x\n1"2\n', "d.csv"))).toBe("FILE_MALFORMED");
    expect(codeOf(() => parseDatasetCsv("x1,x2\n", "d.csv"))).toBe("EMPTY_DATA");
    expect(codeOf(() => parseDatasetCsv("\n\n", "d.csv"))).toBe("EMPTY_DATA");
    expect(codeOf(() => parseDatasetCsv("x\nInfinity\n", "d.csv"))).toBe("NOT_A_NUMBER");
  });
});

describe("loadDataset", () => {
  it("loads the example files by extension", async () => {
    const j = await loadDataset(join(examples, "train.json"));
    expect([j.m, j.n0, j.k, j.source]).toEqual([4, 3, 2, "train.json"]);
    const c = await loadDataset(join(examples, "circle.csv"));
    expect([c.m, c.n0, c.k]).toEqual([5, 2, 1]);
  });
  it("sniffs the format of other extensions and reports unreadable files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ntk-data-"));
    writeFileSync(join(dir, "a.txt"), " [[1, 2]]");
    writeFileSync(join(dir, "b.txt"), "x,y\n1,2\n");
    expect((await loadDataset(join(dir, "a.txt"))).n0).toBe(2);
    expect((await loadDataset(join(dir, "b.txt"))).k).toBe(1);
    await expect(loadDataset(join(dir, "missing.json"))).rejects.toMatchObject({ code: "FILE_UNREADABLE", message: expect.stringMatching(/no such file/) });
    await expect(loadDataset(dir)).rejects.toMatchObject({ code: "FILE_UNREADABLE" });
    writeFileSync(join(dir, "bad.json"), "{");
    await expect(loadDataset(join(dir, "bad.json"))).rejects.toMatchObject({
      code: "FILE_MALFORMED",
      message: expect.stringMatching(/^bad\.json: invalid JSON at line 1/),
    });
    if (process.getuid?.() !== 0) {
      chmodSync(join(dir, "a.txt"), 0o000);
      await expect(loadDataset(join(dir, "a.txt"))).rejects.toMatchObject({ code: "FILE_UNREADABLE" });
    }
  });
});
