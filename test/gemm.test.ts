// The one matrix-product kernel (assembly/gemm.ts) against a plain TypeScript product summed in the
// kernel's documented order (test/support/gemmProduct.ts).
// The packed blocks, the carry of long sums through C, the in-place path for a long sum with β ≠ 0
// and the edge rows and columns must all give exactly those bits, in the SIMD and scalar builds;
// C's padding between rows must be left as it was (the whole buffer is compared).
import { describe, expect, it } from "vitest";
import { loadWasmEngine } from "../src/wasm/engine.js";
import { seededUniform } from "../src/data/randomData.js";
import { gemmCases, gemmOperands, kernelProduct, mulThenAdd, referenceProduct } from "./support/gemmProduct.js";

interface PanelExports {
  gemmPanels(c: number, a: number, b: number, r: number, k: number, n: number, alpha: number, beta: number): void;
}

const CASES = gemmCases([1, 7, 64, 65, 600]);

describe.each(["simd", "scalar"] as const)("gemm, %s build", (variant) => {
  it(`equals the plain product bit for bit (${CASES.length} shapes, strides and scalings)`, async () => {
    const engine = await loadWasmEngine(variant);
    CASES.forEach((cs, index) => {
      const ops = gemmOperands(cs, 1000 + index);
      expect(kernelProduct(engine, ops, cs), JSON.stringify(cs)).toEqual(referenceProduct(ops, cs, mulThenAdd));
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
      const operands = { a: fill(r * k), rsA: k, csA: 1, b: fill(k * n), ldb: n, c: fill(r * n), ldc: n };
      const panelValues = 4 * Math.ceil(r / 4) * k;
      const panels = new Float64Array(panelValues).fill(NaN);
      for (let i = 0; i < r; i++) for (let p = 0; p < k; p++) panels[4 * k * Math.floor(i / 4) + 4 * p + (i % 4)] = operands.a[i * k + p]!;
      const [pa, pb, pc] = engine.reserve([panelValues, operands.b.length, operands.c.length]);
      engine.f64(pa!, panelValues).set(panels);
      engine.f64(pb!, operands.b.length).set(operands.b);
      engine.f64(pc!, operands.c.length).set(operands.c);
      (engine.exports as unknown as PanelExports).gemmPanels(pc!, pa!, pb!, r, k, n, cs.alpha, cs.beta);
      expect(engine.f64(pc!, operands.c.length).slice(), JSON.stringify(cs)).toEqual(referenceProduct(operands, cs, mulThenAdd));
    });
  });
});
