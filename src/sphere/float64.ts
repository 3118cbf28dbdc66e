/**
 * Getting raw points onto the unit sphere in float64 (SPEC §7): `normalize`, inverse
 * `stereographic` projection, or `none` (points already on the sphere, checked). The
 * high-precision counterpart is `sphere/precise.ts`; both keep the raw decimal text so that the
 * precise path projects what the user wrote, not its float64 rounding. Browser-safe.
 */
import { NtkError } from "../errors.js";
import { checkObject, describeValue } from "../argumentTypes.js";
import type { Projection, SpherePoints } from "../types.js";

/** Raw points to project: m rows of n0 float64 values, with their decimal text when known. */
export interface RawPoints {
  readonly m: number;
  readonly n0: number;
  /** Row-major m × n0 raw coordinates. */
  readonly coords: Float64Array;
  /** Decimal text of each raw coordinate (m rows of n0), passed through to the result. */
  readonly coordText?: readonly (readonly string[])[];
  /** Where the points came from, for messages (e.g. a file name). */
  readonly source?: string;
}

/**
 * Default tolerance of projection "none": a point is accepted when `| |x| − 1 | ≤ 1e-12`. That
 * admits points written with 13 or more correct significant digits, and float64 data normalized
 * elsewhere (whose norm is within a few 1e-16 of 1), while rejecting data never normalized.
 */
export const DEFAULT_SPHERE_TOLERANCE = 1e-12;

/** Every projection of SPEC §7, in the order help texts list them. */
export const PROJECTIONS: readonly Projection[] = ["normalize", "stereographic", "none"];

/** Options of {@link projectToSphereFloat64}. */
export interface ProjectionOptions {
  /** For projection "none": largest accepted `| |x| − 1 |`, in [0, 1). Default 1e-12. */
  readonly tolerance?: number;
}

/**
 * Puts raw points on the unit sphere S^{n0−1} by the named projection (SPEC §7):
 *
 * - "normalize": x ↦ x / |x|; output dimension n0. Throws `ZERO_VECTOR` naming the row.
 * - "stereographic": u ↦ (2u, |u|² − 1) / (|u|² + 1), the inverse stereographic projection from
 *   R^{n0} to S^{n0} ⊂ R^{n0+1}: the output has ONE MORE coordinate than the input. The origin maps
 *   to the south pole (0, …, 0, −1), |u| → ∞ to the north pole.
 * - "none": the points are checked to satisfy `| |x| − 1 | ≤ tolerance` (else `OFF_SPHERE` with the
 *   row, its norm and the tolerance) and then divided by their float64 norm, so that kernels see
 *   unit rows.
 *
 * Accuracy: every output coordinate is within a few units of 2^-53 (absolute) of the exact
 * projection of the float64 inputs, and each output row has norm 1 within a few 2^-53.
 * Norms are computed with scaling, so inputs anywhere in the float64 range neither overflow nor
 * underflow. Throws `EMPTY_DATA` for m = 0 or n0 = 0, `BAD_OPTION` for a bad tolerance.
 */
export function projectToSphereFloat64(points: RawPoints, projection: Projection, options: ProjectionOptions = {}): SpherePoints {
  const { source, outDim, tolerance } = checkProjectionRequest(points, projection, options);
  const { m, n0 } = points;
  const out = new Float64Array(m * outDim);
  for (let i = 0; i < m; i++) {
    const row = points.coords.subarray(i * n0, (i + 1) * n0);
    const target = out.subarray(i * outDim, (i + 1) * outDim);
    if (projection === "stereographic") {
      stereographicRow(row, target);
      continue;
    }
    const { scale, scaledSumSquares } = scaledNorm(row);
    if (scale === 0) {
      throw zeroVectorError(source, i);
    }
    const rootSum = Math.sqrt(scaledSumSquares);
    if (projection === "none") {
      const norm = scale * rootSum;
      if (!(Math.abs(norm - 1) <= tolerance)) {
        throw offSphereError(source, i, norm, tolerance);
      }
    }
    for (let j = 0; j < n0; j++) target[j] = row[j] / scale / rootSum;
  }
  return { m, n0: outDim, coords: out, rawText: points.coordText, projection };
}

/** What {@link checkProjectionRequest} resolves: the name for messages, the output dimension, the tolerance. */
export interface ProjectionRequest {
  readonly source: string;
  /** Dimension of the projected points: n0, or n0 + 1 for "stereographic". */
  readonly outDim: number;
  /** Tolerance of projection "none" on | |x| − 1 |. */
  readonly tolerance: number;
}

/**
 * Validation shared by the float64 and the high-precision projections: throws `EMPTY_DATA` for
 * m = 0 or n0 = 0, `BAD_OPTION` for an unknown projection or a tolerance outside [0, 1).
 */
export function checkProjectionRequest(points: RawPoints, projection: Projection, options: ProjectionOptions = {}): ProjectionRequest {
  checkRawPoints(points);
  const { m, n0 } = points;
  const source = points.source ?? "points";
  if (m < 1 || n0 < 1)
    throw new NtkError("EMPTY_DATA", `${source} has ${m} points of dimension ${n0}; need at least one point with one coordinate.`, { m, n0 });
  if (options === null || typeof options !== "object") {
    throw new NtkError("BAD_OPTION", `projection options must be an object such as { tolerance: 1e-9 }, got ${describeValue(options)}.`, {});
  }
  if (!PROJECTIONS.includes(projection)) {
    throw new NtkError("BAD_OPTION", `unknown projection ${describeValue(projection)}; choose ${PROJECTIONS.join(", ")}.`, {
      projection: describeValue(projection),
    });
  }
  const tolerance = options.tolerance ?? DEFAULT_SPHERE_TOLERANCE;
  if (typeof tolerance !== "number" || !(tolerance >= 0 && tolerance < 1)) {
    throw new NtkError("BAD_OPTION", `sphere tolerance must be in [0, 1), got ${describeValue(tolerance)}.`, { tolerance: describeValue(tolerance) });
  }
  return { source, outDim: projection === "stereographic" ? n0 + 1 : n0, tolerance };
}

/**
 * Checks the shape of raw points at a public entry: an object with integer m, n0 ≥ 0, `coords` a
 * Float64Array of m · n0 finite numbers, and `coordText` (when present) m rows of n0 strings.
 * Throws EMPTY_DATA (not an object), DIMENSION_MISMATCH (sizes that disagree, wrong types),
 * NON_FINITE (a NaN or ±Infinity coordinate, named by row and column, 1-based).
 */
export function checkRawPoints(points: RawPoints): void {
  if (points === null || typeof points !== "object") {
    throw new NtkError("EMPTY_DATA", `points must be an object { m, n0, coords } (a Dataset fits), got ${describeValue(points)}.`, {});
  }
  const { m, n0, coords, coordText } = points;
  const source = typeof points.source === "string" ? points.source : "points";
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n0) || m < 0 || n0 < 0) {
    throw new NtkError("DIMENSION_MISMATCH", `${source}: m and n0 must be integers ≥ 0, got m = ${describeValue(m)}, n0 = ${describeValue(n0)}.`, {
      m: describeValue(m),
      n0: describeValue(n0),
    });
  }
  if (!(coords instanceof Float64Array) || coords.length !== m * n0) {
    const got = coords instanceof Float64Array ? `${coords.length} coordinates` : describeValue(coords);
    throw new NtkError("DIMENSION_MISMATCH", `${source}: coords must be a Float64Array of m · n0 = ${m * n0} coordinates, got ${got}.`, { m, n0 });
  }
  for (let k = 0; k < coords.length; k++) {
    if (!Number.isFinite(coords[k])) {
      const row = Math.floor(k / n0) + 1;
      const col = (k % n0) + 1;
      throw new NtkError("NON_FINITE", `${source}: coordinate ${col} of point ${row} is ${coords[k]}; every coordinate must be a finite number.`, { row, col });
    }
  }
  if (coordText !== undefined && (!Array.isArray(coordText) || coordText.length !== m || coordText.some((r) => !Array.isArray(r) || r.length !== n0))) {
    throw new NtkError("DIMENSION_MISMATCH", `${source}: coordText must hold m = ${m} rows of n0 = ${n0} strings.`, { m, n0 });
  }
}

/** `ZERO_VECTOR` for the 0-based row `row` of `source`. */
export function zeroVectorError(source: string, row: number): NtkError {
  return new NtkError(
    "ZERO_VECTOR",
    `${source}: point ${row + 1} is the zero vector, which has no direction; remove it or choose --projection stereographic.`,
    { row: row + 1 },
  );
}

/** `OFF_SPHERE` for the 0-based row `row` of `source`, whose norm (number or decimal text) is off by more than `tolerance`. */
export function offSphereError(source: string, row: number, norm: number | string, tolerance: number): NtkError {
  return new NtkError(
    "OFF_SPHERE",
    `${source}: point ${row + 1} has norm ${norm}, not 1 within the tolerance ${tolerance}; choose --projection normalize or stereographic, or normalize the data.`,
    { row: row + 1, norm, tolerance },
  );
}

/**
 * |x| as `scale · sqrt(scaledSumSquares)` with `scale = max |x_j|` and the sum taken over
 * `(x_j / scale)²` ∈ [1, n0], so that neither overflow nor underflow can occur.
 * `scale` is 0 exactly for the zero vector.
 */
function scaledNorm(row: Float64Array): { scale: number; scaledSumSquares: number } {
  let scale = 0;
  for (let j = 0; j < row.length; j++) scale = Math.max(scale, Math.abs(row[j]));
  if (scale === 0) return { scale, scaledSumSquares: 0 };
  let sum = 0;
  for (let j = 0; j < row.length; j++) {
    const t = row[j] / scale;
    sum += t * t;
  }
  return { scale, scaledSumSquares: sum };
}

/**
 * Inverse stereographic projection of one row `u` (length d) into `x` (length d + 1). For |u| ≤ 1
 * it evaluates (2u, s − 1)/(s + 1) with s = |u|²; for |u| > 1 it divides through by s, i.e.
 * x_j = 2 (u_j / r) / (r + 1/r) and x_d = (1 − 1/s)/(1 + 1/s), so that huge |u| neither overflows
 * nor loses the last coordinate's approach to 1.
 */
function stereographicRow(u: Float64Array, x: Float64Array): void {
  const d = u.length;
  const { scale, scaledSumSquares } = scaledNorm(u);
  const r = scale * Math.sqrt(scaledSumSquares);
  if (r <= 1) {
    let s = 0;
    for (let j = 0; j < d; j++) s += u[j] * u[j];
    for (let j = 0; j < d; j++) x[j] = (2 * u[j]) / (1 + s);
    x[d] = (s - 1) / (s + 1);
    return;
  }
  const invR = 1 / r;
  const invS = invR * invR;
  for (let j = 0; j < d; j++) x[j] = (2 * (u[j] / scale / Math.sqrt(scaledSumSquares))) / (r + invR);
  x[d] = (1 - invS) / (1 + invS);
}

/**
 * Throws EMPTY_DATA, DIMENSION_MISMATCH, NON_FINITE or OFF_SPHERE unless `points` holds m unit rows:
 * the check of every path that takes points already on the sphere. `user` names what needs them,
 * in the messages ("Gram matrices", "a network's kernels").
 */
export function checkSpherePoints(points: SpherePoints, user = "Gram matrices"): void {
  const { m, n0, coords } = checkObject(points, "points");
  if (!(Number.isInteger(m) && Number.isInteger(n0) && m >= 1 && n0 >= 1)) {
    throw new NtkError(
      "EMPTY_DATA",
      `${user[0]!.toUpperCase()}${user.slice(1)} need at least one point with at least one coordinate, got m = ${describeValue(m)}, n0 = ${describeValue(n0)}.`,
      {
        m: describeValue(m),
        n0: describeValue(n0),
      },
    );
  }
  if (!(coords instanceof Float64Array) || coords.length !== m * n0) {
    throw new NtkError(
      "DIMENSION_MISMATCH",
      `${m} points of dimension ${n0} need ${m * n0} coordinates (row-major) in a Float64Array, got ${coords instanceof Float64Array ? coords.length : describeValue(coords)}.`,
      {
        m,
        n0,
      },
    );
  }
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let c = 0; c < n0; c++) {
      const x = coords[i * n0 + c];
      if (!Number.isFinite(x)) {
        throw new NtkError("NON_FINITE", `Point ${i + 1}, coordinate ${c + 1} is ${x}; every coordinate must be finite.`, { row: i + 1, column: c + 1 });
      }
      s += x * x;
    }
    // Unit rows from projectToSphereFloat64 have |x|² within a few 1e-16 of 1; 1e-12 allows for that only.
    if (!(Math.abs(s - 1) <= 1e-12)) {
      throw new NtkError(
        "OFF_SPHERE",
        `Point ${i + 1} has |x|² = ${s}, not 1: ${user} need points on the unit sphere. Project them first (projectToSphereFloat64).`,
        { row: i + 1, normSquared: s },
      );
    }
  }
}
