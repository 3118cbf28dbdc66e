/**
 * The explorer's data half (web/dataSeries.ts, web/dataSeriesPrecise.ts) in Node: how the page
 * turns its state into points and targets, the float64 series against direct library calls, and
 * the count of correct digits of a float64 determinant.
 */
import { Decimal } from "decimal.js";
import { describe, expect, it } from "vitest";
import { analyzeMatrixFloat64 } from "../src/linalg/lu.js";
import { gramThroughDepthFloat64 } from "../src/gram/float64.js";
import { sliceUnion } from "../src/predict/union.js";
import { classify } from "../src/index.js";
import { predictFromKernelsFloat64 } from "../src/advanced.js";
import { nodeBuiltinDataFiles } from "../src/data/builtinFiles.js";
import { dataSeriesFloat64, explorerData, MAX_PAIRS_SHOWN, MAX_TESTS_SHOWN, shownPairs, TEST_POINTS } from "../web/dataSeries.js";
import { determinantCorrectDigits } from "../web/dataSeriesPrecise.js";
import { DEFAULT_STATE, type ExplorerState } from "../web/state.js";
import { rejectionOf } from "./support/errors.js";

const state = (changes: Partial<ExplorerState>): ExplorerState => ({ ...DEFAULT_STATE, ...changes });

describe("explorer data", () => {
  it("draws m training and TEST_POINTS test points on the sphere from the seed, reproducibly", async () => {
    const a = await explorerData(state({ m: 6, dim: 4, seed: 3 }));
    const b = await explorerData(state({ m: 6, dim: 4, seed: 3 }));
    expect(a.m).toBe(6);
    expect(a.onSphere.m).toBe(6 + TEST_POINTS);
    expect(a.onSphere.n0).toBe(4);
    expect(a.onSphere.coords).toEqual(b.onSphere.coords);
    expect(a.targets).toHaveLength(6);
    for (let i = 0; i < a.onSphere.m; i++) {
      const row = a.onSphere.coords.subarray(4 * i, 4 * i + 4);
      expect(Math.hypot(...row)).toBeCloseTo(1, 14);
    }
    expect((await explorerData(state({ m: 6, dim: 4, seed: 4 }))).onSphere.coords).not.toEqual(a.onSphere.coords);
  });

  it("reads pasted CSV with its targets and keeps the decimal text for the precise path", async () => {
    const d = await explorerData(state({ source: "paste", pasted: "x1,x2,y\n1,0,0.5\n0.6,0.8,1\n0,1,-0.25\n", projection: "none" }));
    expect(d.m).toBe(3);
    expect(Array.from(d.targets)).toEqual([0.5, 1, -0.25]);
    expect(d.union.coordText?.[1]).toEqual(["0.6", "0.8"]);
    // Test points are unit vectors (accepted by projection "none"), their text exact.
    expect(d.union.m).toBe(3 + TEST_POINTS);
    expect(new Decimal(d.union.coordText![3][0]).toNumber()).toBe(d.union.coords[6]);
  });

  it("passes the library's errors through: malformed CSV, a zero vector", async () => {
    expect((await rejectionOf(() => explorerData(state({ source: "paste", pasted: "x1,x2\n1,0\n0.5\n" })))).code).toBe("FILE_MALFORMED");
    expect((await rejectionOf(() => explorerData(state({ source: "paste", pasted: "x1,x2\n1,0\n0,0\n" })))).code).toBe("ZERO_VECTOR");
  });

  it("reads a built-in data set's training and test rows, with one-hot targets, and scores the test accuracy through depth", async () => {
    const s = state({ source: "iris", trainRange: "0:150:2", testRange: "1:150:5" });
    const data = await explorerData(s, nodeBuiltinDataFiles);
    expect([data.m, data.onSphere.m, data.k]).toEqual([75, 105, 3]);
    expect(data.classification!.encoding.classes).toEqual(["setosa", "versicolor", "virginica"]);
    expect(data.classification!.truth).toHaveLength(30);
    const series = await dataSeriesFloat64(s, [2, 10], data, {});
    // Ten test rows per species: always answering one species scores 1/3.
    expect(series.majorityRate).toBeCloseTo(1 / 3, 15);
    expect(series.accuracy!.map((a) => a.depth)).toEqual([2, 10]);
    // Checked against the library's own classification of the same kernel regression.
    const grams = (await gramThroughDepthFloat64({ points: data.onSphere, depths: [2] })).grams;
    const { train, test } = sliceUnion(grams[0].ntkNormalized, 75, 30);
    const p = await predictFromKernelsFloat64({ trainKernel: train, testKernel: test, targets: data.targets, m: 75, k: 3, time: "inf" });
    expect(series.accuracy![0].float64).toBe(classify(p.predictions, data.classification!.encoding, data.classification!.truth).accuracy);
    expect(series.accuracy![0].float64).toBeGreaterThan(0.8);
    // Prediction lines for the first MAX_TESTS_SHOWN test points only.
    expect(new Set(series.predictions.map((q) => q.test)).size).toBe(MAX_TESTS_SHOWN);
  });

  it("shows at most MAX_PAIRS_SHOWN pairs, in row order", () => {
    expect(shownPairs(3)).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
    expect(shownPairs(40)).toHaveLength(MAX_PAIRS_SHOWN);
  });

  it("float64 series: the same entries and determinants as direct library calls; raw kernels include their scale", async () => {
    const s = state({ m: 4, dim: 3, seed: 11, kernel: "nngp", normalized: false });
    const data = await explorerData(s);
    const depths = [1, 3, 700];
    const series = await dataSeriesFloat64(s, depths, data, {});
    const grams = (await gramThroughDepthFloat64({ points: data.onSphere, depths })).grams;
    // From L = 2 on (at L = 1 the matrix is singular and its float64 det is rounding noise).
    for (const [k, g] of grams.entries()) {
      if (g.depth === 1) continue;
      const bar = sliceUnion(g.sigmaNormalized, 4, g.m - 4).train;
      const analysis = await analyzeMatrixFloat64(bar, 4);
      // log10|det(Σ̄ · q · 2^s)| = log10|det Σ̄| + m log10(q · 2^s)
      const expected = analysis.log10AbsDet + 4 * (Math.log10(g.sigmaDiag) + g.log2Scale * Math.log10(2));
      expect(series.determinant[k].log10AbsDet).toBeCloseTo(expected, 9);
      const entry = series.entries.find((e) => e.depth === g.depth && e.pair === "1–2")!;
      expect(entry.float64).toBeCloseTo(Math.log10(bar[1] * g.sigmaDiag) + g.log2Scale * Math.log10(2), 12);
    }
    // L = 1, 4 points in 3 dimensions: the linear kernel is singular, flagged by the κ1 estimate.
    expect(series.lostDepths).toContain(1);
    expect(series.measuredLostDepths).toBeNull();
  });
});

describe("raw kernel entries", () => {
  it("a negative raw entry is listed with its value and left out of the log plot, never NaN", async () => {
    const s = state({ source: "paste", pasted: "x1,x2\n1,0\n-0.8,0.6\n0,1\n", kernel: "nngp", normalized: false });
    const series = await dataSeriesFloat64(s, [1, 2], await explorerData(s), {});
    const first = series.entries.find((e) => e.depth === 1 && e.pair === "1–2")!;
    expect(first.float64).toBeNull();
    expect(Number(first.text)).toBeCloseTo(-0.8 / 2, 15); // Σ^(1) = σw² x·x′ / n0
    const second = series.entries.find((e) => e.depth === 2 && e.pair === "1–2")!;
    expect(Number.isFinite(second.float64)).toBe(true);
  });
});

describe("determinantCorrectDigits", () => {
  it("counts the correct digits of det from the difference of logarithms", () => {
    // det = 1.234 vs 1.2345: relative error 4e-4, three correct digits.
    expect(determinantCorrectDigits(1, Math.log10(1.234), 1, new Decimal(1.2345).log(10), 40)).toBe(3);
    expect(determinantCorrectDigits(1, 2, 1, new Decimal(2), 40)).toBe(17);
    expect(determinantCorrectDigits(-1, 2, 1, new Decimal(2), 40)).toBe(0);
    // A factor 10 off: no digit.
    expect(determinantCorrectDigits(1, -300, 1, new Decimal(-301), 40)).toBe(0);
  });

  it("never counts more digits than the reference det vouches for", () => {
    // An exact match against a det vouched to 5 digits shows 5 correct digits, not 17.
    expect(determinantCorrectDigits(1, 2, 1, new Decimal(2), 5)).toBe(5);
    expect(determinantCorrectDigits(1, Math.log10(1.234), 1, new Decimal(1.2345).log(10), 2)).toBe(2);
  });
});
