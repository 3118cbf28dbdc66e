import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { Decimal } from "decimal.js";
import { digitsAgreed, VOUCH_EXTRA_DIGITS, vouchTwice, vouchTwiceSync, vouchedByText, vouchValue } from "../src/precise/vouched.js";
import { digitsVouched } from "../src/digits.js";
import { datasetFromArrays } from "../src/data/dataset.js";
import { gramThroughDepthPrecise, kernelEntryDigitsVouched } from "../src/gram/precise.js";
import { preciseDecimal } from "../src/precise/precision.js";
import { cliJson } from "./support/cli.js";

const D = preciseDecimal(80);

describe("digitsAgreed: the one digit count", () => {
  it("counts the agreeing digits minus one, at most P; equal values (exact zeros too) vouch all P", () => {
    expect(digitsAgreed(new D("1.23456"), new D("1.23457"), 30)).toBe(4);
    expect(digitsAgreed(new D(0), new D(0), 30)).toBe(30);
    expect(digitsAgreed(new D("0.5"), new D("0.5"), 25)).toBe(25);
    // A zero upper run against a nonzero lower one: no significant digit, but decimal places at scale 1.
    expect(digitsAgreed(new D("1e-40"), new D(0), 30)).toBe(0);
    expect(digitsAgreed(new D("1e-40"), new D(0), 30, 1)).toBe(30);
    expect(digitsAgreed(new D("1e-20"), new D(0), 30, 1)).toBe(19);
    // Opposite signs: not even the first digit.
    expect(digitsAgreed(new D("-1"), new D("1"), 30)).toBe(0);
  });

  it("is the count digitsVouched has always returned (one definition)", () => {
    for (const [a, b] of [
      ["1.000000000000000000001", "1"],
      ["3.14159", "3.14160"],
      ["0", "1e-9"],
      ["7e-300", "7.0000001e-300"],
    ]) {
      expect(digitsVouched(new D(a), new D(b), 40)).toBe(digitsAgreed(new D(a), new D(b), 40));
    }
  });

  it("property: no digit counted beyond the agreement of the two runs, and never above P", () => {
    const value = fc.tuple(fc.integer({ min: 1, max: 10 ** 9 }), fc.integer({ min: -60, max: 60 }), fc.boolean());
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 20, max: 60 }), ([m, e, neg], k, dk, P) => {
        const upper = new D(`${neg ? "-" : ""}${m}e${e}`);
        // lower differs from upper in its k-th significant digit (relative difference dk·10^−k).
        const lower = upper.plus(upper.abs().times(new D(dk).times(new D(10).pow(-k))));
        const d = digitsAgreed(lower, upper, P);
        expect(d).toBeLessThanOrEqual(P);
        // Every counted digit is one the runs agree on: |lower − upper| < 10^−d |upper|.
        expect(
          lower
            .minus(upper)
            .abs()
            .lt(upper.abs().times(new D(10).pow(-d))),
        ).toBe(true);
        // And the count is not wasteful: it misses at most two digits of the agreement (one dropped for safety).
        expect(d).toBeGreaterThanOrEqual(Math.min(P, k - 2));
      }),
    );
  });
});

describe("vouchTwice: the combinator", () => {
  /** A computation whose result at d digits is off by 10^−(d − loss) relatively. */
  const noisy = (loss: number) => (digits: number) => new D(1).plus(new D(10).pow(loss - digits));

  it("runs twice at lower and lower + VOUCH_EXTRA_DIGITS, and stops when P is vouched", async () => {
    const seen: number[][] = [];
    const runs = await vouchTwice({
      precision: 30,
      lowerDigits: 36,
      run: async (l, u) => {
        seen.push([l, u]);
        return { lower: noisy(2)(l), upper: noisy(2)(u) };
      },
      count: (l, u) => digitsAgreed(l, u, 30),
    });
    expect(seen).toEqual([[36, 36 + VOUCH_EXTRA_DIGITS]]);
    expect(runs.digits).toBe(30);
    expect(runs.retried).toBe(false);
  });

  it("retries once at the shortfall plus the margin, and then stands with what it has", async () => {
    const seen: number[] = [];
    const runs = vouchTwiceSync({
      precision: 30,
      lowerDigits: 30,
      run: (l, u) => {
        seen.push(l);
        return { lower: noisy(10)(l), upper: noisy(10)(u) };
      },
      count: (l, u) => digitsAgreed(l, u, 30),
    });
    // 30 − 10 − 1 = 19 digits first: 11 short, so 30 + 11 + 2 = 43 digits, then 43 − 10 − 1 = 32 ≥ 30.
    expect(seen).toEqual([30, 43]);
    expect(runs.digits).toBe(30);
    expect(runs.retried).toBe(true);
    expect(vouchedByText("x", runs, 30)).toMatch(/at 43 and at 49 significant digits.*raised once/);
  });

  it("no retry past the caller's digit limit, nor when the caller says more digits cannot help", () => {
    const plan = {
      precision: 30,
      lowerDigits: 30,
      run: (l: number, u: number) => ({ lower: noisy(10)(l), upper: noisy(10)(u) }),
      count: (l: Decimal, u: Decimal) => digitsAgreed(l, u, 30),
    };
    expect(vouchTwiceSync({ ...plan, maxUpperDigits: 40 }).retried).toBe(false);
    expect(vouchTwiceSync({ ...plan, retryDigits: () => null }).digits).toBe(19);
  });

  it("vouchValue: a Vouched value with both working precisions, lowered by a caller's cap only", () => {
    const v = vouchValue(noisy(0)(40), noisy(0)(46), { lowerDigits: 40, upperDigits: 46 }, 30, "test");
    expect(v).toMatchObject({ digits: 30, precision: 30, workingPrecisions: [40, 46] });
    expect(vouchValue(noisy(0)(40), noisy(0)(46), { lowerDigits: 40, upperDigits: 46 }, 30, "test", 0, 12).digits).toBe(12);
  });
});

describe("an exact zero in both runs is exact: library and CLI agree", () => {
  // Σ̄^(1) = x·x′ is exactly 0 for orthogonal points and −1 for antipodal ones.
  const points = [
    [1, 0],
    [0, 1],
    [-1, 0],
  ];

  it("library: every entry of Σ̄^(1), the zeros included, vouches all P digits", async () => {
    const data = datasetFromArrays({ points });
    const g = (await gramThroughDepthPrecise({ data, projection: "normalize", depths: [1], precision: 30 })).grams[0];
    expect(g.sigmaNormalized[1].isZero()).toBe(true);
    expect(kernelEntryDigitsVouched(g, "nngp", true, 30)).toEqual(Array(9).fill(30));
    expect(kernelEntryDigitsVouched(g, "nngp", false, 30)[1]).toBe(30);
    // The complements' exact zeros (their diagonal) too.
    expect(g.digitsVouchedByEntry.oneMinusSigmaNormalized[0]).toBe(30);
  });

  it("CLI: kernel --precision reports the same digits for the Gram matrix, zeros printed as 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vouch-"));
    const file = join(dir, "points.csv");
    writeFileSync(file, "a,b\n" + points.map((p) => p.join(",")).join("\n") + "\n");
    const doc = await cliJson<{ gram: string[][]; complement: string[][]; digitsVouched: { gram: string } }>(
      "kernel",
      "--data",
      file,
      "--depth",
      "1",
      "--kernel",
      "nngp",
      "--normalized",
      "--precision",
      "30",
      "--json",
    );
    expect(doc.digitsVouched.gram).toBe("30");
    expect(doc.gram[0][1]).toBe("0");
    expect(doc.complement[0][0]).toBe("0");
    expect(doc.complement[0][1]).toBe("1.00000000000000000000000000000");
    rmSync(dir, { recursive: true });
  });
});
