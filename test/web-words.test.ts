/** The explorer's wording of library messages (web/words.ts) and its run-time estimate (web/estimate.ts). */
import { describe, expect, it } from "vitest";
import { zeroVectorError } from "../src/sphere/float64.js";
import { predictFromKernelsFloat64, resolveParams } from "../src/index.js";
import { rejectionOf, errorOf } from "./support/errors.js";
import { durationText, estimateSeconds, CONFIRM_SECONDS } from "../web/estimate.js";
import { DEFAULT_STATE } from "../web/state.js";
import { groupedWarnings, pageWords } from "../web/words.js";

describe("library messages in the page's words", () => {
  it("names the page's controls instead of command-line flags and API option names", async () => {
    expect(pageWords(zeroVectorError("pasted data", 1).message)).toBe(
      "pasted data: point 2 is the zero vector, which has no direction; remove it or choose the projection “stereographic”.",
    );
    const singular = await rejectionOf(() => predictFromKernelsFloat64({ trainKernel: [1, 1, 1, 1], testKernel: [1, 1], targets: [0, 1], m: 2, time: "inf" }));
    const words = pageWords(singular.message);
    expect(words).not.toMatch(/diagReg|--|finite time/);
    expect(words).toMatch(/The high-precision run \(digits ≥ 20\) says whether it exists at all\.$/);
    expect(pageWords(errorOf(() => resolveParams({ sigmaW: "-1" })).message)).toMatch(/^σw must be a positive/);
    expect(
      pageWords(
        'K has condition estimate 9.31e+17: the float64 weights keep about 0 significant digits. Use the high-precision path (precision "auto") for more.',
      ),
    ).toMatch(/digits\. Set “high precision, digits” to 20 or more to see how many are right\.$/);
  });

  it("groups a warning given at many depths into one line", () => {
    const warnings = [3, 5, 8, 13, 21, 34, 55].map((depth) => ({
      depth,
      message: "K is ill-conditioned. Use a finite time (stays defined) or a ridge diagReg > 0.",
    }));
    expect(groupedWarnings([...warnings, { depth: 2, message: "other" }])).toEqual([
      "At depths 3, 5, 8, … 55 (7 depths): K is ill-conditioned.",
      "At depth 2: other",
    ]);
  });
});

describe("run-time estimate", () => {
  it("grows with depth, points and digits, and puts depth 10^9 far beyond the confirmation threshold", () => {
    const base = estimateSeconds(DEFAULT_STATE, 7);
    expect(base).toBeLessThan(1);
    expect(estimateSeconds({ ...DEFAULT_STATE, depthMax: 2000 }, 7)).toBeGreaterThan(base);
    expect(estimateSeconds({ ...DEFAULT_STATE, precision: 100 }, 7)).toBeGreaterThan(base);
    expect(estimateSeconds(DEFAULT_STATE, 20)).toBeGreaterThan(base);
    expect(estimateSeconds({ ...DEFAULT_STATE, depthMax: 1e9, precision: 0 }, 7)).toBeGreaterThan(CONFIRM_SECONDS);
    // Beyond 10^9 layers the jump's cost does not grow with depth.
    expect(estimateSeconds({ ...DEFAULT_STATE, depthMax: 1e18 }, 7)).toBeLessThan(CONFIRM_SECONDS);
  });

  it("says durations in the unit that reads best", () => {
    expect([durationText(0.2), durationText(42), durationText(600), durationText(7200), durationText(86400 * 3)]).toEqual([
      "about 1 s",
      "about 42 s",
      "about 10 min",
      "about 2 h",
      "about 3 days",
    ]);
  });
});
