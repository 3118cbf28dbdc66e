/**
 * `ntk-depth kernel`: the Gram matrix of one kernel (NTK Θ or NNGP Σ, raw or normalized) of a data
 * file at depth L, in float64 (SPEC §2, §5), with what SPEC §5 reports together: det, log10|det|
 * with its sign, a condition-number estimate, and the digits a float64 solve keeps. When the
 * matrix is exactly singular because points coincide on the sphere, it says which.
 */
import { Option, type Command } from "commander";
import { loadDataset } from "../data/files.js";
import { type GramAtDepthFloat64, LOST_NTK_COMPLEMENT, LOST_SIGMA_COMPLEMENT } from "../index.js";
import { addArchOption } from "./archOption.js";
import { resolveDepth, resolveParams } from "../params.js";
import { type CliIO, kernelSymbol, printJson, progressSink } from "./context.js";
import { jsonValueOrReason, SINGULAR_CONDITION_REASON, textOrReason, ZERO_DET_REASON } from "./noValue.js";
import { addLimitFlags, parseInteger, parseLimits, parseThreads, THREADS_FLAG, THREADS_HELP } from "./options.js";
import { withProgress } from "./progressBar.js";
import { runKernelCompare, runKernelPrecise } from "./kernelPrecise.js";
import {
  formatFloat64,
  formatFromLog10,
  formatScaled,
  renderTable,
  kernelMatrixFloat64,
  analyzeMatrixFloat64,
  FLOAT64_DIGITS,
  type MatrixAnalysisFloat64,
  PROJECTIONS,
  projectToSphereFloat64,
  type KernelName,
  type Projection,
  MAX_PRECISION,
  MIN_PRECISION,
  NtkError,
} from "../index.js";
import { gramFloat64For, toArchitecture, depthOneBias, findSingularCauses, type SingularCause } from "../advanced.js";
import { countOf, formatConditionEstimate } from "../index.js";
import { printText } from "./context.js";

interface KernelFlags {
  data: string;
  depth: string;
  kernel: KernelName;
  normalized?: boolean;
  projection: Projection;
  sigmaW: string;
  sigmaB: string;
  json?: boolean;
  threads?: string;
  precision?: string;
  maxMemory?: string;
  maxTime?: string;
  compare?: boolean;
  scanTo?: string;
}

/** log10 2, to move a power-of-two scale into log10|det|. */
const LOG10_2 = Math.log10(2);
/** Smallest positive normal float64: a det below it has lost significant bits. */
const MIN_NORMAL = 2 ** -1022;

/** Everything the command prints, before it becomes text. */
export interface KernelReport {
  readonly depth: number;
  readonly kernel: KernelName;
  readonly normalized: boolean;
  readonly m: number;
  /** Dimension of the points on the sphere (raw n0, plus one for "stereographic"). */
  readonly n0: number;
  /** Entries as decimal text, row-major rows. */
  readonly gram: string[][];
  readonly det: string;
  /** null when det K = 0 (see noValue.ts). */
  readonly log10AbsDet: string | null;
  readonly signDet: -1 | 0 | 1;
  /** null for an exactly singular K. */
  readonly conditionEstimate: string | null;
  readonly digitsKept: string;
  readonly singular: boolean;
  /** Pairs of points (1-based) that are the same point on the sphere (not pairs equal only after float64 rounding: see notes). */
  readonly coincidentPoints: [number, number][];
  readonly notes: string[];
}

/** Registers `kernel` on the program. */
export function register(program: Command, io: CliIO): void {
  const command = program
    .command("kernel")
    .description(
      "The Gram matrix K_ij = k(x_i, x_j) of a data file's points at depth L (SPEC §5): the NTK Θ or the NNGP kernel Σ, raw " +
        "or normalized to unit diagonal (Θ̄, Σ̄), computed in float64 through the stable complement recursion (SPEC §4). " +
        "Then det K, log10|det K| with its sign, a 1-norm condition-number estimate κ1 and the significant digits a float64 " +
        "solve with K keeps (about 16 − log10 κ1). Raw values beyond the float64 range are printed exactly as mantissa × 2^k.",
    )
    .requiredOption("--data <FILE>", 'data file: .json ({"points": [[…], …]}) or .csv with a header, or a built-in data set: mnist[0:100], iris, …')
    .requiredOption("--depth <L>", "depth L (number of weight layers), 1 ≤ L ≤ 1e9")
    .addOption(new Option("--kernel <name>", "which kernel: ntk (Θ) or nngp (Σ)").choices(["ntk", "nngp"]).default("ntk"))
    .option("--normalized", "normalize to unit diagonal (Θ̄ = Θ / sqrt(Θ(x,x) Θ(x′,x′)), likewise Σ̄)")
    .addOption(new Option("--projection <p>", "how raw points are put on the unit sphere (SPEC §7)").choices([...PROJECTIONS]).default("normalize"))
    .option("--sigma-w <σw>", "weight scale σw > 0, read as the decimal it spells", "1")
    .option("--sigma-b <σb>", "bias scale σb ≥ 0, read as the decimal it spells", "0")
    .option(THREADS_FLAG, THREADS_HELP)
    .option("--json", "one JSON document on stdout, every number a decimal string")
    .option(
      "--precision <P>",
      `compute at P significant digits (${MIN_PRECISION}..${MAX_PRECISION}) from the data's decimal text; every value with the digits it vouches for`,
    )
    .option(
      "--compare",
      "float64 against high precision (--precision, default 32): entries, det, log10|det|, and the depth where float64's det stops meaning anything (with --arch: of that architecture)",
    )
    .option("--scan-to <D>", "with --compare: deepest depth scanned for that (default: --depth)");
  addLimitFlags(addArchOption(command)).action(async (flags: KernelFlags & { arch?: string }) => {
    const depthExact = resolveDepth(flags.depth, "--depth");
    const depth = Number(depthExact);
    const params = { sigmaW: flags.sigmaW, sigmaB: flags.sigmaB };
    const resolved = resolveParams(params);
    const dataset = await loadDataset(flags.data);
    const arch = flags.arch === undefined ? undefined : toArchitecture(flags.arch, params);
    if (flags.precision !== undefined || flags.compare === true || flags.scanTo !== undefined) {
      const request = {
        dataset,
        depth,
        kernel: flags.kernel,
        normalized: flags.normalized === true,
        projection: flags.projection,
        params,
        json: flags.json === true,
        architecture: arch?.reluMlp ? undefined : arch,
        limits: parseLimits(flags),
      };
      const precision = flags.precision === undefined ? undefined : parseInteger(flags.precision, "--precision", "BAD_PRECISION");
      if (flags.compare !== true) {
        if (flags.scanTo !== undefined) throw new NtkError("BAD_OPTION", "--scan-to only applies with --compare; add --compare or drop --scan-to.", {});
        return runKernelPrecise(request, precision!, io);
      }
      return runKernelCompare(request, precision, flags.scanTo === undefined ? undefined : parseInteger(flags.scanTo, "--scan-to", "BAD_DEPTH"), io);
    }
    const points = projectToSphereFloat64(dataset, flags.projection);
    const json = flags.json === true;
    const threads = parseThreads(flags.threads);
    const {
      grams: [gram],
    } = await withProgress(`Gram matrix at depth ${depth}`, progressSink(io, json), (progress) =>
      gramFloat64For({ points, depths: [depthExact], params, threads, ...progress }, arch),
    );
    const normalized = flags.normalized === true;
    const { matrix, log2Scale } = kernelMatrixFloat64(gram, flags.kernel, normalized);
    const analysis = await analyzeMatrixFloat64(matrix, gram.m, { threads });
    const causes = findSingularCauses({ raw: dataset, projected: points, projection: flags.projection, depth, hasBias: depthOneBias(arch, resolved) });
    const report = kernelReport(depth, flags.kernel, normalized, points.n0, matrix, log2Scale, analysis, causes);
    const lost = lostCount(gram, flags.kernel);
    if (lost > 0) report.notes.push(`1 − ${kernelSymbol(flags.kernel, true)} of ${lost} pair${lost === 1 ? "" : "s"} is lost: ${LOST_COMPLEMENT_REASON}.`);
    if (json) {
      printJson(io, {
        depth: depthExact.toString(),
        kernel: report.kernel,
        normalized: report.normalized,
        gram: report.gram,
        // 1 − K̄ of the normalized kernel as carried (SPEC §4): entries near 1 keep their digits here.
        // Entries float64 has lost (below 2^-1022, docs/DEPTH_JUMP.md §6) are null, with complementReason.
        ...complementJson(gram, flags.kernel),
        det: report.det,
        ...jsonValueOrReason("log10AbsDet", report.log10AbsDet, ZERO_DET_REASON),
        signDet: report.signDet,
        ...jsonValueOrReason("conditionEstimate", report.conditionEstimate, SINGULAR_CONDITION_REASON),
        digitsKept: report.digitsKept,
        singular: report.singular,
        m: String(report.m),
        n0: String(report.n0),
        projection: flags.projection,
        sigmaW: resolved.sigmaW.toString(),
        sigmaB: resolved.sigmaB.toString(),
        ...(arch === undefined ? {} : { architecture: arch.text }),
        coincidentPoints: report.coincidentPoints.map(([i, j]) => [String(i), String(j)]),
        notes: report.notes,
      });
    } else {
      printText(
        io,
        (arch === undefined ? "" : `Architecture ${arch.text} (depth L: the stem and L − 1 blocks).\n`) +
          kernelText(report, flags.projection, resolved.sigmaW.toString(), resolved.sigmaB.toString()),
      );
    }
  });
}

/** Why an entry of the complement is null in --json. */
const LOST_COMPLEMENT_REASON =
  "float64 lost it: 1 − Σ̄ fell below the smallest normal float64 (2^-1022 ≈ 2.2e-308), where it keeps no relative accuracy, and 1 − Θ̄ derives from it (the true value is > 0; K̄ itself is right to an ulp of 1); use --precision";

/** The bit of GramAtDepthFloat64.lostToZero that marks a lost complement of `kernel`. */
function lostBit(kernel: KernelName): number {
  return kernel === "ntk" ? LOST_NTK_COMPLEMENT : LOST_SIGMA_COMPLEMENT;
}

/** Unique pairs whose complement of `kernel` float64 has lost. */
function lostCount(gram: GramAtDepthFloat64, kernel: KernelName): number {
  const mask = gram.lostToZero;
  let n = 0;
  if (mask) for (let i = 0; i < gram.m; i++) for (let j = i + 1; j < gram.m; j++) if (mask[i * gram.m + j]! & lostBit(kernel)) n++;
  return n;
}

/** 1 − K̄ of the normalized kernel as decimal text rows, null where lost (with complementReason then). */
function complementJson(gram: GramAtDepthFloat64, kernel: KernelName): { complement: (string | null)[][]; complementReason?: string } {
  const { m, lostToZero: mask } = gram;
  const matrix = kernel === "ntk" ? gram.oneMinusNtkNormalized : gram.oneMinusSigmaNormalized;
  const complement = Array.from({ length: m }, (_, i) =>
    Array.from({ length: m }, (_, j) => (mask && mask[i * m + j]! & lostBit(kernel) ? null : formatFloat64(matrix[i * m + j]!))),
  );
  return lostCount(gram, kernel) > 0 ? { complement, complementReason: LOST_COMPLEMENT_REASON } : { complement };
}

/**
 * Turns a kernel matrix (values = matrix × 2^log2Scale) and its LU analysis into text. The raw
 * determinant is det(matrix) × 2^(m · log2Scale): exact scaling when det(matrix) is a normal
 * float64, otherwise printed from log10|det| with the digits that log can carry.
 */
function kernelReport(
  depth: number,
  kernel: KernelName,
  normalized: boolean,
  n0: number,
  matrix: Float64Array,
  log2Scale: number,
  a: MatrixAnalysisFloat64,
  causes: readonly SingularCause[],
): KernelReport {
  const m = Math.round(Math.sqrt(matrix.length));
  const gram: string[][] = [];
  for (let i = 0; i < m; i++) gram.push(Array.from(matrix.subarray(i * m, (i + 1) * m), (x) => formatScaled(x, log2Scale)));
  const detScale = m * log2Scale;
  const log10AbsDet = a.log10AbsDet + detScale * LOG10_2;
  let det: string;
  if (a.signDet === 0) det = "0";
  else if (Number.isFinite(a.det) && Math.abs(a.det) >= MIN_NORMAL) det = formatScaled(a.det, detScale);
  else det = formatFromLog10(a.signDet, log10AbsDet, digitsOfLog(log10AbsDet));
  const coincidentPoints: [number, number][] = [];
  const notes: string[] = [];
  for (const c of causes) {
    if (c.kind === "linear-rank") {
      notes.push(`K is singular: ${c.message}.`);
      continue;
    }
    const [i, j] = [c.points![0] + 1, c.points![1] + 1];
    if (c.kind === "duplicate") {
      coincidentPoints.push([i, j]);
      notes.push(`points ${i} and ${j} coincide on the sphere: rows ${i} and ${j} of K are identical, so K is singular at every depth.`);
    } else {
      notes.push(
        `points ${i} and ${j} are distinct but their float64 projections are equal: rows ${i} and ${j} of the float64 K are identical (the high-precision path tells them apart).`,
      );
    }
  }
  if (a.singular) notes.push("LU met an exactly zero pivot: K is singular in float64 (det = 0, κ1 = ∞).");
  else if (a.digitsKept < 1)
    notes.push(
      `κ1 ≈ ${formatConditionEstimate(a.conditionEstimate)}: float64 keeps no significant digit of a solve with K, and det K may be wrong in every digit.`,
    );
  return {
    depth,
    kernel,
    normalized,
    m,
    n0,
    gram,
    det,
    log10AbsDet: a.signDet === 0 ? null : formatFloat64(log10AbsDet),
    signDet: a.signDet,
    conditionEstimate: Number.isFinite(a.conditionEstimate) ? formatFloat64(a.conditionEstimate) : null,
    digitsKept: a.digitsKept.toFixed(2),
    singular: a.singular,
    coincidentPoints,
    notes,
  };
}

/** Significant digits of 10^x when x carries float64 rounding: its absolute error ~|x|·2^-52 becomes a relative error ~2.3 |x| 2^-52. */
function digitsOfLog(x: number): number {
  return Math.max(1, Math.min(15, Math.floor(-Math.log10(2.3 * Math.max(1, Math.abs(x)) * 2 ** -52))));
}

/** The kernel's symbol and name, e.g. "Θ̄ (normalized NTK)". */
function kernelTitle(kernel: KernelName, normalized: boolean): string {
  const base = kernelSymbol(kernel, normalized);
  const name = kernel === "ntk" ? "NTK" : "NNGP kernel";
  return `${base} (${normalized ? "normalized " : ""}${name})`;
}

/** The human-readable report: legend, matrix table, then det and conditioning. */
function kernelText(r: KernelReport, projection: Projection, sigmaW: string, sigmaB: string): string {
  const columns = [{ header: "i" }, ...Array.from({ length: r.m }, (_, j) => ({ header: String(j + 1), align: "left" as const }))];
  const rows = r.gram.map((row, i) => [String(i + 1), ...row]);
  const legend = [
    `${kernelTitle(r.kernel, r.normalized)} at depth L = ${r.depth}: ${countOf(r.m, "point")} on the unit sphere in R^${r.n0} (projection ${projection}), σw = ${sigmaW}, σb = ${sigmaB}.`,
    "Entries K_ij = k(x_i, x_j) in float64 (shortest round-trip decimals; raw values outside the float64 range printed exactly from mantissa × 2^k).",
  ];
  const lines = [
    renderTable(columns, rows, legend),
    `det K        = ${r.det}`,
    `log10|det K| = ${textOrReason(r.log10AbsDet, ZERO_DET_REASON)}`,
    `sign det K   = ${r.signDet}`,
    `κ1(K)        ≈ ${textOrReason(r.conditionEstimate === null ? null : formatConditionEstimate(Number(r.conditionEstimate)), SINGULAR_CONDITION_REASON)}  (1-norm condition estimate, a lower bound usually within 3×)`,
    `digits kept  ≈ ${r.digitsKept} of ${FLOAT64_DIGITS.toFixed(2)}  (significant digits a float64 solve with K keeps)`,
    ...r.notes.map((n) => `note: ${n}`),
  ];
  return lines.join("\n") + "\n";
}
