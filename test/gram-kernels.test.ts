/**
 * The float64 Gram fill's `kernels` option: "ntk" and "nngp" return the bits of "both" for the
 * kernel asked for and null for the other, with the same diagonals and lost-complement masks, on
 * every path (direct loop, depth maps, one thread and the pool, the plain backend, layer 1, past the
 * fixed point); bad values are BAD_OPTION; kernelMatrixFloat64 says which kernel a result lacks.
 * The resolved fill's `columns` (for predictions) returns the left columns of each matrix, same bits.
 */
import { describe, expect, it } from "vitest";
import {
  gramFloat64Resolved,
  gramThroughDepthFloat64,
  kernelMatrixFloat64,
  type GramFloat64Options,
  type GramKernels,
  type GramResultFloat64,
} from "../src/gram/float64.js";
import { resolveParams } from "../src/params.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { rejectionOf } from "./support/errors.js";

function rawCoords(count: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** m points in dimension n0, with a close pair and an antipodal pair when m ≥ 3. */
function pointsOf(m: number, n0: number, seed: number) {
  const coords = rawCoords(m * n0, seed);
  if (m >= 3) {
    for (let c = 0; c < n0; c++) {
      coords[n0 + c] = coords[c] + 1e-9 * (c % 2);
      coords[2 * n0 + c] = -coords[c];
    }
  }
  return projectToSphereFloat64({ m, n0, coords }, "normalize");
}

function bytes(a: Float64Array | Uint8Array | null): Buffer | null {
  return a === null ? null : Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** `part` holds the bits of `both` for the kernels it was asked for, and null for the others. */
function expectSameBits(both: GramResultFloat64, part: GramResultFloat64<GramKernels>, kernels: "ntk" | "nngp"): void {
  expect(part.grams.map((g) => g.depthExact)).toEqual(both.grams.map((g) => g.depthExact));
  expect([part.method, part.fixedPointFrom]).toEqual([both.method, both.fixedPointFrom]);
  both.grams.forEach((b, i) => {
    const g = part.grams[i]!;
    expect([g.m, g.log2Scale, g.sigmaDiag, g.ntkDiag]).toEqual([b.m, b.log2Scale, b.sigmaDiag, b.ntkDiag]);
    expect(bytes(g.lostToZero)?.equals(bytes(b.lostToZero)!) ?? b.lostToZero === null).toBe(true);
    const asked = kernels === "ntk" ? [g.ntkNormalized, g.oneMinusNtkNormalized] : [g.sigmaNormalized, g.oneMinusSigmaNormalized];
    const reference = kernels === "ntk" ? [b.ntkNormalized, b.oneMinusNtkNormalized] : [b.sigmaNormalized, b.oneMinusSigmaNormalized];
    const other = kernels === "ntk" ? [g.sigmaNormalized, g.oneMinusSigmaNormalized] : [g.ntkNormalized, g.oneMinusNtkNormalized];
    asked.forEach((a, k) => expect(bytes(a)!.equals(bytes(reference[k]!)!)).toBe(true));
    expect(other).toEqual([null, null]);
  });
}

describe("kernels: the asked kernel's matrices have the bits of both", () => {
  // m = 183 in dimension 2048 is above the pool's threshold for both methods: 2 threads use it. 183
  // is no multiple of the 32-row unpack tiles nor of the 64 rows a pool task unpacks.
  it.each([
    { label: "direct, m = 1", m: 1, n0: 3, options: { depths: [1, 2, 9], method: "direct" } },
    { label: "direct, m = 2", m: 2, n0: 3, options: { depths: [1, 5], method: "direct" } },
    { label: "direct, m = 33, layer 1 and deeper", m: 33, n0: 5, options: { depths: [1, 2, 57], method: "direct" } },
    { label: "jump, m = 33", m: 33, n0: 5, options: { depths: [1, 1000, 10n ** 15n], method: "jump" } },
    { label: "direct, m = 183, 2 threads", m: 183, n0: 2048, options: { depths: [1, 3], method: "direct", threads: 2 } },
    { label: "direct, m = 183, 1 thread", m: 183, n0: 2048, options: { depths: [1, 3], method: "direct", threads: 1 } },
    { label: "jump, m = 183, 2 threads", m: 183, n0: 2048, options: { depths: [4, 10 ** 6], method: "jump", threads: 2 } },
    { label: "jump, m = 183, 1 thread", m: 183, n0: 2048, options: { depths: [4, 10 ** 6], method: "jump", threads: 1 } },
    { label: "plain backend, m = 33", m: 33, n0: 5, options: { depths: [1, 40], backend: "plain" } },
    // σb > 0, σw = 1: complements lost below 2^-1022 (a mask) and the fixed point (copies of one unpacking).
    { label: "σb > 0: lost complements, fixed point", m: 35, n0: 4, options: { depths: [3, 5000, 10 ** 8], params: { sigmaW: 1, sigmaB: 0.5 } } },
  ] satisfies { label: string; m: number; n0: number; options: Omit<GramFloat64Options, "points"> }[])("$label", async ({ m, n0, options }) => {
    const points = pointsOf(m, n0, m * 7 + n0);
    const both = await gramThroughDepthFloat64({ ...options, points });
    for (const kernels of ["ntk", "nngp"] as const) expectSameBits(both, await gramThroughDepthFloat64({ ...options, points, kernels }), kernels);
    expect(both.grams.some((g) => g.lostToZero !== null)).toBe("params" in options);
  });

  it('"both" is the default', async () => {
    const points = pointsOf(5, 3, 1);
    const [a, b] = await Promise.all([gramThroughDepthFloat64({ points, depths: [7] }), gramThroughDepthFloat64({ points, depths: [7], kernels: "both" })]);
    expect(b.grams[0]).toEqual(a.grams[0]);
    expect(a.grams[0]!.sigmaNormalized).toBeInstanceOf(Float64Array);
  });
});

describe("kernels: errors", () => {
  const points = pointsOf(4, 3, 2);
  it.each(["theta", "", "NTK", 2, {}])("BAD_OPTION for kernels = %s", async (kernels) => {
    const e = await rejectionOf(() => gramThroughDepthFloat64({ points, depths: [3], kernels: kernels as GramKernels }));
    expect(e.code).toBe("BAD_OPTION");
    expect(e.message).toMatch(/^kernels \(which kernels' matrices to return\) must be "both", "ntk" or "nngp", got /);
  });

  it("kernelMatrixFloat64 names the kernel a result lacks and serves the one it holds", async () => {
    const [ntk] = (await gramThroughDepthFloat64({ points, depths: [3], kernels: "ntk" })).grams;
    const e = await rejectionOf(() => kernelMatrixFloat64(ntk!, "nngp", true));
    expect([e.code, e.message]).toEqual(["BAD_ARGUMENT", 'g holds no NNGP matrix: compute it with kernels "nngp" or "both".']);
    expect(kernelMatrixFloat64(ntk!, "ntk", false).matrix[1]).toBe(ntk!.ntkNormalized[1]! * ntk!.ntkDiag);
    const [nngp] = (await gramThroughDepthFloat64({ points, depths: [3], kernels: "nngp" })).grams;
    expect((await rejectionOf(() => kernelMatrixFloat64(nngp!, "ntk", true))).message).toMatch(/no NTK matrix/);
  });
});

describe("columns (the resolved fill, for predictions): the first c columns of every matrix, same bits", () => {
  /** The first c columns of the m × m row-major `a`. */
  const left = (a: Float64Array, m: number, c: number): Float64Array => {
    const out = new Float64Array(m * c);
    for (let i = 0; i < m; i++) for (let j = 0; j < c; j++) out[i * c + j] = a[i * m + j]!;
    return out;
  };
  it.each([
    { label: "direct, m = 183, 2 threads", m: 183, n0: 2048, c: 150, method: "direct", threads: 2, backend: "wasm", kernels: "ntk" },
    { label: "jump, m = 183, 2 threads", m: 183, n0: 2048, c: 1, method: "jump", threads: 2, backend: "wasm", kernels: "nngp" },
    { label: "direct, m = 33, 1 thread", m: 33, n0: 5, c: 32, method: "direct", threads: 1, backend: "wasm", kernels: "both" },
    { label: "plain backend, m = 33", m: 33, n0: 5, c: 17, method: "direct", threads: 1, backend: "plain", kernels: "ntk" },
  ] as const)("$label, c = $c, kernels $kernels", async ({ m, n0, c, method, threads, backend, kernels }) => {
    const points = pointsOf(m, n0, 3);
    const base = { points, params: resolveParams(undefined), depths: [1n, 3n], threads, backend, method } as const;
    const [whole, part] = [await gramFloat64Resolved(base), await gramFloat64Resolved({ ...base, kernels, columns: c })];
    whole.grams.forEach((w, i) => {
      const g = part.grams[i]!;
      const names = ["sigmaNormalized", "oneMinusSigmaNormalized", "ntkNormalized", "oneMinusNtkNormalized"] as const;
      for (const name of names) {
        const a = g[name];
        if (a === null) expect(kernels).not.toBe("both");
        else expect(bytes(a)!.equals(bytes(left(w[name], m, c))!)).toBe(true);
      }
    });
  });

  it("gramThroughDepthFloat64 returns whole matrices whatever it is given", async () => {
    const points = pointsOf(6, 3, 4);
    const { grams } = await gramThroughDepthFloat64({ points, depths: [2], ...({ columns: 2 } as object) });
    expect(grams[0]!.ntkNormalized).toHaveLength(36);
  });
});
