/**
 * Reproducible synthetic data (the study, the explorer, tests): points drawn uniformly on the sphere from a seeded
 * generator, and labels from a fixed smooth function of the points. The same seed gives the same
 * bits on every platform (integer arithmetic and correctly rounded float64 operations only, plus
 * Math.log/sqrt/cos whose results are all the study needs to be reproducible to float64 rounding
 * on one engine). Browser-safe.
 */
import { NtkError } from "../errors.js";
import { checkRawPoints, type RawPoints } from "../sphere/float64.js";
import type { SpherePoints } from "../types.js";

/**
 * A 32-bit generator (mulberry32, T. Ettinger's public-domain mixer): uniform floats in [0, 1)
 * with 32 random bits each. Enough for drawing a handful of test points; not for cryptography.
 */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Standard normal draws by Box–Muller from a uniform source. */
function gaussian(uniform: () => number): number {
  const u = 1 - uniform(); // in (0, 1], so the log is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}

/** Most coordinates {@link randomGaussianPoints} draws (m · n0): 800 MB of float64. */
export const MAX_RANDOM_COORDS = 100_000_000;

/**
 * `m` standard Gaussian vectors in R^{n0} (m rows of n0 coordinates, row-major): projected with
 * `projectToSphereFloat64(points, "normalize")` they are uniform on S^{n0−1}. Returned raw, so the
 * float64 and the high-precision paths project the same data.
 *
 * Domain: `m`, `n0` integers ≥ 1 with m · n0 ≤ 10^8; `seed` a safe integer, taken modulo 2^32
 * (seeds that agree modulo 2^32 give the same points). Same seed, same points on one JavaScript
 * engine: every coordinate comes from 32-bit integer mixing and Box–Muller (`Math.log`,
 * `Math.sqrt`, `Math.cos`). Across engines `Math.log` and `Math.cos` need not be correctly rounded:
 * Chromium's `Math.cos` differed from Node's in the last bit for 60 of 2000 arguments tried, so
 * coordinates may differ by an ulp between a browser and Node.
 * Each coordinate is one 32-bit-resolution Gaussian draw, not a cryptographic one.
 * Throws `NtkError` `BAD_OPTION` outside the domain.
 */
export function randomGaussianPoints(m: number, n0: number, seed: number): RawPoints {
  for (const [name, v] of [
    ["m (number of points)", m],
    ["n0 (dimension)", n0],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new NtkError("BAD_OPTION", `${name} must be an integer ≥ 1, got ${String(v)}.`, { [name]: String(v) });
  }
  if (m * n0 > MAX_RANDOM_COORDS)
    throw new NtkError(
      "BAD_OPTION",
      `m · n0 = ${m * n0} coordinates is more than the ${MAX_RANDOM_COORDS} random points may have; draw fewer or smaller points.`,
      {
        m: String(m),
        n0: String(n0),
      },
    );
  if (!Number.isSafeInteger(seed)) throw new NtkError("BAD_OPTION", `seed must be an integer, got ${String(seed)}.`, { seed: String(seed) });
  const uniform = seededUniform(seed);
  const coords = new Float64Array(m * n0);
  for (let i = 0; i < coords.length; i++) coords[i] = gaussian(uniform);
  return { m, n0, coords, source: `random points (seed ${seed})` };
}

/**
 * The study's synthetic target y(x) = x₁ + x₂·x₃ (x₂, x₃ read as 0 beyond n0) for each row of
 * `points` (meant for unit rows; any finite coordinates work): a smooth function with a linear and a
 * quadratic part, so predictions are neither trivial nor exactly representable by the linear
 * kernel at L = 1. One target per point (length m); values in [−1.5, 1.5] for unit rows; each is
 * the float64 rounding of x₁ + fl(x₂·x₃) (two roundings).
 */
export function syntheticLabels(points: SpherePoints): Float64Array {
  checkRawPoints(points);
  const { m, n0, coords } = points;
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const x = (j: number) => (j < n0 ? coords[i * n0 + j] : 0);
    y[i] = x(0) + x(1) * x(2);
  }
  return y;
}
