import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { determinantFromComplement, lemmaDeterminant } from "../src/linalg/complement.js";
import { analyzeMatrixFloat64, luFactorFloat64 } from "../src/linalg/lu.js";
import { randomGaussianPoints, seededUniform, syntheticLabels } from "../src/data/randomData.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { gramThroughDepthFloat64 } from "../src/gram/float64.js";
import { DET_METHOD, runGramExperiment } from "../src/study/gramExperiment.js";

/** E = ε(J − I): K̄ = J − E = (1 − ε)J + εI has det ε^{m−1}(ε + m(1 − ε)) exactly. */
function equicorrelated(m: number, eps: number): Float64Array {
  const e = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) e[i * m + j] = i === j ? 0 : eps;
  return e;
}

describe("det K̄ from its complement 1 − K̄", () => {
  it("matches the closed form of the equicorrelated matrix far below where LU on K̄ works", async () => {
    for (const [m, eps] of [
      [3, 0.3],
      [6, 1e-6],
      [6, 1e-12],
      [8, 1e-20],
    ] as const) {
      const d = (await determinantFromComplement(equicorrelated(m, eps), m))!;
      const exactLog10 = (m - 1) * Math.log10(eps) + Math.log10(eps + m * (1 - eps));
      expect(d.signDet).toBe(1);
      expect(Math.abs(d.log10AbsDet - exactLog10)).toBeLessThan(1e-13 * Math.max(1, Math.abs(exactLog10)));
      expect(d.digitsKept).toBeGreaterThan(13);
    }
  });

  it("agrees with LU on K̄ when K̄ is well conditioned (property over random unit-diagonal Gram matrices)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 1e6 }), async (m, seed) => {
        const p = projectToSphereFloat64(randomGaussianPoints(m, m + 1, seed), "normalize");
        const k = new Float64Array(m * m);
        const e = new Float64Array(m * m);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < m; j++) {
            let dot = 0;
            for (let c = 0; c < p.n0; c++) dot += p.coords[i * p.n0 + c] * p.coords[j * p.n0 + c];
            k[i * m + j] = i === j ? 1 : dot;
            e[i * m + j] = i === j ? 0 : 1 - dot;
          }
        }
        const lu = await analyzeMatrixFloat64(k, m);
        const viaComplement = await determinantFromComplement(e, m);
        if (lu.digitsKept < 8 || viaComplement === null) return;
        expect(viaComplement.signDet).toBe(lu.signDet);
        expect(Math.abs(viaComplement.log10AbsDet - lu.log10AbsDet)).toBeLessThan(1e-6);
      }),
      { numRuns: 40 },
    );
  });

  it("lemmaDeterminant: det(J − C) from det C and 1ᵀC⁻¹1 matches LU on J − C; s = 1 gives an exact 0", async () => {
    const m = 3;
    const c = new Float64Array([2, 0.5, -1, 0.25, 3, 0.75, -0.5, 1, 4]);
    const lu = await luFactorFloat64(c, m);
    const s = lu.solve(new Float64Array(m).fill(1)).reduce((a, b) => a + b, 0);
    const direct = await analyzeMatrixFloat64(
      c.map((x) => 1 - x),
      m,
    );
    const viaLemma = lemmaDeterminant(lu.determinant(), s, m);
    expect(viaLemma.signDet).toBe(direct.signDet);
    expect(Math.abs(viaLemma.det - direct.det)).toBeLessThan(1e-13 * Math.abs(direct.det));
    expect(Math.abs(viaLemma.log10AbsDet - direct.log10AbsDet)).toBeLessThan(1e-13);
    expect(lemmaDeterminant(lu.determinant(), 1, m)).toEqual({ det: 0, log10AbsDet: -Infinity, signDet: 0 });
  });

  it("returns null when the complement is exactly singular (one point)", async () => {
    expect(await determinantFromComplement(new Float64Array([0]), 1)).toBeNull();
  });
});

describe("seeded data", () => {
  it("the same seed gives the same points; different seeds differ; rows are unit vectors", () => {
    const a = randomGaussianPoints(5, 3, 7);
    expect(randomGaussianPoints(5, 3, 7).coords).toEqual(a.coords);
    expect(randomGaussianPoints(5, 3, 8).coords).not.toEqual(a.coords);
    const p = projectToSphereFloat64(a, "normalize");
    for (let i = 0; i < 5; i++) expect(Math.hypot(...p.coords.subarray(3 * i, 3 * i + 3))).toBeCloseTo(1, 15);
  });
  it("uniform draws lie in [0, 1) and have mean near 1/2", () => {
    const u = seededUniform(1);
    let sum = 0;
    for (let i = 0; i < 10000; i++) {
      const x = u();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    expect(Math.abs(sum / 10000 - 0.5)).toBeLessThan(0.02);
  });
  it("labels are y = x1 + x2·x3", () => {
    const p = projectToSphereFloat64({ m: 1, n0: 3, coords: new Float64Array([0.6, 0, 0.8]) }, "normalize");
    expect(syntheticLabels(p)[0]).toBeCloseTo(0.6, 15);
  });
});

describe("digits from a relative error", () => {
  it("is ⌊−log10 rel⌋ clamped to [0, 17]; an exact match is 17, an error of 100% or NaN is 0", async () => {
    const { float64DigitsFromRelativeError } = await import("../src/advanced.js");
    expect(float64DigitsFromRelativeError(0)).toBe(17);
    expect(float64DigitsFromRelativeError(1e-20)).toBe(17);
    expect(float64DigitsFromRelativeError(0.05)).toBe(1);
    expect(float64DigitsFromRelativeError(2e-7)).toBe(6);
    expect(float64DigitsFromRelativeError(1)).toBe(0);
    expect(float64DigitsFromRelativeError(Number.NaN)).toBe(0);
  });
});

describe("the Gram experiment beyond the direct range", () => {
  it("entries at L = 3000 (by the depth maps) match the direct Gram loop, and L = 2^60 gives Θ̄ = 1/4 off the diagonal", async () => {
    const points = projectToSphereFloat64(randomGaussianPoints(5, 3, 7), "normalize");
    const [direct] = (await gramThroughDepthFloat64({ points, depths: [3000], method: "direct" })).grams;
    const jumped = await runGramExperiment({ points, depths: [3000, 2 ** 60] });
    const rows = jumped.entries.rows.filter((r) => r.depth === 3000);
    expect(rows).toHaveLength(10);
    for (const r of rows) {
      const [i, j] = String(r.entry)
        .slice(1, -1)
        .split(",")
        .map((x) => Number(x) - 1);
      for (const [key, matrix] of [
        ["oneMinusNtkNormalized", direct.oneMinusNtkNormalized],
        ["oneMinusSigmaNormalized", direct.oneMinusSigmaNormalized],
      ] as const) {
        const want = matrix[i * 5 + j];
        expect(Math.abs(Number(r[key]) - want) / want, `${key} ${String(r.entry)}`).toBeLessThan(1e-12);
      }
    }
    for (const r of jumped.entries.rows.filter((x) => x.depth === 2 ** 60)) expect(Math.abs(Number(r.ntkNormalized) - 0.25)).toBeLessThan(1e-15);
    // det Θ̄ → (3/4)^(m−1)(m + 3)/4 for (3/4)I + (1/4)J, m = 5.
    const det = jumped.determinants.rows.find((r) => r.depth === 2 ** 60 && r.method === DET_METHOD.lu && String(r.matrix).startsWith("Θ̄"));
    expect(Math.abs(Number(det?.log10AbsDet) - Math.log10(0.75 ** 4 * 2))).toBeLessThan(1e-13);
  });
});
