import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decimal } from "decimal.js";
import {
  analyzeMatrixPrecise,
  determinantDigitsVouched,
  findIdenticalRows,
  preciseDeterminant,
  luAnalysisPrecise,
  luFactorPrecise,
  solvePrecise,
} from "../src/linalg/preciseLu.js";
import { preciseDecimal } from "../src/precise/precision.js";
import { correctDigits } from "../src/digits.js";
import fixture from "./fixtures/precise_linalg.json" with { type: "json" };
import { codeOf, errorOf } from "./support/errors.js";

const dec = (xs: readonly string[]): Decimal[] => xs.map((x) => new Decimal(x));

const regular = fixture.lu.filter((c) => c.det !== "0");

describe("det and log10|det| against 250-digit mpmath: vouched digits are correct", () => {
  for (const c of regular) {
    for (const precision of [20, 40, 100]) {
      it(`${c.name} at ${precision} digits`, () => {
        const r = analyzeMatrixPrecise(dec(c.a), c.n, precision);
        const det = correctDigits(r.det, new Decimal(c.det), precision);
        const log = correctDigits(r.log10AbsDet!, new Decimal(c.log10AbsDet!), precision);
        expect(r.digitsVouched.det).toBeLessThanOrEqual(det);
        expect(r.digitsVouched.log10AbsDet).toBeLessThanOrEqual(log);
        // Entries are exact: guard digits are added for the conditioning, so (nearly) all digits are vouched.
        expect(r.digitsVouched.det).toBeGreaterThanOrEqual(precision - 2);
        expect(r.digitsVouched.log10AbsDet).toBeGreaterThanOrEqual(precision - 2);
        expect(r.signDet).toBe(new Decimal(c.det).isNeg() ? -1 : 1);
        expect(r.precision).toBe(precision);
        expect(r.vouchedBy).toMatch(/computed twice/);
      });
    }
  }
});

describe("solve and κ1 against mpmath", () => {
  for (const c of regular) {
    it(`${c.name}: X = A⁻¹B for two right-hand sides at 60 digits, error about κ1·10^(1−p)`, () => {
      const D = preciseDecimal(60);
      const x = solvePrecise(D, dec(c.a), c.n, dec(c.b!), 2);
      const lost = Math.ceil(Math.log10(Number(c.kappa1)));
      x.forEach((v, i) => expect(correctDigits(v, new Decimal(c.x![i]), 60)).toBeGreaterThanOrEqual(60 - lost - 3));
      const a = luAnalysisPrecise(D, dec(c.a), c.n);
      expect(correctDigits(a.conditionNumber!, new Decimal(c.kappa1!), 60)).toBeGreaterThanOrEqual(60 - lost - 3);
      expect(a.log10Condition).toBeCloseTo(Math.log10(Number(c.kappa1)), 10);
    });
  }
});

describe("singular matrices", () => {
  const c = fixture.lu.find((x) => x.det === "0")!;
  it("identical rows: an exact zero pivot, det 0 with sign 0, no log, no κ1, all digits of 0 vouched", () => {
    const r = analyzeMatrixPrecise(dec(c.a), c.n, 30);
    expect(r.singular).toBe(true);
    expect(r.det.isZero()).toBe(true);
    expect(r.signDet).toBe(0);
    expect(r.log10AbsDet).toBeNull();
    expect(r.conditionNumber).toBeNull();
    expect(r.log10Condition).toBe(Infinity);
    expect(r.digitsVouched.det).toBe(30);
  });
  it("SINGULAR_MATRIX in solve names the identical rows (1-based in the message, 0-based in details)", () => {
    const e = errorOf(() => solvePrecise(preciseDecimal(30), dec(c.a), c.n, dec(["1", "2", "3"]), 1));
    expect(e.code).toBe("SINGULAR_MATRIX");
    expect(e.message).toMatch(/rows 1 and 3 \(1-based\) are identical/);
    expect(e.details.identicalRows).toEqual({ first: 0, second: 2 });
  });
  it("a singular matrix without identical rows names the column", () => {
    const a = dec(["1", "2", "3", "2", "4", "6", "1", "0", "1"]);
    expect(findIdenticalRows(a, 3)).toBeNull();
    const e = errorOf(() => solvePrecise(preciseDecimal(25), a, 3, dec(["1", "1", "1"]), 1));
    expect(e.code).toBe("SINGULAR_MATRIX");
    expect(e.details.identicalRows).toBeNull();
    expect(e.message).toMatch(/column 2 has no nonzero pivot/);
  });
  it("a det that is nearly rounding noise is vouched for no more digits than it has", () => {
    // Row 2 is 1/3 of row 1 up to the 30-digit rounding of its entries: det ≈ 1e-31, and LU at
    // 25 digits sees only noise of that rounding. The 200-digit det of the same entries is exact enough.
    const D = preciseDecimal(30);
    const third = new D(1).div(3);
    const a = [new D(1), third, third.times(2), third, third.times(third), third.times(third).times(2), new D(2), new D(0.5), new D(1.25)];
    const at = (digits: number) => preciseDeterminant(preciseDecimal(digits), luFactorPrecise(preciseDecimal(digits), a, 3));
    const reference = at(200).det;
    for (const [lo, hi] of [
      [25, 31],
      [40, 46],
      [60, 66],
    ]) {
      const upper = at(hi);
      const vouched = determinantDigitsVouched(at(lo), upper, lo);
      expect(vouched.det).toBeLessThanOrEqual(correctDigits(upper.det, reference, lo));
    }
    expect(determinantDigitsVouched(at(25), at(31), 25).det).toBeLessThan(3);
  });
  it("one run exactly singular and the other not vouches nothing", () => {
    const upper = { det: new Decimal("1e-40"), log10AbsDet: new Decimal(-40), signDet: 1 as const };
    expect(determinantDigitsVouched({ det: new Decimal(0), log10AbsDet: null, signDet: 0 }, upper, 25)).toEqual({ det: 0, log10AbsDet: 0 });
  });
});

describe("properties", () => {
  const entry = fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.integer({ min: -6, max: 2 })).map(([m, e]) => `${m}e${e}`);
  it("det of a triangular matrix of decimal text is the exact product of its diagonal (digits permitting)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(entry, { minLength: 36, maxLength: 36 }), (n, vals) => {
        const a = Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) <= k % n ? new Decimal(vals[k]) : new Decimal(0)));
        const r = analyzeMatrixPrecise(a, n, 40);
        let exact = new (Decimal.clone({ precision: 1000 }))(1);
        for (let i = 0; i < n; i++) exact = exact.times(a[i * n + i]);
        if (exact.isZero()) expect(r.signDet).toBe(0);
        else expect(correctDigits(r.det, exact, 40)).toBeGreaterThanOrEqual(r.digitsVouched.det);
      }),
      { numRuns: 60 },
    );
  });
  it("a solve is backward stable: ‖A x − b‖∞ ≤ n·2^(n−1)·10^(1−p)·(‖A‖∞‖x‖∞ + ‖b‖∞)", () => {
    // Partial pivoting's growth factor is at most 2^(n−1) (Wilkinson); the bound is norm-wise
    // because a row far smaller than the others may carry a residual set by the large rows.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(entry, { minLength: 30, maxLength: 30 }), (n, vals) => {
        const D = preciseDecimal(40);
        const a = vals.slice(0, n * n).map((v) => new D(v));
        const b = vals.slice(25, 25 + n).map((v) => new D(v));
        fc.pre(!luAnalysisPrecise(D, a, n).singular);
        const x = solvePrecise(D, a, n, b, 1);
        const W = preciseDecimal(80);
        let residual = new W(0);
        let normA = new W(0);
        let normB = new W(0);
        for (let i = 0; i < n; i++) {
          let r = new W(b[i]).neg();
          let row = new W(0);
          for (let j = 0; j < n; j++) {
            r = r.plus(new W(a[i * n + j]).times(x[j]));
            row = row.plus(new W(a[i * n + j]).abs());
          }
          residual = W.max(residual, r.abs());
          normA = W.max(normA, row);
          normB = W.max(normB, new W(b[i]).abs());
        }
        const normX = W.max(...x.map((v) => new W(v).abs()));
        const bound = normA
          .times(normX)
          .plus(normB)
          .times(n * 2 ** (n - 1))
          .times(new W(10).pow(1 - 40));
        expect(residual.lte(bound), `residual ${residual.toExponential(3)} > bound ${bound.toExponential(3)}`).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe("errors", () => {
  const D = preciseDecimal(25);
  it("BAD_PRECISION below 20, above 1000, or not an integer", () => {
    for (const p of [19, 1001, 20.5]) expect(codeOf(() => analyzeMatrixPrecise(dec(["1"]), 1, p))).toBe("BAD_PRECISION");
  });
  it("DIMENSION_MISMATCH for a wrong entry count or order, and for a wrong right-hand side", () => {
    expect(codeOf(() => luFactorPrecise(D, dec(["1", "2", "3"]), 2))).toBe("DIMENSION_MISMATCH");
    expect(codeOf(() => luFactorPrecise(D, dec(["1"]), 0))).toBe("DIMENSION_MISMATCH");
    expect(codeOf(() => solvePrecise(D, dec(["1", "0", "0", "1"]), 2, dec(["1", "2", "3"]), 1))).toBe("DIMENSION_MISMATCH");
  });
  it("NON_FINITE for a NaN or infinite entry, naming it", () => {
    const e = errorOf(() => luFactorPrecise(D, [new Decimal(1), new Decimal(NaN), new Decimal(0), new Decimal(1)], 2));
    expect(e.code).toBe("NON_FINITE");
    expect(e.details).toEqual({ row: 0, col: 1 });
  });
});
