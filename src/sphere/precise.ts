/**
 * Getting raw points onto the unit sphere at a working precision (SPEC §7): the high-precision
 * twin of `sphere/float64.ts`, with the same projections, checks and errors. Coordinates given as
 * decimal text are used exactly as written; coordinates without text count as the exact binary
 * value of their float64. Browser-safe.
 */
import type { Decimal } from "decimal.js";
import { NtkError } from "../errors.js";
import { ExactDecimal, exactBinaryDecimal, parseDecimalText } from "../decimalText.js";
import type { Projection } from "../types.js";
import { checkProjectionRequest, offSphereError, zeroVectorError, type ProjectionOptions, type RawPoints } from "./float64.js";

/** Points on the sphere at a working precision: m rows of n0 Decimals, row-major. */
export interface PreciseSpherePoints {
  /** Number of points m ≥ 1. */
  readonly m: number;
  /** Dimension of the projected points: the raw n0, or n0 + 1 for "stereographic". */
  readonly n0: number;
  /** Row-major m × n0 coordinates, each rounded once or twice to the working precision. */
  readonly coords: Decimal[];
}

/**
 * The raw coordinates as exact Decimals (row-major m × n0): each coordinate's decimal text when
 * the points carry text, else the exact binary value of its float64. Throws `NOT_A_NUMBER`
 * (naming point and coordinate) for text that is not a decimal, `DIMENSION_MISMATCH` when the
 * text does not have the shape m × n0, `NON_FINITE` for a NaN or ±∞ coordinate.
 */
export function exactRawCoordinates(raw: RawPoints): Decimal[] {
  const { m, n0, coordText } = raw;
  const source = raw.source ?? "points";
  if (coordText !== undefined && (coordText.length !== m || coordText.some((row) => row.length !== n0))) {
    throw new NtkError("DIMENSION_MISMATCH", `${source}: the decimal text of the coordinates is not ${m} rows of ${n0}; pass text of the same shape as the coordinates, or none.`, { m, n0 });
  }
  const out: Decimal[] = new Array(m * n0);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n0; j++) {
      const what = `${source}: point ${i + 1}, coordinate ${j + 1}`;
      out[i * n0 + j] = coordText !== undefined ? parseDecimalText(coordText[i][j], what) : exactBinaryDecimal(raw.coords[i * n0 + j], what);
    }
  }
  return out;
}

/**
 * Puts raw points on the unit sphere by the named projection (SPEC §7), at the precision of the
 * Decimal class `D` (p = `D.precision` significant digits):
 *
 * - "normalize": x ↦ x / |x|. Throws `ZERO_VECTOR` naming the row.
 * - "stereographic": u ↦ (2u, |u|² − 1) / (|u|² + 1) from R^{n0} into S^{n0} ⊂ R^{n0+1} (one more
 *   coordinate out than in).
 * - "none": checks `| |x| − 1 | ≤ tolerance` (default 1e-12, `OFF_SPHERE` otherwise, with the norm
 *   to 17 digits) and then divides by |x| at working precision, so kernels see unit rows.
 *
 * Accuracy: |x|² and |u|² ± 1 are formed exactly from the exact inputs (no cancellation, whatever
 * |u|), then one square root and one division (normalize, none) or one division (stereographic),
 * each correctly rounded by decimal.js: every output coordinate has relative error below
 * 10^(1−p) (at most two half-units in the p-th digit), and each row has norm 1 within 2·10^(1−p).
 * Other errors as {@link projectToSphere} (`EMPTY_DATA`, `BAD_OPTION`) and
 * {@link exactRawCoordinates} (`NOT_A_NUMBER`, `NON_FINITE`, `DIMENSION_MISMATCH`).
 */
export function projectToSphereAtPrecision(raw: RawPoints, projection: Projection, D: typeof Decimal, options: ProjectionOptions = {}): PreciseSpherePoints {
  const { m, n0 } = raw;
  const { source, outDim, tolerance } = checkProjectionRequest(raw, projection, options);
  const exact = exactRawCoordinates(raw);
  const coords: Decimal[] = new Array(m * outDim);
  for (let i = 0; i < m; i++) {
    const row = exact.slice(i * n0, (i + 1) * n0);
    // Exact: ExactDecimal keeps every digit of squares and sums of the inputs.
    const sumSquares = row.reduce((s, x) => s.plus(x.times(x)), new ExactDecimal(0));
    const target = i * outDim;
    if (projection === "stereographic") {
      const denominator = new D(sumSquares.plus(1));
      for (let j = 0; j < n0; j++) coords[target + j] = new D(row[j].times(2)).div(denominator);
      coords[target + n0] = new D(sumSquares.minus(1)).div(denominator);
      continue;
    }
    if (sumSquares.isZero()) throw zeroVectorError(source, i);
    const norm = new D(sumSquares).sqrt();
    if (projection === "none" && norm.minus(1).abs().gt(tolerance)) {
      throw offSphereError(source, i, norm.toSignificantDigits(17).toString(), tolerance);
    }
    for (let j = 0; j < n0; j++) coords[target + j] = new D(row[j]).div(norm);
  }
  return { m, n0: outDim, coords };
}

/**
 * 1 − x_i·x_j for every pair i < j of the projected points (packed in row order: (0,1), (0,2), …,
 * (1,2), …), at the precision of `D`, computed from the exact raw inputs so that it does not
 * cancel however close two points are (SPEC §4). With a, b the raw rows, s = |a|², t = |b|²:
 *
 * - "normalize", "none": a·b ≤ 0 gives 1 + |a·b|/√(s t); a·b > 0 gives
 *   (s t − (a·b)²) / (√(s t) (√(s t) + a·b)), whose numerator (Lagrange's identity) is formed exactly.
 * - "stereographic": 2|a − b|² / ((1 + s)(1 + t)) (the chordal distance of the inverse projection).
 *
 * Points that coincide on the sphere (positive multiples under normalize, equal rows under
 * stereographic) give exactly 0. Accuracy: relative error below 3·10^(1−p) for every pair
 * (a square root, a product, a sum of positives and a division, each correctly rounded).
 * Validates like {@link projectToSphereAtPrecision} (same errors).
 */
export function pairComplementsAtPrecision(raw: RawPoints, projection: Projection, D: typeof Decimal, options: ProjectionOptions = {}): Decimal[] {
  projectToSphereAtPrecision(raw, projection, D, options);
  const { m, n0 } = raw;
  const exact = exactRawCoordinates(raw);
  const row = (i: number) => exact.slice(i * n0, (i + 1) * n0);
  const dot = (a: Decimal[], b: Decimal[]) => a.reduce((s, x, k) => s.plus(x.times(b[k])), new ExactDecimal(0));
  const norms2 = Array.from({ length: m }, (_, i) => dot(row(i), row(i)));
  const out: Decimal[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const [a, b, s, t] = [row(i), row(j), norms2[i], norms2[j]];
      if (projection === "stereographic") {
        const diff2 = a.reduce((acc, x, k) => acc.plus(x.minus(b[k]).times(x.minus(b[k]))), new ExactDecimal(0));
        out.push(new D(diff2.times(2)).div(new D(s.plus(1).times(t.plus(1)))));
        continue;
      }
      const ab = dot(a, b);
      const root = new D(s.times(t)).sqrt();
      if (ab.lte(0)) {
        out.push(new D(ab.abs()).div(root).plus(1));
      } else {
        const numerator = s.times(t).minus(ab.times(ab));
        out.push(new D(numerator).div(root.times(root.plus(ab))));
      }
    }
  }
  return out;
}
