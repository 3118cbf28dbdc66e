import { describe, expect, it } from "vitest";
import { monteCarloKernels, type MonteCarloResult } from "../src/width/monteCarlo.js";
import { sampleWorkerRunner } from "../src/width/sampleWorkers.js";
import { empiricalKernels } from "../src/width/empirical.js";
import { sampleSeed } from "../src/width/passes.js";
import { loadWasmEngine } from "../src/wasm/engine.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import type { SpherePoints } from "../src/types.js";
import { expectCode } from "./support/errors.js";

function points(m: number, n0: number, seed: number): SpherePoints {
  let s = seed >>> 0;
  const coords = Float64Array.from({ length: m * n0 }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
  return projectToSphereFloat64({ m, n0, coords }, "normalize");
}

/** Every number of a result, for bit-for-bit comparison. */
function numbers(r: MonteCarloResult): number[] {
  return [r.ntk, r.nngp].flatMap((k) => [
    ...k.entries.flatMap((e) => [e.mean, e.std, e.stderr, e.zScore ?? NaN]),
    ...k.diagScaled.flatMap((e) => [e.mean, e.std]),
    k.diagScaledMean.value,
    k.diagSecondMomentRatio.value,
    k.diagSecondMomentRatio.stderr,
    ...k.diagSecondMomentRatioPerPoint,
  ]);
}

describe("Monte Carlo over networks", () => {
  it("agrees with the infinite-width kernels within a few standard errors when width dominates depth (σb > 0 too)", async () => {
    const x = points(4, 3, 8);
    for (const params of [{}, { sigmaW: 1.4, sigmaB: 0.3 }]) {
      const r = await monteCarloKernels({ points: x, depth: 3, width: 96, samples: 48, seed: 5, params });
      for (const k of [r.ntk, r.nngp]) {
        expect(k.samplesUsed).toBe(48);
        for (const e of k.entries) expect(Math.abs(e.zScore!), `${e.i},${e.j}: ${e.mean} vs ${e.infinite}`).toBeLessThan(4.5);
        // The raw diagonal has a mean near its infinite-width value and a second-moment ratio near 1.
        expect(Math.abs(k.diagScaledMean.value - 1)).toBeLessThan(4.5 * k.diagScaledMean.stderr + 0.02);
        expect(k.diagSecondMomentRatio.value).toBeLessThan(1.2);
      }
    }
  });

  it("approaches the infinite-width value as the width grows: the spread shrinks like 1/sqrt(n)", async () => {
    const x = points(3, 2, 4);
    const spread = async (width: number) => {
      const r = await monteCarloKernels({ points: x, depth: 4, width, samples: 32, seed: 1 });
      return r.ntk.entries.reduce((a, e) => a + e.std, 0) / r.ntk.entries.length;
    };
    const narrow = await spread(16);
    const wide = await spread(256);
    // 16× the width: about 4× smaller spread (allow sampling noise).
    expect(narrow / wide).toBeGreaterThan(2.5);
    expect(narrow / wide).toBeLessThan(7);
  });

  it("matches single networks: sample s is the network seeded by SplitMix64(base)'s (s + 1)-th output", async () => {
    const x = points(3, 2, 2);
    const r = await monteCarloKernels({ points: x, depth: 3, width: 5, samples: 3, seed: 77 });
    const engine = await loadWasmEngine();
    for (let s = 0; s < 3; s++) {
      const one = await empiricalKernels({ points: x, depth: 3, width: 5, seed: sampleSeed(engine, 77n, s) });
      expect(r.raw[s].ntk).toEqual(one.ntk);
      expect(r.raw[s].sigma).toEqual(one.sigma);
    }
  });

  it("gives the same bits with 1 and 3 worker threads as in this thread", async () => {
    const x = points(3, 3, 6);
    const o = { points: x, depth: 5, width: 6, samples: 7, seed: 123, params: { sigmaB: 0.1 } };
    const here = numbers(await monteCarloKernels(o));
    for (const threads of [1, 3]) {
      const progress: number[] = [];
      const r = await monteCarloKernels({ ...o, runner: sampleWorkerRunner(threads), onProgress: (done) => progress.push(done) });
      expect(numbers(r)).toEqual(here);
      expect(progress.at(-1)).toBe(7);
    }
  });

  it("stops with ABORTED when cancelled, in this thread and in workers", async () => {
    const x = points(3, 3, 6);
    for (const runner of [undefined, sampleWorkerRunner(2)]) {
      const controller = new AbortController();
      const run = monteCarloKernels({
        points: x,
        depth: 20,
        width: 64,
        samples: 10_000,
        signal: controller.signal,
        runner,
        onProgress: (done) => done >= 2 && controller.abort(),
      });
      await expectCode(() => run, "ABORTED", /cancelled/);
    }
  });

  it("counts networks dead for some input and keeps them out of the normalized statistics only", async () => {
    const r = await monteCarloKernels({ points: points(4, 2, 3), depth: 10, width: 1, samples: 40, seed: 2 });
    expect(r.ntk.samplesDead).toBeGreaterThan(0);
    expect(r.ntk.samplesUsed + r.ntk.samplesDead).toBe(40);
    for (const e of r.ntk.diagScaled) expect(Number.isFinite(e.mean)).toBe(true);
  });

  it("rejects fewer than two samples and bad thread counts", async () => {
    const x = points(2, 2, 1);
    await expectCode(() => monteCarloKernels({ points: x, depth: 2, width: 3, samples: 1 }), "BAD_SAMPLES", /at least two/);
    await expectCode(() => monteCarloKernels({ points: x, depth: 2, width: 3, samples: 2.5 }), "BAD_SAMPLES", /2\.5/);
    await expectCode(() => sampleWorkerRunner(0), "BAD_OPTION", /threads/);
    await expectCode(() => monteCarloKernels({ points: x, depth: 12, width: 3, samples: 2, params: { sigmaW: 1e60 } }), "NON_FINITE", /over- or underflowed/);
  });
});
