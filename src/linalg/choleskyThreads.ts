/**
 * The blocked Cholesky factorization on the thread pool. The steps are those of the one-thread
 * kernel (assembly/cholesky.ts: choleskyFactor), cut into the same fixed tasks: per panel, the
 * diagonal block on the calling thread, then the rows below it in ranges and the trailing update
 * (blocks meeting the lower triangle) on the workers. Every entry is computed by one task in a
 * fixed order, so the factor is the same bits as on one thread.
 */
import type { ThreadPool } from "../threads/pool.js";

interface CholeskyPoolExports {
  CHOLESKY_PANEL: { value: number };
  CHOLESKY_PANEL_ROWS: { value: number };
  CHOLESKY_UPDATE_ROWS: { value: number };
  CHOLESKY_UPDATE_COLS: { value: number };
  choleskyFactorDiagonal(a: number, n: number, k: number): number;
}

/** Factors the n × n matrix at byte offset `a` of the pool's memory in place; returns −1 or the first column whose pivot is not positive. */
export async function choleskyFactorOnPool(pool: ThreadPool, a: number, n: number): Promise<number> {
  const ex = pool.engine.exports as unknown as CholeskyPoolExports;
  const nb = ex.CHOLESKY_PANEL.value;
  const rowsPerBlock = ex.CHOLESKY_UPDATE_ROWS.value;
  const colsPerBlock = ex.CHOLESKY_UPDATE_COLS.value;
  const panelRows = ex.CHOLESKY_PANEL_ROWS.value;
  for (let k = 0; k < n; k += nb) {
    const failed = ex.choleskyFactorDiagonal(a, n, k);
    if (failed >= 0) return failed;
    const r0 = Math.min(k + nb, n);
    const rowTasks: number[][] = [];
    for (let r = r0; r < n; r += panelRows) rowTasks.push([a, n, k, r, Math.min(r + panelRows, n)]);
    await pool.run("choleskyPanelRows", rowTasks);
    const updates: number[][] = [];
    for (let r = r0; r < n; r += rowsPerBlock) {
      const r1 = Math.min(r + rowsPerBlock, n);
      for (let c = r0; c < r1; c += colsPerBlock) updates.push([a, n, k, r, r1, c, Math.min(c + colsPerBlock, r1)]);
    }
    await pool.run("choleskyUpdateBlock", updates);
  }
  return -1;
}
