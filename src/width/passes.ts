/**
 * The forward and backward passes of a finite network over a batch of inputs, in WebAssembly
 * (assembly/normal.ts, gemm.ts, network.ts), and what they give: outputs f(x), the empirical NTK
 * Θ_n and NNGP Σ_n by the layer factorization, and gradient-descent steps (docs/FINITE_WIDTH.md).
 *
 * Layout: activations a_l of the batch as n_l × m matrices (column c = input c), kept for every
 * layer (the backward pass needs them); back-propagated δ_l only for the current layer.
 * Weights are either regenerated from the seed whenever a layer needs them (memory O(max n_l n_{l−1})
 * for the weights, plus the last layers of the forward pass kept for the backward pass within
 * WEIGHT_CACHE_BYTES) or stored (for training, O(Σ n_l n_{l−1})). Regenerated weights are written
 * twice as they are drawn: W row-major for the forward product, and Wᵀ in 4-row panels
 * (assembly/network.ts normalFillPanels), which are what the backward pass keeps and multiplies by
 * (gemmPanels): read in place, Wᵀ's strips lie a row of W apart and the product would copy each
 * one out of memory first. Stored weights change with every training step and are multiplied in
 * place (gemm with A = Wᵀ read through strides).
 *
 * Threads: the Gaussian generation and the matrix products are cut into tasks of fixed size (rows
 * of the product, stretches of a stream) that a ThreadPool runs on the shared-memory build, or
 * this thread runs one after another; every task computes its entries exactly as one whole call
 * would (docs/FINITE_WIDTH.md), so the bits do not depend on the number of threads.
 * Cost of a pass: 2 n_l n_{l−1} m flops a layer in the matrix products, plus the generation of
 * n_l n_{l−1} Gaussians (forward, and again backward when regenerated), plus 4 n_l m² for the
 * kernels.
 */
import { NtkError } from "../errors.js";
import { acquirePool, resolveThreads, type Task, type ThreadPool } from "../threads/pool.js";
import { MAX_WASM_BYTES, type WasmEngine, type WasmVariant } from "../wasm/engine.js";
import type { NetworkShape } from "./network.js";

/** The module's exports that a network's passes call (assembly/normal.ts, gemm.ts, network.ts): plain numbers in and out, pointers are byte offsets. */
export interface NetworkExports {
  normalFill(dst: number, count: number, seedHi: number, seedLo: number, stream: number, first: number): void;
  splitMix64(seed: bigint, k: bigint): bigint;
  gemm(c: number, a: number, b: number, r: number, k: number, n: number, rsA: number, csA: number, alpha: number, beta: number): void;
  gemmPanels(c: number, a: number, b: number, r: number, k: number, n: number, alpha: number, beta: number): void;
  normalFillPanels(
    w: number,
    panels: number,
    n: number,
    m: number,
    p0: number,
    p1: number,
    seedHi: number,
    seedLo: number,
    stream: number,
    keepRows: number,
  ): void;
  addBias(x: number, bias: number, sigmaB: number, n: number, m: number, relu: number): void;
  reluMask(d: number, a: number, count: number): void;
  columnGram(g: number, x: number, n: number, m: number, alpha: number): void;
  ntkLayerTerm(theta: number, gd: number, ga: number, mm: number, cw: number, cb: number): void;
  scaleColumns(dst: number, src: number, r: number, n: number, m: number, alpha: number): void;
  transpose(dst: number, src: number, n: number, m: number): void;
  addRowSums(b: number, d: number, n: number, m: number, alpha: number): void;
}

/** Bytes of regenerated weights kept from the forward pass for the backward pass (the last layers, as many as fit). */
export const WEIGHT_CACHE_BYTES = 128 * 2 ** 20;
/** Rows of a product's result per task (a multiple of the kernel's 4-row tile). */
const PRODUCT_TASK_ROWS = 64;
/** Gaussians per generation task (even: values come in pairs). */
const FILL_TASK_VALUES = 1 << 16;
/** Fewer weights than this in all, and a pool would cost more than it saves: the passes stay on the calling thread. */
export const PARALLEL_MIN_WEIGHTS = 1 << 18;

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

/** The seed's 32-bit halves [high, low], as normalFill takes them. */
function seedHalves(seed: bigint): [number, number] {
  const s = BigInt.asUintN(64, seed);
  return [Number(s >> 32n), Number(s & 0xffffffffn)];
}

/**
 * A pool of worker threads for one network's passes, or null to run them on the calling thread:
 * null when one thread is asked for (or shared memory is missing, see resolveThreads) and when
 * the network has fewer than PARALLEL_MIN_WEIGHTS weights. The caller releases it when done.
 */
export async function networkPool(
  shape: NetworkShape,
  threads: number | undefined,
  variant: WasmVariant,
): Promise<{ pool: ThreadPool; release: () => void } | null> {
  const n = await resolveThreads(threads);
  let weights = 0;
  for (let l = 1; l <= shape.depth; l++) weights += shape.widths[l] * shape.widths[l - 1];
  return n > 1 && weights >= PARALLEL_MIN_WEIGHTS ? acquirePool(n, variant) : null;
}

/** Float64 values of the largest layer's W (row-major) and of its Wᵀ in panels (4 rows each, the last one padded). */
function weightValues(shape: NetworkShape): { rowMajor: number; panels: number } {
  const w = shape.widths;
  let rowMajor = 0;
  let panels = 0;
  for (let l = 1; l <= shape.depth; l++) {
    rowMajor = Math.max(rowMajor, w[l] * w[l - 1]);
    panels = Math.max(panels, w[l] * 4 * Math.ceil(w[l - 1] / 4));
  }
  return { rowMajor, panels };
}

/** Float64 values the plan's buffers take (see {@link NetworkPasses}); when regenerated, one row-major weight buffer and `cachedLayers` of panels. */
export function planValues(shape: NetworkShape, capacity: number, stored: boolean, cachedLayers = 1): number {
  const w = shape.widths;
  const L = shape.depth;
  let maxWidth = 0;
  let activations = 0;
  let storedValues = 0;
  for (let l = 1; l <= L; l++) {
    maxWidth = Math.max(maxWidth, w[l], w[l - 1]);
    activations += w[l - 1] * capacity;
    storedValues += w[l] * w[l - 1] + w[l];
  }
  const perBatch = activations + capacity + 4 * maxWidth * capacity + 5 * capacity * capacity + capacity;
  if (stored) return perBatch + storedValues;
  const weights = weightValues(shape);
  return perBatch + weights.rowMajor + cachedLayers * weights.panels + maxWidth;
}

/** How many layers' regenerated weights a plan keeps: as many as WEIGHT_CACHE_BYTES holds (at least 1, at most L), fewer when memory is short. */
function cacheLayers(shape: NetworkShape, capacity: number, cacheBytes: number): number {
  let k = Math.max(1, Math.min(shape.depth, Math.floor(cacheBytes / (8 * weightValues(shape).panels))));
  while (k > 1 && 8 * planValues(shape, capacity, false, k) > MAX_WASM_BYTES - (16 << 20)) k = Math.max(1, k >> 1);
  return k;
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
  /** Every layer's stored weights, or the one row-major buffer that regenerated weights are drawn to. */
  private readonly weights: number[];
  /** Regenerated weights: Wᵀ in panels (gemmPanels), layer l in buffer l mod cached; none when stored. */
  private readonly panels: number[];
  private readonly biases: number[];
  /** Number of inputs of the last forward pass. */
  private count = 0;
  private readonly storedWeights: boolean;
  /** Regenerated weights: the number of panel buffers kept. */
  private readonly cached: number;
  /** The seed whose layers the weight buffers hold from the last forward pass (null: none). */
  private cachedSeed: bigint | null = null;
  private readonly pool: ThreadPool | null;

  /**
   * Reserves the buffers on `engine` (the pool's engine when `pool` is given: the pool then runs
   * the generation and the products). `storedSeed`: store every layer's weights (then call
   * {@link sampleStored}). `cacheBytes`: the bound on kept regenerated weights (a test lowers it).
   */
  constructor(engine: WasmEngine, shape: NetworkShape, capacity: number, storedSeed?: bigint, pool?: ThreadPool, cacheBytes = WEIGHT_CACHE_BYTES) {
    this.engine = engine;
    this.shape = shape;
    this.capacity = capacity;
    this.pool = pool ?? null;
    this.storedWeights = storedSeed !== undefined;
    checkPlanFits(shape, capacity, this.storedWeights);
    this.cached = this.storedWeights ? 1 : cacheLayers(shape, capacity, cacheBytes);
    this.ex = engine.exports as unknown as NetworkExports;
    const w = shape.widths;
    const L = shape.depth;
    const maxWidth = Math.max(...w);
    const layers = Array.from({ length: L }, (_, i) => i + 1);
    const sizes = weightValues(shape);
    const weightLengths = this.storedWeights ? layers.map((l) => w[l] * w[l - 1]) : [sizes.rowMajor, ...Array<number>(this.cached).fill(sizes.panels)];
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
    const weightBuffers = ptr.slice(L + 10, L + 10 + weightLengths.length);
    this.weights = this.storedWeights ? weightBuffers : weightBuffers.slice(0, 1);
    this.panels = this.storedWeights ? [] : weightBuffers.slice(1);
    this.biases = ptr.slice(L + 10 + weightLengths.length);
    if (storedSeed === undefined) engine.f64(this.biases[0], maxWidth).fill(0);
    else for (const l of layers) if (shape.params.sigmaB64 === 0) engine.f64(this.biases[l - 1], w[l]).fill(0);
  }

  /** Samples the stored weights and biases from `seed` (a plan made with a stored seed does this once, before its first pass). */
  async sampleStored(seed: bigint): Promise<void> {
    const w = this.shape.widths;
    const tasks: Task[] = [];
    for (let l = 1; l <= this.shape.depth; l++) {
      tasks.push(...fillTasks(this.weights[l - 1], w[l] * w[l - 1], seed, weightStream(l)));
      if (this.shape.params.sigmaB64 !== 0) tasks.push(...fillTasks(this.biases[l - 1], w[l], seed, weightStream(l) + 1));
    }
    await this.run("normalFill", tasks);
  }

  /** Runs the tasks of one exported kernel: on the pool, or here one after another (the same calls either way). */
  private async run(fn: string, tasks: readonly Task[]): Promise<void> {
    if (this.pool) return this.pool.run(fn, tasks);
    const f = (this.ex as unknown as Record<string, (...args: number[]) => void>)[fn];
    for (const t of tasks) f(...t);
  }

  /** C = α·A·B + β·C as gemm, cut into tasks of PRODUCT_TASK_ROWS rows of C. */
  private product(c: number, a: number, b: number, r: number, k: number, n: number, rsA: number, csA: number, alpha: number, beta: number): Promise<void> {
    return this.byRowsOfC("gemm", r, (i, rows) => [c + 8 * i * n, a + 8 * i * rsA, b, rows, k, n, rsA, csA, alpha, beta]);
  }

  /** C = α·A·B for A (r × k) in panels (gemmPanels), cut likewise (whole panels: row i of A starts 8·i·k bytes in). */
  private panelProduct(c: number, a: number, b: number, r: number, k: number, n: number, alpha: number): Promise<void> {
    return this.byRowsOfC("gemmPanels", r, (i, rows) => [c + 8 * i * n, a + 8 * i * k, b, rows, k, n, alpha, 0]);
  }

  /** Runs `fn` over the r rows of a product's C in tasks of PRODUCT_TASK_ROWS rows, `task(i, rows)` giving the arguments for rows i … i + rows − 1. */
  private byRowsOfC(fn: string, r: number, task: (i: number, rows: number) => Task): Promise<void> {
    const tasks: Task[] = [];
    for (let i = 0; i < r; i += PRODUCT_TASK_ROWS) tasks.push(task(i, Math.min(PRODUCT_TASK_ROWS, r - i)));
    return this.run(fn, tasks);
  }

  /**
   * Forward pass on `count` inputs, row-major count × n0 unit rows: stores every a_l and the
   * outputs f(x) = z_L. Returns the outputs (a copy).
   */
  async forward(inputs: Float64Array, count: number, source: WeightSource): Promise<Float64Array> {
    const { widths: w, depth: L, params } = this.shape;
    if (count < 1 || count > this.capacity) throw new RangeError(`batch of ${count} inputs for a plan of ${this.capacity}`);
    this.count = count;
    const x = this.engine.f64(this.acts[0], w[0] * count);
    const n0 = w[0];
    for (let c = 0; c < count; c++) for (let j = 0; j < n0; j++) x[j * count + c] = inputs[c * n0 + j];
    this.cachedSeed = null;
    for (let l = 1; l <= L; l++) {
      const weights = await this.layerWeights(l, source, true);
      const target = l < L ? this.acts[l] : this.out;
      await this.product(target, weights.w, this.acts[l - 1], w[l], w[l - 1], count, w[l - 1], 1, params.sigmaW64 / Math.sqrt(w[l - 1]), 0);
      if (params.sigmaB64 !== 0 || l < L) this.ex.addBias(target, weights.bias, params.sigmaB64, w[l], count, l < L ? 1 : 0);
    }
    if (source !== "stored") this.cachedSeed = source.seed;
    return this.engine.f64(this.out, count).slice();
  }

  /**
   * Backward pass after {@link forward} with the same source: back-propagates δ_l = ∂f/∂z_l and
   * accumulates Θ_n = Σ_l (δ_l·δ_l′)(σw²/n_{l−1} a_{l−1}·a′_{l−1} + σb²) and Σ_n = σw²/n_{L−1}
   * a_{L−1}·a′_{L−1} + σb² (count × count each). With `step`, also takes one gradient-descent step
   * on ½ Σ (f − y)² with learning rate η on the stored weights (residuals r = f − y per input),
   * each layer's step using the pre-step weights, as the gradient requires.
   */
  async backward(
    source: WeightSource,
    kernels: boolean,
    step?: { residuals: Float64Array; learningRate: number },
  ): Promise<{ ntk: Float64Array; sigma: Float64Array } | null> {
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
      const weights = l > 1 || step ? await this.layerWeights(l, source, false) : null;
      if (weights && l > 1) {
        if (weights.panels !== 0) await this.panelProduct(next, weights.panels, d, w[l - 1], w[l], count, scale);
        else await this.product(next, weights.w, d, w[l - 1], w[l], count, 1, w[l - 1], scale, 0);
        this.ex.reluMask(next, this.acts[l - 1], w[l - 1] * count);
      }
      if (weights && step) {
        this.ex.scaleColumns(this.scaled, d, this.residual, w[l], count, -step.learningRate);
        this.ex.transpose(this.transposed, this.acts[l - 1], w[l - 1], count);
        await this.product(weights.w, this.scaled, this.transposed, w[l], count, w[l - 1], count, 1, scale, 1);
        if (params.sigmaB64 !== 0) this.ex.addRowSums(weights.bias, this.scaled, w[l], count, params.sigmaB64);
      }
      [d, next] = [next, d];
    }
    if (!kernels) return null;
    return { ntk: this.engine.f64(this.theta, mm).slice(), sigma: this.engine.f64(this.sigma, mm).slice() };
  }

  /**
   * Layer l's weights and biases. Stored: W row-major (`panels` 0). Regenerated: drawn again to the
   * row-major buffer and to panel buffer l mod cached (biases only when σb ≠ 0 and `withBias`),
   * unless the backward pass finds the panels there from the forward pass of the same seed (the
   * last `cached` layers); `w` is then W for the forward product and `panels` Wᵀ for the backward.
   */
  private async layerWeights(l: number, source: WeightSource, withBias: boolean): Promise<{ w: number; panels: number; bias: number }> {
    const w = this.shape.widths;
    if (source === "stored") {
      if (!this.storedWeights) throw new Error("this plan stores no weights");
      return { w: this.weights[l - 1], panels: 0, bias: this.biases[l - 1] };
    }
    const panels = this.panels[l % this.cached];
    if (withBias || this.cachedSeed !== source.seed || l <= this.shape.depth - this.cached) {
      // From here down the backward pass regenerates every layer, over the buffers of the kept ones.
      if (!withBias) this.cachedSeed = null;
      await this.run("normalFillPanels", panelFillTasks(this.weights[0], panels, w[l], w[l - 1], source.seed, weightStream(l), withBias));
      if (withBias && this.shape.params.sigmaB64 !== 0) await this.run("normalFill", fillTasks(this.biases[0], w[l], source.seed, weightStream(l) + 1));
    }
    return { w: this.weights[0], panels, bias: this.biases[0] };
  }
}

/** normalFill tasks writing values 0 … count − 1 of a stream to dst, FILL_TASK_VALUES at a time. */
function fillTasks(dst: number, count: number, seed: bigint, stream: number): Task[] {
  const [hi, lo] = seedHalves(seed);
  const tasks: Task[] = [];
  for (let first = 0; first < count; first += FILL_TASK_VALUES) tasks.push([dst + 8 * first, Math.min(FILL_TASK_VALUES, count - first), hi, lo, stream, first]);
  return tasks;
}

/** normalFillPanels tasks drawing an n × m weight matrix in pieces of about FILL_TASK_VALUES (an even number of rows, so every piece starts at an even value); W row-major too when `keepRows` (the forward pass). */
function panelFillTasks(w: number, panels: number, n: number, m: number, seed: bigint, stream: number, keepRows: boolean): Task[] {
  const [hi, lo] = seedHalves(seed);
  const rows = Math.max(2, 2 * Math.floor(FILL_TASK_VALUES / (2 * m)));
  const tasks: Task[] = [];
  for (let p = 0; p < n; p += rows) tasks.push([w, panels, n, m, p, Math.min(n, p + rows), hi, lo, stream, keepRows ? 1 : 0]);
  return tasks;
}
