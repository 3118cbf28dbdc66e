/**
 * The output matrices of the float64 Gram paths (issue 9): the tiled WebAssembly unpack
 * (gramUnpackRows and gramComplementRows, through unpackWithComplement) gives bit for bit the
 * matrices of the plain reference unpack (plainGramUnpack: 1 − ε with 1 on the diagonal, and ε with
 * 0 on it) for awkward m (1, 2, around the 32-row tiles and the 64-row pool tasks, non-multiples),
 * for any cut of the rows into ranges, in the SIMD and scalar builds, on one thread and on pools.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededUniform } from "../src/data/randomData.js";
import { unpackWithComplement, type KernelAndComplement } from "../src/gram/fillSteps.js";
import { plainGramUnpack } from "../src/gram/plain.js";
import { acquirePool } from "../src/threads/pool.js";
import { loadPrivateWasmEngine, type WasmEngine } from "../src/wasm/engine.js";

const AWKWARD_M = [1, 2, 3, 31, 32, 33, 63, 64, 65, 100, 129];
const VARIANTS = ["simd", "scalar"] as const;

interface UnpackExports {
  gramUnpackRows(packed: number, m: number, out: number, r0: number, r1: number): void;
  gramComplementRows(out: number, m: number, r0: number, r1: number): void;
}

/** Packed pair values as the Gram state holds them (ε or u in [0, 2]), with exact zeros, −0, subnormals and 2 among them. */
function packedValues(m: number, seed: number): Float64Array {
  const next = seededUniform(seed);
  const special = [0, -0, 2, Number.MIN_VALUE, 2 ** -1030, 1];
  return Float64Array.from({ length: (m * (m - 1)) / 2 }, (_, k) => (k % 7 === 3 ? special[k % special.length]! : 2 * next()));
}

/** [kernel, complement] by the plain reference unpack. */
function reference(packed: Float64Array, m: number): KernelAndComplement {
  const kernel = new Float64Array(m * m);
  const complement = new Float64Array(m * m);
  plainGramUnpack(packed, m, kernel, 1, true);
  plainGramUnpack(packed, m, complement, 0, false);
  return [kernel, complement];
}

/** The first entry (matrix k, index i) whose bits differ, or null when every bit agrees (a byte comparison, fast where toEqual on large arrays is slow). */
function firstDifference(got: readonly Float64Array[], want: readonly Float64Array[]): string | null {
  const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  for (let k = 0; k < want.length; k++) {
    if (bytes(got[k]!).equals(bytes(want[k]!))) continue;
    const i = want[k]!.findIndex((x, j) => !Object.is(x, got[k]![j]));
    return `matrix ${k}, entry ${i}: ${got[k]![i]} instead of ${want[k]![i]}`;
  }
  return null;
}

/** The packed values placed in `engine`'s memory, with room for one m × m matrix. */
function place(engine: WasmEngine, packed: Float64Array, m: number): { packedAt: number; out: number } {
  const [packedAt, out] = engine.reserve([packed.length, m * m]);
  engine.f64(packedAt!, packed.length).set(packed);
  return { packedAt: packedAt!, out: out! };
}

/** Row boundaries 0 = b_0 < … < b_k = m from arbitrary cut points. */
function rowRanges(m: number, cuts: number[]): [number, number][] {
  const bounds = [...new Set([0, m, ...cuts.map((c) => c % (m + 1))])].sort((a, b) => a - b);
  return bounds.slice(1).map((end, i) => [bounds[i]!, end]);
}

describe("the tiled unpack equals the plain reference unpack bit for bit", () => {
  it.each(VARIANTS)("%s build, one thread, m = 1, 2, 3, 31 … 33, 63 … 65, 100, 129", async (variant) => {
    const engine = await loadPrivateWasmEngine(variant);
    for (const m of AWKWARD_M) {
      const packed = packedValues(m, m);
      const { packedAt, out } = place(engine, packed, m);
      const got = unpackWithComplement(engine, null, packedAt, m, out) as KernelAndComplement;
      expect(firstDifference(got, reference(packed, m)), `m = ${m}`).toBeNull();
    }
  });

  it("for any cut of the rows into ranges, each range written by its own call in any order", async () => {
    const engines = await Promise.all(VARIANTS.map((v) => loadPrivateWasmEngine(v)));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 150 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        async (m, unpackCuts, complementCuts, backwards) => {
          const packed = packedValues(m, 1000 + m);
          const [kernel, complement] = reference(packed, m);
          for (const engine of engines) {
            const ex = engine.exports as unknown as UnpackExports;
            const { packedAt, out } = place(engine, packed, m);
            const order = <T>(a: T[]): T[] => (backwards ? a.reverse() : a);
            for (const [r0, r1] of order(rowRanges(m, unpackCuts))) ex.gramUnpackRows(packedAt, m, out, r0, r1);
            expect(firstDifference([engine.f64(out, m * m)], [complement])).toBeNull();
            for (const [r0, r1] of order(rowRanges(m, complementCuts))) ex.gramComplementRows(out, m, r0, r1);
            expect(firstDifference([engine.f64(out, m * m)], [kernel])).toBeNull();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it.each([1, 2, 3])("on a pool of %i worker(s)", async (threads) => {
    const lease = await acquirePool(threads);
    try {
      const engine = lease.pool.engine;
      for (const m of [1, 33, 65, 129, 200]) {
        const packed = packedValues(m, 7 * m);
        const { packedAt, out } = place(engine, packed, m);
        const got = await unpackWithComplement(engine, lease.pool, packedAt, m, out);
        expect(firstDifference(got, reference(packed, m)), `m = ${m}`).toBeNull();
      }
    } finally {
      lease.release();
    }
  });
});
