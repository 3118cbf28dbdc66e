import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decimal } from "decimal.js";
import { symmetricEigenPrecise } from "../src/linalg/preciseEigen.js";
import { exactBinaryDecimal } from "../src/decimalText.js";
import { isNtkError } from "../src/errors.js";
import fixture from "./fixtures/linalg.json" with { type: "json" };

interface Case {
  name: string;
  n: number;
  a: string[];
  eigenvalues?: string[];
}
const symmetric = (fixture.cases as Case[]).filter((c) => c.eigenvalues);

/** max over entries of |A V − V Λ| and |VᵀV − I|, at 120 digits. */
function residuals(a: readonly Decimal[], values: Decimal[], vectors: Decimal[], n: number): { eig: Decimal; orth: Decimal } {
  const R = Decimal.clone({ precision: 120 });
  let eig = new R(0);
  let orth = new R(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let av = new R(0);
      let vv = new R(0);
      for (let p = 0; p < n; p++) {
        av = av.plus(new R(a[i * n + p]).times(vectors[p * n + j]));
        vv = vv.plus(new R(vectors[p * n + i]).times(vectors[p * n + j]));
      }
      eig = R.max(eig, av.minus(new R(vectors[i * n + j]).times(values[j])).abs());
      orth = R.max(orth, vv.minus(i === j ? 1 : 0).abs());
    }
  }
  return { eig, orth };
}

describe("symmetricEigenPrecise against mpmath eigenvalues (linalg.json, 30 digits)", () => {
  for (const c of symmetric) {
    it(`${c.name} at 50 digits`, async () => {
      const D = Decimal.clone({ precision: 50 });
      const a = c.a.map((x) => new D(exactBinaryDecimal(Number(x), "entry")));
      const r = await symmetricEigenPrecise(D, a, c.n);
      const norm = a.reduce((s, x) => Decimal.max(s, x.abs()), new Decimal(0)).times(c.n);
      // Backward stable: |λ̂ − λ| ≲ n·10^(1−p)·‖A‖; the reference has 30 digits.
      r.values.forEach((v, i) => {
        const ref = new D(c.eigenvalues![i]);
        expect(
          v
            .minus(ref)
            .abs()
            .lte(Decimal.max(ref.abs().times("1e-29"), norm.times("1e-45"))),
        ).toBe(true);
      });
      const { eig, orth } = residuals(a, r.values, r.vectors, c.n);
      expect(eig.lte(norm.times("1e-47"))).toBe(true);
      expect(orth.lte(new Decimal("1e-47"))).toBe(true);
      for (let i = 1; i < c.n; i++) expect(r.values[i].gte(r.values[i - 1])).toBe(true);
    });
  }

  it("resolves eigenvalues far below float64 resolution (Hilbert 10 at 80 digits)", async () => {
    const c = symmetric.find((x) => x.name === "Hilbert 10")!;
    const D = Decimal.clone({ precision: 80 });
    const r = await symmetricEigenPrecise(
      D,
      c.a.map((x) => new D(exactBinaryDecimal(Number(x), "entry"))),
      c.n,
    );
    // λ_min ≈ 1.1e-13: float64 eigen gets it to ~3 digits, this to all 30 of the reference.
    expect(r.values[0].minus(c.eigenvalues![0]).abs().div(c.eigenvalues![0]).lt("1e-29")).toBe(true);
  });
});

describe("symmetricEigenPrecise: properties and errors", () => {
  it("reconstructs random symmetric matrices: A V = V Λ, VᵀV = I", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 36, maxLength: 36 }), async (n, raw) => {
        const D = Decimal.clone({ precision: 40 });
        const a: Decimal[] = new Array(n * n);
        for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = new D(raw[i * 6 + j]).div(7);
        const r = await symmetricEigenPrecise(D, a, n);
        const { eig, orth } = residuals(a, r.values, r.vectors, n);
        expect(eig.lte(new Decimal("1e-34"))).toBe(true);
        expect(orth.lte(new Decimal("1e-37"))).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it("handles matrices far outside the float64 range (the float64 head start works on the scaled matrix)", async () => {
    const D = Decimal.clone({ precision: 40, minE: -9e15, maxE: 9e15 });
    const c = symmetric.find((x) => x.name === "Hilbert 6")!;
    const tiny = new D("1e-500");
    const r = await symmetricEigenPrecise(
      D,
      c.a.map((x) => new D(exactBinaryDecimal(Number(x), "entry")).times(tiny)),
      c.n,
    );
    r.values.forEach((v, i) => expect(v.div(tiny).minus(c.eigenvalues![i]).abs().div(c.eigenvalues![i]).lt("1e-22")).toBe(true));
  });

  it("throws DIMENSION_MISMATCH for a wrong entry count, NON_FINITE for a NaN entry and ABORTED through the signal", async () => {
    const D = Decimal.clone({ precision: 30 });
    const e1 = await symmetricEigenPrecise(D, [new D(1), new D(2)], 2).catch((e: unknown) => e);
    expect(isNtkError(e1, "DIMENSION_MISMATCH")).toBe(true);
    const e3 = await symmetricEigenPrecise(D, [new D(1), new D(NaN), new D(NaN), new D(1)], 2).catch((e: unknown) => e);
    expect(isNtkError(e3, "NON_FINITE")).toBe(true);
    const controller = new AbortController();
    controller.abort();
    const e2 = await symmetricEigenPrecise(D, [new D(1), new D(2), new D(2), new D(1)], 2, { signal: controller.signal }).catch((e: unknown) => e);
    expect(isNtkError(e2, "ABORTED")).toBe(true);
  });
});
