/**
 * The explorer's pair half (web/pairSeries.ts) in Node: values a float64 loop has lost
 * (below 2^-1022, docs/DEPTH_JUMP.md §6) count no digit and are not drawn.
 */
import { describe, expect, it } from "vitest";
import { pairSeries } from "../web/pairSeries.js";
import { pairFigures } from "../web/plots.js";
import { DEFAULT_STATE } from "../web/state.js";

describe("explorer pair series", () => {
  it("σb = 1, ρ1 = 0.5: the stable 1 − ρ below 2^-1022 from L = 1019 is lost, 0 digits and not plotted (at L = 1030 its bits still matched 12 digits)", async () => {
    const depths = [1000, 1030, 1100];
    const state = { ...DEFAULT_STATE, rho1: "0.5", sigmaW: "1", sigmaB: "1", dim: 3, precision: 20 };
    const pair = await pairSeries(state, depths, () => ({}));
    expect(pair.lost.stable.map((f) => f.includes("oneMinusRho"))).toEqual([false, true, true]);
    expect(pair.correctDigits!.stable[0]).toBeGreaterThanOrEqual(13);
    expect(pair.correctDigits!.stable.slice(1)).toEqual([0, 0]);
    expect(pair.givesOut.stable).toBe(1030);
    const figure = pairFigures(pair, depths).find((f) => f.name === "one-minus-rho")!;
    const values = JSON.stringify(figure.spec);
    const plotted = [...new Set([...values.matchAll(/"depth":(\d+),"value":[^,]+,"series":"float64 stable"/g)].map((m) => Number(m[1])))];
    expect(plotted).toEqual([1000]); // the carried 1.06e-311 at L = 1030 was drawn before
  });
});
