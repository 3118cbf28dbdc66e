/**
 * The empirical kernels of one sampled finite network on a set of points (docs/FINITE_WIDTH.md):
 * the empirical NTK Θ_n(x, x′) = Σ_p ∂f(x)/∂p · ∂f(x′)/∂p over every weight and bias, and the
 * empirical NNGP of the last hidden layer Σ_n(x, x′) = σw²/n_{L−1} a_{L−1}(x)·a_{L−1}(x′) + σb²
 * (the covariance of f given the first L − 1 layers), raw and normalized to unit diagonal as
 * SPEC §2 normalizes the infinite-width kernels, whose expectations they approach as the widths
 * grow (Jacot et al. 2018).
 */
import { checkObject } from "../argumentTypes.js";
import { NtkError } from "../errors.js";
import type { SpherePoints } from "../types.js";
import { checkSpherePoints } from "../sphere/float64.js";
import { loadWasmEngine, type WasmVariant } from "../wasm/engine.js";
import { resolveSeed, resolveShape, type FiniteNetworkOptions } from "./network.js";
import { NetworkPasses, networkPool } from "./passes.js";
import { type ThreadOptions } from "../threads/pool.js";

/** Options of {@link empiricalKernels}; `threads` share the generation and matrix products of the network (same bits for any number). */
export interface EmpiricalKernelOptions extends FiniteNetworkOptions, ThreadOptions {
  /** The inputs: m ≥ 1 unit rows (from `projectToSphereFloat64`). */
  readonly points: SpherePoints;
  /** WebAssembly build (default "auto"); every build but "fma" gives the same bits on every host (see {@link WasmVariant}). */
  readonly variant?: WasmVariant;
}

/** The kernels of one network; matrices are m × m, row-major, exactly symmetric. */
export interface EmpiricalKernels {
  readonly m: number;
  /** L. */
  readonly depth: number;
  /** n_0 … n_L (n_L = 1). */
  readonly widths: readonly number[];
  /** The seed of the network (SplitMix64 word). */
  readonly seed: bigint;
  /** f(x_i), the network's outputs. */
  readonly outputs: Float64Array;
  /** Θ_n(x_i, x_j), raw. */
  readonly ntk: Float64Array;
  /** Σ_n(x_i, x_j), raw. */
  readonly sigma: Float64Array;
  /** Θ̄_n = Θ_n / sqrt(Θ_n(x,x) Θ_n(x′,x′)), diagonal exactly 1; NaN in the rows of {@link EmpiricalKernels.ntkDead}. */
  readonly ntkNormalized: Float64Array;
  /** Σ̄_n likewise; NaN in the rows of {@link EmpiricalKernels.sigmaDead}. */
  readonly sigmaNormalized: Float64Array;
  /**
   * Inputs x_i with Θ_n(x_i, x_i) = 0: every unit of some layer is inactive for x_i (a dead network
   * for that input, frequent when depth is large against width and σb = 0), so Θ̄_n is undefined
   * in that row and column (and holds NaN there).
   */
  readonly ntkDead: readonly number[];
  /** Inputs with Σ_n(x_i, x_i) = 0 (the last hidden layer inactive and σb = 0). */
  readonly sigmaDead: readonly number[];
}

/**
 * Samples the network of `seed` and returns its outputs and empirical kernels on the points.
 *
 * Accuracy: each entry is a sum of L layer terms of inner products, all in float64 (relative error
 * about (L + max n_l) · 2⁻⁵³ of the sum of absolute terms); the weights are exact functions of the
 * seed (docs/FINITE_WIDTH.md), so the same seed gives the same bits on every host and build.
 * Errors: BAD_DEPTH, BAD_WIDTH, BAD_SIGMA_W / BAD_SIGMA_B, BAD_OPTION (seed), the point checks of
 * the Gram paths (EMPTY_DATA, OFF_SPHERE, …), WASM_MEMORY_EXHAUSTED (naming the largest width that
 * fits), NON_FINITE when the activations overflow (σw far above √2 at large depth).
 */
export async function empiricalKernels(o: EmpiricalKernelOptions): Promise<EmpiricalKernels> {
  checkObject(o, "empiricalKernels's options");
  checkSpherePoints(o.points, "a network's kernels");
  const shape = resolveShape(o, o.points.n0);
  const seed = resolveSeed(o.seed);
  const lease = await networkPool(shape, o.threads, o.variant ?? "auto");
  try {
    const passes = new NetworkPasses(lease?.pool.engine ?? (await loadWasmEngine(o.variant)), shape, o.points.m, undefined, lease?.pool);
    const source = { seed };
    const outputs = await passes.forward(o.points.coords, o.points.m, source);
    const { ntk, sigma } = (await passes.backward(source, true))!;
    return { m: o.points.m, depth: shape.depth, widths: shape.widths, seed, outputs, ...normalizedKernels(ntk, sigma, o.points.m) };
  } finally {
    lease?.release();
  }
}

/** Θ̄_n, Σ̄_n from the raw kernels, with the inputs whose diagonal is 0; NON_FINITE for a non-finite entry. */
export function normalizedKernels(ntk: Float64Array, sigma: Float64Array, m: number) {
  const [ntkNormalized, ntkDead] = normalize(ntk, m);
  const [sigmaNormalized, sigmaDead] = normalize(sigma, m);
  return { ntk, sigma, ntkNormalized, sigmaNormalized, ntkDead, sigmaDead };
}

function normalize(k: Float64Array, m: number): [Float64Array, number[]] {
  for (const x of k) {
    if (!Number.isFinite(x)) {
      throw new NtkError(
        "NON_FINITE",
        "The network's activations over- or underflowed float64 (an empirical kernel entry is not finite): use σw nearer √2 or a smaller depth.",
        {},
      );
    }
  }
  const out = new Float64Array(m * m);
  const dead: number[] = [];
  for (let i = 0; i < m; i++) if (!(k[i * m + i] > 0)) dead.push(i);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const di = k[i * m + i];
      const dj = k[j * m + j];
      out[i * m + j] = !(di > 0 && dj > 0) ? NaN : i === j ? 1 : k[i * m + j] / Math.sqrt(di * dj);
    }
  }
  return [out, dead];
}
