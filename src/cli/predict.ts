/**
 * `ntk-depth predict`: closed-form predictions of the infinitely wide ReLU network trained by
 * gradient flow (SPEC §6) on a data file, at one depth, in float64 or at high precision
 * (src/predict/fromData.ts). Per test point: the predictions f_t(x) (one per target), the weight
 * row K_x K^{-1} (effective weights at finite t) and its 1-norm.
 */
import { addArchOption } from "./archOption.js";
import type { Command } from "commander";
import type { Decimal } from "decimal.js";
import { loadDataset } from "../data/files.js";
import { type CliIO, kernelSymbol, printJson, progressSink } from "./context.js";
import { parseInteger, parseThreads, THREADS_FLAG, THREADS_HELP } from "./options.js";
import { withProgress } from "./progressBar.js";
import { covarianceRequest, ensembleJson, ensemblePreciseJson, ensemblePreciseText, ensembleText } from "./predictCovariance.js";
import { jsonValueOrReason, SINGULAR_CONDITION_REASON, ZERO_DET_REASON } from "./noValue.js";
import {
  formatFloat64,
  formatFromLog10,
  formatVouched,
  renderTable,
  predict,
  DEFAULT_AUTO_DIGITS,
  type DataPrediction,
  DIAG_REG_SCALES,
  TIME_CONVENTIONS,
  type DiagRegScale,
  type TimeConvention,
  PROJECTIONS,
  type KernelName,
  type Projection,
  MAX_PRECISION,
  MIN_PRECISION,
  TARGET_KINDS,
  type Classification,
  type TargetKind,
} from "../index.js";
import { toArchitecture, correctDigits, FLOAT64_MATCH_DIGITS } from "../advanced.js";
import { addLimitFlags, parseLimits } from "./options.js";
import { countOf, formatConditionEstimate } from "../index.js";
import { printText } from "./context.js";

interface PredictFlags {
  train: string;
  test: string;
  depth: string;
  kernel: string;
  normalized?: boolean;
  time: string;
  learningRate: string;
  diagReg: string;
  diagRegScale: string;
  timeConvention: string;
  projection: string;
  precision?: string;
  maxMemory?: string;
  maxTime?: string;
  digits: string;
  sigmaW: string;
  sigmaB: string;
  targets: string;
  json?: boolean;
  covariance?: string | boolean;
  threads?: string;
}

/** Registers `predict` on the program. */
export function register(program: Command, io: CliIO): void {
  const command = program
    .command("predict")
    .description(
      "Closed-form predictions of the infinitely wide ReLU network trained by gradient flow on the squared loss (SPEC §6): " +
        "f_t(x) = K_x K^{-1} (I − e^{−ηKt}) Y, f_∞(x) = K_x K^{-1} Y, K the Gram matrix of the training points at depth L. " +
        "Per test point: predictions (one per target column), the weight row K_x K^{-1} (at finite t the effective weights " +
        "K_x K^{-1}(I − e^{−ηKt})) and its 1-norm, the quantity the paper bounds. Float64 results carry the condition " +
        "estimate and the digits they keep; --precision results the digits vouched for by a second run 10 digits higher.",
    )
    .requiredOption(
      "--train <FILE>",
      "training data with targets or class labels (JSON or CSV file, see README, or a built-in data set: mnist[0:1000], iris, …)",
    )
    .requiredOption("--test <FILE>", "test points (JSON or CSV file, or a built-in data set; targets ignored, class labels give the accuracy)")
    .requiredOption("--depth <L>", "depth L (number of weight layers), 1 ≤ L ≤ 1e9")
    .option("--kernel <ntk|nngp>", "kernel: the NTK Θ (gradient flow) or the NNGP Σ (Bayesian posterior mean)", "ntk")
    .option("--normalized", "use the normalized kernel (Θ̄ or Σ̄, unit diagonal)")
    .option("--time <T|inf>", "training time t ≥ 0, or inf", "inf")
    .option("--learning-rate <η>", "learning rate η > 0 (only ηt matters)", "1")
    .option("--diag-reg <δ>", "ridge δ ≥ 0: K + δI", "0")
    .option("--diag-reg-scale <scale>", `ridge units: ${DIAG_REG_SCALES.join(" | ")} (mean-diagonal: δ·trace(K)/m, Neural Tangents' default)`, "absolute")
    .option("--time-convention <c>", `${TIME_CONVENTIONS.join(" | ")}: flow = summed loss ½‖f − Y‖²; neural-tangents = mean loss (t divided by m·k)`, "flow")
    .option("--projection <p>", `how points reach the sphere: ${PROJECTIONS.join(" | ")}`, "normalize")
    .option("--precision <P|auto>", `high precision: P significant digits (${MIN_PRECISION}..${MAX_PRECISION}), or auto (enough for --digits correct digits)`)
    .option("--digits <D>", `digits --precision auto must vouch for, 1..${MAX_PRECISION}`, String(DEFAULT_AUTO_DIGITS))
    .option("--sigma-w <σw>", "weight scale σw > 0", "1")
    .option("--sigma-b <σb>", "bias scale σb ≥ 0", "0")
    .option(
      "--targets <values|onehot>",
      `${TARGET_KINDS.join(" | ")}: train on the target columns, or classify: one-hot rows minus 1/C from the class labels, predicted class = argmax, accuracy when the test set has class labels`,
      "values",
    )
    .option(THREADS_FLAG, THREADS_HELP)
    .option("--json", "one JSON document on stdout, every number a decimal string")
    .option(
      "--covariance [what]",
      "also the variance of the ensemble of trained networks at each test point (float64, or at --precision P with digits vouched; docs/PREDICTOR.md); 'full' adds their covariance matrix",
    );
  addLimitFlags(addArchOption(command)).action(async (flags: PredictFlags & { arch?: string }) => {
    const json = flags.json === true;
    const [train, test] = await Promise.all([loadDataset(flags.train), loadDataset(flags.test)]);
    const depth = parseInteger(flags.depth, "--depth", "BAD_DEPTH");
    const precision =
      flags.precision === undefined
        ? undefined
        : flags.precision.trim() === "auto"
          ? ("auto" as const)
          : parseInteger(flags.precision, "--precision", "BAD_PRECISION");
    const covariance = covarianceRequest(flags.covariance, flags.precision);
    const options = {
      train,
      test,
      depth,
      kernel: flags.kernel as KernelName,
      normalized: flags.normalized === true,
      projection: flags.projection as Projection,
      time: flags.time.trim(),
      learningRate: flags.learningRate,
      diagReg: flags.diagReg,
      diagRegScale: flags.diagRegScale as DiagRegScale,
      timeConvention: flags.timeConvention as TimeConvention,
      precision,
      digits: parseInteger(flags.digits, "--digits", "BAD_PRECISION"),
      params: { sigmaW: flags.sigmaW, sigmaB: flags.sigmaB },
      targets: flags.targets.trim() as TargetKind,
      architecture: flags.arch,
      threads: parseThreads(flags.threads),
      ...parseLimits(flags),
    };
    // The ensemble's variance comes with the mean, from the same Gram matrix (in float64 also the same factorization).
    const result = await withProgress(`predictions at depth ${depth}`, progressSink(io, json), (progress) =>
      predict({ ...options, ...(covariance === null ? {} : { covariance }), ...progress }),
    );
    const { ensembleFloat64: ensemble, ensemblePrecise } = result;
    if (json) {
      printJson(io, {
        ...predictionJson(result, flags),
        ...(ensemble === null ? {} : ensembleJson(ensemble)),
        ...(ensemblePrecise === null ? {} : ensemblePreciseJson(ensemblePrecise)),
      });
    } else {
      if (flags.arch !== undefined)
        printText(
          io,
          `Architecture ${toArchitecture(flags.arch, { sigmaW: flags.sigmaW, sigmaB: flags.sigmaB }).text} (depth L: the stem and L − 1 blocks).\n`,
        );
      printText(io, predictionTable(result, flags));
      if (ensemble !== null) printText(io, "\n" + ensembleText(ensemble));
      if (ensemblePrecise !== null) printText(io, "\n" + ensemblePreciseText(ensemblePrecise));
      for (const w of ensemblePrecise?.warnings ?? []) io.err(`warning: ${w}\n`);
      for (const w of result.warnings) io.err(`warning: ${w}\n`);
    }
  });
}

/** A high-precision value with its vouched digits, or null when none is vouched for. */
function vouched(x: Decimal, digits: number): string | null {
  return digits >= 1 ? formatVouched(x, digits) : null;
}

function rows<T>(values: readonly T[], width: number): T[][] {
  return Array.from({ length: values.length / width }, (_, i) => values.slice(i * width, (i + 1) * width));
}

const SOLVER_WORDS = { cholesky: "Cholesky of K", lu: "LU of K", complement: "solved from 1 − K̄, Sherman–Morrison", eigen: "eigendecomposition of K" } as const;

/** Digits to print a float64 determinant with: those it keeps (from the matrix's condition, not the time filter's), at least 1. */
function detDigits(digitsKept: number): number {
  return Math.max(1, Math.min(16, Math.floor(digitsKept)));
}

/**
 * With --precision auto both results exist: the float64 predictions, and the fewest correct
 * significant digits among them, measured against the high-precision ones (which are vouched for
 * to more digits than float64 carries, or to the digits asked for).
 */
function float64Check(r: DataPrediction): { predictions: number[]; correctDigits: number; digitsKept: number; conditionEstimate: number } | null {
  if (r.float64 === null || r.precise === null) return null;
  const f = r.float64;
  const p = r.precise;
  const cap = Math.min(FLOAT64_MATCH_DIGITS, p.digitsVouched.predictions);
  const digits = Array.from(f.predictions, (x, i) => correctDigits(x, p.predictions[i], cap));
  return { predictions: Array.from(f.predictions), correctDigits: Math.min(...digits), digitsKept: f.digitsKept, conditionEstimate: f.conditionEstimate };
}

function float64Json(r: DataPrediction): Record<string, unknown> {
  const c = float64Check(r);
  if (c === null) return {};
  return {
    float64: {
      predictions: rows(c.predictions.map(formatFloat64), r.k),
      correctDigits: String(c.correctDigits),
      digitsKept: formatFloat64(Number(c.digitsKept.toFixed(2))),
      conditionEstimate: Number.isFinite(c.conditionEstimate) ? formatFloat64(c.conditionEstimate) : null,
    },
  };
}

/**
 * The JSON document: one row per test point, numbers as decimal strings. `flowTime` is s = ηt in
 * the flow convention (after converting a Neural Tangents time), `ridge` the δ added to K's diagonal.
 */
function predictionJson(r: DataPrediction, flags: Pick<PredictFlags, "time" | "learningRate" | "diagReg" | "timeConvention">): Record<string, unknown> {
  const head = {
    depth: String(r.depth),
    kernel: r.kernel,
    normalized: r.normalized,
    projection: r.projection,
    time: flags.time,
    learningRate: flags.learningRate,
    diagReg: flags.diagReg,
    timeConvention: flags.timeConvention,
  };
  if (r.precise !== null) {
    const p = r.precise;
    const v = p.digitsVouched;
    return {
      ...head,
      flowTime: p.flowTime === null ? "inf" : p.flowTime.toString(),
      ridge: p.ridge.toString(),
      predictions: rows(
        p.predictions.map((x) => vouched(x, v.predictions)),
        p.k,
      ),
      weights: rows(
        p.weights.map((x) => vouched(x, v.weights)),
        p.m,
      ),
      weightsL1: p.weightsL1.map((x) => vouched(x, v.weightsL1)),
      determinant: vouched(p.determinant.det, v.determinant),
      ...jsonValueOrReason("log10AbsDet", p.determinant.signDet === 0 ? null : formatFloat64(p.determinant.log10AbsDet), ZERO_DET_REASON),
      conditionEstimate: formatFloat64(p.conditionEstimate),
      digitsVouched: { predictions: String(v.predictions), weights: String(v.weights), weightsL1: String(v.weightsL1), determinant: String(v.determinant) },
      precision: String(r.precisionUsed),
      workingPrecision: String(p.workingPrecision),
      gramDigitsVouched: String(r.gramDigitsVouched),
      vouchedBy: p.vouchedBy,
      ...float64Json(r),
      ...classificationJson(r.classification),
      warnings: r.warnings,
    };
  }
  const f = r.float64!;
  return {
    ...head,
    flowTime: f.flowTime === null ? "inf" : formatFloat64(f.flowTime),
    ridge: formatFloat64(f.ridge),
    predictions: rows(Array.from(f.predictions, formatFloat64), f.k),
    weights: rows(Array.from(f.weights, formatFloat64), f.m),
    weightsL1: Array.from(f.weightsL1, formatFloat64),
    determinant: formatFromLog10(f.determinant.signDet, f.determinant.log10AbsDet, detDigits(f.determinantDigitsKept)),
    ...jsonValueOrReason("log10AbsDet", f.determinant.signDet === 0 ? null : formatFloat64(f.determinant.log10AbsDet), ZERO_DET_REASON),
    ...jsonValueOrReason("conditionEstimate", Number.isFinite(f.conditionEstimate) ? formatFloat64(f.conditionEstimate) : null, SINGULAR_CONDITION_REASON),
    ...jsonValueOrReason(
      "kernelConditionEstimate",
      Number.isFinite(f.kernelConditionEstimate) ? formatFloat64(f.kernelConditionEstimate) : null,
      SINGULAR_CONDITION_REASON,
    ),
    solver: f.solver,
    digitsKept: formatFloat64(Number(f.digitsKept.toFixed(2))),
    ...classificationJson(r.classification),
    warnings: r.warnings,
  };
}

/**
 * With --targets onehot: the classes (target-column order), the predicted and the true class of
 * each test point, the accuracy and the majority-class rate (null without test labels).
 */
function classificationJson(c: Classification | null): Record<string, unknown> {
  if (c === null) return {};
  return {
    classes: c.classes,
    predictedClass: c.predictedClass,
    trueClass: c.trueIndex === null ? null : Array.from(c.trueIndex, (j) => c.classes[j]),
    accuracy: c.accuracy === null ? null : formatFloat64(c.accuracy),
    majorityClass: c.majorityClass,
    majorityRate: c.majorityRate === null ? null : formatFloat64(c.majorityRate),
  };
}

/** The human-readable report. */
function predictionTable(
  r: DataPrediction,
  flags: Pick<PredictFlags, "time" | "learningRate" | "diagReg" | "timeConvention" | "precision" | "digits">,
): string {
  const kernelName = `${kernelSymbol(r.kernel, r.normalized)} (${r.normalized ? "normalized" : "raw"})`;
  const legend = [
    `Kernel ${kernelName} at depth L = ${r.depth}; ${countOf(r.m, "training point")}, ${countOf(r.testCount, "test point")}, ${countOf(r.k, "target")}; projection ${r.projection}.`,
    `Time t = ${flags.time} (${flags.timeConvention} convention), η = ${flags.learningRate}, ridge δ = ${flags.diagReg}.`,
  ];
  const columns = [
    { header: "point" },
    ...Array.from({ length: r.k }, (_, j) => ({ header: `f[${j + 1}]`, align: "left" as const })),
    { header: "|w|_1", align: "left" as const },
  ];
  let body: string[][];
  if (r.precise !== null) {
    const p = r.precise;
    const v = p.digitsVouched;
    const text = (x: Decimal, d: number) => vouched(x, d) ?? "lost";
    body = Array.from({ length: p.testCount }, (_, i) => [
      String(i + 1),
      ...p.predictions.slice(i * p.k, (i + 1) * p.k).map((x) => text(x, v.predictions)),
      text(p.weightsL1[i], v.weightsL1),
    ]);
    legend.push(
      `High precision${flags.precision === "auto" ? ` (--precision auto for ${flags.digits} digits)` : ""}: Gram matrix at ${r.precisionUsed} digits (${r.gramDigitsVouched} vouched), solve at ${p.workingPrecision}; digits vouched: predictions ${v.predictions}, weights ${v.weights}, |w|_1 ${v.weightsL1}, det ${v.determinant} (${p.vouchedBy}).`,
      `det(K + δI) = ${vouched(p.determinant.det, v.determinant) ?? "not vouched for"}; condition ≈ ${formatConditionEstimate(p.conditionEstimate)}.`,
    );
    const c = float64Check(r);
    if (c !== null) {
      legend.push(
        `Float64 beside it: predictions correct to ${c.correctDigits} significant digits (fewest over entries; ${c.digitsKept.toFixed(1)} expected from its condition estimate ${formatConditionEstimate(c.conditionEstimate)}).`,
      );
    }
  } else {
    const f = r.float64!;
    body = Array.from({ length: f.testCount }, (_, i) => [
      String(i + 1),
      ...Array.from(f.predictions.subarray(i * f.k, (i + 1) * f.k), formatFloat64),
      formatFloat64(f.weightsL1[i]),
    ]);
    legend.push(
      `Float64 (${SOLVER_WORDS[f.solver]}): condition estimate ${formatConditionEstimate(f.conditionEstimate)}${f.solver === "complement" ? ` (κ(K) ≈ ${formatConditionEstimate(f.kernelConditionEstimate)})` : ""}, about ${Math.floor(f.digitsKept)} significant digits kept; det(K + δI) = ${formatFromLog10(f.determinant.signDet, f.determinant.log10AbsDet, detDigits(f.determinantDigitsKept))}.`,
    );
  }
  legend.push("f[j] = prediction for target column j; |w|_1 = 1-norm of the test point's weight row (--json prints the rows).");
  const c = r.classification;
  if (c !== null) {
    columns.push({ header: "class" }, ...(c.trueIndex === null ? [] : [{ header: "true" }]));
    body = body.map((row, i) => [...row, c.predictedClass[i], ...(c.trueIndex === null ? [] : [c.classes[c.trueIndex[i]]])]);
    legend.push(
      `Classification (--targets onehot): target columns f[1…${c.classes.length}] are the classes ${c.classes.join(", ")} (one-hot minus 1/${c.classes.length}); class = the column with the largest prediction.`,
      c.accuracy === null
        ? "The test points have no class labels, so no accuracy."
        : `Accuracy ${formatFloat64(c.accuracy)} (${Math.round(c.accuracy * r.testCount)} of ${countOf(r.testCount, "test point")}); always answering the most frequent training class (${c.majorityClass}) would score ${formatFloat64(c.majorityRate!)}.`,
    );
  }
  return [...legend, "", renderTable(columns, body), ""].join("\n");
}
