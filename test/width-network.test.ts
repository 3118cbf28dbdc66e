import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { empiricalKernels } from "../src/width/empirical.js";
import { loadWasmEngine, type WasmEngine } from "../src/wasm/engine.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { checkPlanFits, planValues, weightStream, type NetworkExports } from "../src/width/passes.js";
import { resolveParams } from "../src/params.js";
import { MAX_WASM_BYTES } from "../src/wasm/engine.js";
import type { SpherePoints } from "../src/types.js";
import { expectCode, rejectionOf } from "./support/errors.js";

function points(m: number, n0: number, seed: number): SpherePoints {
  let s = seed >>> 0;
  const coords = Float64Array.from({ length: m * n0 }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
  return projectToSphereFloat64({ m, n0, coords }, "normalize");
}

function gaussians(engine: WasmEngine, count: number, seed: bigint, stream: number, first = 0): Float64Array {
  const [p] = engine.reserve([count]);
  (engine.exports as unknown as NetworkExports).normalFill(p, count, Number(seed >> 32n), Number(seed & 0xffffffffn), stream, first);
  return engine.f64(p, count).slice();
}

const MASK64 = (1n << 64n) - 1n;
function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}
const GAMMA = 0x9e3779b97f4a7c15n;

describe("weight generator", () => {
  it("SplitMix64 gives the published sequence for seed 1234567 (Rosetta Code's test vector), in both builds", async () => {
    const expected = [0x599ed017fb08fc85n, 0x2c73f08458540fa5n, 0x883ebce5a3f27c77n, 0x3fbef740e9177b3fn, 0xe3b8346708cb5ecdn];
    for (const variant of ["simd", "scalar"] as const) {
      const ex = (await loadWasmEngine(variant)).exports as unknown as NetworkExports;
      expect(expected.map((_, k) => BigInt.asUintN(64, ex.splitMix64(1234567n, BigInt(k + 1))))).toEqual(expected);
    }
  });

  it("Gaussians are Box–Muller on the documented SplitMix64 streams (independent BigInt port, JavaScript's Math), to 2e-15 of the radius", async () => {
    const seed = 0xfedcba9876543210n;
    const count = 4099;
    for (const variant of ["simd", "scalar"] as const) {
      const g = gaussians(await loadWasmEngine(variant), count, seed, 5);
      let counter = mix64((seed + 6n * GAMMA) & MASK64);
      let worst = 0;
      for (let p = 0; 2 * p < count; p++) {
        counter = (counter + GAMMA) & MASK64;
        const u1 = 1 - Number(mix64(counter) >> 12n) * 2 ** -52;
        counter = (counter + GAMMA) & MASK64;
        const u2 = Number(mix64(counter) >> 12n) * 2 ** -52;
        const r = Math.sqrt(-2 * Math.log(u1));
        // Relative to r: the sine or cosine of an angle near a multiple of π may be tiny.
        worst = Math.max(worst, Math.abs(g[2 * p] - r * Math.cos(2 * Math.PI * u2)) / r);
        if (2 * p + 1 < count) worst = Math.max(worst, Math.abs(g[2 * p + 1] - r * Math.sin(2 * Math.PI * u2)) / r);
      }
      expect(worst).toBeLessThan(2e-15);
    }
  });

  it("a stream cut into even-sized pieces (as threads cut it) gives the bits of one call, in both builds", async () => {
    const seed = 0x0123456789abcdefn;
    const simd = await loadWasmEngine("simd");
    const whole = gaussians(simd, 1001, seed, 3);
    expect(gaussians(await loadWasmEngine("scalar"), 1001, seed, 3)).toEqual(whole);
    for (const first of [2, 6, 500]) expect(gaussians(simd, 1001 - first, seed, 3, first)).toEqual(whole.subarray(first));
  });

  it("draws a layer's Wᵀ in 4-row panels (and W row-major when asked) with the stream's values, in pieces of even rows, in both builds", async () => {
    const seed = 0x5eed5eed5eedn;
    for (const variant of ["simd", "scalar"] as const) {
      const engine = await loadWasmEngine(variant);
      // m odd (odd row starts inside a piece, a padded last panel), m a multiple of 4, and rows longer than one piece of the kernel.
      for (const [n, m] of [
        [7, 5],
        [6, 8],
        [3, 2100],
      ] as const) {
        const whole = gaussians(engine, n * m, seed, 4);
        const panelValues = n * 4 * Math.ceil(m / 4);
        const [w, panels] = engine.reserve([n * m, panelValues]);
        const ex = engine.exports as unknown as NetworkExports;
        const [hi, lo] = [Number(seed >> 32n), Number(seed & 0xffffffffn)];
        for (const keepRows of [1, 0]) {
          engine.f64(panels, panelValues).fill(NaN);
          // Pieces as threads cut them: each starts at an even row.
          for (const [p0, p1] of [
            [0, 2],
            [2, n],
          ])
            ex.normalFillPanels(w, panels, n, m, p0, p1, hi, lo, 4, keepRows);
          if (keepRows) expect(engine.f64(w, n * m).slice()).toEqual(whole);
          const got = engine.f64(panels, panelValues);
          for (let p = 0; p < n; p++) {
            for (let i = 0; i < m; i++) expect(got[4 * n * Math.floor(i / 4) + 4 * p + (i % 4)]).toBe(whole[p * m + i]);
          }
        }
      }
    }
  });

  it("has mean 0, variance 1 and kurtosis 3 within sampling error (2^17 draws)", async () => {
    const n = 1 << 17;
    const g = gaussians(await loadWasmEngine(), n, 42n, 0);
    let s1 = 0,
      s2 = 0,
      s4 = 0;
    for (const x of g) {
      s1 += x;
      s2 += x * x;
      s4 += x ** 4;
    }
    expect(Math.abs(s1 / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(s4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
  });

  it("streams of different layers and seeds differ, and a prefix is the same whatever the count", async () => {
    const engine = await loadWasmEngine();
    const a = gaussians(engine, 64, 7n, 0);
    expect(gaussians(engine, 63, 7n, 0)).toEqual(a.subarray(0, 63));
    expect(gaussians(engine, 64, 7n, 2)).not.toEqual(a);
    expect(gaussians(engine, 64, 8n, 0)).not.toEqual(a);
  });
});

/** A plain TypeScript network with the engine's weights: per-parameter gradients, the full Jacobian J, Θ = J Jᵀ. */
async function jacobianReference(x: SpherePoints, widths: number[], sigmaW: number, sigmaB: number, seed: bigint) {
  const engine = await loadWasmEngine();
  const L = widths.length - 1;
  const W: Float64Array[] = [];
  const b: Float64Array[] = [];
  for (let l = 1; l <= L; l++) {
    W.push(gaussians(engine, widths[l] * widths[l - 1], seed, weightStream(l)));
    b.push(sigmaB === 0 ? new Float64Array(widths[l]) : gaussians(engine, widths[l], seed, weightStream(l) + 1));
  }
  const forward = (input: Float64Array, Wt: Float64Array[], bt: Float64Array[]) => {
    const acts = [input];
    const pre: Float64Array[] = [];
    for (let l = 1; l <= L; l++) {
      const z = new Float64Array(widths[l]);
      for (let i = 0; i < widths[l]; i++) {
        let s = 0;
        for (let j = 0; j < widths[l - 1]; j++) s += Wt[l - 1][i * widths[l - 1] + j] * acts[l - 1][j];
        z[i] = (sigmaW / Math.sqrt(widths[l - 1])) * s + sigmaB * bt[l - 1][i];
      }
      pre.push(z);
      acts.push(l < L ? z.map((v) => (v > 0 ? v : 0)) : z);
    }
    return { acts, pre, f: acts[L][0] };
  };
  const jac: number[][] = [];
  const outputs: number[] = [];
  for (let c = 0; c < x.m; c++) {
    const input = x.coords.slice(c * x.n0, (c + 1) * x.n0);
    const { acts, pre, f } = forward(input, W, b);
    outputs.push(f);
    const grads: number[][] = [];
    let delta = new Float64Array([1]);
    for (let l = L; l >= 1; l--) {
      const gW: number[] = [];
      for (let i = 0; i < widths[l]; i++) for (let j = 0; j < widths[l - 1]; j++) gW.push((delta[i] * sigmaW * acts[l - 1][j]) / Math.sqrt(widths[l - 1]));
      grads.unshift([...gW, ...Array.from(delta, (d) => sigmaB * d)]);
      if (l > 1) {
        const prev = new Float64Array(widths[l - 1]);
        for (let j = 0; j < widths[l - 1]; j++) {
          let s = 0;
          for (let i = 0; i < widths[l]; i++) s += W[l - 1][i * widths[l - 1] + j] * delta[i];
          prev[j] = pre[l - 2][j] > 0 ? (sigmaW / Math.sqrt(widths[l - 1])) * s : 0;
        }
        delta = prev;
      }
    }
    jac.push(grads.flat());
  }
  const m = x.m;
  const ntk = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) ntk[i * m + j] = jac[i].reduce((s, v, p) => s + v * jac[j][p], 0);
  return { W, b, forward, jac, ntk, outputs };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number): void {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i]), `entry ${i}`).toBeLessThanOrEqual(rel * scale);
}

describe("empirical NTK by the layer factorization", () => {
  const cases = [
    { widths: [3, 1], sigmaW: 1, sigmaB: 0 },
    { widths: [3, 4, 1], sigmaW: 1.3, sigmaB: 0.4 },
    { widths: [2, 5, 3, 6, 1], sigmaW: Math.SQRT2, sigmaB: 0.1 },
    { widths: [4, 7, 7, 7, 7, 7, 1], sigmaW: 1, sigmaB: 0 },
  ];
  for (const c of cases) {
    it(`equals J Jᵀ of the full Jacobian, widths ${c.widths.join("–")}, σw = ${c.sigmaW.toFixed(2)}, σb = ${c.sigmaB}`, async () => {
      const x = points(5, c.widths[0], 11);
      const seed = 99n;
      const ref = await jacobianReference(x, c.widths, c.sigmaW, c.sigmaB, seed);
      const r = await empiricalKernels({
        points: x,
        depth: c.widths.length - 1,
        width: c.widths.slice(1, -1),
        params: { sigmaW: c.sigmaW, sigmaB: c.sigmaB },
        seed,
      });
      expectClose(r.outputs, ref.outputs, 1e-14);
      expectClose(r.ntk, ref.ntk, 1e-13);
    });
  }

  it("the reference Jacobian is the derivative: central differences on a few parameters", async () => {
    const widths = [3, 4, 4, 1];
    const [sigmaW, sigmaB] = [1.2, 0.3];
    const x = points(2, 3, 5);
    const ref = await jacobianReference(x, widths, sigmaW, sigmaB, 3n);
    const input = x.coords.slice(0, 3);
    // Parameter order per layer: W row-major, then b; layers in order.
    const probes = [
      { layer: 0, bias: false, index: 5 },
      { layer: 1, bias: false, index: 9 },
      { layer: 1, bias: true, index: 2 },
      { layer: 2, bias: false, index: 3 },
      { layer: 2, bias: true, index: 0 },
    ];
    for (const p of probes) {
      let offset = 0;
      for (let l = 0; l < p.layer; l++) offset += widths[l + 1] * widths[l] + widths[l + 1];
      offset += p.bias ? widths[p.layer + 1] * widths[p.layer] + p.index : p.index;
      const h = 1e-6;
      const at = (delta: number) => {
        const W = ref.W.map((w) => w.slice());
        const b = ref.b.map((v) => v.slice());
        (p.bias ? b : W)[p.layer][p.index] += delta;
        return ref.forward(input, W, b).f;
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      expect(Math.abs(fd - ref.jac[0][offset])).toBeLessThan(1e-8 * Math.max(1, Math.abs(fd)));
    }
  });

  it("at L = 1 both kernels are the linear kernel σw² x·x′/n0 + σb² exactly as SPEC §2's Σ^(1)", async () => {
    const x = points(4, 3, 1);
    const r = await empiricalKernels({ points: x, depth: 1, width: 5, params: { sigmaW: 2, sigmaB: 0.5 }, seed: 1 });
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        let dot = 0;
        for (let c = 0; c < 3; c++) dot += x.coords[i * 3 + c] * x.coords[j * 3 + c];
        expect(r.ntk[i * 4 + j]).toBeCloseTo((4 * dot) / 3 + 0.25, 14);
        expect(r.sigma[i * 4 + j]).toBeCloseTo((4 * dot) / 3 + 0.25, 14);
      }
    }
  });

  it("is exactly symmetric with unit normalized diagonal, and the same bits from the SIMD and scalar builds (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 9 }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        async (depth, width, seed) => {
          const x = points(4, 3, Number(seed % 1000n));
          const o = { points: x, depth, width, seed, params: { sigmaW: 1.4, sigmaB: 0.2 } };
          const simd = await empiricalKernels({ ...o, variant: "simd" });
          const scalar = await empiricalKernels({ ...o, variant: "scalar" });
          expect(simd.ntk).toEqual(scalar.ntk);
          expect(simd.sigma).toEqual(scalar.sigma);
          expect(simd.outputs).toEqual(scalar.outputs);
          for (let i = 0; i < 4; i++) {
            expect(simd.ntkNormalized[i * 5]).toBe(1);
            for (let j = 0; j < 4; j++) expect(simd.ntk[i * 4 + j]).toBe(simd.ntk[j * 4 + i]);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("wide layers (the blocked backward product, more than 64 summation indices) give the SIMD build's bits in the scalar build too", async () => {
    const o = { points: points(7, 5, 9), depth: 4, width: [150, 67, 130], seed: 21, params: { sigmaW: 1.4, sigmaB: 0.1 } };
    const simd = await empiricalKernels({ ...o, variant: "simd" });
    const scalar = await empiricalKernels({ ...o, variant: "scalar" });
    expect(simd.ntk).toEqual(scalar.ntk);
    expect(simd.outputs).toEqual(scalar.outputs);
  });

  it("a network dead for an input (σb = 0, width 1, deep) reports it instead of a silent number", async () => {
    const x = points(6, 2, 3);
    let found = false;
    for (let seed = 0; seed < 20 && !found; seed++) {
      const r = await empiricalKernels({ points: x, depth: 12, width: 1, seed });
      if (r.ntkDead.length > 0) {
        found = true;
        const i = r.ntkDead[0];
        expect(r.ntk[i * 6 + i]).toBe(0);
        expect(Number.isNaN(r.ntkNormalized[i * 6 + i])).toBe(true);
      }
    }
    expect(found).toBe(true);
  });
});

describe("bad input", () => {
  const x = points(3, 2, 1);
  it("rejects widths that are not integers ≥ 1, and width lists of the wrong length", async () => {
    await expectCode(() => empiricalKernels({ points: x, depth: 3, width: 0 }), "BAD_WIDTH", /integer ≥ 1/);
    await expectCode(() => empiricalKernels({ points: x, depth: 3, width: 2.5 }), "BAD_WIDTH", /2\.5/);
    await expectCode(() => empiricalKernels({ points: x, depth: 3, width: [4] }), "BAD_WIDTH", /2 hidden layers, but 1/);
    await expectCode(() => empiricalKernels({ points: x, depth: 3, width: [4, -1] }), "BAD_WIDTH", /hidden layer 2/);
  });
  it("rejects bad depths and seeds", async () => {
    await expectCode(() => empiricalKernels({ points: x, depth: 0, width: 3 }), "BAD_DEPTH", /1 to 1,000/);
    await expectCode(() => empiricalKernels({ points: x, depth: 1001, width: 3 }), "BAD_DEPTH", /1 to 1,000/);
    await expectCode(() => empiricalKernels({ points: x, depth: 2, width: 3, seed: -1 }), "BAD_OPTION", /seed/);
    await expectCode(() => empiricalKernels({ points: x, depth: 2, width: 3, seed: 1n << 64n }), "BAD_OPTION", /seed/);
  });
  it("says which width fits when the network does not fit in memory", async () => {
    const e = await rejectionOf(() => empiricalKernels({ points: x, depth: 3, width: 30000 }));
    expect(e.code).toBe("WASM_MEMORY_EXHAUSTED");
    const largest = e.details.largestWidth as number;
    expect(e.message).toContain(`largest uniform width that fits at this depth and batch is ${largest}`);
    const shape = (n: number) => ({ depth: 3, widths: [2, n, n, 1], params: resolveParams({}) });
    expect(8 * planValues(shape(largest), 3, false)).toBeLessThanOrEqual(MAX_WASM_BYTES);
    expect(() => checkPlanFits(shape(largest), 3, false)).not.toThrow();
    expect(() => checkPlanFits(shape(largest + 1), 3, false)).toThrow(/largest uniform width/);
  });
  it("says NON_FINITE when the activations overflow float64 instead of returning Infinity or NaN", async () => {
    await expectCode(() => empiricalKernels({ points: x, depth: 12, width: 3, params: { sigmaW: 1e60 } }), "NON_FINITE", /over- or underflowed/);
  });
  it("rejects points off the sphere", async () => {
    await expectCode(
      () => empiricalKernels({ points: { m: 1, n0: 2, coords: Float64Array.of(1, 1), projection: "none" }, depth: 2, width: 3 }),
      "OFF_SPHERE",
      /unit sphere/,
    );
  });
});
