/**
 * One pair of points through depth in arbitrary precision (SPEC §2–4), with the number of
 * significant digits each value vouches for. The high-precision twin of `./float64.ts`: same
 * options, same field names, values as Decimal.
 *
 * Method: the complement recursion (ε = 1 − ρ, u = 1 − Θ̄, τ = Θ(x,x)/q, q = Σ(x,x)) in BigInt
 * floating point (`../precise/correlationMap.ts`), run twice, at P + guard digits and 6 digits
 * above; the digits on which the two runs agree, minus one, are vouched (`../compare/digits.ts`).
 * Raw Σ, Θ are returned unscaled, in a Decimal class with a huge exponent range.
 */
import type { Decimal } from "decimal.js";
import { NtkError } from "../errors.js";
import { checkInputDim, MAX_DEPTH, resolveCheckpoints, resolveParams, resolveRho1, type ResolvedParams } from "../params.js";
import { ProgressTicker } from "../progress.js";
import type { PairOptions } from "../types.js";
import type { BigFloat, BigFloatContext } from "../precise/bigFloat.js";
import { PreciseCorrelationMap } from "../precise/correlationMap.js";
import { PreciseLayerScalars } from "../precise/layerScalars.js";
import { bitsForDigits, DECIMAL_CONSTANT_DIGITS, PI_EXTRA_DIGITS, preciseDecimal, VOUCH_EXTRA_DIGITS, workingPrecision } from "../precise/precision.js";
import { digitsVouched } from "../compare/digits.js";

/** Options of the high-precision pair computation. */
export interface PairPrecisionOptions extends PairOptions {
  /** Significant digits wanted, an integer from 20 to 1000 (BAD_PRECISION otherwise). */
  readonly precision: number;
}

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
  /** Σ^(L)(x,x′), raw NNGP kernel. */
  readonly sigma: Decimal;
  /** Θ^(L)(x,x′), raw NTK. */
  readonly ntk: Decimal;
  /** Σ^(L)(x,x) (the same for every point on the sphere). */
  readonly sigmaDiag: Decimal;
  /** Θ^(L)(x,x). */
  readonly ntkDiag: Decimal;
  /** Σ̇^(L)(x,x′) = σw² (π − θ^(L−1)) / (2π); null at L = 1 (no ReLU layer yet). */
  readonly sigmaDot: Decimal | null;
  /**
   * Significant digits of each value that are correct: |value − exact| < 10^−d |exact| (0 means
   * not even the first digit is vouched, e.g. a value that is exactly 0 but computed as ±10^−60).
   * Every value has a count (the seven complements and values, the diagonals and Σ̇, null where Σ̇ is).
   */
  readonly digitsVouched: { readonly [K in VouchedPairField]: number } & { readonly sigmaDot: number | null };
}

/** The result of {@link pairThroughDepthPrecise}. */
export interface PairResultPrecise {
  /** Significant digits asked for (P). */
  readonly precision: number;
  /** Significant digits carried by the run whose values are returned. */
  readonly workingPrecision: number;
  /** How the digits were vouched for, in words. */
  readonly vouchedBy: string;
  readonly params: ResolvedParams;
  readonly points: readonly PairPointPrecise[];
}

const VOUCHED_FIELDS: readonly VouchedPairField[] = ["rho", "oneMinusRho", "theta", "ntkNormalized", "oneMinusNtkNormalized", "sigma", "ntk", "sigmaDiag", "ntkDiag"];

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

/** {@link pairThroughDepthPrecise} that also calls `observe` at every depth of the returned run. */
export async function pairThroughDepthPreciseObserved(o: PairPrecisionOptions, observe?: LayerObserver): Promise<PairResultPrecise> {
  const checkpoints = resolveCheckpoints(o.at, o.depth, BigInt(MAX_DEPTH)).map(Number);
  const depth = checkpoints[checkpoints.length - 1]!;
  let wp = workingPrecision(o.precision, depth);
  const params = resolveParams(o.params);
  const rho1 = resolveRho1(o.rho1);
  const n0 = checkInputDim(o.inputDim);
  const start = { rho1, params, n0 };
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
    const least = Math.min(...points.flatMap((p) => Object.values(p.digitsVouched).filter((d): d is number => d !== null)));
    const retry = wp.lower + (wp.precision - least) + 2;
    if (least >= wp.precision || attempt === MAX_RETRIES || retry + VOUCH_EXTRA_DIGITS + PI_EXTRA_DIGITS > DECIMAL_CONSTANT_DIGITS.pi) {
      const vouchedBy =
        `computed twice with the complement recursion (SPEC §4) in BigInt floating point, at ${wp.lower} and at ${wp.upper} significant digits ` +
        `(${bitsForDigits(wp.lower)} and ${bitsForDigits(wp.upper)} bits); the values returned are the ${wp.upper}-digit ones, ` +
        `and a value vouches for the significant digits on which the two runs agree, minus one, at most ${wp.precision}` +
        (attempt > 0 ? ` (the first pair of runs vouched fewer digits, so the guard digits were raised once)` : "");
      return { precision: wp.precision, workingPrecision: wp.upper, vouchedBy, params, points };
    }
    wp = { precision: wp.precision, lower: retry, upper: retry + VOUCH_EXTRA_DIGITS };
  }
}

/** How many times the guard digits may be raised after a shortfall in vouched digits. */
const MAX_RETRIES = 1;

function vouch(l: PointValues, u: PointValues, precision: number): PairPointPrecise {
  const byField = Object.fromEntries(VOUCHED_FIELDS.map((k) => [k, digitsVouched(l[k], u[k], precision)])) as { [K in VouchedPairField]: number };
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
      if (l === checkpoints[next]) out.push(toPoint(l, { eps, theta: map.thetaOfComplement(eps), u, tau: scalars.tau, q: scalars.q, thetaPrev }, map, scalars.halfSigmaW2, D));
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

function toPoint(depth: number, st: LayerState, map: PreciseCorrelationMap, halfSigmaW2: BigFloat, D: typeof Decimal): PointValues {
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
    depthExact: BigInt(depth),
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
