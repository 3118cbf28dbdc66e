import { describe, expect, it } from "vitest";
import { cli } from "./support/cli.js";

/** Every leaf of the JSON document is a string or null: numbers are decimal strings. */
function leaves(x: unknown): unknown[] {
  if (x !== null && typeof x === "object") return Object.values(x).flatMap(leaves);
  return [x];
}

describe("ntk-depth compare", () => {
  it("prints both float64 paths against the reference, with digits and first depths of loss", async () => {
    const r = await cli("compare", "--rho1", "0.9999999", "--depth", "2000", "--at", "1,100,2000");
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toMatch(/1 − ρ\^\(L\)/);
    expect(r.out).toMatch(/Θ̄\^\(L\)/);
    expect(r.out).toMatch(/textbook\s+< 12: L = 1\s+< 6: L = \d+/);
    expect(r.out).toMatch(/stable\s+< 12: never \(to L = 2000\)/);
    // depth-1 row: the reference 1e-7 (17 of 32 vouched digits shown); textbook float64 forms
    // 1 − fl(0.9999999) = 9.999999994736442e-8, 9 correct digits; stable reads 1e-7 from the exact text.
    // The table is printed in two blocks of columns (reference and textbook, then stable) to fit 100 columns.
    expect(r.out).toMatch(/\n\s*1\s+1\.0000000000000000e-7\s+32\s+9\.999999994736442e-8\s+5\.26e-10\s+9\n/);
    expect(r.out).toMatch(/\n\s*1\s+1e-7\s+4\.53e-17\s+16\n/);
  });

  it("a 1 − ρ float64 lost below 2^-1022 prints as lost (text) and null with a reason (--json), with 0 digits", async () => {
    const args = ["compare", "--rho1", "0.5", "--depth", "1030", "--at", "1000,1030", "--sigma-b", "1", "--input-dim", "3"];
    const text = await cli(...args);
    expect(text.code).toBe(0);
    // The 1 − ρ table comes in two blocks of columns (reference and textbook, then stable), each row keyed by L.
    expect(text.out).toMatch(/\n\s*1030\s+1\.0578\S*\s+\d+\s+lost\s+—\s+0\n/);
    expect(text.out).toMatch(/\n\s*1000\s+1\.1358\S*\s+\S+\s+15\n\s*1030\s+lost\s+—\s+0\n/);
    const json = await cli(...args, "--json");
    const doc = JSON.parse(json.out) as { points: { stable: Record<string, string | null> }[] };
    expect(doc.points[0]!.stable.oneMinusRho).toMatch(/e-302$/);
    expect(doc.points[1]!.stable).toMatchObject({ oneMinusRho: null, oneMinusRhoRelError: null, oneMinusRhoDigits: "0" });
    expect(doc.points[1]!.stable.oneMinusRhoReason).toMatch(/2\^-1022/);
  });

  it("--json: the documented keys, every number a decimal string", async () => {
    const r = await cli(
      "compare",
      "--rho1",
      "0.5",
      "--depth",
      "300",
      "--at",
      "1,300",
      "--precision",
      "40",
      "--sigma-w",
      "1.2",
      "--sigma-b",
      "0.1",
      "--input-dim",
      "3",
      "--json",
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as Record<string, unknown> & {
      points: Record<string, Record<string, unknown>>[];
      firstDepthBelow: Record<string, Record<string, string | null>>;
    };
    expect(Object.keys(doc)).toEqual([
      "command",
      "rho1",
      "depth",
      "sigmaW",
      "sigmaB",
      "inputDim",
      "precision",
      "workingPrecision",
      "vouchedBy",
      "points",
      "firstDepthBelow",
    ]);
    expect(doc.precision).toBe("40");
    expect(doc.points.map((p) => p.depth)).toEqual(["1", "300"]);
    expect(Object.keys(doc.points[0]!.textbook!)).toEqual([
      "oneMinusRho",
      "oneMinusRhoRelError",
      "oneMinusRhoDigits",
      "ntkNormalized",
      "ntkNormalizedRelError",
      "ntkNormalizedDigits",
    ]);
    expect(Object.keys(doc.firstDepthBelow.stable!)).toEqual(["1", "6", "12"]); // JSON orders integer keys ascending
    for (const leaf of leaves(doc)) expect(leaf === null || typeof leaf === "string").toBe(true);
    expect(doc.points[1]!.reference!.digitsVouched).toEqual({ oneMinusRho: "40", ntkNormalized: "40" });
  });

  it("errors: bad precision, bad depth, missing flag", async () => {
    const p = await cli("compare", "--rho1", "0.5", "--depth", "10", "--precision", "1001");
    expect(p.code).toBe(1);
    expect(p.err).toMatch(/error BAD_PRECISION: precision must be an integer number of significant digits from 20 to 1000/);
    expect(p.out).toBe("");
    const d = await cli("compare", "--rho1", "0.5", "--depth", "2e6");
    expect(d.code).toBe(1);
    expect(d.err).toMatch(/BAD_DEPTH/);
    const x = await cli("compare", "--rho1", "zero", "--depth", "10");
    expect(x.err).toMatch(/NOT_A_NUMBER/);
    expect((await cli("compare", "--depth", "10")).code).toBe(2);
  });

  it("Ctrl-C stops a long run with exit code 130, a message on stderr and nothing on stdout", async () => {
    const pending = cli("compare", "--rho1", "0.5", "--depth", "1000000", "--precision", "200", "--json");
    const timer = setTimeout(() => process.emit("SIGINT"), 500);
    const r = await pending;
    clearTimeout(timer);
    expect(r.code).toBe(130);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/interrupted/);
  }, 30000);
});

describe("ntk-depth rho --precision (src/cli/rhoPrecise.ts)", () => {
  it("prints each value with exactly its vouched digits, exact zeros as 0, and how the digits were vouched", async () => {
    const r = await cli("rho", "--rho1", "-1", "--depth", "2", "--precision", "25");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/High precision: 25 significant digits asked/);
    expect(r.out).toMatch(/the complement recursion \(SPEC §4\) in BigInt floating point \(\d+ and \d+ bits\)\s+computed\s+twice/);
    expect(r.out).toMatch(/\n2\s+ρ = Σ̄\(x,x′\)\s+0\s+25\n/); // h(−1) = 0 exactly
    expect(r.out).toMatch(/\n2\s+θ = arccos ρ \(rad\)\s+1\.570796326794896619231322\s+25\n/); // π/2 to 25 digits
    expect(r.out).toMatch(/\n2\s+Σ\(x,x\)\s+0\.5000000000000000000000000\s+25\n/);
  });
});
