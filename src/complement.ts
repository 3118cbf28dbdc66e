/**
 * Complement algebra in float64 (SPEC §4), in one place: the functions of ε = 1 − ρ (and
 * ε̄ = 1 + ρ) that every float64 path uses instead of forming ρ, where 1 − ρ would cancel:
 * θ = arccos ρ from the complements, g(θ) = sin θ − θ cos θ, the inner-product complements
 * 1 ∓ x·x′ = |x ∓ x′|²/2 of two unit points, and the layer-1 complements of SPEC §2 from them.
 * The Gram loops (gram/plain.ts), the pair path (pair/float64.ts), the architectures
 * (arch/plainTape.ts, arch/float64.ts) and the kernel profiles (spectrum/kernelProfile.ts) use these.
 *
 * The WebAssembly kernels keep their own copies, line for line (assembly/correlation.ts for θ and
 * g, assembly/innerProducts.ts for 1 ∓ x·x′ and layer 1), because AssemblyScript cannot import
 * TypeScript; a change here goes there too. The high-precision twin is
 * `PreciseCorrelationMap` (precise/correlationMap.ts, BigInt floating point), the exact decimal
 * 1 − x·x′ is `exactPairComplements` (sphere/precise.ts), and determinants from complements are
 * linalg/complement.ts. Browser-safe.
 */

/** Below this angle g(θ) comes from its series (as in assembly/correlation.ts). */
const SERIES_BELOW = 1;

/** Coefficients of g(θ)/θ³ as a polynomial in θ²: (−1)^{k+1} 2k / (2k+1)!, k = 1…10. */
const G = [
  1 / 3,
  -1 / 30,
  1 / 840,
  -1 / 45360,
  1 / 3991680,
  -1 / 518918400,
  1 / 93405312000,
  -1 / 22230464256000,
  1 / 6758061133824000,
  -1 / 2554547108585472000,
];

/** θ = arccos(1 − ε) for ε = 1 − ρ ∈ [0, 2], without forming ρ (SPEC §4). */
export function thetaOfComplement(eps: number): number {
  // 2 − ε is exact for ε ∈ [1, 2]: π − 2 asin(sqrt(1 − ε/2)) bit for bit.
  return thetaOfComplements(eps, 2 - eps);
}

/**
 * θ = arccos ρ from ε = 1 − ρ and ε̄ = 1 + ρ, each accurate relative to itself: from ε up to 1, from
 * ε̄ above, so θ near π keeps π − θ to a few ulps (as assembly/correlation.ts).
 */
export function thetaOfComplements(eps: number, epsBar: number): number {
  return eps <= 1 ? 2 * Math.asin(Math.sqrt(0.5 * eps)) : Math.PI - 2 * Math.asin(Math.sqrt(0.5 * epsBar));
}

/** g(θ) = sin θ − θ cos θ for θ ∈ [0, π], through its series below θ = 1 where it cancels (SPEC §4). */
export function gOfTheta(theta: number): number {
  if (theta < SERIES_BELOW) {
    const t2 = theta * theta;
    let p = G[9];
    for (let k = 8; k >= 0; k--) p = G[k] + t2 * p;
    return theta * t2 * p;
  }
  return Math.sin(theta) - theta * Math.cos(theta);
}

/** Below this value of 1 ∓ x·x′ it is recomputed from the difference (sum) of the points (as assembly/innerProducts.ts). */
const EXACT_BELOW = 0.5;

/** |x_i + sign x_j|²/2 of rows i, j of the row-major `coords` with n0 columns (sign ±1). */
function halfSquaredNorm(coords: Float64Array, n0: number, i: number, j: number, sign: number): number {
  let s = 0;
  for (let c = 0; c < n0; c++) {
    const t = coords[i * n0 + c] + sign * coords[j * n0 + c];
    s += t * t;
  }
  return 0.5 * s;
}

/**
 * [1 − x·x′, 1 + x·x′] of unit rows i and j of the row-major `coords` (n0 columns): from the inner
 * product, except that the one below 0.5 is recomputed as |x ∓ x′|²/2, where the inner product
 * would cancel (nearly equal or nearly antipodal points); each accurate relative to itself.
 */
export function innerProductComplements(coords: Float64Array, n0: number, i: number, j: number): [number, number] {
  let dot = 0;
  for (let c = 0; c < n0; c++) dot += coords[i * n0 + c] * coords[j * n0 + c];
  let d = 1 - dot;
  let s = 1 + dot;
  if (d < EXACT_BELOW) d = halfSquaredNorm(coords, n0, i, j, -1);
  else if (s < EXACT_BELOW) s = halfSquaredNorm(coords, n0, i, j, 1);
  return [d, s];
}

/**
 * Layer 1 (SPEC §2) from the input complements: ρ^(1) = (σw² x·x′/n0 + σb²)/q_1, so
 * ε_1 = 1 − ρ^(1) = c1 (1 − x·x′) and ε̄_1 = 1 + ρ^(1) = twoBias + c1 (1 + x·x′), with
 * c1 = σw²/(n0 q_1) and twoBias = 2σb²/q_1 (`LayerScalars`), each rounded once and kept in [0, 2].
 * Returns [ε_1, ε̄_1]; θ_1 = {@link thetaOfComplements}(ε_1, ε̄_1) is then accurate for inputs
 * nearly equal as for nearly antipodal.
 */
export function layerOneComplements(c1: number, twoBias: number, oneMinusDot: number, onePlusDot: number): [number, number] {
  return [layerOneComplement(c1, oneMinusDot), Math.min(twoBias + c1 * onePlusDot, 2)];
}

/** ε_1 = c1 (1 − x·x′) of {@link layerOneComplements} alone, in [0, 2]. */
export function layerOneComplement(c1: number, oneMinusDot: number): number {
  return Math.min(c1 * oneMinusDot, 2);
}
