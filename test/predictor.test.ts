import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decimal } from "decimal.js";
import { createPredictor, type PredictorOptions } from "../src/predict/predictor.js";
import { predictFromKernelsFloat64 } from "../src/predict/float64.js";
import { rejectionOf } from "./support/errors.js";
import fixture from "./fixtures/predictor_covariance.json" with { type: "json" };
import type { PredictorCase } from "./support/predictorFixture.js";

const U = 2 ** -53;

type Case = PredictorCase;
const cases = fixture.cases as Case[];
const nums = (a: string[]) => a.map(Number);

function options(c: Case): PredictorOptions {
  return { kernel: c.kernel, m: c.m, k: c.k, targets: nums(c.targets), trainNngp: nums(c.trainNngp), trainNtk: nums(c.trainNtk), diagReg: c.diagReg };
}

describe("createPredictor against mpmath (scripts/fixtures/predictor_covariance_reference.py)", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s: mean and covariance", async (_, c) => {
    const predictor = await createPredictor(options(c));
    const r = await predictor.predict({
      time: c.time,
      testNngp: nums(c.testNngp),
      testNtk: nums(c.testNtk),
      testTestNngp: nums(c.testTestNngp),
      covariance: "full",
    });
    expect(r.solver).toBe(c.time === "inf" ? "cholesky" : "eigen");
    const maxY = Math.max(...c.targets.map((v) => Math.abs(Number(v))));
    for (const [i, ref] of c.mean.entries()) {
      // Normwise, as digitsKept: κ·m·u relative to |A_t row|₁·max|Y|, with a factor 10 for the constant.
      const row = Math.floor(i / c.k);
      const rowL1 = r.weights.slice(row * c.m, (row + 1) * c.m).reduce((a, w) => a + Math.abs(w), 0);
      expect(Math.abs(r.mean[i] - Number(ref)), `mean ${i}`).toBeLessThanOrEqual(10 * r.conditionEstimate * c.m * U * rowL1 * maxY);
    }
    const t = c.t;
    for (let i = 0; i < t; i++) {
      for (let j = 0; j < t; j++) {
        const err = new Decimal(r.covariance![i * t + j])
          .minus(c.covariance[i * t + j])
          .abs()
          .toNumber();
        // The error estimate of the variances must cover the actual error, and bounds the off-diagonal ones too.
        expect(err, `covariance [${i}][${j}]`).toBeLessThanOrEqual(Math.max(r.varianceError![i], r.varianceError![j]));
      }
      expect(r.variance![i]).toBe(r.covariance![i * t + i]);
      expect(r.varianceError![i]).toBeLessThan(1e-9 * Math.abs(Number(c.testTestNngp[i * t + i])));
    }
    expect(r.warnings).toEqual([]);
  });

  it("gives the weights of predictFromKernelsFloat64 for the same kernel and settings, from one factorization for many queries", async () => {
    const c = cases.find((x) => x.kernel === "ntk" && x.diagReg === "0")!;
    const predictor = await createPredictor({ ...options(c), learningRate: "0.5" });
    for (const time of ["0.5", "3", "inf"]) {
      const r = await predictor.predict({ time, testNngp: nums(c.testNngp), testNtk: nums(c.testNtk) });
      const old = await predictFromKernelsFloat64({
        trainKernel: nums(c.trainNtk),
        testKernel: nums(c.testNtk),
        targets: nums(c.targets),
        m: c.m,
        k: c.k,
        time,
        learningRate: "0.5",
      });
      for (const [i, w] of old.weights.entries()) expect(Math.abs(r.weights[i] - w)).toBeLessThan(1e-13);
      expect(r.variance).toBeNull();
      expect(r.covariance).toBeNull();
    }
  });

  it("variance only: the diagonal of the full covariance, from t variances or the t × t matrix", async () => {
    const c = cases.find((x) => x.kernel === "nngp" && x.time === "3")!;
    const predictor = await createPredictor(options(c));
    const full = await predictor.predict({ time: "3", testNngp: nums(c.testNngp), testTestNngp: nums(c.testTestNngp), covariance: "full" });
    const diag = Array.from({ length: c.t }, (_, i) => Number(c.testTestNngp[i * c.t + i]));
    const fromDiag = await predictor.predict({ time: "3", testNngp: nums(c.testNngp), testTestNngp: diag });
    expect(fromDiag.covariance).toBeNull();
    for (let i = 0; i < c.t; i++) expect(fromDiag.variance![i]).toBe(full.covariance![i * c.t + i]);
  });
});

describe("createPredictor solvers and errors", () => {
  it("falls back to LU at t = ∞ when the trained kernel is not positive definite", async () => {
    const p = await createPredictor({ kernel: "nngp", m: 2, targets: [1, 2], trainNngp: [1, 2, 2, 1] });
    const r = await p.predict({ testNngp: [1, 0] });
    expect(r.solver).toBe("lu");
    // [1 2; 2 1]⁻¹ = [−1 2; 2 −1]/3.
    expect(r.weights[0]).toBeCloseTo(-1 / 3, 15);
    expect(r.weights[1]).toBeCloseTo(2 / 3, 15);
  });

  it("rejects bad input with typed errors", async () => {
    const base: PredictorOptions = { kernel: "nngp", m: 2, targets: [1, 2], trainNngp: [2, 1, 1, 2] };
    expect((await rejectionOf(() => createPredictor({ ...base, kernel: "rbf" as "ntk" }))).code).toBe("BAD_OPTION");
    expect((await rejectionOf(() => createPredictor({ ...base, kernel: "ntk" }))).code).toBe("BAD_OPTION");
    expect((await rejectionOf(() => createPredictor({ ...base, m: 3 }))).code).toBe("DIMENSION_MISMATCH");
    expect((await rejectionOf(() => createPredictor({ ...base, m: Number.NaN }))).code).toBe("DIMENSION_MISMATCH");
    expect((await rejectionOf(() => createPredictor({ ...base, trainNngp: [2, 1, 0.5, 2] }))).code).toBe("BAD_OPTION");
    expect((await rejectionOf(() => createPredictor({ ...base, trainNngp: [2, 1, 1, Number.NaN] }))).code).toBe("NON_FINITE");
    expect((await rejectionOf(() => createPredictor({ ...base, targets: [1, Infinity] }))).code).toBe("NON_FINITE");
    expect((await rejectionOf(() => createPredictor({ ...base, diagReg: -1 }))).code).toBe("BAD_OPTION");
    const p = await createPredictor(base);
    expect((await rejectionOf(() => p.predict({ testNngp: [1, 0, 1] }))).code).toBe("DIMENSION_MISMATCH");
    expect((await rejectionOf(() => p.predict({ testNngp: [1, Number.NaN] }))).code).toBe("NON_FINITE");
    expect((await rejectionOf(() => p.predict({ testNngp: [1, 0], time: -1 }))).code).toBe("BAD_OPTION");
    expect((await rejectionOf(() => p.predict({ testNngp: [1, 0], covariance: "variance" }))).code).toBe("DIMENSION_MISMATCH");
    expect((await rejectionOf(() => p.predict({ testNngp: [1, 0, 0, 1], testTestNngp: [1, 1], covariance: "full" }))).code).toBe("DIMENSION_MISMATCH");
    expect((await rejectionOf(() => p.predict({ testNngp: [1, 0], testTestNngp: [1], covariance: "all" as "full" }))).code).toBe("BAD_OPTION");
    const singular = await createPredictor({ ...base, trainNngp: [1, 1, 1, 1] });
    expect((await rejectionOf(() => singular.predict({ testNngp: [1, 0] }))).code).toBe("SINGULAR_MATRIX");
    // A finite time stays defined for the singular kernel.
    expect((await singular.predict({ testNngp: [1, 0], time: 1 })).mean.every(Number.isFinite)).toBe(true);
  });

  it("property: covariance symmetric, variances at least minus their error estimate, NNGP variance ≤ prior (random SPD kernels)", async () => {
    const spd = (m: number) =>
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: (m + 2) * m, maxLength: (m + 2) * m }).map((g) => {
        // Σ = G Gᵀ + I/10 over m + 2 points (m train, 2 test): positive definite, a valid joint covariance.
        const n = m + 2;
        const s = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let p = 0; p < m; p++) s[i * n + j] += g[i * m + p] * g[j * m + p];
        for (let i = 0; i < n; i++) s[i * n + i] += 0.1;
        return s;
      });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }).chain((m) => fc.tuple(fc.constant(m), spd(m), spd(m), fc.constantFrom("0.3", "5", "inf"))),
        async ([m, s, th, time]) => {
          const n = m + 2;
          const block = (a: Float64Array, rows: number[], cols: number[]) => rows.flatMap((i) => cols.map((j) => a[i * n + j]));
          const tr = Array.from({ length: m }, (_, i) => i);
          const te = [m, m + 1];
          for (const kernel of ["nngp", "ntk"] as const) {
            const p = await createPredictor({ kernel, m, targets: tr.map((i) => i - 1), trainNngp: block(s, tr, tr), trainNtk: block(th, tr, tr) });
            const r = await p.predict({ time, testNngp: block(s, te, tr), testNtk: block(th, te, tr), testTestNngp: block(s, te, te), covariance: "full" });
            const cov = r.covariance!;
            expect(cov[1]).toBe(cov[2]);
            for (let i = 0; i < 2; i++) {
              expect(Number.isFinite(r.variance![i])).toBe(true);
              expect(r.variance![i]).toBeGreaterThanOrEqual(-r.varianceError![i]);
              if (kernel === "nngp") expect(r.variance![i]).toBeLessThanOrEqual(s[te[i] * n + te[i]] + r.varianceError![i]);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
