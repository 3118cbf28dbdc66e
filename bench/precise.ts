/**
 * High-precision pair through depth: microseconds per depth step of the BigInt complement path
 * (the vouched public entry point, which runs two precisions, and one bare complement step at one
 * precision), of the decimal.js textbook loop (asin and sqrt of decimal.js every step), and of the
 * stable float64 path, at 32 and 100 significant digits, for ρ1 = 0.5.
 */
import { pairThroughDepthPrecise } from "../src/pair/precise.js";
import { pairThroughDepthFloat64 } from "../src/pair/float64.js";
import { PreciseCorrelationMap } from "../src/precise/correlationMap.js";
import { bitsForDigits, PI_EXTRA_DIGITS, preciseDecimal, workingPrecision } from "../src/precise/precision.js";
import { textbookPairLoop } from "../src/precise/textbookLoop.js";
import { medianMs, medianMsAsync, type BenchRow, type BenchSection } from "./timing.js";

/** Targets from the task: µs per depth step for one pair. */
const TARGET_US = { 32: 25, 100: 60 } as const;
const RHO1 = "0.5";

export async function run(): Promise<BenchSection> {
  const rows: BenchRow[] = [];
  const float64Steps = 1_000_000;
  const float64Us = ((await medianMsAsync(async () => void (await pairThroughDepthFloat64({ rho1: RHO1, depth: float64Steps })), 7)) * 1000) / float64Steps;
  for (const digits of [32, 100] as const) {
    const fastSteps = digits === 32 ? 20000 : 10000;
    const textbookSteps = digits === 32 ? 300 : 100;
    const wp = workingPrecision(digits, fastSteps);
    const vouched =
      ((await medianMsAsync(async () => void (await pairThroughDepthPrecise({ rho1: RHO1, depth: fastSteps, precision: digits })), 5)) * 1000) / fastSteps;
    const D = preciseDecimal(wp.upper + PI_EXTRA_DIGITS);
    const map = new PreciseCorrelationMap(bitsForDigits(wp.upper), D);
    const c = map.ctx;
    const start = c.fromDecimal(new D(1).minus(RHO1), D);
    const bare =
      (medianMs(() => {
        let eps = start;
        for (let l = 1; l < fastSteps; l++) eps = map.layer(eps, c.one).next;
      }, 5) *
        1000) /
      fastSteps;
    const T = preciseDecimal(wp.upper);
    const textbook = (medianMs(() => void textbookPairLoop(T, new T(RHO1), textbookSteps, [textbookSteps], new T(1), new T(0), 1), 3) * 1000) / textbookSteps;
    rows.push(
      {
        name: `${digits} digits: vouched pair (2 runs, ${wp.lower} and ${wp.upper} digits; ε, Θ̄, τ, q)`,
        median: vouched,
        unit: "µs/step",
        note: `target ≤ ${TARGET_US[digits]}; ${(textbook / vouched).toFixed(0)}× faster than textbook decimal.js`,
      },
      {
        name: `${digits} digits: one layer (PreciseCorrelationMap.layer: θ and ε′ only, ${wp.upper} digits)`,
        median: bare,
        unit: "µs/step",
        note: `${(textbook / bare).toFixed(0)}× faster than textbook decimal.js`,
      },
      { name: `${digits} digits: textbook loop in decimal.js (${wp.upper} digits, not vouched)`, median: textbook, unit: "µs/step", note: "baseline" },
      {
        name: `float64 stable (WASM), for scale`,
        median: float64Us,
        unit: "µs/step",
        note: `the vouched ${digits}-digit pair costs ${(vouched / float64Us).toFixed(0)}× this`,
      },
    );
  }
  // The yardstick: depth 10^5 at 40 digits should take seconds.
  const deepMs = await medianMsAsync(async () => void (await pairThroughDepthPrecise({ rho1: "0.9999999", depth: 100000, precision: 40 })), 1);
  rows.push({
    name: "40 digits, ρ1 = 0.9999999, L = 10^5: whole vouched run",
    median: deepMs / 1000,
    unit: "s",
    note: `${((deepMs * 1000) / 100000).toFixed(1)} µs a depth step`,
  });
  return {
    title: "High-precision pair through depth",
    rows,
    setup:
      `ρ1 = ${RHO1}, σw = 1, σb = 0. µs per depth step = median wall time / steps: the BigInt paths over 20000 (32 digits) or ` +
      `10000 (100 digits) steps, the decimal.js textbook loop over 300 or 100 steps, float64 over 10^6 steps. ` +
      `Working digits follow workingPrecision(P, depth) (guard ⌈log10 L⌉ + 4, second run 6 digits higher). ` +
      `Targets: ≤ ${TARGET_US[32]} µs at 32 digits and ≤ ${TARGET_US[100]} µs at 100 digits per step.`,
  };
}
