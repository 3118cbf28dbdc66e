/**
 * ln and sin on {@link BigFloat}, for the high-precision depth jump (`../depth/precise.ts`), which
 * needs a few of each per checkpoint: decimal.js's ln and sin cost 300–400 µs each at 60 digits,
 * these a few µs; and π beyond the 1 025 digits decimal.js stores. Both run their series in fixed point with `bits + 32` fractional bits (as
 * `./correlationMap.ts` does), so each result carries a relative error of a few units in the
 * context's last bit; callers vouch digits by recomputation at a second precision.
 */
import { type BigFloat, type BigFloatContext, sh } from "./bigFloat.js";

/** Extra fractional bits of the fixed-point series beyond the context's mantissa bits. */
const SERIES_GUARD_BITS = 32;

/** 2^f · ln 2 by ln 2 = 2 atanh(1/3), cached per f (one series of f/3 terms). */
const LN2_FIXED = new Map<number, bigint>();

/** 2^f · 2 atanh(s) for the fixed-point s = 2^f · s, |s| < 1/2 (terms fall by s² each). */
function twoAtanhFixed(s: bigint, f: number): bigint {
  // On |s|: a negative term shifted right would stop at −1, never at 0.
  if (s < 0n) return -twoAtanhFixed(-s, f);
  const fN = sh(f);
  const s2 = (s * s) >> fN;
  let term = s;
  let sum = 0n;
  for (let j = 1n; term !== 0n; j += 2n) {
    sum += term / j;
    term = (term * s2) >> fN;
  }
  return 2n * sum;
}

function ln2Fixed(f: number): bigint {
  let v = LN2_FIXED.get(f);
  if (v === undefined) {
    v = twoAtanhFixed((1n << sh(f)) / 3n, f);
    LN2_FIXED.set(f, v);
  }
  return v;
}

/** ln x for x > 0: x = y 2^k with y ∈ [1/√2, √2), ln x = k ln 2 + 2 atanh((y − 1)/(y + 1)), |(y − 1)/(y + 1)| < 0.172. */
export function lnBig(c: BigFloatContext, x: BigFloat): BigFloat {
  if (x.m <= 0n) throw new RangeError("lnBig of a value ≤ 0");
  const f = c.bits + SERIES_GUARD_BITS;
  const one = 1n << sh(f);
  // x.m has exactly c.bits bits: y = x.m / 2^(bits − 1) ∈ [1, 2), k = e + bits − 1.
  let y = x.m << sh(f - c.bits + 1);
  let k = x.e + c.bits - 1;
  // √2 · 2^f, to the 53 bits that decide the branch (the split point need not be exact).
  if (y > (one * 6369051672525773n) >> 52n) {
    y >>= 1n;
    k++;
  }
  const s = ((y - one) << sh(f)) / (y + one);
  return c.fromFixed(BigInt(k) * ln2Fixed(f) + twoAtanhFixed(s, f), f);
}

/** sin x for |x| ≤ 2, by its Taylor series x Σ (−1)^k x^{2k}/(2k+1)! (relative accuracy at every such x). */
export function sinBig(c: BigFloatContext, x: BigFloat): BigFloat {
  if (x.m === 0n) return x;
  const f = c.bits + SERIES_GUARD_BITS;
  const fN = sh(f);
  const x2 = c.toFixed(c.mul(x, x), f);
  let term = 1n << fN;
  let sum = term;
  for (let k = 1n; term !== 0n; k++) {
    term = -((term * x2) >> fN) / (2n * k * (2n * k + 1n));
    sum += term;
  }
  return c.mul(x, c.fromFixed(sum, f));
}

/** 2^f · atan(1/n) for an integer n ≥ 2 (terms fall by n² each). */
function atanInverseFixed(n: bigint, f: number): bigint {
  const n2 = n * n;
  let power = (1n << sh(f)) / n; // 2^f / n^(2k+1)
  let sum = 0n;
  for (let j = 1n, sign = 1n; power !== 0n; j += 2n, sign = -sign) {
    sum += (sign * power) / j;
    power /= n2;
  }
  return sum;
}

/** π by Machin's formula π = 16 atan(1/5) − 4 atan(1/239): for precisions beyond decimal.js's stored π (1 025 digits). */
export function piBig(c: BigFloatContext): BigFloat {
  const f = c.bits + SERIES_GUARD_BITS;
  return c.fromFixed(16n * atanInverseFixed(5n, f) - 4n * atanInverseFixed(239n, f), f);
}
