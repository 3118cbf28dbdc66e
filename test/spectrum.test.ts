import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { harmonicDimension, sphereSpectrum, type KernelSpectrum } from "../src/spectrum/gegenbauer.js";
import { kernelProfilesThroughDepth } from "../src/spectrum/kernelProfile.js";
import { pairThroughDepthPrecise } from "../src/pair/precise.js";
import { anglePanels, angleRule, gaussLegendre } from "../src/spectrum/quadrature.js";
import fixture from "./fixtures/spectrum.json" with { type: "json" };
import { expectCode } from "./support/errors.js";

interface Case {
  n0: number;
  depth: number;
  kernel: "ntk" | "nngp";
  k: number;
  mu: string;
  weight: string;
}
const cases = fixture.cases as Case[];

/** Correct significant digits of x against a reference (all 15 when equal). */
function correctDigits(x: number, ref: number): number {
  if (x === ref) return 15;
  return Math.floor(-Math.log10(Math.abs(x - ref) / Math.abs(ref)));
}

describe("sphereSpectrum against mpmath (test/fixtures/spectrum.json)", () => {
  for (const n0 of [...new Set(cases.map((c) => c.n0))]) {
    it(`n0 = ${n0}: every μ_k within its error bound, every claimed digit correct`, async () => {
      const mine = cases.filter((c) => c.n0 === n0);
      const maxDegree = Math.max(...mine.map((c) => c.k));
      const r = await sphereSpectrum({ inputDim: n0, depths: [...new Set(mine.map((c) => c.depth))], maxDegree });
      let smallest = Infinity;
      for (const c of mine) {
        const s = r.spectra.find((x) => x.depth === c.depth)?.[c.kernel] as KernelSpectrum;
        const ref = Number(c.mu);
        const got = s.eigenvalues[c.k];
        const where = `n0 = ${n0}, L = ${c.depth}, ${c.kernel}, k = ${c.k}: ${got} vs ${c.mu} (bound ${s.errors[c.k]})`;
        expect(Math.abs(got - ref), where).toBeLessThanOrEqual(s.errors[c.k]);
        if (s.digits[c.k] > 0) expect(correctDigits(got, ref), where).toBeGreaterThanOrEqual(s.digits[c.k]);
        expect(Math.abs(s.weights[c.k] - Number(c.weight)), where).toBeLessThanOrEqual(s.errors[c.k] * r.multiplicities[c.k] * (1 + 1e-15) + 1e-300);
        if (Math.abs(ref) > 0 && s.digits[c.k] > 0)
          smallest = Math.min(
            smallest,
            Math.abs(ref) / Math.abs(Number(cases.find((x) => x.n0 === n0 && x.depth === c.depth && x.kernel === c.kernel && x.k === 0)?.mu)),
          );
      }
      // Coefficients far below μ_0 keep digits (down to about 1e-12 of μ_0 on S^2).
      if (n0 === 3) expect(smallest).toBeLessThan(1e-12);
    });
  }
});

describe("sphereSpectrum against closed forms", () => {
  it("L = 1 is the linear kernel t: a_1 = 1 (μ_1 = 1/n0), every other degree 0 within its bound", async () => {
    for (const n0 of [2, 3, 7]) {
      const [s] = (await sphereSpectrum({ inputDim: n0, depths: [1], maxDegree: 60 })).spectra;
      for (const kernel of [s.ntk, s.nngp]) {
        expect(Math.abs(kernel.eigenvalues[1] - 1 / n0)).toBeLessThanOrEqual(kernel.errors[1]);
        expect(kernel.digits[1]).toBeGreaterThanOrEqual(12);
        kernel.eigenvalues.forEach((mu, k) => {
          if (k !== 1) expect(Math.abs(mu)).toBeLessThanOrEqual(kernel.errors[k]);
        });
      }
    }
  });

  it("L = 2 on the circle (n0 = 2): μ_k of Σ̄ = (I1 + I2)/π², of Θ̄ = (I1 + 2 I2)/(2π²), zero for odd k ≥ 3", async () => {
    // k(cos φ) = (sin φ + (π − φ) cos φ)/π for Σ̄^(2); Θ̄^(2) adds (π − φ) cos φ/π and halves (SPEC §3).
    // μ_k = (1/π) ∫_0^π k(cos φ) cos kφ dφ, with I1 = ∫ sin φ cos kφ, I2 = ∫ (π − φ) cos φ cos kφ.
    const J = (m: number) => (m === 0 ? Math.PI ** 2 / 2 : (1 - (-1) ** m) / (m * m));
    const I1 = (k: number) => (k === 1 ? 0 : (1 + (-1) ** k) / (1 - k * k));
    const I2 = (k: number) => (J(Math.abs(k - 1)) + J(k + 1)) / 2;
    const maxDegree = 400;
    const [s] = (await sphereSpectrum({ inputDim: 2, depths: [2], maxDegree })).spectra;
    for (let k = 0; k <= maxDegree; k++) {
      const nngp = (I1(k) + I2(k)) / Math.PI ** 2;
      const ntk = (I1(k) + 2 * I2(k)) / (2 * Math.PI ** 2);
      expect(Math.abs(s.nngp.eigenvalues[k] - nngp), `nngp k = ${k}`).toBeLessThanOrEqual(s.nngp.errors[k]);
      expect(Math.abs(s.ntk.eigenvalues[k] - ntk), `ntk k = ${k}`).toBeLessThanOrEqual(s.ntk.errors[k]);
      if (s.nngp.digits[k] > 0) expect(correctDigits(s.nngp.eigenvalues[k], nngp)).toBeGreaterThanOrEqual(s.nngp.digits[k]);
    }
    // Σ̄^(2): μ_k = 4/(π²(k² − 1)²) for even k, down to 1.6e-10 at k = 400, still with digits.
    expect(s.nngp.digits[400]).toBeGreaterThanOrEqual(2);
  });

  it("harmonicDimension: 2 on the circle, 2k + 1 on S², (k + 1)² on S³, (k+1)(k+2)(2k+3)/6 on S⁴", () => {
    for (let k = 1; k <= 300; k++) {
      expect(harmonicDimension(2, k)).toBe(2);
      expect(harmonicDimension(3, k)).toBe(2 * k + 1);
      expect(harmonicDimension(4, k)).toBe((k + 1) ** 2);
      expect(harmonicDimension(5, k)).toBe(((k + 1) * (k + 2) * (2 * k + 3)) / 6);
    }
    expect(harmonicDimension(9, 0)).toBe(1);
  });
});

describe("sphereSpectrum through the depth jump", () => {
  it("the jump and the direct recursion give the same spectrum at L = 3000 (within a tenth of the bounds)", async () => {
    const [direct, jump] = await Promise.all(
      (["direct", "jump"] as const).map((method) => sphereSpectrum({ inputDim: 3, depths: [3000], maxDegree: 128, method })),
    );
    expect(direct.spectra[0].method).toBe("direct");
    expect(jump.spectra[0].method).toBe("jump");
    for (const kernel of ["ntk", "nngp"] as const) {
      const a = direct.spectra[0][kernel];
      const b = jump.spectra[0][kernel];
      a.eigenvalues.forEach((mu, k) =>
        expect(Math.abs(mu - b.eigenvalues[k]), `${kernel} k = ${k}`).toBeLessThanOrEqual(0.1 * Math.max(a.errors[k], b.errors[k])),
      );
    }
  });

  it("at L = 2^60 (exact, as a bigint) Θ̄ is the constant 1/4 and Σ̄ the constant 1 to float64's resolution, every other μ_k within its bound of 0", async () => {
    const r = await sphereSpectrum({ inputDim: 3, depths: [2n ** 60n, "1000000000000000001"], maxDegree: 32 });
    expect(r.spectra.map((s) => s.depthExact)).toEqual([10n ** 18n + 1n, 2n ** 60n]);
    expect(r.method).toContain("1152921504606846976");
    for (const s of r.spectra) {
      expect(s.method).toBe("jump");
      expect(Math.abs(s.ntk.eigenvalues[0] - 0.25)).toBeLessThan(1e-13);
      expect(Math.abs(s.nngp.eigenvalues[0] - 1)).toBeLessThanOrEqual(s.nngp.errors[0]);
      for (let k = 1; k <= 32; k++) expect(Math.abs(s.ntk.eigenvalues[k])).toBeLessThanOrEqual(s.ntk.errors[k]);
    }
  });
});

describe("kernel profiles near ρ1 = −1 (1 + ρ1 given beside 1 − ρ1)", () => {
  it("direct (σb = 0 and 0.3) and jump: complements within 1e-13 relative of the high-precision pair, δ = 1 + ρ1 from 1e-30 to 1e-2", async () => {
    const ks = [30, 24, 18, 14, 10, 6, 2];
    const delta = Float64Array.from(ks, (k) => 10 ** -k);
    const cases = [
      { params: { sigmaW: "1", sigmaB: "0" }, depths: [1, 2, 3, 10], method: "direct" as const },
      { params: { sigmaW: "1.2", sigmaB: "0.3" }, depths: [2, 3, 10], method: "direct" as const },
      { params: { sigmaW: "1", sigmaB: "0" }, depths: [2, 3, 10, 5000], method: "jump" as const },
    ];
    for (const c of cases) {
      const profiles = await kernelProfilesThroughDepth({
        oneMinusRho1: delta.map((d) => 2 - d),
        onePlusRho1: delta,
        depths: c.depths,
        method: c.method,
        params: c.params,
        inputDim: 3,
      });
      for (const [i, k] of ks.entries()) {
        const ref = await pairThroughDepthPrecise({ rho1: "-0." + "9".repeat(k), depth: 5000, at: c.depths, params: c.params, inputDim: 3, precision: 30 });
        for (const [j, p] of profiles.entries()) {
          const r = ref.points[j]!;
          const where = `${c.method}, σb = ${c.params.sigmaB}, δ = 1e-${k}, L = ${p.depth}`;
          expect(Math.abs(p.oneMinusSigmaNormalized[i]! / r.oneMinusRho.toNumber() - 1), where).toBeLessThan(1e-13);
          expect(Math.abs(p.oneMinusNtkNormalized[i]! / r.oneMinusNtkNormalized.toNumber() - 1), where).toBeLessThan(1e-13);
        }
      }
    }
  });
});

describe("sphereSpectrum where float64 loses the complements (docs/DEPTH_JUMP.md §6)", () => {
  it("σb = 1, L = 1100: every node's 1 − Σ̄ is below 2^-1022, so μ_k (k ≥ 1) keep 0 digits with error +∞ (μ_1 of Θ̄ used to claim 2); L = 100 loses none", async () => {
    const r = await sphereSpectrum({ inputDim: 3, depths: [100, 1100], maxDegree: 4, params: { sigmaW: "1", sigmaB: "1" } });
    const [shallow, deep] = r.spectra;
    for (const s of [shallow.ntk, shallow.nngp]) {
      expect(s.lostNodes).toBe(0);
      expect(Math.min(...s.digits)).toBeGreaterThanOrEqual(1);
    }
    for (const s of [deep.ntk, deep.nngp]) {
      expect(s.lostNodes).toBeGreaterThan(0);
      expect(s.digits[0]).toBe(15);
      for (let k = 1; k <= 4; k++) {
        expect(s.digits[k], `k = ${k}`).toBe(0);
        expect(s.errors[k]).toBe(Infinity);
      }
    }
  });
});

describe("sphereSpectrum invariants", () => {
  it("Schoenberg: a_k ≥ 0 within its bound for every degree, and Σ a_k ≤ 1 = k(1) (fast-check over n0, depth, σw, σb)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom("1", "2", "0.5"),
        fc.constantFrom("0", "0.3", "1"),
        async (n0, depth, sigmaW, sigmaB) => {
          const r = await sphereSpectrum({ inputDim: n0, depths: [depth], maxDegree: 40, params: { sigmaW, sigmaB } });
          for (const s of [r.spectra[0].ntk, r.spectra[0].nngp]) {
            let total = 0;
            let bound = 0;
            s.weights.forEach((a, k) => {
              expect(a, `n0 = ${n0}, L = ${depth}, k = ${k}`).toBeGreaterThanOrEqual(-s.errors[k] * r.multiplicities[k]);
              total += a;
              bound += s.errors[k] * r.multiplicities[k];
            });
            expect(total).toBeLessThanOrEqual(1 + bound);
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it("the quadrature: Gauss–Legendre is exact for degree 2n − 1, the angle rule integrates sin over [0, π] to 2, panels are graded to 1/L", () => {
    const g = gaussLegendre(24);
    const integral = (p: number) => g.nodes.reduce((s, x, i) => s + g.weights[i] * x ** p, 0);
    expect(integral(46)).toBeCloseTo(2 / 47, 15);
    expect(integral(47)).toBeCloseTo(0, 15);
    const rule = angleRule(300, 2 ** 20, 32);
    expect(rule.nodes.reduce((s, phi, i) => s + rule.weights[i] * Math.sin(phi), 0)).toBeCloseTo(2, 14);
    const ends = anglePanels(300, 2 ** 20);
    expect(ends[1]).toBe(2 ** -20);
    expect(Math.max(...ends.slice(1).map((e, i) => e - ends[i]))).toBeLessThanOrEqual(20 / 300);
  });
});

describe("spectrum errors", () => {
  it("rejects n0 < 2, a degree outside 0 … 2000, a multiplicity beyond float64, bad depths and complements", async () => {
    await expectCode(() => sphereSpectrum({ inputDim: 1, depths: [2] }), "BAD_OPTION", /integer ≥ 2/);
    await expectCode(() => sphereSpectrum({ inputDim: 2.5, depths: [2] }), "BAD_OPTION", /integer ≥ 2/);
    await expectCode(() => sphereSpectrum({ inputDim: 3, depths: [2], maxDegree: 2001 }), "BAD_OPTION", /maxDegree/);
    await expectCode(() => sphereSpectrum({ inputDim: 3, depths: [2], maxDegree: -1 }), "BAD_OPTION", /maxDegree/);
    await expectCode(() => sphereSpectrum({ inputDim: 1_000_000, depths: [2], maxDegree: 2000 }), "BAD_OPTION", /float64 range/);
    await expectCode(() => sphereSpectrum({ inputDim: 3, depths: [0] }), "BAD_DEPTH", /depth/);
    await expectCode(() => sphereSpectrum({ inputDim: 3, depths: [2n ** 61n] }), "BAD_DEPTH", /depth/);
    await expectCode(() => sphereSpectrum({ inputDim: 3, depths: [2 ** 60] }), "BAD_DEPTH", /not exact/);
    await expectCode(() => sphereSpectrum({ inputDim: 3, depths: [2_000_000_000], method: "direct" }), "BAD_DEPTH", /direct recursion/);
    await expectCode(() => sphereSpectrum({ inputDim: 3, depths: [5], method: "jump", params: { sigmaB: "0.1" } }), "BAD_OPTION", /σb = 0/);
    await expectCode(() => sphereSpectrum({ inputDim: 3, depths: [5], method: "fast" as "jump" }), "BAD_OPTION", /method/);
    await expectCode(() => kernelProfilesThroughDepth({ oneMinusRho1: Float64Array.of(0.5, 2.5), depths: [2] }), "BAD_OPTION", /oneMinusRho1\[1\]/);
    await expectCode(() => kernelProfilesThroughDepth({ oneMinusRho1: Float64Array.of(NaN), depths: [2] }), "BAD_OPTION", /not in \[0, 2\]/);
    await expectCode(
      () => kernelProfilesThroughDepth({ oneMinusRho1: Float64Array.of(1), onePlusRho1: Float64Array.of(1, 1), depths: [2] }),
      "BAD_OPTION",
      /one per point/,
    );
    await expectCode(
      () => kernelProfilesThroughDepth({ oneMinusRho1: Float64Array.of(1), onePlusRho1: Float64Array.of(-1), depths: [2] }),
      "BAD_OPTION",
      /onePlusRho1\[0\]/,
    );
  });
});
