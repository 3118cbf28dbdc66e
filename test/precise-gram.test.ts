import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decimal } from "decimal.js";
import {
  GRAM_PHASE,
  gramDeterminantsVouched,
  gramThroughDepthPrecise,
  kernelMatrixPrecise,
  type GramMatrixName,
  type GramPrecisionOptions,
} from "../src/gram/precise.js";
import { gramThroughDepthFloat64 } from "../src/gram/float64.js";
import { gramThroughDepth } from "../src/gram.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { datasetFromArrays } from "../src/data/dataset.js";
import { correctDigits } from "../src/digits.js";
import { NtkError } from "../src/errors.js";
import type { Projection } from "../src/types.js";
import fixture from "./fixtures/precise_linalg.json" with { type: "json" };
import { rejectionCodeOf } from "./support/errors.js";

type GramRef = (typeof fixture.grams)[number];
const data = fixture.data as Record<string, string[][]>;
const groups = new Map<string, GramRef[]>();
for (const g of fixture.grams) {
  const key = [g.data, g.projection, g.sigmaW, g.sigmaB].join(" | ");
  groups.set(key, [...(groups.get(key) ?? []), g]);
}

function options(ref: GramRef, depths: number[], precision: number): GramPrecisionOptions {
  return {
    data: datasetFromArrays({ points: data[ref.data] }),
    projection: ref.projection as Projection,
    depths,
    params: { sigmaW: ref.sigmaW, sigmaB: ref.sigmaB },
    precision,
  };
}

/** Decimal places of `x` against `ref` (absolute error below 10^−d), at most cap. */
function correctPlaces(x: Decimal, ref: Decimal, cap: number): number {
  const diff = x.minus(ref).abs();
  return diff.isZero() ? cap : Math.min(cap, Math.max(0, Math.floor(-diff.log(10).toNumber())));
}

const COMPLEMENTS: GramMatrixName[] = ["oneMinusSigmaNormalized", "oneMinusNtkNormalized"];
const NORMALIZED: GramMatrixName[] = ["sigmaNormalized", "ntkNormalized"];

describe("Gram matrices and determinants against 250-digit mpmath (SPEC §2 raw recursion with arccos)", () => {
  for (const [key, refs] of groups) {
    for (const precision of [20, 40]) {
      it(`${key}, L = ${refs.map((r) => r.depth).join(", ")}, ${precision} digits: every vouched digit is correct`, async () => {
        const { gram, determinants } = await gramDeterminantsVouched(
          options(
            refs[0],
            refs.map((r) => r.depth),
            precision,
          ),
          "ntk",
          true,
        );
        expect(gram.precision).toBe(precision);
        expect(gram.vouchedBy).toMatch(/computed twice/);
        gram.grams.forEach((g, k) => {
          const ref = refs[k];
          expect(g.depth).toBe(ref.depth);
          for (const name of COMPLEMENTS) {
            g[name].forEach((x, i) => expect(correctDigits(x, new Decimal(ref[name][i]), precision)).toBeGreaterThanOrEqual(g.digitsVouchedByMatrix[name]));
          }
          for (const name of NORMALIZED) {
            g[name].forEach((x, i) => expect(correctPlaces(x, new Decimal(ref[name][i]), precision)).toBeGreaterThanOrEqual(g.digitsVouchedByMatrix[name]));
          }
          expect(correctDigits(g.sigmaDiag, new Decimal(ref.sigmaDiag), precision)).toBeGreaterThanOrEqual(g.digitsVouched);
          expect(correctDigits(g.ntkDiag, new Decimal(ref.ntkDiag), precision)).toBeGreaterThanOrEqual(g.digitsVouched);
          // Complements come from the exact inputs, so even the nearly equal pair keeps all digits.
          expect(g.digitsVouched).toBeGreaterThanOrEqual(precision - 1);

          const d = determinants[k];
          const refDet = new Decimal(ref.detNtkNormalized.det);
          expect(correctDigits(d.det, refDet, precision)).toBeGreaterThanOrEqual(d.digitsVouched.det);
          if (ref.detNtkNormalized.log10AbsDet !== null && d.log10AbsDet !== null) {
            expect(correctDigits(d.log10AbsDet, new Decimal(ref.detNtkNormalized.log10AbsDet), precision)).toBeGreaterThanOrEqual(d.digitsVouched.log10AbsDet);
          }
          // L = 1 with more points than dimensions (plus the bias) is exactly singular: its det is noise, vouched for nothing.
          const rankDeficient = ref.depth === 1 && ref.m > gram.n0 + (ref.sigmaB === "0" ? 0 : 1);
          if (rankDeficient) expect(d.digitsVouched.det).toBe(0);
          else expect(d.digitsVouched.det).toBeGreaterThanOrEqual(precision - 1);
        });
      });
    }
  }

  it("[long] 100 digits on the antipodal data set, NNGP determinants included", async () => {
    const refs = groups.get("antipodal pair and a third in R^2 | normalize | 1 | 0")!;
    const { gram, determinants } = await gramDeterminantsVouched(
      options(
        refs[0],
        refs.map((r) => r.depth),
        100,
      ),
      "nngp",
      true,
    );
    gram.grams.forEach((g, k) => {
      for (const name of COMPLEMENTS)
        g[name].forEach((x, i) => expect(correctDigits(x, new Decimal(refs[k][name][i]), 100)).toBeGreaterThanOrEqual(g.digitsVouchedByMatrix[name]));
      expect(g.digitsVouched).toBeGreaterThanOrEqual(99);
      expect(correctDigits(determinants[k].det, new Decimal(refs[k].detSigmaNormalized.det), 100)).toBeGreaterThanOrEqual(determinants[k].digitsVouched.det);
    });
  });
});

describe("the top of the precision range", () => {
  it("[long] 1000 digits with a pair 1e-20 apart: entries past decimal.js's ln 10 digits, det vouched to what the π limit allows", async () => {
    const ref = fixture.grams.find((g) => g.data.startsWith("five points") && g.projection === "normalize" && g.depth === 3)!;
    const points = [0, 3, 1].map((i) => data[ref.data][i]); // points 1, 4 (1e-20 from point 1) and 2 of the fixture
    const { gram, determinants } = await gramDeterminantsVouched(
      { data: datasetFromArrays({ points }), projection: "normalize", depths: [3], precision: 1000 },
      "ntk",
      true,
    );
    const g = gram.grams[0];
    expect(g.digitsVouched).toBe(1000);
    // Against the fixture's 130 written digits: pair (1,2) here is its (1,4), pair (1,3) its (1,2).
    expect(correctDigits(g.oneMinusNtkNormalized[1], new Decimal(ref.oneMinusNtkNormalized[3]), 1000)).toBeGreaterThanOrEqual(125);
    expect(correctDigits(g.oneMinusNtkNormalized[2], new Decimal(ref.oneMinusNtkNormalized[1]), 1000)).toBeGreaterThanOrEqual(125);
    const d = determinants[0];
    expect(d.digitsVouched.det).toBeGreaterThan(900);
    expect(d.digitsVouched.det).toBeLessThan(1000);
  });
});

describe("structure", () => {
  it("raw kernels are the normalized ones times the diagonal (paper case: q_L = 1/(n0 2^{L−1}), τ_L = L)", async () => {
    const r = await gramThroughDepthPrecise({
      data: datasetFromArrays({
        points: [
          ["1", "0", "0"],
          ["0.6", "0.8", "0"],
        ],
      }),
      projection: "normalize",
      depths: [7],
      precision: 30,
    });
    const g = r.grams[0];
    const Wide = Decimal.clone({ precision: 60 });
    expect(correctDigits(g.sigmaDiag, new Wide(1).div(3 * 64), 30)).toBe(30);
    expect(correctDigits(g.ntkDiag, new Wide(7).div(3 * 64), 30)).toBe(30);
    const raw = kernelMatrixPrecise(g, "ntk", false);
    expect(raw[1].eq(g.ntkNormalized[1].times(g.ntkDiag))).toBe(true);
    expect(kernelMatrixPrecise(g, "nngp", true)).toBe(g.sigmaNormalized);
    expect(() => kernelMatrixPrecise(g, "rbf" as "ntk", true)).toThrow(NtkError);
  });

  it("points that coincide on the sphere (positive multiples) give identical rows and an exactly singular det, with the points named", async () => {
    const points = [
      ["1", "2"],
      ["-0.5", "0.3"],
      ["2", "4"],
    ];
    const { gram, determinants } = await gramDeterminantsVouched(
      { data: datasetFromArrays({ points }), projection: "normalize", depths: [3, 20], precision: 25 },
      "ntk",
      true,
    );
    for (const [k, g] of gram.grams.entries()) {
      expect(g.oneMinusSigmaNormalized[2].isZero()).toBe(true);
      expect(g.oneMinusNtkNormalized[2].isZero()).toBe(true);
      expect(determinants[k].singular).toBe(true);
      expect(determinants[k].signDet).toBe(0);
      expect(determinants[k].coincidentPoints).toEqual([1, 3]);
      expect(determinants[k].digitsVouched.det).toBe(25);
    }
  });

  it("agrees with the float64 Gram to float64 accuracy", async () => {
    const points = [
      ["0.3", "-1.2", "0.5"],
      ["1", "0.25", "-0.75"],
      ["-0.6", "0.8", "0"],
      ["2.5e-1", "1e0", "-3.3"],
    ];
    const ds = datasetFromArrays({ points });
    const depths = [1, 5, 50];
    const precise = await gramThroughDepthPrecise({ data: ds, projection: "normalize", depths, params: { sigmaW: "1.3", sigmaB: "0.2" }, precision: 20 });
    const f = (await gramThroughDepthFloat64({ points: projectToSphereFloat64(ds, "normalize"), depths, params: { sigmaW: 1.3, sigmaB: 0.2 } })).grams;
    precise.grams.forEach((g, k) => {
      g.oneMinusNtkNormalized.forEach((x, i) => expect(correctDigits(f[k].oneMinusNtkNormalized[i], x, 20)).toBeGreaterThanOrEqual(12));
      expect(correctDigits(f[k].ntkDiag * 2 ** f[k].log2Scale, g.ntkDiag, 20)).toBeGreaterThanOrEqual(14);
    });
  });

  it("gramThroughDepth: one entry point, precision is one option", async () => {
    const o = {
      data: datasetFromArrays({
        points: [
          ["1", "0.5"],
          ["-0.2", "1"],
          ["0.7", "0.7"],
        ],
      }),
      projection: "normalize" as const,
      depths: [4, 9],
    };
    const f = (await gramThroughDepth(o)).grams;
    const p = await gramThroughDepth({ ...o, precision: 24 });
    expect(f.map((g) => g.depth)).toEqual([4, 9]);
    expect(p.precision).toBe(24);
    p.grams.forEach((g, k) => g.ntkNormalized.forEach((x, i) => expect(Math.abs(x.toNumber() - f[k].ntkNormalized[i])).toBeLessThan(1e-14)));
    expect(await rejectionCodeOf(() => gramThroughDepth({ ...o, projection: "none" }))).toBe("OFF_SPHERE");
  });

  it("reports progress up to the total and stops with ABORTED", async () => {
    const seen: [number, number][] = [];
    const o = {
      data: datasetFromArrays({
        points: [
          ["1", "0"],
          ["0", "1"],
          ["0.6", "-0.8"],
        ],
      }),
      projection: "normalize" as const,
      depths: [200],
      precision: 20,
    };
    await gramThroughDepthPrecise({ ...o, onProgress: (d, t, phase) => void (phase === GRAM_PHASE && seen.push([d, t])) });
    expect(seen.at(-1)).toEqual([2 * 3 * 199, 2 * 3 * 199]);
    const controller = new AbortController();
    controller.abort();
    expect(await rejectionCodeOf(() => gramThroughDepthPrecise({ ...o, signal: controller.signal }))).toBe("ABORTED");
  });

  it("a single point through a deep run: exact unit diagonal, raw diagonal 1/(n0 2^{L−1}), and still cancellable", async () => {
    const one = { data: datasetFromArrays({ points: [["3", "4"]] }), projection: "normalize" as const, precision: 20 };
    const r = await gramThroughDepthPrecise({ ...one, depths: [300] });
    expect(r.grams[0].ntkNormalized.map(String)).toEqual(["1"]);
    expect(correctDigits(r.grams[0].sigmaDiag, new (Decimal.clone({ precision: 40 }))(2).pow(-300), 20)).toBe(20); // 1/(n0 2^{L−1}), n0 = 2
    const controller = new AbortController();
    const run = gramThroughDepthPrecise({ ...one, depths: [1e9], signal: controller.signal, maxSeconds: Infinity });
    setTimeout(() => controller.abort(), 50);
    expect(await rejectionCodeOf(() => run)).toBe("ABORTED");
  });
});

describe("properties on random decimal data", () => {
  const coordinate = fc.tuple(fc.integer({ min: -999, max: 999 }), fc.integer({ min: -3, max: 1 })).map(([m, e]) => `${m}e${e}`);
  it("symmetric, exact diagonals, complements in [0, 2] with Σ̄ = 1 − ε exactly, and float64 agreement", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 2, max: 3 }),
        fc.array(coordinate, { minLength: 12, maxLength: 12 }),
        fc.integer({ min: 1, max: 12 }),
        async (m, n0, coords, depth) => {
          const points = Array.from({ length: m }, (_, i) => coords.slice(i * n0, (i + 1) * n0));
          fc.pre(points.every((row) => row.some((t) => !new Decimal(t).isZero())));
          const ds = datasetFromArrays({ points });
          const g = (await gramThroughDepthPrecise({ data: ds, projection: "normalize", depths: [depth], precision: 20 })).grams[0];
          const [layer1, f] = await gramThroughDepthFloat64({ points: projectToSphereFloat64(ds, "normalize"), depths: [1, depth] }).then((r) => [
            r.grams[0],
            r.grams.at(-1)!,
          ]);
          for (let i = 0; i < m; i++) {
            expect(g.sigmaNormalized[i * m + i].eq(1) && g.oneMinusNtkNormalized[i * m + i].isZero()).toBe(true);
            for (let j = 0; j < m; j++) {
              const e = g.oneMinusSigmaNormalized[i * m + j];
              expect(e.eq(g.oneMinusSigmaNormalized[j * m + i]) && e.gte(0) && e.lte(2)).toBe(true);
              expect(g.sigmaNormalized[i * m + j].plus(e).eq(1)).toBe(true);
              // float64 carries 1 − ρ only, so near-antipodal inputs (1 + ρ1 small) lose digits in θ
              // through dθ/dε = 1/sqrt(ε(2 − ε)): allow that conditioning beside 1e-13.
              const onePlusRho1 = 2 - layer1.oneMinusSigmaNormalized[i * m + j];
              expect(Math.abs(g.ntkNormalized[i * m + j].toNumber() - f.ntkNormalized[i * m + j])).toBeLessThan(1e-13 + 1e-16 / Math.sqrt(onePlusRho1));
            }
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("errors", () => {
  const ds = datasetFromArrays({
    points: [
      ["1", "2"],
      ["3", "-1"],
    ],
  });
  const base = { data: ds, projection: "normalize" as const, depths: [3], precision: 20 };
  it("BAD_PRECISION outside 20 … 1000 or not an integer", async () => {
    for (const precision of [19, 1001, 30.5]) expect(await rejectionCodeOf(() => gramThroughDepthPrecise({ ...base, precision }))).toBe("BAD_PRECISION");
  });
  it("PRECISION_LIMIT when the working digits pass decimal.js's stored π, with the limit in the message", async () => {
    expect(await rejectionCodeOf(() => gramThroughDepthPrecise({ ...base, precision: 1000, extraGuardDigits: 30 }))).toBe("PRECISION_LIMIT");
    await expect(gramThroughDepthPrecise({ ...base, precision: 1000, extraGuardDigits: 30 })).rejects.toThrow(/1025 digits/);
  });
  it("BAD_DEPTH for no depth or a depth outside 1 … 1e9", async () => {
    for (const depths of [[], [0], [2.5], [2e9]]) expect(await rejectionCodeOf(() => gramThroughDepthPrecise({ ...base, depths }))).toBe("BAD_DEPTH");
  });
  it("BAD_OPTION for negative guard digits; BAD_SIGMA_W / BAD_SIGMA_B", async () => {
    expect(await rejectionCodeOf(() => gramThroughDepthPrecise({ ...base, extraGuardDigits: -1 }))).toBe("BAD_OPTION");
    expect(await rejectionCodeOf(() => gramThroughDepthPrecise({ ...base, params: { sigmaW: "0" } }))).toBe("BAD_SIGMA_W");
    expect(await rejectionCodeOf(() => gramThroughDepthPrecise({ ...base, params: { sigmaB: "-1" } }))).toBe("BAD_SIGMA_B");
  });
  it("NOT_A_NUMBER, ZERO_VECTOR, OFF_SPHERE from the projection", async () => {
    const bad = { m: 1, n0: 2, coords: Float64Array.of(1, 2), coordText: [["1", "x"]] };
    expect(await rejectionCodeOf(() => gramThroughDepthPrecise({ ...base, data: bad }))).toBe("NOT_A_NUMBER");
    expect(
      await rejectionCodeOf(() =>
        gramThroughDepthPrecise({
          ...base,
          data: datasetFromArrays({
            points: [
              ["0", "0"],
              ["1", "1"],
            ],
          }),
        }),
      ),
    ).toBe("ZERO_VECTOR");
    expect(await rejectionCodeOf(() => gramThroughDepthPrecise({ ...base, projection: "none" }))).toBe("OFF_SPHERE");
  });
});
