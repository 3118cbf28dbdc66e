/**
 * Gram matrices of Σ and Θ through depth at any precision (SPEC §2, §4, §5): the high-precision
 * twin of `gram/float64.ts`, with the same four matrices Σ̄, 1 − Σ̄, Θ̄, 1 − Θ̄ and raw diagonals.
 *
 * Method: the raw points (decimal text used exactly) are projected at the working precision
 * (`sphere/precise.ts`); per unique pair the complements ε = 1 − Σ̄ and u = 1 − Θ̄ start from
 * 1 − x·x′ formed from the exact inputs without cancellation (`exactPairComplements`: exact parts
 * formed once, rounded by each run) and run through the complement recursion of docs/RECURSIONS.md in BigInt
 * floating point (`precise/correlationMap.ts`: θ, g(θ) by series, π read once), while the layer
 * scalars q, w, τ shared by all pairs run beside them. Diagonals are exact (1 and 0).
 *
 * Digits vouched, by the one rule of `precise/vouched.ts`: the whole computation, every rounded
 * step of 1 − x·x′ included (only its exact parts are shared), runs twice, at P + guard digits and
 * VOUCH_EXTRA_DIGITS higher (`precise/precision.ts`); the higher run is returned,
 * and every entry vouches for the digits on which both runs agree, minus one. Complements and raw
 * diagonals count significant digits of each entry; Σ̄ and Θ̄, which lie in [−1, 1], count decimal
 * places against their unit diagonal (absolute error below 10^−d), so that an entry that is 0 in
 * exact arithmetic (Σ̄^(2) of an antipodal pair) does not read as "no digit known".
 * Cost: two runs of m(m−1)/2 · L pair steps, each a few dozen BigInt operations; with σb > 0 and
 * σw² < 2 a run stops once every entry has settled (a few hundred layers at 30 digits and σw = 1),
 * and deeper checkpoints cost one power each (`runGram`).
 */
import {
  checkArray,
  checkDecimal,
  checkFiniteNumber,
  checkFiniteNumbers,
  checkInteger,
  checkObject,
  checkOptionalObject,
  describeValue,
} from "../argumentTypes.js";
import type { Decimal } from "decimal.js";
import { NtkError } from "../errors.js";
import { checkDepthList, checkKernelName, resolveParams, type DepthInput, type ResolvedParams } from "../params.js";
import { ProgressTicker, type ProgressOptions } from "../progress.js";
import type { KernelName, NetworkParams, Projection } from "../types.js";
import { PreciseCorrelationMap } from "../precise/correlationMap.js";
import { PreciseLayerScalars } from "../precise/layerScalars.js";
import type { BigFloat } from "../precise/bigFloat.js";
import { powBig, settleLayers, settles, SettleWatch } from "../precise/fixedPoint.js";
import {
  DECIMAL_CONSTANT_DIGITS,
  PI_EXTRA_DIGITS,
  bitsForDigits,
  checkConstantLimit,
  preciseDecimal,
  workingPrecision,
  type WorkingPrecision,
} from "../precise/precision.js";
import { checkPreciseRunFits, type ResourceLimits } from "../precise/runCost.js";
import { exactPairComplements, type ExactPairComplements } from "../sphere/precise.js";
import type { ProjectionOptions, RawPoints } from "../sphere/float64.js";
import { analysisDigits, determinantDigitsVouched, identicalRowsChecked, type DeterminantDigits, type LuAnalysisPrecise } from "../linalg/preciseLu.js";
import { type Steps, offsetSteps, runSteps, runStepsSync } from "../progress.js";
import { digitsAgreed, vouchTwice, vouchedByText } from "../precise/vouched.js";
import { luAnalysisWork, preciseLuAnalysisSteps } from "../linalg/preciseLu.js";

/** Inputs of {@link gramThroughDepthPrecise}. */
export interface GramPrecisionOptions extends ProgressOptions, ProjectionOptions, ResourceLimits {
  /** Raw points, with their decimal text when known (a `Dataset` fits); projected at working precision. */
  readonly data: RawPoints;
  /** How the raw points reach the sphere (SPEC §7). */
  readonly projection: Projection;
  /** Checkpoint depths L (1 ≤ L ≤ 1e9; numbers, bigints or decimal integer text); validated, sorted and deduplicated. At least one. */
  readonly depths: readonly DepthInput[];
  /** σw, σb (default 1, 0: the paper's case); strings are read exactly. */
  readonly params?: NetworkParams;
  /** Significant digits wanted, 20 … 1000. */
  readonly precision: number;
  /**
   * Guard digits beyond the default P + ⌈log10 L⌉ + 4, e.g. for determinants of ill-conditioned
   * Gram matrices, which lose about log10 κ1 digits (default 0).
   */
  readonly extraGuardDigits?: number;
}

/** The names of the four matrices, as in {@link GramAtDepthPrecise}. */
export type GramMatrixName = "sigmaNormalized" | "oneMinusSigmaNormalized" | "ntkNormalized" | "oneMinusNtkNormalized";

/** The Gram matrices at one depth L, as Decimals of the higher run; m × m, row-major, exactly symmetric. */
export interface GramAtDepthPrecise {
  /** L, the number of weight layers (SPEC §1). */
  readonly depth: number;
  /** L exactly (as in `GramAtDepthFloat64`). */
  readonly depthExact: bigint;
  /** Number of points m. */
  readonly m: number;
  /** Σ̄^(L); diagonal exactly 1. */
  readonly sigmaNormalized: Decimal[];
  /** 1 − Σ̄^(L), carried directly; diagonal exactly 0. */
  readonly oneMinusSigmaNormalized: Decimal[];
  /** Θ̄^(L); diagonal exactly 1. */
  readonly ntkNormalized: Decimal[];
  /** 1 − Θ̄^(L), carried directly; diagonal exactly 0. */
  readonly oneMinusNtkNormalized: Decimal[];
  /** Σ^(L)(x, x) = q_L, unscaled (exponents to ±9e15; paper case 1/(n0 2^{L−1})). Raw Σ = Σ̄ · sigmaDiag. */
  readonly sigmaDiag: Decimal;
  /** Θ^(L)(x, x) = τ_L q_L (paper case L/(n0 2^{L−1})). Raw Θ = Θ̄ · ntkDiag. */
  readonly ntkDiag: Decimal;
  /** Least digits vouched for over every entry of the four matrices and both diagonals (see module note). */
  readonly digitsVouched: number;
  /** Least digits vouched for over the off-diagonal entries of each matrix (m = 1: the precision). */
  readonly digitsVouchedByMatrix: { readonly [K in GramMatrixName]: number };
  /**
   * Significant digits vouched for each entry of each matrix, m × m row-major, 0 … precision: an
   * entry equal in both runs (the exact diagonals, an exact 0 such as Σ̄^(1) of orthogonal points)
   * vouches all of them; other entries of Σ̄ and Θ̄ have ⌊log10|x|⌋ + 1 + their matrix's decimal
   * places, complements the significant digits both runs agree on (`precise/vouched.ts`).
   */
  readonly digitsVouchedByEntry: { readonly [K in GramMatrixName]: readonly number[] };
}

/**
 * Result of {@link gramThroughDepthPrecise}: the envelope of `GramResultFloat64` (method, params,
 * n0, one entry per checkpoint in `grams`) plus the vouching fields `precision`,
 * `workingPrecision` and `vouchedBy` (and `digitsVouched…` in each entry), as the pair results do.
 */
export interface GramResultPrecise {
  /** The method that ran: the complement recursion, layer by layer. */
  readonly method: "direct";
  /** Significant digits asked for (P). */
  readonly precision: number;
  /** Digits of the run whose values are returned. */
  readonly workingPrecision: number;
  /** How the digits were vouched for, in words. */
  readonly vouchedBy: string;
  /** σw, σb as resolved. */
  readonly params: ResolvedParams;
  /** Dimension of the projected points (the network's n0). */
  readonly n0: number;
  /** One entry per checkpoint, ascending in depth. */
  readonly grams: readonly GramAtDepthPrecise[];
}

/** One run's matrices at a depth (before vouching). */
interface GramRunAtDepth {
  readonly depth: number;
  readonly matrices: { readonly [K in GramMatrixName]: Decimal[] };
  readonly sigmaDiag: Decimal;
  readonly ntkDiag: Decimal;
  /** Precision of the entries' Decimal class: enough to hold 1 − ε exactly for the smallest complement ε. */
  readonly entryDigits: number;
}

/** Both runs of a precise Gram computation, kept for quantities derived from them (determinants). */
export interface GramRunsPrecise {
  readonly result: GramResultPrecise;
  /** Digits of the lower and the upper run. */
  readonly lowerDigits: number;
  readonly upperDigits: number;
  /** Each run's matrices, one per checkpoint (same order as `result.grams`). */
  readonly lower: readonly GramRunAtDepth[];
  readonly upper: readonly GramRunAtDepth[];
}

const MATRIX_NAMES: readonly GramMatrixName[] = ["sigmaNormalized", "oneMinusSigmaNormalized", "ntkNormalized", "oneMinusNtkNormalized"];

/**
 * Σ̄, 1 − Σ̄, Θ̄ and 1 − Θ̄ (with raw diagonals) of the raw points after projection, at every
 * checkpoint depth, each entry with the digits it vouches for (see the module note).
 *
 * Progress counts pair steps of both runs. Errors: BAD_PRECISION (P not an integer in 20 … 1000),
 * PRECISION_LIMIT (working digits beyond decimal.js's stored π), BAD_DEPTH, BAD_SIGMA_W,
 * BAD_SIGMA_B, BAD_OPTION (extraGuardDigits, projection, tolerance), EMPTY_DATA, NOT_A_NUMBER,
 * NON_FINITE, ZERO_VECTOR, OFF_SPHERE (as the projections), ABORTED (through `signal`).
 */
export async function gramThroughDepthPrecise(o: GramPrecisionOptions): Promise<GramResultPrecise> {
  return (await gramThroughDepthPreciseRuns(o)).result;
}

/** {@link gramThroughDepthPrecise}, keeping the lower run too (for vouched determinants). */
export async function gramThroughDepthPreciseRuns(o: GramPrecisionOptions): Promise<GramRunsPrecise> {
  checkObject(o, "gramThroughDepthPreciseRuns's options");
  const depths = checkDepthList(o.depths);
  const extra = o.extraGuardDigits ?? 0;
  if (!Number.isInteger(extra) || extra < 0) {
    throw new NtkError("BAD_OPTION", `extraGuardDigits must be an integer ≥ 0, got ${describeValue(extra)}.`, { extraGuardDigits: describeValue(extra) });
  }
  const r = resolvedGramPrecise(depths, o.precision, resolveParams(o.params), extra);
  checkGramFits(o, runLayers(r.params, r.depths[r.depths.length - 1], r.upperDigits, o.data.m), r.depths.length, r.upperDigits, 0);
  return gramRunsResolved(o, r);
}

/** What {@link gramRunsResolved} takes besides the data: checked depths, resolved σw, σb and the two runs' digits. */
export interface ResolvedGramPrecise {
  /** Checkpoint depths, ascending, without duplicates, each 1 … 10^9. */
  readonly depths: readonly number[];
  readonly params: ResolvedParams;
  readonly precision: WorkingPrecision;
  readonly lowerDigits: number;
  readonly upperDigits: number;
}

/**
 * The digits of the two Gram runs for `precision` digits at checked `depths` (with `extra` guard
 * digits). Throws BAD_PRECISION, and PRECISION_LIMIT beyond decimal.js's π: a check of the
 * digits asked for, which a caller that computes them (a prediction's retries) needs too.
 */
export function resolvedGramPrecise(depths: readonly number[], precision: number, params: ResolvedParams, extra = 0): ResolvedGramPrecise {
  const finalDepth = depths[depths.length - 1];
  const wp = workingPrecision(precision, finalDepth);
  const upperDigits = wp.upper + extra;
  checkConstantLimit(upperDigits + PI_EXTRA_DIGITS, "pi", precision, finalDepth);
  return { depths, params, precision: wp, lowerDigits: wp.lower + extra, upperDigits };
}

/**
 * {@link gramThroughDepthPreciseRuns} for options resolved into `r` and a run already sized by the
 * caller: nothing is checked again but the data, which the projection reads (and checks) here.
 */
export async function gramRunsResolved(o: Omit<GramPrecisionOptions, "depths" | "params" | "precision">, r: ResolvedGramPrecise): Promise<GramRunsPrecise> {
  const { depths, params, lowerDigits, upperDigits, precision: wp } = r;
  const finalDepth = depths[depths.length - 1];
  const m = o.data.m;
  const pairs = (m * (m - 1)) / 2;
  // Projection errors surface before any long run; n0 is the projected dimension.
  // The exact parts of every 1 − x·x′ are formed once here and rounded by each run.
  const complements = exactPairComplements(o.data, o.projection, preciseDecimal(lowerDigits), o);
  const n0 = complements.n0;
  // A single point has no pairs; its layers still count, so that a deep run reports and can be cancelled.
  const stepsPerRun = Math.max(pairs, 1) * (finalDepth - 1);
  const ticker = new ProgressTicker(o, 2 * stepsPerRun, 1, GRAM_PHASE);
  const lower = await runGram(lowerDigits, m, complements, params, depths, ticker, 0);
  const upper = await runGram(upperDigits, m, complements, params, depths, ticker, stepsPerRun);
  ticker.finish();
  const P = wp.precision;
  // Comparing the runs entry by entry takes a log10 per entry: a phase of its own, paced per depth.
  const compared = new ProgressTicker(o, upper.length, 1, VOUCH_PHASE);
  const grams: GramAtDepthPrecise[] = [];
  for (const [k, u] of upper.entries()) {
    const pause = compared.tick(k);
    if (pause) await pause;
    grams.push(vouchGramAtDepth(lower[k], u, m, P));
  }
  compared.finish();
  const vouchedBy = vouchedByText(
    "projection and complement recursion (SPEC §4, BigInt floating point)",
    { lowerDigits, upperDigits, retried: false },
    P,
    "what the two runs agree on per entry (significant digits for 1 − Σ̄, 1 − Θ̄ and the diagonals, decimal places for Σ̄ and Θ̄; equal entries, exact zeros included, vouch all)",
  );
  const result: GramResultPrecise = { method: "direct", precision: P, workingPrecision: upperDigits, vouchedBy, params, n0, grams };
  return { result, lowerDigits, upperDigits, lower, upper };
}

/** Layers a run to `depth` takes at most: a settling run (σb > 0, σw² < 2, some pair) stops once every entry has settled (../precise/fixedPoint.ts). */
function runLayers(params: ResolvedParams, depth: number, digits: number, m: number): number {
  return settles(params) && m > 1 ? Math.min(depth, settleLayers(params, digits)) : depth;
}

/**
 * PRECISION_RUN_TOO_LARGE unless a Gram computation of `o.data` to `depth` at `digits`, keeping
 * `checkpoints` depths (and analysing an order-`determinantOrder` matrix at each), fits `o`'s limits.
 */
function checkGramFits(o: GramPrecisionOptions, depth: number, checkpoints: number, digits: number, determinantOrder: number): void {
  const { m, n0 } = o.data;
  // Malformed data get their own error from the projection, which comes next.
  if (!Number.isInteger(m) || m < 1 || !Number.isInteger(n0) || n0 < 1) return;
  const what = `A high-precision Gram matrix of ${m} points to depth ${depth} at ${digits} working digits${determinantOrder > 0 ? " with determinants" : ""}`;
  checkPreciseRunFits(what, { points: m, depth, checkpoints, digits, determinantOrder, inputDim: n0 }, o);
}

/** For ⌊log10⌋ of entries: 20 digits, far inside decimal.js's stored ln 10 whatever the entries' precision. */
const LogDecimal = preciseDecimal(20);

/** Decimal places (absolute error below 10^−d) on which `lower` and `upper` agree, minus one, at most `precision`: the vouching rule's count at scale 1. */
export function decimalPlacesVouched(lower: Decimal, upper: Decimal, precision: number): number {
  return digitsAgreed(lower, upper, precision, 1);
}

/** Significant digits of an entry x of Σ̄ or Θ̄ vouched to `places` decimal places: ⌊log10|x|⌋ + 1 + places, in [0, precision]. */
function significantFromPlaces(x: Decimal, places: number, precision: number): number {
  return Math.max(0, Math.min(precision, Math.floor(new LogDecimal(x).abs().log(10).toNumber()) + 1 + places));
}

/** The matrices and diagonals of one checkpoint of each run, as both the ReLU and the architecture paths hold them. */
export type GramRunMatrices = Pick<GramRunAtDepth, "depth" | "matrices" | "sigmaDiag" | "ntkDiag">;

/**
 * The upper run's Gram matrices at one checkpoint with the digits the two runs vouch for, by the
 * vouching rule (`precise/vouched.ts`): complements and raw diagonals in significant digits; Σ̄
 * and Θ̄, which lie in [−1, 1], in decimal places against their unit diagonal (an entry that is 0
 * in exact arithmetic but rounded differently by the runs then still vouches places), turned into
 * significant digits per entry; an entry equal in both runs vouches all P.
 */
export function vouchGramAtDepth(l: GramRunMatrices, u: GramRunMatrices, m: number, P: number): GramAtDepthPrecise {
  const byMatrix = {} as Record<GramMatrixName, number>;
  const byEntry = {} as Record<GramMatrixName, number[]>;
  for (const name of MATRIX_NAMES) {
    const absolute = name === "sigmaNormalized" || name === "ntkNormalized";
    const lm = l.matrices[name];
    const um = u.matrices[name];
    // One count per pair (the matrices are exactly symmetric), mirrored; the diagonals are exact in both runs.
    const entries = new Array<number>(m * m).fill(P);
    let least = P;
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        const d = digitsAgreed(lm[i * m + j], um[i * m + j], P, absolute ? 1 : 0);
        least = Math.min(least, d);
        entries[i * m + j] = entries[j * m + i] = d;
      }
    }
    if (absolute) {
      for (let i = 0; i < m; i++) {
        for (let j = i + 1; j < m; j++) {
          const x = um[i * m + j];
          const sig = lm[i * m + j].eq(x) ? P : x.isZero() ? 0 : significantFromPlaces(x, least, P);
          entries[i * m + j] = entries[j * m + i] = sig;
        }
      }
    }
    byMatrix[name] = least;
    byEntry[name] = entries;
  }
  const diag = Math.min(digitsAgreed(l.sigmaDiag, u.sigmaDiag, P), digitsAgreed(l.ntkDiag, u.ntkDiag, P));
  return {
    depth: u.depth,
    depthExact: BigInt(u.depth),
    m,
    ...u.matrices,
    sigmaDiag: u.sigmaDiag,
    ntkDiag: u.ntkDiag,
    digitsVouched: Math.min(diag, ...Object.values(byMatrix)),
    digitsVouchedByMatrix: byMatrix,
    digitsVouchedByEntry: byEntry,
  };
}

/**
 * One run of the recursion at `digits` significant digits; Decimals out at every checkpoint.
 * σb > 0 with σw² < 2: once every pair has settled by the rule of the pair path
 * (../precise/fixedPoint.ts: scalars unchanged at working precision, each pair's tail bound below
 * 2^−(bits−8)), the later checkpoints come from the closed forms ε_L = ε_n w^{L−n},
 * u_L = u_n (√w)^{L−n}, q and τ as at n.
 */
async function runGram(
  digits: number,
  m: number,
  complements: ExactPairComplements,
  params: ResolvedParams,
  depths: readonly number[],
  ticker: ProgressTicker,
  done0: number,
): Promise<GramRunAtDepth[]> {
  const D = preciseDecimal(digits + PI_EXTRA_DIGITS);
  const map = new PreciseCorrelationMap(bitsForDigits(digits), D);
  const c = map.ctx;
  const scalars = new PreciseLayerScalars(params, complements.n0, c, D);
  // ε_1 = c1 (1 − x·x′), 1 − x·x′ from the exact inputs (no cancellation for close points).
  const eps: BigFloat[] = complements.at(D).map((x) => scalars.layerOneComplement(x));
  const u = eps.slice();
  const out: GramRunAtDepth[] = [];
  let done = done0;
  let layer = 1;
  const watches = settles(params) && eps.length > 0 ? eps.map(() => new SettleWatch(c)) : null;
  let settled: { n: number; w: BigFloat; rootW: BigFloat } | null = null;
  for (const depth of depths) {
    for (; settled === null && layer < depth; layer++) {
      const { w, a, b } = scalars.step();
      let all = watches !== null;
      for (let p = 0; p < eps.length; p++) {
        const { theta, next: e } = map.layer(eps[p], w);
        const uNext = map.ntkComplementStep(u[p], theta, e, a, b);
        // Every pair observes every layer (each watch keeps its own history).
        if (watches !== null && !watches[p].observe(w, scalars.q, scalars.tau, eps[p], e, u[p], uNext)) all = false;
        u[p] = uNext;
        eps[p] = e;
        const pause = ticker.tick(++done);
        if (pause) await pause;
      }
      if (eps.length === 0) {
        const pause = ticker.tick(++done);
        if (pause) await pause;
      }
      if (all) settled = { n: layer + 1, w, rootW: watches![0].rootWeight };
    }
    // Past the settled layer n every entry follows its closed form (one power per depth, shared by the pairs).
    const k = settled === null ? 0n : BigInt(depth - settled.n);
    const epsScale = settled && powBig(c, settled.w, k);
    const uScale = settled && powBig(c, settled.rootW, k);
    out.push({
      depth,
      ...unpack(
        m,
        eps.map((e) => c.toDecimal(epsScale ? c.mul(e, epsScale) : e, D)),
        u.map((v) => c.toDecimal(uScale ? c.mul(v, uScale) : v, D)),
        D.precision,
      ),
      sigmaDiag: c.toDecimal(scalars.q, D),
      ntkDiag: c.toDecimal(c.mul(scalars.tau, scalars.q), D),
    });
  }
  // The layers a settled run skips still count, so that progress ends at its total.
  const pause = ticker.tick(done0 + Math.max(eps.length, 1) * (depths[depths.length - 1] - 1));
  if (pause) await pause;
  return out;
}

/**
 * The four full symmetric matrices from packed complements (pair (i, j), i < j, in row order).
 * Σ̄ = 1 − ε and Θ̄ = 1 − u are formed exactly, in a Decimal class whose precision holds every
 * digit of the complement behind the leading 9s (`entryDigits`): rounding 1 − 1e-41 to 1 would
 * make nearly coincident points exactly coincident in every later computation (an LU, a det).
 */
export function unpack(m: number, eps: Decimal[], u: Decimal[], digits: number): Pick<GramRunAtDepth, "matrices" | "entryDigits"> {
  let smallest = 0;
  for (const x of [...eps, ...u]) if (!x.isZero()) smallest = Math.min(smallest, x.e);
  const entryDigits = digits + 1 - smallest;
  const W = preciseDecimal(entryDigits);
  const one = new W(1);
  const zero = new W(0);
  const matrices = {
    sigmaNormalized: [] as Decimal[],
    oneMinusSigmaNormalized: [] as Decimal[],
    ntkNormalized: [] as Decimal[],
    oneMinusNtkNormalized: [] as Decimal[],
  };
  for (const x of Object.values(matrices)) x.length = m * m;
  let k = 0;
  for (let i = 0; i < m; i++) {
    matrices.sigmaNormalized[i * m + i] = one;
    matrices.ntkNormalized[i * m + i] = one;
    matrices.oneMinusSigmaNormalized[i * m + i] = zero;
    matrices.oneMinusNtkNormalized[i * m + i] = zero;
    for (let j = i + 1; j < m; j++, k++) {
      const entries: [GramMatrixName, Decimal][] = [
        ["sigmaNormalized", one.minus(eps[k])],
        ["oneMinusSigmaNormalized", new W(eps[k])],
        ["ntkNormalized", one.minus(u[k])],
        ["oneMinusNtkNormalized", new W(u[k])],
      ];
      for (const [name, x] of entries) {
        matrices[name][i * m + j] = x;
        matrices[name][j * m + i] = x;
      }
    }
  }
  return { matrices, entryDigits };
}

/** The matrix of one kernel from a precise Gram: Σ̄ or Θ̄ when normalized, else raw Σ = Σ̄ · q_L or Θ = Θ̄ · τ_L q_L. */
export function kernelMatrixPrecise(
  g: Pick<GramAtDepthPrecise, "sigmaNormalized" | "ntkNormalized" | "sigmaDiag" | "ntkDiag">,
  kernel: KernelName,
  normalized: boolean,
): Decimal[] {
  checkKernelName(kernel);
  checkObject(g, "g (a Gram matrix at one depth)");
  for (const name of ["sigmaNormalized", "ntkNormalized"] as const) checkArray(g[name], `g.${name}`).forEach((x, i) => checkDecimal(x, `g.${name}[${i}]`));
  checkDecimal(g.sigmaDiag, "g.sigmaDiag");
  checkDecimal(g.ntkDiag, "g.ntkDiag");
  return kernelMatrixPreciseChecked(g, kernel, normalized);
}

/** {@link kernelMatrixPrecise} of a Gram result this library made (nothing checked): for the layers below a validated entry. */
export function kernelMatrixPreciseChecked(
  g: Pick<GramAtDepthPrecise, "sigmaNormalized" | "ntkNormalized" | "sigmaDiag" | "ntkDiag">,
  kernel: KernelName,
  normalized: boolean,
): Decimal[] {
  const bar = kernel === "ntk" ? g.ntkNormalized : g.sigmaNormalized;
  if (normalized) return bar;
  const diag = kernel === "ntk" ? g.ntkDiag : g.sigmaDiag;
  return bar.map((x) => x.times(diag));
}

/**
 * Significant digits vouched for each entry of {@link kernelMatrixPrecise}`(g, kernel, normalized)`,
 * row-major, each at most P = `precision`: those of {@link GramAtDepthPrecise.digitsVouchedByEntry}
 * for K̄ (the unit diagonal and exact zeros: P); a raw entry K̄ · diag has at most as many as the
 * diagonals vouch for too ({@link GramAtDepthPrecise.digitsVouched}), except an exact 0, which stays exact.
 */
export function kernelEntryDigitsVouched(g: GramAtDepthPrecise, kernel: KernelName, normalized: boolean, precision: number): number[] {
  checkKernelName(kernel);
  checkInteger(precision, "precision", 0);
  const m = checkInteger(checkObject(g, "g (a Gram matrix at one depth)").m, "g.m", 1);
  for (const name of ["sigmaNormalized", "ntkNormalized"] as const) {
    checkArray(g[name], `g.${name}`).forEach((x, i) => checkDecimal(x, `g.${name}[${i}]`));
    checkFiniteNumbers(checkObject(g.digitsVouchedByEntry, "g.digitsVouchedByEntry")[name], `g.digitsVouchedByEntry.${name}`);
    if (g[name].length !== m * m || g.digitsVouchedByEntry[name].length !== m * m)
      throw new NtkError("DIMENSION_MISMATCH", `g.${name} must hold m × m entries.`, {});
  }
  checkFiniteNumber(g.digitsVouched, "g.digitsVouched");
  const name = kernel === "ntk" ? "ntkNormalized" : "sigmaNormalized";
  const bar = g[name];
  return g.digitsVouchedByEntry[name].map((d, k) => {
    const exact = d >= precision && (bar[k].isZero() || (normalized && k % (g.m + 1) === 0));
    return Math.min(precision, normalized || exact ? d : Math.min(d, g.digitsVouched));
  });
}

/** det, log10|det|, sign and κ1 of one Gram kernel matrix, with digits vouched through the whole pipeline. */
export interface GramDeterminantPrecise extends LuAnalysisPrecise {
  readonly depth: number;
  /** Digits of det and log10|det| vouched for (see {@link gramDeterminantsPrecise}). */
  readonly digitsVouched: DeterminantDigits;
  /** Digits of det on which the two runs agree, minus one, before the conditioning cap. */
  readonly digitsAgreed: number;
  /** The first pair of points (1-based) whose rows coincide exactly, when det is exactly 0 because of them. */
  readonly coincidentPoints: readonly [number, number] | null;
}

/**
 * Determinants of the chosen kernel's Gram matrix at every checkpoint of `runs`, by LU in
 * decimal.js (`linalg/preciseLu.ts`) on each run's matrix at that run's entry digits (every digit
 * of 1 − ε held). Digits vouched for: those on which the two runs' determinants agree, minus one,
 * and never more than the conditioning allows: the lower run's entries are accurate to about
 * 10^−d (d its digits), which moves det by up to m κ1 10^−d relatively, so at most
 * ⌊d − 1 − log10(m³ κ1)⌋ digits are claimed. The second bound matters: when both runs round in the
 * same way (1 − ε held to too few digits in both), agreement alone would vouch for noise.
 */
export function gramDeterminantsPrecise(runs: GramRunsPrecise, kernel: KernelName, normalized: boolean): GramDeterminantPrecise[] {
  checkGramRuns(runs, kernel);
  return runStepsSync(gramDeterminantSteps(runs, kernel, normalized));
}

/** The progress phase of the determinants after a Gram computation (see {@link gramDeterminantsPaced}). */
export const DETERMINANT_PHASE = "determinants (LU, 2 runs)";
/** The progress phase that compares the two runs of a precise Gram computation entry by entry. */
export const VOUCH_PHASE = "digits vouched (comparing the runs)";
/** The progress phase of the pair recursion of a precise Gram computation. */
export const GRAM_PHASE = "Gram matrix (2 runs)";

/**
 * {@link gramDeterminantsPrecise} with progress (phase {@link DETERMINANT_PHASE}, in decimal
 * multiply-adds) and cancellation: it yields to the event loop between rows of each LU.
 */
export async function gramDeterminantsPaced(
  runs: GramRunsPrecise,
  kernel: KernelName,
  normalized: boolean,
  o: ProgressOptions,
): Promise<GramDeterminantPrecise[]> {
  checkGramRuns(runs, kernel);
  checkOptionalObject(o, "progress options");
  const total = 2 * runs.result.grams.length * luAnalysisWork(runs.result.grams[0]?.m ?? 1);
  const ticker = new ProgressTicker(o, total, 1, DETERMINANT_PHASE);
  const determinants = await runSteps(gramDeterminantSteps(runs, kernel, normalized), ticker);
  ticker.finish();
  return determinants;
}

function* gramDeterminantSteps(runs: GramRunsPrecise, kernel: KernelName, normalized: boolean): Steps<GramDeterminantPrecise[]> {
  const { result, lower, upper } = runs;
  const P = result.precision;
  const out: GramDeterminantPrecise[] = [];
  let done = 0;
  for (const [k, g] of result.grams.entries()) {
    const m = g.m;
    const work = luAnalysisWork(m);
    const matrixOf = (r: GramRunAtDepth) => kernelMatrixPreciseChecked({ ...r.matrices, sigmaDiag: r.sigmaDiag, ntkDiag: r.ntkDiag }, kernel, normalized);
    const lo = yield* offsetSteps(preciseLuAnalysisSteps(preciseDecimal(lower[k].entryDigits), matrixOf(lower[k]), m), done);
    done += work;
    const matrix = matrixOf(upper[k]);
    const up = yield* offsetSteps(preciseLuAnalysisSteps(preciseDecimal(upper[k].entryDigits), matrix, m), done);
    done += work;
    const agreed = determinantDigitsVouched(lo, up, P);
    const digits = analysisDigits(lo, up, P, runs.lowerDigits, m);
    const rows = up.singular ? identicalRowsChecked(matrix, m) : null;
    out.push({
      ...up,
      depth: g.depth,
      digitsVouched: digits,
      digitsAgreed: agreed.det,
      coincidentPoints: rows === null ? null : [rows.first + 1, rows.second + 1],
    });
  }
  return out;
}

/** Gram matrices and determinants of one kernel, vouched (see {@link gramDeterminantsVouched}). */
export interface GramWithDeterminants {
  readonly gram: GramResultPrecise;
  readonly determinants: GramDeterminantPrecise[];
}

/**
 * The Gram matrices of `o` and the determinant of the chosen kernel at every checkpoint, with
 * `o.precision` digits of every det vouched for where possible: when the first computation vouches
 * fewer (an ill-conditioned Gram matrix loses about log10 κ1 digits), it is repeated once with
 * ⌈log10(m³ κ1)⌉ + 2 more guard digits, unless that would pass decimal.js's stored π (then the
 * first result stands, with the digits it vouches for). Matrices numerically singular at the
 * first precision (κ1 ≳ 10^digits, e.g. L = 1 with m > n0, exactly singular, whose det is rounding
 * noise at any precision) cause no rerun and keep the digits they have (usually 0).
 * Errors as {@link gramThroughDepthPrecise}.
 */
export async function gramDeterminantsVouched(o: GramPrecisionOptions, kernel: KernelName, normalized: boolean): Promise<GramWithDeterminants> {
  checkObject(o, "gramDeterminantsVouched's options");
  const depths = checkDepthList(o.depths);
  const finalDepth = depths[depths.length - 1];
  const digits = workingPrecision(o.precision, finalDepth).upper + (o.extraGuardDigits ?? 0);
  checkGramFits(o, runLayers(resolveParams(o.params), finalDepth, digits, o.data.m), depths.length, digits, o.data.m);
  const m = o.data.m;
  const extra0 = o.extraGuardDigits ?? 0;
  // The rule's lower digits are those of the Gram's lower run; a retry raises its extra guard digits.
  const first = await gramThroughDepthPreciseRuns(o);
  // κ1 near 10^digits with runs that agree on no digit means numerically singular at this precision
  // (L = 1 with m > n0 is exactly singular, its det noise at any precision): those count as full, no rerun for them.
  const short = (runs: GramRunsPrecise, d: GramDeterminantPrecise) =>
    !d.singular && d.digitsVouched.det < o.precision && (d.digitsAgreed > 0 || d.log10Condition < runs.lowerDigits - 3 * Math.log10(m) - 2);
  type Pair = { runs: GramRunsPrecise; determinants: GramDeterminantPrecise[] };
  const runs = await vouchTwice<Pair>({
    precision: o.precision,
    lowerDigits: first.lowerDigits,
    maxUpperDigits: DECIMAL_CONSTANT_DIGITS.pi - PI_EXTRA_DIGITS,
    run: async (lowerDigits, _upperDigits, attempt) => {
      const r = attempt === 0 ? first : await gramThroughDepthPreciseRuns({ ...o, extraGuardDigits: extra0 + lowerDigits - first.lowerDigits });
      const pair = { runs: r, determinants: await gramDeterminantsPaced(r, kernel, normalized, o) };
      return { lower: pair, upper: pair };
    },
    count: ({ runs: r, determinants }) => Math.min(o.precision, ...determinants.map((d) => (short(r, d) ? d.digitsVouched.det : o.precision))),
    // An ill-conditioned Gram matrix loses about log10 κ1 digits: ⌈log10(m³ κ1)⌉ + 2 more guard digits.
    retryDigits: ({ upper: { runs: r, determinants } }) =>
      r.lowerDigits + Math.ceil(3 * Math.log10(m) + Math.max(...determinants.filter((d) => short(r, d)).map((d) => d.log10Condition))) + 2,
  });
  return { gram: runs.upper.runs.result, determinants: runs.upper.determinants };
}

/** The runs a determinant entry takes, as gramThroughDepthPreciseRuns returns them: `BAD_ARGUMENT` for another shape, BAD_OPTION for the kernel name. */
function checkGramRuns(runs: GramRunsPrecise, kernel: KernelName): void {
  checkKernelName(kernel);
  const { result, lower, upper } = checkObject(runs, "runs (from gramThroughDepthPreciseRuns)");
  const grams = checkArray(checkObject(result, "runs.result").grams, "runs.result.grams");
  checkInteger(result.precision, "runs.result.precision", 1);
  if (checkArray(lower, "runs.lower").length !== grams.length || checkArray(upper, "runs.upper").length !== grams.length) {
    throw new NtkError("BAD_ARGUMENT", "runs.lower and runs.upper must hold one run per Gram matrix of runs.result.", {});
  }
}
