/**
 * A data set as read from the user: raw points (before any projection onto the sphere, SPEC §7)
 * and optional regression targets, with the decimal text of every number kept when the input was
 * text, so that the high-precision path starts from the decimals the user wrote.
 * Browser-safe: this module only validates and packs values already in memory.
 */
import { NtkError } from "../errors.js";
import { checkObject, checkString } from "../argumentTypes.js";
import { checkRawPoints } from "../sphere/float64.js";
import { parseDecimalText } from "../decimalText.js";

/** Raw points and optional targets, validated: rectangular, finite, non-empty. */
export interface Dataset {
  /** Number of points m ≥ 1. */
  readonly m: number;
  /** Raw dimension n0 ≥ 1 of each point (before projection; stereographic adds one). */
  readonly n0: number;
  /** Number of targets per point: 0 when there are no labels, 1 for a flat label list, else k. */
  readonly k: number;
  /** Raw coordinates, row-major m × n0, each the float64 nearest to what was written. */
  readonly coords: Float64Array;
  /** Each coordinate's decimal text as written (m rows of n0), when the input was text. */
  readonly coordText?: readonly (readonly string[])[];
  /** Targets, row-major m × k, or null when the data set has none. */
  readonly targets: Float64Array | null;
  /** Each target's decimal text as written (m rows of k), when the input was text. */
  readonly targetText?: readonly (readonly string[])[];
  /** Where the data came from, for messages: a file name, or "points" for in-memory arrays. */
  readonly source: string;
  /**
   * Class label of each point (m names, e.g. "7" or "setosa"), when the data carry one: a CSV
   * column named `class`, a JSON field `"classes"`, or a built-in data set. Classification turns
   * them into targets (`targets: "onehot"`, predict/classes.ts). Absent when there are none.
   */
  readonly classes?: readonly string[];
}

/** A number as given: a JavaScript number, or decimal text meaning exactly the decimal it spells. */
export type RawNumber = number | string;

/**
 * Where a raw number sits, for error messages ("train.csv line 4, column x2"). Parsers that know
 * lines pass their own; the default names the row and column index (both 1-based).
 */
export type Locate = (row: number, column: number) => string;

/** Options of {@link datasetFromArrays}. */
export interface DatasetInput {
  /** Raw points, m rows of n0 numbers (or decimal strings). */
  readonly points: readonly (readonly RawNumber[])[];
  /** Targets: a flat list (one per point, k = 1) or m rows of k numbers; omitted means none. */
  readonly labels?: readonly RawNumber[] | readonly (readonly RawNumber[])[];
  /** Class labels, one per point: non-empty text or finite numbers (kept as their text). */
  readonly classes?: readonly (string | number)[];
  /** Name of the source, used in messages. Default "points". */
  readonly source?: string;
  /** Locates a point coordinate (0-based row and column) for messages. */
  readonly locatePoint?: Locate;
  /** Locates a label (0-based row and column) for messages. */
  readonly locateLabel?: Locate;
  /** Locates a class label (0-based row) for messages. */
  readonly locateClass?: (row: number) => string;
}

/**
 * Builds a {@link Dataset} from arrays of numbers or decimal strings (both may be mixed; text is
 * kept only when every coordinate, respectively every target, was given as text).
 *
 * Throws `EMPTY_DATA` (no points, or points of dimension 0), `RAGGED_ROWS` (naming the first row
 * whose length differs from row 1's), `NOT_A_NUMBER`, `NON_FINITE` (NaN, ±Infinity, or decimal
 * text beyond the float64 range) and `DIMENSION_MISMATCH` (label count ≠ point count).
 */
export function datasetFromArrays(input: DatasetInput): Dataset {
  checkObject(input, "datasetFromArrays' input");
  const source = checkString(input.source ?? "points", "source");
  for (const key of ["locatePoint", "locateLabel", "locateClass"] as const) {
    if (input[key] !== undefined && typeof input[key] !== "function") throw new NtkError("BAD_ARGUMENT", `${key} must be a function.`, { key });
  }
  const locatePoint = input.locatePoint ?? ((i, j) => `${source}: point ${i + 1}, coordinate ${j + 1}`);
  const locateLabel = input.locateLabel ?? ((i, j) => `${source}: label ${i + 1}${j > 0 ? `, target ${j + 1}` : ""}`);
  const points = input.points;
  if (!Array.isArray(points) || points.length === 0) {
    throw new NtkError("EMPTY_DATA", `${source} has no points; give at least one point.`, { source });
  }
  const pointRows = points.map((row, i) => asRow(row, `${source}: point ${i + 1}`));
  const packedPoints = packRows(pointRows, "point", source, locatePoint);
  if (packedPoints.width === 0) {
    throw new NtkError("EMPTY_DATA", `${source} has points of dimension 0; each point needs at least one coordinate.`, { source });
  }
  const m = pointRows.length;
  const classes = input.classes === undefined ? {} : { classes: checkClasses(input.classes, m, source, input.locateClass) };

  if (input.labels === undefined) {
    return { m, n0: packedPoints.width, k: 0, coords: packedPoints.values, coordText: packedPoints.text, targets: null, source, ...classes };
  }
  const labels = input.labels;
  if (!Array.isArray(labels)) {
    throw new NtkError("FILE_MALFORMED", `${source}: "labels" must be a list of numbers or a list of rows.`, { source });
  }
  if (labels.length !== m) {
    throw new NtkError("DIMENSION_MISMATCH", `${source} has ${m} points but ${labels.length} labels; give one label (or one row of targets) per point.`, {
      source,
      points: m,
      labels: labels.length,
    });
  }
  const flat = labels.every((v) => !Array.isArray(v));
  const labelRows = flat ? (labels as readonly RawNumber[]).map((v) => [v]) : labels.map((row, i) => asRow(row, `${source}: label ${i + 1}`));
  const packedLabels = packRows(labelRows, "label row", source, locateLabel);
  return {
    m,
    n0: packedPoints.width,
    k: packedLabels.width,
    coords: packedPoints.values,
    coordText: packedPoints.text,
    targets: packedLabels.values,
    targetText: packedLabels.text,
    source,
    ...classes,
  };
}

/**
 * Class labels as trimmed text, one per point. Throws `FILE_MALFORMED` (not a list), `DIMENSION_MISMATCH`
 * (count ≠ m) and `FILE_MALFORMED` for a label that is neither non-empty text nor a finite number.
 */
function checkClasses(classes: readonly (string | number)[], m: number, source: string, locate: ((row: number) => string) | undefined): string[] {
  if (!Array.isArray(classes)) {
    throw new NtkError("FILE_MALFORMED", `${source}: class labels must be a list with one class name per point, e.g. ["cat", "dog", "cat"].`, { source });
  }
  if (classes.length !== m) {
    throw new NtkError("DIMENSION_MISMATCH", `${source} has ${m} points but ${classes.length} class labels; give one class per point.`, {
      source,
      points: m,
      classes: classes.length,
    });
  }
  const where = locate ?? ((i: number) => `${source}: class of point ${i + 1}`);
  return classes.map((c, i) => {
    const text = typeof c === "number" && Number.isFinite(c) ? String(c) : typeof c === "string" ? c.trim() : "";
    if (text === "") {
      throw new NtkError("FILE_MALFORMED", `${where(i)} is ${JSON.stringify(c) ?? String(c)}; a class label is non-empty text or a finite number.`, {
        value: String(c),
      });
    }
    return text;
  });
}

function asRow(row: unknown, what: string): readonly RawNumber[] {
  if (!Array.isArray(row)) {
    throw new NtkError("FILE_MALFORMED", `${what} is not a list of numbers; write each row as [x1, x2, …].`, { what });
  }
  return row as readonly RawNumber[];
}

interface Packed {
  readonly width: number;
  readonly values: Float64Array;
  readonly text?: string[][];
}

function packRows(rows: readonly (readonly RawNumber[])[], noun: string, source: string, locate: Locate): Packed {
  const width = rows[0].length;
  for (let i = 1; i < rows.length; i++) {
    if (rows[i].length !== width) {
      throw new NtkError(
        "RAGGED_ROWS",
        `${source}: ${noun} ${i + 1} has ${rows[i].length} values but ${noun} 1 has ${width}; every ${noun} must have the same length.`,
        { source, row: i + 1, length: rows[i].length, expected: width },
      );
    }
  }
  const values = new Float64Array(rows.length * width);
  let allText = true;
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < width; j++) {
      const v = rows[i][j];
      values[i * width + j] = toFloat64(v, () => locate(i, j));
      if (typeof v !== "string") allText = false;
    }
  }
  const text = allText ? rows.map((r) => (r as readonly string[]).map((s) => s.trim())) : undefined;
  return { width, values, text };
}

/**
 * The float64 nearest to a raw number: a number must be finite, text must spell a decimal whose
 * nearest float64 is finite. `where` is only evaluated for a message.
 */
export function toFloat64(v: RawNumber, where: () => string): number {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new NtkError("NON_FINITE", `${where()} is ${v}; every value must be a finite number.`, { value: v });
    return v;
  }
  if (typeof v !== "string") {
    throw new NtkError("NOT_A_NUMBER", `${where()} is ${v === null ? "null" : typeof v}, not a number; write a decimal like 0.5.`, { value: v });
  }
  parseDecimalText(v, where());
  const x = Number(v.trim());
  if (!Number.isFinite(x)) {
    throw new NtkError("NON_FINITE", `${where()} is "${v.trim()}", beyond the float64 range (about ±1.8e308); rescale the data.`, { value: v });
  }
  return x;
}

/**
 * Checks that a test set fits a training set: the same raw dimension n0 and, when both carry
 * targets, the same count k (test sets usually have none).
 * Throws `DIMENSION_MISMATCH` naming both sources.
 */
export function checkCompatible(train: Dataset, test: Dataset): void {
  checkDataset(train);
  checkDataset(test);
  if (train.n0 !== test.n0) {
    throw new NtkError(
      "DIMENSION_MISMATCH",
      `${test.source} has points of dimension ${test.n0} but ${train.source} has ${train.n0}; both sets must have the same coordinates.`,
      {
        train: train.n0,
        test: test.n0,
      },
    );
  }
  if (train.targets && test.targets && train.k !== test.k) {
    throw new NtkError("DIMENSION_MISMATCH", `${test.source} has ${test.k} targets per point but ${train.source} has ${train.k}.`, {
      train: train.k,
      test: test.k,
    });
  }
}

/**
 * Checks a {@link Dataset} handed to a public entry: its points as `checkRawPoints` checks them,
 * `source` text, an integer k ≥ 0 and targets null or a Float64Array of m · k finite numbers.
 * Throws the codes of `checkRawPoints`, `BAD_ARGUMENT` for a wrong type, `DIMENSION_MISMATCH` or
 * `NON_FINITE` for the targets.
 */
export function checkDataset(data: Dataset): Dataset {
  checkRawPoints(checkObject(data, "a data set"));
  const source = checkString(data.source, "a data set's source");
  const { m, k, targets } = data;
  if (!Number.isSafeInteger(k) || k < 0) throw new NtkError("DIMENSION_MISMATCH", `${source}: k (targets per point) must be an integer ≥ 0.`, { source });
  if (targets === null) return data;
  if (!(targets instanceof Float64Array) || targets.length !== m * k) {
    throw new NtkError("DIMENSION_MISMATCH", `${source}: targets must be null or a Float64Array of m · k = ${m * k} values.`, { source, m, k });
  }
  const bad = targets.findIndex((y) => !Number.isFinite(y));
  if (bad >= 0) throw new NtkError("NON_FINITE", `${source}: target ${bad + 1} is ${targets[bad]}; every target must be finite.`, { source, index: bad + 1 });
  return data;
}
