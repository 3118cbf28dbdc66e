/**
 * The training settings of a closed-form prediction (SPEC §6): time, learning rate, ridge, and
 * the conventions that give them meaning. Validated here once, so the float64 and the
 * high-precision paths reject the same values with the same codes.
 *
 * Time convention "flow" (the default, SPEC §6): gradient flow on the summed squared loss
 * `½‖f(X) − Y‖²` with learning rate η, `df/dt = −η K (f − Y)`, so
 * `f_t(x) = K_x K^{-1} (I − e^{−ηKt}) Y`; only the product ηt matters.
 *
 * Time convention "neural-tangents": the convention of Neural Tangents'
 * `predict.gradient_descent_mse` (Novak et al., 2020), as read in its source: the exponent there
 * is `−λ · (learning_rate · t) / y_train.size`, because its loss is the MEAN over all m·k training
 * targets, and negative eigenvalues are clamped to 0. Its time t_NT is therefore ours times m·k:
 * `t_flow = t_NT / (m·k)`. Neural Tangents also scales `diag_reg` by `trace(K)/m` unless
 * `diag_reg_absolute_scale=True`: use `diagRegScale: "mean-diagonal"` to match that default.
 */
import type { Decimal } from "decimal.js";
import { NtkError } from "../errors.js";
import { toExactDecimal } from "../decimalText.js";

/** What `time` means; see the module documentation. */
export type TimeConvention = "flow" | "neural-tangents";

/** How `diagReg` is scaled: as given, or times the mean diagonal trace(K)/m (Neural Tangents' default). */
export type DiagRegScale = "absolute" | "mean-diagonal";

/** Every time convention, in the order help texts list them. */
export const TIME_CONVENTIONS: readonly TimeConvention[] = ["flow", "neural-tangents"];

/** Every ridge scale, in the order help texts list them. */
export const DIAG_REG_SCALES: readonly DiagRegScale[] = ["absolute", "mean-diagonal"];

/** The settings a caller gives (all optional). */
export interface PredictionSettings {
  /**
   * Training time t ≥ 0 (in `timeConvention` units), or "inf" (also "Infinity", "∞", `Infinity`) for f_∞. Default
   * "inf". Text means the decimal it spells (the high-precision path uses it exactly), a number the
   * decimal `toExactDecimal` reads from it (its shortest text: 0.01 means 1/100); likewise for
   * `learningRate` and `diagReg`.
   */
  readonly time?: number | string;
  /** Learning rate η > 0. Default 1. Only ηt enters the result. */
  readonly learningRate?: number | string;
  /** Ridge δ ≥ 0: K is replaced by K + δI (after scaling by `diagRegScale`). Default 0. */
  readonly diagReg?: number | string;
  /** See {@link TimeConvention}. Default "flow". */
  readonly timeConvention?: TimeConvention;
  /** See {@link DiagRegScale}. Default "absolute". */
  readonly diagRegScale?: DiagRegScale;
}

/** Settings after validation. */
export interface ResolvedSettings {
  /** True for t = ∞ (f_∞ = K_x K^{-1} Y). */
  readonly infinite: boolean;
  /** The time as given, rounded to float64 (Infinity for "inf"). */
  readonly time: number;
  readonly learningRate: number;
  readonly diagReg: number;
  /** Exact values of time (null for ∞), learning rate and ridge, for the high-precision path. */
  readonly exact: { readonly time: Decimal | null; readonly learningRate: Decimal; readonly diagReg: Decimal };
  readonly timeConvention: TimeConvention;
  readonly diagRegScale: DiagRegScale;
}

/**
 * Validates the settings. Throws `BAD_OPTION` naming the setting for a negative or non-finite time
 * (other than "inf"/Infinity), a learning rate that is not a positive finite number, a negative or
 * non-finite ridge, an unknown convention, or an ηt that overflows float64.
 */
export function resolveSettings(s: PredictionSettings = {}): ResolvedSettings {
  const time = readTime(s.time);
  const learningRateExact = exactOption(s.learningRate ?? 1, "learningRate η");
  const learningRate = learningRateExact.toNumber();
  if (!(learningRateExact.gt(0) && learningRate > 0 && Number.isFinite(learningRate))) {
    throw new NtkError("BAD_OPTION", `learningRate η must be a positive finite number, got ${String(s.learningRate)}.`, {
      learningRate: String(s.learningRate),
    });
  }
  const diagRegExact = exactOption(s.diagReg ?? 0, "diagReg δ");
  const diagReg = diagRegExact.toNumber();
  if (!(diagRegExact.gte(0) && Number.isFinite(diagReg))) {
    throw new NtkError("BAD_OPTION", `diagReg δ must be a finite number ≥ 0, got ${String(s.diagReg)}.`, { diagReg: String(s.diagReg) });
  }
  const timeConvention = s.timeConvention ?? "flow";
  if (!TIME_CONVENTIONS.includes(timeConvention)) {
    throw new NtkError("BAD_OPTION", `unknown time convention "${String(timeConvention)}"; choose ${TIME_CONVENTIONS.join(" or ")}.`, { timeConvention });
  }
  const diagRegScale = s.diagRegScale ?? "absolute";
  if (!DIAG_REG_SCALES.includes(diagRegScale)) {
    throw new NtkError("BAD_OPTION", `unknown diagReg scale "${String(diagRegScale)}"; choose ${DIAG_REG_SCALES.join(" or ")}.`, { diagRegScale });
  }
  return checkFlowRange({
    infinite: time.infinite,
    time: time.time,
    learningRate,
    diagReg,
    timeConvention,
    diagRegScale,
    exact: { time: time.exact, learningRate: learningRateExact, diagReg: diagRegExact },
  });
}

/**
 * Resolved settings at another time (a predictor's query): checks the time alone, and ηt's range,
 * as {@link resolveSettings} does; the rest of `base` was resolved already.
 */
export function settingsAtTime(base: ResolvedSettings, time: number | string | undefined): ResolvedSettings {
  const t = readTime(time);
  return checkFlowRange({ ...base, infinite: t.infinite, time: t.time, exact: { ...base.exact, time: t.exact } });
}

/** The `time` setting (default "inf"); BAD_OPTION unless finite and ≥ 0 or "inf". */
function readTime(given: number | string | undefined): { infinite: boolean; time: number; exact: Decimal | null } {
  const rawTime = given ?? "inf";
  const infinite = rawTime === Infinity || (typeof rawTime === "string" && /^\s*(inf|infinity|∞)\s*$/i.test(rawTime));
  const timeExact = infinite ? null : exactOption(rawTime, "time");
  if (timeExact !== null && !(timeExact.gte(0) && Number.isFinite(timeExact.toNumber()))) {
    throw new NtkError("BAD_OPTION", `time must be a finite number ≥ 0 or "inf", got ${String(rawTime)}.`, { time: String(rawTime) });
  }
  return { infinite, time: timeExact === null ? Infinity : timeExact.toNumber(), exact: timeExact };
}

/** `s` itself, or BAD_OPTION when ηt overflows float64. */
function checkFlowRange(s: ResolvedSettings): ResolvedSettings {
  if (!s.infinite && !Number.isFinite(s.learningRate * s.time)) {
    throw new NtkError("BAD_OPTION", `learningRate × time = ${s.learningRate} × ${s.time} overflows float64; use time "inf" for the limit.`, {
      learningRate: s.learningRate,
      time: s.time,
    });
  }
  return s;
}

/**
 * Settings of an internal solve from values computed, not given (checks nothing): the "flow"
 * convention at learning rate 1, time ηt (Infinity or "inf" for t = ∞, as {@link resolveSettings}
 * reads them) and ridge δ ≥ 0, both finite float64 otherwise.
 */
export function flowSettings(time: number | "inf", diagReg: number, diagRegScale: DiagRegScale): ResolvedSettings {
  const infinite = time === "inf" || time === Infinity;
  const timeExact = infinite ? null : toExactDecimal(time, "time");
  return {
    infinite,
    time: timeExact === null ? Infinity : timeExact.toNumber(),
    learningRate: 1,
    diagReg,
    timeConvention: "flow",
    diagRegScale,
    exact: { time: timeExact, learningRate: toExactDecimal(1, "learningRate η"), diagReg: toExactDecimal(diagReg, "diagReg δ") },
  };
}

/** A number or decimal text as its exact Decimal; `BAD_OPTION` for anything else. */
function exactOption(value: number | string, what: string): Decimal {
  if (typeof value !== "number" && typeof value !== "string") {
    throw new NtkError("BAD_OPTION", `${what} must be a number or decimal text, got ${String(value)}.`, { what });
  }
  try {
    return toExactDecimal(value, what);
  } catch {
    throw new NtkError("BAD_OPTION", `${what} must be a finite number, got ${String(value)}.`, { what, value: String(value) });
  }
}

/**
 * ηt in the "flow" convention for m training points with k targets each: `η·t` for "flow",
 * `η·t/(m·k)` for "neural-tangents". Infinity for t = ∞.
 */
export function flowTime(s: ResolvedSettings, m: number, k: number): number {
  if (s.infinite) return Infinity;
  const etaT = s.learningRate * s.time;
  return s.timeConvention === "neural-tangents" ? etaT / (m * k) : etaT;
}

/** The ridge added to the diagonal: δ, or δ·trace(K)/m for "mean-diagonal" (`trace` = trace(K)). */
export function ridgeFor(s: ResolvedSettings, trace: number, m: number): number {
  return s.diagRegScale === "mean-diagonal" ? (s.diagReg * trace) / m : s.diagReg;
}

/** {@link flowTime} exactly, as a Decimal of the class `D` (rounded to its precision); null for t = ∞. */
export function flowTimePrecise(s: ResolvedSettings, m: number, k: number, D: typeof Decimal): Decimal | null {
  if (s.exact.time === null) return null;
  const etaT = new D(s.exact.learningRate).times(s.exact.time);
  return s.timeConvention === "neural-tangents" ? etaT.div(m * k) : etaT;
}
