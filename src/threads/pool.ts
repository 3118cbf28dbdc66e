/**
 * A pool of worker threads (worker_threads in Node, Web Workers in browsers) that run the kernels
 * of the shared-memory WebAssembly build over one memory. A parallel step is a list of tasks, each
 * the arguments of one call of an exported kernel; workers take tasks one at a time from a shared
 * counter until none is left. Bit-identical results for any number of threads follow from how
 * callers cut the work: every task is computed entirely by one thread, with the same arithmetic
 * whichever thread runs it, and the tasks (their sizes and boundaries) never depend on the number
 * of threads. Only the order in which tasks finish does.
 */
import { NtkError } from "../errors.js";
import { loadSharedWasmEngine, type WasmEngine, type WasmVariant } from "../wasm/engine.js";
import { hardwareThreads, sharedMemoryAvailable, startWorker, type PoolWorker } from "./platform.js";

/** Most threads a pool may have (the WebAssembly module has this many scratch slots, one of them the main thread's). */
export const MAX_THREADS = 63;

/** Arguments of one call of a kernel: numbers (byte offsets, sizes, scalars). */
export type Task = readonly number[];

/**
 * Data a lease leaves in a pool's memory for its owner to use again (a Cholesky factor between its
 * factorization and its solves), instead of copying it out: before another caller may overwrite
 * that memory, the pool calls `evict` so that the owner copies out what it still needs. The pool
 * holds its tenant weakly: an owner nobody refers to any more has nothing to save.
 */
export interface PoolTenant {
  /** Copies the tenant's data out of `pool`'s memory (still intact when this is called). */
  evict(pool: ThreadPool): void;
}

/** A pool of `threads` workers over one shared WebAssembly memory. */
export class ThreadPool {
  /** Number of workers. */
  readonly threads: number;
  /** The main thread's instance over the shared memory: reserve buffers and read results with it. */
  readonly engine: WasmEngine;
  private readonly workers: PoolWorker[];
  private readonly counter = new Int32Array(new SharedArrayBuffer(4));
  private pending: { left: number; errors: string[]; done: () => void } | null = null;
  private tenant: WeakRef<PoolTenant> | null = null;

  private constructor(threads: number, engine: WasmEngine, workers: PoolWorker[]) {
    this.threads = threads;
    this.engine = engine;
    this.workers = workers;
    for (const w of workers) w.onReply((reply) => this.reply(reply));
  }

  /** Starts `threads` workers, each instantiating the shared build over the same memory. */
  static async start(threads: number, variant: WasmVariant): Promise<ThreadPool> {
    const { engine, module, memory } = await loadSharedWasmEngine(variant);
    const workers = await Promise.all(Array.from({ length: threads }, () => startWorker()));
    const pool = new ThreadPool(threads, engine, workers);
    await pool.broadcast((w, slot) => w.post({ module, memory, slot: slot + 1 }));
    return pool;
  }

  /**
   * Runs `fn(...task)` for every task, spread over the workers; resolves when all are done.
   * The main thread only waits (its event loop stays free: progress, cancellation).
   */
  run(fn: string, tasks: readonly Task[]): Promise<void> {
    if (tasks.length === 0) return Promise.resolve();
    Atomics.store(this.counter, 0, 0);
    const busy = this.workers.slice(0, Math.min(this.threads, tasks.length));
    return this.broadcast((w) => w.post({ fn, tasks, counter: this.counter }), busy);
  }

  private broadcast(send: (w: PoolWorker, index: number) => void, workers = this.workers): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const errors: string[] = [];
      this.pending = {
        left: workers.length,
        errors,
        done: () => {
          for (const w of workers) w.hold(false);
          this.pending = null;
          if (errors.length > 0) reject(new Error(`ntk-depth worker failed: ${errors[0]}`));
          else resolve();
        },
      };
      workers.forEach((w, i) => {
        w.hold(true);
        send(w, i);
      });
    });
  }

  private reply(reply: { ok: boolean; error?: string }): void {
    const p = this.pending;
    if (!p) return;
    if (!reply.ok) p.errors.push(reply.error ?? "unknown error");
    if (--p.left === 0) p.done();
  }

  /** Whether the memory still holds what `tenant` left there ({@link keepFor}): nobody else has acquired the pool since. */
  holds(tenant: PoolTenant): boolean {
    return this.tenant?.deref() === tenant;
  }

  /** Marks the memory as holding `tenant`'s data, for the leaseholder to call before it releases the pool. */
  keepFor(tenant: PoolTenant): void {
    this.tenant = new WeakRef(tenant);
  }

  /** Hands the memory to a caller other than its tenant: the tenant, if still referred to, copies its data out first. */
  evictTenant(): void {
    this.tenant?.deref()?.evict(this);
    this.tenant = null;
  }

  /** Stops the workers; the pool cannot be used afterwards. */
  terminate(): void {
    for (const w of this.workers) w.terminate();
  }
}

/** Idle pools by thread count and variant, reused across calls (workers and memory stay allocated). */
const idle = new Map<string, ThreadPool[]>();

/**
 * A pool of `threads` workers for the caller's exclusive use until it calls `release`: an idle
 * one when there is one, else a new one (workers start in tens of milliseconds). Concurrent calls
 * get different pools, so their buffers in shared memory never overlap. With `tenant`, the idle
 * pool whose memory still holds the tenant's data is preferred and that data is left in place
 * (`pool.holds(tenant)` says whether it is there); any other pool's tenant is evicted first.
 */
export async function acquirePool(threads: number, variant: WasmVariant = "auto", tenant?: PoolTenant): Promise<{ pool: ThreadPool; release: () => void }> {
  const key = `${threads}:${variant}`;
  const list = idle.get(key) ?? [];
  const own = tenant === undefined ? -1 : list.findIndex((p) => p.holds(tenant));
  const pool = (own >= 0 ? list.splice(own, 1)[0] : list.pop()) ?? (await ThreadPool.start(threads, variant));
  if (own < 0) {
    try {
      pool.evictTenant();
    } catch (e) {
      // The tenant could not copy its data out (no memory for the copy): the pool keeps it, idle.
      idle.set(key, [...list, pool]);
      throw e;
    }
  }
  return {
    pool,
    release: () => {
      const list = idle.get(key) ?? [];
      list.push(pool);
      idle.set(key, list);
    },
  };
}

/**
 * The number of threads to use: `requested` (an integer 1 … MAX_THREADS) or, when undefined,
 * every core the host reports; 1 whenever shared memory is unavailable (a browser page that is
 * not cross-origin isolated), which gives the same bits, only slower. BAD_OPTION otherwise.
 */
export async function resolveThreads(requested: number | undefined): Promise<number> {
  if (requested !== undefined && !(Number.isInteger(requested) && requested >= 1 && requested <= MAX_THREADS)) {
    throw new NtkError("BAD_OPTION", `threads must be an integer from 1 to ${MAX_THREADS}, got ${String(requested)}.`, { threads: requested });
  }
  if (!sharedMemoryAvailable()) return 1;
  return Math.min(requested ?? (await hardwareThreads()), MAX_THREADS);
}

/** Options of every entry point that can run on several threads. */
export interface ThreadOptions {
  /**
   * Worker threads for the parallel parts (integer 1 … 63). Default: every core the host reports
   * (os.availableParallelism() in Node, navigator.hardwareConcurrency in browsers). Results are
   * bit-identical for every value. Small problems run on the calling thread whatever this says
   * (starting workers would cost more than they save), and so does everything in a browser page
   * that is not cross-origin isolated (no shared memory there).
   */
  readonly threads?: number;
}
