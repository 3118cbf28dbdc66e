// The one matrix-product kernel (assembly/gemm.ts) against a plain TypeScript product summed in the
// kernel's documented order (test/support/gemmProduct.ts).
// The packed blocks, the carry of long sums through C, the in-place path for a long sum with β ≠ 0
// and the edge rows and columns must all give exactly those bits, in the SIMD and scalar builds;
// C's padding between rows must be left as it was (the whole buffer is compared).
import { describe, expect, it } from "vitest";
import { loadWasmEngine } from "../src/wasm/engine.js";
import { gemmCases, gemmOperands, kernelProduct, mulThenAdd, referenceProduct } from "./support/gemmProduct.js";

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
