/**
 * The study's spectrum experiment (issue 9): the Mercer eigenvalues μ_k^(L) of ρ1 ↦ Θ̄^(L) and
 * ρ1 ↦ Σ̄^(L) on S^{n0−1} (spectrum/gegenbauer.ts) at several depths, the decay exponent s of
 * μ_k ∝ k^{−s} fitted over the top degrees, and how each degree's eigenvalue moves with depth.
 * Numbers only; spectrumSection.ts turns them into figures, text and verdicts.
 */
import type { Cell, DataTable } from "./dataTable.js";
import { NNGP_LABEL, NTK_LABEL } from "./predictionExperiment.js";
import { fitPowerLaw, type PowerLawFit } from "./series.js";
import { type ProgressOptions, sphereSpectrum, type KernelSpectrum, type SphereSpectrum, type NetworkParams } from "../index.js";

/** The two kernels, their labels and the decay exponent the literature gives on S^{n0−1}. */
export const SPECTRUM_KERNELS = [
  // Bietti & Bach (2021), Chen & Xu (2021): μ_k ≍ k^{−n0} for the ReLU NTK, k^{−n0−2} for the NNGP, at every depth ≥ 2.
  { key: "ntk", label: NTK_LABEL, expectedExponent: (n0: number) => n0 },
  { key: "nngp", label: NNGP_LABEL, expectedExponent: (n0: number) => n0 + 2 },
] as const;

/** Degrees whose eigenvalue is followed through depth. */
export const TRACKED_DEGREES: readonly number[] = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/** The decay fit of one kernel at one depth. */
export interface DecayFit {
  readonly depth: number;
  readonly kernel: "ntk" | "nngp";
  /** s of μ_k ∝ k^{−s} over the window [K/4, K], or null with fewer than 5 resolved degrees there. */
  readonly exponent: number | null;
  readonly exponentStdErr: number | null;
  /** The same fit over [K/4, K/2] and [K/2, K]: close values mean the window is in the k^{−s} regime. */
  readonly lowerHalf: number | null;
  readonly upperHalf: number | null;
  /** a_0 = μ_0: the kernel's mean over the sphere, the share of degree 0 in k(1) = 1. */
  readonly constantShare: number;
  /** Σ_{k=1}^{K} a_k: the share of the non-constant harmonics up to degree K. */
  readonly resolvedShare: number;
  /** Bound on its error: Σ_{k=1}^{K} N(n0, k) × (μ_k's bound). */
  readonly resolvedShareError: number;
  /** Degrees 1 … K whose μ_k keeps at least one digit. */
  readonly resolvedDegrees: number;
}

/** Everything the section needs. */
export interface SpectrumExperiment {
  readonly result: SphereSpectrum;
  readonly fits: readonly DecayFit[];
  /** Every μ_k, a_k with error and digits. */
  readonly spectrum: DataTable;
  /** One row per depth and kernel: exponent fits and degree shares. */
  readonly decay: DataTable;
  /** μ_k^(L) against L for the tracked degrees. */
  readonly byDepth: DataTable;
}

/** Power-law fit of μ_k against k over degrees lo … hi that keep a digit and are positive. */
function fitDegrees(s: KernelSpectrum, lo: number, hi: number): PowerLawFit | null {
  const ks: number[] = [];
  const values: number[] = [];
  for (let k = Math.max(1, lo); k <= hi && k < s.eigenvalues.length; k++) {
    if (s.digits[k] >= 1 && s.eigenvalues[k] > 0) {
      ks.push(k);
      values.push(s.eigenvalues[k]);
    }
  }
  return ks.length >= 5 ? fitPowerLaw({ depths: ks, values }) : null;
}

/** Runs the spectrum at `depths` on S^{n0−1} up to degree `maxDegree` and tabulates it. */
export async function runSpectrumExperiment(
  n0: number,
  depths: readonly number[],
  maxDegree: number,
  params: NetworkParams | undefined,
  progress: ProgressOptions,
): Promise<SpectrumExperiment> {
  // Depths beyond 2^53 (powers of two, exact as float64 numbers) go to the library as exact bigints.
  const result = await sphereSpectrum({ inputDim: n0, depths: depths.map((d) => BigInt(d)), maxDegree, params, ...progress });
  const K = result.maxDegree;
  const rows: Record<string, Cell>[] = [];
  const fits: DecayFit[] = [];
  const byDepthRows: Record<string, Cell>[] = [];
  for (const at of result.spectra) {
    for (const kernel of SPECTRUM_KERNELS) {
      const s = at[kernel.key];
      for (let k = 0; k <= K; k++) {
        rows.push({
          depth: at.depth,
          depthLabel: `L = ${at.depth}`,
          kernel: kernel.label,
          k,
          eigenvalue: s.eigenvalues[k],
          weight: s.weights[k],
          error: s.errors[k],
          digits: s.digits[k],
        });
      }
      const whole = fitDegrees(s, Math.floor(K / 4), K);
      const lower = fitDegrees(s, Math.floor(K / 4), Math.floor(K / 2));
      const upper = fitDegrees(s, Math.floor(K / 2), K);
      let resolvedShare = 0;
      let resolvedShareError = 0;
      let resolvedDegrees = 0;
      for (let k = 1; k <= K; k++) {
        resolvedShare += s.weights[k];
        resolvedShareError += result.multiplicities[k] * s.errors[k];
        if (s.digits[k] >= 1) resolvedDegrees++;
      }
      fits.push({
        depth: at.depth,
        kernel: kernel.key,
        exponent: whole ? -whole.slope : null,
        exponentStdErr: whole?.slopeStdErr ?? null,
        lowerHalf: lower ? -lower.slope : null,
        upperHalf: upper ? -upper.slope : null,
        constantShare: s.weights[0],
        resolvedShare,
        resolvedShareError,
        resolvedDegrees,
      });
      for (const k of TRACKED_DEGREES.filter((d) => d <= K)) {
        byDepthRows.push({
          depth: at.depth,
          degree: `k = ${k}`,
          kernel: kernel.label,
          k,
          eigenvalue: s.digits[k] >= 1 && s.eigenvalues[k] > 0 ? s.eigenvalues[k] : null,
        });
      }
    }
  }
  const label = (key: string) => SPECTRUM_KERNELS.find((k) => k.key === key)?.label ?? key;
  return {
    result,
    fits,
    spectrum: {
      name: "spectrum",
      description: `Mercer eigenvalues on S^${n0 - 1} of ρ1 ↦ Θ̄^(L)(ρ1) and ρ1 ↦ Σ̄^(L)(ρ1), degrees k = 0 … ${K} (Funk–Hecke, uniform probability measure; ${result.method}). Each μ_k carries an error bound and the significant digits it keeps.`,
      columns: [
        { key: "depth", meaning: "L" },
        { key: "depthLabel", meaning: '"L = depth", the figures\' line label' },
        { key: "kernel", meaning: "which normalized kernel" },
        { key: "k", meaning: "degree of the spherical harmonics" },
        { key: "eigenvalue", meaning: `μ_k: eigenvalue of each of the N(${n0}, k) degree-k harmonics` },
        { key: "weight", meaning: "a_k = N(n0, k) μ_k: degree k's share of k(1) = 1" },
        { key: "error", meaning: "bound on the absolute error of μ_k" },
        { key: "digits", meaning: "significant digits of μ_k kept (0: within its error of 0)" },
      ],
      rows,
    },
    decay: {
      name: "spectrum-decay",
      description: `Decay of the eigenvalues with the degree: least-squares fit of log μ_k = c − s log k over the degrees k ∈ [${Math.floor(K / 4)}, ${K}] that keep a digit (and over each half of that window), with the shares of degree 0 and of degrees 1 … ${K} in k(1) = 1.`,
      columns: [
        { key: "depth", meaning: "L" },
        { key: "kernel", meaning: "which normalized kernel" },
        { key: "exponent", meaning: "s of μ_k ∝ k^−s over [K/4, K] (null: fewer than 5 resolved degrees)" },
        { key: "exponentStdErr", meaning: "standard error of s from the residuals" },
        { key: "lowerHalf", meaning: "s over [K/4, K/2]" },
        { key: "upperHalf", meaning: "s over [K/2, K]" },
        { key: "expected", meaning: "the shallow-kernel exponent of the literature: n0 (NTK), n0 + 2 (NNGP)" },
        { key: "constantShare", meaning: "a_0 = μ_0, the kernel's mean over the sphere" },
        { key: "resolvedShare", meaning: `Σ a_k over k = 1 … ${K}` },
        { key: "resolvedShareError", meaning: "bound on the error of that sum" },
        { key: "higherShare", meaning: `1 − a_0 − Σ_{k≤${K}} a_k: the share beyond degree ${K}` },
        { key: "resolvedDegrees", meaning: `degrees 1 … ${K} whose μ_k keeps a digit` },
      ],
      rows: fits.map((f) => ({
        depth: f.depth,
        kernel: label(f.kernel),
        exponent: f.exponent,
        exponentStdErr: f.exponentStdErr,
        lowerHalf: f.lowerHalf,
        upperHalf: f.upperHalf,
        expected: SPECTRUM_KERNELS.find((k) => k.key === f.kernel)?.expectedExponent(n0) ?? null,
        constantShare: f.constantShare,
        resolvedShare: f.resolvedShare,
        resolvedShareError: f.resolvedShareError,
        higherShare: 1 - f.constantShare - f.resolvedShare,
        resolvedDegrees: f.resolvedDegrees,
      })),
    },
    byDepth: {
      name: "spectrum-by-depth",
      description: `μ_k^(L) against depth for k ∈ {${TRACKED_DEGREES.filter((d) => d <= K).join(", ")}} (null where μ_k keeps no digit).`,
      columns: [
        { key: "depth", meaning: "L" },
        { key: "degree", meaning: '"k = degree", the figure\'s line label' },
        { key: "kernel", meaning: "which normalized kernel" },
        { key: "k", meaning: "degree" },
        { key: "eigenvalue", meaning: "μ_k^(L)" },
      ],
      rows: byDepthRows,
    },
  };
}
