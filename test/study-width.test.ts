import { describe, expect, it } from "vitest";
import { judgeWidthCondition } from "../src/study/widthExperiment.js";
import type { Cell } from "../src/study/dataTable.js";

/** A synthetic grid: spread = a·sqrt(L/n), ratio = exp(c (L − 1)/n), as the theory of wide networks has them. */
function grid(a: number, c: number, flatBeyond = Infinity): Record<string, Cell>[] {
  const rows: Record<string, Cell>[] = [];
  for (const n of [4, 16, 64]) {
    for (const L of [2, 4, 8, 16, 32]) {
      const x = Math.min(L / n, flatBeyond);
      rows.push({
        width: n,
        depth: L,
        depthOverWidth: L / n,
        beta: (L - 1) / n,
        spread: a * Math.sqrt(x),
        secondMomentRatio: Math.exp(c * Math.min((L - 1) / n, flatBeyond)),
      });
    }
  }
  return rows;
}

describe("the width-condition verdict", () => {
  it("is supported when fluctuations grow like sqrt(L/n) and the ratio like exp(c β)", () => {
    const v = judgeWidthCondition(grid(0.28, 2.5), { slope: 2.5, stderr: 0.1 });
    expect(v.claim).toBe(5);
    expect(v.verdict).toBe("supported");
    expect(v.reasons[0]).toMatch(/p = 0\.5 /);
  });

  it("is not supported when the spread does not shrink as width grows (no deterministic limit)", () => {
    const flat = grid(0.3, 0).map((r) => ({ ...r, spread: 0.3, secondMomentRatio: 3 }));
    expect(judgeWidthCondition(flat, null).verdict).toBe("not supported");
  });

  it("is not supported when deep narrow networks stay close to deterministic", () => {
    const tame = grid(0.28, 2.5, 1 / 16);
    expect(judgeWidthCondition(tame, null).verdict).toBe("not supported");
  });
});
