import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { correctDigits, correctDigitsFloat64, digitsVouched, NO_DIGIT_VOUCHED, relativeError, vouchedText } from "../src/digits.js";
import { comparePair, DIGIT_THRESHOLDS, MAX_COMPARE_DEPTH } from "../src/compare/pairCompare.js";
import { compareGram } from "../src/compare/gramCompare.js";
import { datasetFromArrays } from "../src/data/dataset.js";
import { gramThroughDepthPrecise, kernelEntryDigitsVouched } from "../src/gram/precise.js";
import { pairThroughDepthPrecise } from "../src/pair/precise.js";
import { BigFloatContext } from "../src/precise/bigFloat.js";
import { preciseDecimal } from "../src/precise/precision.js";
import { isNtkError } from "../src/errors.js";

const D = preciseDecimal(60);

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  await p.then(
    () => {
      throw new Error(`expected NtkError ${code}`);
    },
    (e: unknown) => expect(isNtkError(e) ? e.code : e).toBe(code),
  );
}

describe("correct digits", () => {
  it("counts ⌊−log10 relative error⌋ and reads a float64 as its exact binary value", () => {
    expect(correctDigits(new D("1.2345"), new D("1.2346"), 30)).toBe(4);
    expect(correctDigits(new D("-3"), new D("3"), 30)).toBe(0);
    expect(correctDigits(new D("7"), new D("7"), 30)).toBe(30);
    // 0.1 as float64 is 0.1000000000000000055511…: relative error 5.6e-17, 16 digits, not 17.
    expect(correctDigits(0.1, new D("0.1"), 30)).toBe(16);
    expect(relativeError(0.5, new D("0.25")).toNumber()).toBe(1);
    expect(correctDigits(1e-300, new D(0), 30)).toBe(0);
    expect(() => correctDigits(Number.NaN, new D(1), 30)).toThrow(expect.objectContaining({ code: "NON_FINITE" }));
  });

  it("the BigFloat scan gives the same count as the Decimal definition (fast-check)", () => {
    const c = new BigFloatContext(200);
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => x !== 0),
        fc.integer({ min: -20, max: -1 }),
        fc.integer({ min: 1, max: 9 }),
        (x, k, m) => {
          // a reference near x: x (1 + m·10^k)
          const ref = new D(x).times(new D(1).plus(new D(m).times(new D(10).pow(k))));
          const viaBig = correctDigitsFloat64(x, c.fromDecimal(ref, D), c);
          const viaDecimal = correctDigits(x, ref, 17);
          expect(Math.abs(viaBig - viaDecimal)).toBeLessThanOrEqual(0); // same definition, same answer
        },
      ),
      { numRuns: 300 },
    );
    expect(correctDigitsFloat64(Number.NaN, c.one, c)).toBe(0);
    expect(correctDigitsFloat64(1, c.one, c)).toBe(17);
    expect(correctDigitsFloat64(5e-324, c.fromNumber(5e-324), c)).toBe(17);
    expect(correctDigitsFloat64(1e-300, c.zero, c)).toBe(0);
  });

  it("vouched text keeps exactly the vouched digits, and prints no digit when none is vouched", () => {
    expect(vouchedText(new D("0.1000000000123"), 5)).toBe("0.10000");
    expect(vouchedText(new D("-1.5e-60"), 0)).toBe(NO_DIGIT_VOUCHED);
    expect(vouchedText(new D("0.123456"), 0)).not.toMatch(/[0-9]/);
    expect(vouchedText(new D(0), 0)).toBe(NO_DIGIT_VOUCHED); // a zero the lower run does not share
    expect(vouchedText(new D(0), 30)).toBe("0");
    expect(digitsVouched(new D("1.00001"), new D("1.00002"), 30)).toBe(4);
  });
});

describe("comparePair", () => {
  it("textbook float64 at ρ1 = 0.9999999 loses 1 − ρ at once, stable float64 keeps it; scan and checkpoints agree", async () => {
    const at = [1, 10, 100, 1000, 10000];
    const r = await comparePair({ rho1: "0.9999999", depth: 10000, at, precision: 32 });
    expect(r.points.map((p) => p.depth)).toEqual(at);
    // 1 − fl(0.9999999) = 9.999999994736442e-8 in float64: 9 correct digits at depth 1.
    expect(r.points[0]!.textbook.oneMinusRhoDigits).toBe(9);
    expect(r.points[0]!.stable.oneMinusRhoDigits).toBeGreaterThanOrEqual(16);
    for (const p of r.points) {
      expect(p.stable.oneMinusRhoDigits).toBeGreaterThan(p.textbook.oneMinusRhoDigits);
      expect(p.stable.oneMinusRhoDigits).toBeGreaterThanOrEqual(12);
      expect(p.reference.digitsVouched.oneMinusRho).toBe(32);
      expect(p.stable.oneMinusRhoRelError).toBeLessThan(1e-12);
    }
    expect(r.firstDepthBelow.textbook.map((l) => l.digits)).toEqual([...DIGIT_THRESHOLDS]);
    expect(r.firstDepthBelow.textbook[0]!.depth).toBe(1);
    expect(r.firstDepthBelow.stable[1]!.depth).toBeNull();
    for (const m of ["textbook", "stable"] as const) {
      r.firstDepthBelow[m].forEach(({ digits, depth }) => {
        for (const p of r.points) {
          // A checkpoint below the level lies at or after the first depth below it; none lies below it before.
          if (p[m].oneMinusRhoDigits < digits) expect(depth !== null && depth <= p.depth).toBe(true);
          if (depth === null || p.depth < depth) expect(p[m].oneMinusRhoDigits).toBeGreaterThanOrEqual(digits);
        }
      });
    }
    // The reference is the high-precision path itself.
    const ref = await pairThroughDepthPrecise({ method: "direct", rho1: "0.9999999", depth: 10000, at, precision: 32 });
    expect(r.points.map((p) => p.reference.oneMinusRho.toString())).toEqual(ref.points.map((p) => p.oneMinusRho.toString()));
  });

  it("σb = 1, ρ1 = 0.5: where stable 1 − ρ falls below 2^-1022 (L ≥ 1019) it is lost and counts 0 digits, not the 12 its subnormal bits happen to match at L = 1030", async () => {
    const r = await comparePair({ rho1: "0.5", depth: 1100, at: [1000, 1030, 1100], params: { sigmaW: "1", sigmaB: "1" }, inputDim: 3 });
    const [normal, subnormal, gone] = r.points.map((p) => p.stable);
    expect(normal.oneMinusRhoLost).toBe(false);
    expect(normal.oneMinusRhoDigits).toBeGreaterThanOrEqual(13);
    expect(subnormal.oneMinusRho).toBeGreaterThan(0);
    expect(subnormal.oneMinusRho).toBeLessThan(2 ** -1022);
    expect(gone.oneMinusRho).toBe(0); // the true value is ~9e-333
    for (const p of [subnormal, gone]) {
      expect(p.oneMinusRhoLost).toBe(true);
      expect(p.oneMinusRhoDigits).toBe(0);
    }
    // Every level is crossed where the value leaves the normal range.
    expect(r.firstDepthBelow.stable.map((l) => l.depth)).toEqual([1019, 1019, 1019]);
  });

  it("relative errors match the correct digits they are reported with; stable float64 keeps ≥ 13 digits for general σw, σb", async () => {
    const r = await comparePair({ rho1: "0.3", depth: 200, at: [1, 50, 200], precision: 40, params: { sigmaW: "1.4", sigmaB: "0.2" }, inputDim: 2 });
    for (const p of r.points) {
      for (const m of ["textbook", "stable"] as const) {
        const f = p[m];
        if (f.ntkNormalizedRelError > 0) expect(f.ntkNormalizedDigits).toBe(Math.max(0, Math.min(17, Math.floor(-Math.log10(f.ntkNormalizedRelError)))));
        if (f.oneMinusRhoRelError > 0) expect(f.oneMinusRhoDigits).toBe(Math.max(0, Math.min(17, Math.floor(-Math.log10(f.oneMinusRhoRelError)))));
      }
      expect(p.stable.ntkNormalizedDigits).toBeGreaterThanOrEqual(13);
      expect(p.stable.oneMinusRhoDigits).toBeGreaterThanOrEqual(13);
    }
  });

  it("reports progress over both float64 scans and the reference, ending at done = total", async () => {
    const calls: [number, number][] = [];
    await comparePair({ rho1: "0.5", depth: 70000, at: [70000], precision: 20, onProgress: (d, t) => calls.push([d, t]) });
    expect(calls.at(-1)).toEqual([280000, 280000]);
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThanOrEqual(calls[i - 1]![0]);
    expect(calls.every(([d, t]) => d <= t && t === 280000)).toBe(true);
  }, 30000);

  it("first depths below 12, 6, 1 digits are ordered, and digits lie in 0..17 (fast-check)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -999, max: 999 }), fc.integer({ min: 1, max: 400 }), async (r1000, depth) => {
        const r = await comparePair({ rho1: (r1000 / 1000).toString(), depth, at: [1, depth], precision: 20 });
        for (const m of ["textbook", "stable"] as const) {
          const [d12, d6, d1] = r.firstDepthBelow[m].map((l) => l.depth ?? Infinity);
          expect(d12! <= d6! && d6! <= d1!).toBe(true);
          for (const p of r.points) {
            for (const d of [p[m].oneMinusRhoDigits, p[m].ntkNormalizedDigits]) expect(d >= 0 && d <= 17).toBe(true);
          }
        }
      }),
      { numRuns: 15 },
    );
  }, 60000);

  it("rejects depths beyond the scan limit and bad precision", async () => {
    await expectCode(comparePair({ rho1: "0.5", depth: MAX_COMPARE_DEPTH + 1 }), "BAD_DEPTH");
    await expectCode(comparePair({ rho1: "0.5", depth: 10, precision: 5 }), "BAD_PRECISION");
    await expectCode(comparePair({ rho1: "2", depth: 10 }), "BAD_RHO");
  });
});

describe("compareGram", () => {
  it("counts the reference's digits of a small K̄ entry as significant digits, not decimal places", async () => {
    // x·x′ ≈ 1e-10 at L = 1: Σ̄ = x·x′ vouched to 20 decimal places is 11 significant digits.
    const data = datasetFromArrays({
      points: [
        [1, 0],
        [1e-10, 1],
      ],
    });
    const r = await compareGram({ data, projection: "normalize", depth: 1, kernel: "nngp", normalized: true, precision: 20 });
    expect(r.entries.referenceDigits).toBe(11);
    const g = (await gramThroughDepthPrecise({ data, projection: "normalize", depths: [1], precision: 20 })).grams[0];
    expect(g.digitsVouchedByMatrix.sigmaNormalized).toBe(20);
    expect(kernelEntryDigitsVouched(g, "nngp", true, 20)).toEqual([20, 11, 11, 20]);
    // Raw Σ = Σ̄ q: no entry claims more digits than the diagonal q vouches for.
    expect(kernelEntryDigitsVouched(g, "nngp", false, 20).every((d) => d <= g.digitsVouched)).toBe(true);
  });
});
