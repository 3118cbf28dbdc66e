/**
 * The explorer's state: every input the page has, with defaults, bounds, and a round trip through
 * the URL's query string so that a view can be shared by its address. Parsing never throws: a bad
 * or missing parameter falls back to its default and is listed in `problems` in the page's own
 * words (field labels, valid ranges), which the page shows; the form's own values go through the
 * same parser.
 */
import { resolveParams, resolveRho1 } from "../src/params.js";
import { PROJECTIONS, parseBuiltinDatasetSpec, type KernelName, type Projection } from "../src/index.js";

/** Where the data points come from: seeded random points, pasted text, or a built-in data set (classified by one-hot targets). */
export type PointSource = "random" | "paste" | "mnist" | "iris";

/** Whether a source is a built-in data set. */
export function isBuiltin(source: PointSource): source is "mnist" | "iris" {
  return source === "mnist" || source === "iris";
}

/** Most training and test rows of a built-in data set per run (the Gram matrices of every checkpoint are kept in memory). */
export const MAX_TRAIN_ROWS = 200;
export const MAX_TEST_ROWS = 100;

/** Everything one explorer run depends on. */
export interface ExplorerState {
  /** ρ1 = x·x′ of the single pair, as exact decimal text (SPEC §3). */
  readonly rho1: string;
  /** Points: seeded random points on the sphere, or pasted CSV/JSON text. */
  readonly source: PointSource;
  /** Number of random training points m. */
  readonly m: number;
  /** Input dimension n0 of the pair, and of the random points (they lie on S^{n0−1}). */
  readonly dim: number;
  /** Seed of the random points (32-bit unsigned integer). */
  readonly seed: number;
  /** Pasted data (CSV with a header, or JSON), used when `source` is "paste". */
  readonly pasted: string;
  /** Training and test rows of a built-in data set: `start:end` or `start:end:step` (half-open). */
  readonly trainRange: string;
  readonly testRange: string;
  /** How pasted points reach the sphere (random points are on it already). */
  readonly projection: Projection;
  /** Kernel whose Gram matrix is shown, determinant taken and predictions made. */
  readonly kernel: KernelName;
  /** Normalized kernel (Σ̄, Θ̄) or raw (Σ, Θ). */
  readonly normalized: boolean;
  /** Smallest and largest depth L of the checkpoints. */
  readonly depthMin: number;
  readonly depthMax: number;
  /** Number of checkpoints, spread evenly in log L (fewer when the range has fewer integers). */
  readonly checkpoints: number;
  /** Significant digits of the high-precision run, or 0 for float64 only. */
  readonly precision: number;
  /** σw and σb as decimal text (SPEC §1). */
  readonly sigmaW: string;
  readonly sigmaB: string;
}

export const DEFAULT_STATE: ExplorerState = {
  rho1: "0.5",
  source: "random",
  m: 5,
  dim: 3,
  seed: 1,
  pasted: "x1,x2,y\n1,0,1\n0.6,0.8,0\n0,1,-1\n-0.8,0.6,0.5\n",
  // Steps prime to 10 and small against 50: every class of MNIST's round-robin order (period 10)
  // and of Iris's species blocks (50 rows each) appears, in both sets, for either data set.
  trainRange: "0:150:3",
  testRange: "1:150:7",
  projection: "normalize",
  kernel: "ntk",
  normalized: true,
  depthMin: 1,
  depthMax: 200,
  checkpoints: 24,
  precision: 40,
  sigmaW: "1",
  sigmaB: "0",
};

/** Bounds of the integer inputs (inclusive). The page's inputs carry the same limits. */
export const LIMITS = {
  m: [2, 40],
  dim: [1, 64],
  seed: [0, 2 ** 32 - 1],
  // 10^18 < 2^60: beyond 10^9 layers only the jump (SPEC §9, σb = 0) and the fixed point (σb > 0) reach.
  depthMin: [1, 1e18],
  depthMax: [1, 1e18],
  checkpoints: [2, 200],
  precision: [0, 1000],
} as const satisfies Record<string, readonly [number, number]>;

/** Each field's label on the page: messages name fields by these, never by URL keys. */
export const FIELD_LABELS: Record<keyof ExplorerState, string> = {
  rho1: "ρ1 = x·x′",
  source: "source",
  m: "points m",
  dim: "dimension n0",
  seed: "seed",
  pasted: "data",
  trainRange: "training rows",
  testRange: "test rows",
  projection: "projection",
  kernel: "kernel",
  normalized: "normalized",
  depthMin: "depth from",
  depthMax: "depth to",
  checkpoints: "checkpoints",
  precision: "high precision, digits",
  sigmaW: "σw",
  sigmaB: "σb",
};

/** What each typed field accepts, in words; shown next to the field and in its error message. */
export const VALID_TEXT: Partial<Record<keyof ExplorerState, string>> = {
  rho1: "a decimal from −1 to 1, e.g. 0.9999999",
  m: `a whole number from ${LIMITS.m[0]} to ${LIMITS.m[1]}`,
  dim: `a whole number from ${LIMITS.dim[0]} to ${LIMITS.dim[1]}`,
  seed: `a whole number from 0 to 2^32 − 1`,
  depthMin: "a whole number from 1 to 10^18, e.g. 1000, 1e6 or 1e18",
  depthMax: "a whole number from 1 to 10^18, e.g. 1000, 1e6 or 1e18",
  checkpoints: `a whole number from ${LIMITS.checkpoints[0]} to ${LIMITS.checkpoints[1]}`,
  precision: "0 (float64 only) or 20 to 1000",
  sigmaW: "a decimal > 0, e.g. 1 or 1.4142",
  sigmaB: "a decimal ≥ 0, e.g. 0 or 0.1",
  trainRange: `start:end or start:end:step within the data set, at most ${MAX_TRAIN_ROWS} rows`,
  testRange: `start:end or start:end:step within the data set, at most ${MAX_TEST_ROWS} rows`,
};

/** Short URL keys, one per field (stable: shared links depend on them). */
export const URL_KEYS: Record<keyof ExplorerState, string> = {
  rho1: "rho1",
  source: "src",
  m: "m",
  dim: "dim",
  seed: "seed",
  pasted: "data",
  trainRange: "train",
  testRange: "test",
  projection: "proj",
  kernel: "kernel",
  normalized: "norm",
  depthMin: "L0",
  depthMax: "L1",
  checkpoints: "n",
  precision: "digits",
  sigmaW: "sw",
  sigmaB: "sb",
};

const KERNELS: readonly KernelName[] = ["ntk", "nngp"];
const SOURCES: readonly PointSource[] = ["random", "paste", "mnist", "iris"];

/** One input that could not be used, in the page's words. */
export interface StateProblem {
  readonly key: keyof ExplorerState;
  /** E.g. "“points m” is 1: it must be a whole number from 2 to 40." */
  readonly message: string;
}

/** A state read from text, with what could not be used. */
export interface ParsedState {
  /** The state, with defaults where a parameter was missing or invalid (both depths for a reversed range). */
  readonly state: ExplorerState;
  /** One message per invalid field (a reversed depth range counts once). */
  readonly problems: StateProblem[];
  /** Fields whose given value was invalid. */
  readonly invalid: (keyof ExplorerState)[];
}

/** The state a query string describes, and what in it was not understood. */
export function stateFromQuery(query: string): ParsedState {
  const params = new URLSearchParams(query);
  const problems: StateProblem[] = [];
  const invalid: (keyof ExplorerState)[] = [];
  const pick = <K extends keyof ExplorerState>(key: K, read: (text: string) => ExplorerState[K] | undefined): ExplorerState[K] => {
    const text = params.get(URL_KEYS[key]);
    if (text === null) return DEFAULT_STATE[key];
    const value = read(text);
    if (value === undefined) {
      const given = text.trim() === "" ? "is empty" : `is ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)}`;
      problems.push({ key, message: `“${FIELD_LABELS[key]}” ${given}: it must be ${VALID_TEXT[key] ?? `one of the listed choices`}.` });
      invalid.push(key);
      return DEFAULT_STATE[key];
    }
    return value;
  };
  // Whole numbers in any notation a number field offers (1000, 1e3, 1.0e3), not fractions; digits
  // beyond 2^53 only when the number is exactly what they spell (1000000000000000000, not …001).
  const integer = (key: keyof typeof LIMITS) => (text: string) => {
    const [lo, hi] = LIMITS[key];
    const n = text.trim() === "" ? NaN : Number(text);
    const exact = !/^\s*\d+\s*$/.test(text) || !Number.isInteger(n) || BigInt(text.trim()) === BigInt(n);
    return Number.isInteger(n) && n >= lo && n <= hi && exact ? n : undefined;
  };
  const oneOf =
    <T extends string>(options: readonly T[]) =>
    (text: string) =>
      (options as readonly string[]).includes(text) ? (text as T) : undefined;
  // The library's own validation, so that the page accepts exactly what the run will.
  const valid = (check: (text: string) => unknown) => (text: string) => {
    try {
      check(text.trim());
      return text.trim();
    } catch {
      return undefined;
    }
  };
  const state: ExplorerState = {
    rho1: pick("rho1", valid(resolveRho1)),
    source: pick("source", oneOf(SOURCES)),
    m: pick("m", integer("m")),
    dim: pick("dim", integer("dim")),
    seed: pick("seed", integer("seed")),
    pasted: pick("pasted", (t) => t),
    trainRange: pick("trainRange", (t) => t.trim()),
    testRange: pick("testRange", (t) => t.trim()),
    projection: pick("projection", oneOf(PROJECTIONS)),
    kernel: pick("kernel", oneOf(KERNELS)),
    normalized: pick("normalized", (t) => (t === "1" ? true : t === "0" ? false : undefined)),
    depthMin: pick("depthMin", integer("depthMin")),
    depthMax: pick("depthMax", integer("depthMax")),
    checkpoints: pick("checkpoints", integer("checkpoints")),
    precision: pick("precision", (t) => {
      const n = integer("precision")(t);
      return n === 0 || (n !== undefined && n >= 20) ? n : undefined;
    }),
    sigmaW: pick(
      "sigmaW",
      valid((t) => resolveParams({ sigmaW: t })),
    ),
    sigmaB: pick(
      "sigmaB",
      valid((t) => resolveParams({ sigmaB: t })),
    ),
  };
  // Row ranges are checked against the chosen data set by the library's own parser.
  for (const [key, most] of [
    ["trainRange", MAX_TRAIN_ROWS],
    ["testRange", MAX_TEST_ROWS],
  ] as const) {
    if (!isBuiltin(state.source) || invalid.includes(key)) continue;
    const problem = rangeProblem(state.source, state[key], most);
    if (problem === null) continue;
    problems.push({ key, message: `“${FIELD_LABELS[key]}” is ${JSON.stringify(state[key])}: ${problem}` });
    invalid.push(key);
  }
  if (state.depthMin > state.depthMax) {
    problems.push({
      key: "depthMin",
      message: `“${FIELD_LABELS.depthMin}” (${state.depthMin}) is larger than “${FIELD_LABELS.depthMax}” (${state.depthMax}): make it smaller or equal.`,
    });
    return { state: { ...state, depthMin: DEFAULT_STATE.depthMin, depthMax: DEFAULT_STATE.depthMax }, problems, invalid: [...invalid, "depthMin", "depthMax"] };
  }
  return { state, problems, invalid };
}

/** What is wrong with a row range of a built-in data set (null: nothing), in the library's words. */
function rangeProblem(source: "mnist" | "iris", range: string, most: number): string | null {
  try {
    const spec = parseBuiltinDatasetSpec(`${source}[${range}]`);
    const rows = Math.ceil((spec.end - spec.start) / spec.step);
    return rows > most
      ? `it selects ${rows} rows; at most ${most} can be used here (take a step, e.g. ${spec.start}:${spec.end}:${Math.ceil(rows / most) * spec.step}).`
      : null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * The query string (without "?") of a state. Fields equal to their default are left out, and the
 * pasted data only appears when it is the source, so that links stay short.
 */
export function queryFromState(state: ExplorerState): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(URL_KEYS) as (keyof ExplorerState)[]) {
    if (key === "pasted" && state.source !== "paste") continue;
    if ((key === "trainRange" || key === "testRange") && !isBuiltin(state.source)) continue;
    const value = state[key];
    if (value === DEFAULT_STATE[key]) continue;
    params.set(URL_KEYS[key], typeof value === "boolean" ? (value ? "1" : "0") : String(value));
  }
  return params.toString();
}

/**
 * Up to `count` distinct integer depths from `min` to `max` (both included), spread evenly in
 * log L, ascending. Rounding merges neighbours at small L, so fewer may come back.
 */
export function logSpacedDepths(min: number, max: number, count: number): number[] {
  if (min === max || count < 2) return [max];
  const depths = new Set<number>();
  const ratio = Math.log(max / min);
  // Rounded to 12 significant digits first, so that decades come out as 10^k (not 999999999999999).
  for (let i = 0; i < count; i++) depths.add(Math.round(Number((min * Math.exp((ratio * i) / (count - 1))).toPrecision(12))));
  depths.add(min).add(max);
  return [...depths].filter((d) => d >= min && d <= max).sort((a, b) => a - b);
}
