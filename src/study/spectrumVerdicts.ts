/**
 * Verdicts on the two spectrum claims (claims 6 and 7 of verdicts.ts), decided by code from the
 * Mercer eigenvalues of spectrumExperiment.ts only. Gradient flow on a kernel fits the degree-k
 * part of a target at rate η μ_k (SPEC §6 with K = V diag(λ) Vᵀ: the empirical eigenvalues
 * approach m μ_k), so "converges more slowly" reads as "μ_k shrinks with depth", and
 * "representation power" as the weight the kernel keeps on non-constant harmonics a finite
 * sample can resolve. Browser-safe, pure functions.
 */
import type { DecayFit } from "./spectrumExperiment.js";
import { monotonicity } from "./series.js";
import { combineVerdicts, depthText, quote, zeroTrend, type ClaimVerdict, type VerdictWord } from "./verdicts.js";

/** Eigenvalues of one kernel through depth: μ_k^(L) with the digits each keeps. */
export interface SpectrumThroughDepth {
  /** Depths, ascending (a roughly geometric grid in the tail, for the extrapolation). */
  readonly depths: readonly number[];
  /** eigenvalues[i][k] = μ_k at depths[i]. */
  readonly eigenvalues: readonly Float64Array[];
  readonly digits: readonly Uint8Array[];
  /** Σ_{k=1}^{K} a_k at each depth, and a bound on its error. */
  readonly resolvedShare: readonly number[];
  readonly resolvedShareError: readonly number[];
  /** a_0 at each depth. */
  readonly constantShare: readonly number[];
}

const last = <T>(a: readonly T[]): T => a[a.length - 1];

/** "L = a, b, c" for up to four depths, "L = a … b (n depths)" for more. */
export function depthList(depths: readonly number[]): string {
  return depths.length <= 4 ? `L = ${depths.map(depthText).join(", ")}` : `L = ${depthText(depths[0])} … ${depthText(last(depths))} (${depths.length} depths)`;
}

/** The share of the non-constant harmonics counts as measured where it exceeds its error bound this many times. */
export const MEASURED_SHARE_FACTOR = 3;

/**
 * Claim 6 on the NTK's spectrum, in two parts.
 * (a) Slower: over the deepest three depths every degree 1 … K that keeps a digit has μ_k
 * decreasing, and so does the largest non-constant eigenvalue (the fastest mode): supported; the
 * largest non-constant eigenvalue increasing there: not supported; otherwise inconclusive.
 * (b) Representation power kept, read at a fixed resolution: the share Σ_{k=1}^{K} a_k of the
 * non-constant harmonics up to degree K heads to a positive limit ({@link zeroTrend} "positive"):
 * supported; to 0: not supported (the kernel tends to a constant at every resolution K);
 * otherwise inconclusive. The reasons also state the reading in the RKHS sense (every μ_k that
 * keeps a digit is positive at every depth ≥ 3, so no harmonic is lost at any finite depth),
 * which claim 7 tests further but which does not decide this verdict.
 */
export function verdictSlowerButExpressive(all: SpectrumThroughDepth, maxDegree: number): ClaimVerdict {
  const reasons: string[] = [];
  // Judge only the depths whose non-constant part float64 resolves; name the rest.
  const measured = all.depths.map((_, i) => i).filter((i) => all.resolvedShare[i] > MEASURED_SHARE_FACTOR * all.resolvedShareError[i]);
  const unmeasured = all.depths.filter((_, i) => !measured.includes(i));
  const pick = <T>(a: readonly T[]): T[] => measured.map((i) => a[i]);
  const ntk: SpectrumThroughDepth = {
    depths: pick(all.depths),
    eigenvalues: pick(all.eigenvalues),
    digits: pick(all.digits),
    resolvedShare: pick(all.resolvedShare),
    resolvedShareError: pick(all.resolvedShareError),
    constantShare: pick(all.constantShare),
  };
  const beyond =
    unmeasured.length > 0
      ? ` At ${depthList(unmeasured)} the non-constant eigenvalues are below float64's resolution (Σ_{k≤${maxDegree}} a_k within ${MEASURED_SHARE_FACTOR}× its error bound of 0), consistent with their fall but not measured; those depths are left out.`
      : "";
  const n = ntk.depths.length;
  let slowWord: VerdictWord = "inconclusive at the depths reached";
  if (n >= 3) {
    const tail = [n - 3, n - 2, n - 1];
    let resolved = 0;
    let decreasing = 0;
    for (let k = 1; k <= maxDegree; k++) {
      if (!tail.every((i) => ntk.digits[i][k] >= 1)) continue;
      resolved++;
      if (monotonicity(tail.map((i) => ntk.eigenvalues[i][k])) === "decreasing") decreasing++;
    }
    const fastest = ntk.eigenvalues.map((mu) => Math.max(...mu.subarray(1)));
    const fastestTail = monotonicity(tail.map((i) => fastest[i]));
    const depthsText = depthList(tail.map((i) => ntk.depths[i]));
    const facts = `the largest non-constant eigenvalue max_{k≥1} μ_k is ${quote(fastest[0])} at L = ${depthText(ntk.depths[0])} and ${quote(last(fastest))} at L = ${depthText(last(ntk.depths))} (${fastestTail} over ${depthsText}); ${decreasing} of the ${resolved} degrees 1 … ${maxDegree} that keep a digit there have μ_k decreasing over ${depthsText}`;
    if (fastestTail === "increasing") {
      slowWord = "not supported";
      reasons.push(`(a) slower convergence is not supported: ${facts}.`);
    } else if (resolved > 0 && decreasing === resolved && fastestTail === "decreasing") {
      slowWord = "supported";
      reasons.push(`(a) slower convergence is supported: ${facts}; gradient flow fits the degree-k part of a target at rate η μ_k.`);
    } else {
      reasons.push(`(a) slower convergence is inconclusive: ${facts}.`);
    }
  } else {
    reasons.push("(a) slower convergence: fewer than three depths with a measured non-constant part.");
  }

  let positive = 0;
  let nonPositive = 0;
  ntk.depths.forEach((d, i) => {
    if (d < 3) return;
    for (let k = 1; k <= maxDegree; k++) {
      if (ntk.digits[i][k] < 1) continue;
      if (ntk.eigenvalues[i][k] > 0) positive++;
      else nonPositive++;
    }
  });
  const rkhs = `In the RKHS sense, ${nonPositive === 0 ? `all ${positive}` : `${positive} of the ${positive + nonPositive}`} eigenvalues μ_k (k ≥ 1, L ≥ 3) that keep a digit are positive${nonPositive === 0 ? ": no harmonic is lost at any depth measured (see claim 7 for the decay)" : ""}`;
  let keepWord: VerdictWord = "inconclusive at the depths reached";
  if (n === 0) {
    reasons.push(`(b) representation power kept: no depth with a measured non-constant part.${beyond}`);
  } else {
    const { trend, estimate } = zeroTrend({ depths: ntk.depths, values: ntk.resolvedShare });
    const shareFacts = `Σ_{k=1}^{${maxDegree}} a_k is ${quote(ntk.resolvedShare[0])} at L = ${depthText(ntk.depths[0])} and ${quote(last(ntk.resolvedShare))} at L = ${depthText(last(ntk.depths))}${estimate ? `, extrapolated limit ${quote(estimate.limit)} ± ${quote(estimate.uncertainty)}` : ""}; a_0 (the constant) is ${quote(last(ntk.constantShare))} there and degrees above ${maxDegree} hold ${quote(1 - last(ntk.constantShare) - last(ntk.resolvedShare))}`;
    if (trend === "zero") {
      keepWord = "not supported";
      reasons.push(
        `(b) representation power kept is not supported at any fixed resolution: ${shareFacts}; the kernel tends to a constant plus weight at ever higher degrees (the constant-plus-spike limit). ${rkhs}.${beyond}`,
      );
    } else if (trend === "positive") {
      keepWord = "supported";
      reasons.push(`(b) representation power kept is supported: ${shareFacts}. ${rkhs}.${beyond}`);
    } else {
      reasons.push(`(b) representation power kept is inconclusive: ${shareFacts}. ${rkhs}.${beyond}`);
    }
  }
  return { claim: 6, verdict: combineVerdicts([slowWord, keepWord]), reasons };
}

/** Largest gap between the exponents of the two halves of the fit window for the window to count as one power law. */
export const REGIME_TOLERANCE = 0.2;
/** |s − expected| within this supports the claim at that depth; beyond {@link DECAY_MISMATCH} contradicts it. */
export const DECAY_MATCH = 0.25;
export const DECAY_MISMATCH = 0.5;

/**
 * Claim 7 from the decay fits of both kernels over the window [K/4, K]. The claim is about k → ∞
 * at fixed L, and a depth-L kernel varies on the angular scale 3π/L (its spike at x = x′), so its
 * k^{−s} tail lies at degrees beyond about L: a depth L ≥ 2 is judged when the window starts there
 * (K/4 ≥ L) and is one power law (the exponents of its halves differ by at most
 * {@link REGIME_TOLERANCE}). Then |s − expected| ≤ {@link DECAY_MATCH} supports the claim and
 * > {@link DECAY_MISMATCH} contradicts it. Depths with K < L (every degree computed is below the
 * depth scale) are reported with their exponent as what a fixed range of degrees sees, and the
 * depths between as the crossover; neither decides the verdict. A kernel with no judged depth is
 * inconclusive.
 */
export function verdictSharedDecay(
  fits: readonly DecayFit[],
  maxDegree: number,
  expected: Readonly<Record<"ntk" | "nngp", number>>,
  labels: Readonly<Record<"ntk" | "nngp", string>>,
): ClaimVerdict {
  const words: VerdictWord[] = [];
  const reasons: string[] = [];
  const windowStart = Math.floor(maxDegree / 4);
  for (const kernel of ["ntk", "nngp"] as const) {
    const mine = fits.filter((f) => f.kernel === kernel && f.depth >= 2);
    const judged: string[] = [];
    const notPowerLaw: string[] = [];
    const unresolved: number[] = [];
    const crossover: string[] = [];
    const belowDepthScale: string[] = [];
    const kernelWords: VerdictWord[] = [];
    for (const f of mine) {
      if (f.exponent === null || f.lowerHalf === null || f.upperHalf === null) {
        unresolved.push(f.depth);
        continue;
      }
      const text = `L = ${depthText(f.depth)}: s = ${quote(f.exponent, 3)}`;
      if (f.depth > maxDegree) {
        belowDepthScale.push(text);
        continue;
      }
      if (f.depth > windowStart) {
        crossover.push(text);
        continue;
      }
      if (Math.abs(f.lowerHalf - f.upperHalf) > REGIME_TOLERANCE) {
        notPowerLaw.push(`L = ${depthText(f.depth)} (halves ${quote(f.lowerHalf, 3)}, ${quote(f.upperHalf, 3)})`);
        continue;
      }
      const gap = Math.abs(f.exponent - expected[kernel]);
      kernelWords.push(gap <= DECAY_MATCH ? "supported" : gap > DECAY_MISMATCH ? "not supported" : "inconclusive at the depths reached");
      judged.push(text);
    }
    const word = kernelWords.length === 0 ? "inconclusive at the depths reached" : combineVerdicts(kernelWords);
    words.push(word);
    const parts = [
      `${labels[kernel]}, expected s = ${expected[kernel]}; judged where the window k ∈ [${windowStart}, ${maxDegree}] lies beyond the depth (K/4 ≥ L): ${judged.length > 0 ? judged.join(", ") : "no such depth"} (${word})`,
    ];
    if (notPowerLaw.length > 0) parts.push(`no single power law in the window at ${notPowerLaw.join(", ")}`);
    if (unresolved.length > 0) parts.push(`fewer than 5 degrees in the window keep a digit (below float64's resolution) at ${depthList(unresolved)}`);
    if (crossover.length > 0) parts.push(`crossover (K/4 < L ≤ K): ${crossover.join(", ")}`);
    if (belowDepthScale.length > 0) {
      const shown = belowDepthScale.length <= 6 ? belowDepthScale : [...belowDepthScale.slice(0, 3), "…", ...belowDepthScale.slice(-2)];
      parts.push(`every degree up to ${maxDegree} below the depth scale (L > K), where a fixed range of degrees sees a much slower decay: ${shown.join(", ")}`);
    }
    reasons.push(`${parts.join("; ")}.`);
  }
  return { claim: 7, verdict: combineVerdicts(words), reasons };
}
