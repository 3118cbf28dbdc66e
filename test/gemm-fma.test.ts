// The opt-in "fma" build (src/wasm/engine.ts, WasmVariant): its matrix products take every step of a
// sum as one relaxed multiply-add, fused where the host fuses it. On such a host each entry must be
// the sum in the kernel's order with every step rounded once (a decimal.js reference, exact before
// its one rounding); elsewhere the plain multiply-then-add sum. Every path (tiles, edges, packed
// blocks of a strided A) and every cut of the rows and columns gives the same bits within the
// build, and so does every thread count; the kernels without products keep the "simd" build's bits.
import { Decimal } from "decimal.js";
import { describe, expect, it } from "vitest";
import { checkRelaxedSimd, loadWasmEngine, type WasmEngine, type WasmVariant } from "../src/wasm/engine.js";
import { gramThroughDepthFloat64 } from "../src/gram/float64.js";
import { symmetricEigenFloat64 } from "../src/linalg/eigen.js";
import { luFactorFloat64, PARALLEL_MIN_ORDER } from "../src/linalg/lu.js";
import { choleskyFactor } from "../src/linalg/cholesky.js";
import { createPredictor } from "../src/predict/predictor.js";
import { predict } from "../src/predict/fromData.js";
import { datasetFromArrays } from "../src/data/dataset.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { empiricalKernels } from "../src/width/empirical.js";
import { monteCarloKernels } from "../src/width/monteCarlo.js";
import { sampleWorkerRunner } from "../src/width/sampleWorkers.js";
import { PARALLEL_MIN_WEIGHTS } from "../src/width/passes.js";
import { seededUniform } from "../src/data/randomData.js";
import { exactBinaryDecimal } from "../src/decimalText.js";
import { errorOf } from "./support/errors.js";
import {
  gemmCases,
  gemmOperands,
  kernelProduct,
  mulThenAdd,
  referenceProduct,
  type AccumulateStep,
  type GemmCase,
  type GemmOperands,
} from "./support/gemmProduct.js";

/**
 * Enough digits that x·y + s of float64 values of these magnitudes is exact (under 200 digits):
 * the only rounding is toNumber's, to nearest. Decimal's constructor would read a number through
 * its shortest text, a different number: exactBinaryDecimal keeps every binary digit.
 */
const Exact = Decimal.clone({ precision: 400 });
const exactOperands = new Map<number, Decimal>();
/** The exact value of `x` (the operands' are kept: each is read once per row or column of C). */
function exact(x: number, keep = false): Decimal {
  let d = keep ? exactOperands.get(x) : undefined;
  if (d === undefined) {
    d = new Exact(exactBinaryDecimal(x, "an operand"));
    if (keep) exactOperands.set(x, d);
  }
  return d;
}
const fusedStep: AccumulateStep = (x, y, s) => exact(x, true).times(exact(y, true)).plus(exact(s)).toNumber();

/** The product with every step fused (one operand set at a time in the cache). */
function fusedProduct(ops: GemmOperands, cs: GemmCase): Float64Array {
  exactOperands.clear();
  return referenceProduct(ops, cs, fusedStep);
}

// k = 65 with A = Wᵀ (rsA = 1, β = 0) takes the packed blocks of 64 summation indices, the first
// column tile reading A in place; k = 7 only the unpacked tiles; every shape has edge rows or columns.
const CASES = gemmCases([1, 7, 65]);

/** The product the fma engine must give on this host. */
function expectedProduct(engine: WasmEngine, ops: GemmOperands, cs: GemmCase): Float64Array {
  return engine.fusesMultiplyAdd ? fusedProduct(ops, cs) : referenceProduct(ops, cs, mulThenAdd);
}

describe('gemm on the "fma" build', () => {
  it("is the fma build, and the simd and scalar builds say they do not fuse", async () => {
    expect((await loadWasmEngine("fma")).variant).toBe("fma");
    expect((await loadWasmEngine("simd")).fusesMultiplyAdd).toBe(false);
    expect((await loadWasmEngine("scalar")).fusesMultiplyAdd).toBe(false);
  });

  it(`equals the product with every step fused when the host fuses, the plain one otherwise (${CASES.length} shapes, layouts, scalings)`, async () => {
    const engine = await loadWasmEngine("fma");
    let fusedDiffers = 0;
    CASES.forEach((cs, index) => {
      const ops = gemmOperands(cs, 2000 + index);
      const fused = fusedProduct(ops, cs);
      const plain = referenceProduct(ops, cs, mulThenAdd);
      expect(kernelProduct(engine, ops, cs), JSON.stringify(cs)).toEqual(engine.fusesMultiplyAdd ? fused : plain);
      if (!sameBits(fused, plain)) fusedDiffers++;
    });
    // The two references differ on most of these operands, so the comparison above tells them apart.
    expect(fusedDiffers).toBeGreaterThan(CASES.length / 2);
  });

  it("gives the same bits for every cut of C's rows and columns (the pool's tasks)", async () => {
    const engine = await loadWasmEngine("fma");
    const cases: GemmCase[] = [
      { r: 13, k: 130, n: 37, layout: "transposed", alpha: 1, beta: 0 },
      { r: 13, k: 130, n: 37, layout: "rows", alpha: -1, beta: 1 },
      { r: 11, k: 70, n: 22, layout: "strided", alpha: 0.5, beta: -2 },
    ];
    cases.forEach((cs, index) => {
      const ops = gemmOperands(cs, 3000 + index);
      const whole = kernelProduct(engine, ops, cs);
      // Cuts off the multiples of 4 move rows and columns between tiles and edges.
      expect(kernelProduct(engine, ops, cs, [1, 6], [3, 17]), JSON.stringify(cs)).toEqual(whole);
      expect(kernelProduct(engine, ops, cs, [4, 8], [8, 20]), JSON.stringify(cs)).toEqual(whole);
      expect(whole, JSON.stringify(cs)).toEqual(expectedProduct(engine, ops, cs));
    });
  });
});

describe('kernels without matrix products keep the "simd" bits on "fma"', () => {
  it("the Gram matrices through depth (direct loop and depth maps) and a symmetric eigensolve", async () => {
    const points = spherePoints(7, 5, 11);
    const depths = [1, 3, 40, 5000];
    const run = async (variant: WasmVariant) => {
      const direct = await gramThroughDepthFloat64({ points, depths, params: { sigmaW: 1.3, sigmaB: 0.2 }, variant });
      const jump = await gramThroughDepthFloat64({ points, depths, method: "jump", variant });
      const eigen = await symmetricEigenFloat64(direct.grams[2]!.ntkNormalized, points.m, { variant });
      return [...[...direct.grams, ...jump.grams].flatMap((g) => [g.sigmaNormalized, g.ntkNormalized, g.oneMinusNtkNormalized]), eigen.values, eigen.vectors];
    };
    expect(await run("fma")).toEqual(await run("simd"));
  });
});

describe('a finite network on "fma"', () => {
  // 16 weight layers of 128 × 128: past the size at which the passes use the pool.
  const network = { points: spherePoints(5, 4, 3), depth: 18, width: 128, params: { sigmaW: Math.SQRT2, sigmaB: 0.1 }, seed: 99 };

  it("gives the same bits on 1 and 2 threads, and agrees with the simd build to 1e-11 relative", async () => {
    expect(16 * 128 * 128).toBeGreaterThanOrEqual(PARALLEL_MIN_WEIGHTS);
    const one = await empiricalKernels({ ...network, variant: "fma", threads: 1 });
    const two = await empiricalKernels({ ...network, variant: "fma", threads: 2 });
    expect([two.outputs, two.ntk, two.sigma]).toEqual([one.outputs, one.ntk, one.sigma]);
    // Both builds' sums of n = 128 terms are within γ_n Σ|w||a| ≈ 1.4·10⁻¹⁴ Σ|w||a| of the exact
    // sum; with random signs Σ|w||a| is about √n = 11 times |Σ w a|, and the forward and backward
    // passes chain 2L = 36 such products, each passing on relative errors of its inputs (ReLU is
    // 1-Lipschitz; a preactivation within 10⁻¹² of 0, where ReLU′ jumps, has probability ~10⁻⁹ here).
    // That gives ~36 · 11 · 1.4·10⁻¹⁴ ≈ 6·10⁻¹² as a worst case; the errors are random, so the
    // difference seen is far smaller.
    const simd = await empiricalKernels({ ...network, variant: "simd", threads: 1 });
    for (const key of ["outputs", "ntk", "sigma"] as const) {
      const worst = maxAbs(one[key].map((v, i) => v - simd[key][i]!));
      expect(worst / maxAbs(simd[key]), key).toBeLessThan(1e-11);
    }
    expect(sameBits(one.ntk, simd.ntk)).toBe(!(await loadWasmEngine("fma")).fusesMultiplyAdd);
  });
});

describe('Monte Carlo on "fma"', () => {
  it("Node worker threads (each compiling the fma build itself) give the networks of this thread, bit for bit", async () => {
    const o = { points: spherePoints(5, 3, 7), depth: 4, width: 64, samples: 4, seed: 3, variant: "fma" as const };
    const here = await monteCarloKernels(o);
    const inWorkers = await monteCarloKernels({ ...o, runner: sampleWorkerRunner(2) });
    expect(inWorkers.raw).toEqual(here.raw);
  });
});

describe('LU and Cholesky on "fma"', () => {
  const n = PARALLEL_MIN_ORDER; // the order from which the factorizations use the pool
  const next = seededUniform(41);
  const a = Float64Array.from({ length: n * n }, () => next() - 0.5);
  for (let i = 0; i < n; i++) a[i * n + i] += 2;
  // Exactly symmetric and positive definite by a margin (spectral radius of a's symmetric part ≲ 0.6 √n).
  const spd = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) spd[i * n + j] = a[i * n + j]! + a[j * n + i]! + (i === j ? 24 : 0);
  const k = 3;
  const b = Float64Array.from({ length: n * k }, () => next() - 0.5);

  /** max_ij |(A X − B)_ij| / (‖A‖_max ‖X‖_max n): the backward error of a solve, in units of the entries. */
  function residual(m: Float64Array, x: Float64Array): number {
    let worst = 0;
    for (let i = 0; i < n; i++)
      for (let c = 0; c < k; c++) {
        let s = -b[i * k + c]!;
        for (let j = 0; j < n; j++) s += m[i * n + j]! * x[j * k + c]!;
        worst = Math.max(worst, Math.abs(s));
      }
    return worst / (maxAbs(m) * maxAbs(x) * n);
  }

  const factorizations = {
    LU: { matrix: () => a, factor: (variant: WasmVariant, threads: number) => luFactorFloat64(a, n, { variant, threads }) },
    Cholesky: { matrix: () => spd, factor: (variant: WasmVariant, threads: number) => choleskyFactor(spd, n, { variant, threads }) },
  };
  it.each(Object.keys(factorizations) as (keyof typeof factorizations)[])(
    "%s: the same bits on 1 and 2 threads; a residual as small as the simd build's",
    async (name) => {
      const { matrix, factor } = factorizations[name];
      const run = async (variant: WasmVariant, threads: number) => {
        const f = await factor(variant, threads);
        return { factors: f.factors, x: await f.solveAsync(b, k) };
      };
      const one = await run("fma", 1);
      const two = await run("fma", 2);
      expect(two.factors).toEqual(one.factors);
      expect(two.x).toEqual(one.x);
      const simd = await run("simd", 1);
      expect(sameBits(one.factors, simd.factors)).toBe(!(await loadWasmEngine("fma")).fusesMultiplyAdd);
      expect(residual(matrix(), one.x)).toBeLessThan(2 * residual(matrix(), simd.x) + 2 ** -52);
    },
  );
});

describe('a predictor on "fma"', () => {
  it("factors and solves on the fma build it is given (same bits on 1 and 2 threads, not the simd bits where the host fuses)", async () => {
    const m = PARALLEL_MIN_ORDER;
    const next = seededUniform(43);
    const x = Float64Array.from({ length: m * m }, () => next() - 0.5);
    const kernel = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) kernel[i * m + j] = x[i * m + j]! + x[j * m + i]! + (i === j ? 24 : 0);
    const targets = Float64Array.from({ length: m }, () => next() - 0.5);
    const testNngp = Float64Array.from({ length: 2 * m }, () => next() - 0.5);
    const weights = async (variant: WasmVariant, threads: number) => {
      const predictor = await createPredictor({ kernel: "nngp", m, targets, trainNngp: kernel, variant, threads });
      const r = await predictor.predict({ testNngp });
      expect(r.solver).toBe("cholesky");
      return r.weights;
    };
    const one = await weights("fma", 1);
    expect(await weights("fma", 2)).toEqual(one);
    expect(sameBits(one, await weights("simd", 1))).toBe(!(await loadWasmEngine("fma")).fusesMultiplyAdd);
  });
});

describe('predict() on "fma"', () => {
  it("predicts from data on the fma build: the default build's predictions within rounding, the same digits claimed", async () => {
    const m = PARALLEL_MIN_ORDER;
    const n0 = 6;
    const points = spherePoints(m, n0, 47);
    const next = seededUniform(48);
    const train = datasetFromArrays({
      points: Array.from({ length: m }, (_, i) => Array.from(points.coords.subarray(i * n0, (i + 1) * n0))),
      labels: Array.from({ length: m }, () => [next() - 0.5]),
    });
    const test = spherePoints(5, n0, 49);
    const run = (variant: WasmVariant) => predict({ train, test, depth: 4, normalized: true, variant, threads: 2 });
    const [fma, simd] = [await run("fma"), await run("simd")];
    const [a, b] = [fma.float64!, simd.float64!];
    expect(a.digitsKept).toBe(b.digitsKept);
    // Both keep digitsKept digits of the same exact prediction: they agree to that many, and more.
    for (let i = 0; i < b.predictions.length; i++)
      expect(Math.abs(a.predictions[i]! - b.predictions[i]!)).toBeLessThanOrEqual(10 ** -b.digitsKept * maxAbs(b.predictions));
  });
});

describe('the "fma" build where relaxed SIMD is missing', () => {
  it("is a typed error that says what is needed; a host that validates it passes", () => {
    expect(() => checkRelaxedSimd(true)).not.toThrow();
    const e = errorOf(() => checkRelaxedSimd(false));
    expect(e.code).toBe("UNSUPPORTED_HOST");
    expect(e.message).toMatch(/relaxed SIMD/);
    expect(e.message).toMatch(/Node ≥ 22/);
    expect(e.message).toMatch(/--experimental-wasm-relaxed-simd/);
    expect(e.message).toMatch(/"auto"/);
  });
});

function spherePoints(m: number, n0: number, seed: number) {
  const next = seededUniform(seed);
  return projectToSphereFloat64({ m, n0, coords: Float64Array.from({ length: m * n0 }, () => next() - 0.5) }, "normalize");
}

function maxAbs(v: Float64Array): number {
  return v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
}

function sameBits(x: Float64Array, y: Float64Array): boolean {
  return x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
}
