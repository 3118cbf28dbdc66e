/**
 * LU factorization speed (SPEC §5): GFlop/s (2n³/3 flops per factorization) of the public entry
 * points — WebAssembly SIMD and scalar builds of `luFactorFloat64`, the opt-in "fma" build (its
 * multiply-adds fused where the host has FMA) beside SIMD when the host validates relaxed SIMD, and
 * the plain typed-array TypeScript `plainLuFactor` — on the same random matrices. `luFactorFloat64`
 * times include copying the matrix in and the factors out, the finiteness check, ‖A‖₁ and pivot
 * growth (all O(n²)); from n = 400 on it uses every core (its default `threads`), whichever build.
 */
import { luFactorFloat64 } from "../src/linalg/lu.js";
import { loadWasmEngine, relaxedSimdValidates } from "../src/wasm/engine.js";
import { plainLuFactor } from "../src/linalg/plainLu.js";
import { medianMs, medianMsAlternating, medianMsAsync, type BenchRow, type BenchSection } from "./timing.js";

const SIZES = [200, 1000];
/** Target from the project brief for n = 1000. */
const TARGET_GFLOPS = 3;

function randomMatrix(n: number): Float64Array {
  let s = 2463534242;
  return Float64Array.from({ length: n * n }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296 - 0.5;
  });
}

export async function run(): Promise<BenchSection> {
  const rows: BenchRow[] = [];
  const fused = relaxedSimdValidates() ? (await loadWasmEngine("fma")).fusesMultiplyAdd : null;
  for (const n of SIZES) {
    const a = randomMatrix(n);
    const gflops = (ms: number): number => (2 * n ** 3) / 3 / (ms * 1e6);
    const repeats = n >= 1000 ? 5 : 15;
    const plain = gflops(medianMs(() => void plainLuFactor(a, n), repeats));
    const builds = fused === null ? (["simd"] as const) : (["simd", "fma"] as const);
    // SIMD and fma alternate run by run, so that their ratio is fair on a shared machine.
    const timed = await medianMsAlternating(
      builds.map((variant) => async () => void (await luFactorFloat64(a, n, { variant }))),
      repeats,
    );
    const simd = gflops(timed.ms[0]);
    const fma = fused === null ? null : gflops(timed.ms[1]);
    const scalar = gflops(await medianMsAsync(async () => void (await luFactorFloat64(a, n, { variant: "scalar" })), repeats));
    const vs = (g: number): string => `${(g / plain).toFixed(1)}× plain TS`;
    rows.push(
      { name: `n = ${n}, WASM SIMD (blocked, f64x2)`, median: simd, unit: "GFlop/s", note: `${vs(simd)}, ${(simd / scalar).toFixed(1)}× scalar` },
      ...(fma === null
        ? []
        : [
            {
              name: `n = ${n}, WASM fma (relaxed multiply-add, ${fused ? "fused" : "not fused"} here)`,
              median: fma,
              unit: "GFlop/s",
              note: `${(1 / timed.ratioToFirst[1]).toFixed(2)}× SIMD (median of the paired runs' ratios)`,
            },
          ]),
      { name: `n = ${n}, WASM scalar (blocked)`, median: scalar, unit: "GFlop/s", note: vs(scalar) },
      { name: `n = ${n}, plain typed-array TS (unblocked)`, median: plain, unit: "GFlop/s", note: "baseline" },
    );
  }
  return {
    title: "LU factorization with partial pivoting",
    rows,
    setup: `Random n × n matrices with entries in [−0.5, 0.5), n ∈ {${SIZES.join(", ")}}; flop count 2n³/3; median of 15 (n = 200) or 5 (n = 1000) runs after a warm-up. Target: ≥ ${TARGET_GFLOPS} GFlop/s at n = 1000.${fused === null ? " No fma rows: this host does not validate WebAssembly relaxed SIMD." : ""}`,
  };
}
