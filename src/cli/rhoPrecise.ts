/**
 * Output of `ntk-depth rho --precision P`: the high-precision pair result (src/pair/precise.ts)
 * as a table (one row per depth and quantity, so that long values stay readable) or as JSON with
 * the keys of the float64 `rho --json` points plus `digitsVouched` per point and `precision`.
 * Every value is printed with exactly the digits it vouches for (trailing zeros kept).
 */
import type { Decimal } from "decimal.js";
import { type PairPointPrecise, type PairResultPrecise, renderTable } from "../index.js";
import { vouchedText } from "../advanced.js";

/** The quantities printed, in order, with their SPEC names. */
const QUANTITIES = [
  ["rho", "ρ = Σ̄(x,x′)"],
  ["oneMinusRho", "1 − ρ"],
  ["theta", "θ = arccos ρ (rad)"],
  ["ntkNormalized", "Θ̄(x,x′)"],
  ["oneMinusNtkNormalized", "1 − Θ̄"],
  ["sigma", "Σ(x,x′)"],
  ["ntk", "Θ(x,x′)"],
  ["sigmaDiag", "Σ(x,x)"],
  ["ntkDiag", "Θ(x,x)"],
  ["sigmaDot", "Σ̇(x,x′)"],
] as const;

type Quantity = (typeof QUANTITIES)[number][0];

function valueOf(p: PairPointPrecise, k: Quantity): { value: Decimal; digits: number } | null {
  const value = p[k];
  const digits = p.digitsVouched[k];
  return value === null || digits === null ? null : { value, digits };
}

/** The `points` and precision keys of `rho --precision P --json` (every number a decimal string). */
export function preciseRhoJson(r: PairResultPrecise): { precision: string; workingPrecision: string; vouchedBy: string; points: Record<string, unknown>[] } {
  return {
    precision: String(r.precision),
    workingPrecision: String(r.workingPrecision),
    vouchedBy: r.vouchedBy,
    points: r.points.map((p) => {
      const entry: Record<string, unknown> = { depth: p.depthExact.toString() };
      const digits: Record<string, string | null> = {};
      for (const [k] of QUANTITIES) {
        const v = valueOf(p, k);
        entry[k] = v === null ? null : vouchedText(v.value, v.digits);
        digits[k] = v === null ? null : String(v.digits);
      }
      entry.digitsVouched = digits;
      return entry;
    }),
  };
}

/** The human-readable table of `rho --precision P`. */
export function preciseRhoTable(r: PairResultPrecise): string {
  const rows: string[][] = [];
  for (const p of r.points) {
    for (const [k, name] of QUANTITIES) {
      const v = valueOf(p, k);
      if (v === null) continue;
      const text = v.digits >= 1 ? vouchedText(v.value, v.digits) : `no digit vouched (computed ${v.value.toSignificantDigits(3).toString()})`;
      rows.push([p.depthExact.toString(), name, text, String(v.digits)]);
    }
  }
  const legend = [
    `High precision: ${r.precision} significant digits asked, ${r.workingPrecision} carried.`,
    `Digits: ${r.vouchedBy}.`,
    "Each value is printed with exactly its vouched digits; raw Σ, Θ for unit inputs (SPEC §2–3).",
  ];
  return renderTable([{ header: "L" }, { header: "quantity", align: "left" }, { header: "value", align: "left" }, { header: "digits" }], rows, legend);
}
