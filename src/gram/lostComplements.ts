/**
 * Complements float64 has lost (SPEC §4; docs/DEPTH_JUMP.md §6), for the pair and the Gram paths.
 *
 * ε = 1 − Σ̄ and u = 1 − Θ̄ keep their relative accuracy only while ε is a normal float64
 * (≥ 2^-1022 ≈ 2.2e-308): there every rounding in the complement step is relative, ≤ 2^-53. Below
 * it a rounding costs up to 2^-1075 absolute, i.e. 2^-1075/ε relative, which grows to 100% at the
 * smallest subnormal 2^-1074 ≈ 4.9e-324; the state then sticks there or flushes to 0 while the true
 * ε keeps falling (with σb > 0 geometrically, by σw²/2 a layer). u is not safe for being larger:
 * its step adds θ/π (1 − u) with θ = 2 asin(√(ε/2)), so u ≈ √ε carries ε's loss (a subnormal or
 * zero ε leaves u falling at the wrong rate, or stuck near √(2^-1074) ≈ 2e-162). Hence: ε is lost
 * below 2^-1022, and so are θ and u, which derive from it; u is lost on its own below 2^-1022 too.
 * "Lost" needs a true value > 0: a pair of identical points (ρ1 = 1 exactly) has exact zeros.
 */
import type { SpherePoints } from "../types.js";
import type { GramAtDepthFloat64 } from "./result.js";

/** Smallest positive normal float64, 2^-1022 ≈ 2.2e-308: below it a complement has lost its relative accuracy. */
export const MIN_NORMAL_COMPLEMENT = 2 ** -1022;

/** The pair fields a lost ε takes with it (in the order of the pair's fields). */
export type LostPairField = "oneMinusRho" | "theta" | "oneMinusNtkNormalized";

/** Bit of {@link GramAtDepthFloat64.lostToZero} set where 1 − Σ̄ (and so 1 − Θ̄) is lost. */
export const LOST_SIGMA_COMPLEMENT = 1;
/** Bit of {@link GramAtDepthFloat64.lostToZero} set where 1 − Θ̄ is lost. */
export const LOST_NTK_COMPLEMENT = 2;

/** Which of 1 − ρ, θ and 1 − Θ̄ are lost, given ε = 1 − ρ and u = 1 − Θ̄ as carried and whether the true 1 − ρ1 is > 0. */
export function lostPairFields(truePositive: boolean, eps: number, u: number): LostPairField[] {
  if (!truePositive) return [];
  if (eps < MIN_NORMAL_COMPLEMENT) return ["oneMinusRho", "theta", "oneMinusNtkNormalized"];
  return u < MIN_NORMAL_COMPLEMENT ? ["oneMinusNtkNormalized"] : [];
}

/** Whether rows i and j of the points differ (then 1 − x_i·x_j > 0 exactly). */
function distinct(points: SpherePoints, i: number, j: number): boolean {
  const { n0, coords } = points;
  for (let c = 0; c < n0; c++) if (coords[i * n0 + c] !== coords[j * n0 + c]) return true;
  return false;
}

/**
 * The m × m mask of lost complements (LOST_SIGMA_COMPLEMENT | LOST_NTK_COMPLEMENT bits), or null
 * when no entry is lost. `oneMinusSigma` and `oneMinusNtk` are m × m matrices ("square") or the
 * pairs i < j as the fills carry them ("packed": pair (i, j) at i m − i(i+1)/2 + j − i − 1), with
 * the same values and so the same mask. Costs one pass over them, plus a row comparison per entry
 * below 2^-1022 (identical points have exact zeros there, not lost ones).
 */
export function lostComplementMask(
  points: SpherePoints,
  oneMinusSigma: Float64Array,
  oneMinusNtk: Float64Array,
  layout: "square" | "packed" = "square",
): Uint8Array | null {
  const { m } = points;
  const packed = layout === "packed";
  // Packed pairs hold no diagonal: one plain pass shows whether any entry needs the search below.
  if (packed && !anyBelowMinNormal(oneMinusSigma) && !anyBelowMinNormal(oneMinusNtk)) return null;
  let mask: Uint8Array | null = null;
  let pair = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++, pair++) {
      const k = i * m + j;
      const at = packed ? pair : k;
      const eps = oneMinusSigma[at]!;
      const u = oneMinusNtk[at]!;
      if (!(eps < MIN_NORMAL_COMPLEMENT || u < MIN_NORMAL_COMPLEMENT) || !distinct(points, i, j)) continue;
      const bits = eps < MIN_NORMAL_COMPLEMENT ? LOST_SIGMA_COMPLEMENT | LOST_NTK_COMPLEMENT : LOST_NTK_COMPLEMENT;
      mask ??= new Uint8Array(m * m);
      mask[k] = bits;
      mask[j * m + i] = bits;
    }
  }
  return mask;
}

/** Whether any of `values` is below 2^-1022 (or NaN, which the search then judges). */
function anyBelowMinNormal(values: Float64Array): boolean {
  for (let p = 0; p < values.length; p++) if (!(values[p] >= MIN_NORMAL_COMPLEMENT)) return true;
  return false;
}

/** `g` with its {@link GramAtDepthFloat64.lostToZero} mask for `points`. */
export function withLostComplements(g: Omit<GramAtDepthFloat64, "lostToZero">, points: SpherePoints): GramAtDepthFloat64 {
  return { ...g, lostToZero: lostComplementMask(points, g.oneMinusSigmaNormalized, g.oneMinusNtkNormalized) };
}
