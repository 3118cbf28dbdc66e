import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { aitkenLimit, estimateLimit, fitPowerLaw, geometricDepths, monotonicity, type DepthSeries } from "../src/study/series.js";
import { combineVerdicts, verdictDepthNeeded, verdictNtkTendsToOnes, verdictRhoTendsToOne, verdictSolutionBounded, zeroTrend } from "../src/study/verdicts.js";
import { firstDepthsBelow, THRESHOLD_DELTAS } from "../src/study/thresholds.js";
import { verdictSharedDecay, verdictSlowerButExpressive, type SpectrumThroughDepth } from "../src/study/spectrumVerdicts.js";
import type { DecayFit } from "../src/study/spectrumExperiment.js";

const POW2 = Array.from({ length: 14 }, (_, k) => 2 ** k);
const seriesOf = (f: (L: number) => number, depths: readonly number[] = POW2): DepthSeries => ({ depths, values: depths.map(f) });
/** The expected asymptote of 1 − ρ (docs/RECURSIONS.md): 9π²/(2L²). */
const ASYMPTOTE = (9 * Math.PI ** 2) / 2;

describe("series: power-law fit, Aitken limit, monotonicity", () => {
  it("recovers slope and constant of an exact power law", () => {
    const fit = fitPowerLaw(seriesOf((L) => ASYMPTOTE / L ** 2));
    expect(fit).not.toBeNull();
    expect(fit!.slope).toBeCloseTo(-2, 12);
    expect(fit!.constant / ASYMPTOTE).toBeCloseTo(1, 10);
    expect(fit!.maxResidualLog10).toBeLessThan(1e-12);
    expect(fit!.points).toBe(POW2.length);
  });

  it("refuses to fit fewer than two positive points", () => {
    expect(fitPowerLaw({ depths: [1, 2], values: [1, 0] })).toBeNull();
    expect(fitPowerLaw({ depths: [3], values: [1] })).toBeNull();
  });

  it("Aitken Δ² is exact for v∞ + C·L^-p on a geometric grid (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 0.3, max: 3, noNaN: true }),
        (vInf, c, p) => {
          const s = seriesOf((L) => vInf + c * L ** -p, [16, 32, 64, 128]);
          const e = estimateLimit(s)!;
          expect(Math.abs(e.limit - vInf)).toBeLessThan(1e-9 + 1e-6 * Math.abs(c));
        },
      ),
    );
  });

  it("Aitken gives the last value when the sequence is not contracting", () => {
    expect(aitkenLimit(1, 2, 3)).toBe(3);
    expect(aitkenLimit(1, 2, 4)).toBe(4);
    expect(estimateLimit({ depths: [1, 2], values: [1, 2] })).toBeNull();
  });

  it("classifies monotonicity with a noise tolerance", () => {
    expect(monotonicity([3, 2, 1])).toBe("decreasing");
    expect(monotonicity([1, 2, 3])).toBe("increasing");
    expect(monotonicity([1, 1])).toBe("constant");
    expect(monotonicity([1, 3, 2])).toBe("neither");
    expect(monotonicity([3, 2, 2 + 1e-17], 1e-15)).toBe("decreasing");
  });

  it("geometric depths are sorted, distinct and include both ends", () => {
    const d = geometricDepths(1, 1e6, 10);
    expect(d[0]).toBe(1);
    expect(d[d.length - 1]).toBe(1e6);
    for (let i = 1; i < d.length; i++) expect(d[i]).toBeGreaterThan(d[i - 1]);
  });
});

describe("verdict on claim 1 (ρ → 1, slowly)", () => {
  it("supported for 1 − ρ = 9π²/(2L²)", () => {
    const v = verdictRhoTendsToOne([{ label: "ρ1 = 0", series: seriesOf((L) => Math.min(1, ASYMPTOTE / L ** 2)) }]);
    expect(v.verdict).toBe("supported");
    expect(v.reasons[0]).toContain("slope -2");
  });
  it("not supported when 1 − ρ stalls at a positive floor", () => {
    expect(verdictRhoTendsToOne([{ label: "a", series: seriesOf((L) => 0.3 + 1 / L) }]).verdict).toBe("not supported");
  });
  it("not supported when 1 − ρ increases", () => {
    expect(verdictRhoTendsToOne([{ label: "a", series: seriesOf((L) => 1 - 1 / (L + 1)) }]).verdict).toBe("not supported");
  });
  it("inconclusive for an exponential (not slow) decay, and one bad pair decides the whole claim", () => {
    const fast = { label: "fast", series: seriesOf((L) => Math.exp(-L / 64)) };
    expect(verdictRhoTendsToOne([fast]).verdict).toBe("inconclusive at the depths reached");
    const bad = { label: "bad", series: seriesOf((L) => 0.3 + 1 / L) };
    const good = { label: "good", series: seriesOf((L) => 1 / L ** 2) };
    expect(verdictRhoTendsToOne([good, bad]).verdict).toBe("not supported");
  });
});

describe("verdict on claim 2 (Θ̄ → ones, strictly increasing)", () => {
  it("not supported when Θ̄ tends to 1/4", () => {
    const v = verdictNtkTendsToOnes([{ label: "entry (1,2)", series: seriesOf((L) => 0.75 + 0.5 / L) }]);
    expect(v.verdict).toBe("not supported");
    expect(v.reasons[0]).toContain("extrapolated limit of Θ̄: 0.25");
  });
  it("supported when 1 − Θ̄ = 1/L", () => {
    expect(verdictNtkTendsToOnes([{ label: "e", series: seriesOf((L) => 1 / L) }]).verdict).toBe("supported");
  });
  it("not supported when Θ̄ is not monotone even if it reaches 1", () => {
    const wobble = seriesOf((L) => (1 / L) * (L === 4 ? 3 : 1));
    expect(verdictNtkTendsToOnes([{ label: "e", series: wobble }]).verdict).toBe("not supported");
  });
  it("inconclusive with too few depths", () => {
    expect(verdictNtkTendsToOnes([{ label: "e", series: seriesOf((L) => 1 / L, [1, 2]) }]).verdict).toBe("inconclusive at the depths reached");
  });
});

describe("verdict on claim 3 (det → 0, weights bounded and convergent)", () => {
  const converging = seriesOf((L) => 2 - 1 / L);
  it("supported when det decays and the weights converge", () => {
    const v = verdictSolutionBounded({ kernelLabel: "Θ̄", log10AbsDet: seriesOf((L) => -2 * Math.log10(L)), weightsL1: converging });
    expect(v.verdict).toBe("supported");
    expect(v.reasons).toHaveLength(2);
  });
  it("not supported when det tends to a positive limit", () => {
    const v = verdictSolutionBounded({ kernelLabel: "Θ̄", log10AbsDet: seriesOf((L) => Math.log10(0.42 + 1 / L)), weightsL1: converging });
    expect(v.verdict).toBe("not supported");
    expect(v.reasons[0]).toMatch(/^\(a\) det → 0 is not supported/);
  });
  it("not supported when the weights grow without bound", () => {
    const v = verdictSolutionBounded({ kernelLabel: "Θ̄", log10AbsDet: seriesOf((L) => -Math.log10(L)), weightsL1: seriesOf((L) => Math.sqrt(L)) });
    expect(v.verdict).toBe("not supported");
    expect(v.reasons[1]).toContain("growing like L^0.5");
  });
});

describe("verdict on claim 4 (depth needed ≫ 1/δ)", () => {
  const rows = (f: (d: number) => number) => THRESHOLD_DELTAS.map((delta) => ({ delta, depth: Math.ceil(f(delta)) }));
  it("not supported when L(δ) ∝ δ^-1/2", () => {
    const v = verdictDepthNeeded([{ label: "ρ1 = 0", rows: rows((d) => Math.sqrt(ASYMPTOTE / d)) }]);
    expect(v.verdict).toBe("not supported");
    expect(v.reasons[0]).toContain("δ^−0.499");
  });
  it("supported when L(δ) ∝ 1/δ", () => {
    expect(verdictDepthNeeded([{ label: "a", rows: rows((d) => 10 / d) }]).verdict).toBe("supported");
  });
  it("inconclusive when fewer than three thresholds are reached", () => {
    const v = verdictDepthNeeded([
      {
        label: "a",
        rows: [
          { delta: 0.1, depth: 20 },
          { delta: 0.01, depth: 70 },
          { delta: 0.001, depth: null },
        ],
      },
    ]);
    expect(v.verdict).toBe("inconclusive at the depths reached");
  });
});

describe("verdict helpers", () => {
  it("combine: not supported wins, then inconclusive", () => {
    expect(combineVerdicts(["supported", "not supported", "inconclusive at the depths reached"])).toBe("not supported");
    expect(combineVerdicts(["supported", "inconclusive at the depths reached"])).toBe("inconclusive at the depths reached");
    expect(combineVerdicts(["supported", "supported"])).toBe("supported");
    expect(combineVerdicts([])).toBe("inconclusive at the depths reached");
  });
  it("zero trend of a series with a floor is positive", () => {
    expect(zeroTrend(seriesOf((L) => 1 + 1 / L)).trend).toBe("positive");
    expect(zeroTrend(seriesOf((L) => 1 / L)).trend).toBe("zero");
  });
});

describe("first depth at which 1 − ρ < δ", () => {
  it("matches the closed form for ε(L) = C/(L + c)² exactly (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 1, max: 100, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), async (C, c) => {
        const eps = (L: number) => C / (L + c) ** 2;
        const deltas = [1e-1, 1e-3, 1e-5, 1e-7];
        let calls = 0;
        const rows = await firstDepthsBelow(deltas, async (ds) => (calls++, ds.map(eps)), 1e5, 50);
        expect(calls).toBeLessThanOrEqual(2);
        for (const r of rows) {
          let L = 1;
          while (L <= 1e5 && !(eps(L) < r.delta)) L++;
          expect(r.depth).toBe(L <= 1e5 ? L : null);
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe("spectrum verdicts (claims 6 and 7)", () => {
  const K = 64;
  const depths = [2, 4, 8, 16, 32, 64, 128];
  /** A synthetic NTK spectrum: μ_k = c(L) k^−3 with every digit kept, and the shares given. */
  const synthetic = (scale: (L: number) => number, share: (L: number) => number): SpectrumThroughDepth => ({
    depths,
    eigenvalues: depths.map((L) => Float64Array.from({ length: K + 1 }, (_, k) => (k === 0 ? 0.25 : scale(L) * k ** -3))),
    digits: depths.map(() => new Uint8Array(K + 1).fill(10)),
    resolvedShare: depths.map(share),
    resolvedShareError: depths.map(() => 1e-15),
    constantShare: depths.map(() => 0.25),
  });
  it("eigenvalues falling like 1/L with a share falling to 0: slower (a) yes, representation kept (b) no", () => {
    const v = verdictSlowerButExpressive(
      synthetic(
        (L) => 1 / L,
        (L) => 1 / L,
      ),
      K,
    );
    expect(v.claim).toBe(6);
    expect(v.verdict).toBe("not supported");
    expect(v.reasons[0]).toMatch(/^\(a\) slower convergence is supported: .* 64 of the 64 degrees/);
    expect(v.reasons[1]).toMatch(/^\(b\) representation power kept is not supported .* all 384 eigenvalues/);
  });
  it("eigenvalues falling with a share that levels off: supported; growing eigenvalues: not supported", () => {
    expect(
      verdictSlowerButExpressive(
        synthetic(
          (L) => 1 / L,
          (L) => 0.5 + 1 / L,
        ),
        K,
      ).verdict,
    ).toBe("supported");
    const growing = verdictSlowerButExpressive(
      synthetic(
        (L) => L,
        (L) => 0.5 + 1 / L,
      ),
      K,
    );
    expect(growing.verdict).toBe("not supported");
    expect(growing.reasons[0]).toMatch(/^\(a\) slower convergence is not supported/);
  });
  const fit = (depth: number, kernel: "ntk" | "nngp", s: number, halves: [number, number] = [s, s]): DecayFit => ({
    depth,
    kernel,
    exponent: s,
    exponentStdErr: 0,
    lowerHalf: halves[0],
    upperHalf: halves[1],
    constantShare: 0.25,
    resolvedShare: 0.5,
    resolvedShareError: 1e-15,
    resolvedDegrees: K,
  });
  const labels = { ntk: "Θ̄", nngp: "Σ̄" };
  it("claim 7 is judged only where the window lies beyond the depth (K/4 ≥ L); deeper depths are reported, not judged", () => {
    const fits = [
      fit(2, "ntk", 3.02),
      fit(8, "ntk", 2.9),
      fit(32, "ntk", 2.2),
      fit(128, "ntk", 1.0),
      fit(2, "nngp", 4.98),
      fit(16, "nngp", 4.9, [4.8, 4.95]),
      fit(128, "nngp", 1.1),
    ];
    const v = verdictSharedDecay(fits, K, { ntk: 3, nngp: 5 }, labels);
    expect(v.claim).toBe(7);
    expect(v.verdict).toBe("supported");
    expect(v.reasons[0]).toContain("crossover (K/4 < L ≤ K): L = 32: s = 2.2");
    expect(v.reasons[0]).toContain("below the depth scale (L > K), where a fixed range of degrees sees a much slower decay: L = 128: s = 1");
  });
  it("claim 7: a judged exponent far from the expected one is not supported; no judged depth is inconclusive", () => {
    expect(verdictSharedDecay([fit(2, "ntk", 2), fit(2, "nngp", 5)], K, { ntk: 3, nngp: 5 }, labels).verdict).toBe("not supported");
    expect(verdictSharedDecay([fit(2, "ntk", 3), fit(8, "nngp", 4, [3.5, 4.5])], K, { ntk: 3, nngp: 5 }, labels).verdict).toBe(
      "inconclusive at the depths reached",
    );
  });
});
