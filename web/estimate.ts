/**
 * A rough run-time estimate of an explorer run, shown before a long run starts: every path the
 * run takes costs about a fixed time per layer step (and per pair of points for the Gram
 * matrices). The rates were measured in Node on a loaded 2-core machine (pair and Gram, float64
 * and 25/40/100/300 digits, depths 10^4–10^7); a browser's WebAssembly and BigInt run at similar
 * speed, so the estimate is good to a factor of a few, which is all a warning needs.
 */
import { TEST_POINTS } from "./dataSeries.js";
import { isBuiltin, type ExplorerState } from "./state.js";
import { MAX_DEPTH, parseBuiltinDatasetSpec, parseDatasetText } from "../src/index.js";

/** Seconds per layer step of both float64 pair loops (stable and textbook together). */
const PAIR_FLOAT64_STEP = 90e-9;
/** Seconds per layer step and pair of points of the float64 Gram recursion. */
const GRAM_FLOAT64_STEP = 15e-9;
/** The Gram's precise recursion costs this many pair steps per pair of points (complements, two precisions). */
const GRAM_PRECISE_FACTOR = 1.3;

/** Seconds per layer step of the high-precision pair loop at `digits` significant digits (about 44 µs at 40). */
function preciseStep(digits: number): number {
  return (10 + 0.85 * digits) * 1e-6;
}

/** Above this many seconds the page says how long a run will take before starting it. */
export const SHOW_ESTIMATE_SECONDS = 3;
/** Above this many seconds a run waits for the Run button instead of starting on its own. */
export const CONFIRM_SECONDS = 20;

/**
 * Beyond 10^9 layers nothing runs layer by layer (the jump, SPEC §9, for σb = 0; the fixed point
 * for σb > 0; no textbook loop, no high-precision Gram), and the cost no longer grows with L:
 * measured at L = 10^18 with 24 checkpoints, the float64 pair 0.04 s, a 7- or 100-point float64
 * Gram 0.4–0.5 s, the high-precision pair 2–4 s at 25–80 digits.
 */
const BEYOND_LOOPS_FLOAT64_SECONDS = 0.5;
const BEYOND_LOOPS_PRECISE_SECONDS = 4;

/** The estimated seconds of a run of `state` with `points` data points (training and test). */
export function estimateSeconds(state: ExplorerState, points: number): number {
  if (state.depthMax > MAX_DEPTH) return BEYOND_LOOPS_FLOAT64_SECONDS + (state.precision > 0 ? BEYOND_LOOPS_PRECISE_SECONDS : 0);
  const steps = state.depthMax;
  const pairs = (points * (points - 1)) / 2;
  const precise = state.precision > 0 ? preciseStep(state.precision) : 0;
  return steps * (PAIR_FLOAT64_STEP + precise) + steps * pairs * (GRAM_FLOAT64_STEP + GRAM_PRECISE_FACTOR * precise);
}

/** Points (training and test) of a valid state's run; unreadable pasted data counts as none (the run will say why). */
export function estimatedPoints(state: ExplorerState): number {
  if (state.source === "random") return state.m + TEST_POINTS;
  if (isBuiltin(state.source)) {
    const rows = (range: string) => {
      const spec = parseBuiltinDatasetSpec(`${state.source}[${range}]`);
      return Math.ceil((spec.end - spec.start) / spec.step);
    };
    return rows(state.trainRange) + rows(state.testRange);
  }
  try {
    return parseDatasetText(state.pasted, "data").m + TEST_POINTS;
  } catch {
    return TEST_POINTS;
  }
}

/** "about 40 s", "about 3 min", "about 2 h": a duration in the unit that reads best. */
export function durationText(seconds: number): string {
  if (seconds < 90) return `about ${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `about ${Math.round(seconds / 3600)} h`;
  return `about ${Math.round(seconds / 86400).toLocaleString("en-US")} days`;
}
