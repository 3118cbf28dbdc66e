/**
 * The single-pair half of an explorer run (SPEC §3–4): ρ, 1 − ρ, Θ̄ and 1 − Θ̄ of one pair with
 * correlation ρ1 through depth, from the stable float64 loop, the textbook float64 loop, and the
 * high-precision loop, with the first depth at which each float64 loop has lost every digit of
 * 1 − ρ. Values a float64 loop flags as lost (`lostToZero`) count no digit.
 */
import { Decimal } from "decimal.js";
import { pageWords } from "./words.js";
import type { PairRow, PairSeries, PreciseValue } from "./protocol.js";
import { preciseValue } from "./preciseValue.js";
import type { ExplorerState } from "./state.js";
import {
  isNtkError,
  MAX_DEPTH,
  pairThroughDepthFloat64,
  pairThroughDepthPrecise,
  type PairMethod,
  type PairResultFloat64,
  type ProgressOptions,
} from "../src/index.js";
import { correctDigits, FLOAT64_MATCH_DIGITS } from "../src/advanced.js";

/** Reports progress of one named phase of a run. */
export type PhaseProgress = (phase: string) => ProgressOptions;

/** The pair series of a state at the given checkpoint depths. */
export async function pairSeries(state: ExplorerState, depths: readonly number[], progress: PhaseProgress): Promise<PairSeries> {
  // n0 matters for the pair only through ε_1 = σw²(1 − ρ1)/(n0 q_1) when σb > 0 (docs/RECURSIONS.md).
  // Depths as bigints: beyond 2^53 the library takes exact integers only (ours are whole doubles, exact as they are).
  const common = {
    rho1: state.rho1,
    depth: BigInt(depths[depths.length - 1]),
    at: depths.map(BigInt),
    params: { sigmaW: state.sigmaW, sigmaB: state.sigmaB },
    inputDim: state.dim,
  };
  const float64 = (method: PairMethod) => pairThroughDepthFloat64({ ...common, method, ...progress(`pair, float64 ${method}`) });
  const rows = (r: PairResultFloat64): PairRow<number>[] =>
    r.points.map((p) => ({
      depth: p.depth,
      rho: p.rho,
      oneMinusRho: p.oneMinusRho,
      ntkNormalized: p.ntkNormalized,
      oneMinusNtkNormalized: p.oneMinusNtkNormalized,
    }));
  // Beyond 10^9 layers no loop runs layer by layer: "auto" jumps (σb = 0, SPEC §9) or stops at the
  // fixed point (σb > 0); the textbook loop is not run there.
  const beyondLoops = depths[depths.length - 1] > MAX_DEPTH;
  const stableRun = await float64(beyondLoops ? "auto" : "stable");
  const stable = rows(stableRun);
  const textbookRun = beyondLoops ? null : await float64("textbook");
  const textbook = textbookRun ? rows(textbookRun) : [];
  const lost = { stable: stableRun.points.map((p) => p.lostToZero), textbook: textbookRun?.points.map((p) => p.lostToZero) ?? [] };
  let precise: PairRow<PreciseValue>[] | null = null;
  let vouchedBy: string | null = null;
  let reference: Decimal[] | null = null;
  let preciseSkipped: string | null = null;
  const preciseRun =
    state.precision > 0
      ? await pairThroughDepthPrecise({ ...common, precision: state.precision, ...progress(`pair, ${state.precision} digits`) }).catch((e: unknown) => {
          // Beyond 10^9 layers only the jump (σb = 0) or a settling σb > 0 reaches, and the jump's series tables
          // hold a bounded number of digits (PRECISION_LIMIT for ρ1 extremely close to 1): say so and keep the float64 results.
          if (!beyondLoops || !isNtkError(e) || (e.code !== "BAD_DEPTH" && e.code !== "BAD_OPTION" && e.code !== "PRECISION_LIMIT")) throw e;
          preciseSkipped = pageWords(e.message);
          return null;
        })
      : null;
  if (preciseRun) {
    const r = preciseRun;
    vouchedBy = r.vouchedBy;
    reference = r.points.map((p) => p.oneMinusRho);
    precise = r.points.map((p) => ({
      depth: p.depth,
      rho: preciseValue(p.rho, p.digitsVouched.rho),
      oneMinusRho: preciseValue(p.oneMinusRho, p.digitsVouched.oneMinusRho),
      ntkNormalized: preciseValue(p.ntkNormalized, p.digitsVouched.ntkNormalized),
      oneMinusNtkNormalized: preciseValue(p.oneMinusNtkNormalized, p.digitsVouched.oneMinusNtkNormalized),
    }));
  }
  const lostRho = (fields: readonly (readonly string[])[]) => fields.map((f) => f.includes("oneMinusRho"));
  const lostAt = { stable: lostRho(lost.stable), textbook: lostRho(lost.textbook) };
  const digitsOf = (rows: readonly PairRow<number>[], isLost: readonly boolean[]) =>
    rows.map((row, i) => (isLost[i] ? 0 : float64Digits(row.oneMinusRho, reference![i])));
  return {
    rho1: state.rho1,
    stableMethod: stableRun.method,
    preciseSkipped,
    paperCase: stableRun.params.paperCase,
    stable,
    textbook,
    precise,
    vouchedBy,
    givesOut: {
      stable: reference ? firstLost(stable, lostAt.stable, reference) : null,
      // Without a high-precision run the stable loop is the best reference there is (SPEC §4).
      textbook: beyondLoops ? null : firstLost(textbook, lostAt.textbook, reference ?? stable.map((p) => new Decimal(p.oneMinusRho))),
    },
    lost,
    correctDigits: reference ? { stable: digitsOf(stable, lostAt.stable), textbook: digitsOf(textbook, lostAt.textbook) } : null,
  };
}

/** Correct significant digits (0 … FLOAT64_MATCH_DIGITS) of a float64 value against a reference; a non-finite value has none. */
function float64Digits(x: number, reference: Decimal): number {
  return Number.isFinite(x) ? correctDigits(x, reference, FLOAT64_MATCH_DIGITS) : 0;
}

/** First depth whose float64 1 − ρ is lost or has no correct significant digit against the reference. */
function firstLost(rows: readonly PairRow<number>[], isLost: readonly boolean[], reference: readonly Decimal[]): number | null {
  const lost = rows.find((row, i) => isLost[i] || float64Digits(row.oneMinusRho, reference[i]) < 1);
  return lost ? lost.depth : null;
}
