/**
 * Decimal text read exactly. A number given as text means the decimal it spells, not its float64
 * rounding: "0.9999999" has 1 − ρ = 1e-7 exactly. Everything that accepts text goes through here.
 */
import { Decimal } from "decimal.js";
import { NtkError } from "./errors.js";
import { checkDecimal, checkFiniteNumber, checkString } from "./argumentTypes.js";

/**
 * A Decimal class wide enough to hold any parsed input exactly and to add or subtract two of
 * them without rounding (decimal.js stores only the digits a value has, so this costs nothing).
 */
export const ExactDecimal = Decimal.clone({ precision: 1e6, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });

const DECIMAL_SYNTAX = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Whether `text`, trimmed, is decimal text that {@link parseDecimalText} accepts. */
export function isDecimalText(text: string): boolean {
  return DECIMAL_SYNTAX.test(text.trim());
}

/**
 * Parses decimal text (optional sign, digits, optional point, optional exponent) exactly.
 * Throws `NOT_A_NUMBER` for anything else (including hex, "NaN", "Infinity" and empty text).
 * `what` names the value in the message, e.g. "--rho1" or "row 3, column 2".
 */
export function parseDecimalText(text: string, what: string): Decimal {
  const t = checkString(text, checkString(what, "what")).trim();
  if (!isDecimalText(t)) {
    const hint = /^[+-]?(nan|inf(inity)?)$/i.test(t) ? " Non-finite values are not allowed." : "";
    throw new NtkError("NOT_A_NUMBER", `${what}: "${text}" is not a decimal number.${hint} Write it like 0.5, -1, 9.999e-1.`, { text, what });
  }
  return new ExactDecimal(t);
}

/** Exactly `1 − d` (no rounding), for any Decimal produced by {@link parseDecimalText}. */
export function exactOneMinus(d: Decimal): Decimal {
  return new ExactDecimal(1).minus(checkDecimal(d, "the value"));
}

/**
 * Accepts a finite number or decimal text, returning the exact Decimal it means. A number means
 * the decimal of its shortest round-trip text, the one JavaScript prints for it (0.1 means one
 * tenth, as the user typed it); {@link exactBinaryDecimal} gives its exact binary value instead.
 * Throws `NON_FINITE`, `NOT_A_NUMBER`, or `BAD_ARGUMENT` for a value that is neither.
 */
export function toExactDecimal(value: number | string, what: string): Decimal {
  checkString(what, "what");
  if (typeof value === "string") return parseDecimalText(value, what);
  return new ExactDecimal(checkFiniteNumber(value, what));
}

/**
 * The exact value of a finite float64 as a Decimal, every binary digit kept (0.1 gives
 * 0.1000000000000000055511151231257827021181583404541015625). Decimal's own constructor reads a
 * number through its shortest text instead ("0.1"), which is a different number. Throws
 * `NON_FINITE` for NaN and ±∞; `what` names the value in that message.
 */
export function exactBinaryDecimal(x: number, what: string): Decimal {
  if (!Number.isFinite(x)) throw new NtkError("NON_FINITE", `${what} is ${x}; it must be a finite number.`, { value: x, what });
  let integer = x;
  let shift = 0;
  while (!Number.isInteger(integer)) {
    integer *= 2; // exact: a finite float64 has at most 1074 fractional bits
    shift++;
  }
  // integer × 2^−shift = integer × 5^shift × 10^−shift, all in BigInt, so nothing rounds.
  const digits = (BigInt(integer) * 5n ** BigInt(shift)).toString();
  return new ExactDecimal(`${digits}e-${shift}`);
}
