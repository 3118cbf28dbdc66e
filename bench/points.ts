/**
 * The benchmarks' input points: reproducible xorshift32 coordinates, uniform in [−0.5, 0.5), projected
 * onto the sphere. One generator for every section, so that sections measuring the same workload
 * (the Gram fill in gram.ts, arch.ts and threads.ts) run it on the same points.
 */
import { projectToSphereFloat64, type SpherePoints } from "../src/index.js";

/** The seed of every benchmark's points. */
export const BENCH_SEED = 88172645;

/** `count` xorshift32 values in [−0.5, 0.5) from `seed` (a nonzero 32-bit integer). */
export function randomValues(count: number, seed = BENCH_SEED): Float64Array {
  let s = seed;
  return Float64Array.from({ length: count }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296 - 0.5;
  });
}

/** m points in R^n0 from {@link randomValues}, normalized onto the unit sphere. */
export function benchPoints(m: number, n0: number, seed = BENCH_SEED): SpherePoints {
  return projectToSphereFloat64({ m, n0, coords: randomValues(m * n0, seed) }, "normalize");
}
