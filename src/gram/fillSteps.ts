/**
 * The steps every float64 Gram fill shares (the direct loop of ./float64.ts and the depth maps of
 * ./depthMapGram.ts), each on the calling thread or spread over a thread pool in fixed blocks:
 * the layer-1 complements (blocks of GRAM_INIT_BLOCK rows × GRAM_INIT_BLOCK rows) and the output
 * matrices (ranges of rows); the per-pair kernels in between run on fixed ranges of packed pairs. Every block is
 * computed whole by one call of the same kernel, so the bits do not depend on the thread count.
 */
import type { ThreadPool } from "../threads/pool.js";
import type { WasmEngine } from "../wasm/engine.js";

/** Rows of the output matrices per task when the pool unpacks them. */
const UNPACK_ROWS_PER_TASK = 64;

interface FillExports {
  GRAM_INIT_BLOCK: { value: number };
  gramInitialComplement(coords: number, m: number, n0: number, c1: number, twoBias: number, eps: number, u: number): void;
  gramUnpack(packed: number, m: number, out: number, diagonal: number, fromComplement: number): void;
}

/**
 * Layer 1 of every pair into the packed arrays: ε_1 = c1 (1 − x_i·x_j) to `eps`, θ_1 = arccos Σ̄^(1)
 * to `u` (from 1 + Σ̄^(1) = twoBias + c1 (1 + x_i·x_j) where that is the accurate side; twoBias =
 * 2σb²/q_1). Coords row-major m × n0 at `coords`.
 */
export function fillInitialComplements(
  engine: WasmEngine,
  pool: ThreadPool | null,
  coords: number,
  m: number,
  n0: number,
  c1: number,
  twoBias: number,
  eps: number,
  u: number,
): void | Promise<void> {
  const ex = engine.exports as unknown as FillExports;
  // Synchronous on one thread, so a run on the shared engine never yields with its state in memory.
  if (!pool) return ex.gramInitialComplement(coords, m, n0, c1, twoBias, eps, u);
  const blocks = Math.ceil(m / ex.GRAM_INIT_BLOCK.value);
  const tasks: number[][] = [];
  for (let bi = 0; bi < blocks; bi++) for (let bj = bi; bj < blocks; bj++) tasks.push([coords, m, n0, c1, twoBias, eps, u, bi, bj]);
  return pool.run("gramInitialBlock", tasks);
}

/**
 * The full m × m matrix of the packed pair values at `packed` (1 − value when `fromComplement`,
 * `diagonal` on the diagonal), written at `out` and returned as a new array (synchronously
 * without a pool).
 */
export function unpackMatrix(
  engine: WasmEngine,
  pool: ThreadPool | null,
  packed: number,
  m: number,
  out: number,
  diagonal: number,
  fromComplement: number,
): Float64Array | Promise<Float64Array> {
  if (pool) {
    const tasks: number[][] = [];
    for (let r = 0; r < m; r += UNPACK_ROWS_PER_TASK) tasks.push([packed, m, out, diagonal, fromComplement, r, Math.min(m, r + UNPACK_ROWS_PER_TASK)]);
    return pool.run("gramUnpackRows", tasks).then(() => engine.f64(out, m * m).slice());
  }
  (engine.exports as unknown as FillExports).gramUnpack(packed, m, out, diagonal, fromComplement);
  return engine.f64(out, m * m).slice();
}
