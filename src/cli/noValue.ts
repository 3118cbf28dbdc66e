/**
 * One convention for a quantity that has no finite value (log10|det K| when det K = 0, κ1 of a
 * singular matrix): JSON prints `null` with a sibling `<name>Reason` field, never `Infinity`,
 * `-Infinity` or `NaN`; text prints "none (reason)". Every command uses these two helpers.
 */

/** Why log10|det K| has no value. */
export const ZERO_DET_REASON = "det K = 0 exactly: K is singular";
/** Why the condition estimate has no value. */
export const SINGULAR_CONDITION_REASON = "K is singular (a zero pivot): its condition number is infinite";

/** `{ [name]: text }`, or `{ [name]: null, [name + "Reason"]: reason }` when there is no value. */
export function jsonValueOrReason(name: string, text: string | null, reason: string): Record<string, string | null> {
  return text === null ? { [name]: null, [`${name}Reason`]: reason } : { [name]: text };
}

/** The text, or "none (reason)" when there is no value. */
export function textOrReason(text: string | null, reason: string): string {
  return text ?? `none (${reason})`;
}
