/**
 * One pair of points through depth in arbitrary precision (SPEC §2–4), with the number of
 * significant digits each value vouches for. The high-precision twin of `./float64.ts`: same
 * options, same field names, values as Decimal.
 *
 * Method: the complement recursion (ε = 1 − ρ, u = 1 − Θ̄, τ = Θ(x,x)/q, q = Σ(x,x)) in BigInt
 * floating point (`../precise/correlationMap.ts`), run twice, at P + guard digits and 6 digits
 * above; the digits on which the two runs agree, minus one, are vouched (`../digits.ts`).
 * Raw Σ, Θ are returned unscaled, in a Decimal class with a huge exponent range.
 */
import { checkObject } from "../argumentTypes.js";
import type { Decimal } from "decimal.js";
import { NtkError } from "../errors.js";
import { checkInputDim, MAX_DEPTH, MAX_JUMP_DEPTH, resolveCheckpoints, resolveParams, resolveRho1, type ResolvedParams } from "../params.js";
import { jumpSeriesTable, MAX_JUMP_SERIES_DIGITS, PreciseAbelSeries } from "../depth/precise.js";
import { ProgressTicker, type ProgressOptions } from "../progress.js";
import { checkPreciseRunFits, type ResourceLimits } from "../precise/runCost.js";
import type { PairOptions } from "../types.js";
import { type BigFloat, BigFloatContext } from "../precise/bigFloat.js";
import { piBig } from "../precise/elementary.js";
import { PreciseCorrelationMap } from "../precise/correlationMap.js";
import { PreciseLayerScalars } from "../precise/layerScalars.js";
import { powBig, settleLayers, settles, SettleWatch } from "../precise/fixedPoint.js";
import {
  bitsForDigits,
  checkPrecision,
  DECIMAL_CONSTANT_DIGITS,
  MAX_PRECISION,
  PI_EXTRA_DIGITS,
  preciseDecimal,
  VOUCH_EXTRA_DIGITS,
  workingPrecision,
  type WorkingPrecision,
} from "../precise/precision.js";
import { digitsVouched } from "../digits.js";
import { vouchTwice, vouchedByText } from "../precise/vouched.js";
import { thetaOfComplement } from "../complement.js";

/** Options of the high-precision pair computation. */
export interface PairPrecisionOptions extends PairOptions, ResourceLimits {
  /** Significant digits wanted, an integer from 20 to 1000 (BAD_PRECISION otherwise). */
  readonly precision: number;
  /**
   * "auto" (default): the jump (SPEC §9) for σb = 0 beyond PRECISE_AUTO_JUMP_ABOVE layers, the
   * direct recursion otherwise; "direct"; "jump" (σb = 0 only).
   */
  readonly method?: "auto" | "direct" | "jump";
}

/**
 * PRECISION_RUN_TOO_LARGE unless the direct recursion of one pair to `depth` at `o.precision`
 * digits (two runs, `checkpoints` depths kept) fits the limits of `o` (precise/runCost.ts).
 */
export function checkPairRunFits(o: ResourceLimits & { readonly precision: number }, depth: number, checkpoints: number): void {
  const digits = workingPrecision(o.precision, depth).upper;
  const what = `A high-precision pair through depth ${depth} at ${digits} working digits`;
  checkPreciseRunFits(what, { points: 2, depth, checkpoints, digits, matrices: false }, o);
}

/** The raw kernels: null (value and digits) beyond decimal.js's exponent range. */
export type RawPairField = "sigma" | "ntk" | "sigmaDiag" | "ntkDiag";

/** The quantities with a digits-vouched count. */
export type VouchedPairField = "rho" | "oneMinusRho" | "theta" | "ntkNormalized" | "oneMinusNtkNormalized" | "sigma" | "ntk" | "sigmaDiag" | "ntkDiag";

/** One checkpoint depth, every value a Decimal (SPEC names; raw kernels unscaled). */
export interface PairPointPrecise {
  /** Depth L, as a number: exact up to 2^53 (see depthExact). */
  readonly depth: number;
  /** Depth L exactly. */
  readonly depthExact: bigint;
  /** ρ^(L) = Σ̄^(L)(x,x′), the correlation. */
  readonly rho: Decimal;
  /** 1 − ρ^(L), carried directly. */
  readonly oneMinusRho: Decimal;
  /** θ^(L) = arccos ρ^(L), radians in [0, π]. */
  readonly theta: Decimal;
  /** Θ̄^(L)(x,x′), the normalized NTK. */
  readonly ntkNormalized: Decimal;
  /** 1 − Θ̄^(L), carried directly. */
  readonly oneMinusNtkNormalized: Decimal;
  /** Σ^(L)(x,x′), raw NNGP kernel; null beyond decimal.js's exponent range (10^±9e15: depths past ~3e16). */
  readonly sigma: Decimal | null;
  /** Θ^(L)(x,x′), raw NTK; null like sigma. */
  readonly ntk: Decimal | null;
  /** Σ^(L)(x,x) (the same for every point on the sphere); null like sigma. */
  readonly sigmaDiag: Decimal | null;
  /** Θ^(L)(x,x); null like sigma. */
  readonly ntkDiag: Decimal | null;
  /** Σ̇^(L)(x,x′) = σw² (π − θ^(L−1)) / (2π); null at L = 1 (no ReLU layer yet). */
  readonly sigmaDot: Decimal | null;
  /**
   * Significant digits of each value that are correct: |value − exact| < 10^−d |exact| (0 means
   * not even the first digit is vouched, e.g. a value that is exactly 0 but computed as ±10^−60).
   * Every value has a count (the seven complements and values, the diagonals and Σ̇, null where Σ̇ is).
   */
  readonly digitsVouched: { readonly [K in Exclude<VouchedPairField, RawPairField>]: number } & { readonly [K in RawPairField | "sigmaDot"]: number | null };
}

/** The result of {@link pairThroughDepthPrecise}. */
export interface PairResultPrecise {
  /** The method that ran: "direct" (complement recursion) or "jump" (SPEC §9). */
  readonly method: "direct" | "jump";
  /** Significant digits asked for (P). */
  readonly precision: number;
  /** Significant digits carried by the run whose values are returned. */
  readonly workingPrecision: number;
  /** How the digits were vouched for, in words. */
  readonly vouchedBy: string;
  readonly params: ResolvedParams;
  readonly points: readonly PairPointPrecise[];
}

const VOUCHED_FIELDS: readonly VouchedPairField[] = [
  "rho",
  "oneMinusRho",
  "theta",
  "ntkNormalized",
  "oneMinusNtkNormalized",
  "sigma",
  "ntk",
  "sigmaDiag",
  "ntkDiag",
];

/**
 * ρ, Θ̄ and the raw kernels of one pair through depth in arbitrary precision, with digits vouched.
 * Cost: two runs of L steps (two more, at more guard digits, only if a value came out short of P digits);
 * measured about 13 µs a depth at 32 digits and 25 µs at 100 digits (bench/RESULTS.md), so depth
 * 10^5 takes seconds and 10^9 hours (progress and cancellation through `onProgress`, `signal`).
 * Throws `BAD_PRECISION`, `PRECISION_LIMIT`, `BAD_RHO`, `BAD_DEPTH`, `BAD_SIGMA_W`, `BAD_SIGMA_B`,
 * `BAD_OPTION` (inputDim), `NOT_A_NUMBER`, `NON_FINITE`, `ABORTED`.
 */
export async function pairThroughDepthPrecise(o: PairPrecisionOptions): Promise<PairResultPrecise> {
  checkObject(o, "pairThroughDepthPrecise's options");
  return pairPreciseResolved(resolvePairPrecise(o, false), o);
}

/** The options of {@link pairThroughDepthPrecise} after validation, and the run they ask for, sized. */
export interface ResolvedPairPrecise {
  readonly start: StartValues;
  /** Checkpoint depths, exact, ascending, without duplicates. */
  readonly exact: readonly bigint[];
  readonly method: "direct" | "jump";
  /** The digits asked for and (direct runs) the working digits of the two runs. */
  readonly precision: WorkingPrecision;
  /** Layers the direct recursion runs (the last checkpoint, at most 10^9). */
  readonly depth: number;
}

/**
 * Validates and resolves the options of {@link pairThroughDepthPrecise} once (ρ1, σw, σb, n0,
 * depths, precision, method) and checks that a direct run fits the resource limits of `o`.
 * `observed`: the run is watched at every depth, so it is direct and runs every layer.
 */
export function resolvePairPrecise(o: PairPrecisionOptions, observed: boolean): ResolvedPairPrecise {
  const params = resolveParams(o.params);
  const exact = resolveCheckpoints(o.at, o.depth, (params.sigmaB.isZero() && o.method !== "direct") || settles(params) ? MAX_JUMP_DEPTH : BigInt(MAX_DEPTH));
  const start = { rho1: resolveRho1(o.rho1), params, n0: checkInputDim(o.inputDim) };
  checkPrecision(o.precision);
  const method = observed ? "direct" : choosePreciseMethod(o.method ?? "auto", start, o.precision, exact[exact.length - 1]!);
  const depth = Math.min(Number(exact[exact.length - 1]!), MAX_DEPTH);
  const precision = workingPrecision(o.precision, depth);
  // A settling run stops once its state stops changing, so only the layers to that point cost time.
  if (method === "direct") checkPairRunFits(o, settles(params) && !observed ? Math.min(depth, settleLayers(params, precision.upper)) : depth, exact.length);
  return { start, exact, method, precision, depth };
}

/**
 * Sees 1 − ρ^(l) at every depth l of the returned (higher-precision) run, as a BigFloat of
 * `ctx`: how a comparison scans every depth without converting each one to Decimal.
 */
export type LayerObserver = (depth: number, oneMinusRho: BigFloat, ctx: BigFloatContext) => void;

/**
 * The pair run of options resolved by {@link resolvePairPrecise} (nothing checked again), calling
 * `observe` at every depth of the returned run when given (resolved with `observed`). `o` gives
 * only progress and cancellation.
 */
export async function pairPreciseResolved(r: ResolvedPairPrecise, o: ProgressOptions, observe?: LayerObserver): Promise<PairResultPrecise> {
  const { start, exact, depth, precision: wp } = r;
  const params = start.params;
  if (r.method === "jump") return pairJumpPrecise(wp.precision, start, exact, o);
  // Cancellation (a value near 0 formed from values near 1) can cost digits the depth-based
  // guard does not cover: the vouching rule's retry, within decimal.js's π.
  const runs = await vouchTwice({
    precision: wp.precision,
    lowerDigits: wp.lower,
    maxUpperDigits: DECIMAL_CONSTANT_DIGITS.pi - PI_EXTRA_DIGITS,
    run: async (lowerDigits, upperDigits, attempt) => {
      // Progress: each attempt is two runs of `depth` steps; a retry extends the total.
      const offset = attempt * 2 * depth;
      const onProgress = o.onProgress && ((done: number, total: number) => o.onProgress!(offset + done, offset + total));
      const ticker = new ProgressTicker({ onProgress, signal: o.signal }, 2 * depth, upperDigits > 300 ? 4 : 32);
      const lower = await runPrecise(lowerDigits, start, exact, depth, ticker, 0);
      const upper = await runPrecise(upperDigits, start, exact, depth, ticker, depth, attempt === 0 ? observe : undefined);
      ticker.finish();
      return { lower, upper };
    },
    count: (lower, upper) => leastVouched(vouchPoints(lower, upper, wp.precision)),
  });
  const points = vouchPoints(runs.lower, runs.upper, wp.precision);
  const vouchedBy = vouchedByText(
    `the complement recursion (SPEC §4) in BigInt floating point (${bitsForDigits(runs.lowerDigits)} and ${bitsForDigits(runs.upperDigits)} bits)`,
    runs,
    wp.precision,
  );
  return { method: "direct", precision: wp.precision, workingPrecision: runs.upperDigits, vouchedBy, params, points };
}

/** The fewest digits any value of `points` vouches for. */
function leastVouched(points: readonly PairPointPrecise[]): number {
  return Math.min(...points.flatMap((p) => Object.values(p.digitsVouched).filter((d): d is number => d !== null)));
}

/** "auto" jumps (σb = 0) beyond this many layers: two direct runs of it take ~10 ms at 40 digits, about what the jump costs. */
export const PRECISE_AUTO_JUMP_ABOVE = 1000;

function choosePreciseMethod(method: string, s: StartValues, precision: number, finalDepth: bigint): "direct" | "jump" {
  const params = s.params;
  if (method !== "auto" && method !== "direct" && method !== "jump") {
    throw new NtkError("BAD_OPTION", `method must be "auto", "direct" or "jump", got "${method}".`, { method });
  }
  const jumpable = params.sigmaB.isZero();
  if (method === "jump" && !jumpable) {
    throw new NtkError("BAD_OPTION", `the high-precision jump needs σb = 0; use method "direct".`, { method, precision });
  }
  if (method !== "auto") return method;
  // ρ1 so close to 1 that the series tables cannot hold Θ̄'s digits: the direct recursion, where it reaches.
  const tablesHold = jumpSeriesDigits(precision + JUMP_GUARD_DIGITS + VOUCH_EXTRA_DIGITS, s.rho1.oneMinusRho1) <= MAX_JUMP_SERIES_DIGITS;
  return jumpable && finalDepth > BigInt(PRECISE_AUTO_JUMP_ABOVE) && (tablesHold || finalDepth > BigInt(MAX_DEPTH)) ? "jump" : "direct";
}

/**
 * Digits the series coefficients must hold for a jump run at `digits` from 1 − ρ1: `digits`, and
 * more when ρ1 is so close to 1 that the jump starts at once (θ_1 below θ_s): then
 * 1 − Θ̄^(L) ≈ 1.5 (L − 1)/t_1, t_1 = 3π/θ_1, θ_1 ≈ √(2 ε_1), with L − 1 ≥ 1 000 (JUMP_MIN_LAYERS),
 * and Θ̄ = 1 − (1 − Θ̄) needs log10 of its inverse more (the coefficients' rounding enters Θ̄,
 * not its complement). Exponent-based, so from above.
 */
function jumpSeriesDigits(digits: number, oneMinusRho1: Decimal): number {
  if (oneMinusRho1.isZero()) return digits;
  const log10T = Math.log10(3 * Math.PI) - (Math.log10(2) + oneMinusRho1.e) / 2;
  return digits + Math.max(0, Math.ceil(log10T - Math.log10(1.5 * JUMP_MIN_LAYERS)));
}

/** Exact layers the jump still takes before a checkpoint this close to the current layer (its T^(L) would cancel). */
const JUMP_MIN_LAYERS = 1000;

/**
 * Every checkpoint by the jump (σb = 0), run twice: at P + 8 guard digits with the switch angle
 * of that precision, and 6 digits higher with a switch angle 0.7 times its own (other exact
 * steps, other series terms), so that the vouched digits cover rounding and series truncation.
 * Checkpoints whose sum T^(L) would cancel (L − n < t_n, ρ1 near 1) get 2 log10(t_n/(L − n))
 * more digits.
 */
async function pairJumpPrecise(precision: number, s: StartValues, checkpoints: readonly bigint[], o: ProgressOptions): Promise<PairResultPrecise> {
  const ticker = new ProgressTicker(o, 2, 1);
  const runs = await vouchTwice({
    precision,
    lowerDigits: precision + JUMP_GUARD_DIGITS,
    maxUpperDigits: MAX_PRECISION + JUMP_GUARD_DIGITS + 20 + VOUCH_EXTRA_DIGITS,
    run: async (lowerDigits, upperDigits) => ({
      lower: await runPreciseJump(lowerDigits, 1, s, checkpoints),
      upper: await runPreciseJump(upperDigits, 0.7, s, checkpoints),
    }),
    count: (lower, upper) => leastVouched(vouchPoints(lower, upper, precision)),
  });
  ticker.finish();
  const vouchedBy = vouchedByText(
    "the jump (SPEC §9: exact steps of the complement recursion until θ is small, then the asymptotic series of Φ and Ψ, with different switch angles and series lengths in the two runs)",
    runs,
    precision,
  );
  return { method: "jump", precision, workingPrecision: runs.upperDigits, vouchedBy, params: s.params, points: vouchPoints(runs.lower, runs.upper, precision) };
}

/** Guard digits of the jump's lower run beyond P (its error does not grow with depth). */
const JUMP_GUARD_DIGITS = 8;

/** One jump run at `digits` (plus the digits a cancelling checkpoint needs), switch angle scaled by `switchScale`. */
async function runPreciseJump(digits: number, switchScale: number, s: StartValues, checkpoints: readonly bigint[]): Promise<PointValues[]> {
  const table = await jumpSeriesTable(digits);
  const switchAngle = table.switchAngle(digits) * switchScale;
  // Exact steps in BigFloat (as the direct loop) until θ < switch angle and the next checkpoint is ≥ JUMP_MIN_LAYERS away.
  const bits = bitsForDigits(digits + 30);
  const D0 = preciseDecimal(digits + 30 + PI_EXTRA_DIGITS);
  const map = new PreciseCorrelationMap(bits, D0);
  const c = map.ctx;
  const scalars = new PreciseLayerScalars(s.params, s.n0, c, D0);
  let eps = scalars.layerOneComplement(new D0(s.rho1.oneMinusRho1));
  let u = eps;
  let thetaPrev: BigFloat | null = null;
  let layer = 1n;
  const out: PointValues[] = [];
  let next = 0;
  const stepped = (L: bigint): PointValues =>
    toPoint(Number(L), { eps, theta: map.thetaOfComplement(eps), u, tau: scalars.tau, q: scalars.q, thetaPrev }, map, scalars.halfSigmaW2, D0, L);
  for (;;) {
    while (next < checkpoints.length && checkpoints[next] === layer) out.push(stepped(checkpoints[next++]!));
    if (next === checkpoints.length) return out;
    // The switch only has to be decided the same way every time: θ in float64 is enough (0 when ε underflows, i.e. tiny).
    const thetaSmall = thetaOfComplement(Math.min(c.toNumber(eps), 2)) < switchAngle;
    if (thetaSmall && checkpoints[next]! - layer >= BigInt(JUMP_MIN_LAYERS)) break;
    const { w, a, b } = scalars.step();
    const { theta, next: epsNext } = map.layer(eps, w);
    u = map.ntkComplementStep(u, theta, epsNext, a, b);
    eps = epsNext;
    thetaPrev = theta;
    layer++;
  }
  // ρ1 = 1 exactly: ε stays 0 at every layer (ρ = Θ̄ = 1, θ = 0), where the Abel function has its pole.
  if (eps.m === 0n) return [...out, ...checkpoints.slice(next).map((L) => coincidentPoint(L, s, D0))];
  // The jump for the remaining checkpoints, in BigFloat with the digits the sum needs.
  const thetaExact = map.thetaOfComplement(eps);
  const tEstimate = (3 * Math.PI) / c.toNumber(thetaExact);
  const gap = Number(checkpoints[next]! - layer);
  // θ below float64's range (1 − ρ1 < ~1e-646): log10 t from θ's exponent instead (θ < 2^(e + bits)).
  const log10Ratio = Number.isFinite(tEstimate) ? Math.log10(tEstimate / gap) : Math.log10((3 * Math.PI) / gap) - (thetaExact.e + c.bits) * Math.log10(2);
  const extra = log10Ratio > 0 ? Math.ceil(2 * log10Ratio) + 2 : 2;
  // The coefficients' rounding enters Θ̄, whose complement then loses log10(t_n/(1.5 (L − n))) ≈ (extra − 2)/2 digits.
  const tableDigits = digits + Math.max(0, Math.ceil((extra - 2) / 2));
  if (tableDigits > MAX_JUMP_SERIES_DIGITS) {
    throw new NtkError(
      "PRECISION_LIMIT",
      `ρ1 is so close to 1 that the jump's 1 − Θ̄ at depth ${checkpoints[next]!} needs its series coefficients to ${tableDigits} digits, but they are tabulated to ${MAX_JUMP_SERIES_DIGITS}. Ask for at most ${MAX_JUMP_SERIES_DIGITS - (tableDigits - digits) - JUMP_GUARD_DIGITS - VOUCH_EXTRA_DIGITS} digits, or use method "direct" (depths to ${MAX_DEPTH.toLocaleString("en-US")}).`,
      { seriesDigits: tableDigits, max: MAX_JUMP_SERIES_DIGITS },
    );
  }
  const seriesTable = await jumpSeriesTable(tableDigits);
  const D = preciseDecimal(digits + extra + PI_EXTRA_DIGITS);
  const seriesBits = bitsForDigits(digits + extra);
  // The map's π holds `bits`; a sum that needs more (ρ1 near 1) takes π from Machin's formula.
  const series = PreciseAbelSeries.at(seriesTable, seriesBits, seriesBits <= bits ? map.pi : piBig(new BigFloatContext(seriesBits)));
  const j = series.ctx;
  const big = (x: bigint): BigFloat => j.fromInteger(x);
  const thN = j.normalize(thetaExact.m, thetaExact.e);
  const lnN = series.ln(thN);
  const tN = series.phi(thN, lnN);
  const Tn = j.mul(big(layer), j.sub(j.one, j.normalize(u.m, u.e)));
  const J = j.sub(j.mul(Tn, series.w(thN)), series.psi(thN, lnN));
  const sw2 = new D(s.params.sigmaW).pow(2);
  const halfSigmaW2 = j.fromDecimal(sw2.div(2), D);
  for (; next < checkpoints.length; next++) {
    const L = checkpoints[next]!;
    const thetaL = series.inversePhi(j.add(tN, big(L - layer)));
    // θ^(L−1) ≈ θ^(L) (1 + θ^(L)/(3π)): Newton from there converges in a step or two.
    const thetaBefore =
      L - 1n === layer
        ? thN
        : series.inversePhi(j.add(tN, big(L - 1n - layer)), j.add(thetaL, j.div(j.mul(thetaL, thetaL), j.mul(j.fromInteger(3), series.pi))));
    const half = series.sin(j.scale2(thetaL, -1));
    const oneMinusRho = j.scale2(j.mul(half, half), 1);
    const ntk = j.div(j.add(J, series.psi(thetaL)), j.mul(series.w(thetaL), big(L)));
    const raw = rawDiagonalPrecise(sw2, s.n0, L, D);
    const rho = j.toDecimal(j.sub(j.one, oneMinusRho), D);
    const ntkNormalized = j.toDecimal(ntk, D);
    out.push({
      depth: Number(L),
      depthExact: L,
      rho,
      oneMinusRho: j.toDecimal(oneMinusRho, D),
      theta: j.toDecimal(thetaL, D),
      ntkNormalized,
      oneMinusNtkNormalized: j.toDecimal(j.sub(j.one, ntk), D),
      sigma: raw && rho.times(raw.sigmaDiag),
      ntk: raw && ntkNormalized.times(raw.ntkDiag),
      sigmaDiag: raw && raw.sigmaDiag,
      ntkDiag: raw && raw.ntkDiag,
      sigmaDot: j.toDecimal(j.mul(halfSigmaW2, j.sub(j.one, j.div(thetaBefore, series.pi))), D),
    });
  }
  return out;
}

/** The point at depth L of a pair with ρ1 = 1 exactly (σb = 0): every complement 0, Σ̇ = σw²/2, raw kernels their diagonals. */
function coincidentPoint(L: bigint, s: StartValues, D: typeof Decimal): PointValues {
  const sw2 = new D(s.params.sigmaW).pow(2);
  const raw = rawDiagonalPrecise(sw2, s.n0, L, D);
  return {
    depth: Number(L),
    depthExact: L,
    rho: new D(1),
    oneMinusRho: new D(0),
    theta: new D(0),
    ntkNormalized: new D(1),
    oneMinusNtkNormalized: new D(0),
    sigma: raw && raw.sigmaDiag,
    ntk: raw && raw.ntkDiag,
    sigmaDiag: raw && raw.sigmaDiag,
    ntkDiag: raw && raw.ntkDiag,
    sigmaDot: sw2.div(2),
  };
}

/** Largest |log10| of a raw value decimal.js holds (its exponent limit is 9e15). */
const DECIMAL_EXPONENT_LIMIT = 9e15;
/** The precision that decides whether a raw value is within {@link DECIMAL_EXPONENT_LIMIT}. */
const RANGE_CHECK = preciseDecimal(30);

/** q_L = (σw²/n0)(σw²/2)^{L−1} and L q_L for σb = 0, or null beyond decimal.js's exponent range. */
function rawDiagonalPrecise(sw2: Decimal, n0: number, L: bigint, D: typeof Decimal): { sigmaDiag: Decimal; ntkDiag: Decimal } | null {
  const base = sw2.div(2);
  // Far beyond the range (the usual case at huge depths) a float64 estimate decides, sparing two Decimal logarithms.
  const estimate = Math.log10(sw2.toNumber() / n0) + Math.log10(base.toNumber()) * Number(L - 1n);
  if (Math.abs(estimate) > DECIMAL_EXPONENT_LIMIT + 1e6) return null;
  // Near the limit 30 digits decide (decimal.js's ln 10 stops at 1 013 digits, P = 1000 runs need more).
  const log10 = new RANGE_CHECK(sw2)
    .div(n0)
    .log(10)
    .plus(new RANGE_CHECK(base).log(10).times((L - 1n).toString()));
  if (log10.abs().gt(DECIMAL_EXPONENT_LIMIT - 10)) return null;
  const sigmaDiag = sw2.div(n0).times(base.pow(new D((L - 1n).toString())));
  return { sigmaDiag, ntkDiag: sigmaDiag.times(new D(L.toString())) };
}

/** Each checkpoint of the upper run with the digits the two runs vouch for. */
function vouchPoints(lower: readonly PointValues[], upper: readonly PointValues[], precision: number): PairPointPrecise[] {
  return upper.map((u, i) => vouch(lower[i]!, u, precision));
}

function vouch(l: PointValues, u: PointValues, precision: number): PairPointPrecise {
  const byField = Object.fromEntries(
    VOUCHED_FIELDS.map((k) => [k, l[k] === null || u[k] === null ? null : digitsVouched(l[k]!, u[k]!, precision)]),
  ) as PairPointPrecise["digitsVouched"];
  const sigmaDot = u.sigmaDot === null || l.sigmaDot === null ? null : digitsVouched(l.sigmaDot, u.sigmaDot, precision);
  return { ...u, digitsVouched: { ...byField, sigmaDot } };
}

type PointValues = Omit<PairPointPrecise, "digitsVouched">;

interface StartValues {
  readonly rho1: ReturnType<typeof resolveRho1>;
  readonly params: ResolvedParams;
  readonly n0: number;
}

/**
 * One run at `digits` significant digits: the recursion of docs/RECURSIONS.md in BigFloat, Decimal out at checkpoints.
 * σb > 0 with σw² < 2: once the state settles (../precise/fixedPoint.ts) the later checkpoints, to 2^60, come from its closed form.
 */
async function runPrecise(
  digits: number,
  s: StartValues,
  exact: readonly bigint[],
  depth: number,
  ticker: ProgressTicker,
  done0: number,
  observe?: LayerObserver,
): Promise<PointValues[]> {
  const checkpoints = exact.map(Number);
  const D = preciseDecimal(digits + PI_EXTRA_DIGITS);
  const map = new PreciseCorrelationMap(bitsForDigits(digits), D);
  const c = map.ctx;
  const scalars = new PreciseLayerScalars(s.params, s.n0, c, D);
  // ε_1 = c1 (1 − x·x′), formed from the exact complement 1 − ρ1.
  let eps = scalars.layerOneComplement(new D(s.rho1.oneMinusRho1));
  let u = eps; // u_1 = 1 − Θ̄^(1) = ε_1
  let thetaPrev: BigFloat | null = null;
  const watch = !observe && settles(s.params) ? new SettleWatch(c) : null;
  const out: PointValues[] = [];
  let next = 0;
  for (let l = 1; ; l++) {
    if (l === depth) {
      observe?.(l, eps, c);
      if (l === checkpoints[next])
        out.push(toPoint(l, { eps, theta: map.thetaOfComplement(eps), u, tau: scalars.tau, q: scalars.q, thetaPrev }, map, scalars.halfSigmaW2, D));
      break;
    }
    const { tau, q } = scalars;
    const { w, a, b } = scalars.step();
    const { theta, next: epsNext } = map.layer(eps, w);
    observe?.(l, eps, c);
    if (l === checkpoints[next]) {
      out.push(toPoint(l, { eps, theta, u, tau, q, thetaPrev }, map, scalars.halfSigmaW2, D));
      next++;
    }
    const uNext = map.ntkComplementStep(u, theta, epsNext, a, b);
    const settled = watch !== null && watch.observe(w, scalars.q, scalars.tau, eps, epsNext, u, uNext);
    u = uNext;
    eps = epsNext;
    thetaPrev = theta;
    if (settled) return [...out, ...settledPoints(l + 1, { eps, u, w, rootW: watch.rootWeight, thetaPrev: theta }, exact.slice(next), map, scalars, D)];
    const pause = ticker.tick(done0 + l);
    if (pause) await pause;
  }
  if (next < exact.length - 1 || exact[exact.length - 1]! > BigInt(depth)) {
    throw new NtkError(
      "BAD_DEPTH",
      `the recursion did not settle to its fixed point within ${MAX_DEPTH.toLocaleString("en-US")} layers, so depth ${exact[exact.length - 1]} cannot be run layer by layer.`,
      { depth: exact[exact.length - 1]!.toString() },
    );
  }
  return out;
}

/** Decimal's exponent limit, with room for the digits of a value: complements smaller than 10^−this are refused. */
const SMALLEST_COMPLEMENT_LOG10 = 9e15 - 1e3;

/**
 * The checkpoints at or after a settled layer n: ε_L = ε_n w^{L−n}, u_L = u_n (√w)^{L−n} (../precise/fixedPoint.ts),
 * q and τ as at n. Throws BAD_DEPTH where 1 − ρ^(L) or 1 − Θ̄^(L) falls below decimal.js's range (ρ = 1 to every digit).
 */
function settledPoints(
  n: number,
  st: { eps: BigFloat; u: BigFloat; w: BigFloat; rootW: BigFloat; thetaPrev: BigFloat },
  depths: readonly bigint[],
  map: PreciseCorrelationMap,
  scalars: PreciseLayerScalars,
  D: typeof Decimal,
): PointValues[] {
  const c = map.ctx;
  const at = (k: bigint) => ({ eps: c.mul(st.eps, powBig(c, st.w, k)), u: c.mul(st.u, powBig(c, st.rootW, k)) });
  return depths.map((L) => {
    const k = L - BigInt(n);
    const { eps, u } = at(k);
    for (const x of [eps, u]) {
      if (!c.isZero(x) && (x.e + c.bits) * Math.log10(2) < -SMALLEST_COMPLEMENT_LOG10) {
        throw new NtkError(
          "BAD_DEPTH",
          `at depth ${L} the complements 1 − ρ and 1 − Θ̄ (≈ 10^${Math.round((x.e + c.bits) * Math.log10(2))}) are beyond decimal.js's exponent range (10^−9e15); ρ and Θ̄ are 1 to every digit there. Ask for a smaller depth.`,
          { depth: L.toString() },
        );
      }
    }
    const thetaPrev = k === 0n ? st.thetaPrev : map.thetaOfComplement(at(k - 1n).eps);
    return toPoint(Number(L), { eps, theta: map.thetaOfComplement(eps), u, tau: scalars.tau, q: scalars.q, thetaPrev }, map, scalars.halfSigmaW2, D, L);
  });
}

interface LayerState {
  readonly eps: BigFloat;
  readonly theta: BigFloat;
  readonly u: BigFloat;
  readonly tau: BigFloat;
  readonly q: BigFloat;
  readonly thetaPrev: BigFloat | null;
}

function toPoint(depth: number, st: LayerState, map: PreciseCorrelationMap, halfSigmaW2: BigFloat, D: typeof Decimal, depthExact = BigInt(depth)): PointValues {
  const c = map.ctx;
  const oneMinusRho = c.toDecimal(st.eps, D);
  const oneMinusNtkNormalized = c.toDecimal(st.u, D);
  const rho = new D(1).minus(oneMinusRho);
  const ntkNormalized = new D(1).minus(oneMinusNtkNormalized);
  const sigmaDiag = c.toDecimal(st.q, D);
  const ntkDiag = c.toDecimal(c.mul(st.tau, st.q), D);
  const sigmaDot = st.thetaPrev === null ? null : c.toDecimal(c.mul(halfSigmaW2, c.sub(c.one, map.oneMinusKappa0(st.thetaPrev))), D);
  return {
    depth,
    depthExact,
    rho,
    oneMinusRho,
    theta: c.toDecimal(st.theta, D),
    ntkNormalized,
    oneMinusNtkNormalized,
    sigma: rho.times(sigmaDiag),
    ntk: ntkNormalized.times(ntkDiag),
    sigmaDiag,
    ntkDiag,
    sigmaDot,
  };
}
