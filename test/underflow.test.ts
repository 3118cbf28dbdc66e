/**
 * Complements below the float64 range are flagged as lost, never returned as wrong tiny numbers
 * (src/gram/lostComplements.ts, docs/DEPTH_JUMP.md §6). Reference: SPEC §2's raw recursion in
 * mpmath at 1200 digits (test/fixtures/underflow.json, scripts/fixtures/underflow_reference.py),
 * σw = 1, σb = 1, where 1 − ρ halves about every layer and leaves the normal range near L = 1020.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fixture from "./fixtures/underflow.json" with { type: "json" };
import { pairThroughDepthFloat64 } from "../src/pair/float64.js";
import { gramThroughDepthFloat64 } from "../src/gram/float64.js";
import { LOST_NTK_COMPLEMENT, LOST_SIGMA_COMPLEMENT, MIN_NORMAL_COMPLEMENT } from "../src/gram/lostComplements.js";
import { cli, cliJson } from "./support/cli.js";
import { predict } from "../src/predict/fromData.js";
import { runPairSeries } from "../src/study/pairExperiment.js";
import { datasetFromArrays } from "../src/data/dataset.js";

const params = { sigmaW: fixture.sigmaW, sigmaB: fixture.sigmaB };
const depths = fixture.pair.points.map((p) => p.depth);
const rel = (x: number, ref: string): number => Math.abs(x - Number(ref)) / Number(ref);
const scratch = mkdtempSync(join(tmpdir(), "ntk-underflow-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("pair: complements past the float64 normal range are lost", () => {
  for (const backend of ["wasm", "plain"] as const) {
    it(`${backend}: within 1e-12 of mpmath while 1 − ρ ≥ 2^-1022, flagged below it (and at the fixed point, L = 10^6)`, async () => {
      const r = await pairThroughDepthFloat64({
        rho1: fixture.pair.rho1,
        inputDim: fixture.pair.inputDim,
        params,
        at: [...depths, 10 ** 6],
        depth: 10 ** 6,
        backend,
      });
      expect(r.fixedPointFrom).not.toBeNull();
      let flagged = 0;
      let wrongU = 0;
      for (const [k, p] of r.points.entries()) {
        const ref = fixture.pair.points[k];
        if (p.oneMinusRho >= MIN_NORMAL_COMPLEMENT) {
          expect(p.lostToZero).toEqual([]);
          expect(rel(p.oneMinusRho, ref!.oneMinusRho)).toBeLessThan(1e-12);
          expect(rel(p.oneMinusNtkNormalized, ref!.oneMinusNtkNormalized)).toBeLessThan(1e-12);
        } else {
          expect(p.lostToZero).toEqual(["oneMinusRho", "theta", "oneMinusNtkNormalized"]);
          flagged++;
          // 1 − Θ̄ is still a normal number here, but wrong: exactly what the flag is for.
          if (ref && rel(p.oneMinusNtkNormalized, ref.oneMinusNtkNormalized) > 1e-3) wrongU++;
        }
      }
      expect(flagged).toBe(4);
      expect(wrongU).toBeGreaterThanOrEqual(2);
    });
  }

  it("ρ1 = 1 exactly keeps its exact zeros unflagged; 1 − ρ1 = 1e-400 (0 in float64) is flagged from L = 1", async () => {
    const exact = await pairThroughDepthFloat64({ rho1: "1", params, at: [1, 2000], depth: 2000 });
    for (const p of exact.points) expect([p.oneMinusRho, p.lostToZero]).toEqual([0, []]);
    const tiny = await pairThroughDepthFloat64({ rho1: "0." + "9".repeat(400), params, at: [1, 10], depth: 10 });
    for (const p of tiny.points) expect(p.lostToZero).toEqual(["oneMinusRho", "theta", "oneMinusNtkNormalized"]);
    const jump = await pairThroughDepthFloat64({ rho1: "0." + "9".repeat(400), at: [10n ** 18n], depth: 10n ** 18n });
    expect(jump.method).toBe("jump");
    expect(jump.points[0]!.lostToZero).toEqual(["oneMinusRho", "theta", "oneMinusNtkNormalized"]);
  });

  it("rho --json prints null with a reason, the table prints “lost”", async () => {
    type Point = Record<string, string | null | string[]>;
    const doc = await cliJson<{ points: Point[] }>("rho", "--rho1", "0.5", "--depth", "1100", "--at", "1000,1100", "--sigma-b", "1", "--json");
    expect(doc.points[0]!.oneMinusRho).toBe("2.8680466722067754e-302");
    expect(doc.points[0]!.oneMinusRhoReason).toBeUndefined();
    for (const key of ["oneMinusRho", "theta", "oneMinusNtkNormalized"]) {
      expect(doc.points[1]![key]).toBeNull();
      expect(doc.points[1]![`${key}Reason`]).toMatch(/smallest normal float64/);
    }
    expect(doc.points[1]!.rho).toBe("1");
    const table = await cli("rho", "--rho1", "0.5", "--depth", "1100", "--at", "1000,1100", "--sigma-b", "1");
    expect(table.out.match(/\blost\b/g)!.length).toBeGreaterThanOrEqual(3);
    expect(table.out).toMatch(/2\^-1022/);
  });
});

describe("Gram: complements past the float64 normal range are lost", () => {
  const points = { m: 3, n0: 2, coords: Float64Array.from(fixture.gram.coords.flat()), projection: "normalize" as const };
  for (const backend of ["wasm", "plain"] as const) {
    it(`${backend}: within 1e-12 of mpmath while ≥ 2^-1022, masked below it, identical points never`, async () => {
      const run = await gramThroughDepthFloat64({ points, depths: [...depths, 10n ** 6n, 2n ** 60n], params, backend });
      const grams = run.grams;
      expect(run.fixedPointFrom).not.toBeNull();
      let wrongU = 0;
      for (const [k, g] of grams.entries()) {
        for (const { i, j, points: refs } of fixture.gram.pairs) {
          const e = i * 3 + j;
          const eps = g.oneMinusSigmaNormalized[e]!;
          const u = g.oneMinusNtkNormalized[e]!;
          const bits = g.lostToZero?.[e] ?? 0;
          expect(g.lostToZero?.[j * 3 + i] ?? 0).toBe(bits);
          // Beyond the fixture's depths (the fixed point) there is no reference value, only the flag.
          const ref = refs[k];
          const identical = refs[0]!.oneMinusRho === "0";
          if (identical || eps >= MIN_NORMAL_COMPLEMENT) {
            expect(bits).toBe(0);
            if (identical) expect([eps, u]).toEqual([0, 0]);
            else {
              expect(rel(eps, ref!.oneMinusRho)).toBeLessThan(1e-12);
              expect(rel(u, ref!.oneMinusNtkNormalized)).toBeLessThan(1e-12);
            }
          } else {
            expect(bits).toBe(LOST_SIGMA_COMPLEMENT | LOST_NTK_COMPLEMENT);
            if (ref && rel(u, ref.oneMinusNtkNormalized) > 1e-3) wrongU++;
          }
        }
      }
      expect(grams[0]!.lostToZero).toBeNull();
      expect(wrongU).toBeGreaterThanOrEqual(4);
    });
  }

  it("kernel --json prints null entries with complementReason, the table a note", async () => {
    const data = join(scratch, "three.json");
    writeFileSync(data, JSON.stringify({ points: fixture.gram.coords.map((p) => [p[0]! * 2, p[1]! * 2]) }));
    const args = ["--data", data, "--depth", "1100", "--sigma-b", "1", "--normalized"];
    const doc = await cliJson<{ complement: (string | null)[][]; complementReason?: string }>("kernel", ...args, "--json");
    expect(doc.complement[0]).toEqual(["0", null, null]);
    expect(doc.complement[1]).toEqual([null, "0", "0"]);
    expect(doc.complementReason).toMatch(/smallest normal float64/);
    const shallow = await cliJson<{ complement: (string | null)[][]; complementReason?: string }>(
      "kernel",
      ...args.slice(0, 3),
      "1000",
      "--sigma-b",
      "1",
      "--json",
    );
    expect(shallow.complement[0]![1]).not.toBeNull();
    expect(shallow.complementReason).toBeUndefined();
    const table = await cli("kernel", ...args);
    expect(table.out).toMatch(/1 − Θ̄ of 2 pairs is lost/);
  });
});

describe("predictions at t = ∞ from a lost complement", () => {
  it("say so: a warning and digitsKept 0 past the limit, neither before it", async () => {
    const base = {
      train: datasetFromArrays({
        points: [
          [1, 0],
          [0.6, 0.8],
          [0, 1],
        ],
        labels: ["1", "-1", "0.5"],
        source: "train",
      }),
      test: datasetFromArrays({ points: [[0.8, 0.6]], source: "test" }),
      normalized: true,
      params,
    };
    const deep = await predict({ ...base, depth: 1100 });
    expect(deep.float64!.digitsKept).toBe(0);
    expect(deep.warnings.join()).toMatch(/smallest normal float64/);
    const shallow = await predict({ ...base, depth: 100 });
    expect(shallow.float64!.digitsKept).toBeGreaterThan(0);
    expect(shallow.warnings.join()).not.toMatch(/smallest normal float64/);
  });
});

describe("the study's pair series", () => {
  it("has null for lost values and leaves them out of the series it plots and fits", async () => {
    const r = await runPairSeries(["0.5"], [1000, 1100], params, {});
    const [kept, lost] = r.series.rows;
    expect(kept!.oneMinusRho).toBe(2.8680466722067754e-302);
    expect([lost!.oneMinusRho, lost!.theta, lost!.oneMinusNtkNormalized]).toEqual([null, null, null]);
    expect(r.oneMinusRho.get("0.5")!.depths).toEqual([1000]);
    expect(r.oneMinusNtk.get("0.5")!.depths).toEqual([1000]);
  });
});

it("the mask bits are distinct", () => {
  expect(LOST_SIGMA_COMPLEMENT & LOST_NTK_COMPLEMENT).toBe(0);
});
