import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { predictFromKernels64, type KernelPrediction64Options } from "../src/predict/float64.js";
import { flowFilter } from "../src/predict/flowFilter.js";
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

/** K (train × train) and K_x (test × train) sliced from the union Gram matrix (train rows first). */
export function sliceUnion(union: ArrayLike<number>, m: number, t: number): { K: Float64Array; Kx: Float64Array } {
  const n = m + t;
  const K = new Float64Array(m * m);
  const Kx = new Float64Array(t * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) K[i * m + j] = union[i * n + j];
  for (let i = 0; i < t; i++) for (let j = 0; j < m; j++) Kx[i * m + j] = union[(m + i) * n + j];
  return { K, Kx };
}

function optionsOf(c: Case): KernelPrediction64Options {
  const { K, Kx } = sliceUnion(c.k64.map(Number), c.m, c.testCount);
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

describe("predictFromKernels64 against mpmath (exact arithmetic on the same float64 kernels)", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const r = await predictFromKernels64(optionsOf(c));
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
    const ill = await predictFromKernels64(optionsOf(cases.find((c) => c.name.includes("ill-conditioned"))!));
    expect(ill.digitsKept).toBeGreaterThan(10); // κ1 ≈ 1.9e5 leaves ≈ 10.7 digits: no warning yet
    expect(ill.warnings).toEqual([]);
    const n = 9;
    const hilbert = Float64Array.from({ length: n * n }, (_, i) => 1 / (Math.floor(i / n) + (i % n) + 1));
    const r = await predictFromKernels64({ trainKernel: hilbert, testKernel: hilbert.subarray(0, n), targets: new Float64Array(n).fill(1), m: n });
    expect(r.conditionEstimate).toBeGreaterThan(1e11);
    expect(r.warnings.join("\n")).toMatch(/condition estimate \d\.\d\de\+1\d: the float64 weights and predictions keep about [2-4] significant digits/);
  });

  it("the Neural Tangents time convention divides t by m·k", async () => {
    const c = cases.find((x) => x.timeConvention === "neural-tangents")!;
    const nt = await predictFromKernels64(optionsOf(c));
    const flow = await predictFromKernels64({ ...optionsOf(c), timeConvention: "flow", time: (c.time as number) / (c.m * c.k) });
    expect(nt.flowTime).toBe(5 / (c.m * c.k));
    expect(Array.from(nt.predictions)).toEqual(Array.from(flow.predictions));
  });
});

describe("predictFromKernels64 on small hand-made matrices", () => {
  const K = Float64Array.from([2, 1, 1, 3]);
  const Kx = Float64Array.from([1, 0, 0, 1, 1, 1]);
  const Y = Float64Array.from([1, -1]);

  it("t = ∞ is K_x K^{-1} Y, computed by hand", async () => {
    const r = await predictFromKernels64({ trainKernel: K, testKernel: Kx, targets: Y, m: 2 });
    // K^{-1} = [3 −1; −1 2] / 5.
    const w = [0.6, -0.2, -0.2, 0.4, 0.4, 0.2];
    w.forEach((v, i) => expect(r.weights[i]).toBeCloseTo(v, 15));
    [0.8, -0.6, 0.2].forEach((v, i) => expect(r.predictions[i]).toBeCloseTo(v, 15));
    [0.8, 0.6, 0.6].forEach((v, i) => expect(r.weightsL1[i]).toBeCloseTo(v, 15));
    expect(r.determinant.det).toBeCloseTo(5, 13);
    expect(r.ridge).toBe(0);
  });

  it("a ridge δ solves with K + δI; mean-diagonal scales it by trace(K)/m", async () => {
    const abs = await predictFromKernels64({ trainKernel: K, testKernel: Kx, targets: Y, m: 2, diagReg: 2.5 });
    const rel = await predictFromKernels64({ trainKernel: K, testKernel: Kx, targets: Y, m: 2, diagReg: 1, diagRegScale: "mean-diagonal" });
    expect(abs.ridge).toBe(2.5);
    expect(rel.ridge).toBe(2.5);
    expect(abs.determinant.det).toBeCloseTo(4.5 * 5.5 - 1, 12);
    expect(Array.from(rel.predictions)).toEqual(Array.from(abs.predictions));
  });

  it("finite time stays defined for an exactly singular K, and t = ∞ then throws SINGULAR_MATRIX", async () => {
    const singular = Float64Array.from([1, 1, 1, 1]);
    const r = await predictFromKernels64({ trainKernel: singular, testKernel: Float64Array.from([1, 1]), targets: Float64Array.from([1, 3]), m: 2, time: 0.5 });
    // K = 2 P (P the projector on (1,1)/√2): K_x V φ Vᵀ Y = (1,1)·φ(2)/2·(1,1)ᵀ(1,1)·Y = φ(2)·(Y1 + Y2) with φ(2) = (1 − e^{−1})/2.
    expect(r.predictions[0]).toBeCloseTo(((1 - Math.exp(-1)) / 2) * 4, 14);
    expect(r.determinant.signDet).toBe(0);
    await expectCode(predictFromKernels64({ trainKernel: singular, testKernel: Float64Array.from([1, 1]), targets: Float64Array.from([1, 3]), m: 2 }), "SINGULAR_MATRIX", /exactly singular.*finite time/);
  });

  it("rejects bad shapes, values and settings with typed errors", async () => {
    const base = { trainKernel: K, testKernel: Kx, targets: Y, m: 2 };
    await expectCode(predictFromKernels64({ ...base, m: 3 }), "DIMENSION_MISMATCH", /m × m/);
    await expectCode(predictFromKernels64({ ...base, testKernel: Float64Array.from([1, 2, 3]) }), "DIMENSION_MISMATCH", /K_x/);
    await expectCode(predictFromKernels64({ ...base, k: 2 }), "DIMENSION_MISMATCH", /targets/);
    await expectCode(predictFromKernels64({ ...base, targets: Float64Array.from([1, NaN]) }), "NON_FINITE", /targets/);
    await expectCode(predictFromKernels64({ ...base, trainKernel: Float64Array.from([2, 1, 1.5, 3]) }), "BAD_OPTION", /not symmetric/);
    await expectCode(predictFromKernels64({ ...base, time: -1 }), "BAD_OPTION", /time/);
    await expectCode(predictFromKernels64({ ...base, learningRate: 0 }), "BAD_OPTION", /learningRate/);
    await expectCode(predictFromKernels64({ ...base, diagReg: -1 }), "BAD_OPTION", /diagReg/);
    await expectCode(predictFromKernels64({ ...base, time: 1e300, learningRate: 1e10 }), "BAD_OPTION", /overflows/);
    await expectCode(predictFromKernels64({ ...base, timeConvention: "epochs" as never }), "BAD_OPTION", /time convention/);
    await expectCode(predictFromKernels64({ ...base, diagRegScale: "trace" as never }), "BAD_OPTION", /diagReg scale/);
  });

  it("a negative eigenvalue whose growth overflows is NON_FINITE, a smaller one a warning", async () => {
    const indefinite = Float64Array.from([1, 2, 2, 1]); // λ = −1, 3
    await expectCode(predictFromKernels64({ trainKernel: indefinite, testKernel: Kx, targets: Y, m: 2, time: 1000 }), "NON_FINITE", /negative eigenvalue/);
    const r = await predictFromKernels64({ trainKernel: indefinite, testKernel: Kx, targets: Y, m: 2, time: 1 });
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
        const inf = await predictFromKernels64(base);
        for (let i = 0; i < m * k; i++) expect(inf.predictions[i]).toBeCloseTo(Y[i], 10);
        const zero = await predictFromKernels64({ ...base, time: 0 });
        expect(Array.from(zero.predictions).every((v) => v === 0)).toBe(true);
        const late = await predictFromKernels64({ ...base, time: 200 });
        for (let i = 0; i < m * k; i++) expect(late.predictions[i]).toBeCloseTo(inf.predictions[i], 9);
      }),
      { numRuns: 25 },
    );
  });
});
