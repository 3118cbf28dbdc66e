import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decimal } from "decimal.js";
import { exactRawCoordinates, pairComplementsPrecise, projectToSpherePrecise } from "../src/sphere/precise.js";
import { projectToSphereFloat64, type RawPoints } from "../src/sphere/float64.js";
import { datasetFromArrays } from "../src/data/dataset.js";
import { preciseDecimal } from "../src/precise/precision.js";
import { correctDigits } from "../src/compare/digits.js";
import type { Projection } from "../src/types.js";
import fixture from "./fixtures/precise_linalg.json" with { type: "json" };
import { codeOf } from "./support/errors.js";

const data = fixture.data as Record<string, string[][]>;

describe("projections of decimal text against 250-digit mpmath references", () => {
  for (const c of fixture.projections) {
    for (const digits of [20, 40, 100]) {
      it(`${c.data}, ${c.projection}, ${digits} digits: every coordinate within two half-units of the last digit`, () => {
        const D = preciseDecimal(digits);
        const p = projectToSpherePrecise(datasetFromArrays({ points: data[c.data] }), c.projection as Projection, D);
        expect(p.n0).toBe(c.n0);
        expect(p.coords).toHaveLength(c.coords.length);
        p.coords.forEach((x, i) => {
          const ref = new Decimal(c.coords[i]);
          // Relative error below 10^(1−p) means at least p − 1 correct significant digits.
          expect(correctDigits(x, ref, digits)).toBeGreaterThanOrEqual(digits - 1);
        });
      });
    }
  }
});

describe("input text is used exactly", () => {
  it("a point differing from another in its 20th digit keeps the difference (float64 would merge them)", () => {
    const rows = [
      ["0.3", "-1.2", "0.5"],
      ["0.3", "-1.2", "0.50000000000000000001"],
    ];
    const D = preciseDecimal(40);
    const p = projectToSpherePrecise(datasetFromArrays({ points: rows }), "normalize", D);
    expect(p.coords[2].eq(p.coords[5])).toBe(false);
    const f = projectToSphereFloat64(datasetFromArrays({ points: rows.map((r) => r.map(Number)) }), "normalize");
    expect(f.coords[2]).toBe(f.coords[5]);
  });

  it("numbers without text count as their exact binary value, not their shortest text", () => {
    const asNumber = exactRawCoordinates({ m: 1, n0: 1, coords: Float64Array.of(0.1) })[0];
    expect(asNumber.eq("0.1")).toBe(false);
    expect(asNumber.toString()).toBe("0.1000000000000000055511151231257827021181583404541015625");
    const D = preciseDecimal(60);
    const p = projectToSpherePrecise({ m: 1, n0: 2, coords: Float64Array.of(0.1, 0.3) }, "normalize", D);
    const t = projectToSpherePrecise(datasetFromArrays({ points: [["0.1", "0.3"]] }), "normalize", D);
    // Same direction to float64 accuracy, different at 60 digits: 0.1 and 0.3 round differently in binary.
    expect(p.coords[0].minus(t.coords[0]).abs().toNumber()).toBeLessThan(1e-16);
    expect(p.coords[0].eq(t.coords[0])).toBe(false);
  });

  it("the precise projection agrees with the float64 one to float64 accuracy", () => {
    const rows = [
      [3, -4, 12],
      [1e-200, 2e-200, -2e-200],
      [1e200, 0, 1],
    ];
    for (const projection of ["normalize", "stereographic"] as const) {
      const f = projectToSphereFloat64({ m: 3, n0: 3, coords: Float64Array.from(rows.flat()) }, projection);
      const p = projectToSpherePrecise({ m: 3, n0: 3, coords: Float64Array.from(rows.flat()) }, projection, preciseDecimal(30));
      p.coords.forEach((x, i) => expect(Math.abs(x.toNumber() - f.coords[i])).toBeLessThanOrEqual(4 * 2 ** -53));
    }
  });

  it("projection none accepts exact unit text and returns rows of norm 1 at working precision", () => {
    const D = preciseDecimal(50);
    const p = projectToSpherePrecise(
      datasetFromArrays({
        points: [
          ["0.6", "0.8"],
          ["0.28", "-0.96"],
        ],
      }),
      "none",
      D,
    );
    expect(p.coords.map((x) => x.toString())).toEqual(["0.6", "0.8", "0.28", "-0.96"]);
  });

  it("stereographic |u|² − 1 does not cancel: a point just outside the unit circle keeps its tiny last coordinate", () => {
    const D = preciseDecimal(30);
    const p = projectToSpherePrecise(datasetFromArrays({ points: [["1.00000000000000000001"]] }), "stereographic", D);
    // (u² − 1)/(u² + 1) with u = 1 + 1e-20: exactly (2e-20 + 1e-40)/(2 + 2e-20 + 1e-40) ≈ 1e-20.
    const Wide = Decimal.clone({ precision: 100 });
    const exact = new Wide("2.0000000000000000000100000000000000000000e-20").div("2.0000000000000000000200000000000000000001");
    expect(correctDigits(p.coords[1], exact, 30)).toBeGreaterThanOrEqual(29);
  });
});

describe("pair complements 1 − x·x′ from the exact inputs", () => {
  const rows = [
    ["0.3", "-1.2", "0.5"],
    ["0.3", "-1.2", "0.50000000000000000001"],
    ["-0.6", "0.6", "-1"],
    ["0.6", "-2.4", "1"],
  ];
  for (const projection of ["normalize", "stereographic"] as const) {
    it(`${projection}: every pair to 25 digits, the nearly equal pair (1 − x·x′ ≈ 1e-41) included; positive multiples give exactly 0`, () => {
      const ds = datasetFromArrays({ points: rows });
      const got = pairComplementsPrecise(ds, projection, preciseDecimal(25));
      // Reference: the projected points at 200 digits, 1 − x·x′ by cancellation (160 digits survive).
      const W = preciseDecimal(200);
      const p = projectToSpherePrecise(ds, projection, W);
      let k = 0;
      for (let i = 0; i < 4; i++) {
        for (let j = i + 1; j < 4; j++, k++) {
          let dot = new W(0);
          for (let c = 0; c < p.n0; c++) dot = dot.plus(p.coords[i * p.n0 + c].times(p.coords[j * p.n0 + c]));
          const ref = new W(1).minus(dot);
          if (projection === "normalize" && i === 0 && j === 3) expect(got[k].isZero()).toBe(true);
          else expect(correctDigits(got[k], ref, 25)).toBeGreaterThanOrEqual(24);
        }
      }
    });
  }
});

describe("property: unit rows at working precision", () => {
  const decimalText = fc.tuple(fc.integer({ min: -999999, max: 999999 }), fc.integer({ min: -30, max: 30 })).map(([mant, exp]) => `${mant}e${exp}`);
  it("normalize and stereographic give |x|² = 1 within 10^(3−p)", () => {
    fc.assert(
      fc.property(
        fc.array(decimalText, { minLength: 1, maxLength: 5 }),
        fc.constantFrom<Projection>("normalize", "stereographic"),
        fc.integer({ min: 20, max: 60 }),
        (row, projection, digits) => {
          fc.pre(projection === "stereographic" || row.some((t) => !new Decimal(t).isZero()));
          const D = preciseDecimal(digits + 10);
          const p = projectToSpherePrecise(datasetFromArrays({ points: [row] }), projection, preciseDecimal(digits));
          const norm2 = p.coords.reduce((s, x) => s.plus(new D(x).times(x)), new D(0));
          expect(
            norm2
              .minus(1)
              .abs()
              .lte(new Decimal(10).pow(3 - digits)),
          ).toBe(true);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe("errors: the same codes as the float64 projection", () => {
  const D = preciseDecimal(30);
  const text = (rows: string[][]) => datasetFromArrays({ points: rows });
  it("ZERO_VECTOR for a zero row under normalize (also when written 0e5 or -0.000)", () => {
    expect(
      codeOf(() =>
        projectToSpherePrecise(
          text([
            ["1", "2"],
            ["0e5", "-0.000"],
          ]),
          "normalize",
          D,
        ),
      ),
    ).toBe("ZERO_VECTOR");
  });
  it("stereographic accepts the origin (the south pole)", () => {
    const p = projectToSpherePrecise(text([["0", "0"]]), "stereographic", D);
    expect(p.coords.map((x) => x.toNumber())).toEqual([0, 0, -1]);
  });
  it("OFF_SPHERE under none when | |x| − 1 | exceeds the tolerance, judged on the exact text", () => {
    expect(codeOf(() => projectToSpherePrecise(text([["0.6", "0.8000000001"]]), "none", D))).toBe("OFF_SPHERE");
    expect(projectToSpherePrecise(text([["0.6", "0.8000000001"]]), "none", D, { tolerance: 1e-9 }).coords).toHaveLength(2);
  });
  it("NOT_A_NUMBER for coordinate text that is not a decimal, naming point and coordinate", () => {
    const raw: RawPoints = { m: 1, n0: 2, coords: Float64Array.of(1, 2), coordText: [["1", "two"]], source: "p.csv" };
    expect(codeOf(() => projectToSpherePrecise(raw, "normalize", D))).toBe("NOT_A_NUMBER");
    expect(() => projectToSpherePrecise(raw, "normalize", D)).toThrow(/p\.csv: point 1, coordinate 2/);
  });
  it("NON_FINITE for a non-finite float64 coordinate without text", () => {
    expect(codeOf(() => projectToSpherePrecise({ m: 1, n0: 1, coords: Float64Array.of(NaN) }, "normalize", D))).toBe("NON_FINITE");
  });
  it("DIMENSION_MISMATCH when the text does not have the shape of the coordinates", () => {
    expect(codeOf(() => projectToSpherePrecise({ m: 1, n0: 2, coords: Float64Array.of(1, 2), coordText: [["1"]] }, "normalize", D))).toBe("DIMENSION_MISMATCH");
  });
  it("EMPTY_DATA and BAD_OPTION as in float64", () => {
    expect(codeOf(() => projectToSpherePrecise({ m: 0, n0: 2, coords: new Float64Array(0) }, "normalize", D))).toBe("EMPTY_DATA");
    expect(codeOf(() => projectToSpherePrecise(text([["1"]]), "mercator" as Projection, D))).toBe("BAD_OPTION");
    expect(codeOf(() => projectToSpherePrecise(text([["1"]]), "none", D, { tolerance: 2 }))).toBe("BAD_OPTION");
  });
});
