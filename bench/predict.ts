/**
 * Closed-form predictions (SPEC §6) from a given Gram matrix: milliseconds per call of
 * `predictFromKernelsFloat64` (t = ∞ by LU, finite t by the symmetric eigendecomposition, both
 * WebAssembly) and of `predictFromKernelsPrecise` (the decimal predictor: t = ∞ by decimal.js
 * Cholesky with κ1 from the inverse, finite t by Jacobi; each includes its second run 6 digits
 * higher), side by side on the same matrices.
 */
import { predictFromKernelsFloat64 } from "../src/predict/float64.js";
import { predictFromKernelsPrecise } from "../src/predict/precise.js";
import { medianMsAsync, type BenchRow, type BenchSection } from "./timing.js";

const FLOAT64_M = 400;
const PRECISE_M = 24;
const PRECISION = 30;
const TEST_POINTS = 10;

/** A well-conditioned SPD kernel with the look of a normalized Gram matrix: 1 on the diagonal, decaying off it. */
function kernel(m: number): number[] {
  const k: number[] = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) k.push(i === j ? 1 : 0.5 / (1 + Math.abs(i - j)));
  return k;
}

export async function run(): Promise<BenchSection> {
  const rows: BenchRow[] = [];
  const k64 = kernel(FLOAT64_M);
  const base64 = {
    trainKernel: k64,
    testKernel: k64.slice(0, TEST_POINTS * FLOAT64_M),
    targets: Array.from({ length: FLOAT64_M }, (_, i) => Math.sin(i)),
    m: FLOAT64_M,
  };
  const inf64 = await medianMsAsync(async () => void (await predictFromKernelsFloat64(base64)), 9);
  const fin64 = await medianMsAsync(async () => void (await predictFromKernelsFloat64({ ...base64, time: 3 })), 9);
  rows.push(
    { name: `float64, m = ${FLOAT64_M}, t = ∞ (LU, det, κ1 estimate)`, median: inf64, unit: "ms", note: "baseline" },
    { name: `float64, m = ${FLOAT64_M}, t = 3 (symmetric eigen)`, median: fin64, unit: "ms", note: `${(fin64 / inf64).toFixed(1)}× t = ∞` },
  );
  const kp = kernel(PRECISE_M);
  const baseP = {
    trainKernel: kp,
    testKernel: kp.slice(0, TEST_POINTS * PRECISE_M),
    targets: Array.from({ length: PRECISE_M }, (_, i) => Math.sin(i)),
    m: PRECISE_M,
    precision: PRECISION,
  };
  const infP = await medianMsAsync(async () => void (await predictFromKernelsPrecise(baseP)), 3);
  const finP = await medianMsAsync(async () => void (await predictFromKernelsPrecise({ ...baseP, time: 3 })), 3);
  const small64 = { ...baseP, trainKernel: kp, testKernel: kp.slice(0, TEST_POINTS * PRECISE_M) };
  const infSmall64 = await medianMsAsync(async () => void (await predictFromKernelsFloat64(small64)), 15);
  rows.push(
    {
      name: `${PRECISION} digits, m = ${PRECISE_M}, t = ∞ (decimal.js LU)`,
      median: infP,
      unit: "ms",
      note: `${(infP / infSmall64).toFixed(0)}× float64 at the same m (${infSmall64.toPrecision(2)} ms)`,
    },
    { name: `${PRECISION} digits, m = ${PRECISE_M}, t = 3 (Jacobi from float64 start)`, median: finP, unit: "ms", note: `${(finP / infP).toFixed(1)}× t = ∞` },
  );
  return {
    title: "Closed-form predictions from a Gram matrix",
    rows,
    setup:
      `K_ij = 1 (i = j), 0.5/(1 + |i − j|) otherwise; ${TEST_POINTS} test rows, one target. Float64 m = ${FLOAT64_M} (median of 9), ` +
      `high precision m = ${PRECISE_M} at ${PRECISION} digits asked (median of 3; each call runs twice, at the working precision and 10 digits higher, to vouch for its digits).`,
  };
}
