// The σb > 0 fixed point of the high-precision pair loop (src/precise/fixedPoint.ts, runPrecise in
// src/pair/precise.ts): once the state settles, later checkpoints (to 2^60) come from its closed form.
// Checked against the same recursion run layer by layer (an observed run never takes the shortcut),
// and at depth 10^15 against the fixed point of the diagonal recursion, q* = σb²/(1 − σw²/2), τ* = 1/(1 − σw²/2).
// The high-precision Gram (src/gram/precise.ts) stops by the same rule once every entry has settled.
import { describe, expect, it } from "vitest";
import { Decimal } from "decimal.js";
import { pairPreciseResolved, pairThroughDepthPrecise, resolvePairPrecise } from "../src/pair/precise.js";
import { expectCode } from "./support/errors.js";
import { gramThroughDepthPrecise } from "../src/gram/precise.js";
import { datasetFromArrays } from "../src/data/dataset.js";

const FIELDS = ["oneMinusRho", "theta", "ntkNormalized", "oneMinusNtkNormalized", "sigmaDot"] as const;
const Ref = Decimal.clone({ precision: 80 });

function agreeingDigits(a: Decimal, b: Decimal): number {
  if (a.eq(b)) return 80;
  return Math.floor(-new Ref(a).minus(b).abs().div(new Ref(b).abs()).log(10).toNumber());
}

describe("high-precision pair, σb > 0: the settled state", () => {
  for (const [sigmaW, sigmaB] of [
    ["1", "0.5"],
    ["1.3", "0.2"],
  ] as const) {
    it(`σw = ${sigmaW}, σb = ${sigmaB}: with and without the shortcut the vouched digits agree (L to 20 000, 40 digits)`, async () => {
      const o = { rho1: "0.3", depth: 20_000, at: [50, 400, 3000, 20_000], precision: 40, params: { sigmaW, sigmaB } };
      const fast = await pairThroughDepthPrecise(o);
      const slow = await pairPreciseResolved(resolvePairPrecise(o, true), {}, () => undefined);
      fast.points.forEach((p, k) => {
        const q = slow.points[k]!;
        for (const f of FIELDS) {
          const both = Math.min(p.digitsVouched[f]!, q.digitsVouched[f]!);
          expect(both, `${f} at L = ${p.depth}`).toBeGreaterThanOrEqual(38);
          expect(agreeingDigits(p[f]!, q[f]!), `${f} at L = ${p.depth}`).toBeGreaterThanOrEqual(both);
        }
      });
    });
  }

  it("depth 10^15 returns at once, vouched, with the diagonals at their fixed point", async () => {
    const r = await pairThroughDepthPrecise({
      rho1: "-0.7",
      depth: 10n ** 15n,
      at: [10n ** 12n, 10n ** 15n],
      precision: 40,
      params: { sigmaW: "1.3", sigmaB: "0.2" },
    });
    const half = new Ref("1.69").div(2);
    const qStar = new Ref("0.04").div(new Ref(1).minus(half));
    const tauStar = new Ref(1).div(new Ref(1).minus(half));
    for (const p of r.points) {
      expect(p.digitsVouched.oneMinusRho).toBe(40);
      expect(p.digitsVouched.oneMinusNtkNormalized).toBe(40);
      expect(agreeingDigits(p.sigmaDiag!, qStar)).toBeGreaterThanOrEqual(39);
      expect(agreeingDigits(p.ntkDiag!, qStar.times(tauStar))).toBeGreaterThanOrEqual(39);
    }
    // Geometric decay at the rate w* = σw²/2 between the two depths: ε_L'/ε_L = w*^(L' − L).
    const [a, b] = r.points;
    const rate = new Ref(b!.oneMinusRho)
      .div(a!.oneMinusRho)
      .ln()
      .div(10 ** 15 - 10 ** 12);
    expect(agreeingDigits(rate, half.ln())).toBeGreaterThanOrEqual(35);
  });

  it("refuses depths whose complements fall outside decimal.js's range, and σw² ≥ 2 beyond 10^9", async () => {
    await expectCode(
      () => pairThroughDepthPrecise({ rho1: "0.5", depth: 10n ** 18n, precision: 30, params: { sigmaB: "0.5" } }),
      "BAD_DEPTH",
      /beyond decimal.js's exponent range/,
    );
    await expectCode(
      () => pairThroughDepthPrecise({ rho1: "0.5", depth: 10n ** 12n, precision: 30, params: { sigmaW: "1.5", sigmaB: "0.5" } }),
      "BAD_DEPTH",
      /1,000,000,000/,
    );
  });
});

describe("high-precision Gram, σb > 0: every entry settled", () => {
  // x·x′ = 0.6, 0 and 0.48 exactly (rows on the sphere as given).
  const data = datasetFromArrays({
    points: [
      ["1", "0", "0"],
      ["0.6", "0.8", "0"],
      ["0", "0.6", "0.8"],
    ],
  });
  const pairs = [
    { i: 0, j: 1, rho1: "0.6" },
    { i: 0, j: 2, rho1: "0" },
    { i: 1, j: 2, rho1: "0.48" },
  ];
  const params = { sigmaW: "1.4", sigmaB: "0.5" };

  it("to L = 10^7 (layer by layer: 6·10^7 BigFloat pair steps) it stops at the settled layer: every entry vouches all 30 digits and agrees with the pair path", async () => {
    const depths = [100, 10_000, 10_000_000];
    const g = await gramThroughDepthPrecise({ data, projection: "none", depths, params, precision: 30 });
    for (const { i, j, rho1 } of pairs) {
      const pair = await pairThroughDepthPrecise({ rho1, depth: depths[2]!, at: depths, params, inputDim: 3, precision: 30 });
      g.grams.forEach((gram, k) => {
        const p = pair.points[k]!;
        expect(gram.digitsVouched).toBe(30);
        expect(agreeingDigits(gram.oneMinusSigmaNormalized[3 * i + j]!, p.oneMinusRho), `${rho1}, L = ${gram.depth}`).toBeGreaterThanOrEqual(29);
        expect(agreeingDigits(gram.oneMinusNtkNormalized[3 * i + j]!, p.oneMinusNtkNormalized), `${rho1}, L = ${gram.depth}`).toBeGreaterThanOrEqual(29);
      });
    }
  });

  it("at L = 20 000 (the runs settle at layers 9303 and 10 803) it agrees with the pair recursion run layer by layer", async () => {
    const g = await gramThroughDepthPrecise({ data, projection: "none", depths: [20_000], params, precision: 30 });
    for (const { i, j, rho1 } of pairs) {
      const slow = await pairPreciseResolved(resolvePairPrecise({ rho1, depth: 20_000, params, inputDim: 3, precision: 30 }, true), {}, () => undefined);
      const p = slow.points[0]!;
      expect(agreeingDigits(g.grams[0]!.oneMinusSigmaNormalized[3 * i + j]!, p.oneMinusRho), rho1).toBeGreaterThanOrEqual(29);
      expect(agreeingDigits(g.grams[0]!.oneMinusNtkNormalized[3 * i + j]!, p.oneMinusNtkNormalized), rho1).toBeGreaterThanOrEqual(29);
    }
  });
});
