// The float64 depth jump (SPEC §9, assembly/depthJump.ts) against mpmath references at depths to
// 2^60 (scripts/fixtures/depth_jump_reference.py) and against the direct recursion to 10^7; the
// asymptotics at 10^18; exact depths; the fixed point of σb > 0.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { pairThroughDepthFloat64 } from "../src/pair/float64.js";
import { depthJumpFloat64 } from "../src/depth/float64.js";
import { loadWasmEngine } from "../src/wasm/engine.js";
import { cliJson } from "./support/cli.js";

interface JumpRef {
  rho1: string;
  points: { depth: string; oneMinusRho: string; theta: string; ntkNormalized: string; oneMinusNtkNormalized: string }[];
}
const reference = (JSON.parse(readFileSync(new URL("./fixtures/depth_jump.json", import.meta.url), "utf8")) as { cases: JumpRef[] }).cases;
/** Relative error; absolute where the reference is 0 to its 90 working digits (Θ̄^(2) at ρ1 = −1). */
const rel = (got: number, want: number | string) => {
  const w = Number(want);
  return Math.abs(w) < 1e-80 ? Math.abs(got) : Math.abs(got - w) / Math.abs(w);
};
const FIELDS = ["oneMinusRho", "theta", "ntkNormalized", "oneMinusNtkNormalized"] as const;

describe("float64 jump against mpmath (depths 2 … 2^60)", () => {
  it.each(reference.map((c) => [c.rho1, c] as const))("ρ1 = %s: 1 − ρ, θ, Θ̄, 1 − Θ̄ within 1e-12 relative", async (rho1, c) => {
    const r = await pairThroughDepthFloat64({ rho1, depth: c.points.at(-1)!.depth, at: c.points.map((p) => p.depth), method: "jump" });
    expect(r.method).toBe("jump");
    r.points.forEach((p, k) => {
      const want = c.points[k]!;
      expect(p.depthExact.toString()).toBe(want.depth);
      for (const f of FIELDS) expect(rel(p[f], want[f]), `${f} at L = ${want.depth}`).toBeLessThan(1e-12);
    });
  });
});

describe("float64 jump against the direct recursion", () => {
  const depths = [2, 3, 49, 50, 100, 257, 1000, 10_000, 100_000, 1_000_000, 10_000_000];
  it.each(["-1", "-0.999999999999", "-0.3", "0", "0.7", "0.99", "0.999999999999", "0.99999999999999"])(
    "ρ1 = %s, depths to 10^7: within 1e-12 relative in 1 − ρ, θ, Θ̄ and 1 − Θ̄",
    async (rho1) => {
      const [jump, direct] = await Promise.all(
        (["jump", "direct"] as const).map((method) => pairThroughDepthFloat64({ rho1, depth: 10_000_000, at: depths, method })),
      );
      jump!.points.forEach((p, k) => {
        const d = direct!.points[k]!;
        for (const f of FIELDS) expect(rel(p[f], d[f]), `${f} at L = ${p.depth}`).toBeLessThan(1e-12);
        expect(p.sigmaDot === null).toBe(d.sigmaDot === null);
        if (d.sigmaDot !== null) expect(rel(p.sigmaDot!, d.sigmaDot)).toBeLessThan(1e-12);
        // Raw kernels in closed form: the same value, whatever the power-of-two split.
        expect(rel(p.sigma * 2 ** (p.log2Scale - d.log2Scale), d.sigma)).toBeLessThan(1e-12);
        expect(rel(p.ntkDiag * 2 ** (p.log2Scale - d.log2Scale), d.ntkDiag)).toBeLessThan(1e-12);
      });
    },
  );

  it("σw ≠ 1 (σb = 0): normalized values unchanged, raw diagonals (σw²/n0)(σw²/2)^{L−1} and L times it, as the direct loop", async () => {
    const o = { rho1: "0.3", depth: 20_000, at: [2, 3000, 20_000], params: { sigmaW: "1.5" }, inputDim: 3 };
    const [jump, direct] = await Promise.all((["jump", "direct"] as const).map((method) => pairThroughDepthFloat64({ ...o, method })));
    jump!.points.forEach((p, k) => {
      const d = direct!.points[k]!;
      for (const f of ["sigmaDiag", "ntkDiag", "sigma", "ntk"] as const)
        expect(rel(p[f] * 2 ** (p.log2Scale - d.log2Scale), d[f]), `${f} at L = ${p.depth}`).toBeLessThan(1e-12);
    });
  });

  it("one more exact step from the jump at L lands on the jump at L + 1 (the Abel equation), for random ρ1 and L", async () => {
    const engine = await loadWasmEngine();
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 2, noNaN: true }), fc.bigInt({ min: 60n, max: 2n ** 60n - 1n }), (eps1, depth) => {
        const here = depthJumpFloat64(engine, eps1, depth);
        const next = depthJumpFloat64(engine, eps1, depth + 1n);
        // Depth 2 from ε_L is one exact layer of the complement recursion.
        const stepped = depthJumpFloat64(engine, here.oneMinusRho, 2n).oneMinusRho;
        expect(rel(next.oneMinusRho, stepped)).toBeLessThan(1e-13);
      }),
      { numRuns: 300 },
    );
  });
});

describe("asymptotics and exact depths", () => {
  it("at L = 10^18: 1 − ρ = 9π²/(2L²)(1 + O(ln L/L)) and Θ̄ = 1/4 + O(ln L/L), for ρ1 across [−1, 1)", async () => {
    // The O(·) terms are (3 ln L/2 + 3π C(ρ1))/L with C(ρ1) ≈ 1/θ1 for small θ1 (SPEC §9), so the bound is (ln L + 3π/θ1)/L times a constant.
    const L = 10n ** 18n;
    for (const [rho1, theta1] of [
      ["-1", Math.PI],
      ["-0.5", (2 * Math.PI) / 3],
      ["0", Math.PI / 2],
      ["0.5", Math.PI / 3],
      ["0.9999999", Math.sqrt(2e-7)],
      ["0.99999999999999999999", Math.sqrt(2e-20)],
    ] as const) {
      const bound = (Math.log(1e18) + (3 * Math.PI) / theta1) / 1e18;
      const [p] = (await pairThroughDepthFloat64({ rho1, depth: L })).points;
      expect(Math.abs((p!.oneMinusRho * 2 * 1e36) / (9 * Math.PI ** 2) - 1)).toBeLessThan(Math.max(4 * bound, 4e-16));
      expect(Math.abs(p!.ntkNormalized - 0.25)).toBeLessThan(Math.max(bound, 1e-16));
      expect(rel(p!.oneMinusNtkNormalized, 0.75)).toBeLessThan(Math.max(2 * bound, 1e-15));
    }
  });

  it("depths are exact in the API and the CLI: 10^18 + 1 stays 10^18 + 1", async () => {
    const r = await pairThroughDepthFloat64({ rho1: "0.5", depth: "1000000000000000001", at: [10n ** 18n, "1000000000000000001"] });
    expect(r.points.map((p) => p.depthExact)).toEqual([10n ** 18n, 10n ** 18n + 1n]);
    const doc = await cliJson<{ method: string; points: { depth: string; sigmaDiag: string }[] }>(
      "rho",
      "--rho1",
      "0.5",
      "--depth",
      "1000000000000000001",
      "--at",
      "1e18,1000000000000000001",
      "--json",
    );
    expect(doc.method).toBe("jump");
    expect(doc.points.map((p) => p.depth)).toEqual(["1000000000000000000", "1000000000000000001"]);
    // Σ(x, x) = 2^{−(L−1)} = 10^{−301029995663981194.9127…} at L = 10^18.
    expect(doc.points[0]!.sigmaDiag).toMatch(/^1\.22261888829114\d*e-301029995663981195$/);
  });

  it("σb > 0: the direct loop stops at the float64 fixed point, and any depth to 2^60 has its values", async () => {
    const params = { sigmaW: 1, sigmaB: 0.5 };
    const r = await pairThroughDepthFloat64({ rho1: 0.3, depth: 2n ** 60n, at: [5000, 10n ** 12n, 2n ** 60n], params });
    expect(r.method).toBe("direct");
    expect(r.fixedPointFrom).not.toBeNull();
    const [a, b, c] = r.points;
    for (const p of [b!, c!]) {
      for (const f of [...FIELDS, "sigma", "ntk", "sigmaDiag", "ntkDiag", "log2Scale"] as const) expect(p[f]).toBe(a![f]);
    }
    expect(a!.lostToZero).toEqual(["oneMinusRho", "theta", "oneMinusNtkNormalized"]);
  });
});
