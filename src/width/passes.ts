/**
 * The forward and backward passes of a finite network over a batch of inputs, in WebAssembly
 * (assembly/normal.ts, gemm.ts, network.ts), and what they give: outputs f(x), the empirical NTK
 * Θ_n and NNGP Σ_n by the layer factorization, and gradient-descent steps (docs/FINITE_WIDTH.md).
 *
 * Layout: activations a_l of the batch as n_l × m matrices (column c = input c), kept for every
 * layer (the backward pass needs them); back-propagated δ_l only for the current layer.
 * Weights are either regenerated from the seed whenever a layer needs them (memory O(max n_l n_{l−1})
 * for the weights: one layer's matrix at a time) or stored (for training, O(Σ n_l n_{l−1})).
 * Cost of a pass: 2 n_l n_{l−1} m flops a layer in the matrix products, plus the generation of
 * n_l n_{l−1} Gaussians (forward, and again backward when regenerated), plus 4 n_l m² for the
 * kernels.
 */
import { NtkError } from "../errors.js";
import { MAX_WASM_BYTES, type WasmEngine } from "../wasm/engine.js";
import type { NetworkShape } from "./network.js";

interface NetworkExports {
  normalFill(dst: number, count: number, seed: bigint, stream: number): void;
  splitMix64(seed: bigint, k: bigint): bigint;
  gemm(c: number, a: number, b: number, r: number, k: number, n: number, rsA: number, csA: number, alpha: number, beta: number): void;
  addBias(x: number, bias: number, sigmaB: number, n: number, m: number, relu: number): void;
  reluMask(d: number, a: number, count: number): void;
  columnGram(g: number, x: number, n: number, m: number, alpha: number): void;
  ntkLayerTerm(theta: number, gd: number, ga: number, mm: number, cw: number, cb: number): void;
  scaleColumns(dst: number, src: number, r: number, n: number, m: number, alpha: number): void;
  transpose(dst: number, src: number, n: number, m: number): void;
  addRowSums(b: number, d: number, n: number, m: number, alpha: number): void;
}

/** Where a pass takes its weights: regenerated from a seed, or the plan's stored (trained) ones. */
export type WeightSource = { readonly seed: bigint } | "stored";

/** Gaussian stream of layer l's weights (l = 1 … L); its biases use the next stream. */
export function weightStream(layer: number): number {
  return 2 * (layer - 1);
}

/** The seed of network s (s = 0, 1, …) of a Monte Carlo run seeded with `base`: the (s + 1)-th output of SplitMix64(base). */
export function sampleSeed(engine: WasmEngine, base: bigint, s: number): bigint {
  return BigInt.asUintN(64, (engine.exports as unknown as NetworkExports).splitMix64(BigInt.asIntN(64, base), BigInt(s + 1)));
}

/** Float64 values the plan's buffers take (see {@link NetworkPasses}). */
export function planValues(shape: NetworkShape, capacity: number, stored: boolean): number {
  const w = shape.widths;
  const L = shape.depth;
  let maxProduct = 0;
  let maxWidth = 0;
  let activations = 0;
  let storedValues = 0;
  for (let l = 1; l <= L; l++) {
    maxProduct = Math.max(maxProduct, w[l] * w[l - 1]);
    maxWidth = Math.max(maxWidth, w[l], w[l - 1]);
    activations += w[l - 1] * capacity;
    storedValues += w[l] * w[l - 1] + w[l];
  }
  const perBatch = activations + capacity + 4 * maxWidth * capacity + 5 * capacity * capacity + capacity;
  return perBatch + (stored ? storedValues : maxProduct + maxWidth);
}

/**
 * Throws `WASM_MEMORY_EXHAUSTED` when the plan does not fit in WebAssembly memory, naming the
 * largest uniform hidden width that would (for this depth, batch and storage).
 */
export function checkPlanFits(shape: NetworkShape, capacity: number, stored: boolean): void {
  const bytes = 8 * planValues(shape, capacity, stored);
  // Leave room for the module's static data and the other buffers of the run.
  const budget = MAX_WASM_BYTES - (16 << 20);
  if (bytes <= budget) return;
  const withWidth = (n: number): NetworkShape => ({ ...shape, widths: shape.widths.map((x, i) => (i === 0 || i === shape.depth ? x : n)) });
  let lo = 0;
  let hi = Math.max(...shape.widths);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (8 * planValues(withWidth(mid), capacity, stored) <= budget) lo = mid;
    else hi = mid - 1;
  }
  const what = stored ? "stored for training" : "regenerated layer by layer";
  throw new NtkError(
    "WASM_MEMORY_EXHAUSTED",
    `This network (depth ${shape.depth}, widths up to ${Math.max(...shape.widths.slice(1, -1), 0)}, weights ${what}, ${capacity} inputs) needs ${(bytes / 2 ** 20).toFixed(0)} MiB of WebAssembly memory, more than the ${(budget / 2 ** 20).toFixed(0)} MiB available. ` +
      `The largest uniform width that fits at this depth and batch is ${lo}.`,
    { neededBytes: bytes, availableBytes: budget, largestWidth: lo },
  );
}

/**
 * Buffers for one network shape and a batch of up to `capacity` inputs on one engine, and the
 * passes over them. Reserving takes the engine's buffers (see WasmEngine.reserve): use a private
 * engine when other calls may run between passes.
 */
export class NetworkPasses {
  readonly shape: NetworkShape;
  readonly capacity: number;
  private readonly ex: NetworkExports;
  private readonly engine: WasmEngine;
  /** acts[l]: a_l (l = 0 … L−1), n_l × capacity. */
  private readonly acts: number[];
  private readonly out: number;
  private readonly dCur: number;
  private readonly dNext: number;
  private readonly scaled: number;
  private readonly transposed: number;
  private readonly gd: number;
  private readonly ga: number;
  private readonly theta: number;
  private readonly sigma: number;
  private readonly residual: number;
  /** One layer's generated weights and biases, or every layer's stored ones. */
  private readonly weights: number[];
  private readonly biases: number[];
  /** Number of inputs of the last forward pass. */
  private count = 0;
  private readonly storedWeights: boolean;

  constructor(engine: WasmEngine, shape: NetworkShape, capacity: number, storedSeed?: bigint) {
    this.engine = engine;
    this.shape = shape;
    this.capacity = capacity;
    this.storedWeights = storedSeed !== undefined;
    checkPlanFits(shape, capacity, this.storedWeights);
    this.ex = engine.exports as unknown as NetworkExports;
    const w = shape.widths;
    const L = shape.depth;
    const maxWidth = Math.max(...w);
    const layers = Array.from({ length: L }, (_, i) => i + 1);
    const weightLengths = this.storedWeights ? layers.map((l) => w[l] * w[l - 1]) : [Math.max(...layers.map((l) => w[l] * w[l - 1]))];
    const biasLengths = this.storedWeights ? layers.map((l) => w[l]) : [maxWidth];
    const mm = capacity * capacity;
    const lengths = [
      ...layers.map((l) => w[l - 1] * capacity),
      capacity,
      maxWidth * capacity,
      maxWidth * capacity,
      maxWidth * capacity,
      maxWidth * capacity,
      mm,
      mm,
      mm,
      mm,
      capacity,
      ...weightLengths,
      ...biasLengths,
    ];
    const ptr = engine.reserve(lengths, `a network of depth ${L}`);
    this.acts = ptr.slice(0, L);
    [this.out, this.dCur, this.dNext, this.scaled, this.transposed, this.gd, this.ga, this.theta, this.sigma, this.residual] = ptr.slice(L, L + 10);
    this.weights = ptr.slice(L + 10, L + 10 + weightLengths.length);
    this.biases = ptr.slice(L + 10 + weightLengths.length);
    if (storedSeed !== undefined) {
      for (const l of layers) {
        this.ex.normalFill(this.weights[l - 1], w[l] * w[l - 1], BigInt.asIntN(64, storedSeed), weightStream(l));
        if (shape.params.sigmaB64 !== 0) this.ex.normalFill(this.biases[l - 1], w[l], BigInt.asIntN(64, storedSeed), weightStream(l) + 1);
        else engine.f64(this.biases[l - 1], w[l]).fill(0);
      }
    } else {
      engine.f64(this.biases[0], maxWidth).fill(0);
    }
  }

  /**
   * Forward pass on `count` inputs, row-major count × n0 unit rows: stores every a_l and the
   * outputs f(x) = z_L. Returns the outputs (a copy).
   */
  forward(inputs: Float64Array, count: number, source: WeightSource): Float64Array {
    const { widths: w, depth: L, params } = this.shape;
    if (count < 1 || count > this.capacity) throw new RangeError(`batch of ${count} inputs for a plan of ${this.capacity}`);
    this.count = count;
    const x = this.engine.f64(this.acts[0], w[0] * count);
    const n0 = w[0];
    for (let c = 0; c < count; c++) for (let j = 0; j < n0; j++) x[j * count + c] = inputs[c * n0 + j];
    for (let l = 1; l <= L; l++) {
      const [wp, bp] = this.layerWeights(l, source, true);
      const target = l < L ? this.acts[l] : this.out;
      this.ex.gemm(target, wp, this.acts[l - 1], w[l], w[l - 1], count, w[l - 1], 1, params.sigmaW64 / Math.sqrt(w[l - 1]), 0);
      if (params.sigmaB64 !== 0 || l < L) this.ex.addBias(target, bp, params.sigmaB64, w[l], count, l < L ? 1 : 0);
    }
    return this.engine.f64(this.out, count).slice();
  }

  /**
   * Backward pass after {@link forward} with the same source: back-propagates δ_l = ∂f/∂z_l and
   * accumulates Θ_n = Σ_l (δ_l·δ_l′)(σw²/n_{l−1} a_{l−1}·a′_{l−1} + σb²) and Σ_n = σw²/n_{L−1}
   * a_{L−1}·a′_{L−1} + σb² (count × count each). With `step`, also takes one gradient-descent step
   * on ½ Σ (f − y)² with learning rate η on the stored weights (residuals r = f − y per input),
   * each layer's step using the pre-step weights, as the gradient requires.
   */
  backward(
    source: WeightSource,
    kernels: boolean,
    step?: { residuals: Float64Array; learningRate: number },
  ): { ntk: Float64Array; sigma: Float64Array } | null {
    const { widths: w, depth: L, params } = this.shape;
    const count = this.count;
    const mm = count * count;
    const sigmaW2 = params.sigmaW64 * params.sigmaW64;
    const sigmaB2 = params.sigmaB64 * params.sigmaB64;
    if (step && source !== "stored") throw new Error("gradient steps need stored weights");
    if (step) this.engine.f64(this.residual, count).set(step.residuals);
    let d = this.dCur;
    let next = this.dNext;
    this.engine.f64(d, count).fill(1);
    if (kernels) this.engine.f64(this.theta, mm).fill(0);
    for (let l = L; l >= 1; l--) {
      const cw = sigmaW2 / w[l - 1];
      if (kernels) {
        this.ex.columnGram(this.gd, d, w[l], count, 1);
        this.ex.columnGram(this.ga, this.acts[l - 1], w[l - 1], count, 1);
        this.ex.ntkLayerTerm(this.theta, this.gd, this.ga, mm, cw, sigmaB2);
        if (l === L) {
          const s = this.engine.f64(this.sigma, mm);
          const ga = this.engine.f64(this.ga, mm);
          for (let e = 0; e < mm; e++) s[e] = cw * ga[e] + sigmaB2;
        }
      }
      const scale = params.sigmaW64 / Math.sqrt(w[l - 1]);
      const [wp, bp] = l > 1 || step ? this.layerWeights(l, source, false) : [0, 0];
      if (l > 1) {
        this.ex.gemm(next, wp, d, w[l - 1], w[l], count, 1, w[l - 1], scale, 0);
        this.ex.reluMask(next, this.acts[l - 1], w[l - 1] * count);
      }
      if (step) {
        this.ex.scaleColumns(this.scaled, d, this.residual, w[l], count, -step.learningRate);
        this.ex.transpose(this.transposed, this.acts[l - 1], w[l - 1], count);
        this.ex.gemm(wp, this.scaled, this.transposed, w[l], count, w[l - 1], count, 1, scale, 1);
        if (params.sigmaB64 !== 0) this.ex.addRowSums(bp, this.scaled, w[l], count, params.sigmaB64);
      }
      [d, next] = [next, d];
    }
    if (!kernels) return null;
    return { ntk: this.engine.f64(this.theta, mm).slice(), sigma: this.engine.f64(this.sigma, mm).slice() };
  }

  /** Pointers to layer l's weights and biases: regenerated (biases only when σb ≠ 0 and `withBias`) or stored. */
  private layerWeights(l: number, source: WeightSource, withBias: boolean): [number, number] {
    const w = this.shape.widths;
    if (source === "stored") {
      if (!this.storedWeights) throw new Error("this plan stores no weights");
      return [this.weights[l - 1], this.biases[l - 1]];
    }
    const seed = BigInt.asIntN(64, source.seed);
    this.ex.normalFill(this.weights[0], w[l] * w[l - 1], seed, weightStream(l));
    if (withBias && this.shape.params.sigmaB64 !== 0) this.ex.normalFill(this.biases[0], w[l], seed, weightStream(l) + 1);
    return [this.weights[0], this.biases[0]];
  }
}
