// The high-precision depth jump (SPEC §9, src/depth/precise.ts, pairThroughDepthPrecise with
// method "jump"): vouched digits never wrong against mpmath at depths to 2^60
// (scripts/fixtures/depth_jump_reference.py, 40 digits written) and against the direct
// high-precision recursion at 10^4 and 10^5; its errors. The 320-digit literal-recursion
// references of test/precise-pair.test.ts (depths to 10^5) run through the jump as well, since
// "auto" takes it there. P = 1000: test/depth-jump-p1000.test.ts.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Decimal } from "decimal.js";
import { pairThroughDepthPrecise, type PairPointPrecise } from "../src/pair/precise.js";
import { expectCode } from "./support/errors.js";

interface JumpRef {
  rho1: string;
  points: { depth: string; oneMinusRho: string; theta: string; ntkNormalized: string; oneMinusNtkNormalized: string }[];
}
const reference = (JSON.parse(readFileSync(new URL("./fixtures/depth_jump.json", import.meta.url), "utf8")) as { cases: JumpRef[] }).cases;
const FIELDS = ["oneMinusRho", "theta", "ntkNormalized", "oneMinusNtkNormalized"] as const;
const Ref = Decimal.clone({ precision: 120 });

/** Correct significant digits of `got` against `want` (capped at `cap`). */
function correctDigits(got: Decimal, want: Decimal, cap: number): number {
  if (want.isZero()) return got.isZero() ? cap : 0;
  const err = new Ref(got).minus(want).abs().div(want.abs());
  return err.isZero() ? cap : Math.min(cap, Math.max(0, Math.floor(-err.log(10).toNumber())));
}

function checkVouched(p: PairPointPrecise, want: Record<(typeof FIELDS)[number], string>, referenceDigits: number): void {
  for (const f of FIELDS) {
    const w = new Ref(want[f]);
    // 0 to the reference's 90 working digits (Θ̄^(2) at ρ1 = −1): then the value must be tiny.
    if (w.abs().lt("1e-80")) {
      expect(p[f].abs().lt("1e-30"), `${f} at L = ${p.depthExact}`).toBe(true);
      continue;
    }
    const vouched = Math.min(p.digitsVouched[f], referenceDigits - 1);
    expect(correctDigits(p[f], w, referenceDigits), `${f} at L = ${p.depthExact}: ${vouched} vouched`).toBeGreaterThanOrEqual(vouched);
  }
}

describe("high-precision jump against mpmath (depths 2 … 2^60, 40 digits written)", () => {
  it.each(reference.map((c) => [c.rho1, c] as const))(
    "ρ1 = %s, P = 36: no vouched digit wrong, every value vouches ≥ 30",
    async (rho1, c) => {
      const r = await pairThroughDepthPrecise({ rho1, depth: c.points.at(-1)!.depth, at: c.points.map((p) => p.depth), precision: 36, method: "jump" });
      expect(r.method).toBe("jump");
      r.points.forEach((p, k) => {
        expect(p.depthExact.toString()).toBe(c.points[k]!.depth);
        checkVouched(p, c.points[k]!, 40);
        for (const f of FIELDS) if (!new Ref(c.points[k]![f]).abs().lt("1e-80")) expect(p.digitsVouched[f]).toBeGreaterThanOrEqual(30);
      });
    },
    60000,
  );
});

const high = (JSON.parse(readFileSync(new URL("./fixtures/depth_jump_high.json", import.meta.url), "utf8")) as { cases: JumpRef[] }).cases;
const HighRef = Decimal.clone({ precision: 400 });
/** The top precision of the standard 380-digit series table (runs at ≤ 372 working digits). */
const STANDARD_TABLE_PRECISION = 300;

describe("high-precision jump at P = 300 against mpmath (340 digits, 310 written; depths 2 … 2^60)", () => {
  it.each(high.map((c) => [c.rho1, c] as const))(
    "ρ1 = %s: no vouched digit wrong, every value vouches all P digits",
    async (rho1, c) => {
      const r = await pairThroughDepthPrecise({
        rho1,
        depth: c.points.at(-1)!.depth,
        at: c.points.map((p) => p.depth),
        precision: STANDARD_TABLE_PRECISION,
        method: "jump",
      });
      r.points.forEach((p, k) => {
        for (const f of FIELDS) {
          const want = new HighRef(c.points[k]![f]);
          const err = new HighRef(p[f]).minus(want).abs().div(want.abs());
          expect(p.digitsVouched[f], `${f} at L = ${p.depthExact}`).toBe(STANDARD_TABLE_PRECISION);
          expect(err.lt(new HighRef(10).pow(-p.digitsVouched[f])), `${f} at L = ${p.depthExact}: error ${err.toExponential(3)}`).toBe(true);
        }
      });
    },
    120000,
  );
});

describe("high-precision jump against the direct high-precision recursion", () => {
  it.each([
    ["-0.3", 100_000],
    ["0.99", 10_000],
    ["0.999999999999999999999999", 10_000],
  ] as const)(
    "ρ1 = %s to L = %i at 40 digits: the values agree on every digit both vouch for",
    async (rho1, depth) => {
      const at = [2, 10, 1001, depth];
      const [jump, direct] = await Promise.all(
        (["jump", "direct"] as const).map((method) => pairThroughDepthPrecise({ rho1, depth, at, precision: 40, method })),
      );
      jump!.points.forEach((p, k) => {
        const d = direct!.points[k]!;
        for (const f of FIELDS) {
          const both = Math.min(p.digitsVouched[f], d.digitsVouched[f]);
          expect(both, `${f} at L = ${p.depthExact}`).toBeGreaterThanOrEqual(38);
          expect(correctDigits(p[f], d[f], 40)).toBeGreaterThanOrEqual(both);
        }
      });
    },
    120000,
  );
});

describe("high-precision jump: ρ1 = 1 exactly", () => {
  it("equals the direct recursion (every complement exactly 0, raw kernels their diagonals) and reaches 10^18", async () => {
    const at = [1, 2, 1001, 10_000];
    const [jump, direct] = await Promise.all(
      (["jump", "direct"] as const).map((method) => pairThroughDepthPrecise({ rho1: "1", depth: 10_000, at, precision: 40, method })),
    );
    jump!.points.forEach((p, k) => {
      const d = direct!.points[k]!;
      for (const f of FIELDS) expect(String(p[f]), `${f} at L = ${p.depthExact}`).toBe(String(d[f]));
      for (const f of ["sigma", "ntk", "sigmaDot"] as const) {
        if (d[f] === null) expect(p[f]).toBeNull();
        else expect(correctDigits(p[f]!, d[f]!, 40), `${f} at L = ${p.depthExact}`).toBeGreaterThanOrEqual(Math.min(p.digitsVouched[f]!, d.digitsVouched[f]!));
      }
      expect(p.oneMinusRho.isZero() && p.oneMinusNtkNormalized.isZero()).toBe(true);
      expect(p.digitsVouched.oneMinusRho).toBe(40);
    });
    const deep = await pairThroughDepthPrecise({ rho1: "1", depth: 10n ** 18n, precision: 40 });
    expect(deep.method).toBe("jump");
    expect(String(deep.points[0]!.ntkNormalized)).toBe("1");
  });
});

describe("high-precision jump: limits", () => {
  it("raw kernels are null beyond decimal.js's exponent range (depth 10^18), with the normalized values vouched", async () => {
    const [p] = (await pairThroughDepthPrecise({ rho1: "0.5", depth: 10n ** 18n, precision: 40 })).points;
    expect([p!.sigma, p!.ntk, p!.sigmaDiag, p!.ntkDiag]).toEqual([null, null, null, null]);
    expect(p!.digitsVouched.oneMinusRho).toBe(40);
    const [q] = (await pairThroughDepthPrecise({ rho1: "0.5", depth: 10n ** 12n, precision: 30, inputDim: 3 })).points;
    // Σ(x, x) = 2^{1−L}/n0.
    expect(correctDigits(q!.sigmaDiag!, new Ref(2).pow(new Ref(1).minus(10n ** 12n)).div(3), 40)).toBeGreaterThanOrEqual(q!.digitsVouched.sigmaDiag!);
  });

  it("serves every precision beyond 10^9 layers (P > 300 was refused with BAD_DEPTH)", async () => {
    const r = await pairThroughDepthPrecise({ rho1: "0.5", depth: 2_000_000_000, precision: 400 });
    expect(r.method).toBe("jump");
    for (const f of FIELDS) expect(r.points[0]!.digitsVouched[f], f).toBe(400);
    // Rounded to 40 digits it is the 40-digit run's value.
    const low = await pairThroughDepthPrecise({ rho1: "0.5", depth: 2_000_000_000, precision: 40 });
    for (const f of FIELDS) expect(correctDigits(r.points[0]![f], low.points[0]![f], 40), f).toBeGreaterThanOrEqual(40);
  });

  it.each([
    [105, 300],
    [700, 40],
    [700, 300],
  ])(
    "ρ1 within 1e-%i of 1 at P = %i (the sum needs ~100 or ~700 more digits, Θ̄ half as many: was a RangeError or BAD_PRECISION): agrees with the direct recursion",
    async (closeness, precision) => {
      const rho1 = `0.${"9".repeat(closeness)}`;
      const at = [1001, 5000];
      const [jump, direct] = await Promise.all(
        (["jump", "direct"] as const).map((method) => pairThroughDepthPrecise({ rho1, depth: 5000, at, precision, method })),
      );
      jump!.points.forEach((p, k) => {
        const d = direct!.points[k]!;
        for (const f of FIELDS) {
          // Each within a unit of its last vouched digit: they differ by less than 10^(1 − both).
          const both = Math.min(p.digitsVouched[f], d.digitsVouched[f]);
          const err = new HighRef(p[f]).minus(d[f]).abs().div(new HighRef(d[f]).abs());
          expect(both, `${f} at L = ${p.depthExact}`).toBe(precision);
          expect(err.lt(new HighRef(10).pow(1 - both)), `${f} at L = ${p.depthExact}: ${err.toExponential(3)}`).toBe(true);
        }
      });
    },
  );

  it("ρ1 so close to 1 that the tables cannot hold Θ̄'s digits: PRECISION_LIMIT for the jump, the direct recursion for auto", async () => {
    const rho1 = `0.${"9".repeat(700)}`;
    await expectCode(
      () => pairThroughDepthPrecise({ rho1, depth: 1500, precision: 700, method: "jump" }),
      "PRECISION_LIMIT",
      /tabulated to 1042.*method "direct"/,
    );
    const r = await pairThroughDepthPrecise({ rho1, depth: 1500, precision: 700 });
    expect(r.method).toBe("direct");
    for (const f of FIELDS) expect(r.points[0]!.digitsVouched[f], f).toBe(700);
  });

  it("refuses what it cannot vouch for", async () => {
    await expectCode(() => pairThroughDepthPrecise({ rho1: "0.5", depth: 10_000, precision: 1001, method: "jump" }), "BAD_PRECISION", /from 20 to 1000/);
    await expectCode(
      () => pairThroughDepthPrecise({ rho1: "0.5", depth: 10_000, precision: 30, method: "jump", params: { sigmaB: 0.1 } }),
      "BAD_OPTION",
      /σb = 0/,
    );
    // σb > 0 with σw² ≥ 2 never settles: only the direct recursion serves it, to 10^9 layers.
    await expectCode(
      () => pairThroughDepthPrecise({ rho1: "0.5", depth: 2_000_000_000, precision: 400, params: { sigmaW: 1.5, sigmaB: 0.1 } }),
      "BAD_DEPTH",
      /from 1 to 1,000,000,000/,
    );
    await expectCode(() => pairThroughDepthPrecise({ rho1: "0.5", depth: 2n ** 60n + 1n, precision: 1000 }), "BAD_DEPTH", /from 1 to/);
  });
});
