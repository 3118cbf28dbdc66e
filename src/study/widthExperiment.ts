/**
 * The study's finite-width section (SPEC §8 claim 5, the paper's width condition and its open
 * question 2; docs/FINITE_WIDTH.md): sampled networks on a grid of depths L and widths n, with
 * L ≥ n included. It measures the spread of the normalized empirical NTK's entries and the
 * diagonal's second-moment ratio E[Θ_n(x,x)²]/E[Θ_n(x,x)]² against L/n and fits
 * ln(ratio) = c · Σ_l 1/n_l (Hanin & Nica 2019 predict c = 5); follows the mean of Θ̄_n against
 * the infinite-width Θ̄ and its 1/4 limit as L grows at fixed n, with histograms of the entries at
 * L ≫ n; and trains networks against the closed form as L/n grows. The verdict is computed from
 * these numbers. Browser-safe (Monte Carlo on this thread).
 */
import { resolveParams } from "../params.js";
import { cellNumber, type Cell, type DataTable } from "./dataTable.js";
import { markdownTable, type ReportSection } from "./document.js";
import { lineChart, type Figure } from "./figures.js";
import { fitPowerLaw } from "./series.js";
import { subdivide } from "./stages.js";
import { combineVerdicts, quote, type ClaimVerdict, type VerdictWord } from "./verdicts.js";
import {
  NtkError,
  type Dataset,
  type ProgressOptions,
  type RawPoints,
  type NetworkParams,
  type SpherePoints,
  monteCarloKernels,
  type MonteCarloResult,
  trainNetworks,
} from "../index.js";

/** Sizes of the section, default and --quick. */
export interface WidthPlan {
  readonly widths: readonly number[];
  readonly depths: readonly number[];
  /** Networks per grid cell. */
  readonly samples: number;
  /** Widths whose depth series are shown against the infinite-width mean. */
  readonly fixedWidths: readonly number[];
  /** Training: one width, depths, networks, steps. */
  readonly trainWidth: number;
  readonly trainDepths: readonly number[];
  readonly trainSamples: number;
  readonly trainSteps: number;
}

/** The grid of the default run (about 20 s on a loaded 2-core machine) and of --quick. */
export function widthPlan(quick: boolean): WidthPlan {
  return quick
    ? {
        widths: [4, 8, 32],
        depths: [2, 4, 8, 16, 32],
        samples: 24,
        fixedWidths: [4, 32],
        trainWidth: 16,
        trainDepths: [2, 8, 32],
        trainSamples: 4,
        trainSteps: 60,
      }
    : {
        widths: [4, 8, 16, 32, 64],
        depths: [2, 4, 8, 16, 32, 64, 128],
        samples: 48,
        fixedWidths: [8, 32],
        trainWidth: 32,
        trainDepths: [2, 4, 8, 16, 32, 64],
        trainSamples: 8,
        trainSteps: 200,
      };
}

/** Hanin & Nica's predicted exponent: E[Θ(x,x)²]/E[Θ(x,x)]² ≈ exp(5 Σ_l 1/n_l). */
export const HANIN_NICA_EXPONENT = 5;

/** What the section adds to the report. */
export interface WidthExperiment {
  readonly sections: readonly ReportSection[];
  readonly tables: readonly DataTable[];
  readonly figures: readonly Figure[];
  readonly verdict: ClaimVerdict;
}

/** Inputs: the study's points (first `m` used for the kernels), training data and parameters. */
export interface WidthExperimentInput {
  readonly points: SpherePoints;
  readonly train: Dataset;
  readonly test: RawPoints;
  readonly params?: NetworkParams;
  readonly quick: boolean;
  readonly seed: number;
}

const num = cellNumber;

/** Runs the section's experiments and judges the width condition. Errors: ABORTED. */
export async function runWidthExperiment(input: WidthExperimentInput, progress: ProgressOptions): Promise<WidthExperiment> {
  const plan = widthPlan(input.quick);
  const cells = plan.widths.flatMap((n) => plan.depths.map((L) => ({ n, L })));
  const parts = cells.length + plan.trainDepths.length;
  const results = new Map<string, MonteCarloResult>();
  const rows: Record<string, Cell>[] = [];
  for (const [k, { n, L }] of cells.entries()) {
    const r = await monteCarloKernels({
      points: input.points,
      depth: L,
      width: n,
      samples: plan.samples,
      seed: input.seed,
      params: input.params,
      ...subdivide(progress, k, parts),
    });
    results.set(`${n},${L}`, r);
    const t = r.ntk;
    const spread = t.entries.length > 0 ? t.entries.reduce((a, e) => a + e.std, 0) / t.entries.length : null;
    const meanEntry = t.entries.length > 0 ? t.entries.reduce((a, e) => a + e.mean, 0) / t.entries.length : null;
    const infiniteEntry = meanOffDiagonal(r.infinite.ntkNormalized, r.m);
    const maxAbsZ = t.entries.reduce((a, e) => Math.max(a, Math.abs(e.zScore ?? 0)), 0);
    const ratio = t.diagSecondMomentRatio;
    rows.push({
      width: n,
      depth: L,
      depthOverWidth: L / n,
      beta: (L - 1) / n,
      spread,
      meanEntry,
      infiniteEntry,
      maxAbsZ: t.entries.length > 0 ? maxAbsZ : null,
      diagScaledMean: finite(t.diagScaledMean.value),
      secondMomentRatio: finite(ratio.value),
      secondMomentRatioStderr: finite(ratio.stderr),
      samplesDead: t.samplesDead,
      width_label: `n = ${n}`,
    });
  }
  const grid: DataTable = {
    name: "width-grid",
    description: `Monte Carlo over ${plan.samples} sampled networks per cell (seed ${input.seed}) on ${input.points.m} points: per depth L and hidden width n, the normalized empirical NTK Θ̄_n's entry spread (std over networks, averaged over the off-diagonal entries), its mean entry beside the infinite-width Θ̄^(L), the largest |z| of an entry, the raw diagonal over its infinite-width value and E[Θ_n(x,x)²]/E[Θ_n(x,x)]² (pooled over points, jackknife stderr).`,
    columns: [
      { key: "width", meaning: "hidden width n (every hidden layer)" },
      { key: "depth", meaning: "depth L (weight layers)" },
      { key: "depthOverWidth", meaning: "L/n" },
      { key: "beta", meaning: "β = Σ_l 1/n_l over the L − 1 hidden layers = (L − 1)/n" },
      {
        key: "spread",
        meaning: "mean over off-diagonal entries of the std of Θ̄_n(x_i, x_j) over networks (null: fewer than two networks alive on every point)",
      },
      { key: "meanEntry", meaning: "mean over off-diagonal entries of the mean of Θ̄_n(x_i, x_j)" },
      { key: "infiniteEntry", meaning: "mean over off-diagonal entries of the infinite-width Θ̄^(L)" },
      { key: "maxAbsZ", meaning: "largest |z| = |mean − Θ̄^(L)|/stderr over the entries" },
      { key: "diagScaledMean", meaning: "mean of Θ_n(x,x)/Θ^(L)(x,x) over points and networks (1 at infinite width)" },
      { key: "secondMomentRatio", meaning: "E[Θ_n(x,x)²]/E[Θ_n(x,x)]², pooled over points (1 at infinite width)" },
      { key: "secondMomentRatioStderr", meaning: "its jackknife standard error over networks" },
      { key: "samplesDead", meaning: "networks with Θ_n(x,x) = 0 at some point (left out of the normalized statistics)" },
      { key: "width_label", meaning: "series label" },
    ],
    rows,
  };

  // ---- the exponential law: ln R = c β, weighted least squares through the origin -----------------
  const fitRows = rows.filter(
    (r) => num(r.secondMomentRatio) > 0 && num(r.secondMomentRatioStderr) > 0 && num(r.secondMomentRatioStderr) < 0.5 * num(r.secondMomentRatio),
  );
  const fit = fitExponent(
    fitRows.map((r) => ({ beta: num(r.beta), lnR: Math.log(num(r.secondMomentRatio)), sigma: num(r.secondMomentRatioStderr) / num(r.secondMomentRatio) })),
  );
  const smallBeta = fitRows.filter((r) => num(r.beta) <= 0.5);
  const fitSmall = fitExponent(
    smallBeta.map((r) => ({ beta: num(r.beta), lnR: Math.log(num(r.secondMomentRatio)), sigma: num(r.secondMomentRatioStderr) / num(r.secondMomentRatio) })),
  );

  // ---- histograms of the entries at the deepest depth, narrowest fixed widths ---------------------
  const deepest = plan.depths[plan.depths.length - 1];
  const histogramRows: Record<string, Cell>[] = [];
  for (const n of plan.fixedWidths) {
    const r = results.get(`${n},${deepest}`)!;
    histogramRows.push(...histogram(entriesOf(r), 20).map((b) => ({ ...b, series: `n = ${n}, L = ${deepest} (L/n = ${quote(deepest / n)})` })));
  }
  const shallowRef = results.get(`${plan.fixedWidths[plan.fixedWidths.length - 1]},${plan.depths[0]}`)!;
  histogramRows.push(
    ...histogram(entriesOf(shallowRef), 20).map((b) => ({
      ...b,
      series: `n = ${plan.fixedWidths[plan.fixedWidths.length - 1]}, L = ${plan.depths[0]} (L/n = ${quote(plan.depths[0] / plan.fixedWidths[plan.fixedWidths.length - 1])})`,
    })),
  );
  const histograms: DataTable = {
    name: "width-histograms",
    description:
      "Histograms (20 bins on [−1, 1]) of the off-diagonal entries Θ̄_n(x_i, x_j) over all sampled networks alive on every point, at the deepest depth for the fixed widths and at the shallowest for comparison.",
    columns: [
      { key: "series", meaning: "width and depth" },
      { key: "binCenter", meaning: "centre of the bin" },
      { key: "fraction", meaning: "fraction of the entries in the bin" },
    ],
    rows: histogramRows,
  };

  // ---- training against the closed form -----------------------------------------------------------
  const trainRows: Record<string, Cell>[] = [];
  for (const [k, L] of plan.trainDepths.entries()) {
    const base = {
      train: input.train,
      test: input.test,
      depth: L,
      width: plan.trainWidth,
      params: input.params,
      seed: input.seed,
      samples: plan.trainSamples,
      steps: plan.trainSteps,
      ...subdivide(progress, cells.length + k, parts),
    };
    // η from the infinite-width kernel: an eighth of its stable step 2/λ_max (ηλ_max = 1/4), which
    // leaves room for finite networks whose NTK is larger than the infinite-width one.
    const probe = await trainNetworks({ ...base, samples: 1, steps: 1, learningRate: 1, at: [0] });
    const learningRate = 1 / (4 * probe.infiniteLambdaMax);
    try {
      const r = await trainNetworks({ ...base, learningRate, at: [0, plan.trainSteps] });
      const end = r.checkpoints[1];
      const rms = (f: (i: number) => number) => Math.sqrt(Array.from(end.trained, (_, i) => f(i) ** 2).reduce((a, b) => a + b, 0) / end.trained.length);
      const scale = rms((i) => end.infiniteWidth[i]);
      trainRows.push({
        depth: L,
        width: plan.trainWidth,
        depthOverWidth: L / plan.trainWidth,
        learningRate,
        trainLossStart: r.checkpoints[0].trainLoss,
        trainLossEnd: end.trainLoss,
        kernelChange: end.kernelChange,
        meanTrainedVsInfinite: rms((i) => end.trained[i] - end.infiniteWidth[i]) / scale,
        stderrTrained: rms((i) => end.trainedStderr![i]) / scale,
        linearizationGap: rms((i) => end.linearizationGap[i]) / scale,
        diverged: "no",
      });
    } catch (e) {
      if (!(e instanceof NtkError && e.code === "DIVERGED")) throw e;
      trainRows.push({
        depth: L,
        width: plan.trainWidth,
        depthOverWidth: L / plan.trainWidth,
        learningRate,
        trainLossStart: null,
        trainLossEnd: null,
        kernelChange: null,
        meanTrainedVsInfinite: null,
        stderrTrained: null,
        linearizationGap: null,
        diverged: `at step ${String(e.details.step)}`,
      });
    }
  }
  const training: DataTable = {
    name: "width-training",
    description: `Gradient descent (η = 1/(4 λ_max), λ_max the largest eigenvalue of the infinite-width Θ^(L) on the training points, ${plan.trainSteps} steps) of ${plan.trainSamples} networks of width ${plan.trainWidth} per depth: loss, kernel change, and the test outputs against the infinite-width f_t, as RMS over test points relative to the RMS of f_t.`,
    columns: [
      { key: "depth", meaning: "L" },
      { key: "width", meaning: "n" },
      { key: "depthOverWidth", meaning: "L/n" },
      { key: "learningRate", meaning: "η" },
      { key: "trainLossStart", meaning: "½ Σ (f − y)² at step 0 (mean over networks)" },
      { key: "trainLossEnd", meaning: "the same at the last step" },
      { key: "kernelChange", meaning: "‖Θ_t − Θ_0‖_F/‖Θ_0‖_F at the last step (mean)" },
      { key: "meanTrainedVsInfinite", meaning: "RMS over test points of (mean trained output − f_t), over RMS of f_t" },
      { key: "stderrTrained", meaning: "RMS of the mean's standard error, same units" },
      { key: "linearizationGap", meaning: "RMS of the mean |trained − linearized| over networks, same units" },
      { key: "diverged", meaning: "whether some network's loss stopped being finite" },
    ],
    rows: trainRows,
  };

  // ---- verdict -------------------------------------------------------------------------------------
  const verdict = judgeWidthCondition(rows, fitSmall);
  const figures: Figure[] = [
    lineChart({
      name: "width-spread",
      title: "Spread of Θ̄_n entries against L/n",
      caption:
        "Standard deviation over sampled networks of the normalized empirical NTK's off-diagonal entries (averaged over entries), one line per width, against L/n on log axes.",
      table: grid,
      x: { key: "depthOverWidth", title: "L/n", log: true },
      y: { key: "spread", title: "std of Θ̄_n entries" },
      series: "width_label",
      points: true,
    }),
    lineChart({
      name: "width-second-moment",
      title: "E[Θ(x,x)²]/E[Θ(x,x)]² against β = Σ 1/n_l",
      caption: `The diagonal's second-moment ratio (log axis) against β = (L − 1)/n, one line per width; Hanin and Nica's exp(5β) would be a straight line of slope 5/ln 10 per unit β.`,
      table: grid,
      x: { key: "beta", title: "β = (L − 1)/n" },
      y: { key: "secondMomentRatio", title: "E[Θ²]/E[Θ]²", log: true },
      series: "width_label",
      points: true,
    }),
    lineChart({
      name: "width-mean-entry",
      title: "Mean Θ̄_n entry against depth",
      caption: `Mean over networks and off-diagonal entries of Θ̄_n (solid, per width) and of the infinite-width Θ̄^(L), against L; Θ̄^(L) heads for 1/4.`,
      table: meanTable(grid, plan),
      x: { key: "depth", title: "depth L", log: true },
      y: { key: "value", title: "mean off-diagonal entry" },
      series: "series",
      points: true,
    }),
    lineChart({
      name: "width-histograms",
      title: "Distribution of Θ̄_n entries",
      caption: "Fraction of off-diagonal Θ̄_n entries per bin over all sampled networks, at L ≫ n and, for comparison, at the shallowest depth.",
      table: histograms,
      x: { key: "binCenter", title: "Θ̄_n(x_i, x_j)" },
      y: { key: "fraction", title: "fraction of entries" },
      series: "series",
      points: true,
    }),
  ];
  const cell = (n: number, L: number) => rows.find((r) => r.width === n && r.depth === L)!;
  const section: ReportSection = {
    heading: "Claim 5: the width condition, and depth against width",
    verdict,
    paragraphs: [
      `Finite networks of SPEC §1 (hidden width n in every layer, σw, σb as above) are sampled, not assumed: ${plan.samples} networks per cell, weights from the seeded SplitMix64 generator (docs/FINITE_WIDTH.md), empirical NTK by the layer factorization on ${input.points.m} of the study's points. Depths ${plan.depths.join(", ")}; widths ${plan.widths.join(", ")}: L ≥ n in ${rows.filter((r) => num(r.depth) >= num(r.width)).length} of the ${rows.length} cells.`,
      markdownTable(
        ["n \\ L", ...plan.depths.map(String)],
        plan.widths.map((n) => [String(n), ...plan.depths.map((L) => `${shownOrDash(cell(n, L).spread)} / ${shownOrDash(cell(n, L).secondMomentRatio)}`)]),
      ),
      "Cells: spread of Θ̄_n entries (std over networks) / E[Θ_n(x,x)²]/E[Θ_n(x,x)]². Both are 0 and 1 at infinite width.",
      fit
        ? `Exponential law: weighted least squares of ln E[Θ²]/E[Θ]² = c β over the ${fit.points} cells whose ratio has a jackknife error under 50% gives c = ${quote(fit.slope)} ± ${quote(fit.stderr)} (largest residual ${quote(fit.maxResidual)} in ln units); over the ${fitSmall?.points ?? 0} cells with β ≤ 0.5, c = ${fitSmall ? `${quote(fitSmall.slope)} ± ${quote(fitSmall.stderr)}` : "not fitted"}. Hanin and Nica's analysis predicts c = ${HANIN_NICA_EXPONENT}. ${fitSmall && fit.slope < 0.5 * fitSmall.slope ? `Over the whole grid the ratio grows far more slowly than the small-β exponential (c drops to ${quote(fit.slope)}): it is not exponential in β there.` : "The whole grid and the small-β cells give similar exponents."} At large β the ratio is a heavy-tailed estimate from ${plan.samples} networks (its error is underestimated there), so the small-β fit is the one to compare.`
        : "Exponential law: too few cells with a usable ratio to fit.",
      `Mean against the limit: ${plan.fixedWidths.map((n) => `at n = ${n} the mean Θ̄_n entry goes ${plan.depths.map((L) => shownOrDash(cell(n, L).meanEntry)).join(", ")} while the infinite-width Θ̄^(L) goes ${plan.depths.map((L) => shownOrDash(cell(n, L).infiniteEntry)).join(", ")} (L = ${plan.depths.join(", ")})`).join("; ")}. The infinite-width entries tend to 1/4 (claim 2's section).`,
      `Training (width ${plan.trainWidth}, ${plan.trainSamples} networks, ${plan.trainSteps} steps at η = 1/(4 λ_max)): RMS distance of the mean trained output from the infinite-width f_t, relative to f_t, is ${trainRows.map((r) => `${r.meanTrainedVsInfinite === null ? `diverged (${String(r.diverged)})` : quote(num(r.meanTrainedVsInfinite), 2)} at L/n = ${quote(num(r.depthOverWidth))}`).join(", ")}; the NTK moves by ${trainRows.map((r) => (r.kernelChange === null ? "—" : quote(num(r.kernelChange), 2))).join(", ")} (‖Θ_t − Θ_0‖_F/‖Θ_0‖_F).${resolveParams(input.params).paperCase ? " In the paper's case σw = 1 a network's outputs at initialization scale like 2^(−(L−1)/2) while the targets are of order 1, so fitting them moves the weights far from their initial values unless n ≫ 2^L: the kernel moves and the trained networks leave the closed form already at small L/n (σw = √2 keeps the outputs of order 1; run the study with --sigma-w to compare)." : ""}`,
    ],
    figures: figures.map((f) => f.name),
    tables: [grid.name, histograms.name, training.name],
  };
  return { sections: [section], tables: [grid, histograms, training, meanTable(grid, plan)], figures, verdict };
}

function meanOffDiagonal(k: Float64Array, m: number): number {
  let s = 0;
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) s += k[i * m + j];
  return s / ((m * (m - 1)) / 2);
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function shownOrDash(c: Cell | undefined): string {
  return typeof c === "number" ? quote(c, 3) : "—";
}

/** Off-diagonal normalized entries of every network alive on every point. */
function entriesOf(r: MonteCarloResult): number[] {
  const m = r.m;
  const out: number[] = [];
  for (const s of r.raw) {
    const k = s.ntk;
    let alive = true;
    for (let i = 0; i < m; i++) if (!(k[i * m + i] > 0)) alive = false;
    if (!alive) continue;
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) out.push(k[i * m + j] / Math.sqrt(k[i * m + i] * k[j * m + j]));
  }
  return out;
}

function histogram(values: readonly number[], bins: number): { binCenter: number; fraction: number }[] {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor(((v + 1) / 2) * bins)))]++;
  return counts.map((c, b) => ({ binCenter: -1 + (2 * b + 1) / bins, fraction: values.length > 0 ? c / values.length : 0 }));
}

/** Mean entry per depth for the fixed widths and the infinite-width value, as one long table. */
function meanTable(grid: DataTable, plan: WidthPlan): DataTable {
  const rows: Record<string, Cell>[] = [];
  for (const n of plan.fixedWidths)
    for (const r of grid.rows.filter((x) => x.width === n)) rows.push({ depth: r.depth, value: r.meanEntry, series: `finite, n = ${n}` });
  for (const r of grid.rows.filter((x) => x.width === plan.fixedWidths[0])) rows.push({ depth: r.depth, value: r.infiniteEntry, series: "infinite width" });
  return {
    name: "width-mean-entry",
    description: "Mean off-diagonal Θ̄_n entry over networks (fixed widths) and the infinite-width Θ̄^(L) mean entry, per depth.",
    columns: [
      { key: "depth", meaning: "L" },
      { key: "value", meaning: "mean off-diagonal entry" },
      { key: "series", meaning: "which" },
    ],
    rows,
  };
}

/** Weighted least squares of y = c x through the origin, with the slope's standard error and the largest residual. */
function fitExponent(
  points: readonly { beta: number; lnR: number; sigma: number }[],
): { slope: number; stderr: number; maxResidual: number; points: number } | null {
  if (points.length < 2) return null;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    const w = 1 / (p.sigma * p.sigma);
    sxx += w * p.beta * p.beta;
    sxy += w * p.beta * p.lnR;
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  const maxResidual = points.reduce((a, p) => Math.max(a, Math.abs(p.lnR - slope * p.beta)), 0);
  return { slope, stderr: Math.sqrt(1 / sxx), maxResidual, points: points.length };
}

/**
 * Claim 5 from the grid: "supported" when (a) the fluctuations vanish as L/n → 0: a power law
 * fitted to the entry spread against L/n over the cells with L/n ≤ 1 has an exponent p with
 * p − 2·stderr > 0.25, and every cell with L/n ≤ 1/16 has a spread ≤ 0.1 and a second-moment ratio
 * ≤ 1.25; (b) every cell with L ≥ 2n has a spread ≥ 0.1 (or fewer than two networks alive on every
 * point) or a ratio ≥ 2; (c) at every width the spread or the ratio's excess over 1 at the deepest
 * depth is more than twice that at the shallowest. A part that fails for most of its cells makes
 * it "not supported"; a part that fails for a few, "inconclusive".
 */
export function judgeWidthCondition(rows: readonly Readonly<Record<string, Cell>>[], fit: { slope: number; stderr: number } | null): ClaimVerdict {
  const reasons: string[] = [];
  const words: VerdictWord[] = [];
  const part = (ok: number, of: number): VerdictWord =>
    of === 0 ? "inconclusive at the depths reached" : ok === of ? "supported" : ok < of / 2 ? "not supported" : "inconclusive at the depths reached";
  const shallow = rows.filter((r) => num(r.depthOverWidth) <= 1 && num(r.spread) > 0).sort((a, b) => num(a.depthOverWidth) - num(b.depthOverWidth));
  const law = fitPowerLaw({ depths: shallow.map((r) => num(r.depthOverWidth)), values: shallow.map((r) => num(r.spread)) });
  if (law) {
    reasons.push(
      `entry spread ≈ ${quote(law.constant, 3)} (L/n)^p over the ${law.points} cells with L/n ≤ 1: p = ${quote(law.slope, 3)} ± ${quote(law.slopeStdErr, 2)} (largest residual ${quote(law.maxResidualLog10, 2)} decades), so the fluctuations ${law.slope - 2 * law.slopeStdErr > 0.25 ? "vanish" : "do not clearly vanish"} as L/n → 0.`,
    );
    words.push(law.slope - 2 * law.slopeStdErr > 0.25 ? "supported" : "not supported");
  } else {
    words.push("inconclusive at the depths reached");
  }
  const wide = rows.filter((r) => num(r.depthOverWidth) <= 1 / 16);
  const close = wide.filter((r) => num(r.spread) <= 0.1 && num(r.secondMomentRatio) <= 1.25);
  reasons.push(
    `width ≫ depth (L/n ≤ 1/16): ${close.length} of ${wide.length} cells have entry spread ≤ 0.1 and E[Θ²]/E[Θ]² ≤ 1.25${wide.length > 0 ? ` (largest spread ${quote(Math.max(...wide.map((r) => num(r.spread))), 3)}, largest ratio ${quote(Math.max(...wide.map((r) => num(r.secondMomentRatio))), 3)})` : ""}.`,
  );
  words.push(part(close.length, wide.length));
  const deep = rows.filter((r) => num(r.depthOverWidth) >= 2);
  const far = deep.filter((r) => !(num(r.spread) < 0.1) || num(r.secondMomentRatio) >= 2);
  reasons.push(
    `depth ≥ 2 × width: ${far.length} of ${deep.length} cells have entry spread ≥ 0.1 (or fewer than two networks alive on every point) or E[Θ²]/E[Θ]² ≥ 2.`,
  );
  words.push(part(far.length, deep.length));
  const widths = [...new Set(rows.map((r) => num(r.width)))];
  const growing = widths.filter((n) => {
    const series = rows.filter((r) => r.width === n).sort((a, b) => num(a.depth) - num(b.depth));
    const [first, lastRow] = [series[0], series[series.length - 1]];
    return num(lastRow.secondMomentRatio) > 1 + 2 * (num(first.secondMomentRatio) - 1) || !(num(lastRow.spread) <= 2 * num(first.spread));
  });
  reasons.push(
    `at ${growing.length} of ${widths.length} widths the ratio's excess over 1 or the spread at the deepest depth is more than twice that at the shallowest.`,
  );
  words.push(part(growing.length, widths.length));
  if (fit)
    reasons.push(
      `fitted E[Θ²]/E[Θ]² ≈ exp(c β) for β = (L − 1)/n ≤ 0.5: c = ${quote(fit.slope)} ± ${quote(fit.stderr)} (Hanin & Nica: ${HANIN_NICA_EXPONENT}).`,
    );
  return { claim: 5, verdict: combineVerdicts(words), reasons };
}
