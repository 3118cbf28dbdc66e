/**
 * The single-pair half of an explorer run (SPEC §3–4): ρ, 1 − ρ, Θ̄ and 1 − Θ̄ of one pair with
 * correlation ρ1 through depth, from the stable float64 loop, the textbook float64 loop, and the
 * high-precision loop, with the first depth at which each float64 loop has lost every digit of
 * 1 − ρ.
 */
import { Decimal } from "decimal.js";
import { correctDigits, FLOAT64_MATCH_DIGITS, pairThroughDepthFloat64, pairThroughDepthPrecise, type PairMethod, type PairResult64, type ProgressOptions } from "../src/index.js";
import type { PairRow, PairSeries, PreciseValue } from "./protocol.js";
import { preciseValue } from "./preciseValue.js";
import type { ExplorerState } from "./state.js";

/** Reports progress of one named phase of a run. */
export type PhaseProgress = (phase: string) => ProgressOptions;

/** The pair series of a state at the given checkpoint depths. */
export async function pairSeries(state: ExplorerState, depths: readonly number[], progress: PhaseProgress): Promise<PairSeries> {
  // n0 matters for the pair only through ε_1 = σw²(1 − ρ1)/(n0 q_1) when σb > 0 (docs/RECURSIONS.md).
  const common = { rho1: state.rho1, depth: depths[depths.length - 1], at: depths, params: { sigmaW: state.sigmaW, sigmaB: state.sigmaB }, inputDim: state.dim };
  const float64 = (method: PairMethod) => pairThroughDepthFloat64({ ...common, method, ...progress(`pair, float64 ${method}`) });
  const rows = (r: PairResult64): PairRow<number>[] =>
    r.points.map((p) => ({ depth: p.depth, rho: p.rho, oneMinusRho: p.oneMinusRho, ntkNormalized: p.ntkNormalized, oneMinusNtkNormalized: p.oneMinusNtkNormalized }));
  const stableRun = await float64("stable");
  const stable = rows(stableRun);
  const textbook = rows(await float64("textbook"));
  let precise: PairRow<PreciseValue>[] | null = null;
  let vouchedBy: string | null = null;
  let reference: Decimal[] | null = null;
  if (state.precision > 0) {
    const r = await pairThroughDepthPrecise({ ...common, precision: state.precision, ...progress(`pair, ${state.precision} digits`) });
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
  const digitsOf = (rows: readonly PairRow<number>[]) => rows.map((row, i) => float64Digits(row.oneMinusRho, reference![i]));
  return {
    rho1: state.rho1,
    paperCase: stableRun.params.paperCase,
    stable,
    textbook,
    precise,
    vouchedBy,
    givesOut: {
      stable: reference ? firstLost(stable, reference) : null,
      // Without a high-precision run the stable loop is the best reference there is (SPEC §4).
      textbook: firstLost(textbook, reference ?? stable.map((p) => new Decimal(p.oneMinusRho))),
    },
    correctDigits: reference ? { stable: digitsOf(stable), textbook: digitsOf(textbook) } : null,
  };
}

/** Correct significant digits (0 … FLOAT64_MATCH_DIGITS) of a float64 value against a reference; a non-finite value has none. */
function float64Digits(x: number, reference: Decimal): number {
  return Number.isFinite(x) ? correctDigits(x, reference, FLOAT64_MATCH_DIGITS) : 0;
}

/** First depth whose float64 1 − ρ has no correct significant digit against the reference. */
function firstLost(rows: readonly PairRow<number>[], reference: readonly Decimal[]): number | null {
  const lost = rows.find((row, i) => float64Digits(row.oneMinusRho, reference[i]) < 1);
  return lost ? lost.depth : null;
}
