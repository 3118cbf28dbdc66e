import { describe, expect, it } from "vitest";
import { archPairThroughDepthFloat64 } from "../src/arch/float64.js";
import fixture from "./fixtures/arch_monte_carlo.json" with { type: "json" };

interface Estimate {
  mean: number;
  stdErr: number;
}
const FIELDS = ["sigmaDiag", "sigma", "ntkDiag", "ntk"] as const;
const cases = fixture.cases as ({ arch: string; depth: number; rho1: string; inputDim: number } & Record<(typeof FIELDS)[number], Estimate>)[];

describe("kernel recursions against finite networks (scripts/fixtures/arch_monte_carlo.py: width 600, 24 random initializations)", () => {
  for (const c of cases) {
    it(`${c.arch}: Σ and Θ (diagonal and off-diagonal) within 4 standard errors of the finite-width mean`, async () => {
      const [p] = (await archPairThroughDepthFloat64({ rho1: c.rho1, depth: c.depth, architecture: c.arch, inputDim: c.inputDim })).points;
      const scale = 2 ** p.log2Scale;
      const values = { sigmaDiag: p.sigmaDiag * scale, sigma: p.sigma * scale, ntkDiag: p.ntkDiag * scale, ntk: p.ntk * scale };
      for (const f of FIELDS) {
        // The finite-width bias is O(1/width), far below the standard errors here (~1% of the mean).
        expect(Math.abs(values[f] - c[f].mean)).toBeLessThan(4 * c[f].stdErr);
      }
    });
  }
});
