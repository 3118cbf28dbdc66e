/**
 * The precision context of every high-precision path: which numbers of significant digits a
 * caller may ask for, how many the computation really carries (guard digits chosen from the
 * depth), and the Decimal classes that hold results. A value, never global state.
 */
import { Decimal } from "decimal.js";
import { NtkError } from "../errors.js";
import { describeValue } from "../argumentTypes.js";
import { VOUCH_EXTRA_DIGITS } from "./vouched.js";

/** Fewest significant digits a caller may ask for (below this float64 comparisons are pointless). */
export const MIN_PRECISION = 20;
/** Most significant digits a caller may ask for. */
export const MAX_PRECISION = 1000;

/**
 * Digits to which decimal.js's stored constants reach: π (used by acos, asin, sin, cos) to 1025
 * significant digits, ln 10 (used by ln, log10 and non-integer pow) to about 1013. Above these
 * decimal.js throws; we say so first, with the number.
 */
export const DECIMAL_CONSTANT_DIGITS = { pi: 1025, ln10: 1013 } as const;

/** Guard digits added to the requested precision besides log10(depth) (rounding accumulates at most linearly in the depth). */
export const BASE_GUARD_DIGITS = 4;
/** The second run's extra digits: the vouching rule's constant, defined with it in `vouched.ts`. */
export { VOUCH_EXTRA_DIGITS };

/** The digits of one high-precision computation. */
export interface WorkingPrecision {
  /** Significant digits the caller asked for (P). */
  readonly precision: number;
  /** Digits of the first (lower) run: P + guard. */
  readonly lower: number;
  /** Digits of the second run, whose values are returned: lower + {@link VOUCH_EXTRA_DIGITS}. */
  readonly upper: number;
}

/**
 * Validates the requested significant digits P: an integer in [{@link MIN_PRECISION},
 * {@link MAX_PRECISION}]. Throws `BAD_PRECISION`.
 */
export function checkPrecision(precision: number): number {
  if (!Number.isInteger(precision) || precision < MIN_PRECISION || precision > MAX_PRECISION) {
    throw new NtkError(
      "BAD_PRECISION",
      `precision must be an integer number of significant digits from ${MIN_PRECISION} to ${MAX_PRECISION}, got ${describeValue(precision)}. For float64 leave precision out.`,
      { precision, min: MIN_PRECISION, max: MAX_PRECISION },
    );
  }
  return precision;
}

/**
 * Working digits for P significant digits after `depth` recursion steps: guard ⌈log10 depth⌉ +
 * {@link BASE_GUARD_DIGITS}, and a second run {@link VOUCH_EXTRA_DIGITS} higher. Throws
 * `BAD_PRECISION` for P out of range and `PRECISION_LIMIT` when the upper run plus the digits
 * reserved for rounding π would exceed what decimal.js's stored π supports.
 */
export function workingPrecision(precision: number, depth: number): WorkingPrecision {
  checkPrecision(precision);
  const lower = precision + Math.ceil(Math.log10(Math.max(depth, 1))) + BASE_GUARD_DIGITS;
  const upper = lower + VOUCH_EXTRA_DIGITS;
  checkConstantLimit(upper + PI_EXTRA_DIGITS, "pi", precision, depth);
  return { precision, lower, upper };
}

/** Digits beyond a run's precision with which π is read (so that its rounding is not the weakest link). */
export const PI_EXTRA_DIGITS = 5;

/**
 * Throws `PRECISION_LIMIT` when `digits` exceed the stored constant `which` of decimal.js.
 * `precision` and `depth` are only quoted in the message.
 */
export function checkConstantLimit(digits: number, which: keyof typeof DECIMAL_CONSTANT_DIGITS, precision: number, depth?: number): void {
  const limit = DECIMAL_CONSTANT_DIGITS[which];
  if (digits > limit) {
    const name = which === "pi" ? "π" : "ln 10";
    const at = depth === undefined ? "" : ` at depth ${depth}`;
    throw new NtkError(
      "PRECISION_LIMIT",
      `precision ${precision}${at} needs ${digits} working digits of ${name}, but decimal.js stores ${name} to ${limit} digits. Ask for at most ${precision - (digits - limit)} digits (or a smaller depth).`,
      { precision, depth, digitsNeeded: digits, limit, constant: which },
    );
  }
}

/** Mantissa bits that hold `digits` significant decimal digits, plus 8 spare bits. */
export function bitsForDigits(digits: number): number {
  return Math.ceil(digits * Math.log2(10)) + 8;
}

/**
 * A Decimal class with `digits` significant digits and an exponent range wide enough for raw
 * kernels at any depth (Σ^(L) ∝ 2^{1−L}: 10^−3×10^8 at L = 10^9), rounding half-even.
 */
export function preciseDecimal(digits: number): typeof Decimal {
  if (!Number.isInteger(digits) || digits < 1 || digits > 1e9) {
    throw new NtkError("BAD_PRECISION", `a Decimal class needs an integer number of significant digits from 1 to 1e9, got ${describeValue(digits)}.`, {});
  }
  return Decimal.clone({ precision: digits, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15, toExpNeg: -7, toExpPos: 21 });
}
