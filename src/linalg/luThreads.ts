/**
 * LU factorization and solves with many right-hand sides on the thread pool. The steps are those
 * of the one-thread kernels (assembly/lu.ts: luFactorFloat64, luSolve), cut into the same fixed tasks:
 * per panel, the panel on the calling thread, then the block row of U in column ranges and the
 * trailing update in blocks on the workers; solves in ranges of right-hand-side columns. Every
 * entry is computed by one task in a fixed order, so the factors and solutions are the same bits
 * as on one thread.
 */
import type { ThreadPool } from "../threads/pool.js";

interface LuPoolExports {
  memory: WebAssembly.Memory;
  UPDATE_ROWS: { value: number };
  UPDATE_COLS: { value: number };
  BLOCK_ROW_COLS: { value: number };
  SOLVE_COLS: { value: number };
  luPanelWidth(): number;
  luFactorPanel(a: number, n: number, k: number, piv: number): number;
  luPermuteRows(n: number, piv: number, b: number, k: number): void;
}

/** Factors the n × n matrix at byte offset `a` of the pool's memory in place; returns the first zero pivot column or −1. */
export async function luFactorOnPool(pool: ThreadPool, a: number, n: number, piv: number): Promise<number> {
  const ex = pool.engine.exports as unknown as LuPoolExports;
  const nb = ex.luPanelWidth();
  const rowsPerBlock = ex.UPDATE_ROWS.value;
  const colsPerBlock = ex.UPDATE_COLS.value;
  const colsPerRowTask = ex.BLOCK_ROW_COLS.value;
  let firstZero = -1;
  for (let k = 0; k < n; k += nb) {
    const z = ex.luFactorPanel(a, n, k, piv);
    if (z >= 0 && firstZero < 0) firstZero = z;
    const c0 = Math.min(k + nb, n);
    const rowTasks: number[][] = [];
    for (let c = c0; c < n; c += colsPerRowTask) rowTasks.push([a, n, k, c, Math.min(c + colsPerRowTask, n)]);
    await pool.run("luBlockRow", rowTasks);
    const updates: number[][] = [];
    for (let r = c0; r < n; r += rowsPerBlock) {
      for (let c = c0; c < n; c += colsPerBlock) updates.push([a, n, k, r, Math.min(r + rowsPerBlock, n), c, Math.min(c + colsPerBlock, n)]);
    }
    await pool.run("luUpdateBlock", updates);
  }
  return firstZero;
}

/** Solves A X = B in place for the n × k right-hand sides at `b`, with the factors at `a` and pivots at `piv` in the pool's memory. */
export async function luSolveOnPool(pool: ThreadPool, a: number, n: number, piv: number, b: number, k: number): Promise<void> {
  (pool.engine.exports as unknown as LuPoolExports).luPermuteRows(n, piv, b, k);
  await solveColumnsOnPool(pool, "luSolveColumns", a, n, b, k);
}

/**
 * Runs the triangular solves `fn` (luSolveColumns or choleskySolveColumns: arguments a, n, b, k,
 * c0, c1) on ranges of SOLVE_COLS right-hand-side columns, in parallel.
 */
export async function solveColumnsOnPool(pool: ThreadPool, fn: string, a: number, n: number, b: number, k: number): Promise<void> {
  const width = (pool.engine.exports as unknown as LuPoolExports).SOLVE_COLS.value;
  const tasks: number[][] = [];
  for (let c = 0; c < k; c += width) tasks.push([a, n, b, k, c, Math.min(c + width, k)]);
  await pool.run(fn, tasks);
}
