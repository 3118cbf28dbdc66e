/**
 * Timing helpers shared by every benchmark: repeated runs, medians, and one table format, so
 * that rows measured in one run can be compared as ratios.
 */

/** One measured row of a benchmark section. */
export interface BenchRow {
  /** What was measured, e.g. "pair step, stable WASM". */
  readonly name: string;
  /** The median over repeats, in `unit`. */
  readonly median: number;
  /** Unit of `median`, e.g. "ns/step", "GFlop/s", "µs/step". */
  readonly unit: string;
  /** Ratio against the section's baseline row, when it has one ("2.3× baseline"). */
  readonly note?: string;
}

/** A titled group of rows measured side by side in one run. */
export interface BenchSection {
  readonly title: string;
  readonly rows: readonly BenchRow[];
  /** What the rows' sizes were (m, L, n, precision, …) and any target to compare against. */
  readonly setup: string;
}

/** Milliseconds since an arbitrary origin, with sub-microsecond resolution where available. */
export function nowMs(): number {
  return performance.now();
}

/**
 * Runs `fn` `repeats` times (after one warm-up run) and returns the median wall time in
 * milliseconds. `fn` should do enough work (≥ a few ms) that timer resolution does not matter.
 */
export function medianMs(fn: () => void, repeats = 7): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = nowMs();
    fn();
    times.push(nowMs() - t0);
  }
  return median(times);
}

/** Async variant of {@link medianMs}. */
export async function medianMsAsync(fn: () => Promise<void>, repeats = 7): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = nowMs();
    await fn();
    times.push(nowMs() - t0);
  }
  return median(times);
}

/**
 * Median milliseconds of each of `fns`, run in turn `repeats` times after a warm-up of each, the
 * order alternating between rounds, so that a load from other processes on a shared machine falls
 * on all of them alike. Also the median over rounds of each one's time divided by the first's.
 */
export async function medianMsAlternating(fns: readonly (() => Promise<void>)[], repeats = 7): Promise<{ ms: number[]; ratioToFirst: number[] }> {
  for (const fn of fns) await fn();
  const times: number[][] = fns.map(() => []);
  for (let i = 0; i < repeats; i++) {
    const order = fns.map((_, j) => j);
    if (i % 2 === 1) order.reverse();
    for (const j of order) {
      const t0 = nowMs();
      await fns[j]();
      times[j].push(nowMs() - t0);
    }
  }
  return { ms: times.map(median), ratioToFirst: times.map((t) => median(t.map((x, i) => x / times[0][i]))) };
}

/**
 * Median wall and CPU (user + system, of the whole process: worker threads included)
 * milliseconds of `repeats` runs after a warm-up. On a shared machine the wall time also counts
 * waiting for a core; the CPU time is inflated less.
 */
export async function medianWallAndCpu(repeats: number, fn: () => Promise<void>): Promise<{ wallMs: number; cpuMs: number }> {
  await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const c0 = process.cpuUsage();
    const t0 = nowMs();
    await fn();
    wall.push(nowMs() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Renders a section as a Markdown table (used both on stdout and in RESULTS.md). */
export function renderSection(section: BenchSection): string {
  const lines = [`### ${section.title}`, "", section.setup, "", "| measurement | median | unit | note |", "| --- | ---: | --- | --- |"];
  for (const r of section.rows) {
    lines.push(`| ${r.name} | ${formatMedian(r.median)} | ${r.unit} | ${r.note ?? ""} |`);
  }
  return lines.join("\n") + "\n";
}

function formatMedian(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toPrecision(3);
}
