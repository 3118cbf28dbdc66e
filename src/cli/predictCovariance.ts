import { NtkError, formatFromLog10, formatScaled, renderTable } from "../index.js";
import { type EnsembleOnData } from "../advanced.js";
/**
 * `predict --covariance [variance|full]`: the variance of the ensemble of trained networks at
 * each test point (docs/PREDICTOR.md), and on request their covariance matrix, in float64.
 */

/** The flag's value: `--covariance` alone means "variance". */
export function covarianceRequest(flag: string | boolean | undefined, precision: unknown): "variance" | "full" | null {
  if (flag === undefined || flag === false) return null;
  const request = flag === true ? "variance" : flag.trim();
  if (request !== "variance" && request !== "full") {
    throw new NtkError("BAD_OPTION", `--covariance takes "variance" (the default) or "full", got "${request}".`, { covariance: request });
  }
  if (precision !== undefined) {
    throw new NtkError("BAD_OPTION", "--covariance is computed in float64 only so far; drop --precision, or run the two separately.", {});
  }
  return request;
}

/** JSON fields: "variance" and "varianceError" per test point, "covariance" rows for "full". */
export function ensembleJson(e: EnsembleOnData): Record<string, unknown> {
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
export function ensembleText(e: EnsembleOnData): string {
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
    lines.push(
      "Covariance Cov(f(x_i), f(x_j)), row i:",
      ...Array.from({ length: t }, (_, i) => Array.from(e.covariance!.subarray(i * t, (i + 1) * t), text).join("  ")),
    );
  }
  return lines.join("\n") + "\n";
}

/** An error estimate is good to a factor of a few: two significant digits. */
function errorText(e: EnsembleOnData): (v: number) => string {
  return (v) => (v > 0 ? formatFromLog10(1, Math.log10(v) + e.log2Scale * Math.log10(2), 2) : "0");
}
