/**
 * Reading a sequence measured at growing depths: its power-law rate (a least-squares line on
 * log–log axes), the limit it is heading for (Aitken's Δ² on a geometric depth grid), and whether
 * it moves monotonically. The study's verdicts (verdicts.ts) are built only from these numbers.
 * Browser-safe, pure functions.
 */

/** Values of one quantity at increasing depths. */
export interface DepthSeries {
  /** Depths L (weight layers), strictly increasing positive integers. */
  readonly depths: readonly number[];
  /** The quantity at each depth, finite. */
  readonly values: readonly number[];
}

/** A power law `value ≈ constant · L^slope` fitted by least squares to (log10 L, log10 value). */
export interface PowerLawFit {
  /** Exponent: d log(value) / d log(L). */
  readonly slope: number;
  /** Prefactor: 10^intercept, in the value's units. */
  readonly constant: number;
  /** Standard error of the slope from the residuals (0 for two points or an exact fit). */
  readonly slopeStdErr: number;
  /** Largest |residual| in log10 units: how far the data stray from a straight log–log line. */
  readonly maxResidualLog10: number;
  /** Number of points used. */
  readonly points: number;
}

/**
 * Least-squares fit of log10(value) = log10(constant) + slope · log10(depth) over the points
 * whose values are positive. Domain: at least two points with distinct depths and positive
 * values; returns `null` otherwise (too little data is reported, not fitted).
 */
export function fitPowerLaw(series: DepthSeries): PowerLawFit | null {
  const xs: number[] = [];
  const ys: number[] = [];
  series.depths.forEach((d, i) => {
    const v = series.values[i];
    if (d > 0 && v > 0 && Number.isFinite(v)) {
      xs.push(Math.log10(d));
      ys.push(Math.log10(v));
    }
  });
  const n = xs.length;
  if (n < 2) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  let maxResidual = 0;
  for (let i = 0; i < n; i++) {
    const r = ys[i] - (intercept + slope * xs[i]);
    sse += r * r;
    maxResidual = Math.max(maxResidual, Math.abs(r));
  }
  const slopeStdErr = n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : 0;
  return { slope, constant: 10 ** intercept, slopeStdErr, maxResidualLog10: maxResidual, points: n };
}

/** The last `count` points of a series (all of it when shorter). */
export function tailOf(series: DepthSeries, count: number): DepthSeries {
  const start = Math.max(0, series.depths.length - count);
  return { depths: series.depths.slice(start), values: series.values.slice(start) };
}

/** Where a sequence is heading, from its last points. */
export interface LimitEstimate {
  /** Estimated value as L → ∞. */
  readonly limit: number;
  /**
   * How uncertain that is: the spread between the Aitken estimates of the last two triples, and
   * at least the last step |v_n − v_{n−1}| times 1e-3 (so an exact model fit never claims zero) and
   * the float64 spacing of the last value (a series that stopped moving in float64 claims no more).
   */
  readonly uncertainty: number;
  /** The last value measured. */
  readonly last: number;
}

/**
 * Aitken's Δ² extrapolation of three consecutive values. Exact for `v(L) = v∞ + C·L^{−p}` sampled
 * on a geometric grid `L, rL, r²L` (then the differences form a geometric sequence). Returns the
 * last value when the second difference vanishes (a constant or a straight-line sequence, for
 * which no finite limit follows from the model).
 */
export function aitkenLimit(v0: number, v1: number, v2: number): number {
  const d1 = v1 - v0;
  const d2 = v2 - v1;
  const second = d2 - d1;
  // A sequence that is not converging geometrically (d2 not smaller than d1 in size) gives no limit.
  if (second === 0 || Math.abs(d2) >= Math.abs(d1)) return v2;
  return v2 - (d2 * d2) / second;
}

/**
 * Limit of a series sampled on a (roughly) geometric depth grid, by Aitken's Δ² on the last three
 * values, with the previous triple's estimate as a check. Domain: at least three values; returns
 * `null` for fewer. The estimate assumes the tail behaves like `v∞ + C·L^{−p}`, which holds for
 * every kernel quantity here at large depth (SPEC §3–4: ε_L ≈ 9π²/(2L²)).
 */
export function estimateLimit(series: DepthSeries): LimitEstimate | null {
  const v = series.values;
  const n = v.length;
  if (n < 3) return null;
  const limit = aitkenLimit(v[n - 3], v[n - 2], v[n - 1]);
  const previous = n >= 4 ? aitkenLimit(v[n - 4], v[n - 3], v[n - 2]) : limit;
  const lastStep = Math.abs(v[n - 1] - v[n - 2]);
  // Never below the last value's float64 spacing: deep series that stop moving in float64 (Θ̄ at L = 2^60 is
  // 1/4 + 1e-17) know their limit only to that, not to ± 0.
  const uncertainty = Math.max(Math.abs(limit - previous), 1e-3 * lastStep, Number.EPSILON * Math.abs(v[n - 1]));
  return { limit, uncertainty, last: v[n - 1] };
}

/** Direction in which a series moves from one depth to the next. */
export type Monotonicity = "increasing" | "decreasing" | "constant" | "neither";

/**
 * Whether the values move strictly one way. Steps smaller than `tolerance` in size are treated
 * as no step (float64 noise), so a series that stalls at its floor still counts as monotone.
 */
export function monotonicity(values: readonly number[], tolerance = 0): Monotonicity {
  let up = false;
  let down = false;
  for (let i = 1; i < values.length; i++) {
    const step = values[i] - values[i - 1];
    if (step > tolerance) up = true;
    else if (step < -tolerance) down = true;
  }
  if (up && down) return "neither";
  if (up) return "increasing";
  if (down) return "decreasing";
  return "constant";
}

/**
 * Integer depths from `from` to `upTo` spaced about evenly on a log scale, `perDecade` per factor of
 * ten (rounding makes the low end coarser), sorted and distinct, always including both ends.
 */
export function geometricDepths(from: number, upTo: number, perDecade: number): number[] {
  const out = new Set<number>();
  const steps = Math.ceil(Math.log10(upTo / from) * perDecade);
  for (let k = 0; k <= steps; k++) out.add(Math.min(upTo, Math.round(from * 10 ** (k / perDecade))));
  out.add(upTo);
  return [...out].sort((a, b) => a - b);
}
