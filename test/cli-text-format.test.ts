/**
 * Layout of the default text output: lines fit a 100-column terminal (prose wrapped, tables
 * narrow enough), counts agree with their nouns, and condition estimates show the one digit they
 * have. Display width counts code points without combining marks (Θ̄ is one column).
 */
import { describe, expect, it } from "vitest";
import { countOf, formatConditionEstimate, TEXT_WIDTH, wrapText } from "../src/format.js";
import { cli } from "./support/cli.js";

const columns = (line: string) => [...line.replace(/\p{M}/gu, "")].length;

/** Every command's default and typical text output on the repository's examples (small, so quick). */
const RUNS: readonly (readonly string[])[] = [
  ["--help"],
  ["rho", "--help"],
  ["kernel", "--help"],
  ["predict", "--help"],
  ["rho", "--rho1", "0.5", "--depth", "5"],
  ["rho", "--rho1", "0.9999999", "--depth", "1000000", "--at", "1,1000,1000000"],
  ["rho", "--rho1", "0.5", "--depth", "1000000000000000001", "--at", "1e3,1e9,1000000000000000001"],
  ["rho", "--rho1", "0.9999999", "--depth", "1000", "--at", "10,1000", "--textbook"],
  ["rho", "--rho1", "0.5", "--depth", "1100", "--at", "1000,1100", "--sigma-b", "1"],
  ["rho", "--rho1", "0.5", "--depth", "10", "--input-dim", "784"],
  ["rho", "--rho1", "0.5", "--depth", "100", "--at", "1,10,100", "--arch", "residual(alpha=1/sqrt(L); relu dense)"],
  ["rho", "--rho1", "0.5", "--depth", "5", "--precision", "25"],
  ["compare", "--rho1", "0.5", "--depth", "10"],
  ["compare", "--rho1", "0.9999999", "--depth", "1000", "--at", "10,1000"],
  ["kernel", "--data", "examples/train.json", "--depth", "3"],
  ["kernel", "--data", "examples/circle.csv", "--depth", "10"],
  ["kernel", "--data", "examples/circle.csv", "--depth", "1000000"],
  ["kernel", "--data", "iris[0:12]", "--depth", "3"],
  ["kernel", "--data", "examples/train.json", "--depth", "3", "--precision", "30"],
  ["kernel", "--data", "examples/circle.csv", "--depth", "20", "--normalized", "--precision", "40"],
  ["kernel", "--data", "examples/train.json", "--depth", "3", "--compare"],
  ["predict", "--train", "examples/train.json", "--test", "examples/test.json", "--depth", "3"],
  ["predict", "--train", "examples/train.json", "--test", "examples/test.json", "--depth", "3", "--time", "0.5", "--covariance", "full"],
  ["predict", "--train", "examples/train.json", "--test", "examples/test.json", "--depth", "3", "--precision", "25"],
  ["predict", "--train", "examples/train.json", "--test", "examples/test.json", "--depth", "3", "--precision", "30", "--covariance", "full"],
  ["predict", "--train", "iris[0:150:5]", "--test", "iris[1:150:5]", "--depth", "3", "--targets", "onehot"],
  ["width", "--data", "examples/train.json", "--depth", "3", "--width", "16", "--samples", "4"],
  [
    "train",
    "--train",
    "examples/train-scalar.json",
    "--test",
    "examples/test.json",
    "--depth",
    "2",
    "--width",
    "16",
    "--samples",
    "2",
    "--steps",
    "10",
    "--learning-rate",
    "0.1",
  ],
];

/** A cell's notation: fixed ("0.25", "12"), scientific ("2.5e-1") or not a number. */
function notationOf(cell: string): "fixed" | "scientific" | null {
  if (/^-?\d+(\.\d+)?e[+-]\d+$/.test(cell)) return "scientific";
  return /^-?\d+(\.\d+)?$/.test(cell) ? "fixed" : null;
}

/**
 * Every table in `text` (a header, a rule of dashes, rows up to a blank line) as columns of cells,
 * cut at the rule's dash runs; positions count display columns (a letter with its combining marks is one).
 */
function tablesIn(text: string): { header: string; cells: string[] }[][] {
  const lines = text.split("\n");
  const tables: { header: string; cells: string[] }[][] = [];
  const clusters = (line: string) => line.match(/\P{M}\p{M}*/gu) ?? [];
  for (let k = 1; k < lines.length; k++) {
    if (!/^-+( +-+)*$/.test(lines[k])) continue;
    const spans = [...lines[k].matchAll(/-+/g)].map((m) => [m.index, m.index + m[0].length] as const);
    const cut = (line: string) => spans.map(([a, b]) => clusters(line).slice(a, b).join("").trim());
    const header = cut(lines[k - 1]);
    const body: string[][] = [];
    for (let r = k + 1; r < lines.length && lines[r].trim() !== ""; r++) body.push(cut(lines[r]));
    tables.push(header.map((h, j) => ({ header: h, cells: body.map((row) => row[j]) })));
  }
  return tables;
}

describe("default text output", () => {
  for (const args of RUNS) {
    it(`${args.join(" ")}: every line within ${TEXT_WIDTH} columns, one notation per column`, async () => {
      const r = await cli(...args);
      expect(r.code).toBe(0);
      const long = r.out.split("\n").filter((line) => columns(line) > TEXT_WIDTH);
      expect(long).toEqual([]);
      for (const table of tablesIn(r.out)) {
        for (const { header, cells } of table) {
          const notations = new Set(cells.map(notationOf).filter((n) => n !== null));
          expect({ header, notations: [...notations] }).toEqual({ header, notations: [...notations].slice(0, 1) });
        }
      }
    });
  }

  it("the table parser sees the tables it checks", async () => {
    const r = await cli("rho", "--rho1", "0.9999999", "--depth", "1000000", "--at", "1,1000,1000000");
    const tables = tablesIn(r.out);
    expect(tables.map((t) => t.map((c) => c.header))).toEqual([
      ["L", "ρ", "1 − ρ", "θ"],
      ["L", "Θ̄", "1 − Θ̄"],
      ["L", "Σ(x,x′)", "Θ(x,x′)", "Σ̇(x,x′)"],
    ]);
    // 1 − ρ spans 1e-7 … 4e-11 and θ 4e-4 … 9e-6: both in scientific notation throughout.
    expect(tables[0][2].cells).toEqual(["1e-7", "9.115265425194236e-8", "4.259840564715012e-11"]);
    expect(tables[0][3].cells.every((c) => notationOf(c) === "scientific")).toBe(true);
    expect(tables[0][1].cells.every((c) => notationOf(c) === "fixed")).toBe(true);
  });

  it("one point is a point", async () => {
    const one = await cli("kernel", "--data", "iris[0:1]", "--depth", "2");
    expect(one.code).toBe(0);
    expect(one.out).toMatch(/: 1 point on the unit sphere/);
    const two = await cli("kernel", "--data", "examples/pair.json", "--depth", "2");
    expect(two.out).toMatch(/: 2 points on the unit sphere/);
  });
});

describe("formatting helpers", () => {
  it("counts with the right plural", () => {
    expect(countOf(1, "point")).toBe("1 point");
    expect(countOf(0, "point")).toBe("0 points");
    expect(countOf(2, "test point")).toBe("2 test points");
    expect(countOf(1n, "layer")).toBe("1 layer");
  });
  it("shows a condition estimate with one significant digit, plain or with an exponent", () => {
    expect(formatConditionEstimate(3.928006844456303)).toBe("4");
    expect(formatConditionEstimate(347.2)).toBe("300");
    expect(formatConditionEstimate(9.7e3)).toBe("10000");
    expect(formatConditionEstimate(2.46e12)).toBe("2e+12");
    expect(formatConditionEstimate(Infinity)).toBe("∞");
  });
  it("wraps prose at spaces within the width and keeps short lines", () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");
    const wrapped = wrapText(words, 40).split("\n");
    expect(wrapped.length).toBeGreaterThan(1);
    for (const line of wrapped) expect(line.length).toBeLessThanOrEqual(40);
    expect(wrapped.join(" ")).toBe(words);
    expect(wrapText("short line", 40)).toBe("short line");
  });
});
