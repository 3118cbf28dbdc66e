/**
 * The study's section on architectures beyond the ReLU network (open questions 1 and 3 of the
 * paper): for each architecture of {@link STUDY_ARCHITECTURES}, on the study's random points, the
 * normalized NNGP Σ̄ and NTK Θ̄ through depth (float64, src/arch/), their depth limits (a constant
 * matrix? which constant?), the rate at which 1 − ρ closes, det Θ̄ and det Σ̄ of the training
 * points, and whether the predictions f_∞(x) = Θ̄_x Θ̄^{-1} Y become the same for every test point.
 * Two sweeps answer "which constant, as a function of the slope or α": the Θ̄ limit of one pair for
 * two-slope activations across λ = (b − a)²/(a² + b²), and ρ^(L) of residual networks across α.
 * Every verdict is computed here from the numbers. Browser-safe.
 */
import { cellNumber, type Cell, type DataTable } from "./dataTable.js";
import { markdownTable, type ReportSection } from "./document.js";
import { lineChart, type Figure } from "./figures.js";
import { powersOfTwo } from "./plan.js";
import { estimateLimit, fitPowerLaw, tailOf } from "./series.js";
import { subdivide } from "./stages.js";
import { quote } from "./verdicts.js";
import {
  archGramThroughDepthFloat64,
  archPairThroughDepthFloat64,
  datasetFromArrays,
  isNtkError,
  predictThroughDepth,
  type ProgressOptions,
  projectToSphereFloat64,
  type RawPoints,
  randomGaussianPoints,
  syntheticLabels,
} from "../index.js";
import { determinantFromComplement } from "../advanced.js";

/** The architectures compared, one summary row each (dense layers σw = 1, σb = 0 unless stated). */
export const STUDY_ARCHITECTURES: readonly { readonly name: string; readonly text: string; readonly maxLog2?: number }[] = [
  { name: "ReLU (reference)", text: "relu dense" },
  { name: "leaky ReLU, slope 0.1", text: "leaky_relu(0.1) dense" },
  { name: "leaky ReLU, slope 0.5", text: "leaky_relu(0.5) dense" },
  { name: "|x| (two-slope a = −1, b = 1)", text: "abs dense" },
  { name: "erf", text: "erf dense" },
  { name: "erf, σb = 0.3 (ordered phase)", text: "stem(dense(1,0.3)) block(erf dense(1,0.3))" },
  // Chaotic phase: Θ(x,x)/Σ(x,x) grows geometrically and leaves the float64 range near L = 2^12.
  { name: "erf, σw = 1.5, σb = 0.3 (chaotic phase)", text: "stem(dense(1.5,0.3)) block(erf dense(1.5,0.3))", maxLog2: 10 },
  { name: "residual ReLU, α = 1", text: "residual(alpha=1; relu dense)" },
  { name: "residual ReLU, α = 1/√L", text: "residual(alpha=1/sqrt(L); relu dense)" },
];

/** Slopes of the leaky-ReLU sweep (λ = (1 − s)²/(1 + s²)) and α of the residual sweep. */
const SLOPES = ["0", "0.2", "0.5", "0.8", "-0.5", "-1"];
const ALPHAS = ["1", "0.5", "0.25", "1/sqrt(L)", "2/sqrt(L)", "0.5/sqrt(L)"];
const SWEEP_RHO1 = "0.5";

const TRAIN = 6;
const TEST = 3;
const INPUT_DIM = 3;

/** Everything the section computed. */
export interface ArchitectureStudy {
  readonly maxDepth: number;
  readonly depthTable: DataTable;
  readonly summary: DataTable;
  readonly slopeSweep: DataTable;
  readonly alphaSweep: DataTable;
}

const num = cellNumber;

/** Off-diagonal entries of an m × m row-major matrix. */
function offDiagonal(a: Float64Array, m: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) out.push(a[i * m + j]);
  return out;
}

/** The training block (first `train` rows and columns) of an m × m matrix. */
function trainBlock(a: Float64Array, m: number, train: number): Float64Array {
  const out = new Float64Array(train * train);
  for (let i = 0; i < train; i++) for (let j = 0; j < train; j++) out[i * train + j] = a[i * m + j];
  return out;
}

/**
 * Runs the section: one float64 Gram pass per architecture over the study's random points (train
 * and test) at L = 1, 2, 4, …, 2^maxLog2, float64 predictions of the normalized NTK at the same
 * depths, and the two sweeps on one pair (ρ1 = 0.5). Errors: those of the kernel paths.
 */
export async function runArchitectureStudy(maxLog2: number, seed: number, progress: ProgressOptions): Promise<ArchitectureStudy> {
  const sweepDepths = powersOfTwo(maxLog2).slice(-3);
  const maxDepth = 2 ** maxLog2;
  const raw = randomGaussianPoints(TRAIN + TEST, INPUT_DIM, seed);
  const points = projectToSphereFloat64(raw, "normalize");
  const labels = syntheticLabels(points);
  const rows = (from: number, to: number): RawPoints => ({ m: to - from, n0: raw.n0, coords: raw.coords.slice(from * raw.n0, to * raw.n0) });
  const train = datasetFromArrays({
    points: Array.from({ length: TRAIN }, (_, i) => Array.from(raw.coords.slice(i * INPUT_DIM, (i + 1) * INPUT_DIM))),
    labels: Array.from(labels.slice(0, TRAIN)),
    source: "architecture study training points",
  });
  const test = rows(TRAIN, TRAIN + TEST);
  const m = TRAIN + TEST;
  const parts = STUDY_ARCHITECTURES.length + 2;
  const depthRows: Record<string, Cell>[] = [];
  for (const [k, a] of STUDY_ARCHITECTURES.entries()) {
    const depths = powersOfTwo(Math.min(maxLog2, a.maxLog2 ?? maxLog2));
    const stage = subdivide(progress, k, parts);
    const { grams } = await archGramThroughDepthFloat64({ points, depths, architecture: a.text, ...subdivide(stage, 0, 2) });
    const predictions = new Map<number, number[]>();
    for (const depth of depths) {
      try {
        const [p] = await predictThroughDepth({
          train,
          test,
          depths: [depth],
          kernel: "ntk",
          normalized: true,
          architecture: a.text,
          ...subdivide(stage, 1, 2),
        });
        if (p.float64 && p.float64.predictions.every(Number.isFinite)) predictions.set(depth, Array.from(p.float64.predictions));
      } catch (e) {
        if (!isNtkError(e, "SINGULAR_MATRIX")) throw e;
      }
    }
    for (const g of grams) {
      const sigma = offDiagonal(g.sigmaNormalized, m);
      const ntk = offDiagonal(g.ntkNormalized, m);
      const oneMinusSigma = offDiagonal(g.oneMinusSigmaNormalized, m);
      const detNtk = await determinantFromComplement(trainBlock(g.oneMinusNtkNormalized, m, TRAIN), TRAIN);
      const detNngp = await determinantFromComplement(trainBlock(g.oneMinusSigmaNormalized, m, TRAIN), TRAIN);
      const f = predictions.get(g.depth);
      const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
      depthRows.push({
        architecture: a.name,
        depth: g.depth,
        sigmaMean: mean(sigma),
        sigmaSpread: Math.max(...sigma) - Math.min(...sigma),
        oneMinusRhoMin: Math.min(...oneMinusSigma),
        ntkMean: mean(ntk),
        ntkSpread: Math.max(...ntk) - Math.min(...ntk),
        log10DetNtk: detNtk && detNtk.signDet !== 0 ? detNtk.log10AbsDet : null,
        log10DetNngp: detNngp && detNngp.signDet !== 0 ? detNngp.log10AbsDet : null,
        predictionSpread: f ? Math.max(...f) - Math.min(...f) : null,
        predictionMean: f ? mean(f) : null,
      });
    }
  }
  const slopeSweep = await sweep(
    "architecture-slope-sweep",
    `Θ̄ and ρ = Σ̄ of one pair (ρ1 = ${SWEEP_RHO1}) for leaky ReLUs of slope s (two-slope a = s, b = 1; λ = (1 − s)²/(1 + s²)) at L = 2^${maxLog2 - 2}, 2^${maxLog2 - 1}, 2^${maxLog2}, with Aitken's extrapolation of Θ̄.`,
    SLOPES.map((s) => ({ label: `s = ${s}`, text: `leaky_relu(${s}) dense`, lambda: (1 - Number(s)) ** 2 / (1 + Number(s) ** 2) })),
    sweepDepths,
    subdivide(progress, parts - 2, parts),
  );
  const alphaSweep = await sweep(
    "architecture-alpha-sweep",
    `Θ̄ and ρ = Σ̄ of one pair (ρ1 = ${SWEEP_RHO1}) for residual ReLU networks x + α·dense(relu(x)) at L = 2^${maxLog2 - 2}, 2^${maxLog2 - 1}, 2^${maxLog2}, with Aitken's extrapolation.`,
    ALPHAS.map((alpha) => ({ label: `α = ${alpha}`, text: `residual(alpha=${alpha}; relu dense)`, lambda: null })),
    sweepDepths,
    subdivide(progress, parts - 1, parts),
  );
  const depthTable: DataTable = {
    name: "architecture-depth",
    description: `Normalized kernels of ${STUDY_ARCHITECTURES.length} architectures through depth on ${m} random points on S^${INPUT_DIM - 1} (${TRAIN} train, ${TEST} test; seed ${seed}), float64 (src/arch/, within 1e-12 relative of mpmath in the complements).`,
    columns: [
      { key: "architecture", meaning: "the network (docs/ARCHITECTURES.md)" },
      { key: "depth", meaning: "L: the stem and L − 1 blocks" },
      { key: "sigmaMean", meaning: "mean off-diagonal Σ̄ over all point pairs" },
      { key: "sigmaSpread", meaning: "max − min of the off-diagonal Σ̄ (0: a constant matrix)" },
      { key: "oneMinusRhoMin", meaning: "smallest off-diagonal 1 − Σ̄" },
      { key: "ntkMean", meaning: "mean off-diagonal Θ̄" },
      { key: "ntkSpread", meaning: "max − min of the off-diagonal Θ̄" },
      { key: "log10DetNtk", meaning: "log10 det Θ̄ of the training points (from 1 − Θ̄); null: det 0 in float64" },
      { key: "log10DetNngp", meaning: "log10 det Σ̄ of the training points" },
      { key: "predictionSpread", meaning: "max − min over the test points of f_∞(x) = Θ̄_x Θ̄^{-1} Y (float64; null: no result)" },
      { key: "predictionMean", meaning: "mean of f_∞ over the test points" },
    ],
    rows: depthRows,
  };
  return { maxDepth, depthTable, summary: summarize(depthTable), slopeSweep, alphaSweep };
}

async function sweep(
  name: string,
  description: string,
  cases: readonly { label: string; text: string; lambda: number | null }[],
  depths: readonly number[],
  progress: ProgressOptions,
): Promise<DataTable> {
  const rows: Record<string, Cell>[] = [];
  for (const [k, c] of cases.entries()) {
    const r = await archPairThroughDepthFloat64({
      rho1: SWEEP_RHO1,
      depth: depths[depths.length - 1],
      at: depths,
      architecture: c.text,
      ...subdivide(progress, k, cases.length),
    });
    const ntk = r.points.map((p) => p.ntkNormalized);
    const rho = r.points.map((p) => p.rho);
    rows.push({
      case: c.label,
      lambda: c.lambda,
      rhoAtMax: rho[rho.length - 1],
      rhoLimit: estimateLimit({ depths, values: rho })?.limit ?? null,
      ntkAtMax: ntk[ntk.length - 1],
      ntkLimit: estimateLimit({ depths, values: ntk })?.limit ?? null,
    });
  }
  return {
    name,
    description,
    columns: [
      { key: "case", meaning: "the slope s or the residual scale α" },
      { key: "lambda", meaning: "λ = (b − a)²/(a² + b²), the weight of the ReLU arc-cosine map in the normalized map (two-slope activations)" },
      { key: "rhoAtMax", meaning: `ρ^(L) at the deepest L` },
      { key: "rhoLimit", meaning: "Aitken's extrapolation of ρ^(L) from the three depths" },
      { key: "ntkAtMax", meaning: "Θ̄^(L) at the deepest L" },
      { key: "ntkLimit", meaning: "Aitken's extrapolation of Θ̄^(L)" },
    ],
    rows,
  };
}

/** A limit verdict of an off-diagonal kernel from its spread and mean through depth. */
function limitVerdict(spread: number[], mean: number[], depths: readonly number[]): { text: string; constant: number | null } {
  const n = spread.length;
  const first = spread[0];
  const lastSpread = spread[n - 1];
  // Shrinking by 10% or more per factor of 4 in depth over the last octaves, and small: the entries merge.
  const shrinking = lastSpread <= 0.9 * spread[n - 3] || lastSpread < 1e-12;
  if (lastSpread < 0.05 * first && shrinking) {
    // Aitken's Δ² on the last three depths, unless it jumps further than ten last steps (then the last value).
    const aitken = estimateLimit({ depths, values: mean });
    const step = Math.abs(mean[n - 1] - mean[n - 2]);
    const c = aitken && Math.abs(aitken.limit - mean[n - 1]) <= 10 * step ? aitken.limit : mean[n - 1];
    const which =
      Math.abs(c) < 1e-3
        ? "the identity matrix: off-diagonal → 0"
        : 1 - c < 1e-2
          ? "the matrix of ones: off-diagonal → 1"
          : `a constant matrix: off-diagonal → ${quote(c, 4)}`;
    return {
      text: `${which} (mean ${quote(mean[n - 1], 4)}, extrapolated ${quote(c, 4)}, spread ${quote(lastSpread, 2)} at the deepest L, from ${quote(first, 2)} at L = 1)`,
      constant: c,
    };
  }
  if (lastSpread >= 0.98 * spread[n - 3])
    return {
      text: `not constant: the entries stay apart (spread ${quote(lastSpread, 3)} at the deepest L, ${quote(spread[n - 3], 3)} at a quarter of it)`,
      constant: null,
    };
  return { text: `inconclusive at the depths reached (spread ${quote(lastSpread, 3)}, shrinking)`, constant: null };
}

function summarize(t: DataTable): DataTable {
  const rows: Record<string, Cell>[] = [];
  for (const a of STUDY_ARCHITECTURES) {
    const r = t.rows.filter((x) => x.architecture === a.name);
    const depths = r.map((x) => num(x.depth));
    const col = (key: string) => r.map((x) => num(x[key]));
    const sigma = limitVerdict(col("sigmaSpread"), col("sigmaMean"), depths);
    const ntk = limitVerdict(col("ntkSpread"), col("ntkMean"), depths);
    // Rate of the smallest 1 − ρ: a power law over the deeper half when it falls like one, else whether it levels off or grows.
    const gap = col("oneMinusRhoMin");
    const n = gap.length;
    const half = Math.ceil(depths.length / 2);
    const fit = fitPowerLaw(tailOf({ depths, values: gap }, half));
    let rate: string;
    if (fit && (fit.slope < -10 || gap[n - 1] < 1e-300))
      rate = `closes geometrically (faster than any power of L): 1 − ρ = ${quote(gap[n - 1], 2)} at L = ${depths[n - 1]}${gap[n - 1] < 2 ** -1022 ? ", below the normal float64 range (use the high-precision path for its digits)" : ""}`;
    else if (fit && fit.slope < -0.3)
      rate = `closes algebraically: 1 − ρ ∝ L^${quote(fit.slope, 3)} (±${quote(fit.slopeStdErr, 1)}, fit over L ≥ ${depths[depths.length - half]}; ${quote(gap[n - 1], 3)} at the deepest L)`;
    else if (Math.abs(gap[n - 1] / gap[n - 3] - 1) < 0.02) rate = `does not close: 1 − ρ levels off at ${quote(gap[n - 1], 4)}`;
    else if (gap[n - 1] > gap[n - 3]) rate = `does not close: 1 − ρ grows (${quote(gap[n - 3], 3)} → ${quote(gap[n - 1], 3)} over the last factor 4)`;
    else rate = `closing slowly: ${quote(gap[n - 3], 3)} → ${quote(gap[n - 1], 3)} over the last factor 4`;
    const det = (key: string): string => {
      const v = col(key);
      const n = v.length;
      const last = v[n - 1];
      if (!Number.isFinite(last)) return "collapses: det is 0 in float64 at the deepest L";
      const drop = v[n - 3] - last;
      if (drop > 0.5)
        return `collapses: log10 det ${quote(v[1], 3)} at L = 2 → ${quote(last, 3)}, still falling (${quote(drop, 2)} decades over the last factor 4)`;
      if (drop < 0.02) return `bounded away from 0: log10 det ${quote(v[1], 3)} at L = 2 → ${quote(last, 3)}${drop < -0.02 ? ", rising" : ", level"}`;
      return `falling slowly: log10 det ${quote(v[1], 3)} at L = 2 → ${quote(last, 3)} (${quote(drop, 2)} decades over the last factor 4)`;
    };
    const spread = col("predictionSpread");
    const f = spread[spread.length - 1];
    const f2 = spread[1];
    const spreadFit = fitPowerLaw(tailOf({ depths, values: spread }, 3));
    const value = quote(num(r[r.length - 1].predictionMean), 4);
    const predictions = !Number.isFinite(f)
      ? "no float64 prediction at the deepest L: Θ̄ is singular in float64 there"
      : f < 1e-3 * f2
        ? `yes: f_∞ is the same at every test point to ${quote(f, 2)} (spread ${quote(f2, 2)} at L = 2), value ${value}`
        : spreadFit && spreadFit.slope < -0.3
          ? `tending to it: the spread over test points falls as L^${quote(spreadFit.slope, 3)} (${quote(f, 2)} at the deepest L, ${quote(f2, 2)} at L = 2)`
          : `no: test points keep different predictions (spread ${quote(f, 3)}, ${quote(f2, 3)} at L = 2)`;
    rows.push({
      architecture: a.name,
      text: a.text,
      deepest: depths[depths.length - 1],
      nngpLimit: sigma.text,
      ntkLimit: ntk.text,
      rate,
      detNtk: det("log10DetNtk"),
      detNngp: det("log10DetNngp"),
      predictions,
    });
  }
  return {
    name: "architecture-summary",
    description: "One row per architecture, verdicts computed from architecture-depth (L = 1, 2, 4, … to each architecture's deepest depth).",
    columns: [
      { key: "architecture", meaning: "the network" },
      { key: "text", meaning: "its --arch text" },
      { key: "deepest", meaning: "the deepest L computed" },
      { key: "nngpLimit", meaning: "depth limit of Σ̄" },
      { key: "ntkLimit", meaning: "depth limit of Θ̄" },
      { key: "rate", meaning: "how 1 − ρ^(L) closes" },
      { key: "detNtk", meaning: "det Θ̄ of the training points through depth" },
      { key: "detNngp", meaning: "det Σ̄ of the training points through depth" },
      { key: "predictions", meaning: "whether f_∞(x) becomes the same for every test point" },
    ],
    rows,
  };
}

/** The section's figures. */
export function architectureFigures(s: ArchitectureStudy): Figure[] {
  const t = s.depthTable;
  return [
    lineChart({
      name: "architecture-ntk",
      title: "Mean off-diagonal Θ̄ by architecture",
      caption: "Mean off-diagonal entry of Θ̄ over the study's random points, against depth, one line per architecture.",
      table: t,
      x: { key: "depth", title: "depth L", log: true },
      y: { key: "ntkMean", title: "mean Θ̄ entry" },
      series: "architecture",
    }),
    lineChart({
      name: "architecture-nngp",
      title: "Mean off-diagonal Σ̄ by architecture",
      caption: "Mean off-diagonal entry of Σ̄ (the correlation ρ) against depth.",
      table: t,
      x: { key: "depth", title: "depth L", log: true },
      y: { key: "sigmaMean", title: "mean Σ̄ entry" },
      series: "architecture",
    }),
    lineChart({
      name: "architecture-rho-rate",
      title: "Smallest 1 − ρ by architecture",
      caption: "Smallest off-diagonal 1 − Σ̄ against depth on log–log axes: a straight line falling is algebraic closing; a level line, no closing.",
      table: t,
      x: { key: "depth", title: "depth L", log: true },
      y: { key: "oneMinusRhoMin", title: "min 1 − ρ", log: true },
      series: "architecture",
      where: (r) => num(r.oneMinusRhoMin as Cell) > 0,
    }),
    lineChart({
      name: "architecture-det",
      title: "log10 det Θ̄ of the training points",
      caption: "log10 det Θ̄ of the training Gram matrix (from 1 − Θ̄) against depth.",
      table: t,
      x: { key: "depth", title: "depth L", log: true },
      y: { key: "log10DetNtk", title: "log10 det Θ̄" },
      series: "architecture",
    }),
    lineChart({
      name: "architecture-prediction-spread",
      title: "Spread of f_∞ over the test points",
      caption: "max − min over the test points of f_∞(x) = Θ̄_x Θ̄^{-1} Y against depth (log–log): falling to 0 means the prediction no longer depends on x.",
      table: t,
      x: { key: "depth", title: "depth L", log: true },
      y: { key: "predictionSpread", title: "spread of f_∞", log: true },
      series: "architecture",
      where: (r) => num(r.predictionSpread as Cell) > 0,
    }),
  ];
}

/** The section of index.md. */
export function architectureSection(s: ArchitectureStudy): ReportSection {
  const cell = (c: Cell): string => (c === null ? "—" : typeof c === "number" ? quote(c, 4) : c);
  return {
    heading: "Beyond the ReLU network: other activations and residual networks (open questions 1 and 3)",
    paragraphs: [
      `The same questions for other architectures (docs/ARCHITECTURES.md derives their kernels): the depth limits of Σ̄ and Θ̄ on the study's random points (L = 1, 2, 4, …, ${s.maxDepth}; the chaotic erf network to 2^10, beyond which Θ(x,x)/Σ(x,x) leaves the float64 range), how 1 − ρ closes, whether det Θ̄ and det Σ̄ of the training points collapse, and whether f_∞(x) = Θ̄_x Θ̄^{-1} Y becomes the same at every test point. Dense layers have σw = 1, σb = 0 unless stated (the normalized kernels of the homogeneous activations do not depend on σw then). Verdicts come from the numbers in architecture-depth.`,
      markdownTable(
        ["architecture", "deepest L", "Σ̄ limit", "Θ̄ limit", "1 − ρ", "det Θ̄", "det Σ̄", "f_∞ the same at every test point?"],
        s.summary.rows.map((r) => [
          String(r.architecture),
          String(r.deepest),
          String(r.nngpLimit),
          String(r.ntkLimit),
          String(r.rate),
          String(r.detNtk),
          String(r.detNngp),
          String(r.predictions),
        ]),
      ),
      `Which constant, as a function of the slope: leaky ReLUs of slope s (two-slope a = s, b = 1; normalized map λ h(ρ) + (1 − λ) ρ), one pair with ρ1 = ${SWEEP_RHO1}.`,
      markdownTable(
        ["slope", "λ", "ρ at the deepest L", "Θ̄ at the deepest L", "Θ̄ extrapolated"],
        s.slopeSweep.rows.map((r) => [String(r.case), cell(r.lambda), cell(r.rhoAtMax), cell(r.ntkAtMax), cell(r.ntkLimit)]),
      ),
      `And as a function of α: residual ReLU networks x + α·dense(relu(x)), same pair.`,
      markdownTable(
        ["α", "ρ at the deepest L", "ρ extrapolated", "Θ̄ at the deepest L", "Θ̄ extrapolated"],
        s.alphaSweep.rows.map((r) => [String(r.case), cell(r.rhoAtMax), cell(r.rhoLimit), cell(r.ntkAtMax), cell(r.ntkLimit)]),
      ),
    ],
    figures: ["architecture-ntk", "architecture-nngp", "architecture-rho-rate", "architecture-det", "architecture-prediction-spread"],
    tables: ["architecture-summary", "architecture-depth", "architecture-slope-sweep", "architecture-alpha-sweep"],
  };
}
