// The high-precision depth jump at the library's top precision, P = 1000 (src/depth/precise.ts
// with its 1 050-digit table, src/depth/seriesTableHigh.ts): vouched digits never wrong against
// mpmath at 1 100 digits (scripts/fixtures/depth_jump_reference.py --p1000, 1 010 digits written;
// depths 2 … 2^60), every value vouching all 1 000 digits; P = 600 against the same references.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Decimal } from "decimal.js";
import { pairThroughDepthPrecise } from "../src/pair/precise.js";

interface JumpRef {
  rho1: string;
  points: { depth: string; oneMinusRho: string; theta: string; ntkNormalized: string; oneMinusNtkNormalized: string }[];
}
const FIELDS = ["oneMinusRho", "theta", "ntkNormalized", "oneMinusNtkNormalized"] as const;
const fixture = JSON.parse(readFileSync(new URL("./fixtures/depth_jump_p1000.json", import.meta.url), "utf8")) as { digits: number; cases: JumpRef[] };
const Ref = Decimal.clone({ precision: 1100 });
const P = 1000;

/** Runs the jump at `precision` through the case's depths; every value must vouch all digits, none wrong. */
async function checkCase(c: JumpRef, precision: number): Promise<void> {
  const r = await pairThroughDepthPrecise({ rho1: c.rho1, depth: c.points.at(-1)!.depth, at: c.points.map((p) => p.depth), precision, method: "jump" });
  expect(r.method).toBe("jump");
  r.points.forEach((p, k) => {
    expect(p.depthExact.toString()).toBe(c.points[k]!.depth);
    for (const f of FIELDS) {
      const want = new Ref(c.points[k]![f]);
      const err = new Ref(p[f]).minus(want).abs().div(want.abs());
      expect(p.digitsVouched[f], `${f} at L = ${p.depthExact}`).toBe(precision);
      expect(err.lt(new Ref(10).pow(-p.digitsVouched[f])), `${f} at L = ${p.depthExact}: error ${err.toExponential(3)}`).toBe(true);
    }
  });
}

describe(`high-precision jump at P = ${P} against mpmath (1 100 digits, ${fixture.digits} written; depths 2 … 2^60)`, () => {
  it.each(fixture.cases.map((c) => [c.rho1, c] as const))(
    "ρ1 = %s: no vouched digit wrong, every value vouches all P digits",
    async (_rho1, c) => checkCase(c, P),
    60000,
  );
});

describe("high-precision jump at P = 600 against the same references (the high table midway: θ_s ≈ 0.038)", () => {
  it.each(fixture.cases.filter((c) => c.rho1 === "0.5" || c.rho1 === "0.9").map((c) => [c.rho1, c] as const))(
    "ρ1 = %s: no vouched digit wrong, every value vouches all 600 digits",
    async (_rho1, c) => checkCase(c, 600),
  );
});
