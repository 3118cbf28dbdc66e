/**
 * The study on real data (issue 11): MNIST and Iris, classified by kernel regression on one-hot
 * targets (predict/classes.ts) with the normalized kernels Θ̄ and Σ̄, through depth. Per data set,
 * kernel and checkpoint depth: test accuracy and mean squared error at t = ∞ and at one finite
 * time, the distance of the predictions from the data-independent limit Σy/(m + 3), and the
 * spectrum and condition number of the training Gram matrix; then float64 against high precision
 * on a small MNIST subset. Browser-safe (the package files come through a BuiltinDataFiles seam).
 *
 * Cost: with σb = 0 the float64 Gram pass takes the tabulated depth maps (gram/float64.ts, method
 * "auto"), so every depth costs the same, m(m − 1)/2 pair steps for the union of training and test
 * points; each checkpoint then factorizes K twice (one symmetric eigendecomposition per kernel,
 * O(m³)), which bounds the number of depths, not how deep they go. With σb > 0 the pass is the
 * loop over layers and costs m(m − 1)/2 · L.
 */
import type { Cell, DataTable } from "./dataTable.js";
import { subdivide } from "./stages.js";
import {
  loadBuiltinDataset,
  type BuiltinDataFiles,
  type Dataset,
  gramThroughDepthFloat64,
  FLOAT64_DIGITS,
  type ResolvedParams,
  type ProgressOptions,
  accuracy,
  argmaxClasses,
  oneHotTargets,
  testClassIndices,
  predictThroughDepth,
  projectToSphereFloat64,
  type NetworkParams,
} from "../index.js";
import { throwIfAborted, spectralPredictor, sliceUnion, unionPoints } from "../advanced.js";

/** One data set of the section: training and test references (data/builtin.ts) and depths. */
export interface RealDataSet {
  readonly label: string;
  readonly train: string;
  readonly test: string;
  readonly depths: readonly number[];
}

/** What the section computes and how far. */
export interface RealDataPlan {
  readonly sets: readonly RealDataSet[];
  /** The finite flow time s = ηt (flow convention, SPEC §6) beside t = ∞. */
  readonly flowTime: number;
  /** Float64 against high precision: a small MNIST subset, its depths and the digits asked. */
  readonly precise: {
    readonly train: string;
    readonly test: string;
    readonly depths: readonly number[];
    readonly float64Depths: readonly number[];
    readonly precision: number;
  };
  /** Accuracy counts as fallen to the majority-class rate when it is within this of it. */
  readonly majorityTolerance: number;
}

const pow2 = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => 2 ** (from + i));

/**
 * The plan of a default or quick run. Default: MNIST 1000 training / 500 test points and Iris 75 / 75
 * at L = 2, 3, 4, 8, …, 2^14 ≥ 10^4 (two eigendecompositions of 1000 × 1000 per depth bound the
 * MNIST set's time); high precision (20 digits) on MNIST 20 / 10 to L = 2^8, float64 there to 2^16.
 */
export function realDataPlan(quick: boolean): RealDataPlan {
  return {
    sets: quick
      ? [
          { label: "MNIST 100/50", train: "mnist[0:100]", test: "mnist[1000:1050]", depths: pow2(1, 10) },
          { label: "Iris 75/75", train: "iris[0:150:2]", test: "iris[1:150:2]", depths: pow2(1, 10) },
        ]
      : [
          { label: "MNIST 1000/500", train: "mnist[0:1000]", test: "mnist[1000:1500]", depths: [2, 3, ...pow2(2, 14)] },
          { label: "Iris 75/75", train: "iris[0:150:2]", test: "iris[1:150:2]", depths: [2, 3, ...pow2(2, 14)] },
        ],
    flowTime: 10,
    precise: quick
      ? { train: "mnist[0:10]", test: "mnist[1000:1010]", depths: pow2(1, 2), float64Depths: pow2(1, 10), precision: 20 }
      : { train: "mnist[0:20]", test: "mnist[1000:1010]", depths: pow2(1, 8), float64Depths: pow2(1, 16), precision: 20 },
    majorityTolerance: 0.02,
  };
}

/** Labels of the two kernels, as the tables and figures name them. */
export const REAL_KERNELS = [
  { kernel: "ntk", label: "Θ̄" },
  { kernel: "nngp", label: "Σ̄" },
] as const;

/** Everything the section computed. */
export interface RealDataResults {
  readonly plan: RealDataPlan;
  /** Per data set: m, test count, classes, majority rate. */
  readonly sets: DataTable;
  readonly predictions: DataTable;
  readonly spectrum: DataTable;
  readonly precision: DataTable;
}

/** Options of {@link runRealDataExperiment}. */
export interface RealDataOptions {
  readonly quick: boolean;
  readonly params?: NetworkParams;
  readonly resolved: ResolvedParams;
  readonly files: BuiltinDataFiles;
}

/** Runs the section. Errors: those of the data and kernel paths (ABORTED on cancel). */
export async function runRealDataExperiment(o: RealDataOptions, progress: ProgressOptions): Promise<RealDataResults> {
  const plan = realDataPlan(o.quick);
  const parts = plan.sets.length + 1;
  const setRows: Record<string, Cell>[] = [];
  const predictionRows: Record<string, Cell>[] = [];
  const spectrumRows: Record<string, Cell>[] = [];
  for (const [i, set] of plan.sets.entries()) {
    const r = await runDataSet(set, plan, o, subdivide(progress, i, parts));
    setRows.push(r.set);
    predictionRows.push(...r.predictions);
    spectrumRows.push(...r.spectrum);
  }
  const precision = await runPrecisionComparison(plan, o, subdivide(progress, parts - 1, parts));
  return {
    plan,
    sets: {
      name: "real-data-sets",
      description:
        "The real data sets of the study: built-in references (MNIST in round-robin digit order, Iris in the package's order), sizes, classes and the majority-class rate of the test set.",
      columns: [
        { key: "dataSet", meaning: "label used in tables and figures" },
        { key: "train", meaning: "training set (built-in reference)" },
        { key: "test", meaning: "test set (built-in reference)" },
        { key: "m", meaning: "training points" },
        { key: "testCount", meaning: "test points" },
        { key: "classes", meaning: "number of classes C" },
        { key: "majorityRate", meaning: "fraction of test points in the most frequent training class (accuracy of always answering it)" },
        {
          key: "limitPrediction",
          meaning:
            "largest |Σ_i y_ij|/(m + 3) over the classes j: the data-independent prediction f_∞ tends to if Θ̄ → (3/4)I + (1/4)J (0 for balanced classes)",
        },
      ],
      rows: setRows,
    },
    predictions: {
      name: "real-data-predictions",
      description: `Kernel-regression classification (one-hot targets minus 1/C) with the normalized kernels, float64: test accuracy, mean squared error against the test points' one-hot targets, and the distance of the predictions from Σy/(m + 3) (root mean square and largest), at t = ∞ and at flow time s = ηt = ${plan.flowTime}; predictions from one eigendecomposition of the training Gram matrix per depth (predict/spectral.ts).`,
      columns: [
        { key: "dataSet", meaning: "data set" },
        { key: "kernel", meaning: "Θ̄ or Σ̄ (normalized NTK or NNGP)" },
        { key: "time", meaning: `"t = ∞" or "s = ${plan.flowTime}"` },
        { key: "line", meaning: "data set, kernel and time (the line in the figures)" },
        { key: "depth", meaning: "L" },
        { key: "accuracy", meaning: "fraction of test points whose argmax class is their class" },
        { key: "mse", meaning: "mean over test points and classes of (f − y)², y the one-hot target minus 1/C" },
        { key: "limitDistance", meaning: "root mean square over test points and classes of f − Σ_i y_i/(m + 3)" },
        {
          key: "limitDistanceMax",
          meaning:
            "max over test points and classes of |f − Σ_i y_i/(m + 3)| (a test point equal to a training point keeps its target, e.g. Iris indices 101 and 142, 0-based)",
        },
        { key: "predictionScale", meaning: "max |f| over test points and classes" },
        {
          key: "digitsKept",
          meaning:
            "significant digits the float64 predictions keep, normwise: −log10(κ_s · 2L · 2^−53) (κ_∞ = λmax/λmin, κ_s = λmax · max φ_s(λ); 2L ulps bound the Gram entries' error after L layers), clamped to [0, 15.95]",
        },
        {
          key: "marginRelative",
          meaning:
            "smallest gap between a test point's largest and second-largest prediction, relative to predictionScale: float64 cannot change a class while it exceeds 2·10^−digitsKept",
        },
      ],
      rows: predictionRows,
    },
    spectrum: {
      name: "real-data-spectrum",
      description:
        "Spectrum of the training Gram matrix (normalized kernel, float64 symmetric eigendecomposition): smallest, deciles, largest eigenvalue and the 2-norm condition number λmax/λmin, against depth. If Θ̄ → (3/4)I + (1/4)J its eigenvalues tend to 3/4 (m − 1 times) and (m + 3)/4.",
      columns: [
        { key: "dataSet", meaning: "data set" },
        { key: "kernel", meaning: "Θ̄ or Σ̄" },
        { key: "line", meaning: "data set and kernel" },
        { key: "depth", meaning: "L" },
        { key: "lambdaMin", meaning: "smallest eigenvalue (float64: within about m·1e-16·λmax)" },
        ...[10, 50, 90].map((q) => ({ key: `lambdaP${q}`, meaning: `eigenvalue at the ${q}th percentile` })),
        { key: "lambdaMax", meaning: "largest eigenvalue" },
        { key: "condition", meaning: "λmax/λmin (null when λmin ≤ 0 in float64)" },
      ],
      rows: spectrumRows,
    },
    precision,
  };
}

async function loadPair(set: { train: string; test: string }, files: BuiltinDataFiles): Promise<[Dataset, Dataset]> {
  return Promise.all([loadBuiltinDataset(set.train, { files }), loadBuiltinDataset(set.test, { files })]);
}

/** Depth chunks for separate Gram passes, deepest first, so that at most `size` depths' matrices are held at once. */
function depthChunks(depths: readonly number[], size: number): number[][] {
  const sorted = [...depths].sort((a, b) => b - a);
  const out: number[][] = [];
  for (let i = 0; i < sorted.length; i += size) out.push(sorted.slice(i, i + size).reverse());
  return out.reverse();
}

/** Matrices of this many entries or more are passed through the Gram loop a few depths at a time (memory). */
const CHUNK_ABOVE_ENTRIES = 250_000;

async function runDataSet(set: RealDataSet, plan: RealDataPlan, o: RealDataOptions, progress: ProgressOptions) {
  const [train, test] = await loadPair(set, o.files);
  const encoding = oneHotTargets(train);
  const truth = testClassIndices(test, encoding.classes)!;
  const c = encoding.classes.length;
  const m = train.m;
  const t = test.m;
  const y = encoding.train.targets!;
  const testTargets = new Float64Array(t * c).fill(-1 / c);
  truth.forEach((j, i) => (testTargets[i * c + j] = 1 - 1 / c));
  // If Θ̄ → (3/4)I + (1/4)J and every test row → (1/4)1ᵀ, f_∞ → (1/4)1ᵀ ((3/4)I + (1/4)J)^{-1} Y = 1ᵀY/(m + 3).
  const limit = new Float64Array(c);
  for (let i = 0; i < m; i++) for (let j = 0; j < c; j++) limit[j] += y[i * c + j] / (m + 3);
  const majority = accuracy(new Int32Array(t).fill(majorityIndex(y, m, c)), truth);
  const points = unionPoints(projectToSphereFloat64(train, "normalize"), projectToSphereFloat64(test, "normalize"));
  const n = m + t;
  const chunks = n * n >= CHUNK_ABOVE_ENTRIES ? depthChunks(set.depths, 3) : [[...set.depths]];
  const predictions: Record<string, Cell>[] = [];
  const spectrum: Record<string, Cell>[] = [];
  for (const [ci, depths] of chunks.entries()) {
    const { grams } = await gramThroughDepthFloat64({ points, depths, params: o.params, ...subdivide(progress, ci, chunks.length) });
    for (const g of grams) {
      for (const { kernel, label } of REAL_KERNELS) {
        const { train: k, test: kx } = sliceUnion(kernel === "ntk" ? g.ntkNormalized : g.sigmaNormalized, m, t);
        throwIfAborted(progress.signal);
        const predictor = await spectralPredictor(k, m);
        const lambda = predictor.eigenvalues;
        const at = (q: number) => lambda[Math.min(m - 1, Math.floor((q / 100) * m))];
        const kappa = predictor.conditionNumber;
        spectrum.push({
          dataSet: set.label,
          kernel: label,
          line: `${set.label}, ${label}`,
          depth: g.depth,
          lambdaMin: lambda[0],
          lambdaP10: at(10),
          lambdaP50: at(50),
          lambdaP90: at(90),
          lambdaMax: lambda[m - 1],
          condition: Number.isFinite(kappa) ? kappa : null,
        });
        for (const s of [Infinity, plan.flowTime]) {
          const time = s === Infinity ? "t = ∞" : `s = ${s}`;
          const row = { dataSet: set.label, kernel: label, time, line: `${set.label}, ${label}, ${time}`, depth: g.depth };
          if (s === Infinity && !Number.isFinite(kappa)) {
            predictions.push({
              ...row,
              accuracy: null,
              mse: null,
              limitDistance: null,
              limitDistanceMax: null,
              predictionScale: null,
              digitsKept: 0,
              marginRelative: null,
            });
            continue;
          }
          const f = predictor.predict(kx, y, c, s);
          let sq = 0;
          let distanceSq = 0;
          let distanceMax = 0;
          let scale = 0;
          for (let i = 0; i < t; i++) {
            for (let j = 0; j < c; j++) {
              const v = f[i * c + j];
              sq += (v - testTargets[i * c + j]) ** 2;
              distanceSq += (v - limit[j]) ** 2;
              distanceMax = Math.max(distanceMax, Math.abs(v - limit[j]));
              scale = Math.max(scale, Math.abs(v));
            }
          }
          const phiMax = s === Infinity ? 1 / lambda[0] : Math.max(...Array.from(lambda, (l) => (l > 0 ? -Math.expm1(-s * l) / l : s)));
          const kappaS = lambda[m - 1] * phiMax;
          predictions.push({
            ...row,
            accuracy: accuracy(argmaxClasses(f, c), truth),
            mse: sq / (t * c),
            limitDistance: Math.sqrt(distanceSq / (t * c)),
            limitDistanceMax: distanceMax,
            predictionScale: scale,
            // As predict does (fromData.ts): Gram entries within about 2L ulps after L layers.
            digitsKept: Math.min(FLOAT64_DIGITS, Math.max(0, -Math.log10(kappaS * Math.max(2 * g.depth, 1) * 2 ** -53))),
            marginRelative: smallestMargin(f, c) / scale,
          });
        }
      }
    }
  }
  const set_ = {
    dataSet: set.label,
    train: set.train,
    test: set.test,
    m,
    testCount: t,
    classes: c,
    majorityRate: majority,
    limitPrediction: Math.max(...Array.from(limit, Math.abs)),
  };
  return { set: set_, predictions, spectrum };
}

/** The smallest gap, over the rows of f (t × c), between the largest and the second-largest entry (0 for c = 1). */
export function smallestMargin(f: ArrayLike<number>, c: number): number {
  let smallest = Infinity;
  for (let i = 0; i < f.length / c; i++) {
    let first = -Infinity;
    let second = -Infinity;
    for (let j = 0; j < c; j++) {
      const v = f[i * c + j];
      if (v > first) [first, second] = [v, first];
      else if (v > second) second = v;
    }
    smallest = Math.min(smallest, c > 1 ? first - second : 0);
  }
  return smallest;
}

/** The most frequent class among the one-hot rows y (m × c), the first on a tie. */
function majorityIndex(y: Float64Array, m: number, c: number): number {
  const counts = new Array<number>(c).fill(0);
  for (let i = 0; i < m; i++) for (let j = 0; j < c; j++) if (y[i * c + j] > 0) counts[j]++;
  return counts.indexOf(Math.max(...counts));
}

/**
 * Float64 against high precision on a small MNIST subset: predicted classes at every depth both
 * cover (float64 through predict's LU path; high precision through one vouched Gram pass), and
 * float64 alone further down to find where it stops keeping digits.
 */
async function runPrecisionComparison(plan: RealDataPlan, o: RealDataOptions, progress: ProgressOptions): Promise<DataTable> {
  const [train, test] = await loadPair(plan.precise, o.files);
  const rows: Record<string, Cell>[] = [];
  let run = 0;
  for (const { kernel, label } of REAL_KERNELS) {
    const base = { train, test, kernel, normalized: true, params: o.params, targets: "onehot" } as const;
    const f64 = await predictThroughDepth({ ...base, depths: plan.precise.float64Depths, ...subdivide(progress, run++, 4) });
    const hp = await predictThroughDepth({ ...base, depths: plan.precise.depths, precision: plan.precise.precision, ...subdivide(progress, run++, 4) });
    for (const r of f64) {
      const p = hp.find((x) => x.depth === r.depth);
      const fc = r.classification!;
      const pc = p?.classification ?? null;
      let changed: number | null = null;
      let relative: number | null = null;
      if (p && pc) {
        changed = fc.predictedIndex.reduce((n, v, i) => n + (v !== pc.predictedIndex[i] ? 1 : 0), 0);
        const exact = p.precise!.predictions.map((x) => x.toNumber());
        const scale = Math.max(...exact.map(Math.abs));
        relative = Math.max(...Array.from(r.float64!.predictions, (v, i) => Math.abs(v - exact[i]))) / scale;
      }
      rows.push({
        kernel: label,
        depth: r.depth,
        accuracyFloat64: fc.accuracy,
        accuracyPrecise: pc?.accuracy ?? null,
        classesChanged: changed,
        relativeDifference: relative,
        digitsKeptFloat64: r.float64!.digitsKept,
        marginRelative: smallestMargin(r.float64!.predictions, fc.classes.length) / Math.max(...Array.from(r.float64!.predictions, Math.abs)),
        conditionFloat64: Number.isFinite(r.float64!.conditionEstimate) ? r.float64!.conditionEstimate : null,
        solver: r.float64!.solver,
        digitsVouched: p?.precise?.digitsVouched.predictions ?? null,
      });
    }
  }
  return {
    name: "real-data-precision",
    description: `Float64 against high precision (${plan.precise.precision} digits asked, vouched by two runs) on ${plan.precise.train} / ${plan.precise.test}, one-hot targets, normalized kernels, t = ∞: predicted classes and predictions at L ≤ ${plan.precise.depths[plan.precise.depths.length - 1]}, float64 alone (LU or the complement solve, whichever keeps more digits) to L = ${plan.precise.float64Depths[plan.precise.float64Depths.length - 1]}.`,
    columns: [
      { key: "kernel", meaning: "Θ̄ or Σ̄" },
      { key: "depth", meaning: "L" },
      { key: "accuracyFloat64", meaning: "test accuracy from the float64 predictions" },
      { key: "accuracyPrecise", meaning: "test accuracy from the high-precision predictions (null beyond their depths)" },
      { key: "classesChanged", meaning: "test points whose float64 class differs from the high-precision one" },
      { key: "relativeDifference", meaning: "max |f64 − precise| over predictions, relative to the largest |precise prediction|" },
      { key: "digitsKeptFloat64", meaning: "digits the float64 solve claims (−log10 of condition × entry error)" },
      {
        key: "marginRelative",
        meaning:
          "smallest top-two gap of the float64 predictions relative to the largest |prediction|: no class can change while it exceeds 2·10^−digitsKeptFloat64",
      },
      { key: "conditionFloat64", meaning: "condition estimate of the float64 solve used" },
      { key: "solver", meaning: "float64 solve: cholesky or lu (K̄), or complement (1 − K̄)" },
      { key: "digitsVouched", meaning: "digits the high-precision predictions vouch for" },
    ],
    rows,
  };
}
