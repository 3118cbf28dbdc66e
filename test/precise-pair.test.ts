import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decimal } from "decimal.js";
import { readFileSync } from "node:fs";
import { BigFloatContext, bitLength, integerSqrt } from "../src/precise/bigFloat.js";
import { PreciseCorrelationMap } from "../src/precise/correlationMap.js";
import { bitsForDigits, checkConstantLimit, checkPrecision, preciseDecimal, workingPrecision } from "../src/precise/precision.js";
import { textbookPairLoop } from "../src/precise/textbookLoop.js";
import { correctDigits, digitsVouched } from "../src/compare/digits.js";
import { pairThroughDepthPrecise, type PairPointPrecise, type VouchedPairField } from "../src/pair/precise.js";
import { isNtkError } from "../src/errors.js";
import { pairThroughDepth } from "../src/pair.js";

interface RefPoint {
  depth: number;
  [k: string]: string | number | null;
}
interface RefCase {
  rho1: string;
  depth: number;
  at: number[];
  sigmaW: string;
  sigmaB: string;
  inputDim: number;
  points: RefPoint[];
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/precise_pair.json", import.meta.url), "utf8")) as {
  digits: number;
  cases: RefCase[];
  thousandDigitCases: RefCase[];
};
const RefD = preciseDecimal(1200);
const VOUCHED: VouchedPairField[] = ["rho", "oneMinusRho", "theta", "ntkNormalized", "oneMinusNtkNormalized", "sigma", "ntk", "sigmaDiag", "ntkDiag"];

async function expectCode(p: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    expect(isNtkError(e) ? e.code : e).toBe(code);
    return;
  }
  throw new Error(`expected NtkError ${code}`);
}

describe("BigFloat arithmetic", () => {
  const D = preciseDecimal(120);
  const c = new BigFloatContext(300);
  const decimalText = fc.tuple(fc.integer({ min: 1, max: 999999999 }), fc.integer({ min: -40, max: 40 })).map(([m, e]) => `${m}e${e}`);

  it("bitLength and integerSqrt are exact", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 1n << 3000n }), (x) => {
        const n = bitLength(x);
        expect(x >> BigInt(n - 1)).toBe(1n);
        const r = integerSqrt(x);
        expect(r * r <= x && (r + 1n) * (r + 1n) > x).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("+, −, ×, ÷, √ agree with decimal.js to the context's precision", () => {
    fc.assert(
      fc.property(decimalText, decimalText, fc.boolean(), (as, bs, negB) => {
        const a = new D(as);
        const b = new D(bs).times(negB ? -1 : 1);
        const fa = c.fromDecimal(a, D);
        const fb = c.fromDecimal(b, D);
        const tol = 2 ** -(c.bits - 4);
        for (const [got, want] of [
          [c.mul(fa, fb), a.times(b)],
          [c.div(fa, fb), a.div(b)],
          [c.sqrt(fa), a.sqrt()],
        ] as const) {
          expect(c.toDecimal(got, D).minus(want).abs().div(want.abs()).toNumber()).toBeLessThan(tol);
        }
        // A sum is accurate relative to the larger operand (cancellation is the caller's business).
        const sum = a.plus(b);
        expect(c.toDecimal(c.add(fa, fb), D).minus(sum).abs().div(Decimal.max(a.abs(), b.abs())).toNumber()).toBeLessThan(tol);
      }),
      { numRuns: 200 },
    );
  });
});

describe("precise correlation map", () => {
  const D = preciseDecimal(110);
  const map = new PreciseCorrelationMap(bitsForDigits(100), D);
  const c = map.ctx;
  it.each(["2", "1.9", "1", "0.5", "0.1", "1e-7", "1e-30", "1e-300"])("θ and 1 − h at ε = %s match decimal.js at 110 digits", (e) => {
    const eps = new D(e);
    const theta = map.thetaOfComplement(c.fromDecimal(eps, D));
    // Reference θ from acos at ρ = 1 − ε computed in 400 digits (so the cancellation is harmless).
    const W = preciseDecimal(420);
    const ref = W.acos(new W(1).minus(e));
    expect(correctDigits(c.toDecimal(theta, D), ref, 100)).toBeGreaterThanOrEqual(98);
    const g = W.sin(ref).minus(ref.times(W.cos(ref)));
    const nextRef = new W(e).minus(g.div(W.acos(-1)));
    const next = map.complementStep(c.fromDecimal(eps, D), theta, c.one);
    expect(correctDigits(c.toDecimal(next, D), nextRef, 100)).toBeGreaterThanOrEqual(97);
    // The one-series layer gives the same θ and ε′ (with a layer weight w < 1 too).
    const w = c.fromDecimal(new D("0.75"), D);
    const layer = map.layer(c.fromDecimal(eps, D), w);
    expect(correctDigits(c.toDecimal(layer.theta, D), ref, 100)).toBeGreaterThanOrEqual(98);
    expect(correctDigits(c.toDecimal(layer.next, D), nextRef.times("0.75"), 100)).toBeGreaterThanOrEqual(97);
  });
});

describe("precision context", () => {
  it("accepts 20..1000 and names the range otherwise", async () => {
    expect(checkPrecision(20)).toBe(20);
    expect(checkPrecision(1000)).toBe(1000);
    for (const p of [19, 1001, 20.5, Number.NaN]) await expectCode(() => checkPrecision(p), "BAD_PRECISION");
  });
  it("guard digits grow with log10 of the depth, and the largest request still fits decimal.js's π", () => {
    expect(workingPrecision(32, 1).lower).toBe(36);
    expect(workingPrecision(32, 100000)).toEqual({ precision: 32, lower: 41, upper: 47 });
    expect(workingPrecision(1000, 1e9).upper).toBeLessThanOrEqual(1020);
  });
  it("PRECISION_LIMIT says which constant runs out and where", async () => {
    await expectCode(() => checkConstantLimit(1030, "pi", 1000), "PRECISION_LIMIT");
    await expectCode(() => checkConstantLimit(1014, "ln10", 1000), "PRECISION_LIMIT");
    expect(() => checkConstantLimit(1013, "ln10", 1000)).not.toThrow();
    try {
      checkConstantLimit(1030, "pi", 1000, 5);
    } catch (e) {
      expect(String((e as Error).message)).toMatch(/π to 1025 digits/);
    }
  });
  it("digitsVouched: agreement minus one, capped at the precision", () => {
    const D = preciseDecimal(60);
    expect(digitsVouched(new D("1.2345678"), new D("1.2345679"), 40)).toBe(6);
    expect(digitsVouched(new D("0.5"), new D("0.5"), 40)).toBe(40);
    expect(digitsVouched(new D("1e-60"), new D("0"), 40)).toBe(0);
    expect(digitsVouched(new D("0"), new D("0"), 40)).toBe(40);
  });
});

function refValue(p: RefPoint, k: string): Decimal {
  return new RefD(p[k] as string);
}

/** Digits vouched must never exceed the digits actually correct against the mpmath reference. */
function checkAgainstReference(point: PairPointPrecise, ref: RefPoint, precision: number): void {
  for (const k of VOUCHED) {
    const want = refValue(ref, k);
    const got = point[k]!;
    const vouched = point.digitsVouched[k]!;
    // mpmath cannot produce an exact 0 (e.g. ρ^(2) = h(−1) = 0 comes out as sin π ≈ 1e-320):
    // below 1e-250 of its scale (the diagonal for raw kernels, 1 otherwise) the reference means 0.
    const scale = k === "sigma" || k === "sigmaDiag" ? refValue(ref, "sigmaDiag") : k === "ntk" || k === "ntkDiag" ? refValue(ref, "ntkDiag") : new RefD(1);
    if (want.abs().lt(scale.times("1e-250"))) {
      if (!got.isZero() && vouched !== 0) throw new Error(`${k} at L = ${point.depth}: reference ≈ 0, got ${got.toString()} with ${vouched} digits vouched`);
      continue;
    }
    const correct = correctDigits(got, want, precision + 100);
    if (correct < vouched) throw new Error(`${k} at L = ${point.depth}: vouched ${vouched} digits, only ${correct} correct`);
    expect(vouched).toBeLessThanOrEqual(precision);
  }
  for (const k of ["sigmaDiag", "ntkDiag"] as const) expect(point.digitsVouched[k]).toBe(precision);
  if (ref.sigmaDot === null) {
    expect(point.sigmaDot).toBeNull();
    expect(point.digitsVouched.sigmaDot).toBeNull();
  } else if (refValue(ref, "sigmaDot").abs().lt("1e-250")) {
    // Σ̇ = 0 exactly (θ = π at ρ1 = −1): exactly 0 (see the ρ1 = −1 test).
    expect(point.sigmaDot!.isZero()).toBe(true);
  } else {
    const correct = correctDigits(point.sigmaDot!, refValue(ref, "sigmaDot"), precision + 100);
    expect(correct).toBeGreaterThanOrEqual(point.digitsVouched.sigmaDot!);
    expect(point.digitsVouched.sigmaDot).toBe(precision);
  }
}

describe("pairThroughDepthPrecise against the mpmath reference (raw SPEC §2 recursion at 320 digits)", () => {
  for (const rc of fixture.cases) {
    // 40 digits only on the shorter runs: the 10^5-step ones already cover the guard digits' growth at 20 and 100.
    for (const precision of rc.depth >= 100000 ? [20, 100] : [20, 40, 100]) {
      // 10^5 steps at 100 digits take a few seconds: tagged long.
      const tag = rc.depth >= 100000 && precision === 100 ? " [long]" : "";
      it(`ρ1 = ${rc.rho1}, σw = ${rc.sigmaW}, σb = ${rc.sigmaB}, n0 = ${rc.inputDim}, to L = ${rc.depth}, P = ${precision}${tag}`, async () => {
        const r = await pairThroughDepthPrecise({
          rho1: rc.rho1,
          depth: rc.depth,
          at: rc.at,
          precision,
          params: { sigmaW: rc.sigmaW, sigmaB: rc.sigmaB },
          inputDim: rc.inputDim,
        });
        expect(r.points.map((p) => p.depth)).toEqual(rc.at);
        expect(r.precision).toBe(precision);
        expect(r.workingPrecision).toBeGreaterThan(precision);
        r.points.forEach((p, i) => checkAgainstReference(p, rc.points[i]!, precision));
        // The complements are well conditioned in this form: they must vouch every digit asked for.
        for (const p of r.points) {
          expect(p.digitsVouched.oneMinusRho).toBe(precision);
          expect(p.digitsVouched.oneMinusNtkNormalized).toBe(precision);
        }
      }, 60000);
    }
  }
});

describe("pairThroughDepthPrecise at 1000 digits against mpmath at 2200 digits", () => {
  for (const rc of fixture.thousandDigitCases) {
    it(`ρ1 = ${rc.rho1} to L = ${rc.depth}: every vouched digit correct, complements vouch all 1000`, async () => {
      const r = await pairThroughDepthPrecise({ rho1: rc.rho1, depth: rc.depth, at: rc.at, precision: 1000 });
      r.points.forEach((p, i) => checkAgainstReference(p, rc.points[i]!, 1000));
      for (const p of r.points) expect(p.digitsVouched.oneMinusRho).toBe(1000);
    }, 60000);
  }
});

describe("pairThroughDepthPrecise behaviour", () => {
  it("agrees with the decimal.js textbook loop where that loop is well conditioned", async () => {
    const D = preciseDecimal(90);
    const at = [1, 2, 7, 40];
    for (const [rho1, sw, sb, n0] of [
      ["0.5", "1", "0", 1],
      ["-0.25", "1.3", "0.4", 5],
    ] as const) {
      const tb = textbookPairLoop(D, new D(rho1), 40, at, new D(sw).pow(2), new D(sb).pow(2), n0);
      const r = await pairThroughDepthPrecise({ rho1, depth: 40, at, precision: 50, params: { sigmaW: sw, sigmaB: sb }, inputDim: n0 });
      r.points.forEach((p, i) => {
        expect(correctDigits(p.rho, tb[i]!.rho, 80)).toBeGreaterThanOrEqual(p.digitsVouched.rho);
        expect(correctDigits(p.ntkNormalized, tb[i]!.ntkNormalized, 80)).toBeGreaterThanOrEqual(p.digitsVouched.ntkNormalized);
        expect(p.digitsVouched.ntkNormalized).toBe(50);
      });
    }
  });

  it("ρ1 = −1: h(−1) = 0 and κ0(−1) = 0 come out exactly, so ρ, Θ̄, Σ, Θ, Σ̇ at L = 2 are exactly 0 with every digit vouched", async () => {
    const p = (await pairThroughDepthPrecise({ rho1: "-1", depth: 2, precision: 30 })).points[0]!;
    for (const k of ["rho", "ntkNormalized", "sigma", "ntk"] as const) {
      expect(p[k]!.isZero()).toBe(true);
      expect(p.digitsVouched[k]).toBe(30);
    }
    expect(p.sigmaDot!.isZero()).toBe(true);
    expect(p.oneMinusRho.eq(1) && p.oneMinusNtkNormalized.eq(1)).toBe(true);
    // With σb > 0 the layer weight w < 1 enters: ρ^(2) = 1 − w exactly, no longer 0.
    const b = (await pairThroughDepthPrecise({ rho1: "-1", depth: 2, precision: 30, params: { sigmaB: "0.5" } })).points[0]!;
    expect(b.rho.gt(0)).toBe(true);
  });

  it("a value formed by cancellation (ρ^(2) ≈ 3e-34 from ρ1 = −1 + 1e-22) gets its guard digits raised and vouches all P digits", async () => {
    const rc = fixture.cases.find((c) => c.rho1 === "-0.9999999999999999999999")!;
    const r = await pairThroughDepthPrecise({ rho1: rc.rho1, depth: rc.depth, at: rc.at, precision: 30 });
    expect(r.vouchedBy).toMatch(/guard digits were raised once/);
    expect(r.workingPrecision).toBeGreaterThan(workingPrecision(30, rc.depth).upper);
    const p = r.points[1]!;
    expect(p.rho.lt("1e-33")).toBe(true);
    expect(p.digitsVouched.rho).toBe(30);
    expect(correctDigits(p.rho, refValue(rc.points[1]!, "rho"), 200)).toBeGreaterThanOrEqual(30);
  });

  it("ρ1 = 1 stays exactly 1 at every depth, with every digit vouched", async () => {
    const r = await pairThroughDepthPrecise({ rho1: 1, depth: 500, at: [1, 500], precision: 25 });
    for (const p of r.points) {
      expect(p.oneMinusRho.isZero() && p.oneMinusNtkNormalized.isZero() && p.theta.isZero()).toBe(true);
      expect(p.rho.eq(1) && p.ntkNormalized.eq(1)).toBe(true);
      expect(p.digitsVouched.rho).toBe(25);
    }
    expect(correctDigits(r.points[1]!.sigmaDiag!, new RefD(2).pow(-499), 100)).toBeGreaterThanOrEqual(25);
  });

  it("raw kernels far below the float64 range: Σ^(L)(x,x) = 2^{1−L}/n0 and Θ^(L)(x,x) = L 2^{1−L}/n0 exactly in the paper's case", async () => {
    const r = await pairThroughDepthPrecise({ rho1: "0.1", depth: 5000, precision: 20, inputDim: 7 });
    const p = r.points[0]!;
    const D = preciseDecimal(60);
    expect(correctDigits(p.sigmaDiag!, new D(2).pow(-4999).div(7), 60)).toBeGreaterThanOrEqual(20);
    expect(correctDigits(p.ntkDiag!, new D(2).pow(-4999).times(5000).div(7), 60)).toBeGreaterThanOrEqual(20);
    expect(p.sigma!.e).toBeLessThan(-1500);
  });

  it("vouched digits are correct against the textbook loop at 90 digits, never exceed P, and the state stays in its domain (fast-check)", async () => {
    const T = preciseDecimal(90);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 30 }), fc.constantFrom(20, 33), async (r1000, depth, precision) => {
        const rho1 = (r1000 / 1000).toString();
        const r = await pairThroughDepthPrecise({ rho1, depth, at: [1, depth], precision });
        // The textbook ρ-form at 90 digits loses at most ~log10(1/(1 − ρ)) ≤ 4 digits here: a reference to > 80.
        const tb = textbookPairLoop(T, new T(rho1), depth, [...new Set([1, depth])], new T(1), new T(0), 1);
        let prevEps: Decimal | undefined;
        r.points.forEach((p, i) => {
          const ref = tb[i]!;
          const checks: [Decimal, Decimal, number][] = [
            [p.rho, ref.rho, p.digitsVouched.rho],
            [p.ntkNormalized, ref.ntkNormalized, p.digitsVouched.ntkNormalized],
            [p.oneMinusRho, new T(1).minus(ref.rho), p.digitsVouched.oneMinusRho],
            [p.oneMinusNtkNormalized, new T(1).minus(ref.ntkNormalized), p.digitsVouched.oneMinusNtkNormalized],
          ];
          for (const [got, want, vouched] of checks) {
            // An exact 0 (ρ^(2) at ρ1 = −1; 1 − ρ and 1 − Θ̄ at ρ1 = 1) is not resolved by the reference: its
            // √(1 − ρ²) at ρ = 1 keeps only ~45 of the 90 digits (1 − Θ̄^(3) = 4e-46 there instead of 0). Every
            // other complement here is above 1e-6 (1 − ρ1 ≥ 1e-3, depth ≤ 30).
            if (want.abs().lt("1e-40")) continue;
            expect(correctDigits(got, want, 80)).toBeGreaterThanOrEqual(vouched);
          }
        });
        for (const p of r.points) {
          for (const k of VOUCHED) expect(p.digitsVouched[k]).toBeLessThanOrEqual(precision);
          expect(p.oneMinusRho.gte(0) && p.oneMinusRho.lte(2)).toBe(true);
          expect(p.theta.gte(0) && p.theta.lte(3.1416)).toBe(true);
          if (prevEps) expect(p.oneMinusRho.lte(prevEps)).toBe(true); // ρ increases with depth
          prevEps = p.oneMinusRho;
        }
      }),
      // The ends ρ1 = ±1 always, beside the random draws (ρ1 = 1 once failed on the reference, see above).
      {
        numRuns: 30,
        examples: [
          [1000, 3, 20],
          [-1000, 3, 20],
        ],
      },
    );
  });

  it("reports progress to completion and stops on abort", async () => {
    const calls: [number, number][] = [];
    await pairThroughDepthPrecise({ rho1: "0.5", depth: 3000, precision: 20, method: "direct", onProgress: (d, t) => calls.push([d, t]) });
    expect(calls.at(-1)).toEqual([6000, 6000]);
    const ac = new AbortController();
    const run = pairThroughDepthPrecise({ rho1: "0.5", depth: 10_000_000, precision: 20, method: "direct", signal: ac.signal, maxSeconds: Infinity });
    setTimeout(() => ac.abort(), 30);
    await expectCode(run, "ABORTED");
  });

  it("pairThroughDepth: one entry point, precision is one option; the two paths agree to float64 accuracy", async () => {
    const at = [1, 100, 1000]; // Σ(x,x) = 2^−999 at L = 1000 is still a normal float64
    const hi = await pairThroughDepth({ rho1: "0.9999999", depth: 1000, at, precision: 25 });
    const lo = await pairThroughDepth({ rho1: "0.9999999", depth: 1000, at });
    expect(hi.precision).toBe(25);
    expect([hi.method, lo.method]).toEqual(["direct", "direct"]);
    hi.points.forEach((p, i) => {
      const q = lo.points[i]!;
      expect(correctDigits(q.oneMinusRho, p.oneMinusRho, 17)).toBeGreaterThanOrEqual(12);
      expect(correctDigits(q.ntkNormalized, p.ntkNormalized, 17)).toBeGreaterThanOrEqual(12);
      expect(correctDigits(q.sigmaDiag * 2 ** q.log2Scale, p.sigmaDiag!, 17)).toBeGreaterThanOrEqual(15);
    });
  });

  it("rejects bad input with the shared codes", async () => {
    await expectCode(pairThroughDepthPrecise({ rho1: "0.5", depth: 10, precision: 10 }), "BAD_PRECISION");
    await expectCode(pairThroughDepthPrecise({ rho1: "1.5", depth: 10, precision: 20 }), "BAD_RHO");
    await expectCode(pairThroughDepthPrecise({ rho1: "0.5", depth: 0, precision: 20 }), "BAD_DEPTH");
    await expectCode(pairThroughDepthPrecise({ rho1: "0.5", depth: 10, at: [11], precision: 20 }), "BAD_DEPTH");
    await expectCode(pairThroughDepthPrecise({ rho1: "0.5", depth: 10, precision: 20, inputDim: 0 }), "BAD_OPTION");
    await expectCode(pairThroughDepthPrecise({ rho1: "0.5", depth: 10, precision: 20, params: { sigmaW: 0 } }), "BAD_SIGMA_W");
    await expectCode(pairThroughDepthPrecise({ rho1: "abc", depth: 10, precision: 20 }), "NOT_A_NUMBER");
  });
});
