/**
 * The blocked Cholesky kernel (assembly/cholesky.ts) at orders around its block edges: panels of
 * CHOLESKY_PANEL columns cut into sub-panels of 48, panel-row tasks of 256 rows and update blocks
 * of 128 × 128. The pool's factorization gives the bits of the one-thread kernel for 2 and 3
 * workers, the scalar build gives the SIMD build's bits, and they agree with a textbook (unblocked) Cholesky to rounding; a non-positive pivot
 * in a later panel is reported at the same column by both.
 */
import { describe, expect, it } from "vitest";
import { choleskyFactorOnPool } from "../src/linalg/choleskyThreads.js";
import { acquirePool } from "../src/threads/pool.js";
import { loadWasmEngine, type WasmEngine } from "../src/wasm/engine.js";

const U = 2 ** -53;

interface CholeskyKernel {
  CHOLESKY_PANEL: { value: number };
  choleskyFactor(a: number, n: number): number;
}

/** Exactly symmetric, positive definite by a margin: G + Gᵀ + 2√n I with G uniform in [−½, ½). */
function spdMatrix(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const g = Float64Array.from({ length: n * n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = g[i * n + j] + g[j * n + i] + (i === j ? 2 * Math.sqrt(n) : 0);
  return a;
}

/** The one-thread kernel on `engine`: the factored matrix (L below, Lᵀ above the diagonal) and its return value. */
function factorHere(engine: WasmEngine, a: Float64Array, n: number): { out: Float64Array; failed: number } {
  const [p] = engine.reserve([n * n]);
  engine.f64(p, n * n).set(a);
  const failed = (engine.exports as unknown as CholeskyKernel).choleskyFactor(p, n);
  return { out: engine.f64(p, n * n).slice(), failed };
}

async function factorOnPool(threads: number, a: Float64Array, n: number): Promise<{ out: Float64Array; failed: number }> {
  const { pool, release } = await acquirePool(threads, "simd");
  try {
    const [p] = pool.engine.reserve([n * n]);
    pool.engine.f64(p, n * n).set(a);
    const failed = await choleskyFactorOnPool(pool, p, n);
    return { out: pool.engine.f64(p, n * n).slice(), failed };
  } finally {
    release();
  }
}

/** Textbook Cholesky (column by column, sums in plain order): the independent reference. */
function textbookCholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let p = 0; p < j; p++) d -= l[j * n + p] * l[j * n + p];
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let p = 0; p < j; p++) s -= l[i * n + p] * l[j * n + p];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

describe("blocked Cholesky at the edges of its blocks", async () => {
  const engine = await loadWasmEngine("simd");
  const scalar = await loadWasmEngine("scalar");
  const panel = (engine.exports as unknown as CholeskyKernel).CHOLESKY_PANEL.value;
  // Around the sub-panel width 48, the update blocks (128), the panel width, two panels, and a second panel-row task (256 rows).
  const orders = [1, 47, 48, 49, 129, panel - 1, panel, panel + 1, 2 * panel + 1, panel + 256 + 1];

  it.each(orders)(
    "n = %i: the same bits on 1, 2 and 3 threads and from the scalar build; L Lᵀ = A and the textbook factor to rounding; Lᵀ above the diagonal",
    async (n) => {
      const a = spdMatrix(n, 1000 + n);
      const one = factorHere(engine, a, n);
      expect(one.failed).toBe(-1);
      for (const threads of [2, 3]) {
        const many = await factorOnPool(threads, a, n);
        expect(many.failed).toBe(-1);
        expect(Buffer.from(many.out.buffer).equals(Buffer.from(one.out.buffer))).toBe(true);
      }
      expect(Buffer.from(factorHere(scalar, a, n).out.buffer).equals(Buffer.from(one.out.buffer))).toBe(true);
      const l = one.out;
      const ref = textbookCholesky(a, n);
      // κ2(A) ≤ (2√n + ‖G + Gᵀ‖₂) / (2√n − ‖G + Gᵀ‖₂) ≈ 3 here (‖G + Gᵀ‖₂ ≈ √n for entries in [−½, ½)).
      let worstL = 0;
      let worstA = 0;
      let aMax = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          worstL = Math.max(worstL, Math.abs(l[i * n + j] - ref[i * n + j]) / Math.sqrt(a[i * n + i]));
          let s = 0;
          for (let p = 0; p <= j; p++) s += l[i * n + p] * l[j * n + p];
          worstA = Math.max(worstA, Math.abs(s - a[i * n + j]));
          aMax = Math.max(aMax, Math.abs(a[i * n + j]));
          // The blocked solves read Lᵀ above the diagonal.
          if (j < i) expect(l[j * n + i]).toBe(l[i * n + j]);
        }
      }
      expect(worstA).toBeLessThanOrEqual(4 * n * U * aMax);
      expect(worstL).toBeLessThanOrEqual(10 * n * U);
    },
  );

  it("reports a non-positive pivot in a later panel at the same column on 1 and 2 threads", async () => {
    const n = 2 * panel + 60;
    const bad = panel + 55;
    const a = spdMatrix(n, 7);
    a[bad * n + bad] = -1; // a_jj − Σ L_jp² ≤ a_jj < 0, while every earlier leading block stays positive definite
    expect(factorHere(engine, a, n).failed).toBe(bad);
    expect((await factorOnPool(2, a, n)).failed).toBe(bad);
  });
});
