/**
 * Kernels of any architecture (description.ts) in arbitrary precision, with the digits each value
 * vouches for: the high-precision twin of float64.ts, the same recursion (docs/ARCHITECTURES.md)
 * in BigInt floating point (`precise/bigFloat.ts`), θ and g(θ) by the series of
 * `precise/correlationMap.ts`, and asin (erf layers) through the same θ series:
 * asin y = θ(1 − √(1 − y²)) = θ(y²/(1 + √(1 − y²))). Per pair ε = 1 − Σ̄ and u = 1 − Θ̄ are carried;
 * the diagonals q = Σ(x,x) and t = Θ(x,x) are BigFloats (exponents to ±9e15, so no depth under-
 * or overflows them). α² = c² L^(2p) is formed exactly from the decimal c.
 *
 * Digits vouched by the one rule of `precise/vouched.ts`: the whole computation runs twice, at P + guard digits and VOUCH_EXTRA_DIGITS
 * higher (guard ⌈log10(number of layer operations)⌉ + 4, `precise/precision.ts`); the higher run
 * is returned, every value vouches for the digits on which both runs agree, minus one, at most P
 * (significant digits of complements and diagonals, decimal places of Σ̄ and Θ̄ in Gram matrices,
 * as `gram/precise.ts`). When a value falls short of P, both runs are repeated once with that many
 * more guard digits. The plain ReLU network runs on the ReLU engine (`gram/precise.ts`,
 * `pair/precise.ts`).
 */
import { checkObject } from "../argumentTypes.js";
import type { Decimal } from "decimal.js";
import { checkDepthList, checkInputDim, resolveRho1 } from "../params.js";
import { ProgressTicker, type ProgressOptions } from "../progress.js";
import { digitsVouched } from "../digits.js";
import type { BigFloat, BigFloatContext } from "../precise/bigFloat.js";
import { PreciseCorrelationMap } from "../precise/correlationMap.js";
import { bitsForDigits, checkConstantLimit, DECIMAL_CONSTANT_DIGITS, PI_EXTRA_DIGITS, preciseDecimal, workingPrecision } from "../precise/precision.js";
import {
  gramDeterminantsPaced,
  GRAM_PHASE,
  gramDeterminantsVouched,
  gramThroughDepthPrecise,
  unpack,
  vouchGramAtDepth,
  type GramPrecisionOptions,
  type GramResultPrecise,
  type GramRunsPrecise,
  type GramWithDeterminants,
} from "../gram/precise.js";
import { pairThroughDepthPrecise, type PairResultPrecise } from "../pair/precise.js";
import { exactPairComplements } from "../sphere/precise.js";
import type { KernelName } from "../types.js";
import type { ResolvedActivation, ResolvedAlpha, ResolvedArchitecture, ResolvedLayer } from "./description.js";
import {
  archCheckpoints,
  dependsOnDepth,
  firstLayerParams,
  reluEngineParams,
  toArchitecture,
  type ArchitectureInput,
  type ArchPairOptions,
} from "./float64.js";
import { tapeLength } from "./tape.js";
import { type VouchedRuns, VOUCH_EXTRA_DIGITS, vouchTwice, vouchedByText } from "../precise/vouched.js";
import { checkPreciseRunFits, type ResourceLimits } from "../precise/runCost.js";

/** The state of one run: the diagonals and every pair's complements. */
interface RunState {
  q: BigFloat;
  t: BigFloat;
  eps: BigFloat[];
  u: BigFloat[];
}

/** One precision's arithmetic and constants. */
class PreciseArchitectureRun {
  readonly map: PreciseCorrelationMap;
  readonly c: BigFloatContext;
  readonly D: typeof Decimal;
  private readonly two: BigFloat;
  private readonly twoOverPi: BigFloat;
  private readonly fourOverPi: BigFloat;

  constructor(digits: number) {
    this.D = preciseDecimal(digits + PI_EXTRA_DIGITS);
    this.map = new PreciseCorrelationMap(bitsForDigits(digits), this.D);
    this.c = this.map.ctx;
    this.two = this.c.fromInteger(2);
    this.twoOverPi = this.c.scale2(this.map.invPi, 1);
    this.fourOverPi = this.c.scale2(this.map.invPi, 2);
  }

  big(x: Decimal): BigFloat {
    return this.c.fromDecimal(new this.D(x), this.D);
  }

  /** asin y for y ∈ [0, 1], through θ(y²/(1 + √(1 − y²))) (no cancellation). */
  asin(y: BigFloat): BigFloat {
    const c = this.c;
    if (c.isZero(y)) return c.zero;
    const y2 = c.mul(y, y);
    const e = c.div(y2, c.add(c.one, c.sqrt(c.sub(c.one, y2))));
    return this.map.thetaOfComplement(e);
  }

  /** Applies `layers` to the state at network depth `depth` (for α); `tick` counts pair operations. */
  apply(layers: readonly ResolvedLayer[], s: RunState, depth: number, tick: () => void): void {
    const c = this.c;
    for (const layer of layers) {
      if (layer.kind === "dense") {
        const sw2 = this.big(new this.D(layer.params.sigmaW).pow(2));
        const sb2 = this.big(new this.D(layer.params.sigmaB).pow(2));
        const carried = c.mul(sw2, s.q);
        const qNext = c.add(carried, sb2);
        const tCarried = c.mul(sw2, s.t);
        const tNext = c.add(tCarried, qNext);
        const w = c.div(carried, qNext);
        const a = c.div(tCarried, tNext);
        const b = c.div(qNext, tNext);
        for (let p = 0; p < s.eps.length; p++) {
          s.eps[p] = c.mul(w, s.eps[p]);
          s.u[p] = c.add(c.mul(a, s.u[p]), c.mul(b, s.eps[p]));
          tick();
        }
        s.q = qNext;
        s.t = tNext;
      } else if (layer.kind === "activation") {
        this.activation(layer.activation, s, tick);
      } else {
        this.residual(layer.alpha, layer.branch, s, depth, tick);
      }
    }
  }

  private activation(a: ResolvedActivation, s: RunState, tick: () => void): void {
    const c = this.c;
    const map = this.map;
    if (a.kind === "twoSlope") {
      // In the run's Decimal class: the resolved decimals are exact ones, whose quotients would carry a million digits.
      const x = new this.D(a.negative);
      const y = new this.D(a.positive);
      const sum = x.pow(2).plus(y.pow(2));
      const lambda = this.big(y.minus(x).pow(2).div(sum));
      const gain = this.big(sum.div(2));
      for (let p = 0; p < s.eps.length; p++) {
        const theta = map.thetaOfComplement(s.eps[p]);
        const gOverPi = theta === map.pi ? c.one : c.mul(map.gOfTheta(theta), map.invPi);
        s.u[p] = c.add(s.u[p], c.mul(c.sub(c.one, s.u[p]), c.mul(lambda, map.oneMinusKappa0(theta))));
        s.eps[p] = clampComplement(c, c.sub(s.eps[p], c.mul(lambda, gOverPi)), this.two);
        tick();
      }
      s.q = c.mul(gain, s.q);
      s.t = c.mul(gain, s.t);
      return;
    }
    // erf (Williams 1997): s = 2q/(1 + 2q), √(1 − s²) = √(1 + 4q)/(1 + 2q), k = 4q²/(1 + 4q).
    const twoQ = c.scale2(s.q, 1);
    const onePlus2q = c.add(c.one, twoQ);
    const onePlus4q = c.add(c.one, c.scale2(s.q, 2));
    const root4q = c.sqrt(onePlus4q);
    const sv = c.div(twoQ, onePlus2q);
    const cs = c.div(root4q, onePlus2q);
    const cs2 = c.mul(cs, cs);
    const s2 = c.mul(sv, sv);
    const asinS = this.asin(sv);
    const k = c.div(c.mul(twoQ, twoQ), onePlus4q);
    for (let p = 0; p < s.eps.length; p++) {
      const e = s.eps[p];
      const m2 = c.mul(e, c.sub(this.two, e));
      let num: BigFloat;
      if (c.sign(c.sub(e, c.one)) > 0) {
        num = c.add(asinS, this.asin(c.mul(sv, c.sub(e, c.one))));
      } else {
        const den = c.add(c.sqrt(c.add(cs2, c.mul(s2, m2))), c.mul(c.sub(c.one, e), cs));
        num = this.asin(c.div(c.mul(sv, m2), den));
      }
      const x = c.mul(k, m2);
      const r = c.sqrt(c.add(c.one, x));
      const oneMinusKappa = c.div(x, c.mul(r, c.add(c.one, r)));
      s.u[p] = c.add(s.u[p], c.mul(c.sub(c.one, s.u[p]), oneMinusKappa));
      s.eps[p] = clampComplement(c, c.div(num, asinS), this.two);
      tick();
    }
    s.t = c.mul(s.t, c.div(this.fourOverPi, root4q));
    s.q = c.mul(this.twoOverPi, asinS);
  }

  private residual(alpha: ResolvedAlpha, branch: readonly ResolvedLayer[], s: RunState, depth: number, tick: () => void): void {
    const c = this.c;
    // α² = c² L^(2p): exact in decimal (2p is 0, −1 or −2).
    const a2 = this.big(new this.D(alpha.coefficient).pow(2).div(new this.D(depth).pow(-2 * alpha.depthPower)));
    const b: RunState = { q: s.q, t: s.t, eps: s.eps.slice(), u: s.u.slice() };
    this.apply(branch, b, depth, tick);
    const qb = c.mul(a2, b.q);
    const tb = c.mul(a2, b.t);
    const qNext = c.add(s.q, qb);
    const tNext = c.add(s.t, tb);
    const [A, B, C, E] = [c.div(s.q, qNext), c.div(qb, qNext), c.div(s.t, tNext), c.div(tb, tNext)];
    for (let p = 0; p < s.eps.length; p++) {
      s.eps[p] = c.add(c.mul(A, s.eps[p]), c.mul(B, b.eps[p]));
      s.u[p] = c.add(c.mul(C, s.u[p]), c.mul(E, b.u[p]));
      tick();
    }
    s.q = qNext;
    s.t = tNext;
  }
}

/** ε in [0, 2] (a complement of a correlation); only rounding could push it out. */
function clampComplement(c: BigFloatContext, e: BigFloat, two: BigFloat): BigFloat {
  if (c.sign(e) < 0) return c.zero;
  return c.sign(c.sub(e, two)) > 0 ? two : e;
}

/** One run's values at a checkpoint. */
interface RunAtDepth {
  readonly depth: number;
  readonly eps: Decimal[];
  readonly u: Decimal[];
  readonly sigmaDiag: Decimal;
  readonly ntkDiag: Decimal;
  readonly digits: number;
}

/**
 * Runs the architecture at `digits` from the input complements (Decimals of the exact 1 − x·x′,
 * given per precision by `start`), returning every checkpoint. Depth-dependent α: one pass per
 * checkpoint.
 */
async function runAt(
  digits: number,
  arch: ResolvedArchitecture,
  n0: number,
  start: (D: typeof Decimal) => Decimal[],
  depths: readonly number[],
  ticker: ProgressTicker,
  done0: { n: number },
): Promise<RunAtDepth[]> {
  const run = new PreciseArchitectureRun(digits);
  const { c, D } = run;
  const passes = dependsOnDepth(arch) ? depths.map((d) => [d]) : [depths];
  const out: RunAtDepth[] = [];
  let pause: Promise<void> | undefined;
  const tick = (): void => {
    pause = ticker.tick(++done0.n) ?? pause;
  };
  for (const pass of passes) {
    const finalDepth = pass[pass.length - 1];
    const eps = start(D).map((x) => c.fromDecimal(x, D));
    const s: RunState = { q: c.fromDecimal(new D(1).div(n0), D), t: c.zero, eps, u: eps.slice() };
    run.apply(arch.stem, s, finalDepth, tick);
    let layer = 1;
    for (const depth of pass) {
      for (; layer < depth; layer++) {
        run.apply(arch.block, s, finalDepth, tick);
        if (s.eps.length === 0) tick();
        if (pause) {
          await pause;
          pause = undefined;
        }
      }
      out.push({
        depth,
        eps: s.eps.map((e) => c.toDecimal(e, D)),
        u: s.u.map((v) => c.toDecimal(v, D)),
        sigmaDiag: c.toDecimal(s.q, D),
        ntkDiag: c.toDecimal(s.t, D),
        digits: D.precision,
      });
    }
  }
  return out;
}

/** Pair operations of a whole computation (progress units) and layer operations per point (for guard digits). */
function workload(arch: ResolvedArchitecture, depths: readonly number[], pairs: number): { pairOps: number; ops: number } {
  const stem = tapeLength(arch.stem);
  const block = tapeLength(arch.block);
  const passes = dependsOnDepth(arch) ? depths.map((d) => [d]) : [depths];
  const ops = passes.reduce((s, p) => s + stem + (p[p.length - 1] - 1) * block, 0);
  return { pairOps: ops * Math.max(pairs, 1), ops: stem + (depths[depths.length - 1] - 1) * block };
}

/**
 * PRECISION_RUN_TOO_LARGE unless both runs of the architecture's recursion through `depths` for
 * `points` points (and the vouching rule's worst-case retry) fit `limits` (precise/runCost.ts).
 */
function checkArchRunFits(
  what: string,
  arch: ResolvedArchitecture,
  precision: number,
  depths: readonly number[],
  points: number,
  matrices: { readonly inputDim: number; readonly determinantOrder: number } | null,
  limits: ResourceLimits,
): void {
  const digits = workingPrecision(precision, workload(arch, depths, 1).ops).lower + VOUCH_EXTRA_DIGITS;
  const depth = depths[depths.length - 1]!;
  checkPreciseRunFits(
    `${what} to depth ${depth} at ${digits} working digits`,
    {
      points,
      depth,
      checkpoints: depths.length,
      digits,
      precision,
      matrices: matrices !== null,
      ...(matrices === null ? {} : matrices),
      architecture: { stemOps: tapeLength(arch.stem), blockOps: tapeLength(arch.block), rerunPerCheckpoint: dependsOnDepth(arch) },
    },
    limits,
  );
}

/** Both runs, with one retry at more guard digits when some value falls short of P. */
async function vouchedRuns(
  precision: number,
  arch: ResolvedArchitecture,
  n0: number,
  start: (D: typeof Decimal) => Decimal[],
  depths: readonly number[],
  pairs: number,
  progress: ProgressOptions,
  least: (lower: RunAtDepth[], upper: RunAtDepth[], P: number) => number,
): Promise<VouchedRuns<RunAtDepth[]>> {
  const { pairOps, ops } = workload(arch, depths, pairs);
  return vouchTwice({
    precision,
    lowerDigits: workingPrecision(precision, ops).lower,
    maxUpperDigits: DECIMAL_CONSTANT_DIGITS.pi - PI_EXTRA_DIGITS,
    run: async (lowerDigits, upperDigits) => {
      checkConstantLimit(upperDigits + PI_EXTRA_DIGITS, "pi", precision, depths[depths.length - 1]);
      const ticker = new ProgressTicker(progress, 2 * pairOps, 64, GRAM_PHASE);
      const done = { n: 0 };
      const lower = await runAt(lowerDigits, arch, n0, start, depths, ticker, done);
      const upper = await runAt(upperDigits, arch, n0, start, depths, ticker, done);
      ticker.finish();
      return { lower, upper };
    },
    count: (lower, upper) => least(lower, upper, precision),
  });
}

function archVouchedBy(runs: Pick<VouchedRuns<unknown>, "lowerDigits" | "upperDigits" | "retried">, P: number): string {
  return vouchedByText("the architecture's complement recursion (docs/ARCHITECTURES.md, BigInt floating point)", runs, P);
}

/** Options of {@link archGramThroughDepthPrecise}: those of the precise ReLU Gram path, plus the architecture. */
export interface ArchGramPrecisionOptions extends Omit<GramPrecisionOptions, "extraGuardDigits"> {
  readonly architecture: ArchitectureInput;
}

/**
 * The Gram matrices Σ̄, 1 − Σ̄, Θ̄, 1 − Θ̄ and raw diagonals of any architecture at every checkpoint,
 * at P digits with digits vouched: the result of `gramThroughDepthPrecise` (same shape, so
 * predictions and determinants take it), which also runs the plain ReLU network. Errors: those of
 * `gramThroughDepthPrecise`, and BAD_ARCH.
 */
export async function archGramThroughDepthPrecise(o: ArchGramPrecisionOptions): Promise<GramResultPrecise> {
  checkObject(o, "archGramThroughDepthPrecise's options");
  const arch = toArchitecture(o.architecture, o.params);
  const relu = reluEngineParams(arch);
  if (relu !== null) return gramThroughDepthPrecise({ ...o, params: relu });
  return (await archGramRuns(o, arch, checkDepthList(o.depths))).result;
}

/**
 * {@link archGramThroughDepthPrecise} for an architecture resolved by the caller that is not the
 * plain ReLU network (which runs on the resolved ReLU Gram core), at checked `depths` (ascending,
 * without duplicates, 1 … 10^9): neither is checked again. The run is still sized here, by the
 * architecture's own cost (its layers cost more than the ReLU layers a prediction's sizing counts).
 */
export async function archGramPreciseResolved(
  o: Omit<ArchGramPrecisionOptions, "architecture" | "depths" | "params">,
  arch: ResolvedArchitecture,
  depths: readonly number[],
): Promise<GramResultPrecise> {
  return (await archGramRuns(o, arch, depths)).result;
}

/**
 * The Gram matrices of {@link archGramThroughDepthPrecise} and the determinant of the chosen
 * kernel at every checkpoint, vouched as `gramDeterminantsPrecise` vouches them (the digits both
 * runs agree on, capped by the conditioning: at most ⌊d − 1 − log10(m³ κ1)⌋ for the lower run's d
 * digits). Unlike `gramDeterminantsVouched` for the ReLU network, no rerun at more guard digits is
 * made for an ill-conditioned matrix: its det simply vouches fewer digits. The plain ReLU network
 * runs on `gramDeterminantsVouched`. Errors as {@link archGramThroughDepthPrecise}.
 */
export async function archGramDeterminantsVouched(o: ArchGramPrecisionOptions, kernel: KernelName, normalized: boolean): Promise<GramWithDeterminants> {
  checkObject(o, "archGramDeterminantsVouched's options");
  const arch = toArchitecture(o.architecture, o.params);
  if (arch.reluMlp) {
    const p = arch.reluMlp;
    return gramDeterminantsVouched({ ...o, params: { sigmaW: p.sigmaW.toString(), sigmaB: p.sigmaB.toString() } }, kernel, normalized);
  }
  const runs = await archGramRuns(o, arch, checkDepthList(o.depths), o.data.m);
  return { gram: runs.result, determinants: await gramDeterminantsPaced(runs, kernel, normalized, o) };
}

/**
 * Both runs of an architecture's precise Gram computation, in the shape `gramDeterminantsPrecise`
 * reads; `determinantOrder` (0 for none) sizes the determinants that follow, for the cost check.
 */
async function archGramRuns(
  o: Omit<ArchGramPrecisionOptions, "architecture" | "depths" | "params">,
  arch: ResolvedArchitecture,
  depths: readonly number[],
  determinantOrder = 0,
): Promise<GramRunsPrecise> {
  const P = workingPrecision(o.precision, 1).precision;
  const m = o.data.m;
  const pairs = (m * (m - 1)) / 2;
  // Malformed data get their own error from the projection, which comes next.
  if (Number.isInteger(m) && m >= 1 && Number.isInteger(o.data.n0) && o.data.n0 >= 1) {
    const what = `A high-precision Gram matrix of ${m} points of ${arch.text}${determinantOrder > 0 ? " with determinants" : ""}`;
    checkArchRunFits(what, arch, P, depths, m, { inputDim: o.data.n0, determinantOrder }, o);
  }
  const complements = exactPairComplements(o.data, o.projection, preciseDecimal(P + 10), o);
  const runs = await vouchedRuns(
    P,
    arch,
    complements.n0,
    (D) => complements.at(D),
    depths,
    pairs,
    o,
    (lower, upper) => Math.min(...upper.map((u, k) => leastGramDigits(lower[k]!, u, m, P))),
  );
  const asRun = (r: RunAtDepth) => {
    const { matrices, entryDigits } = unpack(m, r.eps, r.u, r.digits);
    return { depth: r.depth, matrices, sigmaDiag: r.sigmaDiag, ntkDiag: r.ntkDiag, entryDigits };
  };
  const lowerRuns = runs.lower.map(asRun);
  const upperRuns = runs.upper.map(asRun);
  const grams = upperRuns.map((u, k) => vouchGramAtDepth(lowerRuns[k]!, u, m, P));
  const params = firstLayerParams(arch);
  const result: GramResultPrecise = {
    method: "direct",
    precision: P,
    workingPrecision: runs.upperDigits,
    vouchedBy: archVouchedBy(runs, P),
    params,
    n0: complements.n0,
    grams,
  };
  return { result, lowerDigits: runs.lowerDigits, upperDigits: runs.upperDigits, lower: lowerRuns, upper: upperRuns };
}

/** Least significant digits vouched over the complements and diagonals of one checkpoint. */
function leastGramDigits(l: RunAtDepth, u: RunAtDepth, m: number, P: number): number {
  void m;
  let least = Math.min(digitsVouched(l.sigmaDiag, u.sigmaDiag, P), digitsVouched(l.ntkDiag, u.ntkDiag, P));
  for (let p = 0; p < u.eps.length; p++) least = Math.min(least, digitsVouched(l.eps[p]!, u.eps[p]!, P), digitsVouched(l.u[p]!, u.u[p]!, P));
  return least;
}

/** Options of {@link archPairThroughDepthPrecise}. */
export interface ArchPairPrecisionOptions extends Omit<ArchPairOptions, "backend" | "variant">, ResourceLimits {
  /** Significant digits wanted, 20 … 1000. */
  readonly precision: number;
}

/**
 * One pair through depth for any architecture at P digits, with digits vouched: the result shape
 * of `pairThroughDepthPrecise` (θ from 1 − ρ; `sigmaDot` null except on the plain ReLU network,
 * which runs on the ReLU engine). Errors: those of `pairThroughDepthPrecise`, and BAD_ARCH.
 */
export async function archPairThroughDepthPrecise(o: ArchPairPrecisionOptions): Promise<PairResultPrecise> {
  checkObject(o, "archPairThroughDepthPrecise's options");
  const arch = toArchitecture(o.architecture, o.params);
  const relu = reluEngineParams(arch);
  if (relu !== null) return pairThroughDepthPrecise({ ...o, params: relu });
  const checkpoints = archCheckpoints(o.at, o.depth);
  const P = workingPrecision(o.precision, 1).precision;
  const rho1 = resolveRho1(o.rho1);
  const n0 = checkInputDim(o.inputDim);
  checkArchRunFits(`A high-precision pair of ${arch.text}`, arch, P, checkpoints, 2, null, o);
  const runs = await vouchedRuns(
    P,
    arch,
    n0,
    (D) => [new D(rho1.oneMinusRho1)],
    checkpoints,
    1,
    o,
    (lower, upper) => Math.min(...upper.map((u, k) => leastGramDigits(lower[k]!, u, 2, P))),
  );
  const points = runs.upper.map((u, k) => {
    const l = runs.lower[k]!;
    const D = preciseDecimal(u.digits);
    const values = (r: RunAtDepth) => {
      const oneMinusRho = r.eps[0]!;
      const oneMinusNtkNormalized = r.u[0]!;
      const rho = new D(1).minus(oneMinusRho);
      const ntkNormalized = new D(1).minus(oneMinusNtkNormalized);
      // θ = 2 asin(√(ε/2)), in decimal.js (a checkpoint, not the loop).
      const theta = new D(oneMinusRho).div(2).sqrt().asin().times(2);
      return {
        rho,
        oneMinusRho,
        theta,
        ntkNormalized,
        oneMinusNtkNormalized,
        sigma: rho.times(r.sigmaDiag),
        ntk: ntkNormalized.times(r.ntkDiag),
        sigmaDiag: r.sigmaDiag,
        ntkDiag: r.ntkDiag,
      };
    };
    const lv = values(l);
    const uv = values(u);
    const digits = Object.fromEntries(Object.keys(uv).map((key) => [key, digitsVouched(lv[key as keyof typeof lv], uv[key as keyof typeof uv], P)])) as Record<
      keyof typeof uv,
      number
    >;
    return { depth: u.depth, depthExact: BigInt(u.depth), ...uv, sigmaDot: null, digitsVouched: { ...digits, sigmaDot: null } };
  });
  const params = firstLayerParams(arch);
  return {
    method: "direct",
    precision: P,
    workingPrecision: runs.upperDigits,
    vouchedBy: archVouchedBy(runs, P),
    params,
    points,
  };
}
