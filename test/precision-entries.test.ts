/**
 * The unsuffixed entries that take an optional `precision` and pick the variant (docs/api.md,
 * Conventions): each branch gives exactly what the suffixed function gives, and bad options get
 * a typed error. Also the one result envelope of the Gram paths (float64 and precise).
 */
import { describe, expect, it } from "vitest";
import { Decimal } from "decimal.js";
import { analyzeMatrix, datasetFromArrays, empiricalKernels, gramThroughDepth, predict, predictThroughDepth, projectToSphere } from "../src/index.js";
import { analyzeMatrixFloat64 } from "../src/linalg/lu.js";
import { analyzeMatrixPrecise } from "../src/linalg/preciseLu.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { projectToSpherePrecise } from "../src/sphere/precise.js";
import { preciseDecimal } from "../src/precise/precision.js";
import { archGramThroughDepthFloat64 } from "../src/arch/float64.js";
import { archGramThroughDepthPrecise } from "../src/arch/precise.js";
import { codeOf, rejectionCodeOf } from "./support/errors.js";

const data = datasetFromArrays({
  points: [
    ["1", "0"],
    ["0.6", "0.8"],
    ["0", "1"],
  ],
});

describe("projectToSphere", () => {
  it("without precision: the float64 projection", () => {
    expect(projectToSphere(data, "stereographic")).toEqual(projectToSphereFloat64(data, "stereographic"));
    expect(projectToSphere(data, "none", { tolerance: 1e-9 })).toEqual(projectToSphereFloat64(data, "none", { tolerance: 1e-9 }));
  });

  it("with precision P: the decimal projection at P digits", () => {
    const p = projectToSphere(data, "stereographic", { precision: 30 });
    const ref = projectToSpherePrecise(data, "stereographic", preciseDecimal(30));
    expect([p.m, p.n0]).toEqual([3, 3]);
    expect(p.coords.map(String)).toEqual(ref.coords.map(String));
    // 0.6/0.8 stereographically: (1.2, 1.6, 0) / 2, exact.
    expect(p.coords.slice(3, 6).map(String)).toEqual(["0.6", "0.8", "0"]);
  });

  it("BAD_PRECISION outside 20 … 1000, BAD_OPTION for options that are not an object, and the projection's own errors", () => {
    expect(codeOf(() => projectToSphere(data, "normalize", { precision: 19 }))).toBe("BAD_PRECISION");
    expect(codeOf(() => projectToSphere(data, "normalize", { precision: 20.5 }))).toBe("BAD_PRECISION");
    expect(codeOf(() => projectToSphere(data, "normalize", null as never))).toBe("BAD_OPTION");
    expect(codeOf(() => projectToSphere(data, "sideways" as never, { precision: 30 }))).toBe("BAD_OPTION");
  });
});

describe("analyzeMatrix", () => {
  const a = [4, 1, 2, 3];
  it("without precision: the float64 analysis", async () => {
    expect(await analyzeMatrix(a, 2)).toEqual(await analyzeMatrixFloat64(a, 2));
    expect(await analyzeMatrix(a, 2, { threads: 1 })).toEqual(await analyzeMatrixFloat64(a, 2));
  });

  it("with precision P: the vouched decimal analysis", async () => {
    const exact = a.map((x) => new Decimal(x));
    const r = await analyzeMatrix(exact, 2, { precision: 25 });
    const ref = analyzeMatrixPrecise(exact, 2, 25);
    expect(r.det.toString()).toBe("10");
    expect([r.digitsVouched, r.precision, r.workingPrecision, r.vouchedBy]).toEqual([ref.digitsVouched, 25, ref.workingPrecision, ref.vouchedBy]);
  });

  it("both results share the names of what they share: det, log10AbsDet, signDet, singular, zeroPivotColumn", async () => {
    const f = await analyzeMatrix(a, 2);
    const p = await analyzeMatrix(
      a.map((x) => new Decimal(x)),
      2,
      { precision: 20 },
    );
    const without = (r: object, own: readonly string[]) =>
      Object.keys(r)
        .filter((k) => !own.includes(k))
        .sort();
    expect(without(f, ["conditionEstimate", "digitsLost", "digitsKept", "pivotGrowth"])).toEqual(
      without(p, ["conditionNumber", "log10Condition", "precision", "workingPrecision", "digitsVouched", "vouchedBy"]),
    );
    expect([f.zeroPivotColumn, p.zeroPivotColumn, f.signDet, p.signDet]).toEqual([-1, -1, 1, 1]);
  });

  it("BAD_PRECISION, BAD_OPTION and the analyses' own errors", async () => {
    expect(await rejectionCodeOf(() => analyzeMatrix([new Decimal(1)], 1, { precision: 1001 }))).toBe("BAD_PRECISION");
    expect(await rejectionCodeOf(() => analyzeMatrix(a, 2, 7 as never))).toBe("BAD_OPTION");
    expect(await rejectionCodeOf(() => analyzeMatrix(a, 3))).toBe("DIMENSION_MISMATCH");
    expect(await rejectionCodeOf(() => analyzeMatrix([new Decimal(1)], 2, { precision: 30 }))).toBe("DIMENSION_MISMATCH");
  });
});

describe("one result envelope for float64 and precise Gram matrices", () => {
  /** The envelope's keys and a checkpoint's keys, without the fields only one side has. */
  const shape = (r: object & { grams: readonly object[] }, own: readonly string[]) => ({
    result: Object.keys(r)
      .filter((k) => !own.includes(k))
      .sort(),
    checkpoint: Object.keys(r.grams[0]!)
      .filter((k) => !own.includes(k))
      .sort(),
  });
  const FLOAT64_ONLY = ["fixedPointFrom", "log2Scale", "lostToZero"];
  const PRECISE_ONLY = ["precision", "workingPrecision", "vouchedBy", "digitsVouched", "digitsVouchedByMatrix", "digitsVouchedByEntry"];

  it("gramThroughDepth and the architecture paths: same field names and nesting; precise adds only its vouching fields", async () => {
    const o = { data, projection: "normalize" as const, depths: [3, "2"], params: { sigmaW: "1.2", sigmaB: "0.1" } };
    const f = await gramThroughDepth(o);
    const p = await gramThroughDepth({ ...o, precision: 22 });
    expect(shape(f, FLOAT64_ONLY)).toEqual(shape(p, PRECISE_ONLY));
    expect([f.method, p.method, f.n0, p.n0, f.grams.map((g) => g.depthExact), p.grams.map((g) => g.depthExact)]).toEqual([
      "direct",
      "direct",
      2,
      2,
      [2n, 3n],
      [2n, 3n],
    ]);
    expect(f.params.sigmaW.eq(p.params.sigmaW) && f.params.sigmaB.eq("0.1")).toBe(true);
    const points = projectToSphereFloat64(data, "normalize");
    const architecture = "relu dense abs dense";
    const af = await archGramThroughDepthFloat64({ points, depths: [2], architecture });
    const ap = await archGramThroughDepthPrecise({ data, projection: "normalize", depths: [2n], architecture, precision: 22 });
    expect(shape(af, FLOAT64_ONLY)).toEqual(shape(f, FLOAT64_ONLY));
    expect(shape(ap, PRECISE_ONLY)).toEqual(shape(af, FLOAT64_ONLY));
    expect([af.method, ap.method, af.fixedPointFrom, af.n0, ap.n0]).toEqual(["direct", "direct", null, 2, 2]);
  });
});

describe("depth is a DepthInput everywhere", () => {
  const train = datasetFromArrays({
    points: [
      ["1", "0"],
      ["0.6", "0.8"],
    ],
    labels: [["1"], ["-1"]],
  });
  const test = datasetFromArrays({ points: [["0.8", "0.6"]] });
  it("predict, predictThroughDepth and finite networks read bigints and decimal text as the number", async () => {
    const byNumber = await predict({ train, test, depth: 30 });
    const byText = await predict({ train, test, depth: "3e1" });
    expect(Array.from(byText.float64!.predictions)).toEqual(Array.from(byNumber.float64!.predictions));
    expect((await predictThroughDepth({ train, test, depths: [30n, "2"] })).map((r) => r.depth)).toEqual([2, 30]);
    const points = projectToSphereFloat64(test, "normalize");
    expect((await empiricalKernels({ points, depth: 2n, width: 3 })).depth).toBe(2);
    expect(await rejectionCodeOf(() => predict({ train, test, depth: "1e10" }))).toBe("BAD_DEPTH");
    expect(await rejectionCodeOf(() => empiricalKernels({ points, depth: "1001", width: 3 }))).toBe("BAD_DEPTH");
  });
});
