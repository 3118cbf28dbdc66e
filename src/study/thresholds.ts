/**
 * The depth needed to see the limit: for each tolerance δ, the first depth L at which
 * 1 − ρ^(L) < δ. ρ^(L) increases with L for every ρ1 ∈ (−1, 1) (SPEC §3: h(z) > z), so 1 − ρ
 * decreases and "first depth below δ" is well defined; a two-pass scan finds it exactly with two
 * runs of the depth recursion instead of a bisection that would rerun it from L = 1 each time.
 * Browser-safe; the recursion itself is passed in (the float64 stable pair path).
 */
import type { ThresholdRow } from "./verdicts.js";
import { geometricDepths } from "./series.js";

/** 1 − ρ at the requested depths (sorted ascending, distinct), in that order. */
export type OneMinusRhoAtDepths = (depths: readonly number[]) => Promise<readonly number[]>;

/** The tolerances of the study's table, 10^-1 … 10^-12. */
export const THRESHOLD_DELTAS: readonly number[] = Array.from({ length: 12 }, (_, k) => Number(`1e-${k + 1}`));

/**
 * First depth L ≤ `maxDepth` with 1 − ρ^(L) < δ, for each δ in `deltas` (null where not reached
 * by `maxDepth`). Pass 1 evaluates a geometric grid of `perDecade` depths per decade and brackets
 * each crossing between two grid depths; pass 2 evaluates every depth inside the brackets. Exact
 * provided `oneMinusRhoAt` is monotone decreasing in L (true of the recursion; a float64 value is
 * accurate to about 1e-12 relative, so a crossing is placed exactly unless 1 − ρ lies within that
 * of δ). Work: two runs to `maxDepth` plus bracket widths ≈ L·ln(10)/perDecade checkpoints.
 */
export async function firstDepthsBelow(
  deltas: readonly number[],
  oneMinusRhoAt: OneMinusRhoAtDepths,
  maxDepth: number,
  perDecade = 200,
): Promise<ThresholdRow[]> {
  const grid = geometricDepths(1, maxDepth, perDecade);
  const coarse = await oneMinusRhoAt(grid);
  const brackets = deltas.map((delta) => {
    const k = coarse.findIndex((v) => v < delta);
    if (k <= 0) return { delta, exact: k === 0 ? 1 : null, from: 0, to: 0 };
    return { delta, exact: undefined, from: grid[k - 1] + 1, to: grid[k] };
  });
  const fine = new Set<number>();
  for (const b of brackets) for (let L = b.from; b.exact === undefined && L <= b.to; L++) fine.add(L);
  const fineDepths = [...fine].sort((a, b) => a - b);
  const fineValues = fineDepths.length > 0 ? await oneMinusRhoAt(fineDepths) : [];
  const valueAt = new Map(fineDepths.map((d, i) => [d, fineValues[i]]));
  return brackets.map((b) => {
    if (b.exact !== undefined) return { delta: b.delta, depth: b.exact };
    for (let L = b.from; L <= b.to; L++) if ((valueAt.get(L) as number) < b.delta) return { delta: b.delta, depth: L };
    // Pass 1 saw the value below δ at b.to, so pass 2 must too unless the recursion is not
    // deterministic; report the bracket end rather than invent a depth.
    return { delta: b.delta, depth: b.to };
  });
}
