/**
 * What the study computes and how far: depths, pairs, data sizes and precision, for the default
 * run (under 3 minutes on 2 cores) and the `--quick` run (under 20 seconds, for CI). One place to
 * read or change the budget of every experiment.
 */
import { resolveParams } from "../params.js";
import { NtkError, type NetworkParams, type ProgressOptions, type BuiltinDataFiles } from "../index.js";

/** Options of {@link import("./run.js").runStudy}. */
export interface StudyOptions extends ProgressOptions {
  /** The short run: shallower depths and lower high-precision depth, same experiments. */
  readonly quick?: boolean;
  /** σw, σb (default 1, 0: the paper's case, the only one where its claims are stated). */
  readonly params?: NetworkParams;
  /** Seed of the random sphere data, an integer 0 … 2^32 − 1 (the generator's state; default {@link DEFAULT_SEED}). */
  readonly seed?: number;
  /** Where the built-in data sets' files come from; without it the real-data section is left out. */
  readonly dataFiles?: BuiltinDataFiles;
}

/** The default seed of the random data: any fixed value; this one is the paper's arXiv number. */
export const DEFAULT_SEED = 2511_07272;

/** Every size the study uses. */
export interface StudyPlan {
  readonly quick: boolean;
  readonly seed: number;
  /** ρ1 of the representative pairs (pair path). */
  readonly pairRho1: readonly string[];
  /** ρ1 values whose threshold table is computed. */
  readonly thresholdRho1: readonly string[];
  /** Largest depth of the pair series, 2^pairMaxLog2 (powers of two: Aitken needs a geometric grid; exact as float64 numbers to 2^60). */
  readonly pairMaxLog2: number;
  /** Threshold scan limit (1 − ρ < 1e-12 needs L ≈ 6.7e6 in the paper's case; --quick stops at 1e6, about 1e-10). */
  readonly thresholdMaxDepth: number;
  /** Random data: training points, test points, dimension n0. */
  readonly trainPoints: number;
  readonly testPoints: number;
  readonly inputDim: number;
  /** Largest depth of the Gram series, 2^gramMaxLog2 (the depth jump beyond 2000 layers). */
  readonly gramMaxLog2: number;
  /** Largest depth of the float64 predictions, 2^predictMaxLog2 (a direct Gram pass over train and test points). */
  readonly predictMaxLog2: number;
  /** Determinant rates d log10|det|/dL are computed at threshold depths up to this one. */
  readonly detRateMaxDepth: number;
  /** Significant digits of the high-precision runs. */
  readonly precision: number;
  /** ρ1 of the float64-against-high-precision comparison. */
  readonly precisionRho1: readonly string[];
  /** Largest depth of the high-precision pair comparison, 2^precisePairMaxLog2. */
  readonly precisePairMaxLog2: number;
  /** Largest depth of the high-precision predictions, 2^precisePredictMaxLog2. */
  readonly precisePredictMaxLog2: number;
  /** Largest depth of the architectures section (architectureExperiment.ts), 2^architectureMaxLog2. */
  readonly architectureMaxLog2: number;
  /** Largest depth of the high-precision Gram determinants, 2^preciseGramMaxLog2. */
  readonly preciseGramMaxLog2: number;
  /** Depths of the Mercer spectrum on S^{inputDim−1}: 1 … 4, then 2^k for k a multiple of spectrumLog2Step up to spectrumMaxLog2 (the depth jump makes every depth cost the same). */
  readonly spectrumMaxLog2: number;
  readonly spectrumLog2Step: number;
  /** Largest degree k of the spectrum. */
  readonly spectrumMaxDegree: number;
}

/** Largest seed: the generator keeps 32 bits, so a larger one would silently repeat a smaller one's data. */
const MAX_SEED = 2 ** 32 - 1;

/** The plan for a default or a quick run. BAD_OPTION for a seed that is not an integer 0 … 2^32 − 1. */
export function studyPlan(o: StudyOptions = {}): StudyPlan {
  const quick = o.quick ?? false;
  const seed = o.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new NtkError("BAD_OPTION", `seed must be an integer from 0 to ${MAX_SEED}, got ${seed}: the data generator keeps 32 bits.`, { seed });
  }
  // The depth jump (SPEC §9, σb = 0) makes every depth to 2^60 cost the same; with σb > 0 the series run layer by layer.
  const params = resolveParams(o.params);
  const jump = params.sigmaB.isZero();
  // Raw kernels scale like (σw²/2)^L, and float64 results carry that power of two exactly while
  // |L log2(σw²/2)| < 2^61 (depth/float64.ts): for σw far from 1 the deepest depth is a little below 2^60.
  const scaleBits = Math.max(1, Math.abs(Math.log2((params.sigmaW64 * params.sigmaW64) / 2)));
  const deepest = Math.min(60, Math.floor(60 - Math.log2(scaleBits)));
  return {
    quick,
    seed,
    pairRho1: ["-0.9", "0", "0.5", "0.99"],
    thresholdRho1: ["0", "0.5"],
    pairMaxLog2: jump ? (quick ? 40 : deepest) : quick ? 20 : 24,
    thresholdMaxDepth: quick ? 1_000_000 : 10_000_000,
    trainPoints: 6,
    testPoints: 3,
    inputDim: 3,
    gramMaxLog2: jump ? (quick ? 40 : deepest) : quick ? 14 : 20,
    predictMaxLog2: quick ? 14 : 20,
    detRateMaxDepth: quick ? 2 ** 14 : 10_000_000,
    precision: 40,
    precisionRho1: ["0.5", "0.9999999"],
    precisePairMaxLog2: quick ? 10 : 18,
    preciseGramMaxLog2: quick ? 8 : 14,
    precisePredictMaxLog2: quick ? 6 : 12,
    architectureMaxLog2: quick ? 8 : 13,
    spectrumMaxLog2: jump ? deepest : quick ? 8 : 14,
    spectrumLog2Step: quick ? 4 : 1,
    spectrumMaxDegree: quick ? 128 : 256,
  };
}

/** 1, 2, 4, …, 2^maxLog2. */
export function powersOfTwo(maxLog2: number): number[] {
  return Array.from({ length: maxLog2 + 1 }, (_, k) => 2 ** k);
}

/** True for 1, 2, 4, … (the depths Aitken's extrapolation and the verdicts use). */
export function isPowerOfTwo(depth: number): boolean {
  return Number.isInteger(Math.log2(depth));
}
