/**
 * Classification by kernel regression: class labels become one-hot target rows minus 1/C (C
 * classes), so that each row sums to 0, and a test point's predicted class is the column with the
 * largest prediction (argmax; the first such column on a tie). Accuracy is the fraction of test
 * points whose predicted class is their class. Browser-safe.
 */
import { checkArray, checkDecimal, checkFiniteNumbers, checkInteger, checkObject, checkString } from "../argumentTypes.js";
import { Decimal } from "decimal.js";
import { NtkError } from "../errors.js";
import { ExactDecimal } from "../decimalText.js";
import { checkDataset, type Dataset } from "../data/dataset.js";
import { checkRawPoints, type RawPoints } from "../sphere/float64.js";

/** How a training set's targets are formed: its target values as given, or one-hot rows from its class labels. */
export const TARGET_KINDS = ["values", "onehot"] as const;

/** One of {@link TARGET_KINDS}. */
export type TargetKind = (typeof TARGET_KINDS)[number];

/** Class names in target-column order, and each training point's class index. */
export interface ClassEncoding {
  /**
   * The C distinct training classes; column j of the one-hot targets is `classes[j]`. In
   * increasing numeric order when every name is a decimal number ("0" … "9"), else in order of
   * first appearance.
   */
  readonly classes: readonly string[];
  /**
   * The training set with targets Y_ij = [class of i is classes[j]] − 1/C (m × C); their decimal
   * text is exact when 1/C has a finite decimal (C = 2^a 5^b), else absent (float64 values).
   */
  readonly train: Dataset;
}

/**
 * One-hot targets from `train`'s class labels (see {@link ClassEncoding}). Throws
 * `NO_CLASS_LABELS` when it has none (saying how to mark a class column).
 */
export function oneHotTargets(train: Dataset): ClassEncoding {
  return oneHotTargetsChecked(checkDataset(train));
}

/** {@link oneHotTargets} of a checked data set (nothing checked again): for the layers below a validated entry. */
export function oneHotTargetsChecked(train: Dataset): ClassEncoding {
  const labels = requireClasses(train, "training");
  const firstSeen = [...new Set(labels)];
  const classes = firstSeen.every((c) => /^[+-]?\d+(\.\d+)?$/.test(c)) ? firstSeen.sort((a, b) => Number(a) - Number(b)) : firstSeen;
  const c = classes.length;
  const column = new Map(classes.map((name, j) => [name, j]));
  const targets = new Float64Array(train.m * c).fill(-1 / c);
  labels.forEach((name, i) => (targets[i * c + column.get(name)!] = 1 - 1 / c));
  const { targetText: _dropped, ...rest } = train;
  // 1/C has a finite decimal only when C = 2^a 5^b (C = 10: "0.9", "-0.1"): then the high-precision
  // path reads the exact values; otherwise it reads the float64 values as stored.
  const exact = finiteDecimalReciprocal(c);
  if (exact === null) return { classes, train: { ...rest, k: c, targets } };
  const on = new ExactDecimal(1).minus(exact).toString();
  const off = exact.neg().toString();
  const targetText = labels.map((name) => classes.map((other) => (other === name ? on : off)));
  return { classes, train: { ...rest, k: c, targets, targetText } };
}

/** 1/c exactly when it has a finite decimal expansion (c = 2^a 5^b), else null. */
function finiteDecimalReciprocal(c: number): Decimal | null {
  let rest = c;
  for (const p of [2, 5]) while (rest % p === 0) rest /= p;
  return rest === 1 ? new ExactDecimal(1).div(c) : null;
}

/** `data`'s class labels, or `NO_CLASS_LABELS` naming `role` ("training" or "test"). */
function requireClasses(data: Dataset | RawPoints, role: string): readonly string[] {
  const classes = (data as { classes?: readonly string[] }).classes;
  if (classes === undefined) {
    throw new NtkError(
      "NO_CLASS_LABELS",
      `${data.source ?? `the ${role} set`} has no class labels, which one-hot targets need: use a built-in data set (mnist, iris), a CSV column named "class" or a JSON field "classes" (one class per point), or targets "values".`,
      { source: data.source ?? role },
    );
  }
  return classes;
}

/**
 * The class index (into `classes`) of each point of `test`, or null when `test` has no class
 * labels. Throws `UNKNOWN_CLASS` for a class that is not a training class, listing those.
 */
export function testClassIndices(test: RawPoints, classes: readonly string[]): Int32Array | null {
  checkRawPoints(test);
  checkArray(classes, "classes").forEach((name, j) => checkString(name, `class ${j + 1}`));
  return testClassIndicesChecked(test, classes);
}

/** {@link testClassIndices} of checked points and classes (nothing checked again): for the layers below a validated entry. */
export function testClassIndicesChecked(test: RawPoints, classes: readonly string[]): Int32Array | null {
  const labels = (test as { classes?: readonly string[] }).classes;
  if (labels === undefined) return null;
  const column = new Map(classes.map((name, j) => [name, j]));
  return Int32Array.from(labels, (name, i) => {
    const j = column.get(name);
    if (j === undefined) {
      throw new NtkError(
        "UNKNOWN_CLASS",
        `${test.source ?? "test set"}: point ${i + 1} has class "${name}", which no training point has; the training classes are ${classes.map((c) => `"${c}"`).join(", ")}.`,
        {
          point: i + 1,
          class: name,
          classes: [...classes],
        },
      );
    }
    return j;
  });
}

/**
 * The predicted class of each of t test points: the index of the largest of its C predictions
 * (row-major t × C; float64 numbers or Decimals), the first one on a tie.
 */
export function argmaxClasses(predictions: ArrayLike<number> | readonly Decimal[], c: number): Int32Array {
  checkInteger(c, "the number of classes", 1);
  if (Array.isArray(predictions) && predictions.some((x) => Decimal.isDecimal(x))) predictions.forEach((x, i) => checkDecimal(x, `prediction ${i + 1}`));
  else checkFiniteNumbers(predictions, "predictions");
  if (predictions.length % c !== 0)
    throw new NtkError("DIMENSION_MISMATCH", `predictions must be t rows of C = ${c} values, got ${predictions.length} values.`, {});
  return argmaxClassesChecked(predictions, c);
}

function argmaxClassesChecked(predictions: ArrayLike<number> | readonly Decimal[], c: number): Int32Array {
  const t = predictions.length / c;
  const out = new Int32Array(t);
  for (let i = 0; i < t; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (greater(predictions[i * c + j], predictions[i * c + best])) best = j;
    out[i] = best;
  }
  return out;
}

function greater(a: number | Decimal, b: number | Decimal): boolean {
  return typeof a === "number" ? a > (b as number) : (a as Decimal).gt(b as Decimal);
}

/** The fraction (in [0, 1]) of positions where `predicted` equals `truth`; both of one length ≥ 1. */
export function accuracy(predicted: Int32Array, truth: Int32Array): number {
  if (!(predicted instanceof Int32Array) || !(truth instanceof Int32Array) || predicted.length !== truth.length || truth.length === 0) {
    throw new NtkError(
      "DIMENSION_MISMATCH",
      `accuracy needs two Int32Arrays, as many predictions as true classes (≥ 1), got ${String(predicted?.length)} and ${String(truth?.length)}.`,
      {
        predicted: String(predicted?.length),
        truth: String(truth?.length),
      },
    );
  }
  let correct = 0;
  for (let i = 0; i < truth.length; i++) if (predicted[i] === truth[i]) correct++;
  return correct / truth.length;
}

/** What classification adds to a prediction. */
export interface Classification {
  /** The training classes, in target-column order. */
  readonly classes: readonly string[];
  /** Predicted class name of each test point (argmax of its predictions). */
  readonly predictedClass: readonly string[];
  /** Predicted class index of each test point, into `classes`. */
  readonly predictedIndex: Int32Array;
  /** True class index of each test point, or null when the test set has no class labels. */
  readonly trueIndex: Int32Array | null;
  /** Fraction of test points classified correctly, in [0, 1]; null without test labels. */
  readonly accuracy: number | null;
  /** The most frequent training class (the first of them on a tie). */
  readonly majorityClass: string;
  /**
   * Accuracy of always answering `majorityClass` (the fraction of test points in it): what a
   * classifier that has stopped seeing its input scores. Null without test labels.
   */
  readonly majorityRate: number | null;
}

/**
 * Classifies test points from their predictions (row-major t × C, float64 or Decimal) and scores
 * them against `trueIndex` when given. `train` is the one-hot training set of `encoding`.
 */
export function classify(predictions: ArrayLike<number> | readonly Decimal[], encoding: ClassEncoding, trueIndex: Int32Array | null): Classification {
  const { classes, train } = checkObject(encoding, "encoding (from oneHotTargets)");
  checkArray(classes, "encoding.classes");
  checkDataset(train);
  if (train.k !== classes.length) throw new NtkError("DIMENSION_MISMATCH", "encoding.train must have one target column per class.", {});
  if (trueIndex !== null && !(trueIndex instanceof Int32Array))
    throw new NtkError("BAD_ARGUMENT", "trueIndex must be an Int32Array (from testClassIndices) or null.", {});
  argmaxClasses(predictions, classes.length);
  return classifyChecked(predictions, encoding, trueIndex);
}

/** {@link classify} of predictions and an encoding this library made (nothing checked): for the layers below a validated entry. */
export function classifyChecked(predictions: ArrayLike<number> | readonly Decimal[], encoding: ClassEncoding, trueIndex: Int32Array | null): Classification {
  const { classes, train } = encoding;
  const c = classes.length;
  const predictedIndex = argmaxClassesChecked(predictions, c);
  const counts = new Array<number>(c).fill(0);
  for (let i = 0; i < train.m; i++) for (let j = 0; j < c; j++) if (train.targets![i * c + j] > 0) counts[j]++;
  const majority = counts.indexOf(Math.max(...counts));
  return {
    classes,
    predictedClass: Array.from(predictedIndex, (j) => classes[j]),
    predictedIndex,
    trueIndex,
    accuracy: trueIndex === null ? null : accuracy(predictedIndex, trueIndex),
    majorityClass: classes[majority],
    majorityRate: trueIndex === null ? null : accuracy(new Int32Array(trueIndex.length).fill(majority), trueIndex),
  };
}
