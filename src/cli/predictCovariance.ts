import { NtkError, formatFromLog10, formatScaled, renderTable } from "../index.js";
import { type EnsembleOnDataFloat64 } from "../advanced.js";
import { Decimal } from "decimal.js";
import { type EnsembleOnDataPrecise, vouchedText } from "../advanced.js";
import { type Vouched } from "../index.js";
/**
 * `predict --covariance [variance|full]`: the variance of the ensemble of trained networks at
 * each test point (docs/PREDICTOR.md), and on request their covariance matrix, in float64 or, with
 * `--precision P`, at P digits with the digits each value vouches for.
 */

/** The flag's value: `--covariance` alone means "variance". */
export function covarianceRequest(flag: string | boolean | undefined, precision: unknown): "variance" | "full" | null {
  if (flag === undefined || flag === false) return null;
  const request = flag === true ? "variance" : flag.trim();
  if (request !== "variance" && request !== "full") {
    throw new NtkError("BAD_OPTION", `--covariance takes "variance" (the default) or "full", got "${request}".`, { covariance: request });
  }
  if (precision !== undefined && String(precision).trim() === "auto") {
    throw new NtkError("BAD_OPTION", "--covariance takes a fixed --precision P (digits), not auto.", {});
  }
  return request;
}

/** JSON fields: "variance" and "varianceError" per test point, "covariance" rows for "full". */
export function ensembleJson(e: EnsembleOnDataFloat64): Record<string, unknown> {
  const text = (v: number) => formatScaled(v, e.log2Scale);
  const error = errorText(e);
  const t = e.testCount;
  return {
    variance: Array.from(e.variance, text),
    varianceError: Array.from(e.varianceError, error),
    ...(e.covariance === null ? {} : { covariance: Array.from({ length: t }, (_, i) => Array.from(e.covariance!.subarray(i * t, (i + 1) * t), text)) }),
  };
}

/** Text lines: a table of variances with their error estimates, and the covariance rows for "full". */
export function ensembleText(e: EnsembleOnDataFloat64): string {
  const text = (v: number) => formatScaled(v, e.log2Scale);
  const error = errorText(e);
  const t = e.testCount;
  const rows = Array.from({ length: t }, (_, i) => [String(i + 1), text(e.variance[i]), error(e.varianceError[i])]);
  const lines = [
    "Ensemble of trained networks (random initialization, docs/PREDICTOR.md): Var f = variance of each output at the test point (the same for every target column), ± its estimated float64 error.",
    "",
    renderTable([{ header: "point" }, { header: "Var f", align: "left" }, { header: "± error", align: "left" }], rows),
  ];
  if (e.covariance !== null) {
    const cov = e.covariance;
    lines.push(
      "Covariance Cov(f(x_i), f(x_j)):",
      covarianceTable(t, (i, j) => text(cov[i * t + j])),
    );
  }
  return lines.join("\n") + "\n";
}

/** The t × t covariance as a table with row and column numbers (split into blocks of columns when wide). */
function covarianceTable(t: number, cell: (i: number, j: number) => string): string {
  const columns = [{ header: "i" }, ...Array.from({ length: t }, (_, j) => ({ header: String(j + 1), align: "left" as const }))];
  const rows = Array.from({ length: t }, (_, i) => [String(i + 1), ...Array.from({ length: t }, (_, j) => cell(i, j))]);
  return renderTable(columns, rows).trimEnd();
}

/** An error estimate is good to a factor of a few: two significant digits. */
function errorText(e: EnsembleOnDataFloat64): (v: number) => string {
  return (v) => (v > 0 ? formatFromLog10(1, Math.log10(v) + e.log2Scale * Math.log10(2), 2) : "0");
}

/** JSON fields at a precision: "variance" per test point and "covariance" rows for "full", each a decimal string of its vouched digits, with the digits beside them. */
export function ensemblePreciseJson(e: EnsembleOnDataPrecise): Record<string, unknown> {
  const t = e.testCount;
  const rowsOf = <T>(a: readonly T[]) => Array.from({ length: t }, (_, i) => a.slice(i * t, (i + 1) * t));
  const text = (v: Vouched<Decimal>) => vouchedText(v.value, v.digits);
  return {
    variance: e.variance.map(text),
    varianceDigitsVouched: e.variance.map((v) => String(v.digits)),
    ...(e.covariance === null
      ? {}
      : { covariance: rowsOf(e.covariance.map(text)), covarianceDigitsVouched: rowsOf(e.covariance.map((v) => String(v.digits))) }),
    ensembleVouchedBy: e.vouchedBy,
  };
}

/** Text lines at a precision: variances with their vouched digits, and the covariance rows for "full". */
export function ensemblePreciseText(e: EnsembleOnDataPrecise): string {
  const t = e.testCount;
  const text = (v: Vouched<Decimal>) => vouchedText(v.value, v.digits);
  const rows = e.variance.map((v, i) => [String(i + 1), text(v), String(v.digits)]);
  const lines = [
    `Ensemble of trained networks (random initialization, docs/PREDICTOR.md) at ${e.precision} digits: Var f = variance of each output at the test point, printed with the digits it vouches for.`,
    "",
    renderTable([{ header: "point" }, { header: "Var f", align: "left" }, { header: "digits vouched" }], rows),
  ];
  if (e.covariance !== null) {
    const cov = e.covariance;
    lines.push(
      "Covariance Cov(f(x_i), f(x_j)), each entry with the digits it vouches for (--json lists them):",
      covarianceTable(t, (i, j) => text(cov[i * t + j])),
    );
  }
  lines.push(`vouched by: ${e.vouchedBy}.`);
  return lines.join("\n") + "\n";
}
