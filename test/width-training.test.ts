import { describe, expect, it } from "vitest";
import { trainNetworks } from "../src/width/training.js";
import { datasetFromArrays } from "../src/data/dataset.js";
import { empiricalKernels } from "../src/width/empirical.js";
import { sampleSeed } from "../src/width/passes.js";
import { loadWasmEngine } from "../src/wasm/engine.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { expectCode, rejectionOf } from "./support/errors.js";

const train = datasetFromArrays({
  points: [
    [1, 0.2, 0],
    [0.3, 1, 0.1],
    [-0.5, 0.4, 1],
    [0.2, -1, 0.3],
  ],
  labels: [0.5, -0.3, 0.8, 0.1],
});
const test = datasetFromArrays({
  points: [
    [0.7, 0.7, 0.1],
    [-0.2, 0.1, -1],
  ],
});
const he = { sigmaW: Math.SQRT2 };

describe("gradient-descent training", () => {
  it("starts where the network is: step 0 has no kernel change and linearized = trained = f_0", async () => {
    const r = await trainNetworks({ train, test, depth: 3, width: 16, steps: 4, learningRate: 0.05, params: he, seed: 3 });
    const [first] = r.checkpoints;
    expect(first.step).toBe(0);
    expect(first.kernelChange).toBe(0);
    for (let i = 0; i < 2; i++) expect(first.linearized[i]).toBeCloseTo(first.trained[i], 14);
    expect(r.checkpoints.map((c) => c.step)).toEqual([0, 1, 2, 3, 4]);
  });

  it("one small step moves the training outputs by −η Θ_0 (f_0 − Y) (the gradient is the NTK's)", async () => {
    const eta = 1e-5;
    const r = await trainNetworks({
      train,
      test: train,
      depth: 4,
      width: 9,
      steps: 1,
      learningRate: eta,
      params: { sigmaW: 1.3, sigmaB: 0.2 },
      seed: 11,
      at: [0, 1],
    });
    const X = projectToSphereFloat64(train, "normalize");
    const engine = await loadWasmEngine();
    const k0 = await empiricalKernels({ points: X, depth: 4, width: 9, params: { sigmaW: 1.3, sigmaB: 0.2 }, seed: sampleSeed(engine, 11n, 0) });
    const y = train.targets!;
    const [before, after] = r.checkpoints;
    for (let i = 0; i < 4; i++) {
      let predicted = 0;
      for (let j = 0; j < 4; j++) predicted -= eta * k0.ntk[i * 4 + j] * (k0.outputs[j] - y[j]);
      expect(before.trained[i]).toBe(k0.outputs[i]);
      const moved = after.trained[i] - before.trained[i];
      expect(Math.abs(moved - predicted)).toBeLessThan(1e-4 * Math.abs(predicted) + 1e-15);
    }
  });

  it("at large width and small ηt the trained network equals its linearization", async () => {
    const r = await trainNetworks({ train, test, depth: 3, width: 512, steps: 20, learningRate: 0.002, params: he, seed: 1, at: [0, 20] });
    const [start, c] = r.checkpoints;
    for (let i = 0; i < 2; i++) {
      const moved = Math.abs(c.linearized[i] - start.trained[i]);
      expect(moved).toBeGreaterThan(1e-3);
      expect(c.linearizationGap[i]).toBeLessThan(0.03 * moved);
    }
    expect(c.kernelChange).toBeLessThan(0.02);
  });

  it("lowers the loss, and the mean over networks approaches the infinite-width f_t", async () => {
    const r = await trainNetworks({ train, test, depth: 2, width: 256, steps: 60, learningRate: 0.2, params: he, seed: 4, samples: 12, at: [0, 60] });
    const [start, end] = r.checkpoints;
    expect(end.trainLoss).toBeLessThan(0.2 * start.trainLoss);
    for (let i = 0; i < 2; i++) {
      expect(Math.abs(end.trained[i] - end.infiniteWidth[i])).toBeLessThan(4.5 * end.trainedStderr![i] + 0.02);
    }
    expect(r.infiniteLambdaMax).toBeGreaterThan(0);
  });

  it("stops a diverging run with DIVERGED, the step, a smaller η to try, and the checkpoints so far", async () => {
    const e = await rejectionOf(() => trainNetworks({ train, test, depth: 1, width: 8, steps: 3000, learningRate: 50, params: he, at: [0, 1, 2, 3000] }));
    expect(e.code).toBe("DIVERGED");
    expect(e.message).toMatch(/diverged at step \d+.*smaller learning rate/);
    expect(e.details.step as number).toBeGreaterThan(2);
    expect((e.details.checkpoints as { step: number }[]).map((c) => c.step)).toEqual([0, 1, 2]);
  });

  it("rejects bad learning rates, step counts, checkpoints, samples and data", async () => {
    const o = { train, test, depth: 2, width: 4, steps: 3, learningRate: 0.1 };
    await expectCode(() => trainNetworks({ ...o, learningRate: 0 }), "BAD_OPTION", /learning rate η must be a positive/);
    await expectCode(() => trainNetworks({ ...o, learningRate: -1 }), "BAD_OPTION", /learning rate/);
    await expectCode(() => trainNetworks({ ...o, steps: 0 }), "BAD_OPTION", /steps T must be an integer/);
    await expectCode(() => trainNetworks({ ...o, steps: 2.5 }), "BAD_OPTION", /steps T/);
    await expectCode(() => trainNetworks({ ...o, at: [4] }), "BAD_OPTION", /checkpoint steps/);
    await expectCode(() => trainNetworks({ ...o, samples: 0 }), "BAD_SAMPLES", /integer ≥ 1/);
    await expectCode(() => trainNetworks({ ...o, width: 0 }), "BAD_WIDTH", /integer ≥ 1/);
    await expectCode(() => trainNetworks({ ...o, train: datasetFromArrays({ points: [[1, 0, 0]] }) }), "EMPTY_DATA", /no targets/);
    await expectCode(() => trainNetworks({ ...o, depth: 3, width: 30000 }), "WASM_MEMORY_EXHAUSTED", /largest uniform width/);
  });
});
