/**
 * Gradient-descent training of sampled finite networks against the two closed forms
 * (docs/FINITE_WIDTH.md): full-batch GD on ½ Σ (f(x_i) − y_i)² with learning rate η for T steps,
 * reporting at checkpoints the training loss, the test outputs, the relative change of the
 * empirical NTK ‖Θ_t − Θ_0‖_F / ‖Θ_0‖_F, the network's own linearization
 * f_0(x) + Θ_0(x, X) Θ_0⁻¹ (I − e^{−η Θ_0 t}) (Y − f_0(X)) and the infinite-width f_t of SPEC §6
 * (t = the step count, so η t is the flow time; both closed forms through predict's eigen path).
 * Over several networks, means and standard errors of the trained and linearized outputs.
 */
import { checkObject } from "../argumentTypes.js";
import { NtkError } from "../errors.js";
import { checkDataset, type Dataset } from "../data/dataset.js";
import { predict } from "../predict/fromData.js";
import { predictFromKernelsFloat64 } from "../predict/float64.js";
import { joinSpherePoints, sliceUnionChecked } from "../predict/union.js";
import { ProgressTicker, type ProgressOptions } from "../progress.js";
import { checkRawPoints, projectToSphereFloat64, type RawPoints } from "../sphere/float64.js";
import type { Projection } from "../types.js";
import type { ThreadOptions } from "../threads/pool.js";
import { loadPrivateWasmEngine, type WasmEngine, type WasmVariant } from "../wasm/engine.js";
import { resolveSeed, resolveShape, type FiniteNetworkOptions } from "./network.js";
import { NetworkPasses, networkPool, sampleSeed } from "./passes.js";

/** Most steps one run takes (a time limit, not a memory one). */
export const MAX_TRAINING_STEPS = 10_000_000;

/** Options of {@link trainNetworks}. */
export interface TrainOptions extends FiniteNetworkOptions, ProgressOptions, ThreadOptions {
  /** Training points with one target each. */
  readonly train: Dataset;
  /** Test points (targets ignored), same raw dimension. */
  readonly test: RawPoints;
  /** How raw points reach the sphere (SPEC §7). Default "normalize". */
  readonly projection?: Projection;
  /** T, the number of gradient-descent steps (integer ≥ 1). */
  readonly steps: number;
  /** η > 0. */
  readonly learningRate: number;
  /** Steps at which to report (each 0 … T); default 0, T and nine evenly spaced between. */
  readonly at?: readonly number[];
  /** S, the number of networks (integer ≥ 1, default 1), seeded as Monte Carlo networks are from `seed`. */
  readonly samples?: number;
  readonly variant?: WasmVariant;
}

/** One checkpoint; per-test-point arrays have one entry per test point. */
export interface TrainCheckpoint {
  /** Steps taken; the SPEC §6 time t (flow time η t). */
  readonly step: number;
  /** ½ Σ (f(x_i) − y_i)², mean over the networks. */
  readonly trainLoss: number;
  /**
   * ‖Θ_t − Θ_0‖_F / ‖Θ_0‖_F on the training points, mean over the networks for which it is defined;
   * null when Θ_0 = 0 for every network (each dead on every training point, possible at small width).
   */
  readonly kernelChange: number | null;
  /** Test outputs of the trained networks: mean over networks, and its standard error (null for one network). */
  readonly trained: Float64Array;
  readonly trainedStderr: Float64Array | null;
  /** The networks' own linearizations at this time, mean over networks. */
  readonly linearized: Float64Array;
  /** |trained − linearized| averaged over the networks, per test point. */
  readonly linearizationGap: Float64Array;
  /** SPEC §6's f_t with the infinite-width NTK Θ^(L) (raw), from a zero-mean network. */
  readonly infiniteWidth: Float64Array;
}

/** What {@link trainNetworks} returns. */
export interface TrainResult {
  readonly depth: number;
  /** n_0 … n_L. */
  readonly widths: readonly number[];
  readonly samples: number;
  readonly steps: number;
  readonly learningRate: number;
  readonly checkpoints: readonly TrainCheckpoint[];
  /** Largest eigenvalue of the infinite-width Θ^(L)(X, X): gradient descent is stable for η < 2/λ_max (about). */
  readonly infiniteLambdaMax: number;
}

/**
 * Trains S networks and reports the checkpoints (see the module comment).
 *
 * Errors: BAD_OPTION (η not a positive finite number, T not an integer 1 … 10^7, a checkpoint
 * outside 0 … T, more than one target per point), BAD_SAMPLES (S not an integer ≥ 1), EMPTY_DATA
 * (training points without targets), DIMENSION_MISMATCH (train and test dimensions differ), the
 * network errors (BAD_DEPTH, BAD_WIDTH, WASM_MEMORY_EXHAUSTED with the largest width that fits when
 * the weights are stored), DIVERGED when the loss or a test output stops being finite (details: `step`, and
 * `checkpoints`, the ones reached, averaged over the networks done), ABORTED.
 */
export async function trainNetworks(o: TrainOptions): Promise<TrainResult> {
  checkObject(o, "trainNetworks's options");
  const { train, test } = o;
  checkDataset(train);
  checkRawPoints(test);
  if (train.targets === null || train.k < 1) {
    throw new NtkError("EMPTY_DATA", `${train.source} has no targets (labels): training needs one target value per point.`, { source: train.source });
  }
  if (train.k !== 1)
    throw new NtkError("BAD_OPTION", `the networks have one output, so training needs one target per point; ${train.source} has ${train.k}.`, { k: train.k });
  if (train.n0 !== test.n0) {
    throw new NtkError(
      "DIMENSION_MISMATCH",
      `${test.source ?? "test points"} have dimension ${test.n0} but ${train.source} has ${train.n0}; both sets must have the same coordinates.`,
      { train: train.n0, test: test.n0 },
    );
  }
  const eta = o.learningRate;
  if (typeof eta !== "number" || !(eta > 0) || !Number.isFinite(eta)) {
    throw new NtkError("BAD_OPTION", `learning rate η must be a positive finite number, got ${String(eta)}.`, { learningRate: String(eta) });
  }
  const T = o.steps;
  if (!Number.isInteger(T) || T < 1 || T > MAX_TRAINING_STEPS) {
    throw new NtkError("BAD_OPTION", `steps T must be an integer from 1 to ${MAX_TRAINING_STEPS}, got ${T}.`, { steps: T });
  }
  const S = o.samples ?? 1;
  if (!Number.isInteger(S) || S < 1) throw new NtkError("BAD_SAMPLES", `samples S must be an integer ≥ 1, got ${S}.`, { samples: S });
  const at = checkpointSteps(o.at, T);
  const projection = o.projection ?? "normalize";
  const X = projectToSphereFloat64(train, projection);
  const x = projectToSphereFloat64(test, projection);
  const union = joinSpherePoints(X, x);
  const [m, t] = [X.m, x.m];
  const shape = resolveShape(o, X.n0);
  const base = resolveSeed(o.seed);
  const Y = train.targets;

  // Infinite width: f_t of predict (raw Θ^(L), eigen path) at every checkpoint time.
  const infinite: Float64Array[] = [];
  let infiniteLambdaMax = 0;
  for (const step of at) {
    const p = await predict({ train, test, projection, depth: shape.depth, kernel: "ntk", params: o.params, learningRate: eta, time: step });
    infinite.push(p.float64!.predictions);
    const ev = p.float64!.eigenvalues;
    if (ev) infiniteLambdaMax = ev[ev.length - 1] * 2 ** p.float64!.log2Scale;
  }

  // Threads share each step's matrix products (the same bits for any number of them).
  const lease = await networkPool(shape, o.threads, o.variant ?? "auto");
  try {
    return await trainOnEngine(lease?.pool.engine ?? (await loadPrivateWasmEngine(o.variant)));
  } finally {
    lease?.release();
  }

  async function trainOnEngine(engine: WasmEngine): Promise<TrainResult> {
    const ticker = new ProgressTicker(o, S * T, 1);
    /** Per network, per checkpoint reached: loss, kernel change, trained, linearized outputs. */
    const done: NetworkRecord[][] = [];
    const average = (records: readonly NetworkRecord[][]): TrainCheckpoint[] => {
      const n = records.length;
      return records[0].map((_, c) => {
        const at_c = records.map((r) => r[c]);
        const mean = (f: (r: NetworkRecord) => number) => at_c.reduce((a, r) => a + f(r), 0) / n;
        const perPoint = (f: (r: NetworkRecord, i: number) => number) => Float64Array.from({ length: t }, (_, i) => mean((r) => f(r, i)));
        return {
          step: at[c],
          trainLoss: mean((r) => r.loss),
          kernelChange: definedMean(at_c.map((r) => r.change)),
          ...outputStatistics(
            at_c.map((r) => r.trained),
            t,
          ),
          linearized: perPoint((r, i) => r.linearized[i]),
          linearizationGap: perPoint((r, i) => Math.abs(r.trained[i] - r.linearized[i])),
          infiniteWidth: infinite[c],
        };
      });
    };

    for (let s = 0; s < S; s++) {
      const seed = sampleSeed(engine, base, s);
      const passes = new NetworkPasses(engine, shape, m + t, seed, lease?.pool);
      await passes.sampleStored(seed);
      // Θ_0 and f_0 on the union of training and test points (training first).
      const f0 = await passes.forward(union.coords, m + t, "stored");
      const theta0 = (await passes.backward("stored", true))!;
      const { train: K0, test: K0x } = sliceUnionChecked(theta0.ntk, m, t);
      const norm0 = Math.sqrt(K0.reduce((a, v) => a + v * v, 0));
      const residual0 = Float64Array.from({ length: m }, (_, i) => Y[i] - f0[i]);
      const records: NetworkRecord[] = [];
      for (let step = 0; step <= T; step++) {
        const checkpoint = at[records.length] === step;
        const testOut = checkpoint ? await passes.forward(x.coords, t, "stored") : undefined;
        const f = await passes.forward(X.coords, m, "stored");
        const r = Float64Array.from(f, (v, i) => v - Y[i]);
        const loss = 0.5 * r.reduce((a, v) => a + v * v, 0);
        // Weights that overflowed can leave the training outputs finite (units they feed are inactive there) and still reach a test output.
        const badTest = testOut?.find((v) => !Number.isFinite(v));
        if (!Number.isFinite(loss) || badTest !== undefined) {
          throw new NtkError(
            "DIVERGED",
            `Gradient descent diverged at step ${step} of network ${s + 1}: ${Number.isFinite(loss) ? `a test output is ${badTest}` : `the training loss is ${loss}`}. Use a smaller learning rate η (now ${eta}; ` +
              `the infinite-width NTK's largest eigenvalue on the training points is ${infiniteLambdaMax.toPrecision(3)}, so η below about ${(2 / infiniteLambdaMax).toPrecision(3)} is stable there).`,
            { step, sample: s, checkpoints: s === 0 ? (records.length > 0 ? average([records]) : []) : average(done), learningRate: eta },
          );
        }
        const kernels = await passes.backward("stored", checkpoint, step < T ? { residuals: r, learningRate: eta } : undefined);
        if (checkpoint) {
          let d2 = 0;
          for (let e = 0; e < m * m; e++) d2 += (kernels!.ntk[e] - K0[e]) ** 2;
          const lin = await predictFromKernelsFloat64({ trainKernel: K0, testKernel: K0x, targets: residual0, m, learningRate: eta, time: step });
          records.push({ loss, change: norm0 > 0 ? Math.sqrt(d2) / norm0 : null, trained: testOut!, linearized: lin.predictions.map((v, i) => f0[m + i] + v) });
        }
        const pause = ticker.tick(s * T + step);
        if (pause) await pause;
      }
      done.push(records);
    }
    ticker.finish();
    return { depth: shape.depth, widths: shape.widths, samples: S, steps: T, learningRate: eta, checkpoints: average(done), infiniteLambdaMax };
  }
}

/** One network at one checkpoint. */
interface NetworkRecord {
  readonly loss: number;
  readonly change: number | null;
  readonly trained: Float64Array;
  readonly linearized: Float64Array;
}
/** Mean of the values that are not null; null when all are. */
function definedMean(values: readonly (number | null)[]): number | null {
  const defined = values.filter((v): v is number => v !== null);
  return defined.length > 0 ? defined.reduce((a, b) => a + b, 0) / defined.length : null;
}

/** Mean of the per-network test outputs and its standard error (two passes; null for one network). */
function outputStatistics(outputs: readonly Float64Array[], t: number): { trained: Float64Array; trainedStderr: Float64Array | null } {
  const n = outputs.length;
  const trained = new Float64Array(t);
  for (const o of outputs) for (let i = 0; i < t; i++) trained[i] += o[i] / n;
  if (n < 2) return { trained, trainedStderr: null };
  const trainedStderr = new Float64Array(t);
  for (const o of outputs) for (let i = 0; i < t; i++) trainedStderr[i] += (o[i] - trained[i]) ** 2;
  return { trained, trainedStderr: trainedStderr.map((v) => Math.sqrt(v / (n - 1) / n)) };
}

/** The checkpoint steps: given ones validated (integers 0 … T), sorted, deduplicated; default 0, T and nine between. */
function checkpointSteps(at: readonly number[] | undefined, T: number): number[] {
  if (at === undefined || at.length === 0) return [...new Set(Array.from({ length: 11 }, (_, k) => Math.round((T * k) / 10)))];
  for (const step of at) {
    if (!Number.isInteger(step) || step < 0 || step > T) {
      throw new NtkError("BAD_OPTION", `checkpoint steps must be integers from 0 to T = ${T}, got ${step}.`, { step, steps: T });
    }
  }
  return [...new Set(at)].sort((a, b) => a - b);
}
