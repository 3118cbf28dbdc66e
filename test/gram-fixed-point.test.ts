// The σb > 0 fixed point of the float64 direct Gram loop (src/gram/float64.ts runLayers): once a
// round of layers and one more layer leave the layer scalars and every pair's state bitwise as they
// were, deeper checkpoints take no layers. Checked against the same run without the shortcut, across
// backends, and at L = 10^18 against the closed-form fixed point of the diagonal recursion.
import { describe, expect, it } from "vitest";
import { gramThroughDepthFloat64, type GramAtDepthFloat64 } from "../src/gram/float64.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { datasetFromArrays } from "../src/data/dataset.js";
import { expectCode } from "./support/errors.js";

const points = projectToSphereFloat64(
  datasetFromArrays({
    points: [
      [1, 0, 0],
      [0.6, 0.8, 0],
      [1, 1e-9, 0],
      [-1, 0.1, 0.3],
      [0.2, -0.5, 0.9],
      [-0.3, -0.3, -0.9],
    ],
  }),
  "normalize",
);
const MATRICES = ["sigmaNormalized", "oneMinusSigmaNormalized", "ntkNormalized", "oneMinusNtkNormalized"] as const;

function expectSameBits(a: GramAtDepthFloat64, b: GramAtDepthFloat64): void {
  for (const k of MATRICES) expect(Array.from(a[k]).map((x, i) => Object.is(x, b[k][i]))).not.toContain(false);
  expect([a.sigmaDiag, a.ntkDiag, a.log2Scale]).toEqual([b.sigmaDiag, b.ntkDiag, b.log2Scale]);
}

describe("float64 Gram, σb > 0: the fixed-point shortcut", () => {
  for (const [sigmaW, sigmaB] of [
    ["1", "0.1"],
    ["1.4", "0.5"],
    ["1.2", "2"],
  ] as const) {
    it(`σw = ${sigmaW}, σb = ${sigmaB}: with and without the shortcut the same bits, at depths past the fixed point`, async () => {
      const params = { sigmaW, sigmaB };
      const depths = [50, 3000, 100_001];
      const fastRun = await gramThroughDepthFloat64({ points, depths: [...depths, 10n ** 18n], params });
      const slowRun = await gramThroughDepthFloat64({ points, depths, params, stopAtFixedPoint: false });
      const [fast, slow] = [fastRun.grams, slowRun.grams];
      const settledAt = fastRun.fixedPointFrom;
      expect(settledAt).not.toBeNull();
      expect(settledAt!).toBeLessThan(100_001n);
      expect(slowRun.fixedPointFrom).toBeNull();
      expect([fastRun.method, slowRun.method]).toEqual(["direct", "direct"]);
      depths.forEach((_, i) => expectSameBits(fast[i]!, slow[i]!));
      expectSameBits(fast[3]!, slow[2]!);
      expect(fast[3]!.depthExact).toBe(10n ** 18n);
      // The plain TypeScript port shares the loop and its shortcut.
      const plain = (await gramThroughDepthFloat64({ points, depths: [10n ** 18n], params, backend: "plain" })).grams;
      expectSameBits(plain[0]!, fast[3]!);
    });
  }

  it("at L = 10^18 the diagonals are the fixed point q* = σb²/(1 − σw²/2), τ* = 1/(1 − σw²/2), and Σ̄, Θ̄ are 1", async () => {
    const [g] = (await gramThroughDepthFloat64({ points, depths: ["1000000000000000000"], params: { sigmaW: "1.3", sigmaB: "0.7" } })).grams;
    const half = 1.69 / 2;
    const qStar = 0.49 / (1 - half);
    const tauStar = 1 / (1 - half);
    expect(Math.abs((g!.sigmaDiag * 2 ** g!.log2Scale) / qStar - 1)).toBeLessThan(1e-14);
    expect(Math.abs((g!.ntkDiag * 2 ** g!.log2Scale) / (qStar * tauStar) - 1)).toBeLessThan(1e-14);
    for (const k of ["sigmaNormalized", "ntkNormalized"] as const) for (const x of g![k]) expect(Math.abs(x - 1)).toBeLessThan(1e-15);
  });

  it("σw² ≥ 2 has no fixed point: depths beyond 10^9 are refused before any layer runs", async () => {
    await expectCode(() => gramThroughDepthFloat64({ points, depths: [10n ** 12n], params: { sigmaW: "1.5", sigmaB: "0.5" } }), "BAD_DEPTH", /1,000,000,000/);
    await expectCode(
      () => gramThroughDepthFloat64({ points, depths: [10n ** 12n], params: { sigmaW: "1", sigmaB: "0.5" }, stopAtFixedPoint: false }),
      "BAD_DEPTH",
      /1,000,000,000/,
    );
  });
});
