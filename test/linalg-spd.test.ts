import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { choleskyFactor } from "../src/linalg/cholesky.js";
import { symmetricEigenFloat64 } from "../src/linalg/eigen.js";
import { isNtkError, type NtkErrorCode } from "../src/errors.js";
import fixture from "./fixtures/linalg.json" with { type: "json" };

const U = 2 ** -53;

interface Case {
  name: string;
  n: number;
  a: string[];
  log10AbsDet: string | null;
  signDet: number;
  rhsColumns?: number;
  b?: string[];
  x?: string[];
  kappa1?: string;
  eigenvalues?: string[];
}
const symmetric = (fixture.cases as Case[]).filter((c) => c.eigenvalues);

/** ‖a‖_F, scaled so that squares of tiny entries do not underflow. */
function frobenius(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  if (m === 0) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] / m) ** 2;
  return m * Math.sqrt(s);
}

function randomSymmetric(n: number, seed: number): Float64Array {
  let s = seed;
  const next = (): number => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = 2 * next() - 1;
  return a;
}

async function expectCode(f: () => unknown, code: NtkErrorCode, message: RegExp): Promise<void> {
  let e: unknown;
  try {
    await f();
  } catch (x) {
    e = x;
  }
  expect(isNtkError(e, code), `expected ${code}, got ${String(e)}`).toBe(true);
  expect((e as Error).message).toMatch(message);
}

/** Largest |(A V − V Λ)_ij| and |(VᵀV − I)_ij|. */
function eigenDefects(a: ArrayLike<number>, n: number, values: Float64Array, vectors: Float64Array): { residual: number; orthogonality: number } {
  let residual = 0;
  let orthogonality = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += a[i * n + p] * vectors[p * n + j];
      residual = Math.max(residual, Math.abs(s - values[j] * vectors[i * n + j]));
    }
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += vectors[p * n + j] * vectors[p * n + k];
      orthogonality = Math.max(orthogonality, Math.abs(s - (j === k ? 1 : 0)));
    }
  }
  return { residual, orthogonality };
}

describe.each(["simd", "scalar"] as const)("symmetric eigendecomposition, %s build", (variant) => {
  for (const c of symmetric) {
    it(`${c.name}: eigenvalues within 10·n·u·‖A‖_F of mpmath's, small residual, orthonormal vectors`, async () => {
      const a = c.a.map(Number);
      const n = c.n;
      const { values, vectors } = await symmetricEigenFloat64(a, n, { variant });
      const norm = frobenius(a);
      // Backward stability: |λ̂_i − λ_i| ≤ ‖δA‖₂ ≲ c·n·u·‖A‖; c = 10.
      const tol = 10 * n * U * norm;
      c.eigenvalues!.forEach((v, i) => expect(Math.abs(values[i] - Number(v))).toBeLessThanOrEqual(tol));
      const d = eigenDefects(a, n, values, vectors);
      expect(d.residual).toBeLessThanOrEqual(tol);
      expect(d.orthogonality).toBeLessThanOrEqual(10 * n * U);
    });
  }

  it("diagonalizes a 70 × 70 random symmetric matrix (residual and orthogonality ≲ 10·n·u)", async () => {
    const n = 70;
    const a = randomSymmetric(n, 12345);
    const { values, vectors, qrSteps } = await symmetricEigenFloat64(a, n, { variant });
    expect(qrSteps).toBeLessThanOrEqual(4 * n);
    for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
    let trace = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i];
    const d = eigenDefects(a, n, values, vectors);
    expect(d.residual).toBeLessThanOrEqual(10 * n * U * frobenius(a));
    expect(d.orthogonality).toBeLessThanOrEqual(10 * n * U);
    expect(Math.abs(values.reduce((s, v) => s + v, 0) - trace)).toBeLessThanOrEqual(10 * n * U * frobenius(a));
  });

  it("handles exact zeros, a 1 × 1 matrix and repeated eigenvalues", async () => {
    expect(Array.from((await symmetricEigenFloat64([5], 1, { variant })).values)).toEqual([5]);
    const r = await symmetricEigenFloat64([2, 0, 0, 0, 2, 0, 0, 0, -1], 3, { variant });
    expect(Array.from(r.values)).toEqual([-1, 2, 2]);
    expect(r.qrSteps).toBe(0);
  });
});

describe("symmetric eigendecomposition properties (fast-check)", () => {
  it("V diag(λ) Vᵀ reproduces any symmetric matrix, V orthonormal, λ ascending, Σλ = trace", async () => {
    const symmetricMatrix = fc
      .integer({ min: 1, max: 9 })
      .chain((n) => fc.tuple(fc.constant(n), fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n * n, maxLength: n * n })));
    await fc.assert(
      fc.asyncProperty(symmetricMatrix, async ([n, raw]) => {
        const a = Float64Array.from(raw, (v, k) => (Math.floor(k / n) <= k % n ? v : raw[(k % n) * n + Math.floor(k / n)]));
        const { values, vectors } = await symmetricEigenFloat64(a, n);
        // Backward error bound plus the documented absolute term from deflating subnormal e_i.
        const tol = 10 * n * U * frobenius(a) + 10 * n * 2.2250738585072014e-308;
        const d = eigenDefects(a, n, values, vectors);
        expect(d.residual).toBeLessThanOrEqual(tol);
        expect(d.orthogonality).toBeLessThanOrEqual(10 * n * U);
        for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
        let trace = 0;
        for (let i = 0; i < n; i++) trace += a[i * n + i];
        expect(Math.abs(values.reduce((s, v) => s + v, 0) - trace)).toBeLessThanOrEqual(tol);
      }),
      { numRuns: 300 },
    );
  });
});

describe.each(["simd", "scalar"] as const)("Cholesky, %s build", (variant) => {
  for (const c of symmetric.filter((c) => c.eigenvalues!.every((v) => Number(v) > 0))) {
    it(`${c.name}: log10 det and solve within the κ·u bounds`, async () => {
      const a = c.a.map(Number);
      const n = c.n;
      const ch = await choleskyFactor(a, n, { variant });
      const kappa = Number(c.kappa1); // κ2 ≤ κ1 for symmetric matrices
      // Relative error of det ≲ n²·κ·u (as for LU, without pivot growth), 10 absorbs constants.
      expect(Math.abs(ch.log10Det() - Number(c.log10AbsDet))).toBeLessThanOrEqual((10 * n * n * kappa * U) / Math.LN10);
      const k = c.rhsColumns ?? 1;
      const x = ch.solve(c.b!.map(Number), k);
      const xRef = c.x!.map(Number);
      const xNorm = Math.max(...xRef.map(Math.abs));
      const err = Math.max(...xRef.map((v, i) => Math.abs(x[i] - v)));
      expect(err / xNorm).toBeLessThanOrEqual(10 * n * kappa * U);
      // L Lᵀ reproduces A to n·u·‖A‖.
      const L = ch.lower;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < n; p++) s += L[i * n + p] * L[j * n + p];
          expect(Math.abs(s - a[i * n + j])).toBeLessThanOrEqual(10 * n * U * frobenius(a));
        }
      }
    });
  }
});

describe("Cholesky and eigen errors", () => {
  it("reports the first non-positive pivot (NOT_POSITIVE_DEFINITE)", async () => {
    const indefinite = symmetric.find((c) => c.eigenvalues!.some((v) => Number(v) < 0))!;
    await expectCode(() => choleskyFactor(indefinite.a.map(Number), indefinite.n), "NOT_POSITIVE_DEFINITE", /pivot of column \d+ is not positive/);
    // Two equal points give two equal rows of a Gram matrix: the pivot of the second one is 0.
    await expectCode(() => choleskyFactor([1, 0.5, 1, 0.5, 1, 0.5, 1, 0.5, 1], 3), "NOT_POSITIVE_DEFINITE", /column 2/);
  });
  it("rejects mis-sized input, non-finite entries, bad options, and right-hand sides of the wrong size", async () => {
    await expectCode(() => choleskyFactor([1, 2, 3], 2), "DIMENSION_MISMATCH", /needs 4 entries/);
    await expectCode(() => symmetricEigenFloat64([1, 2, 3], 2), "DIMENSION_MISMATCH", /needs 4 entries/);
    await expectCode(() => choleskyFactor([1, NaN, NaN, 1], 2), "NON_FINITE", /Entry \(0, 1\)/);
    await expectCode(() => symmetricEigenFloat64([1, 0, 0, Infinity], 2), "NON_FINITE", /Entry \(1, 1\)/);
    await expectCode(() => symmetricEigenFloat64([1], 1, { maxQrSteps: 0 }), "BAD_OPTION", /maxQrSteps/);
    const ch = await choleskyFactor([4, 1, 1, 3], 2);
    await expectCode(() => ch.solve([1, 2, 3]), "DIMENSION_MISMATCH", /2 × 1 values/);
    await expectCode(() => ch.solve([1, NaN]), "NON_FINITE", /right-hand side/);
  });
  it("stops with NO_CONVERGENCE when the QR steps run out", async () => {
    await expectCode(() => symmetricEigenFloat64(randomSymmetric(10, 7), 10, { maxQrSteps: 1 }), "NO_CONVERGENCE", /did not converge in 1 steps/);
  });
  it("says which order fits when memory is exhausted (WASM_MEMORY_EXHAUSTED)", async () => {
    const n = 24000; // 4.6 GB of float64, beyond the 4 GiB WebAssembly memory
    const huge = { length: n * n } as ArrayLike<number>;
    await expectCode(() => choleskyFactor(huge, n), "WASM_MEMORY_EXHAUSTED", /At most n = \d{5} fits/);
    await expectCode(() => symmetricEigenFloat64(huge, n), "WASM_MEMORY_EXHAUSTED", /At most n = \d{5} fits/);
  });
});

describe.each(["simd", "scalar"] as const)("blocked Cholesky across panels and blocks, %s build", (variant) => {
  // Orders crossing the sub-panel width 48, the solve's row blocks of 64, the update blocks of 128
  // and the panel width 192 (test/cholesky-blocked.test.ts has more, and the threads).
  it.each([49, 130, 300])("n = %i: L Lᵀ = A and A x = b to rounding, log10 det equal to the eigenvalues' sum", async (n) => {
    let seed = n;
    const next = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32 - 0.5;
    };
    const g = Float64Array.from({ length: n * n }, next);
    // Exactly symmetric positive definite, condition number of order 10.
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = g[i * n + j] + g[j * n + i] + (i === j ? Math.sqrt(n) * 2 : 0);
    const k = 70;
    const b = Float64Array.from({ length: n * k }, next);
    const ch = await choleskyFactor(a, n, { variant, threads: 1 });
    const norm = frobenius(a);
    const L = ch.lower;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let p = 0; p <= j; p++) s += L[i * n + p] * L[j * n + p];
        worst = Math.max(worst, Math.abs(s - a[i * n + j]));
      }
    }
    expect(worst).toBeLessThanOrEqual(10 * n * U * norm);
    const x = ch.solve(b, k);
    let residual = 0;
    let xMax = 0;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) {
        let s = -b[i * k + c];
        for (let j = 0; j < n; j++) s += a[i * n + j] * x[j * k + c];
        residual = Math.max(residual, Math.abs(s));
        xMax = Math.max(xMax, Math.abs(x[i * k + c]));
      }
    }
    expect(residual).toBeLessThanOrEqual(10 * n * U * norm * xMax);
    const { values } = await symmetricEigenFloat64(a, n, { variant });
    const fromEigen = values.reduce((s, v) => s + Math.log10(v), 0);
    expect(Math.abs(ch.log10Det() - fromEigen)).toBeLessThanOrEqual((100 * n * n * U) / Math.LN10);
  });
});
