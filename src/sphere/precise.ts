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
import { checkProjectionRequest, checkRawPoints, offSphereError, zeroVectorError, type ProjectionOptions, type RawPoints } from "./float64.js";

/** Points on the sphere at a working precision: m rows of n0 Decimals, row-major. */
export interface SpherePointsPrecise {
  /** Number of points m ≥ 1. */
  readonly m: number;
  /** Dimension of the projected points: the raw n0, or n0 + 1 for "stereographic". */
  readonly n0: number;
  /** Row-major m × n0 coordinates, each rounded once or twice to the working precision. */
  readonly coords: Decimal[];
  /** The projection that produced `coords` from the raw input (as in `SpherePoints`). */
  readonly projection: Projection;
}

/**
 * The raw coordinates as exact Decimals (row-major m × n0): each coordinate's decimal text when
 * the points carry text, else the exact binary value of its float64. Throws `NOT_A_NUMBER`
 * (naming point and coordinate) for text that is not a decimal, `DIMENSION_MISMATCH` when the
 * text does not have the shape m × n0, `NON_FINITE` for a NaN or ±∞ coordinate.
 */
export function exactRawCoordinates(raw: RawPoints): Decimal[] {
  checkRawPoints(raw);
  const { m, n0, coordText } = raw;
  const source = raw.source ?? "points";
  if (coordText !== undefined && (coordText.length !== m || coordText.some((row) => row.length !== n0))) {
    throw new NtkError(
      "DIMENSION_MISMATCH",
      `${source}: the decimal text of the coordinates is not ${m} rows of ${n0}; pass text of the same shape as the coordinates, or none.`,
      { m, n0 },
    );
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
 * Other errors as {@link projectToSphereFloat64} (`EMPTY_DATA`, `BAD_OPTION`) and
 * {@link exactRawCoordinates} (`NOT_A_NUMBER`, `NON_FINITE`, `DIMENSION_MISMATCH`).
 */
export function projectToSpherePrecise(raw: RawPoints, projection: Projection, D: typeof Decimal, options: ProjectionOptions = {}): SpherePointsPrecise {
  const { source, outDim, tolerance } = checkProjectionRequest(raw, projection, options);
  const { m, n0 } = raw;
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
  return { m, n0: outDim, coords, projection };
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
 * Validates like {@link projectToSpherePrecise} (same errors). To round the same complements
 * at several precisions, use {@link exactPairComplements} (the exact parts are formed once).
 */
export function pairComplementsPrecise(raw: RawPoints, projection: Projection, D: typeof Decimal, options: ProjectionOptions = {}): Decimal[] {
  return exactPairComplements(raw, projection, D, options).at(D);
}

/** The pair complements of {@link pairComplementsPrecise} as exact parts, ready to round at any precision. */
export interface ExactPairComplements {
  /** Dimension of the projected points (the raw n0, or n0 + 1 for "stereographic"). */
  readonly n0: number;
  /** 1 − x_i·x_j for every pair i < j, packed in row order, rounded as described at the precision of `D`. */
  at(D: typeof Decimal): Decimal[];
}

/**
 * Exact parts of one pair's complement: `ab` = a·b, `st` = s t and, for a·b > 0, `lagrange` =
 * s t − (a·b)² (normalize, none); or `num` = 2|a − b|², `den` = (1 + s)(1 + t) (stereographic).
 */
type PairParts = { readonly ab: Decimal; readonly st: Decimal; readonly lagrange: Decimal | null } | { readonly num: Decimal; readonly den: Decimal };

/**
 * Validates and projects the raw points at the precision of `validateWith` (the errors of
 * {@link projectToSpherePrecise}; the off-sphere check of "none" reads the norm at that
 * precision), then forms the exact parts of every pair's 1 − x_i·x_j (dot products and norms of
 * the exact raw inputs: m(m−1)/2 · n0 exact products, the bulk of the cost) once, so that
 * `at(D)` only rounds: one square root and a few operations a pair.
 */
export function exactPairComplements(
  raw: RawPoints,
  projection: Projection,
  validateWith: typeof Decimal,
  options: ProjectionOptions = {},
): ExactPairComplements {
  const { n0: outDim } = projectToSpherePrecise(raw, projection, validateWith, options);
  const { m, n0 } = raw;
  const exact = exactRawCoordinates(raw);
  const rows = Array.from({ length: m }, (_, i) => exact.slice(i * n0, (i + 1) * n0));
  const dot = (a: Decimal[], b: Decimal[]) => a.reduce((s, x, k) => s.plus(x.times(b[k])), new ExactDecimal(0));
  const norms2 = rows.map((r) => dot(r, r));
  const parts: PairParts[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const [a, b, s, t] = [rows[i], rows[j], norms2[i], norms2[j]];
      if (projection === "stereographic") {
        const diff2 = a.reduce((acc, x, k) => acc.plus(x.minus(b[k]).times(x.minus(b[k]))), new ExactDecimal(0));
        parts.push({ num: diff2.times(2), den: s.plus(1).times(t.plus(1)) });
      } else {
        const ab = dot(a, b);
        const st = s.times(t);
        parts.push({ ab, st, lagrange: ab.lte(0) ? null : st.minus(ab.times(ab)) });
      }
    }
  }
  return {
    n0: outDim,
    at: (D) =>
      parts.map((p) => {
        if ("num" in p) return new D(p.num).div(new D(p.den));
        const root = new D(p.st).sqrt();
        if (p.lagrange === null) return new D(p.ab.abs()).div(root).plus(1);
        return new D(p.lagrange).div(root.times(root.plus(p.ab)));
      }),
  };
}
