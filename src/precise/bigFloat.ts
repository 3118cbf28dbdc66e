/**
 * Binary floating point on BigInt: a value is `m × 2^e` with an integer mantissa `m` of exactly
 * `bits` bits (2^(bits−1) ≤ |m| < 2^bits) or `m = 0`, and an integer exponent `e` that is a plain
 * JavaScript number (so magnitudes like 2^−10^9 are representable: raw kernels at depth 10^9).
 *
 * Why not decimal.js for the depth loop: decimal.js stores base-10^7 digit arrays and its trig
 * functions are general-purpose; the complement recursion needs only +, −, ×, ÷, √ and two short
 * series, which BigInt does an order of magnitude faster. decimal.js stays the reference.
 *
 * Rounding: every operation truncates once (toward −∞, except `div`, whose BigInt quotient
 * truncates toward 0), with error < 1 unit in the last of `bits` bits, i.e. relative error
 * < 2^(1−bits); callers carry guard bits and vouch digits by recomputation
 * at a second precision, never by trusting this bound alone.
 */
import type { Decimal } from "decimal.js";

/** `m × 2^e`; `m` normalized to the context's bit count, or zero (then `e` is 0). */
export interface BigFloat {
  readonly m: bigint;
  readonly e: number;
}

/** Numbers below 2^1000 convert to float64 without overflow: bit length from Math.log2. */
const FLOAT_SAFE = 1n << 1000n;

const LOG2_10 = Math.log2(10);

/** Largest |exponent| converted to Decimal exactly (5^4096 has ~2900 digits: cheap at a checkpoint). */
const EXACT_TO_DECIMAL_BITS = 4096;

/** Shift amounts as BigInt, made once: converting a number to BigInt costs as much as a shift. */
const SHIFT_TABLE_SIZE = 8192;
const SHIFTS: readonly bigint[] = Array.from({ length: SHIFT_TABLE_SIZE }, (_, i) => BigInt(i));

/** `n` (an integer ≥ 0) as a BigInt shift amount. */
export function sh(n: number): bigint {
  return n < SHIFT_TABLE_SIZE ? SHIFTS[n]! : BigInt(n);
}

/** Number of bits of `x > 0`. */
export function bitLength(x: bigint): number {
  if (x < FLOAT_SAFE) {
    let n = Math.floor(Math.log2(Number(x))) + 1;
    // Number(x) rounds to 53 bits and may round up to the next power of two: correct by one.
    if (x >> sh(n - 1) === 0n) n--;
    else if (x >> sh(n) !== 0n) n++;
    return n;
  }
  const hex = x.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}

/**
 * The arithmetic of one precision: `bits` mantissa bits. A value object (no global state), so
 * two precisions can run side by side, which is how digits are vouched (see `../pair/precise.ts`).
 */
export class BigFloatContext {
  /** Mantissa bits (≥ 64). */
  readonly bits: number;
  /** The value 0. */
  readonly zero: BigFloat = { m: 0n, e: 0 };
  /** The value 1, exactly. */
  readonly one: BigFloat;
  private readonly bitsN: bigint;
  private readonly productSplit: bigint; // 2^(2·bits − 1): where a product of two mantissas needs one more shift

  constructor(bits: number) {
    if (!Number.isInteger(bits) || bits < 64) throw new RangeError(`BigFloatContext needs an integer bit count ≥ 64, got ${bits}`);
    this.bits = bits;
    this.bitsN = BigInt(bits);
    this.productSplit = 1n << BigInt(2 * bits - 1);
    this.one = { m: 1n << BigInt(bits - 1), e: 1 - bits };
  }

  /** `m × 2^e` rounded (truncated) to this precision. */
  normalize(m: bigint, e: number): BigFloat {
    if (m === 0n) return this.zero;
    return this.withBitLength(m, e, bitLength(m < 0n ? -m : m));
  }

  /** `m × 2^e` rounded to this precision, given the bit length `n` of |m|. */
  private withBitLength(m: bigint, e: number, n: number): BigFloat {
    if (n > this.bits) return { m: m >> sh(n - this.bits), e: e + n - this.bits };
    if (n < this.bits) return { m: m << sh(this.bits - n), e: e - this.bits + n };
    return { m, e };
  }

  /** Exactly the integer `n`, if it fits in `bits` bits (else truncated). */
  fromInteger(n: number | bigint): BigFloat {
    return this.normalize(BigInt(n), 0);
  }

  /** A finite float64, exactly (its 53-bit mantissa fits in `bits` ≥ 64). */
  fromNumber(x: number): BigFloat {
    if (!Number.isFinite(x)) throw new RangeError(`BigFloat cannot hold ${x}`);
    if (x === 0) return this.zero;
    // Scale so the top bit lands at position ≥ 52 even if log2 is off by one: then the scaled
    // value is an integer. Two factors so that 2^k itself never overflows (subnormal x, k ≈ 1130).
    const k = 54 - Math.floor(Math.log2(Math.abs(x)));
    const half = Math.trunc(k / 2);
    return this.normalize(BigInt(x * 2 ** half * 2 ** (k - half)), -k);
  }

  /** `value × 2^k`, exact. */
  scale2(a: BigFloat, k: number): BigFloat {
    return a.m === 0n ? a : { m: a.m, e: a.e + k };
  }

  neg(a: BigFloat): BigFloat {
    return { m: -a.m, e: a.e };
  }

  isZero(a: BigFloat): boolean {
    return a.m === 0n;
  }

  /** −1, 0 or 1. */
  sign(a: BigFloat): number {
    return a.m > 0n ? 1 : a.m < 0n ? -1 : 0;
  }

  mul(a: BigFloat, b: BigFloat): BigFloat {
    if (a.m === 0n || b.m === 0n) return this.zero;
    // The paper's case multiplies by the layer weight w = 1 (this very object) every layer.
    if (a === this.one) return b;
    if (b === this.one) return a;
    const p = a.m * b.m;
    // |p| ∈ [2^(2B−2), 2^(2B)): one comparison decides the shift, no bit counting.
    const big = (p < 0n ? -p : p) >= this.productSplit;
    const shift = big ? this.bits : this.bits - 1;
    return { m: p >> sh(shift), e: a.e + b.e + shift };
  }

  add(a: BigFloat, b: BigFloat): BigFloat {
    if (a.m === 0n) return b;
    if (b.m === 0n) return a;
    if (a.e < b.e) [a, b] = [b, a];
    const d = a.e - b.e;
    // b below a's last bit (plus 2 guard bits) cannot change the truncated sum by more than one unit.
    if (d > this.bits + 2) return a;
    const sum = (a.m << sh(d)) + b.m;
    if (a.m > 0n === b.m > 0n) {
      // Same signs: |sum| has bits + d or bits + d + 1 bits, one comparison tells which.
      const top = this.bits + d;
      return this.withBitLength(sum, b.e, (sum < 0n ? -sum : sum) >> sh(top) === 0n ? top : top + 1);
    }
    return this.normalize(sum, b.e);
  }

  sub(a: BigFloat, b: BigFloat): BigFloat {
    return this.add(a, this.neg(b));
  }

  div(a: BigFloat, b: BigFloat): BigFloat {
    if (b.m === 0n) throw new RangeError("BigFloat division by zero");
    if (a.m === 0n) return this.zero;
    // |a.m / b.m| ∈ (1/2, 2): shifting by bits + 1 leaves bits + 1 or bits + 2 quotient bits.
    return this.normalize((a.m << (this.bitsN + 1n)) / b.m, a.e - b.e - this.bits - 1);
  }

  /** √a for a ≥ 0 (truncated). */
  sqrt(a: BigFloat): BigFloat {
    if (a.m < 0n) throw new RangeError("BigFloat sqrt of a negative number");
    if (a.m === 0n) return this.zero;
    // Scale the mantissa to 2·bits or 2·bits − 1 bits with an even exponent: its integer root has bits bits.
    const t = (a.e - this.bits) % 2 === 0 ? this.bits : this.bits + 1;
    const root = integerSqrt(a.m << sh(t));
    return this.normalize(root, (a.e - t) / 2);
  }

  /** ⌊value × 2^f⌋ as a fixed-point integer (truncated toward −∞), for series evaluation. */
  toFixed(a: BigFloat, f: number): bigint {
    const s = a.e + f;
    return s >= 0 ? a.m << sh(s) : a.m >> sh(-s);
  }

  /** The fixed-point integer `x` (value x × 2^−f) as a BigFloat. */
  fromFixed(x: bigint, f: number): BigFloat {
    return this.normalize(x, -f);
  }

  /** True when |a| < 2^k (a ≠ 0 is normalized, so its exponent tells). */
  magnitudeBelow(a: BigFloat, k: number): boolean {
    return a.m === 0n || a.e + this.bits <= k;
  }

  /**
   * A Decimal rounded to this precision. `D` must have precision above `bits × log10 2` digits
   * and an exponent range wide enough for the value (see `preciseDecimal`).
   */
  fromDecimal(x: Decimal, D: typeof Decimal): BigFloat {
    if (x.isZero()) return this.zero;
    // 10^e ≈ 2^(3.32 e): aim at a few more bits than needed, then truncate.
    const k = this.bits + 8 - Math.floor((x.e + 1) * LOG2_10);
    const scaled = x.times(new D(2).pow(k)).toDecimalPlaces(0, 1 /* ROUND_DOWN */);
    return this.normalize(BigInt(scaled.toFixed(0)), -k);
  }

  /**
   * A decimal literal ("-2.2206e+1", "0.5", "7e-3") truncated to this precision, in BigInt alone
   * (no Decimal class: tables of constants convert at a few µs an entry).
   */
  fromDecimalText(text: string): BigFloat {
    const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text.trim());
    if (match === null || (match[2] === "" && (match[3] ?? "") === "")) throw new RangeError(`not a decimal literal: ${text}`);
    const fraction = match[3] ?? "";
    const digits = BigInt(match[2]! + fraction);
    if (digits === 0n) return this.zero;
    const signed = match[1] === "-" ? -digits : digits;
    const exp10 = Number(match[4] ?? 0) - fraction.length; // value = digits × 10^exp10
    if (exp10 >= 0) return this.normalize(signed * 10n ** BigInt(exp10), 0);
    // Shift so that the quotient keeps ≥ bits + 4 bits: |value| ≥ 2^((digitCount − 1 + exp10) log2 10).
    const digitCount = digits.toString().length;
    const s = Math.max(0, this.bits + 4 - Math.floor((digitCount - 1 + exp10) * LOG2_10));
    return this.normalize((signed << sh(s)) / 10n ** BigInt(-exp10), -s);
  }

  /**
   * The value `m × 2^e` as a Decimal of `D`'s precision: correctly rounded (so 1 − 2^−200 stays
   * below 1, and 1 stays exactly 1) when 2^|e| has at most {@link EXACT_TO_DECIMAL_BITS} bits;
   * beyond that (raw kernels deep in depth) within a unit or two in the last digit.
   */
  toDecimal(a: BigFloat, D: typeof Decimal): Decimal {
    if (a.m === 0n) return new D(0);
    if (a.e >= 0 && a.e <= EXACT_TO_DECIMAL_BITS) return new D((a.m << BigInt(a.e)).toString()).toSignificantDigits(D.precision);
    if (a.e < 0 && -a.e <= EXACT_TO_DECIMAL_BITS) {
      // m 2^e = m 5^−e 10^e exactly; the constructor keeps every digit, toSignificantDigits rounds once.
      return new D(`${(a.m * 5n ** BigInt(-a.e)).toString()}e${a.e}`).toSignificantDigits(D.precision);
    }
    return new D(a.m.toString()).times(new D(2).pow(a.e));
  }

  /** A float64 approximation (for diagnostics and float64 comparisons), 0 or ±Infinity outside the range. */
  toNumber(a: BigFloat): number {
    if (a.m === 0n) return 0;
    const top = a.m >> BigInt(Math.max(0, this.bits - 60));
    return Number(top) * 2 ** (a.e + Math.max(0, this.bits - 60));
  }
}

/** ⌊√x⌋ for x > 0 by Newton's iteration from a float64 first guess (≈ 40 correct bits). */
export function integerSqrt(x: bigint): bigint {
  if (x < 1n << 52n) return BigInt(Math.floor(Math.sqrt(Number(x))));
  const n = bitLength(x);
  const drop = Math.max(0, n - 100) & ~1; // even, so that √(x >> drop) = √x >> drop/2
  const head = Number(x >> BigInt(drop));
  // A guess above √x by a relative 2^−40 or less: the iteration then stays above ⌊√x⌋ and
  // doubles the correct bits each time, so the number of iterations is known in advance and no
  // extra iteration is needed to detect convergence.
  let y = (BigInt(Math.ceil(Math.sqrt(head) * (1 + 2 ** -40))) + 1n) << BigInt(drop / 2);
  const rootBits = (n + 1) >> 1;
  for (let good = 39; good < rootBits + 2; good *= 2) y = (y + x / y) >> 1n;
  while (y * y > x) y--; // at most a step or two: y is ⌊√x⌋ or just above
  return y;
}
