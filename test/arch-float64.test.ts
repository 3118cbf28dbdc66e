import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decimal } from "decimal.js";
import { archGramThroughDepthFloat64, archPairThroughDepthFloat64, type ArchPairOptions } from "../src/arch/float64.js";
import { gramThroughDepthFloat64 } from "../src/gram/float64.js";
import { pairThroughDepthFloat64 } from "../src/pair/float64.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { choleskyFactor } from "../src/linalg/cholesky.js";
import fixture from "./fixtures/arch.json" with { type: "json" };
import { rejectionOf } from "./support/errors.js";

interface RefPoint {
  depth: number;
  oneMinusRho: string;
  oneMinusNtkNormalized: string;
  sigmaDiag: string;
  ntkDiag: string;
}
interface Case {
  arch: string;
  rho1: string;
  inputDim: number;
  points: RefPoint[];
}
const cases = fixture.cases as Case[];

function relErr(x: number, ref: string): number {
  const r = new Decimal(ref);
  return r.isZero() ? Math.abs(x) : new Decimal(x).minus(r).div(r).abs().toNumber();
}

const BACKENDS: Pick<ArchPairOptions, "backend" | "variant">[] = [
  { backend: "wasm", variant: "simd" },
  { backend: "wasm", variant: "scalar" },
  { backend: "plain" },
];

describe("architecture kernels in float64 against mpmath (test/fixtures/arch.json)", () => {
  for (const backend of BACKENDS) {
    it(`every case within 1e-12 relative: 1 − Σ̄, 1 − Θ̄ and the raw diagonals (${backend.backend} ${backend.variant ?? ""})`, async () => {
      let worst = 0;
      for (const c of cases) {
        const r = await archPairThroughDepthFloat64({
          rho1: c.rho1,
          depth: 1000,
          at: c.points.map((p) => p.depth),
          architecture: c.arch,
          inputDim: c.inputDim,
          ...backend,
        });
        r.points.forEach((p, i) => {
          const ref = c.points[i];
          expect(p.depth).toBe(ref.depth);
          const errors = [
            relErr(p.oneMinusRho, ref.oneMinusRho),
            relErr(p.oneMinusNtkNormalized, ref.oneMinusNtkNormalized),
            relErr(p.sigmaDiag * 2 ** p.log2Scale, ref.sigmaDiag),
            relErr(p.ntkDiag * 2 ** p.log2Scale, ref.ntkDiag),
          ];
          const e = Math.max(...errors);
          worst = Math.max(worst, e);
          if (!(e <= 1e-12)) throw new Error(`${c.arch} ρ1 = ${c.rho1} n0 = ${c.inputDim} L = ${p.depth}: errors ${errors.join(", ")}`);
        });
      }
      expect(worst).toBeLessThanOrEqual(1e-12);
    });
  }
});

describe("the plain ReLU network through the architecture API", () => {
  const data = projectToSphereFloat64(
    { m: 5, n0: 3, coords: Float64Array.of(1, 0, 0, 0.6, 0.8, 0, 0.1, 0.2, 0.9, -0.5, 0.5, 0.7, 0.3, -0.3, 0.2) },
    "normalize",
  );
  it("'relu dense' (and its JSON form) gives the ReLU engine's Gram matrices bit for bit", async () => {
    const params = { sigmaW: 1.3, sigmaB: "0.2" };
    const depths = [1, 2, 7, 300];
    const ref = (await gramThroughDepthFloat64({ points: data, depths, params })).grams;
    const fromText = (await archGramThroughDepthFloat64({ points: data, depths, params, architecture: "relu dense" })).grams;
    const fromJson = (
      await archGramThroughDepthFloat64({
        points: data,
        depths,
        architecture: { block: [{ kind: "relu" }, { kind: "dense", sigmaW: 1.3, sigmaB: "0.2" }] },
        params: { sigmaW: 1.3, sigmaB: 0.2 },
      })
    ).grams;
    for (const g of [fromText, fromJson]) expect(g).toEqual(ref);
  });
  it("'relu dense' pairs are the ReLU pair path's, bit for bit (σw, σb from --sigma-w style params)", async () => {
    const o = { rho1: "0.9999999", depth: 5000, at: [1, 10, 5000], params: { sigmaW: 1, sigmaB: 0 } };
    expect(await archPairThroughDepthFloat64({ ...o, architecture: "relu dense(1,0)" })).toEqual(await pairThroughDepthFloat64(o));
  });
  it("the general tape agrees with the ReLU engine: 'relu dense relu dense' at depth L is the ReLU network at 2L − 1 (within 1e-13)", async () => {
    const params = { sigmaW: 1.2, sigmaB: 0.1 };
    const tape = (await archGramThroughDepthFloat64({ points: data, depths: [2, 50, 500], params, architecture: "relu dense relu dense" })).grams;
    const ref = (await gramThroughDepthFloat64({ points: data, depths: [3, 99, 999], params })).grams;
    tape.forEach((g, k) => {
      const r = ref[k];
      for (const name of ["oneMinusSigmaNormalized", "oneMinusNtkNormalized"] as const) {
        g[name].forEach((x, i) => expect(Math.abs(x - r[name][i])).toBeLessThanOrEqual(1e-13 * r[name][i]));
      }
      expect(g.sigmaDiag * 2 ** g.log2Scale).toBeCloseTo(r.sigmaDiag * 2 ** r.log2Scale, 14);
      expect(Math.abs(g.ntkDiag / r.ntkDiag - 1)).toBeLessThan(1e-13);
    });
  });
});

const ARCHS = [
  "leaky_relu(0.1) dense",
  "abs dense(1,0.2)",
  "erf dense(1.5,0.2)",
  "erf dense",
  "residual(alpha=1; relu dense)",
  "residual(alpha=1/sqrt(L); dense relu dense)",
  "two_slope(-0.3,2) dense(0.9)",
];

describe("Gram properties for every architecture (fast-check)", () => {
  it("symmetric, unit diagonal, complements in [0, 2], Gram entries equal the pair path's, Θ positive definite at L ≥ 2 for distinct points", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ARCHS),
        fc.array(
          fc.integer({ min: -1000, max: 1000 }).map((k) => k / 1000),
          { minLength: 12, maxLength: 12 },
        ),
        fc.integer({ min: 2, max: 40 }),
        async (arch, raw, depth) => {
          const norms = [0, 1, 2, 3].map((i) => Math.hypot(raw[3 * i], raw[3 * i + 1], raw[3 * i + 2]));
          fc.pre(norms.every((n) => n > 0.1));
          const points = projectToSphereFloat64({ m: 4, n0: 3, coords: Float64Array.from(raw) }, "normalize");
          // distinct points, not too close (a near-duplicate is numerically singular in float64)
          for (let i = 0; i < 4; i++)
            for (let j = i + 1; j < 4; j++) {
              let d = 0;
              for (let c = 0; c < 3; c++) d += (points.coords[3 * i + c] - points.coords[3 * j + c]) ** 2;
              fc.pre(d > 0.05 && d < 3.95);
            }
          const [g] = (await archGramThroughDepthFloat64({ points, depths: [depth], architecture: arch })).grams;
          for (let i = 0; i < 4; i++) {
            expect(g.sigmaNormalized[5 * i]).toBe(1);
            expect(g.ntkNormalized[5 * i]).toBe(1);
            for (let j = 0; j < 4; j++) {
              expect(g.ntkNormalized[4 * i + j]).toBe(g.ntkNormalized[4 * j + i]);
              expect(g.oneMinusSigmaNormalized[4 * i + j]).toBeGreaterThanOrEqual(0);
              expect(g.oneMinusSigmaNormalized[4 * i + j]).toBeLessThanOrEqual(2);
            }
          }
          const rho1 = points.coords[0] * points.coords[3] + points.coords[1] * points.coords[4] + points.coords[2] * points.coords[5];
          const pair = await archPairThroughDepthFloat64({ rho1, depth, architecture: arch, inputDim: 3 });
          expect(Math.abs(pair.points[0].oneMinusNtkNormalized - g.oneMinusNtkNormalized[1])).toBeLessThan(1e-12);
          // Rejects with NOT_POSITIVE_DEFINITE when a pivot is not positive.
          await choleskyFactor(g.ntkNormalized, 4);
        },
      ),
      { numRuns: 40, seed: 14 },
    );
  });
});

describe("architecture errors", () => {
  const points = projectToSphereFloat64({ m: 2, n0: 2, coords: Float64Array.of(1, 0, 0, 1) }, "normalize");
  it("BAD_ARCH for a malformed description, BAD_DEPTH, BAD_OPTION for a bad backend", async () => {
    expect((await rejectionOf(() => archGramThroughDepthFloat64({ points, depths: [3], architecture: "relu relu dense" }))).code).toBe("BAD_ARCH");
    expect((await rejectionOf(() => archGramThroughDepthFloat64({ points, depths: [3], architecture: { block: [] } }))).code).toBe("BAD_ARCH");
    expect((await rejectionOf(() => archGramThroughDepthFloat64({ points, depths: [0], architecture: "erf dense" }))).code).toBe("BAD_DEPTH");
    expect((await rejectionOf(() => archGramThroughDepthFloat64({ points, depths: [3], architecture: "erf dense", backend: "gpu" as "plain" }))).code).toBe(
      "BAD_OPTION",
    );
    expect((await rejectionOf(() => archPairThroughDepthFloat64({ rho1: 2, depth: 3, architecture: "erf dense" }))).code).toBe("BAD_RHO");
  });
  it("BAD_ARCH when an erf layer's variance leaves the float64 range, naming the high-precision path", async () => {
    const e = await rejectionOf(() => archPairThroughDepthFloat64({ rho1: 0.5, depth: 3, architecture: "stem(dense(1e-100)) block(erf dense)" }));
    expect(e.code).toBe("BAD_ARCH");
    expect(e.message).toMatch(/high-precision/);
  });
});
