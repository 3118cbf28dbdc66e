/**
 * Progress reporting and cancellation shared by every long-running path (high-precision depth
 * loops, Gram matrices, studies, predictions). One option shape, one yielding helper: a caller that
 * learns them once can drive any of those paths, and a CLI can hang one progress bar and one
 * Ctrl-C handler on all of them.
 */
import { NtkError } from "./errors.js";

/** Options every long-running computation accepts. */
export interface ProgressOptions {
  /**
   * Called now and then with the units of work done so far and the total (both ≥ 0 integers,
   * `done ≤ total`; the unit is the computation's own, e.g. depth steps × pairs). Called at least
   * once at the end with `done === total`. Must not throw. `phase`, when given, names the stage
   * of a computation with several (e.g. "Gram matrix", "determinants (LU)"); each phase counts
   * its own units from 0 to its own total, so a bar restarts rather than waiting at 100%.
   */
  readonly onProgress?: (done: number, total: number, phase?: string) => void;
  /** Aborts the run: it throws `NtkError` with code `ABORTED` at its next yield point. */
  readonly signal?: AbortSignal;
}

/** How long a computation may run between yields to the event loop, in milliseconds. */
export const YIELD_INTERVAL_MS = 20;

/**
 * Paces a long loop: call {@link ProgressTicker.tick} often (it is cheap; it only reads the clock
 * every `checkEvery` calls); about every {@link YIELD_INTERVAL_MS} it reports progress, yields to
 * the event loop so that timers, I/O and abort events can run, and throws `ABORTED` if the signal
 * fired. `finish` reports the final count.
 */
export class ProgressTicker {
  private readonly options: ProgressOptions;
  private readonly total: number;
  private readonly checkEvery: number;
  private readonly phase: string | undefined;
  private sinceCheck = 0;
  private lastYield: number;

  /**
   * @param options the caller's progress options (may be empty).
   * @param total total units of work.
   * @param checkEvery how many `tick` calls between clock reads; pick it so that that many units
   *   take well under {@link YIELD_INTERVAL_MS}.
   * @param phase the stage this ticker counts, passed on to `onProgress` (see {@link ProgressOptions}).
   */
  constructor(options: ProgressOptions | undefined, total: number, checkEvery = 64, phase?: string) {
    this.options = options ?? {};
    this.total = total;
    this.checkEvery = Math.max(1, Math.floor(checkEvery));
    this.phase = phase;
    this.lastYield = now();
    throwIfAborted(this.options.signal);
  }

  /**
   * Notes that `done` units are complete. Returns a promise only when it is time to yield (then
   * the caller must await it), `undefined` otherwise, so that tight loops pay no await per step.
   */
  tick(done: number): Promise<void> | undefined {
    if (++this.sinceCheck < this.checkEvery) return undefined;
    this.sinceCheck = 0;
    if (now() - this.lastYield < YIELD_INTERVAL_MS) return undefined;
    return this.yieldNow(done);
  }

  /** Reports `done === total` and checks the signal a last time. */
  finish(): void {
    throwIfAborted(this.options.signal);
    this.options.onProgress?.(this.total, this.total, this.phase);
  }

  private async yieldNow(done: number): Promise<void> {
    this.options.onProgress?.(Math.min(done, this.total), this.total, this.phase);
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    throwIfAborted(this.options.signal);
    this.lastYield = now();
  }
}

/**
 * Work written once as a generator that yields the units done so far (e.g. a decimal LU yields
 * after each column) and returns its result, so that the same code runs synchronously
 * ({@link runStepsSync}) or paced with progress and cancellation ({@link runSteps}).
 */
export type Steps<T> = Generator<number, T, void>;

/** `steps` with `offset` added to every count it yields (for work that follows other work). */
export function* offsetSteps<T>(steps: Steps<T>, offset: number): Steps<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    yield offset + r.value;
  }
}

/** Runs `steps` to the end without pausing (for synchronous callers). */
export function runStepsSync<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Runs `steps` to the end, passing each count (plus `done0`) to `ticker` and awaiting its pauses. */
export async function runSteps<T>(steps: Steps<T>, ticker: ProgressTicker, done0 = 0): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    const pause = ticker.tick(done0 + r.value);
    if (pause) await pause;
  }
}

/** Throws `NtkError("ABORTED")` when `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    const reason = signal.reason instanceof Error ? ` (${signal.reason.message})` : "";
    throw new NtkError("ABORTED", `The computation was cancelled through its AbortSignal${reason}; nothing was returned.`);
  }
}

function now(): number {
  return performance.now();
}
