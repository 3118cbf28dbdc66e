/**
 * Type checks at the public entry. JavaScript callers (and JSON) can hand any value to an exported
 * function; these checks turn a value of the wrong type (undefined options, a string where an
 * array belongs, an object where a number belongs) into `BAD_ARGUMENT`, and a NaN or ±∞ into
 * `NON_FINITE`, before any layer below reads it. Domain checks (a depth ≥ 1, |ρ1| ≤ 1, …) stay
 * with their concepts (params.ts, settings.ts, …); these only establish the type they rely on.
 */
import { Decimal } from "decimal.js";
import { NtkError } from "./errors.js";

/** A short description of any value for an error message; never throws (unlike `String(x)` on an object without a prototype). */
export function describeValue(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (ArrayBuffer.isView(x)) return `a ${x.constructor.name}`;
  if (Decimal.isDecimal(x)) return (x as Decimal).toString();
  switch (typeof x) {
    case "string":
      return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
    case "number":
    case "bigint":
    case "boolean":
    case "undefined":
      return String(x);
    case "function":
      return "a function";
    default:
      return "an object";
  }
}

function wrongType(what: string, expected: string, x: unknown): NtkError {
  return new NtkError("BAD_ARGUMENT", `${what} must be ${expected}, got ${describeValue(x)}.`, { what, got: describeValue(x) });
}

/** `x` itself when it is a non-null, non-array object (an options object); `BAD_ARGUMENT` otherwise. */
export function checkObject<T>(x: T, what: string): T & object {
  if (x === null || typeof x !== "object" || Array.isArray(x)) throw wrongType(what, "an options object", x);
  return x;
}

/** An optional options object: `{}` for undefined, else as {@link checkObject}. */
export function checkOptionalObject<T extends object>(x: T | undefined, what: string): T | Record<string, never> {
  return x === undefined ? {} : checkObject(x, what);
}

/** `x` when it is a finite number; `BAD_ARGUMENT` for another type, `NON_FINITE` for NaN or ±∞. */
export function checkFiniteNumber(x: unknown, what: string): number {
  if (typeof x !== "number") throw wrongType(what, "a number", x);
  if (!Number.isFinite(x)) throw new NtkError("NON_FINITE", `${what} is ${x}; it must be a finite number.`, { what, value: x });
  return x;
}

/** `x` when it is an integer number in [min, max]; `BAD_ARGUMENT` otherwise. */
export function checkInteger(x: unknown, what: string, min = -Number.MAX_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < min || x > max) {
    throw wrongType(what, `an integer from ${min} to ${max}`, x);
  }
  return x;
}

/** `x` when it is a string; `BAD_ARGUMENT` otherwise. */
export function checkString(x: unknown, what: string): string {
  if (typeof x !== "string") throw wrongType(what, "a string", x);
  return x;
}

/** `x` when it is an array; `BAD_ARGUMENT` otherwise. */
export function checkArray<T>(x: readonly T[], what: string): readonly T[] {
  if (!Array.isArray(x)) throw wrongType(what, "an array", x);
  return x;
}

/** `x` when it is array-like (an array, a typed array, any object with a numeric length); `BAD_ARGUMENT` otherwise. Its entries are the caller's to check. */
export function checkArrayLike<T>(x: ArrayLike<T>, what: string): ArrayLike<T> {
  if (x === null || typeof x !== "object" || typeof x.length !== "number") throw wrongType(what, "an array", x);
  return x;
}

/**
 * `x` when it is an array or typed array of finite numbers: `BAD_ARGUMENT` for another type or an
 * entry that is not a number, `NON_FINITE` naming the first NaN or ±∞.
 */
export function checkFiniteNumbers(x: unknown, what: string): ArrayLike<number> {
  if (!Array.isArray(x) && !(ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array))) {
    throw wrongType(what, "an array of numbers", x);
  }
  const a = x as ArrayLike<unknown>;
  for (let i = 0; i < a.length; i++) {
    if (typeof a[i] !== "number") throw wrongType(`${what}[${i}]`, "a number", a[i]);
    if (!Number.isFinite(a[i])) throw new NtkError("NON_FINITE", `${what}[${i}] is ${String(a[i])}; every entry must be finite.`, { what, index: i });
  }
  return a as ArrayLike<number>;
}

/** `x` when it is a Decimal (of any decimal.js class); `BAD_ARGUMENT` otherwise. */
export function checkDecimal(x: unknown, what: string): Decimal {
  if (!Decimal.isDecimal(x)) throw wrongType(what, "a Decimal", x);
  return x as Decimal;
}

/** `D` when it is a decimal.js class (`Decimal` or a clone, e.g. from `preciseDecimal`); `BAD_ARGUMENT` otherwise. */
export function checkDecimalClass(D: typeof Decimal, what = "D (the Decimal class of the working precision)"): typeof Decimal {
  const c = D as unknown as { precision?: unknown; clone?: unknown };
  if (typeof D !== "function" || typeof c.precision !== "number" || typeof c.clone !== "function") throw wrongType(what, "a decimal.js class", D);
  return D;
}
