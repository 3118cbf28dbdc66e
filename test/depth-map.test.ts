// Gram matrices from the tabulated depth-L maps (SPEC §9, assembly/depthMap.ts) against the direct
// recursion: ≥ 10^5 pairs per depth at L ≤ 1000 (fewer, deeper), many with ρ1 within 1e-12 of ±1,
// at 1e-12 relative in the complements 1 − Σ̄ and 1 − Θ̄.
import { describe, expect, it } from "vitest";
import { gramThroughDepthFloat64, type GramAtDepthFloat64 } from "../src/gram/float64.js";
import type { SpherePoints } from "../src/types.js";
import { seededUniform } from "../src/data/randomData.js";

/**
 * m points on the circle: clusters of three, at φ, φ + δ and φ + π + δ′ with δ, δ′ from 1e-9 to
 * 1e-3 (so 1 − ρ1 down to 5e-19 and 1 + ρ1 likewise), the clusters at random angles.
 */
function circlePoints(m: number, seed: number): SpherePoints {
  const next = seededUniform(seed);
  const coords = new Float64Array(2 * m);
  let base = 0;
  for (let i = 0; i < m; i++) {
    if (i % 3 === 0) base = 2 * Math.PI * next();
    const angle = i % 3 === 0 ? base : i % 3 === 1 ? base + 10 ** (-3 - 6 * next()) : base + Math.PI + 10 ** (-3 - 6 * next());
    coords[2 * i] = Math.cos(angle);
    coords[2 * i + 1] = Math.sin(angle);
  }
  return { m, n0: 2, coords, projection: "none" };
}

function worstRelative(a: GramAtDepthFloat64, b: GramAtDepthFloat64): { sigma: number; ntk: number; ntkValue: number; nearOne: number } {
  const w = { sigma: 0, ntk: 0, ntkValue: 0, nearOne: 0 };
  for (let k = 0; k < a.m * a.m; k++) {
    const e = b.oneMinusSigmaNormalized[k]!;
    if (e === 0) {
      expect(a.oneMinusSigmaNormalized[k]).toBe(0);
      continue;
    }
    if (e < 1e-12 || e > 2 - 1e-12) w.nearOne++;
    w.sigma = Math.max(w.sigma, Math.abs(a.oneMinusSigmaNormalized[k]! / e - 1));
    w.ntk = Math.max(w.ntk, Math.abs(a.oneMinusNtkNormalized[k]! / b.oneMinusNtkNormalized[k]! - 1));
    const t = b.ntkNormalized[k]!;
    // Θ̄ = 1 − u carries u's error absolutely: 1e-12 relative plus 3e-15 absolute (2.6e-14 at L = 2 near ρ1 = −1,
    // where Θ̄^(2) → 0, while the table's nodes took θ_1 from ε_1 = 1 − ρ1, not from 1 + ρ1).
    w.ntkValue = Math.max(w.ntkValue, Math.abs(a.ntkNormalized[k]! - t) / (Math.abs(t) + 0.003));
  }
  return w;
}

describe("Gram matrices by the depth maps against the direct recursion", () => {
  it.each([
    [448, [2, 10, 100, 1000]],
    [100, [10_000]],
    [32, [100_000]],
  ] as const)(
    "m = %i (≥ 10^5 pairs when m = 448), depths %j: 1 − Σ̄, 1 − Θ̄ within 1e-12 relative",
    async (m, depths) => {
      const points = circlePoints(m, m);
      const [maps, direct] = (
        await Promise.all([gramThroughDepthFloat64({ points, depths, method: "jump" }), gramThroughDepthFloat64({ points, depths, method: "direct" })])
      ).map((r) => r.grams);
      maps.forEach((g, i) => {
        const w = worstRelative(g, direct[i]!);
        expect(w.sigma, `1 − Σ̄ at L = ${g.depth}`).toBeLessThan(1e-12);
        expect(w.ntk, `1 − Θ̄ at L = ${g.depth}`).toBeLessThan(1e-12);
        expect(w.ntkValue, `Θ̄ at L = ${g.depth}`).toBeLessThan(1e-12);
        if (m === 448) expect(w.nearOne).toBeGreaterThan(100); // entries (each pair twice) with ρ1 within 1e-12 of ±1
        expect([g.sigmaDiag * 2 ** (g.log2Scale - direct[i]!.log2Scale), g.depthExact]).toEqual([expect.closeTo(direct[i]!.sigmaDiag, 14), BigInt(g.depth)]);
      });
    },
    60000,
  );

  it("auto takes the maps for σb = 0 at depths the direct loop cannot reach, and coincident points stay exactly 0", async () => {
    const points: SpherePoints = { m: 3, n0: 2, coords: Float64Array.of(1, 0, 1, 0, 0, 1), projection: "none" };
    const [g] = (await gramThroughDepthFloat64({ points, depths: [2n ** 60n] })).grams;
    expect(g!.depthExact).toBe(2n ** 60n);
    expect(g!.oneMinusNtkNormalized[1]).toBe(0);
    expect(g!.ntkNormalized[2]).toBeCloseTo(0.25, 13);
  });
});
