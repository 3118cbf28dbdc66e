/**
 * The high-precision sides of `ntk-depth kernel`: `--precision P` (the Gram matrix, det and
 * log10|det| at P significant digits, each with the digits it vouches for) and `--compare`
 * (float64 against high precision for the entries, det and log10|det|, and the depth at which
 * float64's det stops meaning anything). `kernel.ts` parses the shared flags and hands over here.
 */
import type { Decimal } from "decimal.js";
import { type CliIO, kernelSymbol, printJson, progressSink } from "./context.js";
import { jsonValueOrReason, SINGULAR_CONDITION_REASON, textOrReason, ZERO_DET_REASON } from "./noValue.js";
import { withProgress } from "./progressBar.js";
import {
  compareGram,
  DEFAULT_GRAM_COMPARE_PRECISION,
  type EntryComparison,
  type GramComparison,
  type Dataset,
  formatFloat64,
  renderTable,
  kernelMatrixPrecise,
  type GramAtDepthPrecise,
  type GramDeterminantPrecise,
  type NetworkParams,
  type KernelName,
  type Projection,
  type ResolvedArchitecture,
} from "../index.js";
import { vouchedText, gramDeterminantsVouchedFor } from "../advanced.js";
import { type ResourceLimits } from "../index.js";
import { countOf } from "../index.js";
import { kernelEntryDigitsVouched } from "../advanced.js";
import { printText } from "./context.js";

/** What `kernel` passes on: the parsed flags it shares with the float64 report. */
export interface KernelPreciseRequest {
  readonly dataset: Dataset;
  readonly depth: number;
  readonly kernel: KernelName;
  readonly normalized: boolean;
  readonly projection: Projection;
  readonly params: NetworkParams;
  readonly json: boolean;
  /** The network (src/arch/); default the ReLU network with `params`. */
  readonly architecture?: ResolvedArchitecture;
  /** Memory and time allowed (`--max-memory`, `--max-time`). */
  readonly limits: ResourceLimits;
}

/** Runs `kernel --precision P` and prints it (the float64 keys, plus "precision" and "digitsVouched"). */
export async function runKernelPrecise(r: KernelPreciseRequest, precision: number, io: CliIO): Promise<void> {
  const { gram, determinants } = await withProgress(`Gram matrix at depth ${r.depth}, ${precision} digits`, progressSink(io, r.json), (progress) =>
    gramDeterminantsVouchedFor(
      { data: r.dataset, projection: r.projection, depths: [r.depth], params: r.params, precision, ...r.limits, ...progress },
      r.kernel,
      r.normalized,
      r.architecture,
    ),
  );
  const g: GramAtDepthPrecise = gram.grams[0];
  const d: GramDeterminantPrecise = determinants[0];
  const m = g.m;
  const matrix = kernelMatrixPrecise(g, r.kernel, r.normalized);
  // The library's count for every entry (exact zeros and the unit diagonal vouch all P digits).
  const entryDigits = kernelEntryDigitsVouched(g, r.kernel, r.normalized, precision);
  const text = (x: Decimal, digits: number) => (x.isZero() && digits >= 1 ? "0" : vouchedText(x, digits));
  const rows = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => text(matrix[i * m + j], entryDigits[i * m + j])));
  const gramDigits = Math.min(...entryDigits);
  // 1 − K̄ of the normalized kernel as carried, as the float64 JSON has it: entries near 1 keep their digits here.
  const complementName = r.kernel === "ntk" ? "oneMinusNtkNormalized" : "oneMinusSigmaNormalized";
  const complementMatrix = g[complementName];
  const complementDigits = g.digitsVouchedByEntry[complementName];
  const complement = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => text(complementMatrix[i * m + j], complementDigits[i * m + j])));
  const det = text(d.det, d.digitsVouched.det);
  const log10AbsDet = d.log10AbsDet === null ? null : text(d.log10AbsDet, d.digitsVouched.log10AbsDet);
  // κ1 is exact up to rounding at the working digits: six digits hold while log10 κ1 < digits − 8.
  const conditionEstimate = d.conditionNumber === null ? null : d.conditionNumber.toSignificantDigits(6).toString();
  const digitsKept = d.conditionNumber === null ? "0.00" : Math.max(0, gram.workingPrecision - d.log10Condition).toFixed(2);
  const notes: string[] = [];
  if (d.coincidentPoints !== null)
    notes.push(
      `points ${d.coincidentPoints[0]} and ${d.coincidentPoints[1]} coincide on the sphere: rows ${d.coincidentPoints[0]} and ${d.coincidentPoints[1]} of K are identical, so K is singular at every depth.`,
    );
  else if (d.singular) notes.push("LU met an exactly zero pivot at the working precision: K is singular (det = 0).");
  if (!d.singular && d.digitsVouched.det < 1) {
    notes.push(
      `no digit of det K is vouched for at ${gram.workingPrecision} working digits (κ1 ≈ 10^${d.log10Condition.toFixed(1)}): K is singular or too close to it; det K is shown with every computed digit, none of them vouched.`,
    );
  } else if (d.digitsVouched.det < precision && !d.singular) {
    notes.push(`det K: ${d.digitsVouched.det} of the ${precision} digits asked are vouched for (κ1 ≈ 10^${d.log10Condition.toFixed(1)}).`);
  }
  if (r.json) {
    printJson(io, {
      depth: String(r.depth),
      kernel: r.kernel,
      normalized: r.normalized,
      gram: rows,
      complement,
      det,
      ...jsonValueOrReason("log10AbsDet", log10AbsDet, ZERO_DET_REASON),
      signDet: d.signDet,
      ...jsonValueOrReason("conditionEstimate", conditionEstimate, SINGULAR_CONDITION_REASON),
      digitsKept,
      singular: d.singular,
      m: String(m),
      n0: String(gram.n0),
      projection: r.projection,
      sigmaW: gram.params.sigmaW.toString(),
      sigmaB: gram.params.sigmaB.toString(),
      ...(r.architecture === undefined ? {} : { architecture: r.architecture.text }),
      coincidentPoints: d.coincidentPoints === null ? [] : [d.coincidentPoints.map(String)],
      notes,
      precision: String(precision),
      workingPrecision: String(gram.workingPrecision),
      digitsVouched: { gram: String(gramDigits), det: String(d.digitsVouched.det), log10AbsDet: String(d.digitsVouched.log10AbsDet) },
      vouchedBy: gram.vouchedBy,
    });
    return;
  }
  const columns = [{ header: "i" }, ...Array.from({ length: m }, (_, j) => ({ header: String(j + 1), align: "left" as const }))];
  const legend = [
    `${kernelSymbol(r.kernel, r.normalized)} at depth L = ${r.depth}: ${countOf(m, "point")} on the unit sphere in R^${gram.n0} (projection ${r.projection}), σw = ${gram.params.sigmaW.toString()}, σb = ${gram.params.sigmaB.toString()}${r.architecture === undefined ? "" : `; architecture ${r.architecture.text}`}.`,
    `High precision: ${precision} significant digits asked, ${gram.workingPrecision} carried; each entry printed with the digits it vouches for (at least ${gramDigits}).`,
  ];
  const lines = [
    renderTable(
      columns,
      rows.map((row, i) => [String(i + 1), ...row]),
      legend,
    ),
    `det K        = ${det}  (${countOf(d.digitsVouched.det, "digit")} vouched)`,
    `log10|det K| = ${textOrReason(log10AbsDet, ZERO_DET_REASON)}  (${countOf(d.digitsVouched.log10AbsDet, "digit")} vouched)`,
    `sign det K   = ${d.signDet}`,
    `κ1(K)        = ${textOrReason(conditionEstimate, SINGULAR_CONDITION_REASON)}  (1-norm condition number from the inverse at working precision)`,
    `vouched by: ${gram.vouchedBy}; det by LU on each run's matrix, at most ⌊d − 1 − log10(m³ κ1)⌋ digits.`,
    ...notes.map((n) => `note: ${n}`),
  ];
  printText(io, lines.join("\n") + "\n");
}

function entryJson(e: EntryComparison): Record<string, unknown> {
  return {
    worstRelativeError: e.worstRelativeError.toSignificantDigits(3).toString(),
    correctDigits: String(e.leastCorrectDigits),
    worstEntry: e.worstEntry.map(String),
    referenceDigits: String(e.referenceDigits),
    lostEntries: String(e.lostEntries),
  };
}

/** Runs `kernel --compare` and prints it. `precision` defaults to 32 digits; `scanTo` to the depth. */
export async function runKernelCompare(r: KernelPreciseRequest, precision: number | undefined, scanTo: number | undefined, io: CliIO): Promise<void> {
  const c: GramComparison = await withProgress(
    `float64 against ${precision ?? DEFAULT_GRAM_COMPARE_PRECISION} digits, depths 1…${Math.max(r.depth, scanTo ?? 0)}`,
    progressSink(io, r.json),
    (progress) =>
      compareGram({
        data: r.dataset,
        projection: r.projection,
        depth: r.depth,
        kernel: r.kernel,
        normalized: r.normalized,
        params: r.params,
        precision,
        scanTo,
        architecture: r.architecture,
        ...r.limits,
        ...progress,
      }),
  );
  const det = c.determinant;
  const ref = det.reference;
  const refDet = ref.det.isZero() ? "0" : vouchedText(ref.det, ref.digitsVouched.det);
  const refLog = ref.log10AbsDet === null ? null : vouchedText(ref.log10AbsDet, ref.digitsVouched.log10AbsDet);
  const f64Det = det.float64.analysis.signDet === 0 ? "0" : det.float64.det.toSignificantDigits(17).toString();
  const f64Log = det.float64.analysis.signDet === 0 ? null : formatFloat64(det.float64.log10AbsDet);
  const relErr = textOrReason(det.detRelativeError?.toSignificantDigits(3).toString() ?? null, "the reference det is 0");
  const verdict =
    c.detMeaninglessFrom === null
      ? `float64's det K keeps at least one correct digit at every scanned depth up to ${c.scan[c.scan.length - 1].depth}.`
      : `float64's det K stops meaning anything at depth ${c.detMeaninglessFrom}` +
        (c.detLastMeaningful === null ? "" : ` (it still had a correct digit at depth ${c.detLastMeaningful}, the scanned depth before)`) +
        ".";
  if (r.json) {
    printJson(io, {
      depth: String(c.depth),
      kernel: c.kernel,
      normalized: c.normalized,
      m: String(c.m),
      n0: String(c.n0),
      precision: String(c.precision),
      workingPrecision: String(c.workingPrecision),
      entries: entryJson(c.entries),
      complements: c.complements === null ? null : entryJson(c.complements),
      det: {
        float64: f64Det,
        precise: refDet,
        digitsVouched: String(ref.digitsVouched.det),
        ...jsonValueOrReason("relativeError", det.detRelativeError?.toSignificantDigits(3).toString() ?? null, "the reference det is 0"),
        correctDigits: String(det.detCorrectDigits),
      },
      log10AbsDet: {
        ...jsonValueOrReason("float64", f64Log, ZERO_DET_REASON),
        ...jsonValueOrReason("precise", refLog, ZERO_DET_REASON),
        digitsVouched: String(ref.digitsVouched.log10AbsDet),
        correctDigits: String(det.log10AbsDetCorrectDigits),
      },
      scan: c.scan.map((s) => ({
        depth: String(s.depth),
        referenceDigits: String(s.referenceDigits),
        float64Digits: s.float64Digits === null ? null : String(s.float64Digits),
        meaningless: s.meaningless,
      })),
      detMeaninglessFrom: c.detMeaninglessFrom === null ? null : String(c.detMeaninglessFrom),
      detLastMeaningful: c.detLastMeaningful === null ? null : String(c.detLastMeaningful),
      definition: c.definition,
      vouchedBy: c.vouchedBy,
      ...(r.architecture === undefined ? {} : { architecture: r.architecture.text }),
    });
    return;
  }
  const sym = kernelSymbol(c.kernel, c.normalized);
  const entryLine = (what: string, e: EntryComparison) =>
    e.lostEntries > 0
      ? `${what}: ${countOf(e.lostEntries, "entry", "entries")} lost by float64 (below 2^-1022: 0 correct digits) (reference vouches ≥ ${e.referenceDigits})`
      : `${what}: worst relative error ${e.worstRelativeError.toSignificantDigits(3).toString()} at (${e.worstEntry.join(", ")}), ${e.leastCorrectDigits} correct digits (reference vouches ≥ ${e.referenceDigits})`;
  const scanRows = c.scan.map((s) => [
    String(s.depth),
    String(s.referenceDigits),
    s.float64Digits === null ? "not judged" : String(s.float64Digits),
    s.meaningless ? "meaningless" : "",
  ]);
  const lines = [
    `${sym} at depth L = ${c.depth}, ${countOf(c.m, "point")} in R^${c.n0}${r.architecture === undefined ? "" : `, architecture ${r.architecture.text}`}: float64 against high precision (${c.precision} digits asked, ${c.workingPrecision} carried).`,
    entryLine(`entries of ${sym}`, c.entries),
    ...(c.complements === null ? [] : [entryLine(`entries of 1 − ${sym}`, c.complements)]),
    `det K        float64 ${f64Det}, relative error ${relErr}, ${countOf(det.detCorrectDigits, "correct digit")}`,
    `             high precision ${refDet} (${countOf(ref.digitsVouched.det, "digit")} vouched)`,
    `log10|det K| float64 ${textOrReason(f64Log, ZERO_DET_REASON)}, ${countOf(det.log10AbsDetCorrectDigits, "correct digit")}`,
    `             high precision ${textOrReason(refLog, ZERO_DET_REASON)} (${countOf(ref.digitsVouched.log10AbsDet, "digit")} vouched)`,
    "",
    renderTable([{ header: "depth" }, { header: "reference digits" }, { header: "float64 correct digits of det" }, { header: "", align: "left" }], scanRows, [
      "Scan of det K over depth (float64 judged only where the reference vouches for at least 2 digits):",
    ]),
    verdict,
    `"Stops meaning anything": ${c.definition}.`,
  ];
  printText(io, lines.join("\n") + "\n");
}
