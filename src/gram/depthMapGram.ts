/**
 * Gram matrices at any depth for σb = 0 (SPEC §9) at a cost independent of L: the layer-1
 * complements |x_i − x_j|²/2 of every pair (as the direct loop starts), then, per requested depth,
 * the tabulated depth-L maps of `../depth/depthMap.ts` applied to every pair. Results have the
 * shape of the direct loop's (`./float64.ts`), with the raw diagonals in closed form.
 *
 * Cost: m(m−1)/2 · n0 for the complements, then per depth ~1 000 jumps for the table and a few
 * tens of ns a pair. Accuracy: the complements 1 − Σ̄, 1 − Θ̄ within 1e-12 relative of the direct
 * recursion (test/depth-map.test.ts), Σ̄ and Θ̄ within that plus an ulp of 1.
 */
import type { ResolvedParams } from "../params.js";
import type { ProgressOptions } from "../progress.js";
import { ProgressTicker } from "../progress.js";
import type { SpherePoints } from "../types.js";
import type { WasmEngine } from "../wasm/engine.js";
import { buildDepthMap64, depthMapFillFloat64, depthMapLength } from "../depth/depthMap.js";
import { rawDiagonalFloat64 } from "../depth/float64.js";
import type { GramAtDepth64 } from "./float64.js";

/** Pairs per fill call: a few ms, so that progress and cancellation stay responsive. */
const PAIRS_PER_CALL = 1 << 16;

interface GramMapExports {
  gramInitialComplement(coords: number, m: number, n0: number, c1: number, eps: number, u: number): void;
  gramUnpack(packed: number, m: number, out: number, diagonal: number, fromComplement: number): void;
}

/**
 * Σ̄, 1 − Σ̄, Θ̄, 1 − Θ̄ and the raw diagonals at each depth (ascending, exact) by the depth maps.
 * σb must be 0 (the caller checks). `largestFitting` words the memory error as the direct path does.
 */
export async function gramByDepthMap(
  engine: WasmEngine,
  points: SpherePoints,
  params: ResolvedParams,
  depths: readonly bigint[],
  o: ProgressOptions,
  largestFitting: (bytes: number) => string,
): Promise<GramAtDepth64[]> {
  const { m, n0 } = points;
  const pairs = (m * (m - 1)) / 2;
  const ex = engine.exports as unknown as GramMapExports;
  const tableLength = Math.max(...depths.map(depthMapLength));
  const ticker = new ProgressTicker(o, pairs * depths.length, 1);
  const results: GramAtDepth64[] = [];
  let done = 0;
  for (const depth of depths) {
    const map = buildDepthMap64(engine, depth);
    // Reserved after the build, which uses the engine's scratch space.
    const [first, eps, u, out, coords, table] = engine.reserve(
      [pairs, pairs, pairs, m * m, m * n0, tableLength],
      `the Gram matrices of ${m} points in dimension ${n0}`,
      largestFitting,
    );
    engine.f64(coords!, m * n0).set(points.coords);
    // σb = 0: c1 = 1, ε_1 = |x_i − x_j|²/2.
    ex.gramInitialComplement(coords!, m, n0, 1, first!, u!);
    engine.f64(eps!, pairs).set(engine.f64(first!, pairs));
    engine.f64(table!, map.coefficients.length).set(map.coefficients);
    for (let start = 0; start < pairs; start += PAIRS_PER_CALL) {
      const end = Math.min(pairs, start + PAIRS_PER_CALL);
      depthMapFillFloat64(engine, map, table!, eps!, u!, start, end);
      done += end - start;
      const pause = ticker.tick(done);
      if (pause) await pause;
    }
    const unpack = (packed: number, diagonal: number, fromComplement: number): Float64Array => {
      ex.gramUnpack(packed, m, out!, diagonal, fromComplement);
      return engine.f64(out!, m * m).slice();
    };
    const raw = rawDiagonalFloat64(params, n0, depth);
    results.push({
      depth: Number(depth),
      depthExact: depth,
      m,
      sigmaNormalized: unpack(eps!, 1, 1),
      oneMinusSigmaNormalized: unpack(eps!, 0, 0),
      ntkNormalized: unpack(u!, 1, 1),
      oneMinusNtkNormalized: unpack(u!, 0, 0),
      log2Scale: raw.log2Scale,
      sigmaDiag: raw.sigmaDiag,
      ntkDiag: raw.ntkDiag,
    });
  }
  ticker.finish();
  return results;
}
