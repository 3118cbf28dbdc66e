/**
 * The Mercer spectrum on the sphere S^{n0−1} of the depth-L normalized kernels (issue 9): since
 * Σ̄^(L)(x, x′) and Θ̄^(L)(x, x′) are functions k(ρ1) of ρ1 = x·x′ alone (kernelProfile.ts), they
 * are zonal, and their eigenfunctions are the spherical harmonics. By the Funk–Hecke formula the
 * degree-k harmonics (N(n0, k) of them) share the eigenvalue
 *
 *     μ_k = c(n0) ∫_{−1}^{1} k(t) P_k(n0; t) (1 − t²)^{(n0−3)/2} dt,   c(n0) = Γ(n0/2) / (√π Γ((n0−1)/2)),
 *
 * of the integral operator (Tf)(x) = ∫ k(x·y) f(y) dσ(y) for the uniform PROBABILITY measure σ on
 * the sphere; P_k(n0; ·) is the Gegenbauer polynomial C_k^{(n0−2)/2} normalized to P_k(n0; 1) = 1
 * (Legendre for n0 = 3, Chebyshev T_k for n0 = 2). Equivalently k(t) = Σ_k a_k P_k(n0; t) with
 * a_k = N(n0, k) μ_k; for a normalized kernel Σ_k a_k = k(1) = 1, and a_k ≥ 0 for every k exactly
 * when the kernel is positive definite on every sphere of that dimension (Schoenberg, 1942).
 *
 * Kernel values come from kernelProfile.ts: the depth jump of SPEC §9 for σb = 0 beyond 2000
 * layers (any depth to 2^60 at the same cost), the direct recursion otherwise.
 *
 * Method (quadrature.ts): Gauss–Legendre panels in φ = arccos t, where the integrand is analytic,
 * graded towards φ = 0 for deep kernels. For k ≥ 1, μ_k is computed as −(the μ_k of the carried
 * complement 1 − k(t)), so no kernel value is formed by cancellation; μ_0 = 1 − that of the
 * complement. Accuracy: two rules with different nodes (24 and 32 a panel) are compared, and
 * {@link KernelSpectrum.errors} adds to their difference the effect of the kernel values' own
 * error (relative {@link KERNEL_VALUE_RELATIVE_ERROR} in the complement) and of the Gegenbauer
 * recurrence (k ulps); test/spectrum.test.ts checks the resulting digits against mpmath
 * (test/fixtures/spectrum.json). Browser-safe.
 */
import { checkObject, describeValue } from "../argumentTypes.js";
import { NtkError } from "../errors.js";
import type { ProgressOptions } from "../progress.js";
import type { NetworkParams } from "../types.js";
import type { DepthInput } from "../params.js";
import { KERNEL_PROFILE_METHODS, kernelProfilesThroughDepth, type KernelProfileMethod } from "./kernelProfile.js";
import { angleRule, type QuadratureRule } from "./quadrature.js";
import { MIN_NORMAL_COMPLEMENT } from "../gram/lostComplements.js";

/** Largest degree K the spectrum computes (the rule has about 1.2·K nodes a unit of φ). */
export const MAX_SPECTRUM_DEGREE = 2000;
/** Default K: "a few hundred" degrees, enough to see the k^{−s} tail. */
export const DEFAULT_SPECTRUM_DEGREE = 256;
/**
 * Relative error assumed for the complements 1 − Σ̄, 1 − Θ̄ the kernel path returns: the largest
 * seen against mpmath for the direct recursion (1.5e-14 at L = 10^5, gram/float64.ts), about 70
 * ulps. The depth jump is held to the same figure: it agrees with the direct recursion to about
 * 1e-14 (depth/float64.ts), and the spectra from both agree within a tenth of their bounds (tested
 * at L = 3000; within 4% at L = 3000 and 20 000, n0 = 2, 3, 7).
 */
export const KERNEL_VALUE_RELATIVE_ERROR = 1.5e-14;
/** Nodes a panel of the reported rule and of the check rule (different nodes, so the difference sees noise too). */
const NODES_PER_PANEL = 32;
const CHECK_NODES_PER_PANEL = 24;
const ULP = 2 ** -52;

/** Options of {@link sphereSpectrum}. */
export interface SphereSpectrumOptions extends ProgressOptions {
  /** n0 ≥ 2: the kernels act on the sphere S^{n0−1} ⊂ R^{n0}. */
  readonly inputDim: number;
  /** Depths L, exact (safe-integer numbers, bigints or decimal text), 1 ≤ L ≤ 2^60 (10^9 with σb > 0); sorted and deduplicated. At least one. */
  readonly depths: readonly DepthInput[];
  /** How the kernel values are computed: "auto" (default: the depth jump for σb = 0 beyond 2000 layers), "direct" or "jump" (kernelProfile.ts). */
  readonly method?: KernelProfileMethod;
  /** Largest degree K (0 ≤ K ≤ MAX_SPECTRUM_DEGREE, default DEFAULT_SPECTRUM_DEGREE). */
  readonly maxDegree?: number;
  /** σw, σb (default 1, 0: the paper's case). */
  readonly params?: NetworkParams;
}

/** The spectrum of one normalized kernel at one depth, indexed by degree k = 0 … K. */
export interface KernelSpectrum {
  /** μ_k: the eigenvalue of each degree-k spherical harmonic (uniform probability measure), dimensionless. */
  readonly eigenvalues: Float64Array;
  /** a_k = N(n0, k) μ_k: degree k's share of k(1) = 1 (≥ 0 for a positive definite kernel). */
  readonly weights: Float64Array;
  /** Estimated bound on |error of μ_k| (absolute; a_k's is N(n0, k) times it). */
  readonly errors: Float64Array;
  /** Significant digits of μ_k kept: ⌊−log10(errors[k] / |μ_k|)⌋ clamped to 0 … 15; 0 when μ_k is within its error of 0. */
  readonly digits: Uint8Array;
  /**
   * Quadrature nodes (of both rules) whose complement float64 has lost: below 2^-1022, where it
   * keeps no relative accuracy (docs/DEPTH_JUMP.md §6; σb > 0 at depths of about 1000 and more).
   * When > 0, every μ_k with k ≥ 1, an integral of the complements alone, is unknown: its error is
   * +∞ and it keeps 0 digits. μ_0 = 1 − (an integral of complements below 1e-150) keeps its digits.
   */
  readonly lostNodes: number;
}

/** Both normalized kernels' spectra at one depth. */
export interface SphereSpectrumAtDepth {
  /** L as a number (exact to 2^53, and for powers of two beyond). */
  readonly depth: number;
  readonly depthExact: bigint;
  /** How the kernel values at this depth were computed. */
  readonly method: "direct" | "jump";
  /** Of ρ1 ↦ Θ̄^(L)(ρ1). */
  readonly ntk: KernelSpectrum;
  /** Of ρ1 ↦ Σ̄^(L)(ρ1) = ρ^(L). */
  readonly nngp: KernelSpectrum;
}

/** The result of {@link sphereSpectrum}. */
export interface SphereSpectrum {
  readonly inputDim: number;
  readonly maxDegree: number;
  /** N(n0, k), k = 0 … K: the number of linearly independent degree-k spherical harmonics on S^{n0−1}. */
  readonly multiplicities: Float64Array;
  /** One sentence: how the kernel values and the integrals were computed. */
  readonly method: string;
  /** Ascending in depth. */
  readonly spectra: readonly SphereSpectrumAtDepth[];
}

/**
 * N(n0, k), the dimension of the space of degree-k spherical harmonics on S^{n0−1}:
 * 1 for k = 0, else (2k + n0 − 2)/k · C(k + n0 − 3, k − 1) (e.g. 2k + 1 on S², 2 on the circle).
 * Exact while below 2^53; +∞ beyond the float64 range. Domain: integers n0 ≥ 2, k ≥ 0 (else BAD_OPTION).
 */
export function harmonicDimension(n0: number, k: number): number {
  if (!Number.isSafeInteger(n0) || n0 < 2 || !Number.isSafeInteger(k) || k < 0) {
    throw new NtkError("BAD_OPTION", `harmonicDimension needs integers n0 ≥ 2 and k ≥ 0, got n0 = ${describeValue(n0)}, k = ${describeValue(k)}.`, {});
  }
  if (k === 0) return 1;
  // C(k + n0 − 3, k − 1) as a product of exact small ratios, largest factor last.
  let c = 1;
  for (let j = 1; j <= k - 1; j++) c = (c * (n0 - 2 + j)) / j;
  const n = ((2 * k + n0 - 2) * c) / k;
  // The product is an integer computed with about k roundings: round it back while that is exact.
  return n < 2 ** 53 ? Math.round(n) : n;
}

/** c(n0) = Γ(n0/2)/(√π Γ((n0−1)/2)), the density of t = x·y for y uniform on S^{n0−1} over (1 − t²)^{(n0−3)/2}. */
function funkHeckeConstant(n0: number): number {
  // c(2) = 1/π, c(3) = 1/2, c(n + 2) = c(n) n/(n − 1).
  let c = n0 % 2 === 0 ? 1 / Math.PI : 0.5;
  for (let n = n0 % 2 === 0 ? 2 : 3; n < n0; n += 2) c *= n / (n - 1);
  return c;
}

/** Σ_i w_i u_i P_k(t_i) and Σ_i w_i |u_i P_k(t_i)| for k = 0 … K, over one rule's nodes, for each profile. */
function projections(
  rule: QuadratureRule,
  n0: number,
  maxDegree: number,
  profiles: readonly Float64Array[],
): { sums: Float64Array[]; absSums: Float64Array[] } {
  const c = funkHeckeConstant(n0);
  const sums = profiles.map(() => new Float64Array(maxDegree + 1));
  const absSums = profiles.map(() => new Float64Array(maxDegree + 1));
  const p = new Float64Array(maxDegree + 1);
  for (let i = 0; i < rule.nodes.length; i++) {
    const phi = rule.nodes[i];
    const t = Math.cos(phi);
    const w = c * rule.weights[i] * Math.sin(phi) ** (n0 - 2);
    p[0] = 1;
    if (maxDegree >= 1) p[1] = t;
    for (let k = 2; k <= maxDegree; k++) p[k] = ((2 * k + n0 - 4) * t * p[k - 1] - (k - 1) * p[k - 2]) / (k + n0 - 3);
    for (const [j, u] of profiles.entries()) {
      const wu = w * u[i];
      const s = sums[j];
      const a = absSums[j];
      for (let k = 0; k <= maxDegree; k++) {
        s[k] += wu * p[k];
        a[k] += Math.abs(wu * p[k]);
      }
    }
  }
  return { sums, absSums };
}

function checkSpectrumOptions(o: SphereSpectrumOptions): { n0: number; maxDegree: number } {
  const n0 = o.inputDim;
  if (!Number.isSafeInteger(n0) || n0 < 2) {
    throw new NtkError("BAD_OPTION", `inputDim (n0) must be an integer ≥ 2 for a spectrum on the sphere S^{n0−1}, got ${n0}.`, { inputDim: n0 });
  }
  const maxDegree = o.maxDegree ?? DEFAULT_SPECTRUM_DEGREE;
  if (!Number.isInteger(maxDegree) || maxDegree < 0 || maxDegree > MAX_SPECTRUM_DEGREE) {
    throw new NtkError("BAD_OPTION", `maxDegree must be an integer from 0 to ${MAX_SPECTRUM_DEGREE}, got ${maxDegree}.`, { maxDegree });
  }
  if (!Number.isFinite(harmonicDimension(n0, maxDegree))) {
    throw new NtkError(
      "BAD_OPTION",
      `N(n0, K), the number of degree-${maxDegree} harmonics on S^${n0 - 1}, exceeds the float64 range; choose a smaller maxDegree.`,
      { inputDim: n0, maxDegree },
    );
  }
  return { n0, maxDegree };
}

/**
 * μ_k^(L) and a_k^(L), k = 0 … K, of ρ1 ↦ Θ̄^(L) and ρ1 ↦ Σ̄^(L) on S^{n0−1} at each depth, with
 * an error bound and the digits kept for each (conventions and method in the module comment).
 * Cost: a few thousand kernel evaluations (about 56 per panel of width min(1/4, 20/K) in φ, plus
 * the graded panels), each L steps of the direct recursion or one jump, plus (nodes × K) per
 * depth. Errors: BAD_OPTION (n0 < 2, K outside 0 … 2000 or N(n0, K) beyond float64, a bad
 * method), BAD_DEPTH, BAD_SIGMA_W / BAD_SIGMA_B, ABORTED.
 */
export async function sphereSpectrum(o: SphereSpectrumOptions): Promise<SphereSpectrum> {
  checkObject(o, "sphereSpectrum's options");
  const { n0, maxDegree } = checkSpectrumOptions(o);
  // The panels are graded to 1/L for the deepest depth; validation of the depths is the profiles'.
  const deepest = Math.max(1, ...(Array.isArray(o.depths) ? o.depths : []).map((d) => Number(d)).filter((d) => Number.isFinite(d)));
  const rules = [angleRule(maxDegree, deepest, NODES_PER_PANEL), angleRule(maxDegree, deepest, CHECK_NODES_PER_PANEL)];
  // 1 − cos φ = 2 sin²(φ/2): no cancellation near φ = 0, where the deep kernels vary fastest.
  // 1 + cos φ = 2 cos²(φ/2) likewise near φ = π, where layer 1's θ_1 needs it.
  const nodes = new Float64Array(rules[0].nodes.length + rules[1].nodes.length);
  nodes.set(rules[0].nodes);
  nodes.set(rules[1].nodes, rules[0].nodes.length);
  const profiles = await kernelProfilesThroughDepth({
    oneMinusRho1: nodes.map((phi) => 2 * Math.sin(phi / 2) ** 2),
    onePlusRho1: nodes.map((phi) => 2 * Math.cos(phi / 2) ** 2),
    depths: o.depths,
    method: o.method,
    params: o.params,
    inputDim: n0,
    onProgress: o.onProgress,
    signal: o.signal,
  });
  const split = rules[0].nodes.length;
  const multiplicities = Float64Array.from({ length: maxDegree + 1 }, (_, k) => harmonicDimension(n0, k));
  const spectra = profiles.map((p): SphereSpectrumAtDepth => {
    const kernels = [p.oneMinusNtkNormalized, p.oneMinusSigmaNormalized];
    const main = projections(
      rules[0],
      n0,
      maxDegree,
      kernels.map((u) => u.subarray(0, split)),
    );
    const check = projections(
      rules[1],
      n0,
      maxDegree,
      kernels.map((u) => u.subarray(split)),
    );
    // ε lost takes 1 − Θ̄ with it (lostComplements.ts); 1 − Θ̄ can also be lost on its own.
    const sigmaLost = p.oneMinusSigmaNormalized.map((e) => (e < MIN_NORMAL_COMPLEMENT ? 1 : 0));
    const lostNodes = [kernels[0].filter((u, i) => u < MIN_NORMAL_COMPLEMENT || sigmaLost[i] === 1).length, sigmaLost.reduce((a, b) => a + b, 0)];
    const [ntk, nngp] = kernels.map((_, j) => spectrumFrom(main.sums[j], check.sums[j], main.absSums[j], multiplicities, lostNodes[j]));
    return { depth: p.depth, depthExact: p.depthExact, method: p.method, ntk, nngp };
  });
  return {
    inputDim: n0,
    maxDegree,
    multiplicities,
    method: `kernel values by ${methodsText(profiles)}; Funk–Hecke integrals by Gauss–Legendre panels in φ = arccos ρ1 (${rules[0].nodes.length} nodes, checked against a ${rules[1].nodes.length}-node rule)`,
    spectra,
  };
}

/** Which method computed which depths, in words. */
function methodsText(profiles: readonly { depthExact: bigint; method: "direct" | "jump" }[]): string {
  return (["direct", "jump"] as const)
    .map((m) => [m, profiles.filter((p) => p.method === m).map((p) => p.depthExact.toString())] as const)
    .filter(([, ds]) => ds.length > 0)
    .map(([m, ds]) => `${KERNEL_PROFILE_METHODS[m]} at L = ${ds.length > 3 ? `${ds[0]} … ${ds[ds.length - 1]}` : ds.join(", ")}`)
    .join(" and ");
}

/**
 * μ_k from the projections of the complement u = 1 − k(t): μ_0 = 1 − ⟨u, P_0⟩, μ_k = −⟨u, P_k⟩.
 * Error: the two rules' difference, plus the kernel values' error and the recurrence's k ulps,
 * both bounded through Σ|w u P_k|. With `lostNodes` > 0 the μ_k, k ≥ 1, are unknown (error +∞, 0 digits).
 */
function spectrumFrom(sums: Float64Array, checkSums: Float64Array, absSums: Float64Array, multiplicities: Float64Array, lostNodes: number): KernelSpectrum {
  const n = sums.length;
  const eigenvalues = new Float64Array(n);
  const errors = new Float64Array(n);
  const digits = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    eigenvalues[k] = (k === 0 ? 1 : 0) - sums[k];
    const floor = absSums[k] * (KERNEL_VALUE_RELATIVE_ERROR + (k + 4) * ULP) + (k === 0 ? ULP : 0);
    errors[k] = lostNodes > 0 && k > 0 ? Infinity : Math.abs(sums[k] - checkSums[k]) + floor;
    const ratio = errors[k] / Math.abs(eigenvalues[k]);
    digits[k] = ratio >= 1 || !Number.isFinite(ratio) ? 0 : Math.min(15, Math.floor(-Math.log10(ratio)));
  }
  return { eigenvalues, weights: eigenvalues.map((mu, k) => mu * multiplicities[k]), errors, digits, lostNodes };
}
