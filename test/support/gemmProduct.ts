// The matrix-product kernel's test cases (assembly/gemm.ts) and a plain TypeScript product summed in
// the kernel's documented order, every entry α·(Σ_p A(i, p) B(p, j), p increasing, one accumulator)
// + β·C, with the accumulation step as a parameter: a multiply then an add (the simd and scalar
// builds) or one fused multiply-add (the "fma" build on a host that fuses).
import { seededUniform } from "../../src/data/randomData.js";
import type { WasmEngine } from "../../src/wasm/engine.js";

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

export interface GemmCase {
  r: number;
  k: number;
  n: number;
  /** How A is stored: "rows" (row-major r × k), "transposed" (Aᵀ stored k × r, the backward pass's Wᵀ), "strided" (every second value of both). */
  layout: "rows" | "transposed" | "strided";
  alpha: number;
  beta: number;
}

/** One step of an entry's sum: s + x·y, rounded as the build under test rounds it. */
export type AccumulateStep = (x: number, y: number, s: number) => number;

/** A multiply, rounded, then an add, rounded: the simd and scalar builds' step. */
export const mulThenAdd: AccumulateStep = (x, y, s) => s + x * y;

/** A product's operands and C, laid out with padded strides so that the kernel's strides are exercised apart from the shapes. */
export interface GemmOperands {
  a: Float64Array;
  rsA: number;
  csA: number;
  b: Float64Array;
  ldb: number;
  c: Float64Array;
  ldc: number;
}

export function gemmOperands(cs: GemmCase, seed: number): GemmOperands {
  const next = seededUniform(seed);
  const fill = (len: number) => Float64Array.from({ length: len }, () => next() - 0.5);
  const ldb = cs.n + 3;
  const ldc = cs.n + 5;
  const [rsA, csA] = cs.layout === "rows" ? [cs.k + 1, 1] : cs.layout === "transposed" ? [1, cs.r + 2] : [2, 2 * cs.r + 1];
  return { a: fill(cs.layout === "rows" ? cs.r * rsA : cs.k * csA), rsA, csA, b: fill(cs.k * ldb), ldb, c: fill(cs.r * ldc), ldc };
}

/** C after the product, computed in TypeScript with `step` as every accumulation. */
export function referenceProduct({ a, rsA, csA, b, ldb, c: c0, ldc }: GemmOperands, { r, k, n, alpha, beta }: GemmCase, step: AccumulateStep): Float64Array {
  const c = c0.slice();
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s = step(a[i * rsA + p * csA]!, b[p * ldb + j]!, s);
      c[i * ldc + j] = beta === 0 ? alpha * s : alpha * s + beta * c0[i * ldc + j]!;
    }
  }
  return c;
}

/**
 * C after the kernel's product, the whole C buffer (padding between rows included). `rowCuts`
 * and `colCuts` (interior boundaries, increasing) split the product into separate calls over
 * blocks of C, as the thread pool's tasks do.
 */
export function kernelProduct(
  engine: WasmEngine,
  ops: GemmOperands,
  cs: GemmCase,
  rowCuts: readonly number[] = [],
  colCuts: readonly number[] = [],
): Float64Array {
  const { a, rsA, csA, b, ldb, c, ldc } = ops;
  const [pa, pb, pc] = engine.reserve([a.length, b.length, c.length]);
  engine.f64(pa!, a.length).set(a);
  engine.f64(pb!, b.length).set(b);
  engine.f64(pc!, c.length).set(c);
  const rows = [0, ...rowCuts, cs.r];
  const cols = [0, ...colCuts, cs.n];
  for (let u = 0; u + 1 < rows.length; u++) {
    for (let v = 0; v + 1 < cols.length; v++) {
      const [i0, i1, j0, j1] = [rows[u]!, rows[u + 1]!, cols[v]!, cols[v + 1]!];
      (engine.exports as unknown as GemmExports).gemmStrided(
        pc! + 8 * (i0 * ldc + j0),
        ldc,
        pa! + 8 * i0 * rsA,
        rsA,
        csA,
        pb! + 8 * j0,
        ldb,
        i1 - i0,
        cs.k,
        j1 - j0,
        cs.alpha,
        cs.beta,
      );
    }
  }
  return engine.f64(pc!, c.length).slice();
}

/** Scalings: plain, scaled, LU's trailing update (α = −1, β = 1), and both α and β general. */
export const GEMM_SCALINGS = [
  [1, 0],
  [-0.75, 0],
  [-1, 1],
  [0.5, -2],
] as const;

/** Shapes with edge rows and columns (n = 2: no full column tile at all). */
export const GEMM_SHAPES = [
  [4, 4],
  [9, 18],
  [13, 37],
  [9, 2],
] as const;

/**
 * Every shape, layout and scaling for each of `ks` summation lengths. Around the packed block of 64
 * summation indices of the strided products: k = 64 (one block), 65 (a carried second block), more.
 */
export function gemmCases(ks: readonly number[]): GemmCase[] {
  const cases: GemmCase[] = [];
  for (const k of ks)
    for (const [r, n] of GEMM_SHAPES)
      for (const layout of ["rows", "transposed", "strided"] as const) for (const [alpha, beta] of GEMM_SCALINGS) cases.push({ r, k, n, layout, alpha, beta });
  return cases;
}
