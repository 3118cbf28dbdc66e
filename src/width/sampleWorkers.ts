/**
 * A Monte Carlo runner (monteCarlo.ts) that spreads the networks over Node worker threads: each
 * network is computed whole by one worker, handed out one at a time to whichever worker is free,
 * and stored by its index, so the statistics (reduced in seed order) are the same bits for any
 * number of threads. Node only: not part of the browser bundle. When this module runs from the
 * TypeScript sources (tsx, vitest), the worker registers tsx's loader before importing its source.
 */
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { NtkError, type NtkErrorCode } from "../errors.js";
import { throwIfAborted } from "../progress.js";
import type { SampleRunner } from "./monteCarlo.js";

/** The default thread count: the machine's available parallelism. */
export function defaultThreads(): number {
  return availableParallelism();
}

function startWorker(): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const url = new URL(fromSource ? "./sampleWorker.ts" : "./sampleWorker.js", import.meta.url);
  if (!fromSource) return new Worker(url);
  const boot = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { eval: true });
}

/**
 * A runner on `threads` worker threads (integer ≥ 1; never more than there are networks).
 * Throws `BAD_OPTION` for a bad thread count, `ABORTED` when the signal fires (the workers are
 * terminated), and rethrows a worker's `NtkError` with its code.
 */
export function sampleWorkerRunner(threads: number = defaultThreads()): SampleRunner {
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new NtkError("BAD_OPTION", `threads must be an integer from 1 to 256, got ${threads}.`, { threads });
  }
  return (job, indices, onSample, signal) =>
    new Promise<void>((resolve, reject) => {
      throwIfAborted(signal);
      const queue = [...indices];
      const workers: Worker[] = [];
      let remaining = indices.length;
      let finished = false;
      const finish = (error?: unknown) => {
        if (finished) return;
        finished = true;
        signal?.removeEventListener("abort", onAbort);
        for (const w of workers) void w.terminate();
        if (error) reject(error);
        else resolve();
      };
      const onAbort = () => {
        try {
          throwIfAborted(signal);
        } catch (e) {
          finish(e);
        }
      };
      signal?.addEventListener("abort", onAbort);
      if (remaining === 0) return finish();
      for (let t = 0; t < Math.min(threads, indices.length); t++) {
        const worker = startWorker();
        workers.push(worker);
        const next = () => {
          const index = queue.shift();
          if (index !== undefined) worker.postMessage({ index });
        };
        worker.on(
          "message",
          (msg: {
            ready?: true;
            index?: number;
            ntk?: Float64Array;
            sigma?: Float64Array;
            error?: { message: string; code?: NtkErrorCode; details?: Record<string, unknown> };
          }) => {
            if (finished) return;
            if (msg.error)
              return finish(msg.error.code ? new NtkError(msg.error.code, msg.error.message, msg.error.details ?? {}) : new Error(msg.error.message));
            if (msg.ready) return next();
            onSample(msg.index!, { ntk: msg.ntk!, sigma: msg.sigma! });
            if (--remaining === 0) return finish();
            next();
          },
        );
        worker.on("error", (e) => finish(e));
        worker.postMessage({ job });
      }
    });
}
