import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, cliJson } from "./support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "ntk-covariance-"));
const train = join(dir, "train.json");
const test = join(dir, "test.json");
writeFileSync(
  train,
  JSON.stringify({
    points: [
      [1, 0, 0],
      [0.6, 0.8, 0],
      [0, 0.6, 0.8],
    ],
    labels: [1, 0, -1],
  }),
);
// The second test point is the second training point.
writeFileSync(
  test,
  JSON.stringify({
    points: [
      [0.8, 0.6, 0],
      [0.6, 0.8, 0],
    ],
  }),
);

interface Doc {
  variance: string[];
  varianceError: string[];
  covariance?: string[][];
  predictions: string[][];
}

describe("predict --covariance", () => {
  it("t = 0: the variance is the prior's, Σ^(3)(x, x) = q_3 = 1/(3·2²) for unit points in 3 dimensions", async () => {
    for (const kernel of ["ntk", "nngp"]) {
      const doc = await cliJson<Doc>("predict", "--train", train, "--test", test, "--depth", "3", "--kernel", kernel, "--time", "0", "--covariance", "--json");
      for (const v of doc.variance) expect(Math.abs(Number(v) - 1 / 12)).toBeLessThan(1e-16);
      expect(doc.covariance).toBeUndefined();
    }
  });

  it("t = ∞, NNGP: the Bayesian posterior; zero variance (within its error estimate) at a training point; 'full' adds the symmetric covariance", async () => {
    const doc = await cliJson<Doc>("predict", "--train", train, "--test", test, "--depth", "3", "--kernel", "nngp", "--covariance", "full", "--json");
    expect(Math.abs(Number(doc.variance[1]))).toBeLessThanOrEqual(Number(doc.varianceError[1]));
    expect(Number(doc.variance[0])).toBeGreaterThan(Number(doc.varianceError[0]));
    expect(Number(doc.variance[0])).toBeLessThan(1 / 12);
    const cov = doc.covariance!;
    expect(cov[0][1]).toBe(cov[1][0]);
    expect(cov.map((row, i) => row[i])).toEqual(doc.variance);
    expect(Number(doc.predictions[1][0])).toBeCloseTo(0, 12);
  });

  it("prints a table of variances with two-digit error estimates", async () => {
    const r = await cli("predict", "--train", train, "--test", test, "--depth", "3", "--covariance");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Var f\s+± error/);
    expect(r.out).toMatch(/^\s+1\s+0\.0\d+\s+\d\.\de-\d+$/m);
  });

  it("--precision P: the variance and covariance at P digits, each with the digits it vouches for, agreeing with float64", async () => {
    interface PreciseDoc {
      variance: string[];
      varianceDigitsVouched: string[];
      covariance: string[][];
      covarianceDigitsVouched: string[][];
      ensembleVouchedBy: string;
    }
    for (const kernel of ["nngp", "ntk"]) {
      for (const time of ["inf", "2"]) {
        const args = ["predict", "--train", train, "--test", test, "--depth", "3", "--kernel", kernel, "--time", time, "--covariance", "full", "--json"];
        const f64 = await cliJson<Doc>(...args);
        const doc = await cliJson<PreciseDoc>(...args, "--precision", "30");
        // The first test point is no training point: all 30 digits, and float64 within its error estimate.
        expect(doc.varianceDigitsVouched[0]).toBe("30");
        expect(doc.variance[0]).toMatch(/^0\.0+[1-9]\d{29}$/);
        expect(Math.abs(Number(doc.variance[0]) - Number(f64.variance[0]))).toBeLessThanOrEqual(Number(f64.varianceError[0]));
        expect(doc.covariance[0][1]).toBe(doc.covariance[1][0]);
        expect(doc.covariance.map((row, i) => row[i])).toEqual(doc.variance);
        expect(doc.ensembleVouchedBy).toMatch(/two pipelines agree/);
      }
    }
  });

  it("--precision P at a training point, t = ∞: a variance exactly 0 is never printed with digits it does not have", async () => {
    const doc = await cliJson<{ variance: string[]; varianceDigitsVouched: string[] }>(
      "predict",
      "--train",
      train,
      "--test",
      test,
      "--depth",
      "3",
      "--kernel",
      "nngp",
      "--covariance",
      "--precision",
      "30",
      "--json",
    );
    const digits = Number(doc.varianceDigitsVouched[1]);
    if (digits >= 1) expect(doc.variance[1]).toBe("0");
    else expect(doc.variance[1]).toBe("no digit vouched");
    const text = await cli("predict", "--train", train, "--test", test, "--depth", "3", "--covariance", "--precision", "25");
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/Var f\s+digits vouched/);
  });

  it("rejects an unknown request and --precision auto with BAD_OPTION", async () => {
    for (const extra of [
      ["--covariance", "diag"],
      ["--covariance", "--precision", "auto"],
    ]) {
      const r = await cli("predict", "--train", train, "--test", test, "--depth", "3", ...extra);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^ntk-depth: error BAD_OPTION: --covariance/);
    }
  });
});
