/**
 * What a high-precision run will cost, estimated before it starts, so that a run too large for
 * the memory or the time allowed is refused with `PRECISION_RUN_TOO_LARGE` (naming the largest
 * size that fits) instead of exhausting the JavaScript heap or running for hours.
 *
 * The model counts the work and the stored numbers of the precise pipelines and prices them with
 * unit costs measured by `scripts/measure-precision-costs.ts` (Node 20, one core of a shared,
 * loaded machine, so the times are pessimistic rather than optimistic):
 *
 * - memory: every precise Gram computation keeps both runs' four matrices (Σ̄, 1 − Σ̄, Θ̄, 1 − Θ̄)
 *   at every checkpoint depth, m(m − 1)/2 distinct Decimals each plus m² array slots, and a
 *   decimal LU holds about four m × m matrices of Decimals at a time (copy, factors, identity,
 *   inverse). A Decimal at d digits takes {@link decimalBytes}(d) heap bytes.
 * - time: the exact products 1 − x·x′ of every pair (n0 coordinate products each), two runs of max(pairs, 1) · (L − 1) pair steps of the complement recursion at the
 *   working digits, the comparison of the two runs (one log10 per entry and matrix), and for each
 *   matrix analysed two LU analyses of (n − 1)n(2n − 1)/6 + n³ multiply-adds, plus for a
 *   prediction another factorization and t n² for t right-hand sides.
 *
 * - an architecture's recursion (`arch/precise.ts`, {@link PreciseRunShape.architecture}): one pair
 *   step per tape operation (stem, then L − 1 blocks), the whole recursion again for every
 *   checkpoint when α depends on L. Measured side by side on 15 pairs at 63 and 313 digits (loaded
 *   machine), a tape operation of leaky_relu, abs, erf or residual blocks took 0.5 to 0.95 of a
 *   ReLU pair step, so pricing it as one step errs on the safe side.
 * - the vouching retry (`precise/vouched.ts`): when the two runs vouch fewer than the P digits
 *   asked, both are repeated once at the shortfall plus VOUCH_RETRY_MARGIN more digits. For a run
 *   that analyses a matrix (a determinant or a solve), where an ill-conditioned matrix makes that
 *   shortfall common, the estimate counts the retry at its worst case under the default rule, a
 *   shortfall of all P digits: a second pair of runs at `digits` + P + VOUCH_RETRY_MARGIN, its time
 *   added to the first's and its memory held beside the first's results (the Gram path keeps
 *   them), so such a run is admitted only if it fits with its retry. A recursion alone (a pair, or
 *   Gram entries without a determinant) carries guard digits sized by its number of operations so
 *   that its two runs agree on the P digits; its retry is not counted by default (it would make
 *   every estimate about four times larger for a repeat that such runs do not need).
 *   {@link PreciseRunShape.retry} overrides the default either way.
 *
 * Assumptions: unit costs are interpolated log-log between the measured precisions (and held
 * constant beyond them); entries of the Gram matrices carry about the working digits (very close
 * points carry more, so memory can be underestimated there); a retry sized by a condition number
 * (an ill-conditioned determinant or prediction may add log10 κ digits) beyond the worst case of
 * the default rule is not counted; allocation churn and the garbage collector's headroom are
 * covered by the {@link HEAP_HEADROOM} factor. Treat the figures as good to a factor of about 2:
 * they decide whether a run is sensible, not how long it takes to the second.
 */
import { NtkError } from "../errors.js";
import { VOUCH_RETRY_MARGIN } from "./vouched.js";

/**
 * Measured unit costs: [digits, heap bytes per stored Decimal, seconds per pair step of the
 * precise Gram recursion, seconds per decimal multiply-add of an LU].
 */
const MEASURED_RAW: readonly (readonly [number, number, number, number])[] = [
  [20, 253, 1.84e-4, 1.2e-5],
  [50, 237, 1.24e-4, 6.09e-5],
  [100, 456, 6.91e-4, 9.22e-5],
  [200, 456, 1.21e-3, 1.71e-4],
  [500, 767, 8.07e-3, 9.29e-4],
  [1000, 1904, 3.64e-2, 5.46e-3],
];

/** The measured costs made non-decreasing in the digits (timing noise made a few dip): a cost never falls as digits grow. */
const MEASURED = MEASURED_RAW.map(
  (row, k) => row.map((x, col) => (col === 0 ? x : Math.max(...MEASURED_RAW.slice(0, k + 1).map((r) => r[col])))) as unknown as typeof row,
);

/** Seconds to compare one entry of the two runs (a 20-digit log10 of their difference), measured at 32 digits. */
const COMPARE_SECONDS_PER_ENTRY = 4.6e-4;
/** Seconds per coordinate product of the exact 1 − x·x′ of a pair (MNIST's 784 coordinates: 2 ms a pair), measured. */
const EXACT_PRODUCT_SECONDS = 2.7e-6;
/** Heap bytes per array slot (a pointer). */
const SLOT_BYTES = 8;
/** Factor on the counted bytes for temporaries and the garbage collector's room to work. */
export const HEAP_HEADROOM = 1.5;

/** Default memory limit of a high-precision run: 2 GiB (Node's default heap on 64-bit systems is 2–4 GiB). */
export const DEFAULT_MAX_MEMORY_BYTES = 2 * 1024 ** 3;
/** Default time budget of a high-precision run: one hour. */
export const DEFAULT_MAX_SECONDS = 3600;

/** Limits on a high-precision run, checked against {@link estimatePreciseRun} before it starts. */
export interface ResourceLimits {
  /** Largest estimated heap use allowed, in bytes (default {@link DEFAULT_MAX_MEMORY_BYTES}). Infinity: no limit. */
  readonly maxMemoryBytes?: number;
  /** Largest estimated running time allowed, in seconds (default {@link DEFAULT_MAX_SECONDS}). Infinity: no limit. */
  readonly maxSeconds?: number;
}

/** The size of a high-precision run, in the terms of the cost model (see the module note). */
export interface PreciseRunShape {
  /** Points m of the Gram matrices (a single pair: 2). */
  readonly points: number;
  /** Deepest depth L run through. */
  readonly depth: number;
  /** Checkpoint depths whose matrices are kept. */
  readonly checkpoints: number;
  /** Working digits of the higher of the two runs. */
  readonly digits: number;
  /** Order of the matrix whose determinant (LU analysis, twice) is taken at each checkpoint; 0 for none. */
  readonly determinantOrder?: number;
  /** Right-hand sides solved with that matrix at each checkpoint in each run after its analysis (a prediction's test points; 0 for none). */
  readonly solveColumns?: number;
  /** Raw input dimension, for the exact products 1 − x·x′ formed once per pair (0 or absent: not counted). */
  readonly inputDim?: number;
  /** Whether whole Gram matrices are formed and stored (false for a single pair through depth). */
  readonly matrices?: boolean;
  /** Significant digits asked for (P), which size the worst-case retry; absent: taken as `digits` (an upper bound). */
  readonly precision?: number;
  /** Whether the vouching retry is counted (default: when a matrix is analysed, `determinantOrder` or `solveColumns` > 0; see the module note). */
  readonly retry?: boolean;
  /** An architecture's recursion instead of the ReLU network's (see {@link ArchitectureWork}). */
  readonly architecture?: ArchitectureWork;
}

/** The work of an architecture's recursion (`arch/precise.ts`) per pair, in tape operations. */
export interface ArchitectureWork {
  /** Tape operations of the stem (the first layers, run once). */
  readonly stemOps: number;
  /** Tape operations of one block (repeated L − 1 times at depth L). */
  readonly blockOps: number;
  /** Whether the recursion is run anew for every checkpoint (α depending on L). */
  readonly rerunPerCheckpoint: boolean;
}

/** Estimated cost of a run. */
export interface PreciseRunEstimate {
  /** Peak heap bytes, headroom included. */
  readonly bytes: number;
  /** Seconds of computation on one core. */
  readonly seconds: number;
}

/** Interpolates column `col` of {@link MEASURED} log-log at `digits` (constant outside the measured range). */
function unitCost(digits: number, col: 1 | 2 | 3): number {
  const first = MEASURED[0];
  const last = MEASURED[MEASURED.length - 1];
  if (digits <= first[0]) return first[col];
  if (digits >= last[0]) return last[col] * (digits / last[0]) ** 1.6;
  let k = 1;
  while (MEASURED[k][0] < digits) k++;
  const [d0, d1] = [MEASURED[k - 1][0], MEASURED[k][0]];
  const [c0, c1] = [MEASURED[k - 1][col], MEASURED[k][col]];
  const s = Math.log(digits / d0) / Math.log(d1 / d0);
  return Math.exp(Math.log(c0) + s * Math.log(c1 / c0));
}

/** Heap bytes of one stored Decimal at `digits` significant digits (measured, interpolated). */
export function decimalBytes(digits: number): number {
  return unitCost(digits, 1);
}

/**
 * Estimated peak heap bytes and seconds of a high-precision run of the given shape (see the
 * module note for the model, its measured unit costs and its assumptions).
 */
export function estimatePreciseRun(s: PreciseRunShape): PreciseRunEstimate {
  const first = estimatePairOfRuns(s);
  if (!(s.retry ?? ((s.determinantOrder ?? 0) > 0 || (s.solveColumns ?? 0) > 0))) return first;
  const again = estimatePairOfRuns({ ...s, digits: s.digits + (s.precision ?? s.digits) + VOUCH_RETRY_MARGIN });
  return { bytes: first.bytes + again.bytes, seconds: first.seconds + again.seconds };
}

/** Pair steps of one run per pair: the ReLU recursion's L − 1 layers, or an architecture's tape operations. */
function pairSteps(s: PreciseRunShape): number {
  const a = s.architecture;
  if (a === undefined) return Math.max(s.depth - 1, 0);
  const pass = a.stemOps + Math.max(s.depth - 1, 0) * a.blockOps;
  return a.rerunPerCheckpoint ? s.checkpoints * pass : pass;
}

/** Peak bytes and seconds of the two runs of the vouching rule at `s.digits`, without a retry. */
function estimatePairOfRuns(s: PreciseRunShape): PreciseRunEstimate {
  const m = s.points;
  const pairs = (m * (m - 1)) / 2;
  const matrices = s.matrices ?? true;
  const n = s.determinantOrder ?? 0;
  const entry = decimalBytes(s.digits);
  let bytes = 2 * pairs * 2 * entry; // both runs' complements ε, u (BigFloats, about a Decimal each)
  if (matrices) bytes += 2 * s.checkpoints * 4 * (pairs * entry + m * m * SLOT_BYTES);
  if (n > 0) bytes += 4 * n * n * (entry + SLOT_BYTES);
  const factorWork = ((n - 1) * n * (2 * n - 1)) / 6;
  const luWork = n > 0 ? factorWork + n ** 3 + (s.solveColumns ? factorWork + s.solveColumns * n * n : 0) : 0;
  const seconds =
    pairs * (s.inputDim ?? 0) * EXACT_PRODUCT_SECONDS +
    2 * Math.max(pairs, 1) * pairSteps(s) * unitCost(s.digits, 2) +
    (matrices ? 4 * pairs * s.checkpoints * COMPARE_SECONDS_PER_ENTRY : 0) +
    2 * s.checkpoints * luWork * unitCost(s.digits, 3);
  return { bytes: HEAP_HEADROOM * bytes, seconds };
}

/** Resolves `limits` (defaults filled in); BAD_OPTION unless each is a positive number or Infinity. */
export function resolveLimits(limits: ResourceLimits | undefined): Required<ResourceLimits> {
  const maxMemoryBytes = limits?.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES;
  const maxSeconds = limits?.maxSeconds ?? DEFAULT_MAX_SECONDS;
  for (const [name, v] of [
    ["maxMemoryBytes", maxMemoryBytes],
    ["maxSeconds", maxSeconds],
  ] as const) {
    if (typeof v !== "number" || Number.isNaN(v) || v <= 0) {
      throw new NtkError("BAD_OPTION", `${name} must be a number > 0 (Infinity for no limit), got ${String(v)}.`, { [name]: String(v) });
    }
  }
  return { maxMemoryBytes, maxSeconds };
}

/** Largest integer x in [lo, hi] with fits(x), or lo − 1 when none; fits must be monotone (true then false). */
function largestFitting(lo: number, hi: number, fits: (x: number) => boolean): number {
  if (!fits(lo)) return lo - 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "no limit";
  const gib = bytes / 1024 ** 3;
  return gib >= 10 ? `${Math.round(gib)} GiB` : gib >= 1 ? `${gib.toPrecision(2)} GiB` : `${Math.ceil(bytes / 1024 ** 2)} MiB`;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "no limit";
  if (seconds >= 7200) return `${Math.round(seconds / 3600)} h`;
  if (seconds >= 120) return `${Math.round(seconds / 60)} min`;
  return `${seconds.toPrecision(2)} s`;
}

/**
 * Throws `PRECISION_RUN_TOO_LARGE` when the run `shape` is estimated to need more memory or time
 * than `limits` allow (BAD_OPTION for malformed limits). The message gives both estimates, the
 * largest number of points (at this depth) and the largest depth (for these points) that fit, and
 * what to do; `details` carries the same as numbers. `what` names the run ("kernel at 300 digits").
 */
export function checkPreciseRunFits(what: string, shape: PreciseRunShape, limits: ResourceLimits | undefined): PreciseRunEstimate {
  const { maxMemoryBytes, maxSeconds } = resolveLimits(limits);
  const estimate = estimatePreciseRun(shape);
  const fits = (e: PreciseRunEstimate) => e.bytes <= maxMemoryBytes && e.seconds <= maxSeconds;
  if (fits(estimate)) return estimate;
  const scalePoints = (m: number): PreciseRunShape => ({ ...shape, points: m, determinantOrder: Math.min(shape.determinantOrder ?? 0, m) });
  const largestPoints = shape.matrices === false ? null : largestFitting(2, shape.points, (m) => fits(estimatePreciseRun(scalePoints(m))));
  const largestDepth = largestFitting(1, shape.depth, (L) => fits(estimatePreciseRun({ ...shape, depth: L })));
  const over = [
    estimate.bytes > maxMemoryBytes ? `about ${formatBytes(estimate.bytes)} of memory (limit ${formatBytes(maxMemoryBytes)})` : null,
    estimate.seconds > maxSeconds ? `about ${formatSeconds(estimate.seconds)} (budget ${formatSeconds(maxSeconds)})` : null,
  ].filter((x) => x !== null);
  const fitting = [
    largestPoints !== null && largestPoints >= 2 ? `at most ${largestPoints} points at this depth` : null,
    largestDepth >= 1 ? `depth at most ${largestDepth} for these ${shape.matrices === false ? "inputs" : "points"}` : null,
  ].filter((x) => x !== null);
  throw new NtkError(
    "PRECISION_RUN_TOO_LARGE",
    `${what} would need ${over.join(" and ")}. ` +
      (fitting.length > 0 ? `What fits at these digits: ${fitting.join(", or ")}. ` : "Nothing of this kind fits at these digits. ") +
      "Use fewer points, a smaller depth or fewer digits, float64 (no precision), or raise the limits " +
      "(CLI: --max-memory <MiB>, --max-time <s>; library: maxMemoryBytes, maxSeconds).",
    { estimatedBytes: estimate.bytes, estimatedSeconds: estimate.seconds, maxMemoryBytes, maxSeconds, largestPoints, largestDepth },
  );
}
