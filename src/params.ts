/**
 * Validation of the inputs every kernel path shares (SPEC §1–3): network parameters σw, σb, the
 * input correlation ρ1 with its exact complement, and depths. The float64 and the high-precision
 * paths both call these, so the same bad input gets the same code and message everywhere.
 */
import type { Decimal } from "decimal.js";
import { NtkError } from "./errors.js";
import { exactOneMinus, toExactDecimal } from "./decimalText.js";
import type { KernelName, NetworkParams } from "./types.js";
import { describeValue } from "./argumentTypes.js";

/** Largest depth any path accepts: the pair recursion runs in O(1) memory, so 10^9 is a time limit, not a memory one. */
export const MAX_DEPTH = 1_000_000_000;

/** Network parameters after validation, as exact decimals and as float64. */
export interface ResolvedParams {
  /** σw as the exact decimal it was given as (a number means its exact binary value). */
  readonly sigmaW: Decimal;
  /** σb likewise. */
  readonly sigmaB: Decimal;
  /** σw rounded to float64 (> 0). */
  readonly sigmaW64: number;
  /** σb rounded to float64 (≥ 0). */
  readonly sigmaB64: number;
  /** True for the paper's case σw = 1, σb = 0 (SPEC §3), where closed forms hold. */
  readonly paperCase: boolean;
}

/**
 * Validates σw (> 0, finite) and σb (≥ 0, finite); defaults σw = 1, σb = 0.
 * Throws `BAD_SIGMA_W`, `BAD_SIGMA_B`, or `NOT_A_NUMBER` for text that is not a decimal.
 */
export function resolveParams(params: NetworkParams = {}): ResolvedParams {
  const sigmaW = toExactDecimal(params.sigmaW ?? 1, "σw (sigmaW)");
  const sigmaB = toExactDecimal(params.sigmaB ?? 0, "σb (sigmaB)");
  const sigmaW64 = sigmaW.toNumber();
  const sigmaB64 = sigmaB.toNumber();
  if (!(sigmaW.gt(0) && sigmaW64 > 0 && Number.isFinite(sigmaW64))) {
    throw new NtkError("BAD_SIGMA_W", `σw must be a positive finite number, got ${sigmaW.toString()}. The paper's case is σw = 1.`, {
      sigmaW: sigmaW.toString(),
    });
  }
  if (!(sigmaB.gte(0) && Number.isFinite(sigmaB64))) {
    throw new NtkError("BAD_SIGMA_B", `σb must be a finite number ≥ 0, got ${sigmaB.toString()}. The paper's case is σb = 0.`, { sigmaB: sigmaB.toString() });
  }
  return { sigmaW, sigmaB, sigmaW64, sigmaB64, paperCase: sigmaW.eq(1) && sigmaB.isZero() };
}

/** log2 of the widest σw and nonzero σb the float64 paths take: 2^±250 ≈ 1.8e75 and 5.5e-76. */
const FLOAT64_SIGMA_LOG2 = 250;

/**
 * Checks that σw and σb (when not 0) lie in [2^-250, 2^250] (about 5.5e-76 … 1.8e75), the range in
 * which the float64 layer scalars (q_l as a mantissa in 2^±500 times a power of two) never leave
 * the normal float64 range: σw²/2 · q and σb² · 2^-scale stay normal and finite, so every value is
 * finite and rounded only to float64 precision. Outside it σw² or σb² would over- or underflow and
 * the results would be NaN or silently inexact. Throws `BAD_SIGMA_W` / `BAD_SIGMA_B` naming the
 * high-precision path, which takes any positive σw and σb ≥ 0.
 */
export function checkFloat64Params(params: ResolvedParams): void {
  const outside = (x: number): boolean => !(Math.abs(Math.log2(x)) <= FLOAT64_SIGMA_LOG2);
  const range = `from 2^-${FLOAT64_SIGMA_LOG2} ≈ ${(2 ** -FLOAT64_SIGMA_LOG2).toPrecision(2)} to 2^${FLOAT64_SIGMA_LOG2} ≈ ${(2 ** FLOAT64_SIGMA_LOG2).toPrecision(2)}`;
  const advice = "Use the high-precision path (the precision option), which takes any value.";
  if (outside(params.sigmaW64)) {
    throw new NtkError(
      "BAD_SIGMA_W",
      `σw = ${params.sigmaW.toString()} is outside the float64 range: σw must be ${range}, or σw² over- or underflows. ${advice}`,
      { sigmaW: params.sigmaW.toString() },
    );
  }
  if (params.sigmaB64 !== 0 && outside(params.sigmaB64)) {
    throw new NtkError(
      "BAD_SIGMA_B",
      `σb = ${params.sigmaB.toString()} is outside the float64 range: σb must be 0 or ${range}, or σb² over- or underflows. ${advice}`,
      { sigmaB: params.sigmaB.toString() },
    );
  }
}

/** ρ1 after validation: the exact decimal, its exact complement, and both as float64. */
export interface ResolvedRho1 {
  /** ρ1 exactly as given (text is read as the decimal it spells). */
  readonly rho1: Decimal;
  /** 1 − ρ1, exact (formed from the decimal, not from its float64 rounding). */
  readonly oneMinusRho1: Decimal;
  /** ρ1 rounded to float64. */
  readonly rho1_64: number;
  /** 1 − ρ1 rounded to float64 once, from the exact complement: "0.9999999" gives exactly 1e-7. */
  readonly oneMinusRho1_64: number;
}

/**
 * Validates the input correlation ρ1 = x·x′ ∈ [−1, 1] (SPEC §3). A string is read as the decimal
 * it spells. Throws `BAD_RHO` when |ρ1| > 1, `NON_FINITE`/`NOT_A_NUMBER` for non-numbers.
 */
export function resolveRho1(rho1: number | string): ResolvedRho1 {
  const r = toExactDecimal(rho1, "ρ1 (rho1)");
  if (r.abs().gt(1)) {
    throw new NtkError("BAD_RHO", `ρ1 must lie in [−1, 1] (it is the cosine between two unit vectors), got ${r.toString()}.`, { rho1: r.toString() });
  }
  const c = exactOneMinus(r);
  return { rho1: r, oneMinusRho1: c, rho1_64: r.toNumber(), oneMinusRho1_64: c.toNumber() };
}

/**
 * Validates one depth L (number of weight layers, SPEC §1): an integer with 1 ≤ L ≤ `max`.
 * `what` names it in the message (e.g. "--depth", "checkpoint 3"). Throws `BAD_DEPTH`.
 */
export function checkDepth(depth: number, what = "depth", max = MAX_DEPTH): number {
  if (!Number.isInteger(depth) || depth < 1 || depth > max) {
    throw new NtkError("BAD_DEPTH", `${what} must be an integer from 1 to ${max.toLocaleString("en-US")}, got ${depth}.`, { depth, max });
  }
  return depth;
}

/**
 * Validates a list of checkpoint depths and returns them sorted ascending without duplicates.
 * An empty or absent list means just `finalDepth`. Every checkpoint must be ≤ `finalDepth`.
 */
export function checkCheckpoints(at: readonly number[] | undefined, finalDepth: number, max = MAX_DEPTH): number[] {
  checkDepth(finalDepth, "depth", max);
  if (at === undefined || at.length === 0) return [finalDepth];
  for (const [i, d] of at.entries()) {
    checkDepth(d, `checkpoint ${i + 1}`, max);
    if (d > finalDepth) {
      throw new NtkError("BAD_DEPTH", `checkpoint ${d} is deeper than the final depth ${finalDepth}; raise the depth or drop the checkpoint.`, {
        depth: d,
        finalDepth,
      });
    }
  }
  return [...new Set(at)].sort((a, b) => a - b);
}

/** Deepest depth any path accepts (SPEC §9: the jump for σb = 0, the fixed point for σb > 0): 2^60 ≈ 1.15e18. */
export const MAX_JUMP_DEPTH = 2n ** 60n;

/** A depth as the API accepts it: a safe integer number, a bigint, or decimal integer text ("1e18", "1000000000000000001"). */
export type DepthInput = number | bigint | string;

/**
 * Reads one depth L exactly (number, bigint or decimal integer text such as "1000000000000000001"
 * or "1e18") and checks 1 ≤ L ≤ `max`. A number must be a safe integer (beyond 2^53 a number is
 * not exact: pass a bigint or text). Throws `BAD_DEPTH` naming `what`.
 */
export function resolveDepth(value: DepthInput, what = "depth", max: bigint = MAX_JUMP_DEPTH): bigint {
  let depth: bigint | null = null;
  if (typeof value === "bigint") depth = value;
  else if (typeof value === "number") depth = Number.isSafeInteger(value) ? BigInt(value) : null;
  else if (typeof value === "string") {
    const m = /^\s*\+?(\d+)(?:[eE]\+?(\d{1,3}))?\s*$/.exec(value);
    depth = m === null ? null : BigInt(m[1]!) * 10n ** BigInt(m[2] ?? 0);
  }
  if (depth === null || depth < 1n || depth > max) {
    const hint =
      typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value)
        ? " (beyond 2^53 a number is not exact: pass a bigint or decimal text)"
        : "";
    throw new NtkError("BAD_DEPTH", `${what} must be an integer from 1 to ${max.toLocaleString("en-US")}, got ${String(value)}${hint}.`, {
      depth: String(value),
      max: max.toString(),
    });
  }
  return depth;
}

/**
 * Validates checkpoint depths exactly (each a {@link DepthInput} ≤ `finalDepth`), returned sorted
 * ascending without duplicates; an empty or absent list means just `finalDepth`. Throws `BAD_DEPTH`.
 */
export function resolveCheckpoints(at: readonly DepthInput[] | undefined, finalDepth: DepthInput, max: bigint = MAX_JUMP_DEPTH): bigint[] {
  const last = resolveDepth(finalDepth, "depth", max);
  if (at === undefined || at.length === 0) return [last];
  const list = at.map((d, i) => resolveDepth(d, `checkpoint ${i + 1}`, max));
  for (const d of list) {
    if (d > last)
      throw new NtkError("BAD_DEPTH", `checkpoint ${d} is deeper than the final depth ${last}; raise the depth or drop the checkpoint.`, {
        depth: d.toString(),
        finalDepth: last.toString(),
      });
  }
  return [...new Set(list)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `BAD_DEPTH` unless `depths` is a non-empty array. */
function checkNonEmptyDepths(depths: readonly unknown[]): void {
  if (!Array.isArray(depths) || depths.length === 0) {
    throw new NtkError("BAD_DEPTH", "Give at least one depth L ≥ 1 at which to report the Gram matrices.", {});
  }
}

/** Validates a checkpoint list: each a {@link DepthInput} 1 … 1e9, at least one; returns them as numbers, sorted, without duplicates. */
export function checkDepthList(depths: readonly DepthInput[]): number[] {
  return resolveDepthList(depths, BigInt(MAX_DEPTH)).map(Number);
}

/** Validates a checkpoint list exactly: each a depth 1 … `max`, at least one; returns them sorted, without duplicates. */
export function resolveDepthList(depths: readonly DepthInput[], max: bigint): bigint[] {
  checkNonEmptyDepths(depths);
  const exact = depths.map((d, i) => resolveDepth(d, depths.length === 1 ? "depth" : `depth ${i + 1}`, max));
  return [...new Set(exact)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Validates n0: an integer ≥ 1. Throws `BAD_OPTION`. */
export function checkInputDim(inputDim: number | undefined): number {
  const n0 = inputDim ?? 1;
  if (!Number.isSafeInteger(n0) || n0 < 1) {
    throw new NtkError("BAD_OPTION", `inputDim (n0, the input dimension) must be an integer ≥ 1, got ${n0}.`, { inputDim: n0 });
  }
  return n0;
}

/** The kernel name: "ntk" (Θ) or "nngp" (Σ); BAD_OPTION otherwise. */
export function checkKernelName(kernel: unknown): KernelName {
  if (kernel !== "ntk" && kernel !== "nngp") {
    throw new NtkError("BAD_OPTION", `kernel must be "ntk" or "nngp", got ${describeValue(kernel)}.`, { kernel: describeValue(kernel) });
  }
  return kernel;
}
