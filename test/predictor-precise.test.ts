import { describe, expect, it } from "vitest";
import { Decimal } from "decimal.js";
import fixture from "./fixtures/predictor_covariance.json" with { type: "json" };
import { createPredictor } from "../src/predict/predictor.js";
import { digitsAgreed, type Vouched } from "../src/precise/vouched.js";
import { rejectionCodeOf } from "./support/errors.js";
import { preciseDecimal } from "../src/precise/precision.js";
import { solvePrecise } from "../src/linalg/preciseLu.js";
import type { PredictorCase } from "./support/predictorFixture.js";

type Case = PredictorCase;

const cases = fixture.cases as Case[];
// The fixture's kernels are float64 values; numbers are read by their exact binary value, as mpmath read them.
const num = (a: string[]) => a.map(Number);
const trainingOf = (c: Case) => ({
  kernel: c.kernel,
  m: Number(c.m),
  k: Number(c.k),
  targets: num(c.targets),
  trainNngp: num(c.trainNngp),
  trainNtk: num(c.trainNtk),
  diagReg: Number(c.diagReg),
});
const queryOf = (c: Case) => ({
  time: c.time,
  testNngp: num(c.testNngp),
  testNtk: num(c.testNtk),
  testTestNngp: num(c.testTestNngp),
  covariance: "full" as const,
});

/** No vouched digit wrong: the value agrees with the reference on at least the digits it vouches (the reference holds 60). */
function expectNeverWrong(v: Vouched<Decimal>, reference: string): void {
  const agreed = digitsAgreed(new Decimal(reference), v.value, 60) + 1;
  expect(v.digits).toBeLessThanOrEqual(Math.min(agreed, 59));
}

describe("createPredictor({ precision }): the decimal predictor against mpmath (docs/PREDICTOR.md)", () => {
  for (const c of cases) {
    it(`${c.name}: mean and covariance at P = 50, no vouched digit wrong, 50 vouched except where the value cancels to 0`, async () => {
      const p = await createPredictor({ ...trainingOf(c), precision: 50 });
      const r = await p.predict(queryOf(c));
      expect(r.solver).toBe(c.time === "inf" ? "cholesky" : "eigen");
      r.mean.forEach((v, i) => expectNeverWrong(v, c.meanPrecise[i]));
      r.covariance!.forEach((v, i) => expectNeverWrong(v, c.covariancePrecise[i]));
      // The last test point is the second training point: at t = ∞ without ridge its variance (and
      // its mean for the target 0) is exactly 0, and what the runs compute there is rounding noise,
      // vouched for no digit unless both runs give exactly 0.
      const t = Number(c.t);
      const k = Number(c.k);
      const zero = c.time === "inf" && c.diagReg === "0";
      r.mean.forEach((v, i) => {
        if (!(zero && Math.floor(i / k) === t - 1 && Number(c.targets[Number(c.m) * 0 + k + (i % k)]) === 0)) expect(v.digits).toBe(50);
      });
      r.covariance!.forEach((v, i) => {
        const touchesTraining = Math.floor(i / t) === t - 1 || i % t === t - 1;
        if (!(zero && touchesTraining)) expect(v.digits).toBe(50);
      });
      if (zero) expect(r.variance![t - 1].value.abs().lt("1e-60")).toBe(true);
      expect(r.variance!.map((v) => v.value)).toEqual(Array.from({ length: t }, (_, i) => r.covariance![i * t + i].value));
    });
  }

  it("agrees with the float64 predictor to float64 accuracy (well conditioned: within its varianceError and 1e-13 relative in the mean)", async () => {
    for (const c of cases.filter((x) => x.name.includes("depth 3"))) {
      const precise = await (await createPredictor({ ...trainingOf(c), precision: 30 })).predict({ ...queryOf(c), covariance: "variance" });
      const f64 = await (await createPredictor(trainingOf(c))).predict({ ...queryOf(c), covariance: "variance" });
      precise.mean.forEach((v, i) =>
        expect(Math.abs(f64.mean[i] - v.value.toNumber())).toBeLessThanOrEqual(1e-13 * Math.max(1e-3, Math.abs(v.value.toNumber()))),
      );
      precise.variance!.forEach((v, i) => expect(Math.abs(f64.variance![i] - v.value.toNumber())).toBeLessThanOrEqual(f64.varianceError![i]));
    }
  });

  it("factors once per precision and answers many queries: two queries equal two fresh predictors", async () => {
    const c = cases.find((x) => x.kernel === "nngp" && x.time === "3")!;
    const p = await createPredictor({ ...trainingOf(c), precision: 25 });
    const a = await p.predict({ ...queryOf(c), covariance: "none" });
    const b = await p.predict({ ...queryOf(c), time: "inf", covariance: "none" });
    const fresh = await (await createPredictor({ ...trainingOf(c), precision: 25 })).predict({ ...queryOf(c), time: "inf", covariance: "none" });
    expect(a.solver).toBe("eigen");
    expect(b.mean.map((v) => v.value.toString())).toEqual(fresh.mean.map((v) => v.value.toString()));
    expect(a.covariance).toBeNull();
    expect(a.variance).toBeNull();
    expect(b.vouchedBy).toMatch(/computed twice, at \d+ and at \d+ significant digits/);
  });

  it("decimal text is read exactly, and the retry raises the digits for an ill-conditioned kernel", async () => {
    // The 10 × 10 Hilbert matrix (entries 1/(i + j + 1) to 60 digits, taken as exact): κ ≈ 1.6e13,
    // so the first pair of runs (31 and 37 digits) is short of P = 20 and both are repeated.
    const n = 10;
    const H = preciseDecimal(60);
    const K = Array.from({ length: n * n }, (_, e) => new H(1).div(Math.floor(e / n) + (e % n) + 1).toString());
    const targets = Array.from({ length: n }, (_, i) => String(i % 3));
    const testRow = Array.from({ length: n }, (_, j) => new H(1).div(j + 1.5).toString());
    const p = await createPredictor({ kernel: "nngp", m: n, targets, trainNngp: K, precision: 20 });
    const r = await p.predict({ testNngp: testRow });
    expect(r.workingPrecisions[0]).toBeGreaterThan(31);
    expect(r.vouchedBy).toMatch(/raised once/);
    // Reference: LU (not Cholesky) at 200 digits on the same decimal entries.
    const R = preciseDecimal(200);
    const w = solvePrecise(
      R,
      K.map((x) => new R(x)),
      n,
      testRow.map((x) => new R(x)),
      1,
    );
    const mean = w.reduce((a, x, i) => a.plus(x.times(targets[i])), new R(0));
    expectNeverWrong(r.mean[0], mean.toString());
    expect(r.mean[0].digits).toBe(20);
  });

  it("errors: precision out of range, missing Θ, singular at t = ∞, shapes", async () => {
    const c = cases[0];
    expect(await rejectionCodeOf(() => createPredictor({ ...trainingOf(c), precision: 5 }))).toBe("BAD_PRECISION");
    expect(await rejectionCodeOf(() => createPredictor({ ...trainingOf(c), kernel: "ntk", trainNtk: undefined, precision: 30 }))).toBe("BAD_OPTION");
    const twin = await createPredictor({ kernel: "nngp", m: 2, targets: [1, 2], trainNngp: [1, 1, 1, 1], precision: 30 });
    expect(await rejectionCodeOf(() => twin.predict({ testNngp: [1, 1] }))).toBe("SINGULAR_MATRIX");
    // Finite times stay defined for a singular kernel.
    expect((await twin.predict({ testNngp: [1, 1], time: 1 })).mean[0].digits).toBe(30);
    const p = await createPredictor({ ...trainingOf(c), precision: 30 });
    expect(await rejectionCodeOf(() => p.predict({ ...queryOf(c), testNngp: [1, 2, 3] }))).toBe("DIMENSION_MISMATCH");
    expect(await rejectionCodeOf(() => p.predict({ ...queryOf(c), testTestNngp: [1] }))).toBe("DIMENSION_MISMATCH");
    expect(await rejectionCodeOf(() => p.predict({ ...queryOf(c), testNngp: num(c.testNngp).map((x, i) => (i === 0 ? NaN : x)) }))).toBe("NON_FINITE");
  });
});
