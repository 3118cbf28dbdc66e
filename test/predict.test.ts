import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { predictFromKernelsFloat64, type KernelPredictionFloat64Options } from "../src/predict/float64.js";
import { flowFilter, flowFilterPrecise } from "../src/predict/flowFilter.js";
import { predictFromKernelsPrecise } from "../src/predict/precise.js";
import { Decimal } from "decimal.js";
import { predict, predictThroughDepth, type PredictOptions } from "../src/predict/fromData.js";
import { ensembleOnDataPrecise } from "../src/predict/ensembleOnDataPrecise.js";
import { GRAM_PHASE } from "../src/gram/precise.js";
import { datasetFromArrays } from "../src/data/dataset.js";
import { sliceUnion, sliceUnion64 } from "../src/predict/union.js";
import { isNtkError, type NtkErrorCode } from "../src/errors.js";
import fixture from "./fixtures/predict.json" with { type: "json" };

const U = 2 ** -53;

interface Reference {
  weights: string[];
  predictions: string[];
  weightsL1: string[];
  log10AbsDet: string | null;
  signDet: number;
  kappa1: string | null;
}
interface Case {
  name: string;
  m: number;
  testCount: number;
  k: number;
  k64: string[];
  labels: number[][];
  time: number | "inf";
  learningRate: number;
  diagReg: number;
  timeConvention: "flow" | "neural-tangents";
  fromK64: Reference;
}
const cases = fixture.cases as unknown as Case[];

/** K and K_x as float64 arrays from the fixture's union Gram matrix. */
function slicedKernels(c: Case): { K: Float64Array; Kx: Float64Array } {
  const { train, test } = sliceUnion(c.k64.map(Number), c.m, c.testCount);
  return { K: Float64Array.from(train), Kx: Float64Array.from(test) };
}

function optionsOf(c: Case): KernelPredictionFloat64Options {
  const { K, Kx } = slicedKernels(c);
  return {
    trainKernel: K,
    testKernel: Kx,
    targets: c.labels.flat(),
    m: c.m,
    k: c.k,
    time: c.time,
    learningRate: c.learningRate,
    diagReg: c.diagReg,
    timeConvention: c.timeConvention,
  };
}

/** max_i ‖a_i − b_i‖∞ / ‖b_i‖∞ over rows of width w. */
function rowwiseError(a: ArrayLike<number>, b: readonly number[], w: number): number {
  let worst = 0;
  for (let r = 0; r < b.length / w; r++) {
    let d = 0;
    let s = 0;
    for (let j = 0; j < w; j++) {
      d = Math.max(d, Math.abs(a[r * w + j] - b[r * w + j]));
      s = Math.max(s, Math.abs(b[r * w + j]));
    }
    worst = Math.max(worst, s === 0 ? d : d / s);
  }
  return worst;
}

async function expectCode(p: Promise<unknown>, code: NtkErrorCode, message?: RegExp): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isNtkError(e, code), `expected NtkError ${code}, got ${String(e)}`).toBe(true);
  if (message) expect((e as Error).message).toMatch(message);
}

describe("predictFromKernelsFloat64 against mpmath (exact arithmetic on the same float64 kernels)", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const r = await predictFromKernelsFloat64(optionsOf(c));
      const ref = c.fromK64;
      // Normwise per row: relative error ≲ κ · m · u (c = 64 covers the constants of LU / eigen).
      const kappa = Math.max(r.conditionEstimate, 1);
      const bound = 64 * kappa * c.m * U;
      expect(rowwiseError(r.weights, ref.weights.map(Number), c.m)).toBeLessThan(bound);
      expect(rowwiseError(r.predictions, ref.predictions.map(Number), c.k)).toBeLessThan(bound * 4);
      expect(rowwiseError(r.weightsL1, ref.weightsL1.map(Number), 1)).toBeLessThan(bound * 4);
      expect(r.digitsKept).toBeGreaterThan(15.95 - Math.log10(kappa) - 1e-9);
      if (ref.log10AbsDet === null) {
        expect(r.determinant.signDet === 0 || r.determinant.log10AbsDet < -12).toBe(true);
      } else {
        expect(r.determinant.signDet).toBe(ref.signDet);
        expect(Math.abs(r.determinant.log10AbsDet - Number(ref.log10AbsDet))).toBeLessThan(1e3 * kappa * U);
        if (c.time === "inf") {
          // Hager's estimate is a lower bound, in practice within a factor 3.
          expect(r.conditionEstimate).toBeLessThanOrEqual(Number(ref.kappa1) * (1 + 1e-8));
          expect(r.conditionEstimate).toBeGreaterThan(Number(ref.kappa1) / 3);
        }
      }
      expect(r.eigenvalues === null).toBe(c.time === "inf");
    });
  }

  it("warns with the digits left when fewer than 10 remain, and stays silent otherwise", async () => {
    const ill = await predictFromKernelsFloat64(optionsOf(cases.find((c) => c.name.includes("ill-conditioned"))!));
    expect(ill.digitsKept).toBeGreaterThan(10); // κ1 ≈ 1.9e5 leaves ≈ 10.7 digits: no warning yet
    expect(ill.warnings).toEqual([]);
    const n = 9;
    const hilbert = Float64Array.from({ length: n * n }, (_, i) => 1 / (Math.floor(i / n) + (i % n) + 1));
    const r = await predictFromKernelsFloat64({ trainKernel: hilbert, testKernel: hilbert.subarray(0, n), targets: new Float64Array(n).fill(1), m: n });
    expect(r.conditionEstimate).toBeGreaterThan(1e11);
    expect(r.warnings.join("\n")).toMatch(/condition estimate \d\.\d\de\+1\d: the float64 weights and predictions keep about [2-4] significant digits/);
  });

  it("the Neural Tangents time convention divides t by m·k", async () => {
    const c = cases.find((x) => x.timeConvention === "neural-tangents")!;
    const nt = await predictFromKernelsFloat64(optionsOf(c));
    const flow = await predictFromKernelsFloat64({ ...optionsOf(c), timeConvention: "flow", time: (c.time as number) / (c.m * c.k) });
    expect(nt.flowTime).toBe(5 / (c.m * c.k));
    expect(Array.from(nt.predictions)).toEqual(Array.from(flow.predictions));
  });
});

describe("predictFromKernelsFloat64 from complements 1 − K (normalized kernels, t = ∞)", () => {
  interface ComplementCase extends Case {
    c64: string[];
    fromC64: Reference;
    fromExact: Reference;
  }
  const withComplement = (fixture.cases as unknown as ComplementCase[]).filter((c) => c.c64 !== undefined && c.time === "inf");

  for (const c of withComplement) {
    it(`${c.name}: agrees with exact arithmetic on 1 − c64 to its amplification`, async () => {
      const { train, test } = sliceUnion(c.c64.map(Number), c.m, c.testCount);
      const r = await predictFromKernelsFloat64({
        ...optionsOf(c),
        trainKernel: train.map((x) => 1 - x),
        testKernel: test.map((x) => 1 - x),
        trainComplement: train,
        testComplement: test,
      });
      const bound = 64 * Math.max(1, r.conditionEstimate) * c.m * U;
      expect(rowwiseError(r.weights, c.fromC64.weights.map(Number), c.m)).toBeLessThan(bound);
      expect(rowwiseError(r.predictions, c.fromC64.predictions.map(Number), c.k)).toBeLessThan(4 * bound);
      expect(Math.abs(r.determinant.log10AbsDet - Number(c.fromC64.log10AbsDet))).toBeLessThan(1e3 * Math.max(1, r.conditionEstimate) * U);
      expect(r.determinant.signDet).toBe(c.fromC64.signDet);
    });
  }

  it("deep Σ̄ (L = 20000, κ(K) ≈ 7e7): the complement solve keeps what K in float64 has already lost", async () => {
    const c = withComplement.find((x) => x.name.includes("very ill-conditioned"))!;
    const { train, test } = sliceUnion(c.c64.map(Number), c.m, c.testCount);
    const direct = await predictFromKernelsFloat64(optionsOf(c));
    const viaC = await predictFromKernelsFloat64({ ...optionsOf(c), trainComplement: train, testComplement: test });
    expect(direct.solver).toBe("cholesky"); // K̄ is positive definite in float64, however ill-conditioned
    expect(viaC.solver).toBe("complement");
    const exact = c.fromExact.predictions.map(Number);
    const errDirect = rowwiseError(direct.predictions, exact, c.k);
    const errC = rowwiseError(viaC.predictions, exact, c.k);
    expect(errDirect).toBeGreaterThan(1e-11); // rounding K to float64 costs ~8 digits
    expect(errC).toBeLessThan(1e-13);
    expect(viaC.digitsKept).toBeGreaterThan(direct.digitsKept + 4);
    expect(errC).toBeLessThan(10 * 10 ** -viaC.digitsKept);
  });

  it("requires both complements, shaped like K and K_x", async () => {
    const c = withComplement[0];
    const { train } = sliceUnion(c.c64.map(Number), c.m, c.testCount);
    await expectCode(predictFromKernelsFloat64({ ...optionsOf(c), trainComplement: train }), "DIMENSION_MISMATCH", /together/);
  });
});

describe("predictFromKernelsFloat64 on small hand-made matrices", () => {
  const K = Float64Array.from([2, 1, 1, 3]);
  const Kx = Float64Array.from([1, 0, 0, 1, 1, 1]);
  const Y = Float64Array.from([1, -1]);

  it("t = ∞ is K_x K^{-1} Y, computed by hand", async () => {
    const r = await predictFromKernelsFloat64({ trainKernel: K, testKernel: Kx, targets: Y, m: 2 });
    // K^{-1} = [3 −1; −1 2] / 5.
    const w = [0.6, -0.2, -0.2, 0.4, 0.4, 0.2];
    w.forEach((v, i) => expect(r.weights[i]).toBeCloseTo(v, 15));
    [0.8, -0.6, 0.2].forEach((v, i) => expect(r.predictions[i]).toBeCloseTo(v, 15));
    [0.8, 0.6, 0.6].forEach((v, i) => expect(r.weightsL1[i]).toBeCloseTo(v, 15));
    expect(r.determinant.det).toBeCloseTo(5, 13);
    expect(r.ridge).toBe(0);
  });

  it("a ridge δ solves with K + δI; mean-diagonal scales it by trace(K)/m", async () => {
    const abs = await predictFromKernelsFloat64({ trainKernel: K, testKernel: Kx, targets: Y, m: 2, diagReg: 2.5 });
    const rel = await predictFromKernelsFloat64({ trainKernel: K, testKernel: Kx, targets: Y, m: 2, diagReg: 1, diagRegScale: "mean-diagonal" });
    expect(abs.ridge).toBe(2.5);
    expect(rel.ridge).toBe(2.5);
    expect(abs.determinant.det).toBeCloseTo(4.5 * 5.5 - 1, 12);
    expect(Array.from(rel.predictions)).toEqual(Array.from(abs.predictions));
  });

  it("finite time stays defined for an exactly singular K, and t = ∞ then throws SINGULAR_MATRIX", async () => {
    const singular = Float64Array.from([1, 1, 1, 1]);
    const r = await predictFromKernelsFloat64({
      trainKernel: singular,
      testKernel: Float64Array.from([1, 1]),
      targets: Float64Array.from([1, 3]),
      m: 2,
      time: 0.5,
    });
    // K = 2 P (P the projector on (1,1)/√2): K_x V φ Vᵀ Y = (1,1)·φ(2)/2·(1,1)ᵀ(1,1)·Y = φ(2)·(Y1 + Y2) with φ(2) = (1 − e^{−1})/2.
    expect(r.predictions[0]).toBeCloseTo(((1 - Math.exp(-1)) / 2) * 4, 14);
    expect(r.determinant.signDet).toBe(0);
    await expectCode(
      predictFromKernelsFloat64({ trainKernel: singular, testKernel: Float64Array.from([1, 1]), targets: Float64Array.from([1, 3]), m: 2 }),
      "SINGULAR_MATRIX",
      /exactly singular.*finite time/,
    );
  });

  it("rejects bad shapes, values and settings with typed errors", async () => {
    const base = { trainKernel: K, testKernel: Kx, targets: Y, m: 2 };
    await expectCode(predictFromKernelsFloat64({ ...base, m: 3 }), "DIMENSION_MISMATCH", /m × m/);
    await expectCode(predictFromKernelsFloat64({ ...base, testKernel: Float64Array.from([1, 2, 3]) }), "DIMENSION_MISMATCH", /K_x/);
    await expectCode(predictFromKernelsFloat64({ ...base, k: 2 }), "DIMENSION_MISMATCH", /targets/);
    await expectCode(predictFromKernelsFloat64({ ...base, targets: Float64Array.from([1, NaN]) }), "NON_FINITE", /targets/);
    await expectCode(
      predictFromKernelsFloat64({ ...base, trainKernel: Float64Array.from([2, 1, 1.5, 3]) }),
      "BAD_OPTION",
      /training kernel K is not symmetric/,
    );
    const complements = { trainComplement: Float64Array.from([0, 0.5, 0.25, 0]), testComplement: Kx.map((x) => 1 - x) };
    await expectCode(predictFromKernelsFloat64({ ...base, ...complements }), "BAD_OPTION", /training complement 1 − K is not symmetric.*1 − k\(X, X\)/);
    await expectCode(predictFromKernelsFloat64({ ...base, time: -1 }), "BAD_OPTION", /time/);
    await expectCode(predictFromKernelsFloat64({ ...base, time: "soon" }), "BAD_OPTION", /time/);
    for (const inf of ["Infinity", "∞", " INF ", Infinity]) expect((await predictFromKernelsFloat64({ ...base, time: inf })).eigenvalues).toBeNull();
    await expectCode(predictFromKernelsFloat64({ ...base, learningRate: 0 }), "BAD_OPTION", /learningRate/);
    await expectCode(predictFromKernelsFloat64({ ...base, diagReg: -1 }), "BAD_OPTION", /diagReg/);
    await expectCode(predictFromKernelsFloat64({ ...base, time: 1e300, learningRate: 1e10 }), "BAD_OPTION", /overflows/);
    await expectCode(predictFromKernelsFloat64({ ...base, timeConvention: "epochs" as never }), "BAD_OPTION", /time convention/);
    await expectCode(predictFromKernelsFloat64({ ...base, diagRegScale: "trace" as never }), "BAD_OPTION", /diagReg scale/);
    await expectCode(predictFromKernelsFloat64({ ...base, kernelRelativeError: 2 }), "BAD_OPTION", /kernelRelativeError/);
  });

  it("a negative eigenvalue whose growth overflows is NON_FINITE, a smaller one a warning", async () => {
    const indefinite = Float64Array.from([1, 2, 2, 1]); // λ = −1, 3
    await expectCode(predictFromKernelsFloat64({ trainKernel: indefinite, testKernel: Kx, targets: Y, m: 2, time: 1000 }), "NON_FINITE", /negative eigenvalue/);
    const r = await predictFromKernelsFloat64({ trainKernel: indefinite, testKernel: Kx, targets: Y, m: 2, time: 1 });
    expect(r.warnings.join()).toMatch(/not positive semi-definite/);
  });
});

describe("flowFilter", () => {
  it("is s at λ = 0, (1 − e^{−sλ})/λ elsewhere, with no cancellation for tiny sλ", () => {
    expect(flowFilter(0, 2.5)).toBe(2.5);
    expect(flowFilter(2, 3)).toBeCloseTo((1 - Math.exp(-6)) / 2, 16);
    // sλ = 1e-12: φ = s(1 − 5e-13 + …).
    expect(flowFilter(1e-12, 1)).toBe(1 - 5e-13);
    expect(flowFilter(-1, 1)).toBeCloseTo(Math.E - 1, 15);
  });
});

/** A random well-conditioned SPD kernel: the Gram matrix of m random vectors in R^(m+2) plus I. */
function spd(m: number, seed: number): Float64Array {
  let s = seed;
  const rnd = (): number => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const d = m + 2;
  const x = Array.from({ length: m * d }, rnd);
  const k = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) for (let p = 0; p < d; p++) k[i * m + j] += x[i * d + p] * x[j * d + p];
  for (let i = 0; i < m; i++) k[i * m + i] += 1;
  return k;
}

describe("predictions: properties", () => {
  it("f_∞ at the training points equals the targets; f_0 = 0; f_t → f_∞ as t grows", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 2 ** 30 }), fc.integer({ min: 1, max: 3 }), async (m, seed, k) => {
        const K = spd(m, seed);
        const Y = Float64Array.from({ length: m * k }, (_, i) => Math.sin(seed + i));
        const base = { trainKernel: K, testKernel: K, targets: Y, m, k };
        const inf = await predictFromKernelsFloat64(base);
        for (let i = 0; i < m * k; i++) expect(inf.predictions[i]).toBeCloseTo(Y[i], 10);
        const zero = await predictFromKernelsFloat64({ ...base, time: 0 });
        expect(Array.from(zero.predictions).every((v) => v === 0)).toBe(true);
        const late = await predictFromKernelsFloat64({ ...base, time: 200 });
        for (let i = 0; i < m * k; i++) expect(late.predictions[i]).toBeCloseTo(inf.predictions[i], 9);
      }),
      { numRuns: 25 },
    );
  });
});

/** Digits to which `a` agrees with the reference text `b`, relative to `scale`. */
function digitsAgreeing(a: Decimal, b: string, scale: Decimal): number {
  const R = Decimal.clone({ precision: 100 });
  const diff = new R(a).minus(b).abs();
  if (diff.isZero()) return Infinity;
  return -diff
    .div(R.max(scale, new R(b).abs()))
    .log(10)
    .toNumber();
}

describe("predictFromKernelsPrecise against mpmath (same float64 kernels, exact arithmetic)", () => {
  for (const c of cases) {
    it(`${c.name} at 40 digits`, async () => {
      const { K, Kx } = slicedKernels(c);
      // Numbers mean their exact binary values: the same input mpmath saw.
      const r = await predictFromKernelsPrecise({
        ...optionsOf(c),
        trainKernel: Array.from(K),
        testKernel: Array.from(Kx),
        targets: c.labels.flat(),
        precision: 40,
      });
      const ref = c.fromK64;
      // The reference is written to 40 digits, so at most ~39 can be compared.
      const wanted = (d: number): number => Math.min(d, 39);
      expect(r.digitsVouched.weights).toBe(40);
      expect(r.digitsVouched.predictions).toBe(40);
      for (let i = 0; i < c.testCount; i++) {
        const rowScale = ref.weights.slice(i * c.m, (i + 1) * c.m).reduce((a, w) => Decimal.max(a, new Decimal(w).abs()), new Decimal(0));
        for (let j = 0; j < c.m; j++)
          expect(digitsAgreeing(r.weights[i * c.m + j], ref.weights[i * c.m + j], rowScale)).toBeGreaterThan(wanted(r.digitsVouched.weights));
        for (let j = 0; j < c.k; j++)
          expect(digitsAgreeing(r.predictions[i * c.k + j], ref.predictions[i * c.k + j], new Decimal(ref.weightsL1[i]))).toBeGreaterThan(
            wanted(r.digitsVouched.predictions) - 0.5,
          );
        expect(digitsAgreeing(r.weightsL1[i], ref.weightsL1[i], new Decimal(0))).toBeGreaterThan(wanted(r.digitsVouched.weightsL1));
      }
      if (ref.log10AbsDet === null) {
        expect(r.digitsVouched.determinant).toBe(0);
        expect(r.warnings.join()).toMatch(/singular to \d+ digits.*Finite-time predictions stay defined/);
      } else {
        expect(r.warnings).toEqual([]);
        expect([r.determinant.det.s, r.determinant.signDet]).toEqual([ref.signDet, ref.signDet]);
        expect(Math.abs(r.determinant.log10AbsDet - Number(ref.log10AbsDet))).toBeLessThan(1e-13);
        expect(r.digitsVouched.determinant).toBe(40);
      }
      expect(r.workingPrecision).toBeGreaterThanOrEqual(40 + Math.log10(r.conditionEstimate));
    });
  }

  it("a kernel known to few digits caps what is vouched for, with a warning", async () => {
    const c = cases.find((x) => x.name.includes("ill-conditioned"))!;
    const r = await predictFromKernelsPrecise({
      ...optionsOf(c),
      trainKernel: Array.from(optionsOf(c).trainKernel as Float64Array),
      testKernel: Array.from(optionsOf(c).testKernel as Float64Array),
      targets: c.labels.flat(),
      precision: 30,
      inputDigits: 25,
    });
    // κ ≈ 1.2e5 (κ2) and m = 5 leave ⌊25 − 5.1 − 0.7⌋ = 19 digits.
    expect(r.digitsVouched.weights).toBeGreaterThanOrEqual(17);
    expect(r.digitsVouched.weights).toBeLessThanOrEqual(19);
    expect(r.warnings.join()).toMatch(/Fewer than the 30 digits asked for are vouched for.*known to 25 digits/);
  });

  it("weights that are 0 beside a 1 (test points on training points) are vouched against their row, not for themselves", async () => {
    const K = ["2", "1", "0.5", "1", "3", "1", "0.5", "1", "4"];
    for (const time of ["inf", "2"]) {
      const r = await predictFromKernelsPrecise({ trainKernel: K, testKernel: K.slice(0, 6), targets: ["1", "-1", "2"], m: 3, precision: 30, time });
      expect(r.digitsVouched.weights).toBe(30);
      expect(r.digitsVouched.predictions).toBe(30);
      if (time === "inf") {
        expect(r.weights[0].minus(1).abs().lt("1e-30")).toBe(true);
        expect(r.weights[1].abs().lt("1e-30")).toBe(true);
        expect(r.predictions[1].plus(1).abs().lt("1e-30")).toBe(true);
      }
    }
  });

  it("t = ∞ on an exactly singular K throws SINGULAR_MATRIX; finite t is fine", async () => {
    const base = { trainKernel: ["1", "1", "1", "1"], testKernel: ["1", "1"], targets: ["1", "3"], m: 2, precision: 30 };
    await expectCode(predictFromKernelsPrecise(base), "SINGULAR_MATRIX", /singular to \d+ digits.*finite time/);
    const r = await predictFromKernelsPrecise({ ...base, time: "0.5" });
    const R = Decimal.clone({ precision: 60 });
    const expected = new R(1).minus(new R(-1).exp()).times(2);
    expect(digitsAgreeing(r.predictions[0], expected.toString(), new Decimal(0))).toBeGreaterThan(30);
    expect(r.determinant.det.isZero() || r.determinant.det.abs().lt(1e-40)).toBe(true);
  });

  it("reads time, learning rate and ridge given as text exactly", async () => {
    const base = { trainKernel: ["2", "1", "1", "3"], testKernel: ["1", "0"], targets: ["1", "-1"], m: 2, precision: 25 };
    const r = await predictFromKernelsPrecise({ ...base, diagReg: "0.1" });
    // (K + 0.1 I)^{-1} first row = [3.1, −1] / (2.1·3.1 − 1).
    const R = Decimal.clone({ precision: 60 });
    const det = new R("2.1").times("3.1").minus(1);
    expect(digitsAgreeing(r.weights[0], new R("3.1").div(det).toString(), new Decimal(0))).toBeGreaterThan(25);
    expect(r.ridge.toString()).toBe("0.1");
    const nt = await predictFromKernelsPrecise({ ...base, time: "3", learningRate: "0.5", timeConvention: "neural-tangents" });
    expect(nt.flowTime!.toString()).toBe("0.75");
  });

  it("rejects bad precision, entries and shapes with typed errors", async () => {
    const base = { trainKernel: ["2", "1", "1", "3"], testKernel: ["1", "0"], targets: ["1", "-1"], m: 2, precision: 25 };
    await expectCode(predictFromKernelsPrecise({ ...base, precision: 5 }), "BAD_PRECISION", /20 to 1000/);
    await expectCode(predictFromKernelsPrecise({ ...base, precision: 2000 }), "BAD_PRECISION");
    await expectCode(predictFromKernelsPrecise({ ...base, inputDigits: 0 }), "BAD_PRECISION", /inputDigits/);
    await expectCode(predictFromKernelsPrecise({ ...base, trainKernel: ["2", "x", "1", "3"] }), "NOT_A_NUMBER", /training kernel/);
    await expectCode(predictFromKernelsPrecise({ ...base, targets: ["1", Infinity] }), "NON_FINITE", /targets/);
    await expectCode(predictFromKernelsPrecise({ ...base, trainKernel: ["2", "1", "1.5", "3"] }), "BAD_OPTION", /not symmetric/);
    await expectCode(predictFromKernelsPrecise({ ...base, m: 3 }), "DIMENSION_MISMATCH");
    await expectCode(predictFromKernelsPrecise({ ...base, time: "-2" }), "BAD_OPTION", /time/);
  });
});

describe("flowFilterPrecise", () => {
  it("keeps every digit for tiny, moderate and large sλ, and is s at λ = 0", () => {
    const D = Decimal.clone({ precision: 50 });
    for (const [l, s] of [
      ["1e-30", "2"],
      ["0.3", "1"],
      ["1", "0.49"],
      ["7", "3"],
      ["-0.2", "1"],
    ]) {
      const R = Decimal.clone({ precision: 90 });
      const x = new R(l).times(s);
      const exact = new R(1).minus(x.neg().exp()).div(l);
      const got = flowFilterPrecise(new D(l), new D(s));
      expect(digitsAgreeing(got, exact.toString(), new Decimal(0))).toBeGreaterThan(48);
    }
    expect(flowFilterPrecise(new D(0), new D("2.5")).toString()).toBe("2.5");
  });
});

interface DataCase extends Case {
  train: number[][];
  test: number[][];
  depth: number;
  kernel: "ntk" | "nngp";
  normalized: boolean;
  sigmaW: number;
  sigmaB: number;
  fromExact: Reference;
}
const dataCases = fixture.cases as unknown as DataCase[];

function dataOptions(c: DataCase): PredictOptions {
  return {
    train: datasetFromArrays({ points: c.train, labels: c.labels, source: "train" }),
    test: datasetFromArrays({ points: c.test, source: "test" }),
    depth: c.depth,
    kernel: c.kernel,
    normalized: c.normalized,
    time: c.time,
    learningRate: c.learningRate,
    diagReg: c.diagReg,
    timeConvention: c.timeConvention,
    params: { sigmaW: c.sigmaW, sigmaB: c.sigmaB },
  };
}

describe("predict() on data, float64, against mpmath (kernels from the raw SPEC §2 recursion)", () => {
  for (const c of dataCases.filter((x) => !x.name.includes("duplicate"))) {
    it(c.name, async () => {
      const r = await predict(dataOptions(c));
      const f = r.float64!;
      // digitsKept accounts for κ and for the Gram's own error (a few ulps per layer).
      const bound = 10 * 10 ** -f.digitsKept;
      expect(rowwiseError(f.predictions, c.fromExact.predictions.map(Number), c.k)).toBeLessThan(bound * 4);
      expect(rowwiseError(f.weights, c.fromExact.weights.map(Number), c.m)).toBeLessThan(bound);
      expect(Math.abs(f.determinant.log10AbsDet - Number(c.fromExact.log10AbsDet))).toBeLessThan(bound * 10);
      expect(r.precise).toBeNull();
    });
  }

  it("deep Σ̄ (L = 20000) on data: solved from the Gram's complements, many more digits than κ(K) allows", async () => {
    const c = dataCases.find((x) => x.name.includes("very ill-conditioned"))!;
    const r = await predict(dataOptions(c));
    const f = r.float64!;
    expect(f.solver).toBe("complement");
    expect(f.kernelConditionEstimate).toBeGreaterThan(1e7);
    const err = rowwiseError(f.predictions, c.fromExact.predictions.map(Number), c.k);
    expect(err).toBeLessThan(10 * 10 ** -f.digitsKept);
    expect(err).toBeLessThan(1e-10); // K itself, rounded to float64, allows only ~1e-8
    expect(r.warnings).toEqual([]);
  });

  it("raw kernel, finite time, predictions below the float64 range: 0 with digitsKept 0 and a warning, never a silent 0", async () => {
    const r = await predict({ ...dataOptions(dataCases[0]), depth: 2000, time: 3 });
    expect(Array.from(r.float64!.predictions).every((x) => x === 0)).toBe(true);
    expect(r.float64!.digitsKept).toBe(0);
    expect(r.warnings.join()).toMatch(/below the float64 range: they are printed as 0 and no digit of them is kept/);
  });

  it("reports the ridge added to the raw K: δ exactly when absolute, δ·Θ(x,x) for mean-diagonal, the same at t = ∞ and finite t", async () => {
    const base = { ...dataOptions(dataCases[0]), depth: 50, normalized: false, kernel: "ntk" as const, diagReg: 0.01 };
    for (const time of ["inf", 2]) expect((await predict({ ...base, time })).float64!.ridge).toBe(0.01);
    const [inf, finite] = await Promise.all(["inf", 2].map((time) => predict({ ...base, time, diagRegScale: "mean-diagonal" })));
    const n0 = base.train.n0;
    // Θ(x,x) = L / (n0 2^(L−1)) on the unit sphere (σw = 1, σb = 0; SPEC §3).
    expect(Math.abs(inf.float64!.ridge / (0.01 * (50 / (n0 * 2 ** 49))) - 1)).toBeLessThan(1e-12);
    expect(finite.float64!.ridge).toBe(inf.float64!.ridge);
  });

  it("a raw kernel far below the float64 range (L = 1100) gives the normalized kernel's f_∞ (the diagonal is one scalar)", async () => {
    const c = dataCases[0];
    const raw = await predict({ ...dataOptions(c), depth: 1100, time: "inf" });
    const bar = await predict({ ...dataOptions(c), depth: 1100, time: "inf", normalized: true });
    expect(raw.float64!.log2Scale).toBeLessThan(-1000);
    expect(raw.float64!.determinant.log10AbsDet).toBeLessThan(-1000);
    expect(rowwiseError(raw.float64!.predictions, Array.from(bar.float64!.predictions), c.k)).toBeLessThan(1e-12);
  });
});

describe("predict() on data: singular training kernels", () => {
  const c = dataCases.find((x) => x.name.includes("duplicate"))!;

  it("duplicate points on the sphere: SINGULAR_MATRIX at t = ∞ naming them; finite t agrees with mpmath, with a warning", async () => {
    await expectCode(predict({ ...dataOptions(c), time: "inf" }), "SINGULAR_MATRIX", /training points 1 and 5 are the same point on the sphere/);
    const r = await predict(dataOptions(c));
    expect(r.singularCauses.map((s) => s.kind)).toEqual(["duplicate"]);
    expect(r.warnings.join()).toMatch(/exactly singular: training points 1 and 5.*finite-time and ridge predictions stay defined/);
    expect(rowwiseError(r.float64!.predictions, c.fromExact.predictions.map(Number), c.k)).toBeLessThan(1e-12);
  });

  it("L = 1 with more points than dimensions: SINGULAR_MATRIX saying rank ≤ n0 (n0 + 1 with a bias)", async () => {
    const base = dataOptions(dataCases[0]); // 5 points in R^3
    await expectCode(predict({ ...base, depth: 1 }), "SINGULAR_MATRIX", /L = 1 the kernel is linear.*rank ≤ 3.*5 training points/);
    await expectCode(predict({ ...base, depth: 1, params: { sigmaB: 0.5 } }), "SINGULAR_MATRIX", /rank ≤ 4/);
    const ridge = await predict({ ...base, depth: 1, diagReg: 0.1 });
    expect(ridge.warnings.join()).toMatch(/rank ≤ 3/);
  });

  it("an architecture is linear at L = 1 only when its stem has no activation: a nonlinear stem gets no rank bound", async () => {
    const base = dataOptions(dataCases[0]); // 5 points in R^3, t = ∞
    const nonlinear = await predict({ ...base, depth: 1, architecture: "stem(dense relu dense) block(relu dense)" });
    expect(nonlinear.singularCauses).toEqual([]);
    expect(nonlinear.warnings.join()).not.toMatch(/linear|rank/);
    expect(Array.from(nonlinear.float64!.predictions).every(Number.isFinite)).toBe(true);
    const throughDepth = await predictThroughDepth({
      train: base.train,
      test: base.test,
      time: "inf",
      depths: [1, 2],
      architecture: "stem(dense erf dense) block(relu dense)",
    });
    expect(throughDepth.map((r) => r.singularCauses)).toEqual([[], []]);
    // Linear stems keep the bound, with the stem's own bias.
    await expectCode(predict({ ...base, depth: 1, architecture: "leaky_relu(0.1) dense" }), "SINGULAR_MATRIX", /L = 1 the kernel is linear.*rank ≤ 3/);
    await expectCode(predict({ ...base, depth: 1, architecture: "stem(dense dense(1,0.5)) block(relu dense)" }), "SINGULAR_MATRIX", /rank ≤ 4/);
    await expectCode(predict({ ...base, depth: 1 }), "SINGULAR_MATRIX", /L = 1 the kernel is linear.*rank ≤ 3/);
  });

  it("through depth, the duplicate is named at every depth (found once) and the rank bound only at L = 1", async () => {
    const base = dataOptions(c);
    const rs = await predictThroughDepth({ train: base.train, test: base.test, depths: [1, 2, 5], time: 1 });
    expect(rs.map((r) => r.singularCauses.map((s) => s.kind))).toEqual([["linear-rank", "duplicate"], ["duplicate"], ["duplicate"]]);
    await expectCode(
      predictThroughDepth({ train: base.train, test: base.test, depths: [2, 5], time: "inf" }),
      "SINGULAR_MATRIX",
      /at depth 2 .*training points 1 and 5/,
    );
  });

  it("points distinct in decimal but equal in float64: float64 refuses, naming them; high precision keeps them apart", async () => {
    const train = datasetFromArrays({
      points: [
        ["1", "2", "0"],
        ["1", "2.0000000000000000000001", "0"],
        ["0", "0", "1"],
      ],
      labels: ["1", "2", "3"],
      source: "train",
    });
    const test = datasetFromArrays({ points: [["1", "1", "1"]], source: "test" });
    await expectCode(predict({ train, test, depth: 2 }), "SINGULAR_MATRIX", /points 1 and 2 are distinct but their float64 projections are equal.*precision/);
    const r = await predict({ train, test, depth: 2, precision: "auto", digits: 5 });
    expect(r.singularCauses.map((s) => s.kind)).toEqual(["float64-duplicate"]);
    expect(r.precise!.digitsVouched.predictions).toBeGreaterThanOrEqual(5);
    // The two points differ by 1e-22: K's smallest eigenvalue is about that small, so 5 digits need ≳ 27.
    expect(r.precisionUsed!).toBeGreaterThan(27);
  });
});

describe("predict() on data: raw kernels beyond the float64 range", () => {
  it("t = 0 predicts 0 even when the raw kernel's scale 2^log2Scale overflows float64 (σw = 2, L = 3000)", async () => {
    const train = datasetFromArrays({
      points: [
        [1, 0],
        [0.6, 0.8],
        [-0.28, 0.96],
      ],
      labels: [1, 2, 3],
      source: "train",
    });
    const test = datasetFromArrays({ points: [[0.8, 0.6]], source: "test" });
    const r = await predict({ train, test, depth: 3000, time: 0, params: { sigmaW: 2 } });
    expect(r.float64!.log2Scale).toBeGreaterThan(1024);
    expect(Array.from(r.float64!.predictions)).toEqual([0]);
  });
});

describe("predict() on data at high precision", () => {
  for (const c of dataCases.filter((x) => x.name.startsWith("ntkNormalized L=3") || x.name.startsWith("nngp L=3 t=0.7") || x.name.includes("sigmaB=0.3"))) {
    it(`${c.name}: precision 30 agrees with mpmath to the digits vouched`, async () => {
      const r = await predict({ ...dataOptions(c), precision: 30 });
      const p = r.precise!;
      expect(p.digitsVouched.predictions).toBe(30);
      for (let i = 0; i < c.testCount; i++) {
        for (let j = 0; j < c.k; j++)
          expect(digitsAgreeing(p.predictions[i * c.k + j], c.fromExact.predictions[i * c.k + j], new Decimal(c.fromExact.weightsL1[i]))).toBeGreaterThan(29.5);
      }
      expect(r.precisionUsed).toBeGreaterThanOrEqual(30);
    });
  }

  it("precision auto picks enough digits for an ill-conditioned Σ̄ (L = 1000, κ ≈ 1e5) and says which", async () => {
    const c = dataCases.find((x) => x.name.includes("ill-conditioned"))!;
    const r = await predict({ ...dataOptions(c), precision: "auto", digits: 15 });
    const p = r.precise!;
    expect(Math.min(p.digitsVouched.predictions, p.digitsVouched.weights, p.digitsVouched.determinant)).toBeGreaterThanOrEqual(15);
    expect(r.precisionUsed!).toBeGreaterThanOrEqual(15 + 5);
    expect(r.float64).not.toBeNull();
    for (let i = 0; i < c.testCount * c.k; i++) {
      expect(digitsAgreeing(p.predictions[i], c.fromExact.predictions[i], new Decimal(c.fromExact.weightsL1[Math.floor(i / c.k)]))).toBeGreaterThan(15);
    }
  });

  it("precision auto raises PRECISION_LIMIT when no precision up to 1000 vouches for the digits", async () => {
    const train = datasetFromArrays({
      points: [
        ["1", "0"],
        ["0", "1"],
        ["1", "1"],
      ],
      labels: ["1", "2", "3"],
      source: "train",
    });
    const test = datasetFromArrays({ points: [["1", "2"]], source: "test" });
    // L = 1 in the plane: 3 points, rank 2, but a ridge makes it legal; δ = 1e-2000 is below any precision.
    await expectCode(predict({ train, test, depth: 1, diagReg: "1e-2000", precision: "auto" }), "PRECISION_LIMIT", /could not vouch for 10 digits/);
  });

  it("a precision near the limit is tried at 1000 digits, not refused: a fixed one delivers, auto names the limit", async () => {
    const train = datasetFromArrays({
      points: [
        ["1", "2", "0"],
        ["0", "1", "2"],
        ["0", "0", "1"],
      ],
      labels: ["1", "2", "3"],
      source: "train",
    });
    const test = datasetFromArrays({ points: [["1", "1", "1"]], source: "test" });
    const r = await predict({ train, test, depth: 2, precision: 998 });
    expect(r.precisionUsed).toBe(1000);
    expect(Math.min(...Object.values(r.precise!.digitsVouched))).toBeGreaterThanOrEqual(998);
    await expectCode(
      predict({ train, test, depth: 2, precision: "auto", digits: 1000 }),
      "PRECISION_LIMIT",
      /up to 1000 \(at 1000 digits: .*largest supported precision/,
    );
  });

  it("rejects bad options with typed errors", async () => {
    const base = dataOptions(dataCases[0]);
    await expectCode(predict({ ...base, train: datasetFromArrays({ points: [[1, 2, 3]] }) }), "EMPTY_DATA", /no targets/);
    await expectCode(predict({ ...base, test: datasetFromArrays({ points: [[1, 2]] }) }), "DIMENSION_MISMATCH");
    await expectCode(predict({ ...base, depth: 0 }), "BAD_DEPTH");
    await expectCode(predict({ ...base, kernel: "rbf" as never }), "BAD_OPTION", /kernel/);
    await expectCode(predict({ ...base, precision: 5 }), "BAD_PRECISION");
    await expectCode(predict({ ...base, precision: "auto", digits: 0 }), "BAD_PRECISION", /digits/);
    // A ridge beyond 1e308 times the raw kernel's scale (2^-1099 at L = 1100) would decide everything alone.
    await expectCode(predict({ ...base, depth: 1100, diagReg: 1e10 }), "BAD_OPTION", /beyond 1e308 times the raw kernel's scale/);
    const controller = new AbortController();
    controller.abort();
    await expectCode(predict({ ...base, signal: controller.signal }), "ABORTED");
    await expectCode(predict({ ...base, precision: 20, signal: controller.signal }), "ABORTED");
  });
});

describe("predict(): float64 keeps the digits it claims (property, against high precision)", () => {
  it("on random sphere data, float64 predictions agree with 30-digit ones to digitsKept − 1 (normwise)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 2, max: 300 }),
        fc.boolean(),
        fc.constantFrom<("ntk" | "nngp")[]>("ntk", "nngp"),
        fc.oneof(fc.constant<"inf">("inf"), fc.double({ min: 0.1, max: 20, noNaN: true })),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3 * 7, maxLength: 3 * 7 }),
        async (m, depth, normalized, kernel, time, coords) => {
          const rows = Array.from({ length: m + 1 }, (_, i) => coords.slice(3 * i, 3 * i + 3).map((x, j) => x + (j === i % 3 ? 2 : 0)));
          const train = datasetFromArrays({ points: rows.slice(0, m), labels: rows.slice(0, m).map((r) => r[0] - r[1]), source: "train" });
          const test = datasetFromArrays({ points: rows.slice(m), source: "test" });
          const base = { train, test, depth, normalized, time, kernel, diagReg: 1e-3 };
          const f = (await predict(base)).float64!;
          const p = (await predict({ ...base, precision: 30 })).precise!;
          const scale = Math.max(1e-300, f.weightsL1[0] * Math.max(...train.targets!.map(Math.abs)));
          const error = Math.max(...Array.from(f.predictions, (x, i) => Math.abs(x - p.predictions[i].toNumber()))) / scale;
          expect(error).toBeLessThanOrEqual(10 ** -(f.digitsKept - 1));
        },
      ),
      {
        numRuns: 12,
        examples: [
          // Seed −1902911678: the test point is nearly antipodal to the second training point
          // (1 + ρ1 ≈ 1e-24), whose layer-1 κ0 = φ/π was lost in ε_1 = 2 − δ (2.8e-13 relative off at L = 2).
          [
            3,
            2,
            true,
            "ntk",
            "inf",
            [
              0, -1.2215459430384064e-265, -5e-323, -0.9999999999999999, -0.999999999999998, -1.5808992924754375e-12, -8.058083052274484e-256, -7e-323, 0,
              -0.9999999999999991, -0.999999999999999, 6e-323, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            ],
          ],
        ],
      },
    );
  });
});

describe("predictThroughDepth(): one Gram pass, many depths", () => {
  it("float64: equals predict() at each depth, in increasing depth order, deduplicated", async () => {
    const base = dataOptions(dataCases[0]);
    const { depth: _depth, precision: _precision, digits: _digits, ...rest } = base;
    const series = await predictThroughDepth({ ...rest, depths: [10, 3, 60, 3] });
    expect(series.map((s) => s.depth)).toEqual([3, 10, 60]);
    for (const s of series) {
      const single = await predict({ ...base, depth: s.depth });
      expect(Array.from(s.float64!.predictions)).toEqual(Array.from(single.float64!.predictions));
      expect(s.float64!.determinant.log10AbsDet).toBe(single.float64!.determinant.log10AbsDet);
    }
  });

  it("high precision: one pass at P + log10 m + 5 digits; matches mpmath at the depths it has", async () => {
    const c = dataCases.find((x) => x.name === "ntkNormalized L=60 t=inf")!;
    const { depth: _depth, ...rest } = dataOptions(c);
    const series = await predictThroughDepth({ ...rest, depths: [3, 60], precision: 25 });
    const at60 = series[1].precise!;
    expect(at60.digitsVouched.predictions).toBe(25);
    for (let i = 0; i < c.testCount * c.k; i++) {
      expect(digitsAgreeing(at60.predictions[i], c.fromExact.predictions[i], new Decimal(c.fromExact.weightsL1[Math.floor(i / c.k)]))).toBeGreaterThan(24.5);
    }
    expect(series[0].precisionUsed).toBe(25 + 1 + 5);
  });

  it("a depth with an exactly singular K throws SINGULAR_MATRIX naming the depth", async () => {
    const { depth: _depth, precision: _precision, digits: _digits, ...rest } = dataOptions(dataCases[0]);
    await expectCode(predictThroughDepth({ ...rest, time: "inf", depths: [1, 2, 3] }), "SINGULAR_MATRIX", /at depth 1 is exactly singular.*rank ≤ 3/);
    await expectCode(predictThroughDepth({ ...rest, depths: [] }), "BAD_DEPTH");
  });
});

describe("predict() with covariance: the ensemble from the mean's own Gram matrix and factorization", () => {
  const train = datasetFromArrays({
    points: [
      [1, 0.2, 0],
      [0, 1, 0.3],
      [0.4, 0, 1],
    ],
    labels: [1, -0.5, 0.25],
    source: "train",
  });
  const onTrain = datasetFromArrays({
    points: [
      [1, 0.2, 0],
      [0.3, 0.3, 1],
    ],
    source: "test",
  });
  for (const kernel of ["ntk", "nngp"] as const) {
    it(`${kernel}: the prior at t = 0, zero variance on a training point at t = ∞, full = variances on the diagonal`, async () => {
      const base = { train, test: onTrain, depth: 3, kernel };
      const prior = await predict({ ...base, normalized: true, time: "0", covariance: "variance" });
      for (const v of prior.ensembleFloat64!.variance) expect(v).toBeCloseTo(1, 14);
      const inf = await predict({ ...base, covariance: "full" });
      const e = inf.ensembleFloat64!;
      expect(Math.abs(e.variance[0])).toBeLessThanOrEqual(e.varianceError[0]);
      expect(e.variance[1]).toBeGreaterThan(e.varianceError[1]);
      for (let i = 0; i < 2; i++) expect(e.covariance![i * 2 + i]).toBe(e.variance[i]);
      // The mean is the one predict() gives without the covariance.
      const plain = await predict(base);
      expect(Array.from(inf.float64!.predictions)).toEqual(Array.from(plain.float64!.predictions));
      expect(plain.ensembleFloat64).toBeNull();
      const finite = await predict({ ...base, time: "2", covariance: "variance" });
      for (let i = 0; i < 2; i++) expect(finite.ensembleFloat64!.variance[i]).toBeGreaterThan(e.variance[i] - e.varianceError[i]);
    });
  }
  it("with a precision P: from the Gram runs of the mean (one Gram computation), the same values as ensembleOnDataPrecise on its own", async () => {
    const base = { train, test: onTrain, depth: 3, kernel: "nngp" as const, precision: 20 };
    // Each Gram computation reports its phase from done = 0 up: count the starts.
    let gramStarts = 0;
    let last = { phase: "", done: 0 };
    const onProgress = (done: number, _total: number, phase = "") => {
      if (phase === GRAM_PHASE && (last.phase !== GRAM_PHASE || done < last.done)) gramStarts++;
      last = { phase, done };
    };
    const r = await predict({ ...base, covariance: "full", onProgress });
    expect(gramStarts).toBe(1);
    expect(r.ensembleFloat64).toBeNull();
    const alone = await ensembleOnDataPrecise(base, "full", 20);
    const text = (v: { value: Decimal; digits: number }) => `${v.value.toString()} (${v.digits})`;
    expect(r.ensemblePrecise!.variance.map(text)).toEqual(alone.variance.map(text));
    expect(r.ensemblePrecise!.covariance!.map(text)).toEqual(alone.covariance!.map(text));
    // The mean is the one predict() gives without the covariance, in every digit it vouches for.
    const plain = await predict(base);
    expect(plain.ensemblePrecise).toBeNull();
    const d = r.precise!.digitsVouched.predictions;
    expect(d).toBe(20);
    expect(r.precise!.predictions.map((x) => x.toSignificantDigits(d).toString())).toEqual(
      plain.precise!.predictions.map((x) => x.toSignificantDigits(d).toString()),
    );
  });
  it("rejects precision auto, an architecture with a precision, and an unknown request with BAD_OPTION", async () => {
    await expectCode(predict({ train, test: onTrain, depth: 3, precision: "auto", covariance: "variance" }), "BAD_OPTION", /auto/);
    await expectCode(predict({ train, test: onTrain, depth: 3, precision: 20, covariance: "variance", architecture: "abs dense" }), "BAD_OPTION", /ReLU/);
    await expectCode(predict({ train, test: onTrain, depth: 3, covariance: "diag" as "full" }), "BAD_OPTION", /variance.*full/);
    await expectCode(predictThroughDepth({ train, test: onTrain, depths: [3], precision: 20, covariance: "variance" }), "BAD_OPTION", /one depth/);
  });
});

describe("slicing a Gram matrix of train ∪ test", () => {
  it("gives the same blocks from a Float64Array (block copies) as from a plain array", () => {
    for (const [m, t] of [
      [1, 0],
      [3, 2],
      [7, 5],
    ] as const) {
      const n = m + t;
      const union = Float64Array.from({ length: n * n }, (_, e) => Math.sin(e + 0.5));
      const fast = sliceUnion64(union, m, t);
      const plain = sliceUnion(Array.from(union), m, t);
      expect(Array.from(fast.train)).toEqual(plain.train);
      expect(Array.from(fast.test)).toEqual(plain.test);
      expect(fast.train[m * m - 1]).toBe(union[(m - 1) * n + m - 1]);
    }
  });
});
