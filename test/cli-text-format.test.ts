/**
 * Layout of the default text output: lines fit a 100-column terminal (prose wrapped, tables
 * narrow enough), counts agree with their nouns, and condition estimates show the one digit they
 * have. Display width counts code points without combining marks (Θ̄ is one column).
 */
import { describe, expect, it } from "vitest";
import { countOf, formatConditionEstimate, TEXT_WIDTH, wrapText } from "../src/format.js";
import { cli } from "./support/cli.js";

const columns = (line: string) => [...line.replace(/\p{M}/gu, "")].length;

/** Every command's default text output on the repository's examples (small, so quick). */
const RUNS: readonly (readonly string[])[] = [
  ["rho", "--rho1", "0.5", "--depth", "5", "--precision", "25"],
  ["kernel", "--data", "examples/train.json", "--depth", "3"],
  ["kernel", "--data", "examples/train.json", "--depth", "3", "--compare"],
  ["predict", "--train", "examples/train.json", "--test", "examples/test.json", "--depth", "3"],
  ["predict", "--train", "examples/train.json", "--test", "examples/test.json", "--depth", "3", "--precision", "25"],
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

describe("default text output", () => {
  for (const args of RUNS) {
    it(`${args.join(" ")}: every line within ${TEXT_WIDTH} columns`, async () => {
      const r = await cli(...args);
      expect(r.code).toBe(0);
      const long = r.out.split("\n").filter((line) => columns(line) > TEXT_WIDTH);
      expect(long).toEqual([]);
    });
  }

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
