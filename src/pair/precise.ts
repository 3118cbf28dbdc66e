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
import type { Decimal } from "decimal.js";
import { NtkError } from "../errors.js";
import { checkInputDim, MAX_DEPTH, MAX_JUMP_DEPTH, resolveCheckpoints, resolveParams, resolveRho1, type ResolvedParams } from "../params.js";
import { jumpSwitchAngle, MAX_JUMP_PRECISION, PreciseAbelSeries } from "../depth/precise.js";
import { ProgressTicker } from "../progress.js";
import type { PairOptions } from "../types.js";
import type { BigFloat, BigFloatContext } from "../precise/bigFloat.js";
import { PreciseCorrelationMap } from "../precise/correlationMap.js";
import { PreciseLayerScalars } from "../precise/layerScalars.js";
import {
  bitsForDigits,
  checkPrecision,
  DECIMAL_CONSTANT_DIGITS,
  PI_EXTRA_DIGITS,
  preciseDecimal,
  VOUCH_EXTRA_DIGITS,
  workingPrecision,
} from "../precise/precision.js";
import { digitsVouched } from "../digits.js";

/** Options of the high-precision pair computation. */
export interface PairPrecisionOptions extends PairOptions {
  /** Significant digits wanted, an integer from 20 to 1000 (BAD_PRECISION otherwise). */
  readonly precision: number;
  /**
   * "auto" (default): the jump (SPEC §9) for σb = 0 beyond PRECISE_AUTO_JUMP_ABOVE layers when
   * precision ≤ MAX_JUMP_PRECISION, the direct recursion otherwise; "direct"; "jump".
   */
  readonly method?: "auto" | "direct" | "jump";
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
export function pairThroughDepthPrecise(o: PairPrecisionOptions): Promise<PairResultPrecise> {
  return pairThroughDepthPreciseObserved(o);
}

/**
 * Sees 1 − ρ^(l) at every depth l of the returned (higher-precision) run, as a BigFloat of
 * `ctx`: how a comparison scans every depth without converting each one to Decimal.
 */
export type LayerObserver = (depth: number, oneMinusRho: BigFloat, ctx: BigFloatContext) => void;

/** {@link pairThroughDepthPrecise} that also calls `observe` at every depth of the returned run (direct runs only: the jump has no layers to observe). */
export async function pairThroughDepthPreciseObserved(o: PairPrecisionOptions, observe?: LayerObserver): Promise<PairResultPrecise> {
  const params = resolveParams(o.params);
  const exact = resolveCheckpoints(o.at, o.depth, params.sigmaB.isZero() && o.method !== "direct" ? MAX_JUMP_DEPTH : BigInt(MAX_DEPTH));
  const rho1 = resolveRho1(o.rho1);
  const n0 = checkInputDim(o.inputDim);
  const start = { rho1, params, n0 };
  checkPrecision(o.precision);
  const method = observe ? "direct" : choosePreciseMethod(o.method ?? "auto", params, o.precision, exact[exact.length - 1]!);
  if (method === "jump") return pairJumpPrecise(o.precision, start, exact, o);
  const checkpoints = exact.map(Number);
  const depth = checkpoints[checkpoints.length - 1]!;
  let wp = workingPrecision(o.precision, depth);
  for (let attempt = 0; ; attempt++) {
    // Progress: each attempt is two runs of `depth` steps; a retry extends the total.
    const offset = attempt * 2 * depth;
    const onProgress = o.onProgress && ((done: number, total: number) => o.onProgress!(offset + done, offset + total));
    const ticker = new ProgressTicker({ onProgress, signal: o.signal }, 2 * depth, wp.upper > 300 ? 4 : 32);
    const lower = await runPrecise(wp.lower, start, checkpoints, depth, ticker, 0);
    const upper = await runPrecise(wp.upper, start, checkpoints, depth, ticker, depth, attempt === 0 ? observe : undefined);
    ticker.finish();
    const points = upper.map((u, i) => vouch(lower[i]!, u, wp.precision));
    // Cancellation (a value near 0 formed from values near 1) can cost digits the depth-based
    // guard does not cover: one retry with that many more guard digits, within decimal.js's π.
    const least = leastVouched(points);
    const retry = wp.lower + (wp.precision - least) + 2;
    if (least >= wp.precision || attempt === MAX_RETRIES || retry + VOUCH_EXTRA_DIGITS + PI_EXTRA_DIGITS > DECIMAL_CONSTANT_DIGITS.pi) {
      const vouchedBy =
        `computed twice with the complement recursion (SPEC §4) in BigInt floating point, at ${wp.lower} and at ${wp.upper} significant digits ` +
        `(${bitsForDigits(wp.lower)} and ${bitsForDigits(wp.upper)} bits); the values returned are the ${wp.upper}-digit ones, ` +
        `and a value vouches for the significant digits on which the two runs agree, minus one, at most ${wp.precision}` +
        (attempt > 0 ? ` (the first pair of runs vouched fewer digits, so the guard digits were raised once)` : "");
      return { method: "direct", precision: wp.precision, workingPrecision: wp.upper, vouchedBy, params, points };
    }
    wp = { precision: wp.precision, lower: retry, upper: retry + VOUCH_EXTRA_DIGITS };
  }
}

/** The fewest digits any value of `points` vouches for. */
function leastVouched(points: readonly PairPointPrecise[]): number {
  return Math.min(...points.flatMap((p) => Object.values(p.digitsVouched).filter((d): d is number => d !== null)));
}

/** "auto" jumps (σb = 0) beyond this many layers: two direct runs of it take ~10 ms at 40 digits, about what the jump costs. */
export const PRECISE_AUTO_JUMP_ABOVE = 1000;

function choosePreciseMethod(method: string, params: ResolvedParams, precision: number, finalDepth: bigint): "direct" | "jump" {
  if (method !== "auto" && method !== "direct" && method !== "jump") {
    throw new NtkError("BAD_OPTION", `method must be "auto", "direct" or "jump", got "${method}".`, { method });
  }
  const jumpable = params.sigmaB.isZero() && precision <= MAX_JUMP_PRECISION;
  if (method === "jump" && !jumpable) {
    const why = params.sigmaB.isZero() ? `precision ≤ ${MAX_JUMP_PRECISION} (the series tables hold 130 digits)` : "σb = 0";
    throw new NtkError("BAD_OPTION", `the high-precision jump needs ${why}; use method "direct".`, { method, precision });
  }
  if (method === "auto" && !jumpable && finalDepth > BigInt(MAX_DEPTH)) {
    throw new NtkError(
      "BAD_DEPTH",
      `depth ${finalDepth} is beyond ${MAX_DEPTH.toLocaleString("en-US")} layers, which only the jump reaches (σb = 0, precision ≤ ${MAX_JUMP_PRECISION}).`,
      { depth: finalDepth.toString() },
    );
  }
  return method === "auto" ? (jumpable && finalDepth > BigInt(PRECISE_AUTO_JUMP_ABOVE) ? "jump" : "direct") : method;
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
async function pairJumpPrecise(precision: number, s: StartValues, checkpoints: readonly bigint[], o: PairPrecisionOptions): Promise<PairResultPrecise> {
  const ticker = new ProgressTicker(o, 2, 1);
  let lower = precision + JUMP_GUARD_DIGITS;
  for (let attempt = 0; ; attempt++) {
    const upper = lower + VOUCH_EXTRA_DIGITS;
    const a = await runPreciseJump(lower, 1, s, checkpoints);
    const b = await runPreciseJump(upper, 0.7, s, checkpoints);
    const points = b.map((u, i) => vouch(a[i]!, u, precision));
    const least = leastVouched(points);
    if (least >= precision || attempt === MAX_RETRIES || lower + (precision - least) + 2 > MAX_JUMP_PRECISION + JUMP_GUARD_DIGITS + 20) {
      ticker.finish();
      const vouchedBy =
        `computed twice by the jump (SPEC §9: exact steps of the complement recursion until θ is small, then the asymptotic series of Φ and Ψ), ` +
        `at ${lower} and at ${upper} significant digits with different switch angles and series lengths; the values returned are the ${upper}-digit ones, ` +
        `and a value vouches for the significant digits on which the two runs agree, minus one, at most ${precision}`;
      return { method: "jump", precision, workingPrecision: upper, vouchedBy, params: s.params, points };
    }
    lower += precision - least + 2;
  }
}

/** Guard digits of the jump's lower run beyond P (its error does not grow with depth). */
const JUMP_GUARD_DIGITS = 8;

/** One jump run at `digits` (plus the digits a cancelling checkpoint needs), switch angle scaled by `switchScale`. */
async function runPreciseJump(digits: number, switchScale: number, s: StartValues, checkpoints: readonly bigint[]): Promise<PointValues[]> {
  const switchAngle = jumpSwitchAngle(digits) * switchScale;
  // Exact steps in BigFloat (as the direct loop) until θ < switch angle and the next checkpoint is ≥ JUMP_MIN_LAYERS away.
  const bits = bitsForDigits(digits + 30);
  const D0 = preciseDecimal(digits + 30 + PI_EXTRA_DIGITS);
  const map = new PreciseCorrelationMap(bits, D0);
  const c = map.ctx;
  const scalars = new PreciseLayerScalars(s.params, s.n0, c, D0);
  let eps = c.fromDecimal(new D0(s.rho1.oneMinusRho1).times(scalars.c1), D0);
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
    const theta = map.thetaOfComplement(eps);
    const thetaSmall = c.toDecimal(theta, D0).lt(switchAngle);
    if (thetaSmall && checkpoints[next]! - layer >= BigInt(JUMP_MIN_LAYERS)) break;
    const { w, a, b } = scalars.step();
    const { next: epsNext } = map.layer(eps, w);
    u = map.ntkComplementStep(u, theta, epsNext, a, b);
    eps = epsNext;
    thetaPrev = theta;
    layer++;
  }
  // The jump for the remaining checkpoints, in decimal.js with the digits the sum needs.
  const thetaN = c.toDecimal(map.thetaOfComplement(eps), D0);
  const tEstimate = (3 * Math.PI) / thetaN.toNumber();
  const gap = Number(checkpoints[next]! - layer);
  const extra = gap < tEstimate ? Math.ceil(2 * Math.log10(tEstimate / gap)) + 2 : 2;
  const D = preciseDecimal(digits + extra + PI_EXTRA_DIGITS);
  const series = new PreciseAbelSeries(D, digits + extra);
  const n = new D(layer.toString());
  const thN = new D(thetaN);
  const tN = series.phi(thN);
  const Tn = n.times(new D(1).minus(c.toDecimal(u, D0)));
  const J = Tn.times(series.w(thN)).minus(series.psi(thN));
  const sw2 = new D(s.params.sigmaW).pow(2);
  for (; next < checkpoints.length; next++) {
    const L = checkpoints[next]!;
    const thetaL = series.inversePhi(tN.plus(new D((L - layer).toString())));
    const thetaBefore = L - 1n === layer ? thN : series.inversePhi(tN.plus(new D((L - 1n - layer).toString())));
    const half = thetaL.div(2).sin();
    const oneMinusRho = half.times(half).times(2);
    const ntkNormalized = J.plus(series.psi(thetaL)).div(series.w(thetaL)).div(new D(L.toString()));
    const raw = rawDiagonalPrecise(sw2, s.n0, L, D);
    const rho = new D(1).minus(oneMinusRho);
    out.push({
      depth: Number(L),
      depthExact: L,
      rho,
      oneMinusRho,
      theta: thetaL,
      ntkNormalized,
      oneMinusNtkNormalized: new D(1).minus(ntkNormalized),
      sigma: raw && rho.times(raw.sigmaDiag),
      ntk: raw && ntkNormalized.times(raw.ntkDiag),
      sigmaDiag: raw && raw.sigmaDiag,
      ntkDiag: raw && raw.ntkDiag,
      sigmaDot: sw2.div(2).times(new D(1).minus(thetaBefore.div(series.pi))),
    });
  }
  return out;
}

/** Largest |log10| of a raw value decimal.js holds (its exponent limit is 9e15). */
const DECIMAL_EXPONENT_LIMIT = 9e15;

/** q_L = (σw²/n0)(σw²/2)^{L−1} and L q_L for σb = 0, or null beyond decimal.js's exponent range. */
function rawDiagonalPrecise(sw2: Decimal, n0: number, L: bigint, D: typeof Decimal): { sigmaDiag: Decimal; ntkDiag: Decimal } | null {
  const base = sw2.div(2);
  const log10 = sw2
    .div(n0)
    .log(10)
    .plus(base.log(10).times(new D((L - 1n).toString())));
  if (log10.abs().gt(DECIMAL_EXPONENT_LIMIT - 10)) return null;
  const sigmaDiag = sw2.div(n0).times(base.pow(new D((L - 1n).toString())));
  return { sigmaDiag, ntkDiag: sigmaDiag.times(new D(L.toString())) };
}

/** How many times the guard digits may be raised after a shortfall in vouched digits. */
const MAX_RETRIES = 1;

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

/** One run at `digits` significant digits: the recursion of docs/RECURSIONS.md in BigFloat, Decimal out at checkpoints. */
async function runPrecise(
  digits: number,
  s: StartValues,
  checkpoints: readonly number[],
  depth: number,
  ticker: ProgressTicker,
  done0: number,
  observe?: LayerObserver,
): Promise<PointValues[]> {
  const D = preciseDecimal(digits + PI_EXTRA_DIGITS);
  const map = new PreciseCorrelationMap(bitsForDigits(digits), D);
  const c = map.ctx;
  const scalars = new PreciseLayerScalars(s.params, s.n0, c, D);
  // ε_1 = c1 (1 − x·x′), formed from the exact complement 1 − ρ1.
  let eps = c.fromDecimal(new D(s.rho1.oneMinusRho1).times(scalars.c1), D);
  let u = eps; // u_1 = 1 − Θ̄^(1) = ε_1
  let thetaPrev: BigFloat | null = null;
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
    u = map.ntkComplementStep(u, theta, epsNext, a, b);
    eps = epsNext;
    thetaPrev = theta;
    const pause = ticker.tick(done0 + l);
    if (pause) await pause;
  }
  return out;
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
