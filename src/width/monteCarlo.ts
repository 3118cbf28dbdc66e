/**
 * Monte Carlo over sampled networks (docs/FINITE_WIDTH.md): for S networks of one shape, seeded
 * s = 0 … S−1 from one base seed, the mean, standard deviation and standard error of every entry
 * of the normalized empirical kernels Θ̄_n and Σ̄_n, of the raw diagonal divided by its
 * infinite-width value, and the diagonal's second-moment ratio E[Θ(x,x)²] / E[Θ(x,x)]², each
 * beside the infinite-width value of the existing engine (gram/float64.ts) with a z-score.
 *
 * Every network is computed whole by one runner (this thread, or a worker: see sampleWorkers.ts)
 * and the statistics are reduced here in seed order, so the results are the same bits whatever
 * the number of threads.
 */
import { checkObject } from "../argumentTypes.js";
import { NtkError } from "../errors.js";
import { gramThroughDepthFloat64, type GramAtDepthFloat64 } from "../gram/float64.js";
import { ProgressTicker, type ProgressOptions } from "../progress.js";
import type { NetworkParams, SpherePoints } from "../types.js";
import { loadPrivateWasmEngine, type WasmEngine, type WasmVariant } from "../wasm/engine.js";
import { checkSpherePoints } from "../sphere/float64.js";
import { resolveSeed, resolveShape, type FiniteNetworkOptions, type NetworkShape } from "./network.js";
import { checkPlanFits, NetworkPasses, sampleSeed } from "./passes.js";

/** What a runner needs to compute networks of a Monte Carlo run: plain data, so it can be posted to a worker. */
export interface SampleJob {
  readonly coords: Float64Array;
  readonly m: number;
  readonly n0: number;
  readonly depth: number;
  /** Hidden widths n_1 … n_{L−1}. */
  readonly hidden: readonly number[];
  readonly params: NetworkParams;
  readonly baseSeed: bigint;
  readonly variant: WasmVariant;
}

/** The raw kernels of one network (m × m each). */
export interface RawSample {
  readonly ntk: Float64Array;
  readonly sigma: Float64Array;
}

/**
 * Computes networks `indices` of a job and hands each to `onSample` (in any order); resolves when
 * all are done. Must throw `ABORTED` when `signal` fires.
 */
export type SampleRunner = (
  job: SampleJob,
  indices: readonly number[],
  onSample: (index: number, sample: RawSample) => void,
  signal?: AbortSignal,
) => Promise<void>;

/** Options of {@link monteCarloKernels}. */
export interface MonteCarloOptions extends FiniteNetworkOptions, ProgressOptions {
  /** The inputs: m ≥ 1 unit rows. */
  readonly points: SpherePoints;
  /** S, the number of networks (integer ≥ 2; statistics need two). */
  readonly samples: number;
  /** WebAssembly build (default "auto"); every build but "fma" gives the same bits on every host (see {@link WasmVariant}). */
  readonly variant?: WasmVariant;
  /**
   * Who computes the networks. Default: this thread. In Node, `sampleWorkerRunner(threads)` from
   * `src/width/sampleWorkers.ts` spreads them over worker threads with the same results.
   */
  readonly runner?: SampleRunner;
}

/** Statistics of one kernel entry over the sampled networks. */
export interface EntryStatistics {
  /** Row and column (0-based). */
  readonly i: number;
  readonly j: number;
  /** Sample mean over the networks used. */
  readonly mean: number;
  /** Sample standard deviation (divisor S − 1). */
  readonly std: number;
  /** Standard error of the mean, std / sqrt(S). */
  readonly stderr: number;
  /** The infinite-width value (SPEC §2 through the float64 engine). */
  readonly infinite: number;
  /** (mean − infinite) / stderr; null when stderr is 0. */
  readonly zScore: number | null;
}

/** A ratio estimated from the samples, with its jackknife standard error (over networks). */
export interface RatioEstimate {
  readonly value: number;
  readonly stderr: number;
  /** Its value at infinite width. */
  readonly infinite: number;
}

/** One kernel (Θ or Σ) over the sampled networks. */
export interface KernelMonteCarlo {
  /** Networks whose normalized kernel is defined (no input with a zero diagonal); the normalized statistics use these. */
  readonly samplesUsed: number;
  /** Networks with some input x_i whose raw diagonal is 0 (dead for that input). */
  readonly samplesDead: number;
  /** Off-diagonal entries i < j of the normalized kernel (Θ̄_n or Σ̄_n), row by row; empty when fewer than 2 networks are usable. */
  readonly entries: readonly EntryStatistics[];
  /** The raw diagonal over its infinite-width value, Θ_n(x_i, x_i) / Θ(x_i, x_i), for every point (infinite value 1), over all networks. */
  readonly diagScaled: readonly EntryStatistics[];
  /** That ratio averaged over points and networks, with its jackknife stderr. */
  readonly diagScaledMean: RatioEstimate;
  /** E[Θ_n(x,x)²] / E[Θ_n(x,x)]² pooled over points, with its jackknife stderr (1 at infinite width, where Θ is deterministic). */
  readonly diagSecondMomentRatio: RatioEstimate;
  /** The same ratio per point. */
  readonly diagSecondMomentRatioPerPoint: readonly number[];
}

/** What {@link monteCarloKernels} returns. */
export interface MonteCarloResult {
  readonly m: number;
  readonly depth: number;
  /** n_0 … n_L. */
  readonly widths: readonly number[];
  readonly samples: number;
  readonly baseSeed: bigint;
  /** Θ_n. */
  readonly ntk: KernelMonteCarlo;
  /** Σ_n, the NNGP kernel of the last hidden layer. */
  readonly nngp: KernelMonteCarlo;
  /** The infinite-width Gram matrices at depth L (raw diagonals scaled by 2^log2Scale). */
  readonly infinite: GramAtDepthFloat64;
  /** Every network's raw kernels, in seed order. */
  readonly raw: readonly RawSample[];
}

/**
 * Samples S networks and returns the statistics described in the module comment.
 *
 * Progress counts networks. Errors: BAD_SAMPLES (S not an integer ≥ 2), the errors of
 * {@link empiricalKernels} (BAD_DEPTH, BAD_WIDTH, …, NON_FINITE when activations overflow), ABORTED
 * through `signal`.
 */
export async function monteCarloKernels(o: MonteCarloOptions): Promise<MonteCarloResult> {
  checkObject(o, "monteCarloKernels's options");
  checkSpherePoints(o.points, "a network's kernels");
  const shape = resolveShape(o, o.points.n0);
  const baseSeed = resolveSeed(o.seed);
  const S = checkSamples(o.samples);
  checkPlanFits(shape, o.points.m, false);
  const {
    grams: [infinite],
  } = await gramThroughDepthFloat64({ points: o.points, depths: [shape.depth], params: o.params });
  const job: SampleJob = {
    coords: o.points.coords,
    m: o.points.m,
    n0: o.points.n0,
    depth: shape.depth,
    hidden: shape.widths.slice(1, -1),
    params: o.params ?? {},
    baseSeed,
    variant: o.variant ?? "auto",
  };
  const raw: RawSample[] = new Array(S);
  let done = 0;
  const ticker = new ProgressTicker(o, S, 1);
  await (o.runner ?? inThreadRunner)(
    job,
    Array.from({ length: S }, (_, s) => s),
    (index, sample) => {
      raw[index] = sample;
      o.onProgress?.(++done, S);
    },
    o.signal,
  );
  ticker.finish();
  for (const [s, r] of raw.entries()) {
    if (![...r.ntk, ...r.sigma].every(Number.isFinite)) {
      throw new NtkError(
        "NON_FINITE",
        `Network ${s + 1}'s activations over- or underflowed float64 (an empirical kernel entry is not finite): use σw nearer √2 or a smaller depth.`,
        { sample: s },
      );
    }
  }
  return {
    m: o.points.m,
    depth: shape.depth,
    widths: shape.widths,
    samples: S,
    baseSeed,
    ntk: kernelStatistics(
      raw.map((r) => r.ntk),
      o.points.m,
      infinite.ntkNormalized,
      infinite.ntkDiag * 2 ** infinite.log2Scale,
    ),
    nngp: kernelStatistics(
      raw.map((r) => r.sigma),
      o.points.m,
      infinite.sigmaNormalized,
      infinite.sigmaDiag * 2 ** infinite.log2Scale,
    ),
    infinite,
    raw,
  };
}

/** Throws `BAD_SAMPLES` unless S is an integer ≥ 2. */
export function checkSamples(samples: number, min = 2): number {
  if (!Number.isInteger(samples) || samples < min) {
    throw new NtkError(
      "BAD_SAMPLES",
      `samples S must be an integer ≥ ${min} (a mean, standard deviation and standard error need at least two networks), got ${samples}.`,
      { samples },
    );
  }
  return samples;
}

/** The plan of a job on an engine: one set of buffers for every network of the job. */
export function jobPasses(engine: WasmEngine, job: SampleJob): NetworkPasses {
  const shape: NetworkShape = resolveShape({ depth: job.depth, width: job.hidden, params: job.params }, job.n0);
  return new NetworkPasses(engine, shape, job.m);
}

/** Network `index` of the job, computed whole. */
export async function computeSample(engine: WasmEngine, passes: NetworkPasses, job: SampleJob, index: number): Promise<RawSample> {
  const source = { seed: sampleSeed(engine, job.baseSeed, index) };
  await passes.forward(job.coords, job.m, source);
  return (await passes.backward(source, true))!;
}

/** Runs every network in this thread on a private engine, yielding now and then for progress and cancellation. */
const inThreadRunner: SampleRunner = async (job, indices, onSample, signal) => {
  const engine = await loadPrivateWasmEngine(job.variant);
  const passes = jobPasses(engine, job);
  const ticker = new ProgressTicker({ signal }, indices.length, 1);
  for (const [k, index] of indices.entries()) {
    onSample(index, await computeSample(engine, passes, job, index));
    const pause = ticker.tick(k + 1);
    if (pause) await pause;
  }
};

/** Mean, std, stderr of values in order (two passes: mean first, then squared deviations). */
function moments(values: readonly number[]): { mean: number; std: number; stderr: number } {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  const std = Math.sqrt(sq / (n - 1));
  return { mean, std, stderr: std / Math.sqrt(n) };
}

function entry(i: number, j: number, values: readonly number[], infinite: number): EntryStatistics {
  const { mean, std, stderr } = moments(values);
  return { i, j, mean, std, stderr, infinite, zScore: stderr > 0 ? (mean - infinite) / stderr : null };
}

/**
 * The jackknife estimate's standard error of g(mean of a per-network vector), with the
 * leave-one-out means computed from the totals (seed order, so reproducible).
 */
function jackknife(perSample: readonly number[][], g: (means: number[]) => number): RatioEstimate {
  const S = perSample.length;
  const k = perSample[0].length;
  const totals = new Array<number>(k).fill(0);
  for (const row of perSample) for (let c = 0; c < k; c++) totals[c] += row[c];
  const value = g(totals.map((t) => t / S));
  const loo = perSample.map((row) => g(totals.map((t, c) => (t - row[c]) / (S - 1))));
  const mean = loo.reduce((a, b) => a + b, 0) / S;
  const variance = ((S - 1) / S) * loo.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { value, stderr: Math.sqrt(variance), infinite: 1 };
}

function kernelStatistics(kernels: readonly Float64Array[], m: number, infiniteNormalized: Float64Array, infiniteDiag: number): KernelMonteCarlo {
  const alive = kernels.filter((k) => {
    for (let i = 0; i < m; i++) if (!(k[i * m + i] > 0)) return false;
    return true;
  });
  const entries: EntryStatistics[] = [];
  if (alive.length >= 2) {
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        const values = alive.map((k) => k[i * m + j] / Math.sqrt(k[i * m + i] * k[j * m + j]));
        entries.push(entry(i, j, values, infiniteNormalized[i * m + j]));
      }
    }
  }
  const scaled = kernels.map((k) => Array.from({ length: m }, (_, i) => k[i * m + i] / infiniteDiag));
  const diagScaled = Array.from({ length: m }, (_, i) =>
    entry(
      i,
      i,
      scaled.map((d) => d[i]),
      1,
    ),
  );
  // Per network: the point-averaged d and d², for the pooled estimates.
  const pooled = scaled.map((d) => [d.reduce((a, b) => a + b, 0) / m, d.reduce((a, b) => a + b * b, 0) / m]);
  const diagScaledMean = jackknife(pooled, ([d]) => d);
  const diagSecondMomentRatio = jackknife(pooled, ([d, d2]) => d2 / (d * d));
  const diagSecondMomentRatioPerPoint = Array.from({ length: m }, (_, i) => {
    const { mean } = moments(scaled.map((d) => d[i]));
    const second = scaled.reduce((a, d) => a + d[i] * d[i], 0) / scaled.length;
    return second / (mean * mean);
  });
  return {
    samplesUsed: alive.length,
    samplesDead: kernels.length - alive.length,
    entries,
    diagScaled,
    diagScaledMean,
    diagSecondMomentRatio,
    diagSecondMomentRatioPerPoint,
  };
}
