/**
 * Cross kernels without cross-kernel code: the Gram matrix of the union of training and
 * test points, training rows first, sliced into K = k(X, X) and K_x = k(x, X).
 */
import { checkInteger } from "../argumentTypes.js";
import { exactBinaryDecimal } from "../decimalText.js";
import { checkRawPoints, checkSpherePoints, type RawPoints } from "../sphere/float64.js";
import { NtkError } from "../errors.js";
import { checkSquareShape } from "../linalg/lu.js";
import type { SpherePoints } from "../types.js";

/** The union of two projected point sets, training rows first. */
export function unionPoints(a: SpherePoints, b: SpherePoints): SpherePoints {
  checkSpherePoints(a, "a union of point sets");
  checkSpherePoints(b, "a union of point sets");
  if (a.n0 !== b.n0) throw new NtkError("DIMENSION_MISMATCH", `the two point sets have dimensions ${a.n0} and ${b.n0}; a union needs one.`, {});
  return joinSpherePoints(a, b);
}

/** {@link unionPoints} of two sets already checked (by `checkSpherePoints`, or projected here): for the layers below a validated entry. */
export function joinSpherePoints(a: SpherePoints, b: SpherePoints): SpherePoints {
  const coords = new Float64Array(a.coords.length + b.coords.length);
  coords.set(a.coords);
  coords.set(b.coords, a.coords.length);
  return { m: a.m + b.m, n0: a.n0, coords, projection: a.projection };
}

/** K (m × m) and K_x (t × m) sliced from the union Gram matrix (m + t rows, training first). */
export function sliceUnion<T>(union: ArrayLike<T>, m: number, t: number): { train: T[]; test: T[] } {
  checkInteger(m, "m (training points)", 1);
  checkInteger(t, "t (test points)", 0);
  checkSquareShape(union, m + t, "union Gram matrix");
  return sliceUnionChecked(union, m, t);
}

/** {@link sliceUnion} of a Gram matrix this library made (nothing checked): for the layers below a validated entry. */
export function sliceUnionChecked<T>(union: ArrayLike<T>, m: number, t: number): { train: T[]; test: T[] } {
  return sliceInto(union, m, t, (length) => new Array<T>(length));
}

/** {@link sliceUnion} of a float64 matrix into Float64Arrays: no boxed array of m² numbers at large m. */
export function sliceUnion64(union: ArrayLike<number>, m: number, t: number): { train: Float64Array; test: Float64Array } {
  if (!(union instanceof Float64Array)) return sliceInto(union, m, t, (length) => new Float64Array(length));
  // Row by row as block copies: at m = 10 000 the element loop took seconds.
  const n = m + t;
  const train = new Float64Array(m * m);
  const test = new Float64Array(t * m);
  for (let i = 0; i < m; i++) train.set(union.subarray(i * n, i * n + m), i * m);
  for (let i = 0; i < t; i++) test.set(union.subarray((m + i) * n, (m + i) * n + m), i * m);
  return { train, test };
}

/**
 * K (m × m) and K_x (t × m) of a union Gram matrix given as its first m columns ((m + t) × m,
 * row-major: what the float64 Gram fill returns with `columns: m`), as views of it: no copy.
 */
export function splitUnionColumns(columns: Float64Array, m: number, t: number): { train: Float64Array; test: Float64Array } {
  return { train: columns.subarray(0, m * m), test: columns.subarray(m * m, (m + t) * m) };
}

function sliceInto<T, A extends { [index: number]: T }>(union: ArrayLike<T>, m: number, t: number, make: (length: number) => A): { train: A; test: A } {
  const n = m + t;
  const train = make(m * m);
  const test = make(t * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) train[i * m + j] = union[i * n + j];
  for (let i = 0; i < t; i++) for (let j = 0; j < m; j++) test[i * m + j] = union[(m + i) * n + j];
  return { train, test };
}

/** The raw points of train then test, with decimal text for every coordinate (exact binary values where none was given). */
export function unionRaw(train: RawPoints, test: RawPoints): RawPoints {
  checkRawPoints(train);
  checkRawPoints(test);
  if (train.n0 !== test.n0) throw new NtkError("DIMENSION_MISMATCH", `the two point sets have dimensions ${train.n0} and ${test.n0}; a union needs one.`, {});
  return joinRawPoints(train, test);
}

/** {@link unionRaw} of two checked point sets (nothing checked again): for the layers below a validated entry. */
export function joinRawPoints(train: RawPoints, test: RawPoints): RawPoints {
  const text = (p: RawPoints): string[][] =>
    p.coordText !== undefined
      ? p.coordText.map((row) => [...row])
      : Array.from({ length: p.m }, (_, i) =>
          Array.from(p.coords.subarray(i * p.n0, (i + 1) * p.n0), (x) => exactBinaryDecimal(x, `${p.source ?? "points"}: point ${i + 1}`).toString()),
        );
  const coords = new Float64Array(train.coords.length + test.coords.length);
  coords.set(train.coords);
  coords.set(test.coords, train.coords.length);
  return {
    m: train.m + test.m,
    n0: train.n0,
    coords,
    coordText: [...text(train), ...text(test)],
    source: `${train.source ?? "train"} + ${test.source ?? "test"}`,
  };
}
