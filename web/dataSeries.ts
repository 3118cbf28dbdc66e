/**
 * The data-set half of an explorer run: training (and test) points on the sphere, the chosen
 * kernel's Gram matrix through depth (one pass over the union of training and test points, then
 * sliced), its determinant and condition, and the closed-form predictions f_∞ = K_x K^{-1} Y
 * (SPEC §5–6).
 */
import type { DataSeries } from "./protocol.js";
import { isBuiltin, type ExplorerState } from "./state.js";
import {
  analyzeMatrixFloat64,
  classify,
  formatFloat64,
  formatScaled,
  gramThroughDepthFloat64,
  isNtkError,
  kernelMatrixFloat64,
  loadBuiltinDataset,
  oneHotTargets,
  parseDatasetText,
  randomGaussianPoints,
  projectToSphereFloat64,
  syntheticLabels,
  testClassIndices,
  type BuiltinDataFiles,
  type ClassEncoding,
  type ProgressOptions,
  type Projection,
  type RawPoints,
  type SpherePoints,
} from "../src/index.js";
import { predictFromKernelsFloat64, sliceUnion, unionRaw } from "../src/advanced.js";

/** Test points drawn next to random or pasted training points, at which predictions are shown. */
export const TEST_POINTS = 2;
/** At most this many test points of a built-in data set get their own prediction line (accuracy counts them all). */
export const MAX_TESTS_SHOWN = 3;
/** At most this many off-diagonal pairs are drawn (the first ones in row order). */
export const MAX_PAIRS_SHOWN = 10;
/** log10 2, to turn a power-of-two scale into decades. */
const LOG10_2 = Math.log10(2);

/** Training and test data of a run. */
export interface ExplorerData {
  /** Raw training points then test points (before projection), with decimal text when pasted. */
  readonly union: RawPoints;
  /** How they reach the sphere. */
  readonly projection: Projection;
  /** Number of training points m (the first m rows of `union`). */
  readonly m: number;
  /** The union on the sphere (float64). */
  readonly onSphere: SpherePoints;
  /** Training targets, m × k row-major: the data's first target column or the study's synthetic y(x) (k = 1), or one-hot classes (k = C). */
  readonly targets: Float64Array;
  /** Targets per training point. */
  readonly k: number;
  /** For a built-in data set: the classes and each test point's true class index. */
  readonly classification: { readonly encoding: ClassEncoding; readonly truth: Int32Array | null } | null;
  /** Where the targets came from, in words. */
  readonly targetsFrom: string;
}

/**
 * The data of a state: seeded random Gaussian points projected by normalization (uniform on the
 * sphere; the first m are training points, the next TEST_POINTS test points), pasted CSV/JSON
 * with seeded random test points of the same raw dimension, or the training and test rows of a
 * built-in data set (read through `files`, normalized, one-hot targets). Throws the library's
 * NtkError for unreadable or invalid data.
 */
export async function explorerData(state: ExplorerState, files?: BuiltinDataFiles): Promise<ExplorerData> {
  if (isBuiltin(state.source)) {
    if (!files) throw new Error("built-in data sets need their package files");
    const train = await loadBuiltinDataset(`${state.source}[${state.trainRange}]`, { files });
    const test = await loadBuiltinDataset(`${state.source}[${state.testRange}]`, { files });
    const encoding = oneHotTargets(train);
    const union = unionRaw(train, test);
    const onSphere = projectToSphereFloat64(union, "normalize");
    const k = encoding.classes.length;
    return {
      union,
      projection: "normalize",
      m: train.m,
      onSphere,
      targets: encoding.train.targets!,
      k,
      classification: { encoding, truth: testClassIndices(test, encoding.classes) },
      targetsFrom: `one-hot classes (${k}: ${encoding.classes.join(", ")}); f∞ shown is the output for class ${encoding.classes[0]}`,
    };
  }
  if (state.source === "random") {
    const union = randomGaussianPoints(state.m + TEST_POINTS, state.dim, state.seed);
    const onSphere = projectToSphereFloat64(union, "normalize");
    const targets = syntheticLabels({ ...onSphere, m: state.m, coords: onSphere.coords.subarray(0, state.m * onSphere.n0) });
    return {
      union,
      projection: "normalize",
      m: state.m,
      onSphere,
      targets,
      k: 1,
      classification: null,
      targetsFrom: "y(x) = x₁ + x₂x₃ (the study's synthetic target)",
    };
  }
  // Untrimmed, so that error messages count lines as the data box shows them.
  const train = parseDatasetText(state.pasted, "pasted data");
  // Unit-norm Gaussian directions are valid input to every projection, including "none".
  const random = randomGaussianPoints(TEST_POINTS, train.n0, state.seed);
  const tests = projectToSphereFloat64(random, "normalize");
  // Text for every coordinate (exact binary values of the test points), so that the precise path sees the same points.
  const union = unionRaw(train, { ...random, coords: tests.coords });
  const onSphere = projectToSphereFloat64(union, state.projection);
  const targets = train.targets
    ? Float64Array.from({ length: train.m }, (_, i) => train.targets![i * train.k])
    : syntheticLabels({ ...onSphere, m: train.m, coords: onSphere.coords.subarray(0, train.m * onSphere.n0) });
  return {
    union,
    projection: state.projection,
    m: train.m,
    onSphere,
    targets,
    k: 1,
    classification: null,
    targetsFrom: train.targets ? "the data's first target column" : "y(x) = x₁ + x₂x₃ (the study's synthetic target)",
  };
}

/** Human name of a kernel choice. */
export function kernelLabel(state: ExplorerState): string {
  const name = state.kernel === "ntk" ? "NTK" : "NNGP";
  const symbol = state.kernel === "ntk" ? "Θ" : "Σ";
  return state.normalized ? `${symbol}̄ (normalized ${name})` : `${symbol} (raw ${name})`;
}

/** The float64 half of the data series (the high-precision columns are left null). */
export async function dataSeriesFloat64(state: ExplorerState, depths: readonly number[], data: ExplorerData, progress: ProgressOptions): Promise<DataSeries> {
  const m = data.m;
  const testCount = data.onSphere.m - m;
  const { grams } = await gramThroughDepthFloat64({
    points: data.onSphere,
    depths: depths.map(BigInt),
    params: { sigmaW: state.sigmaW, sigmaB: state.sigmaB },
    ...progress,
  });
  const entries: DataSeries["entries"][number][] = [];
  const determinant: DataSeries["determinant"][number][] = [];
  const predictions: DataSeries["predictions"][number][] = [];
  const warnings: { depth: number; message: string }[] = [];
  const lostDepths: number[] = [];
  const accuracy: NonNullable<DataSeries["accuracy"]>[number][] = [];
  const shownTests = Math.min(testCount, data.classification ? MAX_TESTS_SHOWN : testCount);
  const k = data.k;
  for (const g of grams) {
    const { matrix, log2Scale } = kernelMatrixFloat64(g, state.kernel, state.normalized);
    const { train, test } = sliceUnion(matrix, m, testCount);
    for (const [i, j] of shownPairs(m)) {
      const v = train[i * m + j];
      entries.push({
        depth: g.depth,
        pair: `${i + 1}–${j + 1}`,
        // Raw kernels span hundreds of decades through depth: plotted as log10, which only positive entries have.
        float64: state.normalized ? v : v > 0 ? Math.log10(v) + log2Scale * LOG10_2 : null,
        text: state.normalized ? formatFloat64(v) : formatScaled(v, log2Scale),
        precise: null,
      });
    }
    const analysis = await analyzeMatrixFloat64(train, m);
    determinant.push({
      depth: g.depth,
      log10AbsDet: analysis.log10AbsDet + m * log2Scale * LOG10_2,
      signDet: analysis.signDet,
      conditionEstimate: analysis.conditionEstimate,
      digitsKept: analysis.digitsKept,
      preciseLog10AbsDet: null,
      preciseSign: null,
      float64CorrectDigits: null,
    });
    if (analysis.digitsKept < 1) lostDepths.push(g.depth);
    try {
      // f_∞ does not depend on a common scale of K and K_x, so the scaled matrices serve as they are.
      const p = await predictFromKernelsFloat64({ trainKernel: train, testKernel: test, targets: data.targets, m, k, time: "inf", signal: progress.signal });
      p.warnings.forEach((message) => warnings.push({ depth: g.depth, message }));
      for (let t = 0; t < shownTests; t++) {
        predictions.push({
          depth: g.depth,
          test: t + 1,
          float64: p.predictions[t * k],
          weightsL1: p.weightsL1[t],
          digitsKept: p.digitsKept,
          precise: null,
          float64CorrectDigits: null,
        });
      }
      if (data.classification)
        accuracy.push({ depth: g.depth, float64: classify(p.predictions, data.classification.encoding, data.classification.truth).accuracy, precise: null });
    } catch (e) {
      if (!isNtkError(e, "SINGULAR_MATRIX")) throw e;
      warnings.push({ depth: g.depth, message: e.message });
      for (let t = 0; t < shownTests; t++)
        predictions.push({ depth: g.depth, test: t + 1, float64: null, weightsL1: null, digitsKept: 0, precise: null, float64CorrectDigits: null });
      if (data.classification) accuracy.push({ depth: g.depth, float64: null, precise: null });
    }
  }
  return {
    m,
    n0: data.onSphere.n0,
    testCount,
    targetsFrom: data.targetsFrom,
    kernelLabel: kernelLabel(state),
    entriesAreLog10: !state.normalized,
    entries,
    determinant,
    predictions,
    lostDepths,
    measuredLostDepths: null,
    preciseVouchedBy: null,
    warnings,
    accuracy: data.classification ? accuracy : null,
    majorityRate: data.classification?.truth
      ? classify(new Float64Array(testCount * k), data.classification.encoding, data.classification.truth).majorityRate
      : null,
  };
}

/** Pairs (i, j), i < j, in row order, at most MAX_PAIRS_SHOWN. */
export function shownPairs(m: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < m && pairs.length < MAX_PAIRS_SHOWN; i++) {
    for (let j = i + 1; j < m && pairs.length < MAX_PAIRS_SHOWN; j++) pairs.push([i, j]);
  }
  return pairs;
}
