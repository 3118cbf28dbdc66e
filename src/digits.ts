/**
 * Counting correct significant digits: how a float64 value (or a lower-precision Decimal) is
 * judged against a high-precision reference. One definition, beneath its users: the comparisons
 * (compare/), the digits every high-precision result vouches for (pair/, gram/, linalg/, arch/)
 * and the explorer.
 *
 * Definition: `approx` has d correct significant digits of `reference` when
 * |approx − reference| < 10^−d |reference|, i.e. d = ⌊−log10(relative error)⌋, clamped to [0, cap].
 */
import { NtkError } from "./errors.js";
import { checkDecimal, checkFiniteNumber, checkInteger } from "./argumentTypes.js";
import { Decimal } from "decimal.js";
import { exactBinaryDecimal } from "./decimalText.js";
import { formatVouched } from "./format.js";
import type { BigFloat, BigFloatContext } from "./precise/bigFloat.js";
import { digitsAgreed } from "./precise/vouched.js";

/** Enough digits to take ⌊−log10⌋ of a relative error reliably; wide range for tiny references. */
const LogDecimal = Decimal.clone({ precision: 24, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });

/** A Decimal or a float64 (read as its exact binary value). */
export type Comparable = Decimal | number;

function exact(x: Comparable): Decimal {
  return typeof x === "number" ? exactBinaryDecimal(checkFiniteNumber(x, "the value to judge"), "value") : checkDecimal(x, "the value to judge");
}

/**
 * Relative error |approx − reference| / |reference| as a Decimal (wide exponent range);
 * 0 when equal, Infinity when the reference is 0 and approx is not.
 */
export function relativeError(approx: Comparable, reference: Decimal): Decimal {
  const a = exact(approx);
  checkDecimal(reference, "the reference");
  const diff = new LogDecimal(a).minus(reference).abs();
  if (diff.isZero()) return new LogDecimal(0);
  if (reference.isZero()) return new LogDecimal(Infinity);
  return diff.div(new LogDecimal(reference).abs());
}

/**
 * Correct significant digits of `approx` against `reference` (see the module note), at most `cap`
 * (returned for an exact match). 0 when even the first digit is wrong or the reference is 0 and
 * approx is not. A float64 NaN or ±Infinity throws `NON_FINITE`: report it as lost, not as 0 digits.
 */
export function correctDigits(approx: Comparable, reference: Decimal, cap: number): number {
  checkInteger(cap, "cap", 0);
  const rel = relativeError(approx, reference);
  if (rel.isZero()) return cap;
  if (!rel.isFinite() || rel.gte(1)) return 0;
  // ⌊−log10 rel⌋ from rel's decimal exponent e (10^e ≤ rel < 10^(e+1)): −e at rel = 10^e, else −e − 1. Exact, and
  // no logarithm (decimal.js's log cost ~100 µs a call, a third of a 40-digit jump's time).
  const d = rel.eq(new LogDecimal(`1e${rel.e}`)) ? -rel.e : -rel.e - 1;
  return Math.max(0, Math.min(cap, d));
}

/**
 * Significant digits a high-precision value vouches for, from the same quantity computed at two
 * precisions: the vouching rule's count (`precise/vouched.ts`, `digitsAgreed` without a scale):
 * the digits on which they agree, minus one, at most `precision`; equal values (exact zeros
 * included) vouch all of them. `upper` is the higher-precision value (the one returned).
 */
export function digitsVouched(lower: Decimal, upper: Decimal, precision: number): number {
  checkDecimal(lower, "the lower-precision value");
  checkDecimal(upper, "the higher-precision value");
  checkInteger(precision, "precision", 0);
  return digitsAgreed(lower, upper, precision);
}

/** Significant digits a float64 can hold at most; an exact match counts this many. */
export const FLOAT64_MATCH_DIGITS = 17;

/**
 * Correct significant digits a relative error leaves, ⌊−log10 relative⌋, clamped to [0, 17]
 * (an exact match counts as 17): the module's definition for float64 values judged against
 * references that are themselves stored as float64 roundings of vouched values.
 * `relative` is |approx − reference| / |reference| (dimensionless, ≥ 0); NaN, ∞ and values ≥ 1
 * give 0; a negative value is BAD_OPTION. Exact for the float64 it is given: the only rounding is that of `Math.log10`, which can
 * move the result by one digit only when `relative` is within an ulp of a power of ten.
 */
export function float64DigitsFromRelativeError(relative: number): number {
  if (relative < 0) throw new NtkError("BAD_OPTION", `a relative error is ≥ 0, got ${relative}.`, { relative });
  if (relative === 0) return FLOAT64_MATCH_DIGITS;
  if (!(relative < 1)) return 0;
  return Math.min(FLOAT64_MATCH_DIGITS, Math.floor(-Math.log10(relative)));
}

const LOG10_2 = Math.log10(2);

/**
 * {@link correctDigits} of a float64 against a BigFloat reference of `ctx`, capped at
 * {@link FLOAT64_MATCH_DIGITS}: the same definition, without a Decimal per call, for scanning every
 * depth of a long run. NaN and ±Infinity count as 0 digits (the value is lost).
 */
export function correctDigitsFloat64(approx: number, reference: BigFloat, ctx: BigFloatContext): number {
  if (!Number.isFinite(approx)) return 0;
  const diff = ctx.sub(ctx.fromNumber(approx), reference);
  if (ctx.isZero(diff)) return FLOAT64_MATCH_DIGITS;
  if (ctx.isZero(reference)) return 0;
  // log10 |diff/ref| from mantissas and exponents: no under- or overflow whatever the magnitudes.
  const log10Rel = log10Abs(diff, ctx) - log10Abs(reference, ctx);
  return Math.max(0, Math.min(FLOAT64_MATCH_DIGITS, Math.floor(-log10Rel)));
}

/** log10 |x| for x ≠ 0, from its top 53 bits (absolute error ~1e-16). */
function log10Abs(x: BigFloat, ctx: BigFloatContext): number {
  const drop = ctx.bits - 53;
  const top = Math.abs(Number(x.m >> BigInt(drop)));
  return Math.log10(top) + (x.e + drop) * LOG10_2;
}

/** What {@link vouchedText} prints for a value of which not even the first digit is vouched. */
export const NO_DIGIT_VOUCHED = "no digit vouched";

/**
 * Text of a high-precision value for output: its vouched digits exactly (trailing zeros kept,
 * see `formatVouched`), an exact zero as "0" when vouched, and {@link NO_DIGIT_VOUCHED} when not
 * even one digit is vouched: a digit the two runs do not agree on is never printed.
 */
export function vouchedText(value: Decimal, digits: number): string {
  checkDecimal(value, "the value");
  checkFiniteNumber(digits, "digits");
  if (digits < 1) return NO_DIGIT_VOUCHED;
  return value.isZero() ? "0" : formatVouched(value, digits);
}
