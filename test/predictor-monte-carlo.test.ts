/**
 * The predictor's ensemble mean and covariance (docs/PREDICTOR.md: kernel "ntk", gradient flow
 * from random initialization) against the Monte Carlo of trained finite-width networks
 * (src/width/training.ts): S networks of depth L and width n in the NTK parametrization
 * (docs/FINITE_WIDTH.md), each trained by full-batch gradient descent on ½Σ(f − y)² with step η;
 * after T steps the flow time is s = ηT (SPEC §6, "flow" convention). The sample mean and
 * covariance of their test outputs must agree with createPredictor's within a few standard errors,
 * at a finite time and at a time long enough to stand for t = ∞ (e^{−s λ_min} below 1e-6).
 * Differences that are not sampling noise, kept small by the choice of n and η: the finite width
 * (O(1/n)) and the steps of gradient descent against the flow ((1 − ηλ)^T against e^{−ηλT}).
 */
import { describe, expect, it } from "vitest";
import { datasetFromArrays } from "../src/data/dataset.js";
import { gramThroughDepthFloat64, kernelMatrixFloat64 } from "../src/gram/float64.js";
import { createPredictor } from "../src/predict/predictor.js";
import { sliceUnion, unionPoints } from "../src/predict/union.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { trainNetworks } from "../src/width/training.js";

const DEPTH = 2;
const WIDTH = 512;
const NETWORKS = 300;
const ETA = 0.5;
const STEPS = [8, 160];

const trainPoints = [
  [1, 0.2, -0.3],
  [0.1, 1.5, 0.4],
  [-0.7, 0.3, 0.9],
];
const targets = [1, -0.5, 0.25];
const testPoints = [
  [0.5, -0.5, 0.5],
  [0.3, 0.8, 0.1],
];

/** Sample mean and covariance (t × t) of the rows, with the standard errors of each. */
function moments(rows: readonly Float64Array[], t: number) {
  const n = rows.length;
  const mean = new Float64Array(t);
  for (const r of rows) for (let i = 0; i < t; i++) mean[i] += r[i] / n;
  const cov = new Float64Array(t * t);
  // Fourth central moments for the standard error of each covariance entry.
  const fourth = new Float64Array(t * t);
  for (const r of rows) {
    for (let i = 0; i < t; i++) {
      for (let j = 0; j < t; j++) {
        const p = (r[i] - mean[i]) * (r[j] - mean[j]);
        cov[i * t + j] += p / (n - 1);
        fourth[i * t + j] += (p * p) / n;
      }
    }
  }
  const meanError = Float64Array.from({ length: t }, (_, i) => Math.sqrt(cov[i * t + i] / n));
  const covError = Float64Array.from(cov, (c, e) => Math.sqrt(Math.max(0, fourth[e] - c * c) / n));
  return { mean, cov, meanError, covError };
}

describe("createPredictor against trained finite-width networks (Monte Carlo)", () => {
  it(`depth ${DEPTH}, width ${WIDTH}, ${NETWORKS} networks, η = ${ETA}: mean and covariance within 4 standard errors at s = ${STEPS.map((T) => T * ETA).join(" and ")}`, async () => {
    const train = datasetFromArrays({ points: trainPoints, labels: targets.map((y) => [y]) });
    const test = { m: testPoints.length, n0: 3, coords: Float64Array.from(testPoints.flat()) };
    const m = train.m;
    const t = test.m;

    // Each network separately (one seed each), so that the sample covariance between test points exists.
    const outputs: Float64Array[][] = STEPS.map(() => []);
    for (let seed = 0; seed < NETWORKS; seed++) {
      const r = await trainNetworks({ train, test, depth: DEPTH, width: WIDTH, seed, steps: STEPS[1], learningRate: ETA, at: STEPS });
      r.checkpoints.forEach((c, k) => outputs[k].push(c.trained));
    }

    const union = unionPoints(projectToSphereFloat64(train, "normalize"), projectToSphereFloat64(test, "normalize"));
    const [gram] = (await gramThroughDepthFloat64({ points: union, depths: [DEPTH] })).grams;
    const sigma = kernelMatrixFloat64(gram, "nngp", false);
    const ntk = kernelMatrixFloat64(gram, "ntk", false);
    // Depth 2 on the unit sphere: Σ and Θ are of order 1 (log2Scale 0), no rescaling needed.
    expect(sigma.log2Scale).toBe(0);
    const s = sliceUnion(sigma.matrix, m, t);
    const th = sliceUnion(ntk.matrix, m, t);
    const testTest = new Float64Array(t * t);
    for (let i = 0; i < t; i++) for (let j = 0; j < t; j++) testTest[i * t + j] = sigma.matrix[(m + i) * (m + t) + m + j];
    const predictor = await createPredictor({ kernel: "ntk", m, targets, trainNngp: s.train, trainNtk: th.train });

    for (const [k, T] of STEPS.entries()) {
      const mc = moments(outputs[k], t);
      const r = await predictor.predict({ time: T * ETA, testNngp: s.test, testNtk: th.test, testTestNngp: testTest, covariance: "full" });
      for (let i = 0; i < t; i++) {
        expect(Math.abs(mc.mean[i] - r.mean[i]), `mean at test point ${i}, s = ${T * ETA}`).toBeLessThan(4 * mc.meanError[i]);
      }
      for (let e = 0; e < t * t; e++) {
        expect(Math.abs(mc.cov[e] - r.covariance![e]), `covariance entry ${e}, s = ${T * ETA}`).toBeLessThan(4 * mc.covError[e]);
      }
    }
    // The longer time stands for t = ∞: the flow filter's slowest mode has decayed.
    const inf = await predictor.predict({ time: "inf", testNngp: s.test, testNtk: th.test, testTestNngp: testTest, covariance: "full" });
    const long = await predictor.predict({ time: STEPS[1] * ETA, testNngp: s.test, testNtk: th.test, testTestNngp: testTest, covariance: "full" });
    for (let i = 0; i < t; i++) expect(Math.abs(inf.mean[i] - long.mean[i])).toBeLessThan(1e-6);
  }, 120_000);
});
