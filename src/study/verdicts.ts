/**
 * Verdicts on the paper's four claims (SPEC §8), decided by code from computed series only. Each
 * verdict is one of three words and comes with the numbers that decided it, so a reader can check
 * the reasoning. Thresholds are stated below and in the report; they are deliberately loose
 * (factors of 2–10), because the series they judge are accurate to many more digits than that.
 * Browser-safe, pure functions.
 */
import { estimateLimit, fitPowerLaw, monotonicity, tailOf, type DepthSeries, type LimitEstimate, type Monotonicity } from "./series.js";

/** The three possible verdicts. */
export type VerdictWord = "supported" | "not supported" | "inconclusive at the depths reached";

/** Which claim: SPEC §8's five (1–5; 5, the width condition, is judged by widthExperiment.ts), then the spectrum's two (6: the paper's summary, 7: the literature's; spectrumVerdicts.ts). */
export type ClaimId = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A verdict with the numbers behind it. */
export interface ClaimVerdict {
  readonly claim: ClaimId;
  readonly verdict: VerdictWord;
  /** Sentences with the deciding numbers, one per series or part examined. */
  readonly reasons: readonly string[];
}

/** The claims as SPEC §8 states them (σw = 1, σb = 0, points on the sphere). */
export const CLAIM_STATEMENTS: Readonly<Record<ClaimId, string>> = {
  1: "ρ^(L) → 1 for every pair with ρ^(1) ∈ (−1, 1), very slowly.",
  2: "The normalized NTK Θ̄^(L) approaches the matrix of ones as L → ∞, its off-diagonal entries increasing strictly to 1.",
  3: "det(κ) → 0, yet the closed-form solution κ_x κ^{-1} stays bounded and converges to a fixed limit on the sphere.",
  4: 'The depth needed to see the limit is large (the paper\'s "K ≫ 1/δ").',
  5: "The width condition: a finite network's NTK is close to the deterministic Θ^(L) only when width dominates depth (L ∈ o(min n_l)); what happens when depth dominates width is open.",
  6: "Deeper networks converge more slowly but keep their representation power (the paper's summary; judged on the Mercer spectrum of Θ̄ on the sphere).",
  7: "Deep ReLU kernels have the eigenvalue decay of shallow ones: μ_k ∝ k^−n0 for the NTK and k^−(n0+2) for the NNGP as k → ∞, at every depth (Bietti & Bach 2021; Chen & Xu 2021).",
};

/** Where a positive, shrinking-or-not quantity is heading. */
export type ZeroTrend = "zero" | "positive" | "unclear";

/**
 * Whether a non-negative series heads to 0: "zero" when the extrapolated limit is within
 * max(3 × its uncertainty, 10% of the last value) of 0; "positive" when the limit minus 3 × its
 * uncertainty still exceeds half the last value (most of what is left stays); "unclear" otherwise
 * or with fewer than three points.
 */
export function zeroTrend(series: DepthSeries): { trend: ZeroTrend; estimate: LimitEstimate | null } {
  const estimate = estimateLimit(series);
  if (!estimate) return { trend: "unclear", estimate };
  const { limit, uncertainty, last } = estimate;
  if (Math.abs(limit) <= Math.max(3 * uncertainty, 0.1 * Math.abs(last))) return { trend: "zero", estimate };
  if (limit - 3 * uncertainty > 0.5 * Math.abs(last)) return { trend: "positive", estimate };
  return { trend: "unclear", estimate };
}

/** `digits` significant digits (default 4, the precision verdict sentences quote numbers at), shortest form. */
export function quote(x: number, digits = 4): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  return Number(x.toPrecision(digits)).toString();
}

/** Combines part verdicts: any "not supported" wins, then any "inconclusive", else "supported". */
export function combineVerdicts(words: readonly VerdictWord[]): VerdictWord {
  if (words.length === 0) return "inconclusive at the depths reached";
  if (words.includes("not supported")) return "not supported";
  if (words.includes("inconclusive at the depths reached")) return "inconclusive at the depths reached";
  return "supported";
}

/** A labelled series (e.g. "ρ1 = 0" or "entry (1, 2)"). */
export interface LabelledSeries {
  readonly label: string;
  readonly series: DepthSeries;
}

/** A depth as exact integer text (depths to 2^60 are exact float64 integers; String() would round the digits beyond 2^53). */
export function depthText(depth: number): string {
  return Number.isSafeInteger(depth) ? String(depth) : BigInt(depth).toString();
}

function lastDepth(s: DepthSeries): string {
  return depthText(s.depths[s.depths.length - 1]);
}

/**
 * Claim 1 from series of 1 − ρ^(L) for several pairs (on a geometric depth grid, so that the
 * tail extrapolation applies). A pair supports the claim when 1 − ρ decreases at every step,
 * heads to 0 ({@link zeroTrend}) and does so algebraically (the log–log slope of the last five
 * points lies in (−4, 0), i.e. "very slowly", not exponentially). It contradicts the claim when
 * 1 − ρ ever increases or heads to a positive floor.
 */
export function verdictRhoTendsToOne(pairs: readonly LabelledSeries[]): ClaimVerdict {
  const words: VerdictWord[] = [];
  const reasons: string[] = [];
  for (const { label, series } of pairs) {
    const mono = monotonicity(series.values);
    const { trend, estimate } = zeroTrend(series);
    const fit = fitPowerLaw(tailOf(series, 5));
    const at = `${label}: 1 − ρ = ${quote(series.values[series.values.length - 1])} at L = ${lastDepth(series)}`;
    const slopeText = fit ? `tail log–log slope ${quote(fit.slope)}` : "too few points for a slope";
    const limitText = estimate ? `extrapolated limit of 1 − ρ: ${quote(estimate.limit)} ± ${quote(estimate.uncertainty)}` : "too few points to extrapolate";
    if (mono === "increasing" || mono === "neither" || trend === "positive") {
      words.push("not supported");
      reasons.push(`${at}; it is ${mono === "decreasing" ? "decreasing" : `not decreasing (${mono})`}; ${limitText}.`);
    } else if (mono === "decreasing" && trend === "zero" && fit && fit.slope < 0 && fit.slope > -4) {
      words.push("supported");
      reasons.push(`${at}; decreasing at every depth computed; ${limitText}; ${slopeText} (algebraic, hence slow).`);
    } else {
      words.push("inconclusive at the depths reached");
      reasons.push(`${at}; ${mono}; ${limitText}; ${slopeText}.`);
    }
  }
  return { claim: 1, verdict: combineVerdicts(words), reasons };
}

/** How Θ̄ moves, given how 1 − Θ̄ moves. */
const THETA_BAR_DIRECTION: Readonly<Record<Monotonicity, string>> = {
  decreasing: "Θ̄ increases at every depth computed",
  increasing: "Θ̄ decreases at every step, so it does not increase to 1",
  neither: "Θ̄ is not monotone in L (it rises and falls), so it does not increase strictly",
  constant: "Θ̄ does not move",
};

/**
 * Claim 2 from series of 1 − Θ̄^(L) for off-diagonal entries. An entry supports the claim when
 * 1 − Θ̄ decreases at every step (Θ̄ increases strictly) and heads to 0; it contradicts it when
 * Θ̄ ever decreases or 1 − Θ̄ heads to a positive limit (then Θ̄ tends to 1 − limit < 1).
 */
export function verdictNtkTendsToOnes(entries: readonly LabelledSeries[]): ClaimVerdict {
  const words: VerdictWord[] = [];
  const reasons: string[] = [];
  for (const { label, series } of entries) {
    const mono = monotonicity(series.values);
    const { trend, estimate } = zeroTrend(series);
    const last = series.values[series.values.length - 1];
    const at = `${label}: Θ̄ = ${quote(1 - last)} (1 − Θ̄ = ${quote(last)}) at L = ${lastDepth(series)}`;
    const limitText = estimate ? `extrapolated limit of Θ̄: ${quote(1 - estimate.limit)} ± ${quote(estimate.uncertainty)}` : "too few points to extrapolate";
    const increasing = THETA_BAR_DIRECTION[mono];
    if (mono === "increasing" || mono === "neither" || trend === "positive") {
      words.push("not supported");
      reasons.push(`${at}; ${increasing}; ${limitText}.`);
    } else if (mono === "decreasing" && trend === "zero") {
      words.push("supported");
      reasons.push(`${at}; ${increasing}; ${limitText}.`);
    } else {
      words.push("inconclusive at the depths reached");
      reasons.push(`${at}; ${increasing}; ${limitText}.`);
    }
  }
  return { claim: 2, verdict: combineVerdicts(words), reasons };
}

/** Inputs of {@link verdictSolutionBounded}. */
export interface SolutionEvidence {
  /** log10 |det κ| against depth, from the most precise computation available (finite values). */
  readonly log10AbsDet: DepthSeries;
  /** Which matrix κ is, for the sentences (e.g. "Θ̄ (normalized NTK)"). */
  readonly kernelLabel: string;
  /** Largest 1-norm of a weight row κ_x κ^{-1} over the test points, against depth. */
  readonly weightsL1: DepthSeries;
}

/**
 * Claim 3 in two parts. (a) det κ → 0: judged by {@link zeroTrend} on |det| = 10^log10|det|.
 * (b) κ_x κ^{-1} bounded and convergent: the largest weight-row 1-norm has an extrapolated
 * limit whose uncertainty is under 1% of it, and its last step is no larger than the one before
 * (converging); it contradicts the claim when its log–log tail slope exceeds 0.2 with steps not
 * shrinking (growing without bound). The claim holds when both parts hold.
 */
export function verdictSolutionBounded(e: SolutionEvidence): ClaimVerdict {
  const reasons: string[] = [];
  const dets: DepthSeries = { depths: e.log10AbsDet.depths, values: e.log10AbsDet.values.map((v) => 10 ** v) };
  const det = zeroTrend(dets);
  const lastLog = e.log10AbsDet.values[e.log10AbsDet.values.length - 1];
  const detAt = `log10|det ${e.kernelLabel}| = ${quote(lastLog)} at L = ${lastDepth(e.log10AbsDet)}`;
  let detWord: VerdictWord;
  if (det.trend === "zero") {
    detWord = "supported";
    reasons.push(`(a) det → 0 is supported: ${detAt}, extrapolated limit of |det| ${quote(det.estimate?.limit ?? 0)}.`);
  } else if (det.trend === "positive") {
    detWord = "not supported";
    reasons.push(
      `(a) det → 0 is not supported: ${detAt}, |det| heads to ${quote(det.estimate?.limit ?? NaN)} ± ${quote(det.estimate?.uncertainty ?? NaN)} > 0.`,
    );
  } else {
    detWord = "inconclusive at the depths reached";
    reasons.push(`(a) det → 0 is inconclusive: ${detAt}.`);
  }

  const w = e.weightsL1;
  const n = w.values.length;
  const estimate = estimateLimit(w);
  const fit = fitPowerLaw(tailOf(w, 5));
  const steps = n >= 3 ? [Math.abs(w.values[n - 2] - w.values[n - 3]), Math.abs(w.values[n - 1] - w.values[n - 2])] : null;
  const shrinking = steps !== null && steps[1] <= steps[0];
  const wAt = `max ‖κ_x κ^{-1}‖₁ = ${quote(w.values[n - 1])} at L = ${lastDepth(w)}`;
  let weightWord: VerdictWord;
  if (estimate && shrinking && estimate.uncertainty <= 0.01 * Math.abs(estimate.limit)) {
    weightWord = "supported";
    reasons.push(`(b) bounded and convergent is supported: ${wAt}, extrapolated limit ${quote(estimate.limit)} ± ${quote(estimate.uncertainty)}.`);
  } else if (fit && fit.slope > 0.2 && !shrinking) {
    weightWord = "not supported";
    reasons.push(`(b) bounded is not supported: ${wAt}, growing like L^${quote(fit.slope)} with steps not shrinking.`);
  } else {
    weightWord = "inconclusive at the depths reached";
    reasons.push(
      `(b) bounded and convergent is inconclusive: ${wAt}${estimate ? `, extrapolated limit ${quote(estimate.limit)} ± ${quote(estimate.uncertainty)}` : ""}.`,
    );
  }
  return { claim: 3, verdict: combineVerdicts([detWord, weightWord]), reasons };
}

/** First depth at which 1 − ρ^(L) < δ for one pair, or null when not reached. */
export interface ThresholdRow {
  readonly delta: number;
  readonly depth: number | null;
}

/** The threshold table of one pair. */
export interface LabelledThresholds {
  readonly label: string;
  readonly rows: readonly ThresholdRow[];
}

/**
 * Claim 4, read as: the depth L(δ) needed at tolerance δ grows at least like 1/δ ("K ≫ 1/δ").
 * Each table is one reading of L(δ) (e.g. the first depth with 1 − ρ < δ for a pair; the depth at
 * which a gap 1 − ρ1 = δ halves). For each, fits L(δ) ≈ c · (1/δ)^α over the thresholds reached: α ≥ 0.9 supports the
 * claim, α + 3 × its standard error < 0.9 contradicts it (the depth needed grows more slowly than
 * 1/δ, however large it is in absolute terms); fewer than three thresholds reached is
 * inconclusive. Pairs combine as in {@link combineVerdicts}.
 */
export function verdictDepthNeeded(tables: readonly LabelledThresholds[]): ClaimVerdict {
  const words: VerdictWord[] = [];
  const reasons: string[] = [];
  for (const { label, rows } of tables) {
    const reached = rows.filter((r): r is { delta: number; depth: number } => r.depth !== null).sort((a, b) => b.delta - a.delta);
    const fit = reached.length >= 3 ? fitPowerLaw({ depths: reached.map((r) => 1 / r.delta), values: reached.map((r) => r.depth) }) : null;
    if (!fit) {
      words.push("inconclusive at the depths reached");
      reasons.push(`${label}: only ${reached.length} thresholds reached; need three to fit L(δ).`);
      continue;
    }
    const smallest = reached[reached.length - 1];
    const facts = `${label}: L(δ) ≈ ${quote(fit.constant)} · δ^−${quote(fit.slope)} (slope ± ${quote(fit.slopeStdErr)}); L(${smallest.delta}) = ${smallest.depth}, so L·δ = ${quote(smallest.depth * smallest.delta)} there`;
    if (fit.slope >= 0.9) {
      words.push("supported");
      reasons.push(`${facts}: the depth grows at least like 1/δ.`);
    } else if (fit.slope + 3 * fit.slopeStdErr < 0.9) {
      words.push("not supported");
      reasons.push(`${facts}: the depth needed grows like δ^−${quote(fit.slope)}, far slower than 1/δ.`);
    } else {
      words.push("inconclusive at the depths reached");
      reasons.push(`${facts}.`);
    }
  }
  return { claim: 4, verdict: combineVerdicts(words), reasons };
}
