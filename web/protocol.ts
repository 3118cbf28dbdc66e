/**
 * Messages between the explorer page and its Web Worker, and the shape of a finished run. All of
 * it is structured-cloneable: float64 values travel as numbers, high-precision values as decimal
 * text with the digits they vouch for.
 */
import type { ExplorerState } from "./state.js";
import type { LostPairField } from "../src/index.js";
import type { WidthState } from "./widthState.js";

/** One high-precision value: its text at the vouched digits, and a float64 for plotting. */
export interface PreciseValue {
  /**
   * The value with exactly the vouched digits (trailing zeros kept): significant digits, except
   * normalized Gram entries Σ̄, Θ̄, whose digits are decimal places. "lost" when none is vouched,
   * "singular" when the quantity does not exist (f_∞ of an exactly singular K).
   */
  readonly text: string;
  /** The nearest float64 of what the chart plots (log10 of raw kernel entries); NaN when there is nothing to plot. */
  readonly approx: number;
  /** Digits vouched for (see `text`). */
  readonly digits: number;
}

/** ρ, 1 − ρ, Θ̄, 1 − Θ̄ of the pair at one depth. */
export interface PairRow<V> {
  readonly depth: number;
  readonly rho: V;
  readonly oneMinusRho: V;
  readonly ntkNormalized: V;
  readonly oneMinusNtkNormalized: V;
}

/** The single pair through depth: float64 stable and textbook loops, and the high-precision run. */
export interface PairSeries {
  readonly rho1: string;
  /** How the "stable" float64 series was computed: the complement loop ("direct") or, beyond 10^9 layers with σb = 0, the jump (SPEC §9). */
  readonly stableMethod: "direct" | "jump" | "textbook";
  /** Why the high-precision run was not made although digits were asked for (beyond its depth limits), or null. */
  readonly preciseSkipped: string | null;
  /** True for σw = 1, σb = 0 (SPEC §3), where 1 − ρ ≈ 9π²/(2L²) at large L. */
  readonly paperCase: boolean;
  readonly stable: readonly PairRow<number>[];
  /** The textbook loop's rows; empty beyond 10^9 layers, where it is not run. */
  readonly textbook: readonly PairRow<number>[];
  readonly precise: readonly PairRow<PreciseValue>[] | null;
  /** What the high-precision digits rest on (the library's own words), or null without a precise run. */
  readonly vouchedBy: string | null;
  /**
   * First checkpoint at which a float64 loop has no correct significant digit left in 1 − ρ, per
   * method, judged against the high-precision run (or, without one, against the stable loop), or
   * null when it never happens in the range.
   */
  readonly givesOut: { readonly stable: number | null; readonly textbook: number | null };
  /**
   * Per float64 loop and checkpoint, the fields it has lost (`lostToZero`: complements below 2^-1022
   * or cancelled to 0 while the true value is > 0, docs/DEPTH_JUMP.md §6): not plotted, shown as
   * "lost", 0 correct digits.
   */
  readonly lost: { readonly stable: readonly (readonly LostPairField[])[]; readonly textbook: readonly (readonly LostPairField[])[] };
  /** Correct significant digits of each float64 loop's 1 − ρ at each checkpoint, against the high-precision run (null without one). */
  readonly correctDigits: { readonly stable: readonly number[]; readonly textbook: readonly number[] } | null;
}

/** The data set's kernel through depth: entries, determinant, predictions. */
export interface DataSeries {
  /** Training points m, their dimension on the sphere, number of test points. */
  readonly m: number;
  readonly n0: number;
  readonly testCount: number;
  /** Where the training targets came from, in words. */
  readonly targetsFrom: string;
  /** Which kernel, e.g. "Θ̄ (normalized NTK)". */
  readonly kernelLabel: string;
  /** Whether entries are raw kernel values, plotted and listed as log10. */
  readonly entriesAreLog10: boolean;
  /**
   * The first off-diagonal entries (at most MAX_PAIRS_SHOWN pairs) at each depth: `float64` is what
   * is plotted (the entry, or log10 of a raw entry; null for a raw entry ≤ 0, which has no log),
   * `text` the float64 value itself (raw ones exact beyond the float64 range).
   */
  readonly entries: readonly {
    readonly depth: number;
    readonly pair: string;
    readonly float64: number | null;
    readonly text: string;
    readonly precise: PreciseValue | null;
  }[];
  /** Determinant of the training Gram matrix at each depth (raw kernels: scale included). */
  readonly determinant: readonly {
    readonly depth: number;
    readonly log10AbsDet: number;
    readonly signDet: -1 | 0 | 1;
    readonly conditionEstimate: number;
    readonly digitsKept: number;
    readonly preciseLog10AbsDet: PreciseValue | null;
    readonly preciseSign: -1 | 0 | 1 | null;
    /** Correct significant digits of the float64 det (not of its log), against the high-precision one; null without one. */
    readonly float64CorrectDigits: number | null;
  }[];
  /** f_∞ at each test point and depth; `float64` null when K is exactly singular in float64. */
  readonly predictions: readonly {
    readonly depth: number;
    readonly test: number;
    readonly float64: number | null;
    readonly weightsL1: number | null;
    readonly digitsKept: number;
    readonly precise: PreciseValue | null;
    /** Correct significant digits of the float64 prediction against the high-precision one; null without one. */
    readonly float64CorrectDigits: number | null;
  }[];
  /** Checkpoints at which float64 LU of K keeps less than one significant digit by its κ1 estimate (≥ 10^15.95), ascending. */
  readonly lostDepths: readonly number[];
  /**
   * Checkpoints at which the float64 det or a float64 prediction has no correct significant digit,
   * measured against the high-precision run (null without one).
   */
  readonly measuredLostDepths: readonly number[] | null;
  /** What the high-precision digits rest on (the library's words), or null without a precise run. */
  readonly preciseVouchedBy: string | null;
  /**
   * Test accuracy (fraction of test points whose largest one-hot output is their class) at each
   * depth, float64 and high precision (null where f∞ does not exist or was not computed); null
   * when the data has no classes.
   */
  readonly accuracy: readonly { readonly depth: number; readonly float64: number | null; readonly precise: number | null }[] | null;
  /** Accuracy of always answering the most frequent training class (null without classes). */
  readonly majorityRate: number | null;
  /** Warnings from the library, with the depth each was given at. */
  readonly warnings: readonly { readonly depth: number; readonly message: string }[];
}

export interface ExplorerResult {
  readonly depths: readonly number[];
  readonly pair: PairSeries;
  readonly data: DataSeries;
  /** Milliseconds the worker spent. */
  readonly elapsedMs: number;
}

/** Monte Carlo over sampled networks of finite width on the first data points: the normalized NTK Θ̄_n against the infinite-width Θ̄. */
export interface WidthSeries {
  /** Points used (the first m training points) and their dimension. */
  readonly m: number;
  readonly n0: number;
  /** L, hidden width n, networks S and the weight seed. */
  readonly depth: number;
  readonly width: number;
  readonly samples: number;
  readonly seed: number;
  /** Networks whose Θ̄_n is defined (no input dead), and those with a dead input. */
  readonly samplesUsed: number;
  readonly samplesDead: number;
  /** Off-diagonal entries i < j: mean over networks, standard error of the mean (std / √S), the infinite-width Θ̄, and (mean − Θ̄) / stderr. */
  readonly entries: readonly {
    readonly pair: string;
    readonly mean: number;
    readonly stderr: number;
    readonly infinite: number;
    readonly zScore: number | null;
  }[];
  /** Θ_n(x, x) / Θ(x, x) averaged over points and networks (1 at infinite width), with its jackknife standard error. */
  readonly diagScaled: { readonly value: number; readonly stderr: number };
  /** Milliseconds the worker spent. */
  readonly elapsedMs: number;
}

/** Page → worker: an explorer run, a finite-width run (on the data of `state`), or cancelling one. */
export type WorkerRequest =
  | { readonly type: "run"; readonly id: number; readonly state: ExplorerState }
  | { readonly type: "width"; readonly id: number; readonly state: ExplorerState; readonly width: WidthState }
  | { readonly type: "cancel"; readonly id: number };

/** Worker → page. */
export type WorkerReply =
  | { readonly type: "progress"; readonly id: number; readonly phase: string; readonly done: number; readonly total: number }
  | { readonly type: "pair"; readonly id: number; readonly depths: readonly number[]; readonly pair: PairSeries }
  | { readonly type: "result"; readonly id: number; readonly result: ExplorerResult }
  | { readonly type: "widthResult"; readonly id: number; readonly result: WidthSeries }
  | { readonly type: "error"; readonly id: number; readonly code: string; readonly message: string };
