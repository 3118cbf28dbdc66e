/**
 * Small dense row-major float64 products for the prediction code (SPEC §6), where the matrices
 * are m × m or t × m with m up to a few thousand: plain loops in TypeScript, no WebAssembly call; also the decimal product of the high-precision paths.
 */
import type { Decimal } from "decimal.js";

/** (r × n) · (n × c), row-major; a zero of `a` skips its row of `b`. Each entry is a plain sum of n products. */
export function multiply(a: ArrayLike<number>, b: ArrayLike<number>, r: number, n: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let p = 0; p < n; p++) {
      const aip = a[i * n + p];
      if (aip === 0) continue;
      for (let j = 0; j < c; j++) out[i * c + j] += aip * b[p * c + j];
    }
  }
  return out;
}

/** {@link multiply} in decimal arithmetic (class `D`): each entry the sum of its n products in order, rounded at every step. */
export function multiplyPrecise(D: typeof Decimal, a: readonly Decimal[], b: readonly Decimal[], r: number, n: number, c: number): Decimal[] {
  const out: Decimal[] = new Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      let acc = new D(0);
      for (let p = 0; p < n; p++) acc = acc.plus(a[i * n + p].times(b[p * c + j]));
      out[i * c + j] = acc;
    }
  }
  return out;
}

/** Transpose of the r × c row-major matrix `a` (c × r). */
export function transpose(a: ArrayLike<number>, r: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j];
  return out;
}
