import { describe, expect, it } from "vitest";
import { Decimal } from "decimal.js";
import { archGramThroughDepthPrecise, archPairThroughDepthPrecise } from "../src/arch/precise.js";
import { archGramThroughDepthFloat64 } from "../src/arch/float64.js";
import { gramThroughDepthPrecise } from "../src/gram/precise.js";
import { pairThroughDepthPrecise } from "../src/pair/precise.js";
import { correctDigits } from "../src/digits.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { datasetFromArrays } from "../src/data/dataset.js";
import fixture from "./fixtures/arch.json" with { type: "json" };
import { rejectionOf } from "./support/errors.js";

interface RefPoint {
  depth: number;
  oneMinusRho: string;
  oneMinusNtkNormalized: string;
  sigmaDiag: string;
  ntkDiag: string;
}
const cases = fixture.cases as { arch: string; rho1: string; inputDim: number; points: RefPoint[] }[];

const FIELDS = ["oneMinusRho", "oneMinusNtkNormalized", "sigmaDiag", "ntkDiag"] as const;

describe("architecture kernels at high precision against mpmath (test/fixtures/arch.json, 40 digits)", () => {
  it("no vouched digit is ever wrong, and 30 digits are vouched, at every case (depth 100 for ρ1 = 0.5, 0.9999999 in n0 = 1, else 10; P = 30)", async () => {
    let checked = 0;
    for (const c of cases) {
      const deep = c.inputDim === 1 && (c.rho1 === "0.5" || c.rho1 === "0.9999999");
      const refs = c.points.filter((p) => p.depth <= (deep ? 100 : 10));
      const r = await archPairThroughDepthPrecise({
        rho1: c.rho1,
        depth: refs[refs.length - 1].depth,
        at: refs.map((p) => p.depth),
        architecture: c.arch,
        inputDim: c.inputDim,
        precision: 30,
      });
      r.points.forEach((p, i) => {
        for (const f of FIELDS) {
          const vouched = p.digitsVouched[f]!;
          const correct = correctDigits(p[f]!, new Decimal(refs[i][f]), 39);
          if (!(correct >= vouched && vouched >= 30)) throw new Error(`${c.arch} ρ1 = ${c.rho1} L = ${p.depth} ${f}: vouched ${vouched}, correct ${correct}`);
          checked++;
        }
      });
    }
    expect(checked).toBeGreaterThan(cases.length * 4 * 4);
  });
  it("depth 1000 (two architectures, ρ1 = 0.9999999): vouched digits right", async () => {
    for (const c of cases.filter((x) => x.rho1 === "0.9999999" && (x.arch === "erf dense(1.5,0.3)" || x.arch.startsWith("residual(alpha=1/sqrt")))) {
      const ref = c.points[c.points.length - 1];
      const r = await archPairThroughDepthPrecise({ rho1: c.rho1, depth: 1000, architecture: c.arch, precision: 25 });
      const [p] = r.points;
      for (const f of FIELDS) {
        expect(p.digitsVouched[f]).toBeGreaterThanOrEqual(25);
        expect(correctDigits(p[f]!, new Decimal(ref[f]), 39)).toBeGreaterThanOrEqual(p.digitsVouched[f]!);
      }
    }
  });
});

describe("high-precision Gram matrices of architectures", () => {
  const points = [
    ["1", "0", "0"],
    ["0.6", "0.8", "0"],
    ["0.1", "0.2", "0.9"],
    ["-0.5", "0.5", "0.7"],
  ];
  const data = datasetFromArrays({ points });
  it("agree with float64 to 1e-12 relative in the complements and vouch for P digits", async () => {
    const sphere = projectToSphereFloat64(data, "normalize");
    for (const architecture of ["erf dense(1.2,0.1)", "residual(alpha=1/sqrt(L); relu dense)", "abs dense"]) {
      const hp = await archGramThroughDepthPrecise({ data, projection: "normalize", depths: [1, 3, 20], architecture, precision: 25 });
      const f64 = (await archGramThroughDepthFloat64({ points: sphere, depths: [1, 3, 20], architecture })).grams;
      hp.grams.forEach((g, k) => {
        expect(g.digitsVouched).toBeGreaterThanOrEqual(25);
        for (const name of ["oneMinusSigmaNormalized", "oneMinusNtkNormalized"] as const) {
          g[name].forEach((x, i) => {
            if (x.isZero()) expect(f64[k][name][i]).toBe(0);
            else expect(Math.abs(f64[k][name][i] / x.toNumber() - 1)).toBeLessThan(1e-12);
          });
        }
        expect(g.ntkNormalized[0].toString()).toBe("1");
      });
    }
  });
  it("the plain ReLU network runs on the ReLU engine (same result as gramThroughDepthPrecise and pairThroughDepthPrecise)", async () => {
    const o = { data, projection: "normalize" as const, depths: [2, 10], precision: 22 };
    // Decimals compare by their full text (toJSON); exact depths (bigint) by their decimal text.
    const text = (v: unknown) => JSON.stringify(v, (_, x: unknown) => (typeof x === "bigint" ? x.toString() : x));
    expect(text(await archGramThroughDepthPrecise({ ...o, architecture: "relu dense" }))).toBe(text(await gramThroughDepthPrecise(o)));
    const p = { rho1: "0.5", depth: 10, precision: 22 };
    expect(text(await archPairThroughDepthPrecise({ ...p, architecture: "relu dense" }))).toBe(text(await pairThroughDepthPrecise(p)));
  });
  it("BAD_ARCH, BAD_PRECISION and BAD_RHO as the other precise paths", async () => {
    expect((await rejectionOf(() => archPairThroughDepthPrecise({ rho1: 0.5, depth: 3, architecture: "erf erf", precision: 25 }))).code).toBe("BAD_ARCH");
    expect((await rejectionOf(() => archPairThroughDepthPrecise({ rho1: 0.5, depth: 3, architecture: "erf dense", precision: 5 }))).code).toBe("BAD_PRECISION");
    expect((await rejectionOf(() => archPairThroughDepthPrecise({ rho1: -3, depth: 3, architecture: "erf dense", precision: 25 }))).code).toBe("BAD_RHO");
  });
});
