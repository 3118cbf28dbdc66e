/**
 * One progress bar and one Ctrl-C handler for every command. A command wraps its long
 * computation in {@link withProgress}: the computation receives `ProgressOptions` (see
 * `progress.ts`); the bar appears on stderr only once the run has lasted
 * {@link BAR_DELAY_MS}, only when stderr is a terminal and output is not `--json`; it names the
 * computation's current phase (Gram matrix, determinants, solve, …) and restarts with each; SIGINT aborts
 * through an AbortController, and the CLI turns the resulting `ABORTED` error into exit code 130.
 */
import cliProgress from "cli-progress";
import type { ProgressOptions } from "../progress.js";

/** Runs shorter than this never show a bar, in milliseconds. */
export const BAR_DELAY_MS = 1000;

/** Where a command's progress goes. */
export interface ProgressSink {
  /** Whether a bar may be drawn at all (stderr is a TTY and the output is not JSON). */
  readonly showBar: boolean;
  /** The stream the bar is drawn on (stderr). */
  readonly stream: NodeJS.WritableStream;
}

/**
 * Runs `compute` with progress reporting and Ctrl-C cancellation. `label` names the work in the
 * bar ("Gram matrix at depth 1000"). A second Ctrl-C exits at once with code 130, for code that
 * does not yield to the event loop.
 */
export async function withProgress<T>(label: string, sink: ProgressSink, compute: (options: ProgressOptions) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    controller.abort(new Error("interrupted by Ctrl-C"));
  };
  process.on("SIGINT", onSigint);
  const started = performance.now();
  let bar: cliProgress.SingleBar | undefined;
  let shownPhase: string | undefined;
  const onProgress = (done: number, total: number, phase?: string) => {
    if (!sink.showBar) return;
    const payload = { phase: phase === undefined ? "" : ` · ${phase}` };
    if (!bar) {
      if (performance.now() - started < BAR_DELAY_MS || done >= total) return;
      bar = new cliProgress.SingleBar(
        { stream: sink.stream, format: `${label}{phase} [{bar}] {percentage}% | ETA {eta_formatted}`, hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, done, payload);
      shownPhase = phase;
      return;
    }
    // A new phase counts its own units from 0: restart the bar (and its ETA) under the phase's name.
    if (phase !== shownPhase) {
      shownPhase = phase;
      bar.start(total, done, payload);
      return;
    }
    bar.setTotal(total);
    bar.update(done, payload);
  };
  try {
    return await compute({ onProgress, signal: controller.signal });
  } finally {
    bar?.stop();
    process.off("SIGINT", onSigint);
  }
}
