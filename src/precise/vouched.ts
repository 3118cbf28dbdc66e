/**
 * The vouching rule of every high-precision result, stated once.
 *
 * A value computed at a working precision is only as good as the rounding its algorithm
 * accumulated, which the algorithm cannot see. So the same computation runs twice: at `lower`
 * digits, and again at `upper` = `lower` + {@link VOUCH_EXTRA_DIGITS} digits, every rounded step
 * redone. The upper run is returned. Its error is about 10^−{@link VOUCH_EXTRA_DIGITS} of the
 * difference between the runs, so the digits on which the two agree are digits of the upper value
 * that are correct; one is dropped for safety ({@link digitsAgreed}), and never more than the
 * caller asked for (P) are claimed. When the count falls short of P (cancellation, an
 * ill-conditioned matrix), both runs are repeated once with the shortfall plus
 * {@link VOUCH_RETRY_MARGIN} more guard digits (or as many as the caller's own estimate says),
 * within the caller's digit limit; whatever is then vouched is reported, fewer than P if so.
 *
 * Two runs that return exactly the same number (an exact zero in both, a diagonal of ones)
 * vouch for all P digits: the same exact computation gave the same value at two precisions.
 *
 * Callers may only lower the count further with a bound of their own (a condition number, the
 * accuracy of their inputs); they never raise it. {@link vouchTwice} is the combinator, {@link
 * digitsAgreed} the one digit-counting function, {@link Vouched} the result of one value.
 */
import { Decimal } from "decimal.js";
import { NtkError } from "../errors.js";

/** Digits by which the second (returned) run exceeds the first. */
export const VOUCH_EXTRA_DIGITS = 6;
/** Guard digits added beyond the shortfall when the runs are repeated once. */
export const VOUCH_RETRY_MARGIN = 2;
/** How many times both runs may be repeated at more digits after a shortfall. */
export const VOUCH_MAX_RETRIES = 1;

/** One value with the digits two runs vouch for (see the module note). */
export interface Vouched<T> {
  /** The value of the upper run. */
  readonly value: T;
  /** Significant digits of `value` that are correct (0 … precision); for a scaled count, digits relative to that scale. */
  readonly digits: number;
  /** Significant digits asked for (P): `digits` never exceeds it. */
  readonly precision: number;
  /** Digits carried by the lower and the upper run (the upper one is returned). */
  readonly workingPrecisions: readonly [number, number];
  /** How the digits were vouched for, in words. */
  readonly vouchedBy: string;
}

/** Enough digits to take ⌊−log10⌋ of a difference reliably, whatever the values' own precision (stays inside decimal.js's stored ln 10). */
const LogDecimal = Decimal.clone({ precision: 24, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });

/**
 * The digits on which `lower` and `upper` (the same quantity from two runs, `upper` the better
 * one) agree, minus one, clamped to [0, precision]: ⌊−log10(|lower − upper| / s)⌋ − 1 with
 * s = max(`scale`, |upper|), `scale` a natural size of the quantity (default 0: significant digits
 * of `upper`; 1 for an entry of a unit-diagonal matrix: decimal places). Equal values, exact zeros
 * included, give `precision`; a zero `upper` with a nonzero `lower` and no scale gives 0.
 * Accuracy: the count is exact except when the relative difference is within 10^−20 of a power of ten.
 */
export function digitsAgreed(lower: Decimal, upper: Decimal, precision: number, scale: Decimal | number = 0): number {
  if (!Decimal.isDecimal(lower) || !Decimal.isDecimal(upper) || !Number.isInteger(precision) || precision < 0) {
    throw new NtkError("BAD_OPTION", "digitsAgreed takes two Decimal values and a precision (a non-negative integer number of digits).");
  }
  if (lower.eq(upper)) return precision;
  const diff = new LogDecimal(lower).minus(upper).abs();
  if (diff.isZero()) return precision;
  const s = LogDecimal.max(new LogDecimal(scale).abs(), new LogDecimal(upper).abs());
  if (s.isZero()) return 0;
  const agreed = Math.floor(s.div(diff).log(10).toNumber());
  return Math.max(0, Math.min(precision, agreed - 1));
}

/** Both runs of a vouched computation and what they vouch for. */
export interface VouchedRuns<R> {
  readonly lower: R;
  /** The run whose values are returned. */
  readonly upper: R;
  readonly lowerDigits: number;
  readonly upperDigits: number;
  /** The least digits vouched over the values (the count function's result for this pair of runs). */
  readonly digits: number;
  /** True when the first pair of runs fell short and both were repeated at more digits. */
  readonly retried: boolean;
}

/** How one computation is run and counted by {@link vouchTwice} (`run` may return a promise) or {@link vouchTwiceSync} (it may not). */
export interface VouchPlan<R, Out = Promise<{ lower: R; upper: R }>> {
  /** Significant digits asked for (P). */
  readonly precision: number;
  /** Digits of the first lower run (P plus the caller's guard digits). */
  readonly lowerDigits: number;
  /** Runs the computation at `lowerDigits` and at `upperDigits`; `attempt` is 0, then 1 on a retry. */
  readonly run: (lowerDigits: number, upperDigits: number, attempt: number) => Out;
  /** The least digits vouched over every value of the pair of runs, at most P (built from {@link digitsAgreed}). */
  readonly count: (lower: R, upper: R, lowerDigits: number) => number;
  /**
   * Lower digits of the retry after a shortfall; default `lowerDigits` + (P − digits) +
   * {@link VOUCH_RETRY_MARGIN}. Return null when more digits cannot help (e.g. an exactly singular
   * matrix): the first result then stands.
   */
  readonly retryDigits?: (first: VouchedRuns<R>) => number | null;
  /** Most digits an upper run may carry (e.g. what decimal.js's stored π allows): no retry beyond it. */
  readonly maxUpperDigits?: number;
}

/**
 * The rule of the module note, once for both drivers: yields the digits of each pair of runs,
 * receives the runs, and returns the pair that stands.
 */
function* vouchSteps<R>(plan: VouchPlan<R, unknown>): Generator<[number, number, number], VouchedRuns<R>, { lower: R; upper: R }> {
  if (typeof plan !== "object" || plan === null || typeof plan.run !== "function" || typeof plan.count !== "function") {
    throw new NtkError("BAD_OPTION", "A vouching plan needs run(lowerDigits, upperDigits, attempt) and count(lower, upper) functions.");
  }
  if (!Number.isInteger(plan.lowerDigits) || plan.lowerDigits < 1 || !Number.isInteger(plan.precision) || plan.precision < 1) {
    throw new NtkError(
      "BAD_OPTION",
      `A vouching plan needs positive integer precision and lowerDigits, got ${String(plan.precision)} and ${String(plan.lowerDigits)}.`,
    );
  }
  let lowerDigits = plan.lowerDigits;
  for (let attempt = 0; ; attempt++) {
    const upperDigits = lowerDigits + VOUCH_EXTRA_DIGITS;
    const { lower, upper } = yield [lowerDigits, upperDigits, attempt];
    const result: VouchedRuns<R> = { lower, upper, lowerDigits, upperDigits, digits: plan.count(lower, upper, lowerDigits), retried: attempt > 0 };
    if (result.digits >= plan.precision || attempt >= VOUCH_MAX_RETRIES) return result;
    const next = plan.retryDigits ? plan.retryDigits(result) : lowerDigits + (plan.precision - result.digits) + VOUCH_RETRY_MARGIN;
    if (next === null || next <= lowerDigits || next + VOUCH_EXTRA_DIGITS > (plan.maxUpperDigits ?? Infinity)) return result;
    lowerDigits = next;
  }
}

/**
 * The rule of the module note as a combinator: runs `plan.run` at the lower and upper digits,
 * counts with `plan.count`, and repeats once at more digits when the count is short of P.
 * Returns both runs of the pair that stands; rethrows whatever `run` throws.
 */
export async function vouchTwice<R>(plan: VouchPlan<R>): Promise<VouchedRuns<R>> {
  const steps = vouchSteps(plan);
  for (let step = steps.next(); ;) {
    if (step.done) return step.value;
    const [lowerDigits, upperDigits, attempt] = step.value;
    step = steps.next(await plan.run(lowerDigits, upperDigits, attempt));
  }
}

/** {@link vouchTwice} for a computation that runs synchronously (a dense LU). */
export function vouchTwiceSync<R>(plan: VouchPlan<R, { lower: R; upper: R }>): VouchedRuns<R> {
  const steps = vouchSteps(plan);
  for (let step = steps.next(); ;) {
    if (step.done) return step.value;
    const [lowerDigits, upperDigits, attempt] = step.value;
    step = steps.next(plan.run(lowerDigits, upperDigits, attempt));
  }
}

/**
 * The sentence every `vouchedBy` shares: `what` ran twice at the two precisions, the upper run is
 * returned, each value vouches for the digits both agree on, minus one, at most P, and the retry
 * when there was one. `cap` names a further bound, if the caller applies one.
 */
export function vouchedByText(
  what: string,
  runs: Pick<VouchedRuns<unknown>, "lowerDigits" | "upperDigits" | "retried">,
  precision: number,
  cap?: string,
): string {
  return (
    `${what} computed twice, at ${runs.lowerDigits} and at ${runs.upperDigits} significant digits; the ${runs.upperDigits}-digit values are returned, ` +
    `and each value vouches for the digits on which both runs agree, minus one, at most ${precision}` +
    (cap === undefined ? "" : `, and at most ${cap}`) +
    (runs.retried ? " (the first pair of runs vouched fewer digits, so the guard digits were raised once)" : "")
  );
}

/** One value of two runs as a {@link Vouched}, counted by {@link digitsAgreed} (`scale` as there), lowered to `cap` when given. */
export function vouchValue(
  lower: Decimal,
  upper: Decimal,
  runs: Pick<VouchedRuns<unknown>, "lowerDigits" | "upperDigits">,
  precision: number,
  vouchedBy: string,
  scale: Decimal | number = 0,
  cap = Infinity,
): Vouched<Decimal> {
  return {
    value: upper,
    digits: Math.max(0, Math.min(cap, digitsAgreed(lower, upper, precision, scale))),
    precision,
    workingPrecisions: [runs.lowerDigits, runs.upperDigits],
    vouchedBy,
  };
}
