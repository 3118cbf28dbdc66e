/**
 * Worker threads (issue 9): the Gram fill, the LU factorization and the solves give the same bits
 * on 1, 2 and 3 threads; the thread count is validated; WebAssembly memory bounds m with a typed
 * error before anything is allocated; a failing worker rejects instead of hanging.
 */
import { describe, expect, it } from "vitest";
import { datasetFromArrays } from "../src/data/dataset.js";
import { gramThroughDepthFloat64, largestGramFitting } from "../src/gram/float64.js";
import { analyzeMatrixFloat64, luFactorFloat64 } from "../src/linalg/lu.js";
import { predict } from "../src/predict/fromData.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { acquirePool, MAX_THREADS, resolveThreads } from "../src/threads/pool.js";
import { MAX_WASM_BYTES } from "../src/wasm/engine.js";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli } from "./support/cli.js";
import { rejectionOf } from "./support/errors.js";
import { choleskyFactor, choleskyFactorEstimated } from "../src/linalg/cholesky.js";

const THREADS = [1, 2, 3];

function rawCoords(count: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** The bytes of float64 arrays, for bit-for-bit comparison. */
/** G + Gᵀ + 60 I for G of rawCoords(n², seed): exactly symmetric, positive definite (κ ≈ 3 at n = 430). */
function symmetricPositiveDefinite(n: number, seed: number): Float64Array {
  const g = rawCoords(n * n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = g[i * n + j] + g[j * n + i] + (i === j ? 60 : 0);
  return a;
}

function bits(...arrays: Float64Array[]): Buffer {
  return Buffer.concat(arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
}

describe("the same bits on 1, 2 and 3 threads", () => {
  // 300 points, two of them 1e-9 apart (the exact |x − x′|²/2 path) and one antipodal pair.
  const coords = rawCoords(300 * 6, 42);
  for (let c = 0; c < 6; c++) {
    coords[6 + c] = coords[c] + 1e-9 * (c % 2);
    coords[12 + c] = -coords[c];
  }
  const points = projectToSphereFloat64({ m: 300, n0: 6, coords }, "normalize");

  it.each([
    { label: "paper case", params: undefined },
    { label: "σw = 1.3, σb = 0.2", params: { sigmaW: 1.3, sigmaB: 0.2 } },
  ])("Gram fill, four matrices at two depths ($label)", async ({ params }) => {
    const runs = await Promise.all(THREADS.map((threads) => gramThroughDepthFloat64({ points, depths: [3, 80], params, threads })));
    const [one, ...more] = runs.map(({ grams: gs }) =>
      bits(...gs.flatMap((g) => [g.sigmaNormalized, g.oneMinusSigmaNormalized, g.ntkNormalized, g.oneMinusNtkNormalized])),
    );
    for (const other of more) expect(other.equals(one)).toBe(true);
    // The close pair keeps its tiny complement: 1 − x·x′ would have cancelled to rounding noise.
    const [deep] = runs[0].grams;
    expect(deep.oneMinusSigmaNormalized[1]).toBeGreaterThan(0);
  });

  it("Gram fill by the tabulated depth maps (σb = 0), at L = 10^6 and 10^18", async () => {
    const runs = await Promise.all(THREADS.map((threads) => gramThroughDepthFloat64({ points, depths: [1_000_000, 10n ** 18n], method: "jump", threads })));
    const [one, ...more] = runs.map(({ grams: gs }) =>
      bits(...gs.flatMap((g) => [g.sigmaNormalized, g.oneMinusSigmaNormalized, g.ntkNormalized, g.oneMinusNtkNormalized])),
    );
    for (const other of more) expect(other.equals(one)).toBe(true);
  });

  it("LU factors, determinant, condition estimate and a solve with 450 right-hand sides", async () => {
    const n = 420;
    const k = 450;
    const a = rawCoords(n * n, 7);
    for (let i = 0; i < n; i++) a[i * n + i] += 3;
    const b = rawCoords(n * k, 8);
    const out: Buffer[] = [];
    for (const threads of THREADS) {
      const lu = await luFactorFloat64(a, n, { threads });
      const x = await lu.solveAsync(b, k);
      const analysis = await analyzeMatrixFloat64(a, n, { threads });
      out.push(bits(lu.factors, x, Float64Array.of(analysis.det, analysis.conditionEstimate)));
      expect(Array.from(lu.pivots)).toEqual(Array.from((await luFactorFloat64(a, n, { threads: 1 })).pivots));
    }
    expect(out[1].equals(out[0])).toBe(true);
    expect(out[2].equals(out[0])).toBe(true);
    // solveAsync is solve on threads: the same bits as the synchronous one-thread solve.
    const lu = await luFactorFloat64(a, n, { threads: 2 });
    expect(bits(await lu.solveAsync(b, k)).equals(bits(lu.solve(b, k)))).toBe(true);
  });

  it("blocked Cholesky factor, determinant, condition estimate and a solve with 450 right-hand sides", async () => {
    const n = 430;
    const k = 450;
    // Panels and update blocks of every shape (n not a multiple of 48, 128 or 256).
    const a = symmetricPositiveDefinite(n, 17);
    const b = rawCoords(n * k, 18);
    const out: Buffer[] = [];
    for (const threads of THREADS) {
      const ch = await choleskyFactor(a, n, { threads });
      const x = await ch.solveAsync(b, k);
      out.push(bits(ch.factors, x, Float64Array.of(ch.determinant().log10AbsDet, ch.conditionEstimate())));
    }
    expect(out[1].equals(out[0])).toBe(true);
    expect(out[2].equals(out[0])).toBe(true);
    const ch = await choleskyFactor(a, n, { threads: 2 });
    const x = ch.solve(b, k);
    expect(bits(await ch.solveAsync(b, k)).equals(bits(x))).toBe(true);
    // And it is a solve: the residual of the first column is at rounding level (κ ≈ 3 here).
    let residual = 0;
    for (let i = 0; i < n; i++) {
      let s = -b[i * k];
      for (let j = 0; j < n; j++) s += a[i * n + j] * x[j * k];
      residual = Math.max(residual, Math.abs(s));
    }
    expect(residual).toBeLessThan(1e-12);
  });

  it("the predictor's Cholesky (κ1 estimated on the factor's own memory): the same factor, κ1 the same bits on 1, 2 and 3 threads and as the public estimate, from the lower triangle only", async () => {
    const n = 430;
    const a = symmetricPositiveDefinite(n, 19);
    const plain = await choleskyFactor(a, n, { threads: 1 });
    const kappas: number[] = [];
    for (const threads of THREADS) {
      const ch = await choleskyFactorEstimated(a, n, { threads }, true);
      expect(bits(ch.factors).equals(bits(plain.factors))).toBe(true);
      kappas.push(ch.conditionEstimate());
    }
    expect(new Set(kappas).size).toBe(1);
    expect(kappas[0]).toBe(plain.conditionEstimate());
    // Above the diagonal only the lower triangle counts, for the norm as for the factor.
    const upper = a.map((v, k) => (k % n > Math.floor(k / n) ? 1e6 : v));
    const skewed = await choleskyFactorEstimated(upper, n, { threads: 2 }, true);
    expect(bits(skewed.factors).equals(bits(plain.factors))).toBe(true);
    expect(skewed.conditionEstimate()).toBe(kappas[0]);
  });

  it("a factor left in the pool's memory: its solves reuse it there, and a caller who takes the pool first copies it out; the bits never change", async () => {
    const n = 430;
    const k = 450;
    const a = symmetricPositiveDefinite(n, 23);
    const b = rawCoords(n * k, 24);
    const ref = await choleskyFactor(a, n, { threads: 1 });
    const x = bits(ref.solve(b, k));
    const ch = await choleskyFactor(a, n, { threads: 2 });
    expect(ch.determinant()).toEqual(ref.determinant());
    expect(bits(await ch.solveAsync(b, k)).equals(x)).toBe(true);
    // The pool that holds the factor is the one its solves take; it still holds it after them.
    const own = await acquirePool(2, "auto", ch);
    expect(own.pool.holds(ch)).toBe(true);
    const pool = own.pool;
    // Its solves read the factor there, not a copy: change L_00 behind its back, and back.
    const [at] = pool.engine.reserve([1]);
    const l00 = pool.engine.f64(at, 1)[0];
    pool.engine.f64(at, 1)[0] = 2 * l00;
    own.release();
    expect(bits(await ch.solveAsync(b, k)).equals(x)).toBe(false);
    const back = await acquirePool(2, "auto", ch);
    expect(back.pool).toBe(pool);
    pool.engine.f64(at, 1)[0] = l00;
    back.release();
    expect(bits(await ch.solveAsync(b, k)).equals(x)).toBe(true);
    // Another caller takes that pool (the last one released) and overwrites its memory.
    const other = await acquirePool(2);
    expect(other.pool).toBe(pool);
    expect(pool.holds(ch)).toBe(false);
    const [p] = pool.engine.reserve([n * n]);
    pool.engine.f64(p, n * n).fill(Number.NaN);
    other.release();
    expect(bits(await ch.solveAsync(b, k)).equals(x)).toBe(true);
    expect(bits(ch.factors).equals(bits(ref.factors))).toBe(true);
    expect(ch.conditionEstimate()).toBe(ref.conditionEstimate());
  });

  it("predictions end to end (Gram of train ∪ test, Cholesky solve at t = ∞)", async () => {
    const m = 400;
    const train = datasetFromArrays({ points: Array.from({ length: m }, (_, i) => Array.from(rawCoords(4, 100 + i))), labels: Array.from(rawCoords(m, 9)) });
    const runs = await Promise.all(
      THREADS.map((threads) => predict({ train, test: { m: 5, n0: 4, coords: rawCoords(20, 11) }, depth: 3, normalized: true, threads })),
    );
    expect(runs[0].float64!.predictions).toHaveLength(5);
    const [one, ...more] = runs.map((r) => bits(r.float64!.predictions, r.float64!.weights));
    for (const other of more) expect(other.equals(one)).toBe(true);
  });
});

describe("thread count", () => {
  it.each([0, -1, 1.5, MAX_THREADS + 1, Number.NaN])("BAD_OPTION for threads = %s", async (threads) => {
    const e = await rejectionOf(() => resolveThreads(threads));
    expect(e.code).toBe("BAD_OPTION");
    expect(e.message).toMatch(/threads must be an integer from 1 to 63/);
    const points = projectToSphereFloat64({ m: 2, n0: 2, coords: Float64Array.of(1, 0, 0, 1) }, "none");
    expect((await rejectionOf(() => gramThroughDepthFloat64({ points, depths: [2], threads }))).code).toBe("BAD_OPTION");
    expect((await rejectionOf(() => luFactorFloat64([1], 1, { threads }))).code).toBe("BAD_OPTION");
  });

  it("defaults to the cores the host reports (Node: os.availableParallelism)", async () => {
    const { availableParallelism } = await import("node:os");
    expect(await resolveThreads(undefined)).toBe(Math.min(availableParallelism(), MAX_THREADS));
    expect(await resolveThreads(2)).toBe(2);
  });
});

describe("--threads on the command line", () => {
  it("kernel prints the same text on 1 and 2 threads (Gram fill and LU above the thresholds); 0 is BAD_OPTION, exit 1", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ntk-depth-threads-"));
    try {
      const c = rawCoords(420 * 3, 3);
      const rows = Array.from({ length: 420 }, (_, i) => `${c[3 * i]},${c[3 * i + 1]},${c[3 * i + 2]}`);
      const file = join(dir, "points.csv");
      await writeFile(file, ["x1,x2,x3", ...rows].join("\n"));
      const args = ["kernel", "--data", file, "--depth", "60", "--sigma-b", "0.1", "--normalized", "--json"];
      const one = await cli(...args, "--threads", "1");
      const two = await cli(...args, "--threads", "2");
      expect(one.code).toBe(0);
      expect(two.out).toBe(one.out);
      const bad = await cli(...args, "--threads", "0");
      expect(bad.code).toBe(1);
      expect(bad.err).toMatch(/BAD_OPTION: threads must be an integer from 1 to 63/);
      const text = await cli("predict", "--train", "examples/train.json", "--test", "examples/test.json", "--depth", "3", "--threads", "two");
      expect(text.code).toBe(1);
      expect(text.err).toMatch(/BAD_OPTION: --threads must be an integer/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("limits", () => {
  it("refuses an m whose Gram state does not fit in 4 GiB of WebAssembly memory, saying which m fits, before allocating", async () => {
    const n0 = 1;
    const largest = largestGramFitting(MAX_WASM_BYTES - 65536, n0);
    expect(largest).toBeGreaterThan(16_000);
    const m = largest + 1;
    const points = { m, n0, coords: new Float64Array(m).fill(1), projection: "none" as const };
    for (const threads of [1, 2]) {
      const e = await rejectionOf(() => gramThroughDepthFloat64({ points, depths: [2], threads }));
      expect(e.code).toBe("WASM_MEMORY_EXHAUSTED");
      expect(e.message).toMatch(new RegExp(`${m} points .* more than the 409\\d\\.\\d MiB available\\. At most m = \\d+ points fit`));
      expect(Number(/At most m = (\d+)/.exec(e.message)![1])).toBeLessThan(m);
    }
  });

  it("a kernel that fails in a worker rejects the run instead of hanging", async () => {
    const { pool, release } = await acquirePool(2);
    try {
      await expect(pool.run("noSuchKernel", [[1], [2]])).rejects.toThrow(/worker failed/);
      // The pool still works afterwards.
      await pool.run("simdEnabled", [[], []]);
    } finally {
      release();
    }
  });
});
