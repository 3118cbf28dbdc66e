/**
 * The study's real-data section: its plan meets the sizes asked of it, the spectral predictor
 * agrees with predictFromKernelsFloat64, margins and the "which fails first" decision, and the report
 * section built from a small hand-made result names only tables and figures it holds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { predictFromKernelsFloat64 } from "../src/predict/float64.js";
import { spectralPredictor } from "../src/predict/spectral.js";
import { realDataPlan, smallestMargin, type RealDataResults } from "../src/study/realDataExperiment.js";
import { realDataReport, whichFailsFirst } from "../src/study/realDataReport.js";
import { renderIndexMarkdown } from "../src/study/document.js";
import { codeOf } from "./support/errors.js";

describe("real-data plan", () => {
  it("default: MNIST with at least 1000 training and 500 test points, and every set from L = 2 to at least 10^4", () => {
    const plan = realDataPlan(false);
    const mnist = plan.sets.find((s) => s.train.startsWith("mnist"))!;
    expect(mnist.train).toBe("mnist[0:1000]");
    expect(mnist.test).toBe("mnist[1000:1500]");
    for (const set of plan.sets) {
      expect(Math.min(...set.depths)).toBe(2);
      expect(Math.max(...set.depths)).toBeGreaterThanOrEqual(10_000);
    }
    expect(plan.sets.some((s) => s.train.startsWith("iris"))).toBe(true);
  });
});

/** A random symmetric positive definite m × m matrix B Bᵀ + m·I and a t × m cross matrix. */
function randomProblem(seed: number, m: number, t: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
  const b = Array.from({ length: m * m }, next);
  const k = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      let sum = i === j ? m : 0;
      for (let p = 0; p < m; p++) sum += b[i * m + p] * b[j * m + p];
      k[i * m + j] = sum;
    }
  return { k, kx: Float64Array.from({ length: t * m }, next), y: Float64Array.from({ length: m * 2 }, next) };
}

describe("spectral predictor", () => {
  it("agrees with predictFromKernelsFloat64 at t = ∞ and at finite times (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 8 }), fc.constantFrom(Infinity, 0.01, 1, 30), async (seed, m, s) => {
        const { k, kx, y } = randomProblem(seed, m, 3);
        const predictor = await spectralPredictor(k, m);
        const got = predictor.predict(kx, y, 2, s);
        const want = await predictFromKernelsFloat64({ trainKernel: k, testKernel: kx, targets: y, m, k: 2, time: s === Infinity ? "inf" : String(s) });
        const scale = Math.max(1e-300, ...Array.from(want.predictions, Math.abs));
        for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - want.predictions[i]) / scale).toBeLessThan(1e-12);
        expect(predictor.conditionNumber).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 25 },
    );
  });

  it("refuses t = ∞ when K is singular in float64, and keeps finite times defined", async () => {
    const predictor = await spectralPredictor([1, 1, 1, 1], 2);
    expect(predictor.conditionNumber).toBe(Infinity);
    expect(codeOf(() => predictor.predict([1, 0], [1, 0], 1, Infinity))).toBe("SINGULAR_MATRIX");
    // K = J: eigenvalues 0 and 2 with vectors (1, ∓1)/√2, so f = (φ(0) + φ(2))/2 with φ(0) = s = 2.
    expect(Array.from(predictor.predict([1, 0], [1, 0], 1, 2))).toEqual([expect.closeTo((2 + (1 - Math.exp(-4)) / 2) / 2, 14)]);
    expect(codeOf(() => predictor.predict([1, 0], [1, 0], 1, -1))).toBe("BAD_OPTION");
  });
});

describe("margins and the first failure", () => {
  it("smallestMargin is the smallest top-two gap over the rows", () => {
    expect(smallestMargin([0.5, 0.2, 0.1, 0.3, 0.35, -1], 3)).toBeCloseTo(0.05, 15);
    expect(smallestMargin([0.4, 0.4], 2)).toBe(0);
  });

  it("whichFailsFirst orders the two depths and says so", () => {
    const how = "changes a predicted class";
    expect(whichFailsFirst(null, null, how).first).toBe("neither");
    expect(whichFailsFirst(64, null, how)).toEqual({ first: "kernel", sentence: expect.stringContaining("while float64 keeps every predicted class") });
    expect(whichFailsFirst(64, 1024, how).sentence).toMatch(/kernel fails first.*L = 64, before float64 changes a predicted class at L = 1024/);
    expect(whichFailsFirst(1024, 64, how).sentence).toMatch(
      /arithmetic fails first: float64 changes a predicted class from L = 64, before accuracy falls .* L = 1024/,
    );
    expect(whichFailsFirst(null, 64, how).first).toBe("arithmetic");
    expect(whichFailsFirst(64, 64, how).first).toBe("both");
  });
});

describe("real-data report", () => {
  const table = (name: string, rows: Record<string, number | string | null>[]) => ({
    name,
    description: name,
    columns: Object.keys(rows[0]).map((key) => ({ key, meaning: key })),
    rows,
  });
  const prediction = (kernel: string, time: string, depth: number, accuracy: number) => ({
    dataSet: "toy",
    kernel,
    time,
    line: `toy, ${kernel}, ${time}`,
    depth,
    accuracy,
    mse: 0.1,
    limitDistance: 1 / depth,
    limitDistanceMax: 2 / depth,
    predictionScale: 1,
    digitsKept: 12,
    marginRelative: 0.1,
  });
  const results: RealDataResults = {
    plan: { ...realDataPlan(true), sets: [{ label: "toy", train: "iris[0:150:2]", test: "iris[1:150:2]", depths: [2, 4, 8, 16] }] },
    sets: table("real-data-sets", [
      { dataSet: "toy", train: "iris[0:150:2]", test: "iris[1:150:2]", m: 75, testCount: 75, classes: 3, majorityRate: 1 / 3, limitPrediction: 0 },
    ]),
    predictions: table(
      "real-data-predictions",
      ["Θ̄", "Σ̄"].flatMap((k) => ["t = ∞", "s = 10"].flatMap((time) => [2, 4, 8, 16].map((d) => prediction(k, time, d, k === "Σ̄" && d >= 8 ? 0.34 : 0.9)))),
    ),
    spectrum: table(
      "real-data-spectrum",
      ["Θ̄", "Σ̄"].flatMap((kernel) =>
        [2, 4, 8, 16].map((depth) => ({
          dataSet: "toy",
          kernel,
          line: `toy, ${kernel}`,
          depth,
          lambdaMin: 0.5,
          lambdaP10: 0.6,
          lambdaP50: 0.7,
          lambdaP90: 0.8,
          lambdaMax: 20,
          condition: 40,
        })),
      ),
    ),
    precision: table("real-data-precision", [
      {
        kernel: "Θ̄",
        depth: 2,
        accuracyFloat64: 0.9,
        accuracyPrecise: 0.9,
        classesChanged: 0,
        relativeDifference: 1e-15,
        digitsKeptFloat64: 13,
        marginRelative: 0.1,
        conditionFloat64: 10,
        solver: "lu",
        digitsVouched: 20,
      },
    ]),
  };

  it("finds where accuracy falls to the majority-class rate and which fails first", () => {
    const report = realDataReport(results, true);
    const text = report.section.paragraphs.join("\n");
    expect(text).toMatch(/toy, Σ̄, t = ∞: accuracy 0.9 at L = 2, 0.34 at L = 16 .*falls to within 0.02 of the majority-class rate at L = 8/);
    expect(text).toMatch(/toy, Θ̄, t = ∞: .*does not fall to the majority-class rate/);
    expect(text).toMatch(/The kernel fails first: accuracy falls to the majority-class rate at L = 8, while float64 keeps every predicted class/);
    expect(text).toMatch(/changing like L\^-1 over the last four depths/);
  });

  it("names only figures and tables it holds", () => {
    const report = realDataReport(results, true);
    const markdown = renderIndexMarkdown({ title: "t", preamble: [], sections: [report.section], tables: [...report.tables], figures: [...report.figures] });
    expect(markdown).toContain("figures/real-accuracy.svg");
    expect(markdown).toContain("data/real-data-spectrum.csv");
  });
});
