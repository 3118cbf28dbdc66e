// The one matrix-product kernel (assembly/gemm.ts) against a plain TypeScript product summed in the
// kernel's documented order: every entry α·(Σ_p A(i, p) B(p, j), p increasing, one accumulator) + β·C.
// The packed blocks, the carry of long sums through C, the in-place path for a long sum with β ≠ 0
// and the edge rows and columns must all give exactly those bits, in the SIMD and scalar builds;
// C's padding between rows must be left as it was (the whole buffer is compared).
import { describe, expect, it } from "vitest";
import { seededUniform } from "../src/data/randomData.js";
import { loadWasmEngine, type WasmEngine } from "../src/wasm/engine.js";

interface GemmExports {
  gemmStrided(
    c: number,
    ldc: number,
    a: number,
    rsA: number,
    csA: number,
    b: number,
    ldb: number,
    r: number,
    k: number,
    n: number,
    alpha: number,
    beta: number,
  ): void;
}

interface PanelExports {
  gemmPanels(c: number, a: number, b: number, r: number, k: number, n: number, alpha: number, beta: number): void;
}

interface Case {
  r: number;
  k: number;
  n: number;
  /** How A is stored: "rows" (row-major r × k), "transposed" (Aᵀ stored k × r, the backward pass's Wᵀ), "strided" (every second value of both). */
  layout: "rows" | "transposed" | "strided";
  alpha: number;
  beta: number;
}

function reference(
  a: Float64Array,
  rsA: number,
  csA: number,
  b: Float64Array,
  ldb: number,
  c0: Float64Array,
  ldc: number,
  { r, k, n, alpha, beta }: Case,
): Float64Array {
  const c = c0.slice();
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * rsA + p * csA]! * b[p * ldb + j]!;
      c[i * ldc + j] = beta === 0 ? alpha * s : alpha * s + beta * c0[i * ldc + j]!;
    }
  }
  return c;
}

function run(engine: WasmEngine, cs: Case, seed: number): { got: Float64Array; want: Float64Array } {
  const next = seededUniform(seed);
  const fill = (len: number) => Float64Array.from({ length: len }, () => next() - 0.5);
  // Padded strides, so that the kernel's strides are exercised apart from the shapes.
  const ldb = cs.n + 3;
  const ldc = cs.n + 5;
  const [rsA, csA] = cs.layout === "rows" ? [cs.k + 1, 1] : cs.layout === "transposed" ? [1, cs.r + 2] : [2, 2 * cs.r + 1];
  const a = fill(cs.layout === "rows" ? cs.r * rsA : cs.k * csA);
  const b = fill(cs.k * ldb);
  const c = fill(cs.r * ldc);
  const [pa, pb, pc] = engine.reserve([a.length, b.length, c.length]);
  engine.f64(pa!, a.length).set(a);
  engine.f64(pb!, b.length).set(b);
  engine.f64(pc!, c.length).set(c);
  (engine.exports as unknown as GemmExports).gemmStrided(pc!, ldc, pa!, rsA, csA, pb!, ldb, cs.r, cs.k, cs.n, cs.alpha, cs.beta);
  return { got: engine.f64(pc!, c.length).slice(), want: reference(a, rsA, csA, b, ldb, c, ldc, cs) };
}

const CASES: Case[] = [];
// k around the packed block of 64 summation indices of the strided products (one block, a carried second block, many),
// and shapes with edge rows and columns (n = 2: no full column tile at all).
for (const k of [1, 7, 64, 65, 600]) {
  for (const [r, n] of [
    [4, 4],
    [9, 18],
    [13, 37],
    [9, 2],
  ] as const) {
    for (const layout of ["rows", "transposed", "strided"] as const) {
      for (const [alpha, beta] of [
        [1, 0],
        [-0.75, 0],
        [-1, 1],
        [0.5, -2],
      ] as const) {
        CASES.push({ r, k, n, layout, alpha, beta });
      }
    }
  }
}

describe.each(["simd", "scalar"] as const)("gemm, %s build", (variant) => {
  it(`equals the plain product bit for bit (${CASES.length} shapes, strides and scalings)`, async () => {
    const engine = await loadWasmEngine(variant);
    CASES.forEach((cs, index) => {
      const { got, want } = run(engine, cs, 1000 + index);
      expect(got, JSON.stringify(cs)).toEqual(want);
    });
  });
});

// A in the panels the backward pass multiplies by (Wᵀ drawn by normalFillPanels): rows 4t … 4t + 3 in
// panel t, entry (q, p) at 4p + q, the last panel padded. The same sums as A read in place.
describe.each(["simd", "scalar"] as const)("gemmPanels, %s build", (variant) => {
  const shapes = CASES.filter((cs) => cs.layout === "transposed");
  it(`equals the plain product bit for bit (${shapes.length} shapes and scalings)`, async () => {
    const engine = await loadWasmEngine(variant);
    shapes.forEach((cs, index) => {
      const next = seededUniform(5000 + index);
      const fill = (len: number) => Float64Array.from({ length: len }, () => next() - 0.5);
      const { r, k, n } = cs;
      const a = fill(r * k);
      const b = fill(k * n);
      const c = fill(r * n);
      const panelValues = 4 * Math.ceil(r / 4) * k;
      const panels = new Float64Array(panelValues).fill(NaN);
      for (let i = 0; i < r; i++) for (let p = 0; p < k; p++) panels[4 * k * Math.floor(i / 4) + 4 * p + (i % 4)] = a[i * k + p]!;
      const [pa, pb, pc] = engine.reserve([panelValues, b.length, c.length]);
      engine.f64(pa!, panelValues).set(panels);
      engine.f64(pb!, b.length).set(b);
      engine.f64(pc!, c.length).set(c);
      (engine.exports as unknown as PanelExports).gemmPanels(pc!, pa!, pb!, r, k, n, cs.alpha, cs.beta);
      expect(engine.f64(pc!, c.length).slice(), JSON.stringify(cs)).toEqual(reference(a, k, 1, b, n, c, n, cs));
    });
  });
});
