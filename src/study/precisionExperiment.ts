/**
 * Where float64 gives out (brief: "measured against high precision"): the float64 stable and
 * textbook pair paths against the high-precision pair path, by the library's pair comparison
 * (compare/pairCompare.ts: correct significant digits at the checkpoints, and a scan of every
 * depth for the first one where 1 − ρ keeps fewer than 12, 6 and 1 correct digits).
 */
import type { Cell, DataTable } from "./dataTable.js";
import { subdivide } from "./stages.js";
import { comparePair, DIGIT_THRESHOLDS, type ProgressOptions, type NetworkParams } from "../index.js";
import { vouchedText } from "../advanced.js";

/** Digits of the reference printed in the table (it vouches for more; the float64 needs no more). */
const REFERENCE_DIGITS_SHOWN = 25;

/** The comparison and its summary. */
export interface PrecisionExperiment {
  /** depth, rho1, method, quantity, float64, reference, digitsCorrect at the checkpoints. */
  readonly table: DataTable;
  /** Per (ρ1, path): first depth (scanning every depth) with fewer than 12, 6, 1 correct digits of 1 − ρ. */
  readonly summary: DataTable;
  readonly precision: number;
  readonly vouchedBy: string;
}

/** Column key of the first depth with fewer than `digits` correct digits. */
export function firstBelowKey(digits: number): string {
  return `firstDepthBelow${digits}Digits`;
}

/**
 * Compares at `checkpoints` (ascending) and scans every depth up to the last, for every ρ1. Cost
 * per ρ1: two float64 runs and two high-precision runs (about 20 µs per layer at 40 digits).
 */
export async function runPrecisionComparison(
  rho1s: readonly string[],
  checkpoints: readonly number[],
  precision: number,
  params: NetworkParams | undefined,
  progress: ProgressOptions,
): Promise<PrecisionExperiment> {
  const depth = checkpoints[checkpoints.length - 1];
  const rows: Record<string, Cell>[] = [];
  const summary: Record<string, Cell>[] = [];
  let vouchedBy = "";
  for (const [i, rho1] of rho1s.entries()) {
    const c = await comparePair({ rho1, depth, at: checkpoints, params, precision, ...subdivide(progress, i, rho1s.length) });
    vouchedBy = c.vouchedBy;
    for (const method of ["stable", "textbook"] as const) {
      for (const p of c.points) {
        const path = p[method];
        for (const [quantity, value, digits] of [
          ["oneMinusRho", path.oneMinusRho, path.oneMinusRhoDigits],
          ["ntkNormalized", path.ntkNormalized, path.ntkNormalizedDigits],
        ] as const) {
          const vouched = p.reference.digitsVouched[quantity];
          rows.push({
            depth: p.depth,
            rho1,
            method,
            quantity,
            float64: Number.isFinite(value) ? value : `non-finite (${value})`,
            reference: vouched >= 1 ? vouchedText(p.reference[quantity], Math.min(vouched, REFERENCE_DIGITS_SHOWN)) : "no digit vouched",
            digitsCorrect: Math.min(digits, vouched),
          });
        }
      }
      const losses = Object.fromEntries(c.firstDepthBelow[method].map((l) => [firstBelowKey(l.digits), l.depth]));
      const digitsAtLast = c.points[c.points.length - 1][method].oneMinusRhoDigits;
      summary.push({ rho1, method, digitsAtDeepest: digitsAtLast, ...losses });
    }
  }
  return {
    precision,
    vouchedBy,
    table: {
      name: "float64-vs-precise",
      description: `Float64 pair values (stable complement path and textbook SPEC §3 loop) against the high-precision pair path (${precision} digits asked), at L = 2^k ≤ ${depth}; correct digits d: |x − ref| < 10^−d |ref| (compare/pairCompare.ts).`,
      columns: [
        { key: "depth", meaning: "L" },
        { key: "rho1", meaning: "ρ^(1)" },
        { key: "method", meaning: "float64 path: stable (SPEC §4) or textbook (SPEC §3 literally)" },
        { key: "quantity", meaning: "oneMinusRho = 1 − ρ, ntkNormalized = Θ̄" },
        { key: "float64", meaning: "the float64 value" },
        { key: "reference", meaning: `high-precision value (at most ${REFERENCE_DIGITS_SHOWN} vouched digits)` },
        { key: "digitsCorrect", meaning: "correct significant digits of the float64 value (≤ 17, and ≤ what the reference vouches for)" },
      ],
      rows,
    },
    summary: {
      name: "float64-summary",
      description: `Per ρ1 and float64 path: correct digits of 1 − ρ at the deepest depth compared (${depth}), and the first depth, scanning every depth, where fewer than ${DIGIT_THRESHOLDS.join(", ")} correct digits remain (null: never up to ${depth}).`,
      columns: [
        { key: "rho1", meaning: "ρ^(1)" },
        { key: "method", meaning: "float64 path" },
        { key: "digitsAtDeepest", meaning: `correct digits of 1 − ρ at L = ${depth}` },
        ...DIGIT_THRESHOLDS.map((d) => ({ key: firstBelowKey(d), meaning: `first depth with < ${d} correct digits of 1 − ρ` })),
      ],
      rows: summary,
    },
  };
}
