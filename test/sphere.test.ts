import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { projectToSphereFloat64, type RawPoints } from "../src/sphere/float64.js";
import { datasetFromArrays } from "../src/data/dataset.js";
import fixture from "./fixtures/sphere_projections.json" with { type: "json" };
import { errorOf } from "./support/errors.js";

const EPS = 2 ** -53;

function raw(rows: number[][]): RawPoints {
  return { m: rows.length, n0: rows[0].length, coords: Float64Array.from(rows.flat()) };
}

function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

describe("projections against 40-digit mpmath references", () => {
  for (const c of fixture.cases) {
    const d = datasetFromArrays({ points: [c.input] });
    it(`stereographic ${JSON.stringify(c.input)}`, () => {
      const p = projectToSphereFloat64(d, "stereographic");
      expect(p.n0).toBe(c.input.length + 1);
      c.stereographic.forEach((ref, j) => expect(Math.abs(p.coords[j] - Number(ref))).toBeLessThanOrEqual(4 * EPS));
    });
    if (c.normalize) {
      const refs = c.normalize;
      it(`normalize ${JSON.stringify(c.input)}`, () => {
        const p = projectToSphereFloat64(d, "normalize");
        refs.forEach((ref, j) => expect(Math.abs(p.coords[j] - Number(ref))).toBeLessThanOrEqual(4 * EPS));
      });
    }
  }
});

describe("projectToSphereFloat64", () => {
  it("normalizes decimal text and keeps the text for the precise path", () => {
    const d = datasetFromArrays({
      points: [
        ["3", "4"],
        ["0.0000003", "-0.0000004"],
      ],
    });
    const p = projectToSphereFloat64(d, "normalize");
    expect([...p.coords]).toEqual([0.6, 0.8, 0.6, -0.8]);
    expect(p.rawText).toEqual([
      ["3", "4"],
      ["0.0000003", "-0.0000004"],
    ]);
    expect(p.projection).toBe("normalize");
  });
  it("stereographic maps the origin to the south pole and far points near the north pole", () => {
    const p = projectToSphereFloat64(
      raw([
        [0, 0],
        [1e300, 0],
        [1e-300, 0],
      ]),
      "stereographic",
    );
    expect([...p.coords.subarray(0, 3)]).toEqual([0, 0, -1]);
    expect(p.coords[3]).toBeGreaterThan(0);
    expect(p.coords[3]).toBeLessThan(1e-299);
    expect(p.coords[5]).toBe(1);
    expect(p.coords[6]).toBe(2e-300);
  });
  it("stereographic lands on the sphere and inverts (property)", () => {
    const coord = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(fc.array(coord, { minLength: 1, maxLength: 6 }), (u) => {
        const x = projectToSphereFloat64(raw([u]), "stereographic").coords;
        expect(Math.abs(norm(x) - 1)).toBeLessThanOrEqual(8 * EPS);
        const last = x[u.length];
        if (last < 0.5) {
          // away from the north pole the inverse u = x' / (1 − x_n) is well conditioned
          u.forEach((uj, j) => expect(Math.abs(x[j] / (1 - last) - uj)).toBeLessThanOrEqual(16 * EPS * Math.max(1, norm(u))));
        }
      }),
    );
  });
  it("normalize gives unit rows anywhere in the float64 range (property)", () => {
    const coord = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.array(coord, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 3 }), (row, m) => {
        fc.pre(row.some((v) => v !== 0));
        const p = projectToSphereFloat64(raw(Array.from({ length: m }, () => row)), "normalize");
        for (let i = 0; i < m; i++) expect(Math.abs(norm(p.coords.subarray(i * row.length, (i + 1) * row.length)) - 1)).toBeLessThanOrEqual(8 * EPS);
      }),
    );
  });
  it("none accepts points within the tolerance and rescales them", () => {
    const p = projectToSphereFloat64(
      raw([
        [0.6, 0.8],
        [1 + 5e-13, 0],
      ]),
      "none",
    );
    expect(p.coords[2]).toBe(1);
    expect(projectToSphereFloat64(raw([[1 + 5e-10]]), "none", { tolerance: 1e-9 }).coords[0]).toBe(1);
  });
  it("names the zero vector", () => {
    const e = errorOf(() =>
      projectToSphereFloat64(
        {
          ...raw([
            [1, 0],
            [0, 0],
          ]),
          source: "x.csv",
        },
        "normalize",
      ),
    );
    expect(e.code).toBe("ZERO_VECTOR");
    expect(e.message).toMatch(/x\.csv: point 2 is the zero vector/);
    expect(errorOf(() => projectToSphereFloat64(raw([[0, 0]]), "none")).code).toBe("ZERO_VECTOR");
  });
  it("reports OFF_SPHERE with the norm and the tolerance", () => {
    const e = errorOf(() =>
      projectToSphereFloat64(
        raw([
          [1, 0],
          [3, 4],
        ]),
        "none",
      ),
    );
    expect(e.code).toBe("OFF_SPHERE");
    expect(e.message).toMatch(/point 2 has norm 5, not 1 within the tolerance 1e-12/);
    expect(e.details).toMatchObject({ row: 2, norm: 5, tolerance: 1e-12 });
    expect(errorOf(() => projectToSphereFloat64(raw([[1 + 2e-12]]), "none")).code).toBe("OFF_SPHERE");
  });
  it("rejects bad options and empty input", () => {
    expect(errorOf(() => projectToSphereFloat64(raw([[1]]), "none", { tolerance: -1 })).code).toBe("BAD_OPTION");
    expect(errorOf(() => projectToSphereFloat64(raw([[1]]), "sideways" as "none")).code).toBe("BAD_OPTION");
    expect(errorOf(() => projectToSphereFloat64({ m: 0, n0: 2, coords: new Float64Array(0) }, "normalize")).code).toBe("EMPTY_DATA");
  });
});
