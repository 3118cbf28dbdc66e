/**
 * A finite, fully connected ReLU network in the NTK parametrization of SPEC §1, sampled from a
 * seed: its shape (depth L, hidden widths n_1 … n_{L−1}, scalar output n_L = 1), σw, σb, and
 * the seed that fixes every weight and bias (docs/FINITE_WIDTH.md). Validation lives here, so
 * every finite-width path rejects the same bad input with the same code.
 */
import { NtkError } from "../errors.js";
import { checkFloat64Params, resolveDepth, resolveParams, type DepthInput, type ResolvedParams } from "../params.js";
import type { NetworkParams } from "../types.js";

/** Deepest finite network accepted: activations shrink by about 2^{−1/2} a layer when σw = 1, so far deeper ones underflow. */
export const MAX_FINITE_DEPTH = 1000;
/** Largest seed: seeds are 64-bit words; numbers must be safe integers, larger seeds are given as bigint. */
export const MAX_SEED = (1n << 64n) - 1n;

/** How to sample one finite network (SPEC §1 with finite widths). */
export interface FiniteNetworkOptions {
  /** L, the number of weight layers (1 ≤ L ≤ 1000: a safe integer, a bigint or decimal integer text); L − 1 hidden ReLU layers. */
  readonly depth: DepthInput;
  /** Hidden widths: one integer n ≥ 1 for every hidden layer, or the list n_1 … n_{L−1}. */
  readonly width: number | readonly number[];
  /** σw, σb (default 1, 0: the paper's case). */
  readonly params?: NetworkParams;
  /** Seed of the weights (integer 0 … 2^64 − 1; default 0). The same seed gives the same network, bit for bit, on every host. */
  readonly seed?: number | bigint;
}

/** A validated network shape. */
export interface NetworkShape {
  /** L. */
  readonly depth: number;
  /** n_0 … n_L: input dimension, hidden widths, and n_L = 1. */
  readonly widths: readonly number[];
  readonly params: ResolvedParams;
}

/**
 * Validates depth, widths and σw, σb for inputs of dimension n0. Throws `BAD_DEPTH` (L not an
 * integer in 1 … 1000), `BAD_WIDTH` (a width that is not an integer ≥ 1, or a list whose length
 * is not L − 1), `BAD_SIGMA_W` / `BAD_SIGMA_B`.
 */
export function resolveShape(o: FiniteNetworkOptions, n0: number): NetworkShape {
  const depth = Number(resolveDepth(o.depth, "depth L of a finite network", BigInt(MAX_FINITE_DEPTH)));
  const hidden = typeof o.width === "number" ? Array.from({ length: depth - 1 }, () => o.width as number) : [...o.width];
  if (!Array.isArray(o.width) && typeof o.width !== "number") {
    throw new NtkError("BAD_WIDTH", `width must be an integer ≥ 1 or a list of L − 1 of them, got ${String(o.width)}.`, {});
  }
  if (hidden.length !== depth - 1) {
    throw new NtkError("BAD_WIDTH", `a network of depth L = ${depth} has ${depth - 1} hidden layers, but ${hidden.length} widths were given.`, {
      depth,
      widths: hidden.length,
    });
  }
  for (const [i, n] of hidden.entries()) checkWidth(n, hidden.length === 1 || typeof o.width === "number" ? "width" : `width of hidden layer ${i + 1}`);
  if (typeof o.width === "number" && depth === 1) checkWidth(o.width, "width");
  const params = resolveParams(o.params);
  checkFloat64Params(params);
  return { depth, widths: [n0, ...hidden, 1], params };
}

/** Throws `BAD_WIDTH` unless `n` is an integer ≥ 1 (and at most 2^24, beyond any memory). */
export function checkWidth(n: number, what = "width"): number {
  if (!Number.isInteger(n) || n < 1 || n > 2 ** 24) {
    throw new NtkError("BAD_WIDTH", `${what} must be an integer ≥ 1 (units in a hidden layer), got ${n}.`, { width: n });
  }
  return n;
}

/** The seed as a 64-bit word; `BAD_OPTION` for anything but an integer 0 … 2^64 − 1 (numbers: safe integers). */
export function resolveSeed(seed: number | bigint | undefined): bigint {
  const s = seed ?? 0;
  const ok = typeof s === "bigint" ? s >= 0n && s <= MAX_SEED : Number.isSafeInteger(s) && s >= 0;
  if (!ok) {
    throw new NtkError("BAD_OPTION", `seed must be an integer from 0 to 2^64 − 1 (a number up to 2^53 − 1, or a bigint), got ${String(s)}.`, {
      seed: String(s),
    });
  }
  return BigInt(s);
}
