import { describe, expect, it } from "vitest";
import { isNtkError, projectToSphereFloat64, randomGaussianPoints, syntheticLabels } from "../src/index.js";

describe("randomGaussianPoints (public API)", () => {
  it("gives the same points for the same seed and seeds equal modulo 2^32, other points for another seed", () => {
    const a = randomGaussianPoints(3, 4, 7);
    expect(a.m).toBe(3);
    expect(a.n0).toBe(4);
    expect(Array.from(randomGaussianPoints(3, 4, 7).coords)).toEqual(Array.from(a.coords));
    expect(Array.from(randomGaussianPoints(3, 4, 7 + 2 ** 32).coords)).toEqual(Array.from(a.coords));
    expect(Array.from(randomGaussianPoints(3, 4, 8).coords)).not.toEqual(Array.from(a.coords));
  });

  it("projects to unit rows whose synthetic target is x1 + x2 x3", () => {
    const s = projectToSphereFloat64(randomGaussianPoints(5, 3, 1), "normalize");
    const y = syntheticLabels(s);
    for (let i = 0; i < 5; i++) {
      const x = s.coords.subarray(i * 3, i * 3 + 3);
      expect(Math.hypot(...x)).toBeCloseTo(1, 15);
      expect(y[i]).toBe(x[0] + x[1] * x[2]);
    }
  });

  it.each([
    [0, 3, 1],
    [2.5, 3, 1],
    [3, -1, 1],
    [3, 3, Number.NaN],
    [3, 3, 0.5],
    [1e5, 1e4, 1],
  ])("refuses m = %s, n0 = %s, seed = %s with BAD_OPTION", (m, n0, seed) => {
    let caught: unknown;
    try {
      randomGaussianPoints(m, n0, seed);
    } catch (e) {
      caught = e;
    }
    expect(isNtkError(caught, "BAD_OPTION")).toBe(true);
  });
});
