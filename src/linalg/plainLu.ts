/**
 * LU with partial pivoting in plain TypeScript over a Float64Array: the textbook right-looking
 * loop, unblocked. Kept as the benchmark baseline for the WebAssembly LU and as an independent
 * implementation that tests cross-check it against.
 */
import { checkSquareMatrix, type LuFactorsFloat64 } from "./lu.js";

/**
 * Factors the row-major n × n matrix `a` (not modified) as PA = LU with partial pivoting, in the
 * same layout as the WebAssembly path (see {@link LuFactorsFloat64}). Cost 2n³/3 flops; same backward
 * stability as `luFactorFloat64`, rounding may differ in the last bits. Errors: DIMENSION_MISMATCH,
 * NON_FINITE, as `luFactorFloat64`.
 */
export function plainLuFactor(a: ArrayLike<number>, n: number): LuFactorsFloat64 {
  checkSquareMatrix(a, n);
  const f = Float64Array.from(a);
  const pivots = new Int32Array(n);
  let zeroPivotColumn = -1;
  for (let j = 0; j < n; j++) {
    let p = j;
    for (let i = j + 1; i < n; i++) if (Math.abs(f[i * n + j]) > Math.abs(f[p * n + j])) p = i;
    pivots[j] = p;
    if (p !== j) {
      for (let c = 0; c < n; c++) {
        const t = f[j * n + c];
        f[j * n + c] = f[p * n + c];
        f[p * n + c] = t;
      }
    }
    const pivot = f[j * n + j];
    if (pivot === 0) {
      if (zeroPivotColumn < 0) zeroPivotColumn = j;
      continue;
    }
    for (let i = j + 1; i < n; i++) {
      const l = f[i * n + j] / pivot;
      f[i * n + j] = l;
      if (l === 0) continue;
      const ri = i * n;
      const rj = j * n;
      for (let c = j + 1; c < n; c++) f[ri + c] -= l * f[rj + c];
    }
  }
  return { n, factors: f, pivots, zeroPivotColumn };
}
