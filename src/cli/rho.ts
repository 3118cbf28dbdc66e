/**
 * `ntk-depth rho`: one pair (input correlation ρ1 = x·x′) through depth: ρ, 1 − ρ, θ, Θ̄, 1 − Θ̄ and
 * the raw kernels Σ, Σ̇, Θ at checkpoint depths, in float64 (stable or textbook) or, with
 * `--precision P`, in arbitrary precision with the digits each value vouches for.
 */
import { Option, type Command } from "commander";
import { type CliIO, printJson, progressSink } from "./context.js";
import { parseInteger } from "./options.js";
import { addPairFlags, pairOptionsOf, type PairFlags } from "./pairOptions.js";
import { withProgress } from "./progressBar.js";
import { preciseRhoJson, preciseRhoTable } from "./rhoPrecise.js";
import { addArchOption } from "./archOption.js";
import {
  pairThroughDepth,
  type PairMethod,
  type PairMethodRun,
  type PairPointFloat64,
  type PairResultFloat64,
  formatFloat64,
  formatScaled,
  renderTable,
  MAX_JUMP_DEPTH,
  MAX_PRECISION,
  MIN_PRECISION,
  archPairThroughDepthFloat64,
  archPairThroughDepthPrecise,
  type ResolvedArchitecture,
} from "../index.js";
import { toArchitecture } from "../advanced.js";
import { addLimitFlags, parseLimits } from "./options.js";
import { printText } from "./context.js";

interface RhoFlags extends PairFlags {
  arch?: string;
  textbook?: boolean;
  method?: string;
  precision?: string;
  maxMemory?: string;
  maxTime?: string;
  json?: boolean;
}

/**
 * Printed quantities, in column order: JSON key, table header, and the group kept in one block
 * when the table is split to fit the terminal (the correlation, the normalized NTK, the raw kernels).
 */
const FIELDS = [
  ["rho", "ρ", "rho"],
  ["oneMinusRho", "1 − ρ", "rho"],
  ["theta", "θ", "rho"],
  ["ntkNormalized", "Θ̄", "ntk"],
  ["oneMinusNtkNormalized", "1 − Θ̄", "ntk"],
  ["sigma", "Σ(x,x′)", "raw"],
  ["ntk", "Θ(x,x′)", "raw"],
  ["sigmaDot", "Σ̇(x,x′)", "raw"],
] as const;
type Field = (typeof FIELDS)[number][0];

/** Registers `rho` on the program. */
export function register(program: Command, io: CliIO): void {
  const command = program
    .command("rho")
    .description(
      "One pair of inputs with correlation ρ1 = x·x′ through depth (SPEC §2–4). At each checkpoint L: ρ^(L) = Σ̄^(L)(x,x′), " +
        "1 − ρ^(L), θ^(L) = arccos ρ^(L) (radians), the normalized NTK Θ̄^(L) and 1 − Θ̄^(L), and the raw kernels Σ^(L)(x,x′), " +
        "Θ^(L)(x,x′) and Σ̇^(L)(x,x′) (inputs on the unit sphere of dimension --input-dim). Default: float64, stable complement " +
        "recursion, 1 − ρ, θ, Θ̄ and 1 − Θ̄ within 1e-12 relative of mpmath references to depth 10^6. --textbook: the textbook " +
        "recursion, no accuracy claim (see `compare`). --precision P: arbitrary precision, each value with the significant " +
        "digits it vouches for (two runs at different working precisions agree on them).",
    );
  addLimitFlags(addArchOption(addPairFlags(command, MAX_JUMP_DEPTH)))
    .addOption(
      new Option(
        "--method <m>",
        "auto (default: the fastest correct one), direct (the recursion layer by layer, to 10^9 layers) or jump (σb = 0: cost independent of depth, SPEC §9)",
      )
        .choices(["auto", "direct", "jump"])
        .conflicts(["textbook", "arch"]),
    )
    .addOption(new Option("--textbook", "float64 textbook recursion (SPEC §3) instead of the stable one (SPEC §4)").conflicts(["precision", "arch"]))
    .option("--precision <P>", `arbitrary precision with P significant digits, ${MIN_PRECISION}..${MAX_PRECISION}`)
    .option("--json", "one JSON document on stdout, every number a decimal string")
    .action(async (flags: RhoFlags) => {
      const base = pairOptionsOf(flags);
      // With --arch: the architecture's pair path (the ReLU network still runs on the ReLU engine).
      const arch = flags.arch === undefined ? undefined : toArchitecture(flags.arch, base.params);
      const depth = base.depth;
      const json = flags.json === true;
      const sink = progressSink(io, json);
      if (flags.precision !== undefined) {
        const precision = parseInteger(flags.precision, "--precision", "BAD_PRECISION");
        const method = (flags.method ?? "auto") as "auto" | "direct" | "jump";
        const result = await withProgress(`ρ to depth ${depth} at ${precision} digits`, sink, (progress) =>
          arch === undefined
            ? pairThroughDepth({ ...base, precision, method, ...parseLimits(flags), ...progress })
            : archPairThroughDepthPrecise({ ...base, precision, architecture: arch, ...parseLimits(flags), ...progress }),
        );
        if (json)
          printJson(io, { sigmaW: result.params.sigmaW.toString(), sigmaB: result.params.sigmaB.toString(), ...archJson(arch), ...preciseRhoJson(result) });
        else
          printText(
            io,
            `ρ1 = ${flags.rho1}, σw = ${result.params.sigmaW.toString()}, σb = ${result.params.sigmaB.toString()}${archLegend(arch)}.\n${preciseRhoTable(result)}`,
          );
        return;
      }
      const method: PairMethod = flags.textbook ? "textbook" : ((flags.method ?? "auto") as PairMethod);
      const result = await withProgress(`ρ to depth ${depth}`, sink, (progress) =>
        arch === undefined ? pairThroughDepth({ ...base, method, ...progress }) : archPairThroughDepthFloat64({ ...base, architecture: arch, ...progress }),
      );
      if (json) printJson(io, { ...archJson(arch), ...(float64Json(result) as object) });
      else printText(io, float64Table(flags.rho1, result, arch));
    });
}

/** Decimal text of one float64 field (raw kernels with their power-of-two scale). */
function float64Field(p: PairPointFloat64, f: Field): string | null {
  if (f === "sigmaDot") return p.sigmaDot === null ? null : formatFloat64(p.sigmaDot);
  if (f === "sigma" || f === "ntk") return formatScaled(p[f], p.log2Scale);
  return formatFloat64(p[f]);
}

/** Whether float64 has lost this field of the point (PairPointFloat64.lostToZero). */
function isLost(p: PairPointFloat64, f: Field): boolean {
  return (p.lostToZero as readonly string[]).includes(f);
}

/** A table cell: like the JSON value, but "lost" where float64 has lost the value. */
function float64Cell(p: PairPointFloat64, f: Field): string {
  return isLost(p, f) ? "lost" : (float64Field(p, f) ?? "—");
}

/** Why a field is null in --json: the float64 value was lost (below the normal range, or cancelled away). */
function lostReason(r: PairResultFloat64): string {
  return r.method === "textbook"
    ? "lost: cancellation in 1 − ρ left nothing although the true value is > 0; use the direct recursion or --precision"
    : "lost: 1 − ρ fell below the smallest normal float64 (2^-1022 ≈ 2.2e-308), where float64 keeps no relative accuracy, and θ and 1 − Θ̄ derive from it; use --precision";
}

function float64Json(r: PairResultFloat64): unknown {
  return {
    method: r.method,
    sigmaW: r.params.sigmaW.toString(),
    sigmaB: r.params.sigmaB.toString(),
    fixedPointFrom: r.fixedPointFrom === null ? null : r.fixedPointFrom.toString(),
    points: r.points.map((p) => ({
      depth: p.depthExact.toString(),
      ...Object.fromEntries(
        FIELDS.flatMap(([key]) =>
          isLost(p, key)
            ? [
                [key, null],
                [`${key}Reason`, lostReason(r)],
              ]
            : [[key, float64Field(p, key)]],
        ),
      ),
      sigmaDiag: formatScaled(p.sigmaDiag, p.log2Scale),
      ntkDiag: formatScaled(p.ntkDiag, p.log2Scale),
      lostToZero: p.lostToZero,
    })),
  };
}

/** The architecture's text for JSON output (nothing for the default ReLU network). */
function archJson(arch: ResolvedArchitecture | undefined): { architecture?: string } {
  return arch === undefined ? {} : { architecture: arch.text };
}

/** The architecture for a table's legend (nothing for the default ReLU network). */
function archLegend(arch: ResolvedArchitecture | undefined): string {
  return arch === undefined ? "" : `; architecture ${arch.text} (depth L: the stem and L − 1 blocks)`;
}

const METHOD_WORDS: Record<PairMethodRun, string> = { direct: "direct recursion", jump: "jump (SPEC §9)", textbook: "textbook recursion" };
const METHOD_LEGEND: Record<PairMethodRun, string> = {
  direct: "Direct: 1 − ρ and 1 − Θ̄ carried directly (SPEC §4), layer by layer; 1 − ρ, θ, Θ̄, 1 − Θ̄ within 1e-12 relative (tested to depth 10^6).",
  jump: "Jump: each depth at a cost independent of L through the Abel function Φ and the sum function Ψ (SPEC §9); 1 − ρ, θ, Θ̄, 1 − Θ̄ within 1e-12 relative of the direct recursion (tested to depth 10^7, and against mpmath to 10^18).",
  textbook: "Textbook: ρ carried and 1 − ρ formed by cancellation (SPEC §3); no accuracy claim — run `compare` to see its error.",
};

function float64Table(rho1: string, r: PairResultFloat64, arch?: ResolvedArchitecture): string {
  const legend = [
    `ρ1 = ${rho1}, σw = ${r.params.sigmaW.toString()}, σb = ${r.params.sigmaB.toString()}${archLegend(arch)}; float64, ${METHOD_WORDS[r.method]}.`,
    METHOD_LEGEND[r.method],
    ...(r.fixedPointFrom === null
      ? []
      : [`The float64 state stopped changing at depth ${r.fixedPointFrom} (the fixed point of σb > 0): deeper values are that state, at no cost.`]),
    "θ in radians; Σ, Θ raw kernels (exact decimal of the float64 result, beyond the float64 range where needed); Σ̇ has no value at L = 1.",
    ...(r.points.some((p) => p.lostToZero.length > 0)
      ? [
          r.method !== "textbook"
            ? "“lost”: 1 − ρ fell below the smallest normal float64 (2^-1022 ≈ 2.2e-308), where float64 keeps no relative accuracy; θ and 1 − Θ̄ derive from it (docs/DEPTH_JUMP.md §6). The true values are > 0: use --precision."
            : "“lost”: cancellation in 1 − ρ left nothing although the true value is > 0; use the stable recursion or --precision.",
        ]
      : []),
  ];
  const rows = r.points.map((p) => [p.depthExact.toString(), ...FIELDS.map(([key]) => float64Cell(p, key))]);
  return renderTable([{ header: "L" }, ...FIELDS.map(([, header, group]) => ({ header, group, align: "left" as const }))], rows, legend);
}
