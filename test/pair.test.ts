import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { pairThroughDepthFloat64, type PairFloat64Options, type PairPointFloat64 } from "../src/pair/float64.js";
import { NtkError } from "../src/errors.js";
import { Decimal } from "decimal.js";

interface RefPoint {
  depth: number;
  rho: string;
  oneMinusRho: string;
  theta: string;
  ntkNormalized: string;
  oneMinusNtkNormalized: string;
  sigma?: string;
  ntk?: string;
  sigmaDiag?: string;
  ntkDiag?: string;
  sigmaDot?: string | null;
}
interface RefCase {
  rho1: string;
  sigmaW?: string;
  sigmaB?: string;
  inputDim?: number;
  points: RefPoint[];
}
const load = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as { cases: RefCase[] };
/** Paper's case to depth 10^6 (SPEC §3 ρ-form at 70 digits, scripts/fixtures/pair_reference.py). */
const deep = load("pair.json").cases;
/** Raw SPEC §2 recursion at 320 digits, incl. general σw, σb (scripts/fixtures/precise_pair_reference.py). */
const raw = load("precise_pair.json").cases;

const relErr = (got: number, want: string) => {
  const w = Number(want);
  return w === 0 ? Math.abs(got) : Math.abs(got - w) / Math.abs(w);
};
/** The reference divided by 2^log2Scale, to compare with a scaled float64 field at any depth. */
const WideDecimal = Decimal.clone({ precision: 40, minE: -9e15, maxE: 9e15 });
const scaledRef = (ref: string, p: PairPointFloat64) => new WideDecimal(ref).div(new WideDecimal(2).pow(p.log2Scale)).toNumber();

const BACKENDS: { name: string; options: Partial<PairFloat64Options> }[] = [
  { name: "wasm simd", options: { backend: "wasm", variant: "simd" } },
  { name: "wasm scalar", options: { backend: "wasm", variant: "scalar" } },
  { name: "plain TypeScript", options: { backend: "plain" } },
];

describe("stable float64 pair against mpmath", () => {
  for (const backend of BACKENDS) {
    it(`${backend.name}: 1 − ρ, θ, Θ̄, 1 − Θ̄ within 1e-12 relative to depth 10^6, ρ1 from −1 to 1 − 1e-12`, async () => {
      for (const c of deep) {
        const at = c.points.map((p) => p.depth);
        const run = await pairThroughDepthFloat64({ rho1: c.rho1, depth: at[at.length - 1], at, ...backend.options });
        run.points.forEach((p, k) => {
          const ref = c.points[k];
          expect(p.depth).toBe(ref.depth);
          for (const key of ["oneMinusRho", "theta", "oneMinusNtkNormalized", "ntkNormalized"] as const) {
            expect(relErr(p[key], ref[key]), `${key} at ρ1 = ${c.rho1}, L = ${p.depth}`).toBeLessThan(1e-12);
          }
          expect(Math.abs(p.rho - Number(ref.rho))).toBeLessThan(4e-16);
        });
      }
    });
  }

  it("raw Σ, Θ, their diagonals and Σ̇ within 1e-12 relative, general σw, σb and n0 included", async () => {
    for (const c of raw) {
      const at = c.points.map((p) => p.depth);
      const params = { sigmaW: c.sigmaW, sigmaB: c.sigmaB };
      const run = await pairThroughDepthFloat64({ rho1: c.rho1, depth: at[at.length - 1], at, params, inputDim: c.inputDim });
      run.points.forEach((p, k) => {
        const ref = c.points[k];
        const where = `ρ1 = ${c.rho1}, σw = ${c.sigmaW}, σb = ${c.sigmaB}, L = ${p.depth}`;
        // Within 1e-16 of ρ1 = −1 float64 cannot hold 1 + ρ1 (1 − ρ1 rounds to 2): θ^(1) is then only
        // within sqrt(2 · 2^-52) ≈ 2e-8 of π, and the next layers inherit ~1e-11 of that.
        const nearMinusOne = Number(c.rho1) === -1 && c.rho1 !== "-1";
        const tolerance = nearMinusOne ? 1e-10 : 1e-12;
        for (const key of ["oneMinusRho", "oneMinusNtkNormalized"] as const) expect(relErr(p[key], ref[key]), `${key}, ${where}`).toBeLessThan(tolerance);
        if (!nearMinusOne) expect(relErr(p.theta, ref.theta), `theta, ${where}`).toBeLessThan(1e-12);
        else expect(Math.abs(p.theta - Number(ref.theta))).toBeLessThan(2.2e-8);
        for (const key of ["sigmaDiag", "ntkDiag"] as const) expect(relErr(p[key], String(scaledRef(ref[key]!, p))), `${key}, ${where}`).toBeLessThan(1e-12);
        // Σ and Θ off the diagonal pass through 0 for anti-correlated inputs: absolute in units of the diagonal.
        expect(Math.abs(p.sigma - scaledRef(ref.sigma!, p)) / p.sigmaDiag).toBeLessThan(tolerance);
        expect(Math.abs(p.ntk - scaledRef(ref.ntk!, p)) / p.ntkDiag).toBeLessThan(tolerance);
        if (ref.sigmaDot === null) expect(p.sigmaDot).toBeNull();
        else expect(Math.abs(p.sigmaDot! - Number(ref.sigmaDot))).toBeLessThan(nearMinusOne ? 1e-10 : 1e-15);
      });
    }
  });

  it("reads ρ1 as the decimal it spells: '0.9999999' starts from 1 − ρ1 = 1e-7 exactly", async () => {
    const [p] = (await pairThroughDepthFloat64({ rho1: "0.9999999", depth: 1 })).points;
    expect(p.oneMinusRho).toBe(1e-7);
    const [q] = (await pairThroughDepthFloat64({ rho1: "0.999999999999999999999999999999", depth: 1 })).points;
    expect(q.oneMinusRho).toBe(1e-30);
  });

  it("paper's case: Σ(x,x) = 1/(n0 2^{L−1}) and Θ(x,x) = L/(n0 2^{L−1}) exactly, past the float64 range", async () => {
    const run = await pairThroughDepthFloat64({ rho1: 0.3, depth: 5000, at: [1, 7, 1100, 5000], inputDim: 4 });
    for (const p of run.points) {
      expect(Math.log2(p.sigmaDiag * 4) + p.log2Scale).toBe(1 - p.depth);
      expect(p.ntkDiag / p.sigmaDiag).toBe(p.depth);
      expect(p.sigma).toBe(p.rho * p.sigmaDiag);
    }
  });

  it("follows the asymptotics 1 − ρ^(L) ≈ 9π²/(2L²) and Θ̄^(L) → 1/4 at depth 10^7", async () => {
    const [p] = (await pairThroughDepthFloat64({ rho1: 0, depth: 10_000_000 })).points;
    const ratio = p.oneMinusRho / ((9 * Math.PI ** 2) / 2 / 1e14);
    expect(ratio).toBeGreaterThan(0.999);
    expect(ratio).toBeLessThan(1);
    expect(Math.abs(p.ntkNormalized - 0.25)).toBeLessThan(2e-6);
  });
});

describe("textbook float64 pair: its error is measured", () => {
  it("is accurate far from ρ = 1 and loses 1 − ρ near it", async () => {
    const at = [1, 10, 1000, 100_000];
    const errors = async (rho1: string) => {
      const c = deep.find((d) => d.rho1 === rho1)!;
      const run = await pairThroughDepthFloat64({ rho1, depth: 100_000, at, method: "textbook" });
      return run.points.map((p) => relErr(p.oneMinusRho, c.points.find((r) => r.depth === p.depth)!.oneMinusRho));
    };
    // ρ1 = 0: 1 − ρ stays ≥ 4e-9, so cancellation costs at most ~8 digits by L = 10^5.
    const far = await errors("0");
    expect(far[0]).toBe(0);
    expect(far[1]).toBeLessThan(1e-14);
    // ρ1 = 0.9999999: float64 rounding of ρ1 alone is a 5.3e-10 relative error of 1 − ρ1, and by
    // L = 10^5 the error is 18% (measured: 0.182).
    const near = await errors("0.9999999");
    expect(near[0]).toBeGreaterThan(5e-10);
    expect(near[3]).toBeGreaterThan(0.1);
  });
});

describe("invariants (fast-check)", () => {
  it("ρ rises with depth, stays in [−1, 1] (≥ 0 from L = 2, to rounding), 1 − ρ ∈ [0, 2], Θ̄ ∈ [−1, 1]", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.uniqueArray(fc.integer({ min: 1, max: 3000 }), { minLength: 2, maxLength: 8 }),
        async (rho1, at) => {
          const run = await pairThroughDepthFloat64({ rho1, depth: Math.max(...at), at });
          let last = -Infinity;
          for (const p of run.points) {
            expect(p.rho).toBeGreaterThanOrEqual(last);
            last = p.rho;
            expect(Math.abs(p.rho)).toBeLessThanOrEqual(1);
            // h ≥ 0 exactly; ρ = 1 − ε is accurate to a few ulps of 1, so just below 0 near ρ1 = −1.
            if (p.depth >= 2) expect(p.rho).toBeGreaterThanOrEqual(-4.5e-16);
            expect(p.oneMinusRho).toBeGreaterThanOrEqual(0);
            expect(p.oneMinusRho).toBeLessThanOrEqual(2);
            expect(Math.abs(p.ntkNormalized)).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("WASM and the plain TypeScript port agree to a few ulps", async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: 1, max: 5000 }), async (rho1, depth) => {
        const [a] = (await pairThroughDepthFloat64({ rho1, depth })).points;
        const [b] = (await pairThroughDepthFloat64({ rho1, depth, backend: "plain" })).points;
        if (a.oneMinusRho !== 0) expect(Math.abs(a.oneMinusRho - b.oneMinusRho) / a.oneMinusRho).toBeLessThan(1e-13);
        expect(Math.abs(a.ntkNormalized - b.ntkNormalized)).toBeLessThan(1e-14);
      }),
      { numRuns: 40 },
    );
  });
});

describe("errors", () => {
  const codeOf = async (o: PairFloat64Options) => {
    try {
      await pairThroughDepthFloat64(o);
    } catch (e) {
      expect(e).toBeInstanceOf(NtkError);
      return { code: (e as NtkError).code, message: (e as NtkError).message };
    }
    throw new Error("no error thrown");
  };
  it.each([
    [{ rho1: "1.0000001", depth: 3 }, "BAD_RHO", /\[−1, 1\]/],
    [{ rho1: -1.5, depth: 3 }, "BAD_RHO", /-1\.5/],
    [{ rho1: 0.5, depth: 0 }, "BAD_DEPTH", /from 1 to/],
    [{ rho1: 0.5, depth: 2.5 }, "BAD_DEPTH", /integer/],
    [{ rho1: 0.5, depth: 1_000_000_001, method: "direct" }, "BAD_DEPTH", /beyond 1,000,000,000 layers/],
    [{ rho1: 0.5, depth: 2n ** 60n + 1n }, "BAD_DEPTH", /1,152,921,504,606,846,976/],
    [{ rho1: 0.5, depth: 2 ** 60 }, "BAD_DEPTH", /not exact: pass a bigint/],
    [{ rho1: 0.5, depth: 100, params: { sigmaB: 0.5 }, method: "jump" }, "BAD_OPTION", /needs σb = 0/],
    [{ rho1: 0.5, depth: 2_000_000_000, params: { sigmaB: 0.5, sigmaW: 2 } }, "BAD_DEPTH", /no fixed point/],
    [{ rho1: 0.5, depth: 10, at: [3, 11] }, "BAD_DEPTH", /deeper than the final depth 10/],
    [{ rho1: 0.5, depth: 3, params: { sigmaW: 0 } }, "BAD_SIGMA_W", /positive/],
    [{ rho1: 0.5, depth: 3, params: { sigmaW: "-2" } }, "BAD_SIGMA_W", /-2/],
    [{ rho1: 0.5, depth: 3, params: { sigmaB: -0.1 } }, "BAD_SIGMA_B", /≥ 0/],
    [{ rho1: 0.5, depth: 3, params: { sigmaW: 1e155 } }, "BAD_SIGMA_W", /outside the float64 range.*precision option/],
    [{ rho1: 0.5, depth: 3, params: { sigmaW: 1e-170 } }, "BAD_SIGMA_W", /2\^-250/],
    [{ rho1: 0.5, depth: 3, params: { sigmaB: 1e160 } }, "BAD_SIGMA_B", /outside the float64 range/],
    [{ rho1: 0.5, depth: 3, params: { sigmaB: 1e-160 } }, "BAD_SIGMA_B", /0 or from 2\^-250/],
    [{ rho1: "0.5x", depth: 3 }, "NOT_A_NUMBER", /not a decimal number/],
    [{ rho1: Number.NaN, depth: 3 }, "NON_FINITE", /finite/],
    [{ rho1: 0.5, depth: 3, inputDim: 0 }, "BAD_OPTION", /inputDim/],
    [{ rho1: 0.5, depth: 3, method: "naive" as never }, "BAD_OPTION", /auto.*direct.*jump.*textbook/],
    [{ rho1: 0.5, depth: 3, method: "textbook", backend: "plain" }, "BAD_OPTION", /WebAssembly only/],
  ] as const)("%o → %s", async (options, code, message) => {
    const e = await codeOf(options as PairFloat64Options);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it("at the ends of the float64 range of σw, σb every value is finite; with σb = 0, σw changes only the raw kernels", async () => {
    const at = [1, 2, 3, 5000];
    const reference = await pairThroughDepthFloat64({ rho1: 0.5, depth: 5000, at, method: "direct" });
    for (const sigmaW of [2 ** 250, 1, 2 ** -250]) {
      for (const sigmaB of [0, 2 ** -250, 2 ** 250]) {
        for (const backend of ["wasm", "plain"] as const) {
          const r = await pairThroughDepthFloat64({ rho1: 0.5, depth: 5000, at, params: { sigmaW, sigmaB }, inputDim: 2 ** 50, backend, method: "direct" });
          for (const p of r.points) {
            for (const v of [
              p.rho,
              p.oneMinusRho,
              p.theta,
              p.ntkNormalized,
              p.oneMinusNtkNormalized,
              p.sigma,
              p.ntk,
              p.sigmaDiag,
              p.ntkDiag,
              p.log2Scale,
              p.sigmaDot ?? 0,
            ]) {
              expect(Number.isFinite(v)).toBe(true);
            }
          }
          if (sigmaB !== 0) continue;
          r.points.forEach((p, k) => {
            expect(p.oneMinusRho).toBe(reference.points[k].oneMinusRho);
            expect(p.oneMinusNtkNormalized).toBe(reference.points[k].oneMinusNtkNormalized);
            // q_L = σw^{2L} / (n0 2^{L−1}) exactly, a power of two here.
            expect(Math.log2(p.sigmaDiag) + p.log2Scale).toBe(2 * Math.log2(sigmaW) * p.depth - (p.depth - 1) - 50);
          });
        }
      }
    }
  });

  it("stops with ABORTED when cancelled, before or during a long run, and reports progress", async () => {
    const before = new AbortController();
    before.abort();
    expect((await codeOf({ rho1: 0.5, depth: 10, signal: before.signal })).code).toBe("ABORTED");
    const during = new AbortController();
    const seen: number[] = [];
    const e = await codeOf({
      rho1: 0.5,
      depth: 1_000_000_000,
      method: "direct",
      signal: during.signal,
      onProgress: (done, total) => {
        seen.push(done);
        expect(total).toBe(999_999_999);
        if (seen.length === 3) during.abort();
      },
    });
    expect(e.code).toBe("ABORTED");
    expect(seen.length).toBe(3);
    expect(seen[2]).toBeGreaterThan(seen[0]);
  });
});
