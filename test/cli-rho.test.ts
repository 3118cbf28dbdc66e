import { describe, expect, it } from "vitest";
import { cli, cliJson } from "./support/cli.js";
import { pairThroughDepthFloat64 } from "../src/pair/float64.js";

interface RhoJson {
  points: Record<string, string | null | Record<string, string | null>>[];
  precision?: string;
}

describe("ntk-depth rho", () => {
  it("--json keeps the documented keys, one entry per checkpoint, numbers as shortest round-trip strings", async () => {
    const doc = await cliJson<RhoJson>("rho", "--rho1", "0.5", "--depth", "50", "--at", "1,2,10,50", "--json");
    expect(doc.points.map((p) => p.depth)).toEqual(["1", "2", "10", "50"]);
    const lib = await pairThroughDepthFloat64({ rho1: "0.5", depth: 50, at: [1, 2, 10, 50] });
    doc.points.forEach((p, k) => {
      for (const key of ["rho", "oneMinusRho", "theta", "ntkNormalized", "oneMinusNtkNormalized"] as const) {
        expect(typeof p[key]).toBe("string");
        expect(Number(p[key])).toBe(lib.points[k][key]);
      }
    });
    expect(doc.points[0].sigmaDot).toBeNull();
  });

  it("defaults to the final depth, reads ρ1 as decimal text and prints raw Σ past the float64 range exactly", async () => {
    const doc = await cliJson<RhoJson>("rho", "--rho1", "0.9999999", "--depth", "2000", "--json");
    expect(doc.points).toHaveLength(1);
    expect(doc.points[0].depth).toBe("2000");
    expect(doc.points[0].sigmaDiag).toMatch(/e-602$/);
    const first = await cliJson<RhoJson>("rho", "--rho1", "0.9999999", "--depth", "1", "--json");
    expect(first.points[0].oneMinusRho).toBe("1e-7");
  });

  it("--textbook runs the textbook recursion and says so", async () => {
    const stable = await cliJson<RhoJson & { method: string }>("rho", "--rho1", "0.9999999", "--depth", "100000", "--json");
    const textbook = await cliJson<RhoJson & { method: string }>("rho", "--rho1", "0.9999999", "--depth", "100000", "--textbook", "--json");
    expect([stable.method, textbook.method]).toEqual(["jump", "textbook"]);
    expect(textbook.points[0].oneMinusRho).not.toBe(stable.points[0].oneMinusRho);
    const table = await cli("rho", "--rho1", "0.5", "--depth", "10", "--textbook");
    expect(table.out).toMatch(/textbook recursion/);
  });

  it("--precision adds digitsVouched and precision, same keys otherwise", async () => {
    const doc = await cliJson<RhoJson>("rho", "--rho1", "0.5", "--depth", "20", "--at", "1,20", "--precision", "25", "--json");
    expect(doc.precision).toBe("25");
    const p = doc.points[1];
    for (const key of ["rho", "oneMinusRho", "theta", "ntkNormalized"]) {
      expect(typeof p[key]).toBe("string");
      expect(Number((p.digitsVouched as Record<string, string>)[key])).toBeGreaterThanOrEqual(20);
    }
    const f64 = await pairThroughDepthFloat64({ rho1: "0.5", depth: 20 });
    expect(Math.abs(Number(p.oneMinusRho) - f64.points[0].oneMinusRho) / f64.points[0].oneMinusRho).toBeLessThan(1e-13);
  });

  it("a complement lost to 0 says so, in the table and in --json", async () => {
    const doc = await cliJson<RhoJson>("rho", "--rho1", "0.5", "--depth", "3000", "--at", "10,3000", "--sigma-b", "1", "--json");
    expect(doc.points[0].lostToZero).toEqual([]);
    expect(doc.points[1].oneMinusRho).toBeNull();
    expect(doc.points[1].lostToZero).toEqual(["oneMinusRho", "theta", "oneMinusNtkNormalized"]);
    const table = await cli("rho", "--rho1", "0.5", "--depth", "3000", "--sigma-b", "1");
    expect(table.out).toMatch(/\blost\b/);
    expect(table.out).toMatch(/below the smallest normal float64/);
    const exact = await cliJson<RhoJson>("rho", "--rho1", "1", "--depth", "50", "--json");
    expect(exact.points[0].lostToZero).toEqual([]);
  });

  it("human output is an aligned table with a legend", async () => {
    const r = await cli("rho", "--rho1", "0.9999999", "--depth", "1000", "--at", "1,1000");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/direct recursion/);
    expect(r.out).toMatch(/^\s+L\s+ρ\s+1 − ρ/m);
  });

  it("bad input exits 1 with the error code; bad usage exits 2", async () => {
    const bad = await cli("rho", "--rho1", "1.5", "--depth", "3");
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/error BAD_RHO/);
    expect((await cli("rho", "--rho1", "0.5", "--depth", "ten")).err).toMatch(/error BAD_DEPTH/);
    expect((await cli("rho", "--rho1", "0.5", "--depth", "3", "--precision", "5")).err).toMatch(/error BAD_PRECISION/);
    expect((await cli("rho", "--rho1", "0.5", "--depth", "3", "--precision", "30", "--textbook")).code).toBe(2);
    expect((await cli("rho", "--depth", "3")).code).toBe(2);
  });

  it("--help says what each quantity means", async () => {
    const r = await cli("rho", "--help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/normalized NTK/);
    expect(r.out).toMatch(/1e-12 relative/);
  });
});
