/** High-precision values as shipped from the worker to the page. */
import type { Decimal } from "decimal.js";
import type { PreciseValue } from "./protocol.js";
import { formatVouched } from "../src/index.js";

/** A value with `digits` significant digits vouched: its text at exactly those digits ("lost" when none), and its nearest float64. */
export function preciseValue(value: Decimal, digits: number): PreciseValue {
  return { text: digits >= 1 ? formatVouched(value, digits) : "lost", approx: value.toNumber(), digits };
}
