/**
 * Gram matrices at any depth for σb = 0 (SPEC §9) at a cost independent of L: the layer-1
 * complements 1 − x_i·x_j of every pair (./fillSteps.ts, as the direct loop starts), then, per requested depth,
 * the tabulated depth-L maps of `../depth/depthMap.ts` applied to every pair. Results have the
 * shape of the direct loop's (`./float64.ts`), with the raw diagonals in closed form.
 *
 * Cost: m(m−1)/2 · n0 for the complements (per depth), then per depth ~1 000 jumps for the table
 * and a few tens of ns a pair; on a thread pool when given. Accuracy: the complements 1 − Σ̄, 1 − Θ̄ within 1e-12 relative of the direct
 * recursion (test/depth-map.test.ts), Σ̄ and Θ̄ within that plus an ulp of 1.
 */
import type { ResolvedParams } from "../params.js";
import type { ProgressOptions } from "../progress.js";
import { ProgressTicker } from "../progress.js";
import type { ThreadPool } from "../threads/pool.js";
import type { SpherePoints } from "../types.js";
import type { WasmEngine } from "../wasm/engine.js";
import { fillInitialComplements, unpackKernels, unpackWithComplement } from "./fillSteps.js";
import { buildDepthMapFloat64, depthMapFillFloat64, depthMapLength } from "../depth/depthMap.js";
import { rawDiagonalFloat64 } from "../depth/float64.js";
import type { GramAtDepthFloat64, GramKernels } from "./result.js";

/** Pairs per fill call (per task on the pool): a few ms, so that progress and cancellation stay responsive. */
const PAIRS_PER_CALL = 1 << 16;
/** Fill tasks per pool run, per thread. */
const TASKS_PER_THREAD = 4;

/**
 * Σ̄, 1 − Σ̄, Θ̄, 1 − Θ̄ (those of `kernels`, null for the other kernel; the first `columns` columns
 * of each), the lost-complement masks and the raw diagonals at each depth (ascending, exact) by the depth maps.
 * σb must be 0 (the caller checks). `largestFitting` words the memory error as the direct path does.
 * With `pool` (whose engine `engine` is) the layer-1 blocks, the pair ranges and the output rows
 * run on its workers, with the same bits as on one thread.
 */
export async function gramByDepthMap(
  engine: WasmEngine,
  pool: ThreadPool | null,
  points: SpherePoints,
  params: ResolvedParams,
  depths: readonly bigint[],
  kernels: GramKernels,
  columns: number,
  o: ProgressOptions,
  largestFitting: (bytes: number) => string,
): Promise<GramAtDepthFloat64<GramKernels>[]> {
  const { m, n0 } = points;
  const pairs = (m * (m - 1)) / 2;
  const tableLength = Math.max(...depths.map(depthMapLength));
  const ticker = new ProgressTicker(o, pairs * depths.length, 1);
  const results: GramAtDepthFloat64<GramKernels>[] = [];
  let done = 0;
  for (const depth of depths) {
    const map = buildDepthMapFloat64(engine, depth);
    // Reserved after the build, which uses the engine's scratch space; so ε_1 is formed again for
    // each depth, in place (two pair arrays, as the direct loop: the same largest m).
    const [eps, u, out, coords, table] = engine.reserve(
      [pairs, pairs, m * m, m * n0, tableLength],
      `the Gram matrices of ${m} points in dimension ${n0}`,
      largestFitting,
    );
    engine.f64(coords!, m * n0).set(points.coords);
    // σb = 0: c1 = 1, ε_1 = 1 − x_i·x_j, and θ_1 in u.
    await fillInitialComplements(engine, pool, coords!, m, n0, 1, 0, eps!, u!);
    engine.f64(table!, map.coefficients.length).set(map.coefficients);
    const perCall = PAIRS_PER_CALL * (pool ? TASKS_PER_THREAD * pool.threads : 1);
    for (let start = 0; start < pairs; start += perCall) {
      const end = Math.min(pairs, start + perCall);
      if (pool) {
        const tasks: number[][] = [];
        for (let s = start; s < end; s += PAIRS_PER_CALL)
          tasks.push([eps!, u!, s, Math.min(s + PAIRS_PER_CALL, end), table!, map.geometricPieces, map.uniformPieces]);
        await pool.run("depthMapFill", tasks);
      } else {
        depthMapFillFloat64(engine, map, table!, eps!, u!, start, end);
      }
      done += end - start;
      const pause = ticker.tick(done);
      if (pause) await pause;
    }
    // Read before the next depth reserves (and overwrites) the pair arrays.
    const packed = { eps: eps!, u: u!, epsValues: engine.f64(eps!, pairs), uValues: engine.f64(u!, pairs) };
    const matrices = await unpackKernels(points, kernels, false, packed, (p) => unpackWithComplement(engine, pool, p, m, out!, columns));
    const raw = rawDiagonalFloat64(params, n0, depth);
    results.push({
      depth: Number(depth),
      depthExact: depth,
      m,
      ...matrices,
      log2Scale: raw.log2Scale,
      sigmaDiag: raw.sigmaDiag,
      ntkDiag: raw.ntkDiag,
    });
  }
  ticker.finish();
  return results;
}
