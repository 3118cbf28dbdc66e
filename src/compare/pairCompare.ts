/**
 * Float64 against high precision for one pair through depth: the textbook float64 recursion
 * (SPEC §3, cancels near ρ = 1), the stable float64 complement recursion (SPEC §4), and the
 * high-precision path as the reference. Reports, per checkpoint, each float64 path's 1 − ρ and Θ̄
 * with relative error and correct significant digits, and, scanning every depth, the first depth
 * at which each float64 path keeps fewer than 12, 6 and 1 correct digits of 1 − ρ.
 */
import { checkObject } from "../argumentTypes.js";
import type { Decimal } from "decimal.js";
import { resolveCheckpoints, resolveDepth, type DepthInput, type ResolvedParams } from "../params.js";
import { pairFloat64Resolved, resolvePairFloat64, type PairPointFloat64 } from "../pair/float64.js";
import { pairPreciseResolved, resolvePairPrecise, type PairPointPrecise } from "../pair/precise.js";
import type { PairOptions } from "../types.js";
import { ProgressTicker } from "../progress.js";
import { correctDigits, correctDigitsFloat64, FLOAT64_MATCH_DIGITS, relativeError } from "../digits.js";
import { type ResourceLimits } from "../precise/runCost.js";

/** The correct-digit levels whose first crossing is reported. */
export const DIGIT_THRESHOLDS = [12, 6, 1] as const;

/** Default significant digits of the reference. */
export const DEFAULT_COMPARE_PRECISION = 32;

/**
 * Deepest comparison: 1 − ρ of both float64 paths at every depth is kept for the scan (16 bytes a
 * depth), and the high-precision reference costs ~15 µs a depth at 32 digits.
 */
export const MAX_COMPARE_DEPTH = 1_000_000;

/** Depths per float64 call during the scan (bounds the per-depth result objects alive at once). */
const SCAN_SEGMENT = 65536;

/** The two float64 recursions compared layer by layer. */
type ComparedMethod = "textbook" | "stable";

/** Options of {@link comparePair}. */
export interface PairCompareOptions extends Omit<PairOptions, "depth" | "at">, ResourceLimits {
  /** Final depth, 1 ≤ L ≤ {@link MAX_COMPARE_DEPTH} (every depth is scanned): a safe integer, a bigint or decimal text ("1e4"). */
  readonly depth: DepthInput;
  /** Checkpoint depths, each ≤ depth (default: the final depth). */
  readonly at?: readonly DepthInput[];
  /** Significant digits of the high-precision reference, 20..1000 (default 32). */
  readonly precision?: number;
}

/** One float64 path at one depth, judged against the reference. */
export interface Float64PathAtDepth {
  /** The path's 1 − ρ^(L) as carried (NaN or ±Infinity if the path produced one); meaningless when {@link oneMinusRhoLost}. */
  readonly oneMinusRho: number;
  /**
   * True when the path has lost 1 − ρ (its `lostToZero`): below 2^-1022, or cancelled to 0, while
   * the true value is > 0 (docs/DEPTH_JUMP.md §6). Such a value counts 0 correct digits.
   */
  readonly oneMinusRhoLost: boolean;
  /** |value − reference| / |reference| (Infinity when the reference is 0 and the value not, NaN when the value is not finite). */
  readonly oneMinusRhoRelError: number;
  /** Correct significant digits of 1 − ρ, 0..17 (0 also for a non-finite or lost value). */
  readonly oneMinusRhoDigits: number;
  /** The path's Θ̄^(L). */
  readonly ntkNormalized: number;
  readonly ntkNormalizedRelError: number;
  readonly ntkNormalizedDigits: number;
}

/** One checkpoint: the reference and both float64 paths. */
export interface PairComparePoint {
  readonly depth: number;
  readonly reference: PairPointPrecise;
  readonly textbook: Float64PathAtDepth;
  readonly stable: Float64PathAtDepth;
}

/** The first depth at which a path keeps fewer than `digits` correct digits of 1 − ρ; null if it never does up to the final depth. */
export interface DigitLoss {
  readonly digits: number;
  readonly depth: number | null;
}

/** The result of {@link comparePair}. */
export interface PairComparison {
  readonly params: ResolvedParams;
  /** Significant digits asked of the reference, and those its returned run carried. */
  readonly precision: number;
  readonly workingPrecision: number;
  /** How the reference vouches for its digits. */
  readonly vouchedBy: string;
  /** Every depth from 1 to this one was scanned for {@link firstDepthBelow}. */
  readonly finalDepth: number;
  readonly points: readonly PairComparePoint[];
  /** Per float64 path, one entry per {@link DIGIT_THRESHOLDS} level, in that order. */
  readonly firstDepthBelow: { readonly [M in ComparedMethod]: readonly DigitLoss[] };
}

/**
 * Runs the textbook and the stable float64 paths and the high-precision reference to `depth`,
 * compares them at the checkpoints `at` and scans every depth for digit loss. Work: two float64
 * runs and two high-precision runs of `depth` steps (progress counts 4 × depth units: a depth of
 * each float64 path, then of each high-precision run).
 * Throws the codes of the pair paths, and `BAD_DEPTH` above {@link MAX_COMPARE_DEPTH}.
 */
export async function comparePair(o: PairCompareOptions): Promise<PairComparison> {
  checkObject(o, "comparePair's options");
  const depth = Number(resolveDepth(o.depth, "depth", BigInt(MAX_COMPARE_DEPTH)));
  const checkpoints = resolveCheckpoints(o.at, depth, BigInt(MAX_COMPARE_DEPTH)).map(Number);
  const precision = o.precision ?? DEFAULT_COMPARE_PRECISION;
  const base = { rho1: o.rho1, depth: depth, params: o.params, inputDim: o.inputDim };
  // Resolved and sized once, before the float64 scans, which would otherwise run first.
  const resolvedReference = resolvePairPrecise(
    { ...base, at: checkpoints, precision, method: "direct", maxMemoryBytes: o.maxMemoryBytes, maxSeconds: o.maxSeconds },
    true,
  );
  const wanted = new Set(checkpoints);
  const paths = {} as Record<ComparedMethod, { all: Float64Array; lost: Uint8Array; at: Map<number, PairPointFloat64> }>;
  // Progress: the float64 scans count one unit a depth each, then the reference its two runs.
  const total = 4 * depth;
  // Each segment is one synchronous WebAssembly run: pause between them so that timers and Ctrl-C get their turn.
  const ticker = new ProgressTicker(o, total, 1, "float64 scans");
  for (const [index, method] of (["textbook", "stable"] as const).entries()) {
    // Resolved once a path; each segment only swaps the checkpoints (ascending, within the final depth).
    const resolved = resolvePairFloat64({ ...base, method });
    const all = new Float64Array(depth);
    const lost = new Uint8Array(depth);
    const at = new Map<number, PairPointFloat64>();
    // Every depth is a checkpoint; in segments, so that at most SCAN_SEGMENT point objects live at
    // once (each call restarts from depth 1: the float64 loop is deterministic and cheap to rerun).
    for (let first = 1; first <= depth; first += SCAN_SEGMENT) {
      const last = Math.min(depth, first + SCAN_SEGMENT - 1);
      const segment = Array.from({ length: last - first + 1 }, (_, i) => BigInt(first + i));
      const run = await pairFloat64Resolved({ ...resolved, checkpoints: segment }, { signal: o.signal });
      for (const p of run.points) {
        all[p.depth - 1] = p.oneMinusRho;
        lost[p.depth - 1] = lostRho(p) ? 1 : 0;
        if (wanted.has(p.depth)) at.set(p.depth, p);
      }
      const pause = ticker.tick(index * depth + last);
      if (pause) await pause;
    }
    paths[method] = { all, lost, at };
  }
  const firstBelow = { textbook: DIGIT_THRESHOLDS.map(() => null as number | null), stable: DIGIT_THRESHOLDS.map(() => null as number | null) };
  const scanned = { textbook: new Map<number, number>(), stable: new Map<number, number>() };
  const reference = await pairPreciseResolved(
    resolvedReference,
    {
      onProgress: o.onProgress && ((done, t) => o.onProgress!(2 * depth + done, 2 * depth + t)),
      signal: o.signal,
    },
    (depth, eps, ctx) => {
      for (const method of ["textbook", "stable"] as const) {
        // A lost value has no digit to count, whatever the carried bits happen to match.
        const digits = paths[method].lost[depth - 1] === 1 ? 0 : correctDigitsFloat64(paths[method].all[depth - 1]!, eps, ctx);
        const first = firstBelow[method];
        DIGIT_THRESHOLDS.forEach((t, k) => {
          if (first[k] === null && digits < t) first[k] = depth;
        });
        if (paths[method].at.has(depth)) scanned[method].set(depth, digits);
      }
    },
  );
  const points = reference.points.map((ref): PairComparePoint => {
    const judge = (method: ComparedMethod): Float64PathAtDepth => {
      const p = paths[method].at.get(ref.depth);
      if (!p) throw new Error(`bug: the float64 ${method} path returned no point at checkpoint ${ref.depth}`);
      return {
        oneMinusRho: p.oneMinusRho,
        oneMinusRhoLost: lostRho(p),
        oneMinusRhoRelError: relError(p.oneMinusRho, ref.oneMinusRho),
        oneMinusRhoDigits: scanned[method].get(ref.depth)!,
        ntkNormalized: p.ntkNormalized,
        ntkNormalizedRelError: relError(p.ntkNormalized, ref.ntkNormalized),
        ntkNormalizedDigits: Number.isFinite(p.ntkNormalized) ? correctDigits(p.ntkNormalized, ref.ntkNormalized, FLOAT64_MATCH_DIGITS) : 0,
      };
    };
    return { depth: ref.depth, reference: ref, textbook: judge("textbook"), stable: judge("stable") };
  });
  const losses = (method: ComparedMethod) => DIGIT_THRESHOLDS.map((digits, k): DigitLoss => ({ digits, depth: firstBelow[method][k] ?? null }));
  return {
    params: reference.params,
    precision: reference.precision,
    workingPrecision: reference.workingPrecision,
    vouchedBy: reference.vouchedBy,
    finalDepth: depth,
    points,
    firstDepthBelow: { textbook: losses("textbook"), stable: losses("stable") },
  };
}

/** Whether the float64 path flagged 1 − ρ at this point as lost (lostComplements.ts). */
function lostRho(p: PairPointFloat64): boolean {
  return p.lostToZero.includes("oneMinusRho");
}

function relError(value: number, reference: Decimal): number {
  return Number.isFinite(value) ? relativeError(value, reference).toNumber() : Number.NaN;
}
