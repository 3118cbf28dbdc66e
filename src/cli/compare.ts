/**
 * `ntk-depth compare`: float64 (textbook and stable) against the high-precision reference for one
 * pair through depth (src/compare/pairCompare.ts): per checkpoint 1 − ρ and Θ̄ with relative errors
 * and correct digits, and the first depth where each float64 path keeps fewer than 12, 6, 1
 * correct digits of 1 − ρ (every depth scanned).
 */
import type { Command } from "commander";
import { type CliIO, printJson, progressSink } from "./context.js";
import { parseInteger } from "./options.js";
import { addPairFlags, pairOptionsOf, type PairFlags } from "./pairOptions.js";
import { withProgress } from "./progressBar.js";
import {
  DEFAULT_COMPARE_PRECISION,
  comparePair,
  DIGIT_THRESHOLDS,
  MAX_COMPARE_DEPTH,
  type Float64PathAtDepth,
  type PairComparison,
  formatFloat64,
  renderTable,
  MAX_PRECISION,
  MIN_PRECISION,
} from "../index.js";
import { FLOAT64_MATCH_DIGITS, vouchedText } from "../advanced.js";
import { addLimitFlags, parseLimits } from "./options.js";
import { printText } from "./context.js";

interface CompareFlags extends PairFlags {
  precision: string;
  maxMemory?: string;
  maxTime?: string;
  json?: boolean;
}

/** Registers `compare` on the program. */
export function register(program: Command, io: CliIO): void {
  const command = program
    .command("compare")
    .description(
      "Float64 against high precision for one pair (ρ1 = x·x′) through depth. Columns: 1 − ρ^(L) and the normalized NTK Θ̄^(L) " +
        "from the high-precision reference (digits vouched by two runs at different precisions), from the textbook float64 " +
        "recursion (SPEC §3) and from the stable float64 complement recursion (SPEC §4), with each float64 value's relative " +
        "error and correct significant digits (⌊−log10 relative error⌋, 0..17). Then, scanning every depth from 1 to L, the " +
        `first depth at which each float64 path keeps fewer than ${DIGIT_THRESHOLDS.join(", ")} correct digits of 1 − ρ.`,
    );
  addLimitFlags(addPairFlags(command, MAX_COMPARE_DEPTH))
    .option("--precision <P>", `significant digits of the reference, ${MIN_PRECISION}..${MAX_PRECISION}`, String(DEFAULT_COMPARE_PRECISION))
    .option("--json", "one JSON document on stdout, every number a decimal string")
    .action(async (flags: CompareFlags) => {
      const pair = pairOptionsOf(flags);
      const options = {
        ...pair,
        precision: parseInteger(flags.precision, "--precision", "BAD_PRECISION"),
        ...parseLimits(flags),
      };
      const depth = options.depth;
      const json = flags.json === true;
      const result = await withProgress(`compare to depth ${depth}`, progressSink(io, json), (progress) => comparePair({ ...options, ...progress }));
      if (json) printJson(io, comparisonJson(flags.rho1, options.inputDim, result));
      else printText(io, comparisonTable(flags.rho1, result));
    });
}

function float64Text(x: number): string {
  return Number.isFinite(x) ? formatFloat64(x) : `lost (${x})`;
}

function relErrorText(x: number): string {
  return Number.isFinite(x) ? x.toExponential(2) : x === Infinity ? "inf" : "—";
}

/** The human-readable report. */
function comparisonTable(rho1: string, r: PairComparison): string {
  const shown = (digits: number) => Math.min(digits, FLOAT64_MATCH_DIGITS);
  const columns = [
    { header: "L" },
    { header: "reference", align: "left" as const, group: "reference" },
    { header: "vouched", group: "reference" },
    { header: "textbook f64", align: "left" as const, group: "textbook" },
    { header: "rel.err", group: "textbook" },
    { header: "digits", group: "textbook" },
    { header: "stable f64", align: "left" as const, group: "stable" },
    { header: "rel.err", group: "stable" },
    { header: "digits", group: "stable" },
  ];
  const rows = (pick: "oneMinusRho" | "ntkNormalized") =>
    r.points.map((p) => {
      const vouched = p.reference.digitsVouched[pick];
      const path = (f: Float64PathAtDepth) =>
        pick === "oneMinusRho" && f.oneMinusRhoLost
          ? ["lost", "—", String(f[`${pick}Digits`])]
          : [float64Text(f[pick]), relErrorText(f[`${pick}RelError`]), String(f[`${pick}Digits`])];
      return [String(p.depth), vouchedText(p.reference[pick], shown(vouched)), String(vouched), ...path(p.textbook), ...path(p.stable)];
    });
  const legend = [
    `ρ1 = ${rho1}, σw = ${r.params.sigmaW.toString()}, σb = ${r.params.sigmaB.toString()}; reference: ${r.precision} digits asked, ${r.workingPrecision} carried.`,
    `Reference ${r.vouchedBy}; shown to at most 17 of its vouched digits.`,
    "rel.err = |float64 − reference| / |reference|; digits = correct significant digits of the float64 value (17 = exact match).",
    "lost: 1 − ρ fell below 2^-1022 (or cancelled to 0) where float64 keeps no relative accuracy; it counts 0 digits.",
  ];
  const losses = (["textbook", "stable"] as const).map((m) => {
    const parts = r.firstDepthBelow[m].map((l) => `< ${l.digits}: ${l.depth === null ? `never (to L = ${r.finalDepth})` : `L = ${l.depth}`}`);
    return `  ${m.padEnd(8)}  ${parts.join("   ")}`;
  });
  return [
    ...legend,
    "",
    "1 − ρ^(L)",
    renderTable(columns, rows("oneMinusRho")),
    "Θ̄^(L) (normalized NTK)",
    renderTable(columns, rows("ntkNormalized")),
    `First depth with fewer correct digits of 1 − ρ than (every depth 1…${r.finalDepth} scanned):`,
    ...losses,
    "",
  ].join("\n");
}

/** Why a float64 1 − ρ is null in --json although finite. */
const LOST_REASON = "lost: 1 − ρ fell below the smallest normal float64 (2^-1022 ≈ 2.2e-308), or cancelled to 0, while the true value is > 0";

function pathJson(f: Float64PathAtDepth): Record<string, string | null> {
  const num = (x: number) => (Number.isFinite(x) ? formatFloat64(x) : null);
  return {
    ...(f.oneMinusRhoLost
      ? { oneMinusRho: null, oneMinusRhoReason: LOST_REASON, oneMinusRhoRelError: null }
      : { oneMinusRho: num(f.oneMinusRho), oneMinusRhoRelError: num(f.oneMinusRhoRelError) }),
    oneMinusRhoDigits: String(f.oneMinusRhoDigits),
    ntkNormalized: num(f.ntkNormalized),
    ntkNormalizedRelError: num(f.ntkNormalizedRelError),
    ntkNormalizedDigits: String(f.ntkNormalizedDigits),
  };
}

/** The --json document (non-finite or lost float64 values and their errors are null, with 0 digits). */
function comparisonJson(rho1: string, inputDim: number, r: PairComparison): unknown {
  return {
    command: "compare",
    rho1,
    depth: String(r.finalDepth),
    sigmaW: r.params.sigmaW.toString(),
    sigmaB: r.params.sigmaB.toString(),
    inputDim: String(inputDim),
    precision: String(r.precision),
    workingPrecision: String(r.workingPrecision),
    vouchedBy: r.vouchedBy,
    points: r.points.map((p) => ({
      depth: String(p.depth),
      reference: {
        oneMinusRho: vouchedText(p.reference.oneMinusRho, p.reference.digitsVouched.oneMinusRho),
        ntkNormalized: vouchedText(p.reference.ntkNormalized, p.reference.digitsVouched.ntkNormalized),
        digitsVouched: { oneMinusRho: String(p.reference.digitsVouched.oneMinusRho), ntkNormalized: String(p.reference.digitsVouched.ntkNormalized) },
      },
      textbook: pathJson(p.textbook),
      stable: pathJson(p.stable),
    })),
    firstDepthBelow: Object.fromEntries(
      (["textbook", "stable"] as const).map((m) => [
        m,
        Object.fromEntries(r.firstDepthBelow[m].map((l) => [String(l.digits), l.depth === null ? null : String(l.depth)])),
      ]),
    ),
  };
}
