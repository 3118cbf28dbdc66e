import { describe, expect, it } from "vitest";
import { datasetFromArrays } from "../src/data/dataset.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { acquirePool } from "../src/threads/pool.js";
import { loadPrivateWasmEngine } from "../src/wasm/engine.js";
import { empiricalKernels } from "../src/width/empirical.js";
import { resolveShape } from "../src/width/network.js";
import { NetworkPasses, networkPool, PARALLEL_MIN_WEIGHTS } from "../src/width/passes.js";
import { trainNetworks } from "../src/width/training.js";

const points = projectToSphereFloat64(
  {
    m: 5,
    n0: 4,
    coords: Float64Array.from({ length: 20 }, (_, i) => Math.sin(1.7 * i + 0.3)),
  },
  "normalize",
);
// 16 weight layers of 128 × 128 (and two thin ones): past the size at which the passes go to the pool.
const big = { points, depth: 18, width: 128, params: { sigmaW: Math.SQRT2, sigmaB: 0.1 }, seed: 99 };

describe("one network on several threads", () => {
  it("the network is big enough for the pool, which two threads then get", async () => {
    expect(16 * 128 * 128).toBeGreaterThanOrEqual(PARALLEL_MIN_WEIGHTS);
    const lease = await networkPool(resolveShape(big, points.n0), 2, "auto");
    expect(lease?.pool.threads).toBe(2);
    lease?.release();
    expect(await networkPool(resolveShape({ ...big, depth: 3 }, points.n0), 2, "auto")).toBeNull();
  });

  it("empirical kernels: the same bits on 1, 2 and 3 threads", async () => {
    const one = await empiricalKernels({ ...big, threads: 1 });
    for (const threads of [2, 3]) {
      const r = await empiricalKernels({ ...big, threads });
      expect(r.outputs).toEqual(one.outputs);
      expect(r.ntk).toEqual(one.ntk);
      expect(r.sigma).toEqual(one.sigma);
    }
  });

  it("keeping the forward pass's weights for the backward pass (all, some, only the last layer) changes no bit, on this thread or a pool", async () => {
    const shape = resolveShape(big, points.n0);
    const source = { seed: 12345n };
    const kernels = async (cacheBytes: number, pool: boolean) => {
      const lease = pool ? await acquirePool(2) : null;
      try {
        const engine = lease?.pool.engine ?? (await loadPrivateWasmEngine());
        const passes = new NetworkPasses(engine, shape, points.m, undefined, lease?.pool, cacheBytes);
        const outputs = await passes.forward(points.coords, points.m, source);
        const first = (await passes.backward(source, true))!;
        // A second backward pass after the first overwrote the kept buffers regenerates what it needs.
        const again = (await passes.backward(source, true))!;
        expect(again.ntk).toEqual(first.ntk);
        return { outputs, ...first };
      } finally {
        lease?.release();
      }
    };
    const layer = 8 * 128 * 128;
    const all = await kernels(1 << 30, false);
    for (const [bytes, pool] of [
      [0, false],
      [5 * layer, false],
      [5 * layer, true],
    ] as const) {
      expect(await kernels(bytes, pool)).toEqual(all);
    }
  });

  it("training: the same checkpoints on 1 and 2 threads", async () => {
    const train = datasetFromArrays({
      points: [
        [1, 0.2, 0],
        [0.3, 1, 0.1],
        [-0.5, 0.4, 1],
      ],
      labels: [0.5, -0.3, 0.8],
    });
    const test = datasetFromArrays({ points: [[0.7, 0.7, 0.1]] });
    const o = { train, test, depth: 18, width: 128, steps: 3, learningRate: 0.05, params: { sigmaW: Math.SQRT2 }, seed: 4 };
    const one = await trainNetworks({ ...o, threads: 1 });
    const two = await trainNetworks({ ...o, threads: 2 });
    expect(two.checkpoints).toEqual(one.checkpoints);
    expect(one.checkpoints[3].trainLoss).toBeLessThan(one.checkpoints[0].trainLoss);
  });
});
