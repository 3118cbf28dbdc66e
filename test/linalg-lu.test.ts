import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { analyzeMatrixFloat64, determinantFromFactors, FLOAT64_DIGITS, luFactorFloat64 } from "../src/linalg/lu.js";
import { plainLuFactor } from "../src/linalg/plainLu.js";
import fixture from "./fixtures/linalg.json" with { type: "json" };
import { expectCode } from "./support/errors.js";
import { seededUniform } from "../src/data/randomData.js";

const U = 2 ** -53;

interface Case {
  name: string;
  n: number;
  a: string[];
  det: string;
  signDet: number;
  log10AbsDet: string | null;
  rhsColumns?: number;
  b?: string[];
  x?: string[];
  kappa1?: string;
}
const cases = fixture.cases as Case[];

function randomMatrix(n: number, seed: number): Float64Array {
  const r = seededUniform(seed);
  return Float64Array.from({ length: n * n }, () => 2 * r() - 1);
}

function matmul(a: ArrayLike<number>, b: ArrayLike<number>, n: number, k: number): Float64Array {
  const c = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let p = 0; p < n; p++) for (let j = 0; j < k; j++) c[i * k + j] += a[i * n + p] * b[p * k + j];
  return c;
}

describe.each(["simd", "scalar"] as const)("LU in the %s WebAssembly build against mpmath (50 digits)", (variant) => {
  for (const c of cases) {
    it(c.name, async () => {
      const a = c.a.map(Number);
      const n = c.n;
      const lu = await luFactorFloat64(a, n, { variant });
      const analysis = await analyzeMatrixFloat64(a, n, { variant });
      expect(analysis.signDet).toBe(c.signDet);
      if (c.signDet === 0) {
        expect(analysis).toMatchObject({
          det: 0,
          log10AbsDet: -Infinity,
          singular: true,
          conditionEstimate: Infinity,
          digitsLost: FLOAT64_DIGITS,
          digitsKept: 0,
        });
        await expectCode(() => lu.solve(new Float64Array(n)), "SINGULAR_MATRIX", /column \d+ has no nonzero pivot/);
        return;
      }
      const kappa = Number(c.kappa1);
      // det of the computed factors is det(A + δA) with ‖δA‖₁ ≲ n·u·growth·‖A‖₁, so its relative
      // error is ≤ ‖A⁻¹δA‖·n ≲ n²·κ1·u·growth; 10 absorbs the constants.
      const detTol = 10 * n * n * kappa * U * Math.max(1, analysis.pivotGrowth);
      expect(Math.abs(analysis.det / Number(c.det) - 1)).toBeLessThanOrEqual(detTol);
      expect(Math.abs(analysis.log10AbsDet - Number(c.log10AbsDet))).toBeLessThanOrEqual(detTol / Math.LN10 + 4 * U * Math.abs(analysis.log10AbsDet));
      // Forward error of a backward-stable solve: ‖x̂ − x‖∞ / ‖x‖∞ ≲ 10·n·κ1·u.
      const k = c.rhsColumns ?? 1;
      const x = lu.solve(c.b!.map(Number), k);
      const xRef = c.x!.map(Number);
      const xNorm = Math.max(...xRef.map(Math.abs));
      const err = Math.max(...xRef.map((v, i) => Math.abs(x[i] - v)));
      expect(err / xNorm).toBeLessThanOrEqual(10 * n * kappa * U);
      // The estimate is a lower bound on κ1 (up to its own rounding) and within a factor 10 of it.
      expect(analysis.conditionEstimate).toBeLessThanOrEqual(kappa * (1 + 1e-6));
      expect(analysis.conditionEstimate).toBeGreaterThanOrEqual(kappa / 10);
      expect(analysis.digitsLost).toBeCloseTo(Math.min(FLOAT64_DIGITS, Math.log10(analysis.conditionEstimate)), 12);
      expect(analysis.digitsKept).toBeGreaterThanOrEqual(0);
    });
  }

  it("factors a matrix larger than several panels like the plain TypeScript LU", async () => {
    const n = 131; // 2 full panels of 48 plus an edge panel; 131 − 48 is not a multiple of the 4-wide tile
    const a = randomMatrix(n, 7);
    const wasm = await luFactorFloat64(a, n, { variant });
    const plain = plainLuFactor(a, n);
    expect(Array.from(wasm.pivots)).toEqual(Array.from(plain.pivots));
    // Same pivots, different summation order: factors agree to a few n·u·max|U|.
    const maxU = Math.max(...plain.factors.map(Math.abs));
    const diff = Math.max(...wasm.factors.map((v, i) => Math.abs(v - plain.factors[i])));
    expect(diff).toBeLessThanOrEqual(10 * n * U * maxU);
    expect(wasm.determinant().log10AbsDet).toBeCloseTo(determinantFromFactors(plain).log10AbsDet, 10);
  });
});

describe("determinant outside the float64 range", () => {
  it("reports |det| below the float64 range as 0 only beside its log10", async () => {
    const a = [1e-200, 0, 0, 0, -1e-200, 0, 0, 0, 1e-200];
    const d = (await luFactorFloat64(a, 3)).determinant();
    expect(d.signDet).toBe(-1);
    expect(d.det).toBe(-0);
    expect(d.log10AbsDet).toBeCloseTo(-600, 12);
  });
  it("never lets a partial product underflow (pivots 1e-100 then 1e-300, a subnormal)", async () => {
    const d = (await luFactorFloat64([1e-100, 0, 0, 1e-300], 2)).determinant();
    expect(d).toMatchObject({ det: 0, signDet: 1 });
    expect(d.log10AbsDet).toBeCloseTo(-400, 12);
    const sub = (await luFactorFloat64([2 ** 600, 0, 0, 2 ** -1070], 2)).determinant();
    expect(sub.det).toBe(2 ** -470);
  });
  it("keeps a representable product exact even when partial products would overflow", async () => {
    const a = [1e200, 0, 0, 0, 1e200, 0, 0, 0, 1e-250];
    const d = (await luFactorFloat64(a, 3)).determinant();
    expect(d.det / 1e150).toBeCloseTo(1, 13);
    expect(d.log10AbsDet).toBeCloseTo(150, 12);
  });
  it("reports |det| above the float64 range as ±∞ beside its log10", async () => {
    const a = [0, 1e300, 1e300, 0];
    const d = (await luFactorFloat64(a, 2)).determinant();
    expect(d).toMatchObject({ det: -Infinity, signDet: -1 });
    expect(d.log10AbsDet).toBeCloseTo(600, 12);
  });
});

describe("pivot growth", () => {
  it("is 2^(n−1) for Wilkinson's worst case for partial pivoting", async () => {
    const n = 10;
    const a = Float64Array.from({ length: n * n }, (_, k) => {
      const i = Math.floor(k / n);
      const j = k % n;
      return i === j || j === n - 1 ? 1 : i > j ? -1 : 0;
    });
    expect((await luFactorFloat64(a, n)).pivotGrowth).toBe(2 ** (n - 1));
  });
});

describe("LU properties (fast-check)", () => {
  const small = fc
    .integer({ min: 1, max: 6 })
    .chain((n) =>
      fc.tuple(
        fc.constant(n),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n * n, maxLength: n * n }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n * n, maxLength: n * n }),
      ),
    );

  it("log10|det AB| = log10|det A| + log10|det B| within the conditioning bound", async () => {
    await fc.assert(
      fc.asyncProperty(small, async ([n, a, b]) => {
        const ab = matmul(a, b, n, n);
        const [ra, rb, rab] = await Promise.all([analyzeMatrixFloat64(a, n), analyzeMatrixFloat64(b, n), analyzeMatrixFloat64(ab, n)]);
        if (ra.singular || rb.singular || rab.singular) return;
        if (![ra, rb, rab].every((r) => Number.isFinite(r.conditionEstimate) && r.log10AbsDet > -250)) return;
        // Each det carries relative error ≲ n²·κ1·u·growth (κ1 ≤ 10 × estimate); forming AB in
        // float64 adds a perturbation of the same kind to det AB.
        const kappas = 10 * (ra.conditionEstimate + rb.conditionEstimate + 2 * rab.conditionEstimate);
        const tol = (10 * n * n * kappas * U * Math.max(ra.pivotGrowth, rb.pivotGrowth, rab.pivotGrowth, 1)) / Math.LN10 + 1e-13;
        expect(Math.abs(rab.log10AbsDet - ra.log10AbsDet - rb.log10AbsDet)).toBeLessThanOrEqual(tol);
        if (tol < 0.1) expect(rab.signDet).toBe(ra.signDet * rb.signDet);
      }),
      { numRuns: 200 },
    );
  });

  it("condition estimate is a lower bound on κ1 within a factor 10", async () => {
    await fc.assert(
      fc.asyncProperty(small, async ([n, a]) => {
        const m = Float64Array.from(a, (v, i) => (i % (n + 1) === 0 ? v + n / 2 : v));
        const lu = await luFactorFloat64(m, n);
        if (lu.singular) return;
        // κ1 from the explicit inverse (n solves with unit vectors); well within 1e-6 relative
        // when κ1 < 1e8, which the skip below ensures.
        const identity = Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0));
        const inv = lu.solve(identity, n);
        const kappa =
          lu.norm1 *
          Array.from({ length: n }, (_, j) => Array.from({ length: n }, (_, i) => Math.abs(inv[i * n + j])).reduce((s, v) => s + v, 0)).reduce(
            (s, v) => Math.max(s, v),
            0,
          );
        if (!(kappa < 1e8)) return;
        const est = lu.conditionEstimate();
        expect(est).toBeLessThanOrEqual(kappa * (1 + 1e-6));
        expect(est).toBeGreaterThanOrEqual(kappa / 10);
      }),
      { numRuns: 300 },
    );
  });

  it("solves diagonally dominant systems with a residual of a few n·u", async () => {
    await fc.assert(
      fc.asyncProperty(small, fc.integer({ min: 1, max: 3 }), async ([n, a, rhs], k) => {
        const m = Float64Array.from(a, (v, i) => (i % (n + 1) === 0 ? v + 2 * n : v));
        const b = Float64Array.from({ length: n * k }, (_, i) => rhs[i % rhs.length]);
        const x = (await luFactorFloat64(m, n)).solve(b, k);
        const r = matmul(m, x, n, k).map((v, i) => Math.abs(v - b[i]));
        const normA = Math.max(...Array.from({ length: n }, (_, i) => m.subarray(i * n, (i + 1) * n).reduce((s, v) => s + Math.abs(v), 0)));
        // Higham's normwise residual bound, plus the underflow term for subnormal inputs.
        const bound = 10 * n * U * (normA * Math.max(...x.map(Math.abs)) + Math.max(...b.map(Math.abs))) + 10 * n * Number.MIN_VALUE;
        expect(Math.max(...r)).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 200 },
    );
  });
});

describe("LU errors", () => {
  it("rejects a non-square or mis-sized matrix (DIMENSION_MISMATCH)", async () => {
    await expectCode(() => luFactorFloat64([1, 2, 3], 2), "DIMENSION_MISMATCH", /needs 4 entries/);
    await expectCode(() => luFactorFloat64([], 0), "DIMENSION_MISMATCH", /positive integer/);
    await expectCode(() => plainLuFactor([1, 2], 1.5), "DIMENSION_MISMATCH", /positive integer/);
  });
  it("rejects right-hand sides of the wrong size (DIMENSION_MISMATCH)", async () => {
    const lu = await luFactorFloat64([2, 1, 1, 3], 2);
    await expectCode(() => lu.solve([1, 2, 3]), "DIMENSION_MISMATCH", /2 × 1 values/);
    await expectCode(() => lu.solve([1, 2, 3], 2), "DIMENSION_MISMATCH", /2 × 2 values/);
  });
  it("names the first non-finite entry (NON_FINITE)", async () => {
    await expectCode(() => luFactorFloat64([1, 2, NaN, 4], 2), "NON_FINITE", /Entry \(1, 0\).*NaN/);
    await expectCode(() => plainLuFactor([1, Infinity, 0, 4], 2), "NON_FINITE", /Entry \(0, 1\)/);
    const lu = await luFactorFloat64([2, 1, 1, 3], 2);
    await expectCode(() => lu.solve([1, -Infinity]), "NON_FINITE", /right-hand side/);
  });
  it("throws SINGULAR_MATRIX naming the column of the zero pivot", async () => {
    const lu = await luFactorFloat64([1, 2, 3, 2, 4, 6, 1, 0, 1], 3);
    expect(lu.singular).toBe(true);
    await expectCode(() => lu.solve([1, 1, 1]), "SINGULAR_MATRIX", /column 2 has no nonzero pivot/);
  });
  it("says which order fits when the matrix cannot fit in WebAssembly memory (WASM_MEMORY_EXHAUSTED)", async () => {
    const n = 24000; // 4.6 GB of float64, beyond the 4 GiB WebAssembly memory
    const huge = { length: n * n } as ArrayLike<number>;
    await expectCode(() => luFactorFloat64(huge, n), "WASM_MEMORY_EXHAUSTED", /At most n = \d{5} fits/);
  });
});
