/**
 * predict() asks the float64 Gram fill only for the kernels it reads (the trained kernel's, plus the
 * NNGP's with `covariance`) and, without covariance, only the training columns of the union's
 * matrices; its results keep every bit of a run on all four whole matrices: the fill is wrapped
 * here so that one run can be forced back to kernels "both" and every column. The predictor's
 * Cholesky skips the finiteness pass over the trained kernel, but still refuses an infinite diagonal.
 */
import { describe, expect, it, vi } from "vitest";
import { datasetFromArrays } from "../src/data/dataset.js";
import type { GramKernels } from "../src/gram/float64.js";
import { predict, predictThroughDepth, type DataPrediction, type PredictOptions } from "../src/predict/fromData.js";
import { createPredictor } from "../src/predict/predictor.js";
import { rejectionOf } from "./support/errors.js";

const fill = vi.hoisted(() => ({ force: false, asked: [] as string[] }));
vi.mock("../src/gram/float64.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../src/gram/float64.js")>();
  return {
    ...actual,
    gramFloat64Resolved: (o: Parameters<typeof actual.gramFloat64Resolved>[0]) => {
      fill.asked.push(`${o.kernels} ${o.columns ?? "all"}`);
      return actual.gramFloat64Resolved(fill.force ? { ...o, kernels: "both" as GramKernels, columns: undefined } : o);
    },
  };
});

function rawCoords(count: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

const m = 23;
const train = datasetFromArrays({
  points: Array.from({ length: m }, (_, i) => Array.from(rawCoords(5, 100 + i))),
  labels: Array.from(rawCoords(m, 9)),
});
const test = { m: 7, n0: 5, coords: rawCoords(35, 11) };

/** Every number of a float64 prediction as bytes (predictions, weights, det, digits, the ensemble's variance). */
function bitsOf(r: DataPrediction): Buffer {
  const f = r.float64!;
  const e = r.ensembleFloat64;
  const scalars = Float64Array.of(f.determinant.det, f.determinant.log10AbsDet, f.digitsKept, f.conditionEstimate, f.kernelConditionEstimate, f.log2Scale);
  const arrays = [f.predictions, f.weights, f.weightsL1, scalars, ...(f.eigenvalues ? [f.eigenvalues] : []), ...(e ? [e.variance, e.varianceError] : [])];
  return Buffer.concat(arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
}

/** predict() as it runs, and forced to compute all four whole matrices; the kernels and columns it asked for. */
async function bothWays(o: PredictOptions): Promise<{ own: DataPrediction; both: DataPrediction; asked: string[] }> {
  fill.asked = [];
  fill.force = false;
  const own = await predict(o);
  const asked = fill.asked;
  fill.asked = [];
  fill.force = true;
  try {
    return { own, both: await predict(o), asked };
  } finally {
    fill.force = false;
  }
}

describe("predict() reads only the kernels and columns it asked the Gram fill for", () => {
  it.each([
    { kernel: "ntk", time: "inf", covariance: undefined, normalized: false, asks: "ntk 23" },
    { kernel: "ntk", time: "inf", covariance: "variance", normalized: false, asks: "both all" },
    { kernel: "ntk", time: "2.5", covariance: undefined, normalized: false, asks: "ntk 23" },
    { kernel: "ntk", time: "2.5", covariance: "full", normalized: true, asks: "both all" },
    { kernel: "nngp", time: "inf", covariance: undefined, normalized: true, asks: "nngp 23" },
    { kernel: "nngp", time: "inf", covariance: "variance", normalized: false, asks: "nngp all" },
    { kernel: "nngp", time: "0.75", covariance: "variance", normalized: false, asks: "nngp all" },
    { kernel: "nngp", time: "0.75", covariance: undefined, normalized: false, asks: "nngp 23" },
  ] as const)(
    "kernel $kernel, t = $time, covariance $covariance, normalized $normalized: asks $asks",
    async ({ kernel, time, covariance, normalized, asks }) => {
      const { own, both, asked } = await bothWays({ train, test, depth: 6, kernel, time, covariance, normalized });
      expect(asked).toEqual([asks]);
      expect(bitsOf(own).equals(bitsOf(both))).toBe(true);
      expect(own.ensembleFloat64?.covariance ?? null).toEqual(both.ensembleFloat64?.covariance ?? null);
      expect(own.warnings).toEqual(both.warnings);
    },
  );

  it("with a ridge and precision auto's float64 start, and through depth", async () => {
    const ridge = await bothWays({ train, test, depth: 40, diagReg: 1e-3 });
    expect(bitsOf(ridge.own).equals(bitsOf(ridge.both))).toBe(true);
    const auto = await bothWays({
      train: datasetFromArrays({
        points: [
          [1, 0],
          [0.6, 0.8],
          [0, 1],
        ],
        labels: [1, -1, 2],
      }),
      test: { m: 1, n0: 2, coords: Float64Array.of(0.8, 0.6) },
      depth: 4,
      precision: "auto",
      digits: 5,
    });
    expect(auto.asked).toEqual(["ntk 3"]);
    expect(bitsOf(auto.own).equals(bitsOf(auto.both))).toBe(true);
    fill.asked = [];
    const deep = await predictThroughDepth({ train, test, depths: [2, 30], kernel: "nngp" });
    expect(fill.asked).toEqual(["nngp 23"]);
    expect(deep.map((r) => r.float64!.predictions.length)).toEqual([7, 7]);
  });
});

describe("the predictor's Cholesky reads the trained kernel without a finiteness pass, but not past a ridge that overflowed", () => {
  it.each([1, 1e300])("NON_FINITE when the ridge δ = %s makes the diagonal infinite", async (diagReg) => {
    const trainNngp = Float64Array.of(1e308, 0, 0, 1e308);
    const p = await createPredictor({ kernel: "nngp", trainNngp, m: 2, targets: Float64Array.of(1, 2), k: 1, diagReg, diagRegScale: "mean-diagonal" });
    const e = await rejectionOf(() => p.predict({ testNngp: Float64Array.of(1, 0) }));
    expect([e.code, e.message]).toEqual(["NON_FINITE", "Entry (0, 0) of the matrix is Infinity; every entry must be a finite number."]);
  });
});
