import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { gramThroughDepthFloat64, kernelMatrixFloat64, largestGramFitting, type GramAtDepthFloat64, type GramFloat64Options } from "../src/gram/float64.js";
import { analyzeMatrixFloat64 } from "../src/linalg/lu.js";
import { choleskyFactor } from "../src/linalg/cholesky.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { MAX_WASM_BYTES } from "../src/wasm/engine.js";
import { pairThroughDepthPrecise } from "../src/pair/precise.js";
import type { SpherePoints } from "../src/types.js";
import fixture from "./fixtures/gram.json" with { type: "json" };
import { expectCode, rejectionOf } from "./support/errors.js";

const U = 2 ** -53;
const MATRICES = ["sigmaNormalized", "oneMinusSigmaNormalized", "ntkNormalized", "oneMinusNtkNormalized"] as const;

interface RefDet {
  det: string;
  signDet: number;
  log10AbsDet: string | null;
}
type RefGram = { depth: number; sigmaDiag: string; ntkDiag: string; sigmaNormalizedDet: RefDet; ntkNormalizedDet: RefDet } & Record<
  (typeof MATRICES)[number],
  string[]
>;
interface Case {
  name: string;
  m: number;
  n0: number;
  sigmaW: string;
  sigmaB: string;
  coords: string[];
  grams: RefGram[];
}
const cases = fixture.cases as Case[];

const BACKENDS: { label: string; options: Pick<GramFloat64Options, "backend" | "variant"> }[] = [
  { label: "WASM SIMD", options: { backend: "wasm", variant: "simd" } },
  { label: "WASM scalar", options: { backend: "wasm", variant: "scalar" } },
  { label: "plain TypeScript", options: { backend: "plain" } },
];

function spherePoints(m: number, n0: number, coords: ArrayLike<number>): SpherePoints {
  return { m, n0, coords: Float64Array.from(coords), projection: "none" };
}

describe.each(BACKENDS)("Gram matrices through depth, $label, against mpmath (100 digits)", ({ options }) => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const grams = (
      await gramThroughDepthFloat64({
        points: spherePoints(c.m, c.n0, c.coords.map(Number)),
        depths: c.grams.map((g) => g.depth),
        params: { sigmaW: c.sigmaW, sigmaB: c.sigmaB },
        ...options,
      })
    ).grams;
    expect(grams.map((g) => g.depth)).toEqual(c.grams.map((g) => g.depth));
    for (const [k, g] of grams.entries()) {
      const ref = c.grams[k];
      const where = `depth ${g.depth}`;
      // Complements are carried, so they are relatively accurate everywhere (observed ≤ 2e-15).
      for (const key of ["oneMinusSigmaNormalized", "oneMinusNtkNormalized"] as const) {
        g[key].forEach((x, i) => {
          const y = Number(ref[key][i]);
          expect(Math.abs(x - y), `${where} ${key}[${i}] = ${x}, reference ${y}`).toBeLessThanOrEqual(1e-12 * Math.abs(y));
        });
      }
      // Entries are 1 − complement: relatively accurate, plus ~1 ulp of 1 absolute near 0
      // (e.g. Σ̄^(2) of an antipodal pair, exactly 0 in exact arithmetic).
      for (const key of ["sigmaNormalized", "ntkNormalized"] as const) {
        g[key].forEach((x, i) => {
          const y = Number(ref[key][i]);
          expect(Math.abs(x - y), `${where} ${key}[${i}] = ${x}, reference ${y}`).toBeLessThanOrEqual(1e-12 * Math.abs(y) + 2 * U);
        });
      }
      expect(Math.abs((g.sigmaDiag * 2 ** g.log2Scale) / Number(ref.sigmaDiag) - 1)).toBeLessThanOrEqual(1e-13);
      expect(Math.abs((g.ntkDiag * 2 ** g.log2Scale) / Number(ref.ntkDiag) - 1)).toBeLessThanOrEqual(1e-13);
    }
  });
});

interface DeepCase {
  name: string;
  coords: string[];
  grams: { depth: number; oneMinusSigmaNormalized: string; oneMinusNtkNormalized: string }[];
}
const deepCases = (fixture as unknown as { deep: DeepCase[] }).deep;

describe.each(BACKENDS)("one pair through deep stacks (L = 1e4, 1e5), $label, against mpmath (60 digits)", ({ options }) => {
  it.each(deepCases.map((c) => [c.name, c] as const))("%s: 1 − Σ̄ and 1 − Θ̄ within 1e-12 relative", async (_name, c) => {
    const grams = (await gramThroughDepthFloat64({ points: spherePoints(2, 2, c.coords.map(Number)), depths: c.grams.map((g) => g.depth), ...options })).grams;
    for (const [k, g] of grams.entries()) {
      const ref = c.grams[k];
      for (const key of ["oneMinusSigmaNormalized", "oneMinusNtkNormalized"] as const) {
        const y = Number(ref[key]);
        expect(Math.abs(g[key][1] - y), `depth ${g.depth} ${key}`).toBeLessThanOrEqual(1e-12 * y);
      }
    }
  });
});

describe("determinants of the Gram matrices against mpmath", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s: log10|det| within the conditioning bound, or reported as untrustworthy", async (_name, c) => {
    const grams = (
      await gramThroughDepthFloat64({
        points: spherePoints(c.m, c.n0, c.coords.map(Number)),
        depths: c.grams.map((g) => g.depth),
        params: { sigmaW: c.sigmaW, sigmaB: c.sigmaB },
      })
    ).grams;
    for (const [k, g] of grams.entries()) {
      for (const [key, refKey] of [
        ["sigmaNormalized", "sigmaNormalizedDet"],
        ["ntkNormalized", "ntkNormalizedDet"],
      ] as const) {
        const a = await analyzeMatrixFloat64(g[key], g.m);
        const ref = c.grams[k][refKey];
        // Entries carry relative errors ≤ ~2e-15, so det moves by about κ · m · 2e-15 relative.
        const bound = a.conditionEstimate * g.m * 2e-15 + 1e-13;
        if (bound < 0.1) {
          expect(a.signDet).toBe(ref.signDet);
          expect(Math.abs(a.log10AbsDet - Number(ref.log10AbsDet)), `depth ${g.depth} ${key}`).toBeLessThanOrEqual(bound);
        } else {
          // Too ill-conditioned for float64 to know det: the analysis must say so.
          expect(a.digitsKept, `depth ${g.depth} ${key}: κ ≈ ${a.conditionEstimate}`).toBeLessThan(2);
        }
      }
    }
  });
});

describe("raw kernels and the diagonal scalars", () => {
  it("paper case: Σ(x,x) = 1/(n0 2^{L−1}) and Θ(x,x) = L Σ(x,x) exactly, far below the float64 range", async () => {
    const points = projectToSphereFloat64({ m: 2, n0: 2, coords: Float64Array.from([1, 0, 0.6, 0.8]) }, "none");
    const depths = [1, 7, 1074, 5000];
    const grams = (await gramThroughDepthFloat64({ points, depths })).grams;
    for (const g of grams) {
      expect(Math.log2(g.sigmaDiag) + g.log2Scale).toBe(-g.depth);
      expect(g.ntkDiag / g.sigmaDiag).toBe(g.depth);
    }
    expect(grams[3].log2Scale).toBeLessThan(-4000);
  });
  it("σw = 2: Σ(x,x) = 4 · 2^{L−1} / n0 grows past the float64 range and is carried by log2Scale", async () => {
    const points = projectToSphereFloat64({ m: 3, n0: 2, coords: Float64Array.from([1, 0, 0.6, 0.8, 0, -1]) }, "none");
    const grams = (await gramThroughDepthFloat64({ points, depths: [3, 2000], params: { sigmaW: 2 } })).grams;
    for (const g of grams) {
      expect(Math.log2(g.sigmaDiag) + g.log2Scale).toBe(g.depth);
      expect(Number.isFinite(g.ntkDiag)).toBe(true);
    }
    expect(grams[1].log2Scale).toBeGreaterThan(1000);
    // Σ̄ does not depend on σw when σb = 0: the same as the paper's case.
    const [paper] = (await gramThroughDepthFloat64({ points, depths: [2000] })).grams;
    grams[1].oneMinusSigmaNormalized.forEach((x, i) => expect(Math.abs(x - paper.oneMinusSigmaNormalized[i])).toBeLessThanOrEqual(1e-13 * x));
  });
  it("σb > 0: 1 − Θ̄ keeps its relative accuracy while it decays by 20 orders of magnitude within one kernel call", async () => {
    // u = 1 − Θ̄ falls from ~1 to ~1e-21 in 299 layers; its compensation term must follow it down
    // (it was once kept from the early layers and cancelled against u: 2e-12 relative error).
    const points = spherePoints(2, 2, [0.6, 0.8, -0.96, 0.28]);
    const params = { sigmaW: 1.2, sigmaB: 0.1 };
    const ref = await pairThroughDepthPrecise({ rho1: "-0.352", depth: 300, params, inputDim: 2, precision: 40 });
    const expected = ref.points[0].oneMinusNtkNormalized.toNumber();
    expect(expected).toBeLessThan(1e-18);
    for (const { options } of BACKENDS) {
      const [g] = (await gramThroughDepthFloat64({ points, depths: [300], params, ...options })).grams;
      expect(Math.abs(g.oneMinusNtkNormalized[1] - expected)).toBeLessThanOrEqual(1e-14 * expected);
    }
  });
  it("kernelMatrixFloat64 gives normalized matrices as stored and raw ones as mantissa × 2^log2Scale", async () => {
    const c = cases.find((x) => x.sigmaW !== "1")!;
    const [g] = (
      await gramThroughDepthFloat64({
        points: spherePoints(c.m, c.n0, c.coords.map(Number)),
        depths: [10],
        params: { sigmaW: c.sigmaW, sigmaB: c.sigmaB },
      })
    ).grams;
    const ref = c.grams.find((r) => r.depth === 10)!;
    expect(kernelMatrixFloat64(g, "ntk", true)).toEqual({ matrix: g.ntkNormalized, log2Scale: 0 });
    expect(kernelMatrixFloat64(g, "nngp", true).matrix).toBe(g.sigmaNormalized);
    const raw = kernelMatrixFloat64(g, "ntk", false);
    expect(raw.log2Scale).toBe(g.log2Scale);
    raw.matrix.forEach((x, i) => {
      const y = Number(ref.ntkNormalized[i]) * Number(ref.ntkDiag);
      expect(Math.abs(x * 2 ** raw.log2Scale - y)).toBeLessThanOrEqual(1e-12 * Number(ref.ntkDiag));
    });
    const sigma = kernelMatrixFloat64(g, "nngp", false).matrix;
    expect(sigma[0]).toBe(g.sigmaDiag);
  });
});

/** m random points on S^{n0−1}: rows of a grid of step 1e-6 in [−1, 1]^n0 (a zero row becomes e1), normalized. */
const arbitraryPoints = (minM: number, maxM: number, minN0: number, maxN0: number) =>
  fc.record({ m: fc.integer({ min: minM, max: maxM }), n0: fc.integer({ min: minN0, max: maxN0 }) }).chain(({ m, n0 }) =>
    fc
      .array(fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: n0, maxLength: n0 }), { minLength: m, maxLength: m })
      .map((rows) => rows.map((r) => (r.some((x) => x !== 0) ? r.map((x) => x / 1e6) : [1, ...r.slice(1)])))
      .map((rows) => projectToSphereFloat64({ m, n0, coords: Float64Array.from(rows.flat()) }, "normalize")),
  );

function minDistance(p: SpherePoints): number {
  let best = Infinity;
  for (let i = 0; i < p.m; i++) {
    for (let j = i + 1; j < p.m; j++) {
      let s = 0;
      for (let c = 0; c < p.n0; c++) s += (p.coords[i * p.n0 + c] - p.coords[j * p.n0 + c]) ** 2;
      best = Math.min(best, Math.sqrt(s));
    }
  }
  return best;
}

function row(a: Float64Array, m: number, i: number): number[] {
  return Array.from(a.subarray(i * m, (i + 1) * m));
}

describe("properties (fast-check)", () => {
  it("symmetric, unit (resp. zero) diagonal, entries in [−1, 1], complements in [0, 2], entry + complement = 1", async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryPoints(1, 7, 1, 5), fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 4 }), async (points, depths) => {
        const grams = (await gramThroughDepthFloat64({ points, depths })).grams;
        expect(grams.map((g) => g.depth)).toEqual([...depths].sort((a, b) => a - b));
        const bad: string[] = [];
        const check = (ok: boolean, what: () => string) => {
          if (!ok) bad.push(what());
        };
        for (const g of grams) {
          const m = g.m;
          for (let i = 0; i < m; i++) {
            const d = i * m + i;
            check(g.sigmaNormalized[d] === 1 && g.ntkNormalized[d] === 1, () => `diagonal ${i} not 1`);
            check(g.oneMinusSigmaNormalized[d] === 0 && g.oneMinusNtkNormalized[d] === 0, () => `complement diagonal ${i} not 0`);
            for (let j = 0; j < m; j++) {
              for (const key of MATRICES) check(g[key][i * m + j] === g[key][j * m + i], () => `${key} not symmetric at ${i},${j}`);
              for (const [value, complement] of [
                [g.sigmaNormalized, g.oneMinusSigmaNormalized],
                [g.ntkNormalized, g.oneMinusNtkNormalized],
              ]) {
                const v = value[i * m + j];
                const c = complement[i * m + j];
                check(Math.abs(v) <= 1 && c >= 0 && c <= 2, () => `out of range at ${i},${j}: ${v}, ${c}`);
                check(Math.abs(v + c - 1) <= 2 * U, () => `value + complement ≠ 1 at ${i},${j}: ${v} + ${c}`);
              }
            }
          }
        }
        expect(bad).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it("Θ̄ is positive definite (Cholesky succeeds) for distinct well-separated points at L ≥ 2", async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryPoints(2, 8, 2, 5).filter((p) => minDistance(p) > 0.2),
        fc.integer({ min: 2, max: 40 }),
        async (points, depth) => {
          const [g] = (await gramThroughDepthFloat64({ points, depths: [depth] })).grams;
          const chol = await choleskyFactor(g.ntkNormalized, g.m);
          expect(chol.n).toBe(g.m);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("L = 1 with m > n0 is singular (rank ≤ n0): the condition estimate says float64 has nothing left", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }).chain((n0) => arbitraryPoints(n0 + 1, n0 + 4, n0, n0)),
        async (points) => {
          const [g] = (await gramThroughDepthFloat64({ points, depths: [1] })).grams;
          for (const key of ["sigmaNormalized", "ntkNormalized"] as const) {
            const a = await analyzeMatrixFloat64(g[key], g.m);
            expect(a.singular || a.conditionEstimate > 1e12, `κ ≈ ${a.conditionEstimate}`).toBe(true);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("points that coincide on the sphere (positive multiples) give identical rows at every depth, in every backend", async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryPoints(2, 6, 2, 4), fc.integer({ min: 0, max: 10 }), fc.constantFrom(...BACKENDS), async (points, pick, { options }) => {
        const { m, n0 } = points;
        const i = pick % m;
        const raw = Float64Array.from([...points.coords, ...Array.from(points.coords.subarray(i * n0, (i + 1) * n0), (x) => 4 * x)]);
        const withDuplicate = projectToSphereFloat64({ m: m + 1, n0, coords: raw }, "normalize");
        const grams = (await gramThroughDepthFloat64({ points: withDuplicate, depths: [1, 2, 30], ...options })).grams;
        for (const g of grams) {
          for (const key of MATRICES) expect(row(g[key], m + 1, m)).toEqual(row(g[key], m + 1, i));
          expect(g.oneMinusSigmaNormalized[i * (m + 1) + m]).toBe(0);
          expect(g.oneMinusNtkNormalized[i * (m + 1) + m]).toBe(0);
        }
      }),
      { numRuns: 30 },
    );
  });

  it("the WASM builds and the plain TypeScript port agree to a few ulps at L = 300", async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryPoints(2, 6, 2, 4), async (points) => {
        const runs = await Promise.all(
          BACKENDS.map(({ options }) => gramThroughDepthFloat64({ points, depths: [300], params: { sigmaW: 1.2, sigmaB: 0.1 }, ...options })),
        );
        const [first, ...rest] = runs.map((r) => r.grams[0]);
        for (const other of rest) {
          for (const key of ["oneMinusSigmaNormalized", "oneMinusNtkNormalized"] as const) {
            first[key].forEach((x, i) => expect(Math.abs(x - other[key][i])).toBeLessThanOrEqual(1e-13 * x));
          }
          expect(other.sigmaDiag).toBe(first.sigmaDiag);
          expect(other.ntkDiag).toBe(first.ntkDiag);
        }
      }),
      { numRuns: 20 },
    );
  });
});

describe("progress and cancellation", () => {
  const points = projectToSphereFloat64({ m: 40, n0: 3, coords: Float64Array.from({ length: 120 }, (_, k) => Math.sin(k * 1.7 + 0.3)) }, "normalize");

  it("reports pair steps and ends with done = total", async () => {
    const calls: [number, number][] = [];
    await gramThroughDepthFloat64({ points, depths: [5, 2000], method: "direct", onProgress: (d, t) => calls.push([d, t]) });
    const total = ((40 * 39) / 2) * 1999;
    expect(calls.at(-1)).toEqual([total, total]);
    for (const [d, t] of calls) {
      expect(t).toBe(total);
      expect(d).toBeLessThanOrEqual(total);
    }
  });

  it("ABORTED for a signal that has already fired", async () => {
    const c = new AbortController();
    c.abort();
    await expectCode(() => gramThroughDepthFloat64({ points, depths: [10], signal: c.signal }), "ABORTED", /cancelled/);
  });

  it.each(BACKENDS)("ABORTED mid-run when the signal fires during a long computation ($label)", async ({ options }) => {
    const c = new AbortController();
    let calls = 0;
    const e = await rejectionOf(() =>
      gramThroughDepthFloat64({
        points,
        depths: [1_000_000_000],
        method: "direct",
        signal: c.signal,
        onProgress: () => {
          if (++calls === 2) c.abort();
        },
        ...options,
      }),
    );
    expect(e.code).toBe("ABORTED");
    expect(calls).toBe(2);
  });

  it("WASM calls made while a long Gram run yields do not disturb its state (it runs in a private engine)", async () => {
    const alone = (await gramThroughDepthFloat64({ points, depths: [10000] })).grams;
    const [together] = await Promise.all([
      gramThroughDepthFloat64({ points, depths: [10000] }),
      (async () => {
        for (let k = 0; k < 20; k++) {
          await new Promise((r) => setTimeout(r, 1));
          await analyzeMatrixFloat64(
            Float64Array.from({ length: 400 }, (_, i) => Math.cos(i)),
            20,
          );
        }
      })(),
    ]);
    expect(together.grams[0].oneMinusNtkNormalized).toEqual(alone[0].oneMinusNtkNormalized);
  });
});

describe("errors", () => {
  const two = spherePoints(2, 2, [1, 0, 0, 1]);

  it("EMPTY_DATA for no points or dimension 0", async () => {
    await expectCode(() => gramThroughDepthFloat64({ points: spherePoints(0, 2, []), depths: [1] }), "EMPTY_DATA", /at least one point/);
    await expectCode(() => gramThroughDepthFloat64({ points: spherePoints(2, 0, []), depths: [1] }), "EMPTY_DATA", /n0 = 0/);
  });
  it("DIMENSION_MISMATCH, NON_FINITE and OFF_SPHERE for malformed points", async () => {
    await expectCode(() => gramThroughDepthFloat64({ points: spherePoints(2, 2, [1, 0, 0]), depths: [1] }), "DIMENSION_MISMATCH", /need 4 coordinates/);
    await expectCode(() => gramThroughDepthFloat64({ points: spherePoints(2, 2, [1, 0, NaN, 1]), depths: [1] }), "NON_FINITE", /Point 2, coordinate 1/);
    await expectCode(
      () => gramThroughDepthFloat64({ points: spherePoints(2, 2, [1, 0, 0, 2]), depths: [1] }),
      "OFF_SPHERE",
      /Point 2 .*projectToSphereFloat64/,
    );
  });
  it("BAD_DEPTH for no depth, non-integers, 0 and depths past 1e9", async () => {
    await expectCode(() => gramThroughDepthFloat64({ points: two, depths: [] }), "BAD_DEPTH", /at least one depth/);
    await expectCode(() => gramThroughDepthFloat64({ points: two, depths: [0] }), "BAD_DEPTH", /integer from 1/);
    await expectCode(() => gramThroughDepthFloat64({ points: two, depths: [3, 2.5] }), "BAD_DEPTH", /depth 2 must be an integer/);
    await expectCode(() => gramThroughDepthFloat64({ points: two, depths: [2e9], method: "direct" }), "BAD_DEPTH", /1,000,000,000/);
    // σb > 0 reaches 2^60 only where the state settles (σw² < 2): see gram-fixed-point.test.ts.
    await expectCode(() => gramThroughDepthFloat64({ points: two, depths: [2e9], params: { sigmaW: 1.5, sigmaB: 0.5 } }), "BAD_DEPTH", /1,000,000,000/);
    await expectCode(() => gramThroughDepthFloat64({ points: two, depths: [2n ** 60n + 1n] }), "BAD_DEPTH", /1,152,921,504,606,846,976/);
    await expectCode(() => gramThroughDepthFloat64({ points: two, depths: [5], method: "jump", params: { sigmaB: 0.5 } }), "BAD_OPTION", /σb = 0/);
  });
  it("BAD_SIGMA_W, BAD_SIGMA_B and BAD_OPTION", async () => {
    await expectCode(() => gramThroughDepthFloat64({ points: two, depths: [2], params: { sigmaW: 0 } }), "BAD_SIGMA_W", /positive/);
    await expectCode(() => gramThroughDepthFloat64({ points: two, depths: [2], params: { sigmaB: "-0.1" } }), "BAD_SIGMA_B", /≥ 0/);
    await expectCode(() => gramThroughDepthFloat64({ points: two, depths: [2], params: { sigmaW: 1e155 } }), "BAD_SIGMA_W", /outside the float64 range/);
    await expectCode(
      () => gramThroughDepthFloat64({ points: two, depths: [2], params: { sigmaB: 1e-160 }, backend: "plain" }),
      "BAD_SIGMA_B",
      /outside the float64 range/,
    );
    await expectCode(() => gramThroughDepthFloat64({ points: two, depths: [2], backend: "gpu" as "wasm" }), "BAD_OPTION", /backend/);
    const [g] = (await gramThroughDepthFloat64({ points: two, depths: [2] })).grams;
    expect(() => kernelMatrixFloat64(g, "rbf" as "ntk", true)).toThrow(/kernel must be "ntk" or "nngp"/);
  });
  it("WASM_MEMORY_EXHAUSTED names the largest m that fits, without allocating the matrices in JS", async () => {
    const m = 30000;
    const points = spherePoints(m, 1, new Float64Array(m).fill(1));
    const fits = largestGramFitting(MAX_WASM_BYTES - 1e6, 1);
    expect(fits).toBeGreaterThan(11000);
    expect(fits).toBeLessThan(m);
    await expectCode(
      () => gramThroughDepthFloat64({ points, depths: [2] }),
      "WASM_MEMORY_EXHAUSTED",
      new RegExp(`At most m = ${String(fits).slice(0, 3)}\\d+ points fit`),
    );
  });
});

describe("single points and checkpoint handling", () => {
  it("m = 1 gives 1 × 1 matrices [1] and [0] and still reports the diagonal", async () => {
    const grams: readonly GramAtDepthFloat64[] = (await gramThroughDepthFloat64({ points: spherePoints(1, 3, [0, 0, 1]), depths: [4, 1, 4] })).grams;
    expect(grams.map((g) => g.depth)).toEqual([1, 4]);
    expect(Array.from(grams[1].sigmaNormalized)).toEqual([1]);
    expect(Array.from(grams[1].oneMinusNtkNormalized)).toEqual([0]);
    expect(grams[1].sigmaDiag).toBe(1 / 3 / 8);
    expect(grams[1].ntkDiag).toBe(4 / 3 / 8);
  });
});

describe("concurrent calls", () => {
  it("short runs on the shared engine, started together, each get their own depth's matrices", async () => {
    // Such runs keep their state in the shared engine's memory: they must not yield until done.
    const points = spherePoints(3, 2, [1, 0, 0.6, 0.8, -0.6, 0.8]);
    const alone = [(await gramThroughDepthFloat64({ points, depths: [3] })).grams[0], (await gramThroughDepthFloat64({ points, depths: [50] })).grams[0]];
    const together = (await Promise.all([gramThroughDepthFloat64({ points, depths: [3] }), gramThroughDepthFloat64({ points, depths: [50] })])).map(
      (r) => r.grams,
    );
    expect(alone[0].ntkNormalized).not.toEqual(alone[1].ntkNormalized);
    expect(together.map((g) => g[0].ntkNormalized)).toEqual(alone.map((g) => g.ntkNormalized));
    expect(together.map((g) => g[0].oneMinusSigmaNormalized)).toEqual(alone.map((g) => g.oneMinusSigmaNormalized));
  });
});
