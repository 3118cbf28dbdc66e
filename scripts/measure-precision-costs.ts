/**
 * Measures the per-unit costs behind the high-precision run estimate (src/precise/runCost.ts):
 * heap bytes per stored Decimal at P digits, seconds per pair step of the precise Gram recursion,
 * per decimal multiply-add of the LU, and per entry of the two runs' comparison. Run with
 * `node --expose-gc --import tsx scripts/measure-precision-costs.ts`; paste the printed table into
 * runCost.ts. Times are medians of 3 and depend on the machine and its load.
 */
import { Decimal } from "decimal.js";
import { gramThroughDepthPrecise } from "../src/gram/precise.js";
import { luAnalysisWork, luAnalysisPrecise } from "../src/linalg/preciseLu.js";
import { preciseDecimal } from "../src/precise/precision.js";
import { randomGaussianPoints } from "../src/study/randomData.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc");

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

async function timed(f: () => unknown): Promise<number> {
  const out: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    await f();
    out.push((performance.now() - t0) / 1000);
  }
  return median(out);
}

function bytesPerDecimal(digits: number): number {
  const D = preciseDecimal(digits);
  const count = 20000;
  gc!();
  const before = process.memoryUsage().heapUsed;
  const keep: Decimal[] = new Array(count);
  for (let i = 0; i < count; i++) keep[i] = new D(1).div(i + 3);
  gc!();
  const after = process.memoryUsage().heapUsed;
  if (keep.length !== count) throw new Error("unreachable");
  return (after - before) / count;
}

const rows: string[] = [];
for (const P of [20, 50, 100, 200, 500, 1000]) {
  const bytes = bytesPerDecimal(P + 10);
  const m = 5;
  const L = P >= 500 ? 41 : 201;
  const pairs = (m * (m - 1)) / 2;
  const data = randomGaussianPoints(m, 3, 1);
  const gram = await timed(() => gramThroughDepthPrecise({ data, projection: "normalize", depths: [L], precision: P }));
  const step = gram / (2 * pairs * (L - 1));
  const n = P >= 500 ? 12 : 24;
  const D = preciseDecimal(P + 10);
  const a = Array.from({ length: n * n }, (_, k) => new D(1).div((k % n) + Math.floor(k / n) + 1)); // Hilbert-like, full
  const lu = await timed(() => luAnalysisPrecise(D, a, n));
  const muladd = lu / luAnalysisWork(n);
  rows.push(`  [${P}, ${bytes.toFixed(0)}, ${step.toExponential(2)}, ${muladd.toExponential(2)}],`);
}
console.log("// [digits, bytes per Decimal, seconds per pair step, seconds per decimal multiply-add]");
console.log(rows.join("\n"));
