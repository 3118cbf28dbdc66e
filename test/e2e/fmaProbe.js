// @ts-check
/**
 * The opt-in "fma" build through the public API, as plain JavaScript so that the very same file
 * runs in Node (against the sources) and in Chromium (against the browser bundle): which build
 * loaded, whether the host fuses its multiply-adds, and the float64 bits of an LU factorization
 * (blocked updates through the matrix-product kernel), which two hosts that both fuse must agree on.
 */
import { float64Hex, rawCoords } from "./probe.js";

/**
 * @param {any} ntk the public API (`import * as ntk`)
 * @param {string} variant the build (another one than "fma" for comparison)
 * @returns {Promise<{ variant: string, fuses: boolean, lu: string[] }>}
 */
export async function runFmaProbe(ntk, variant = "fma") {
  const engine = await ntk.loadWasmEngine(variant);
  // Past LU's first block of columns, so the trailing updates run through the product kernel.
  const n = 150;
  const a = rawCoords(n * n, 31);
  for (let i = 0; i < n; i++) a[i * n + i] += 8;
  const lu = await ntk.luFactorFloat64(a, n, { variant, threads: 1 });
  return { variant: engine.variant, fuses: engine.fusesMultiplyAdd, lu: Array.from(lu.factors.subarray(n * (n - 4)), float64Hex) };
}
