/** The explorer's circle picker text handling (web/circlePicker.ts). */
import { describe, expect, it } from "vitest";
import { circlePoints, withCirclePoint } from "../web/circlePicker.js";

describe("circle picker", () => {
  it("reads two-column x1,x2 CSV, blank text as no points, and nothing else", () => {
    expect(circlePoints("x1,x2\n1,0\n0.6,0.8\n")).toEqual([
      [1, 0],
      [0.6, 0.8],
    ]);
    expect(circlePoints("# comment\n x1, x2 \n\n-1,0")).toEqual([[-1, 0]]);
    expect(circlePoints("  \n")).toEqual([]);
    expect(circlePoints("x1,x2,y\n1,0,2\n")).toBeNull();
    expect(circlePoints('{"points": [[1, 0]]}')).toBeNull();
    expect(circlePoints("x1,x2\n1,abc\n")).toBeNull();
  });

  it("appends the unit vector at the angle, to six decimals, and never replaces other data", () => {
    expect(withCirclePoint("x1,x2\n1,0\n", Math.PI / 2)).toBe("x1,x2\n1,0\n0,1\n");
    expect(withCirclePoint("", Math.PI)).toBe("x1,x2\n-1,0\n");
    expect(withCirclePoint("x1,x2,y\n1,0,2\n", Math.PI / 3)).toBeNull();
    expect(withCirclePoint('{"points": [[1, 0]]}', 0)).toBeNull();
  });
});
