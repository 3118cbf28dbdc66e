/**
 * The σb > 0 fixed point of the high-precision complement recursion (docs/DEPTH_JUMP.md §6): with
 * σw² < 2, q_l → q* = σb²/(1 − σw²/2) and the layer weight w_l → w* = σw²/2 geometrically, and
 * the complements shrink geometrically without ever repeating (BigFloat exponents do not
 * underflow): ε_{l+1} = w ε_l (1 − g(θ_l)/(π ε_l)), the bracket 1 − O(√ε_l); u_{l+1} ≈ √w u_l (its
 * leading part comes from θ_l/π ∝ √ε_l). So once q, τ and w no longer change at working precision,
 * the ratios ε_{l+1}/(w ε_l) and u_{l+1}/(√w u_l) tend to 1 geometrically, and from layer n on
 *
 *   ε_L = ε_n w^{L−n},   u_L = u_n (√w)^{L−n},
 *
 * with a relative error at most the sum of the later ratios' distances from 1, Σ_{k>n} δ_k. That sum
 * is bounded from the observed contraction r = δ_n/δ_{n−1} < 1 as δ_n r/(1 − r), and the state
 * counts as settled when that bound is below 2^−(bits−8). The callers' second run (other precision,
 * so another settling layer) vouches for the digits, this bound included.
 */
import type { BigFloat, BigFloatContext } from "./bigFloat.js";
import type { ResolvedParams } from "../params.js";

/** σb > 0 with σw² < 2: the state settles geometrically (this module), and later depths cost nothing. */
export function settles(params: ResolvedParams): boolean {
  return !params.sigmaB.isZero() && params.sigmaW.pow(2).lt(2);
}

/**
 * At most the layers a settling run (σb > 0, σw² < 2) takes before its state stops changing at
 * `digits` digits: q, τ and w contract by about σw²/2 a layer, so ~digits·ln 10 / ln(2/σw²) layers
 * reach the working precision; twice that, plus a margin, for the tail bound and the slower u.
 */
export function settleLayers(params: ResolvedParams, digits: number): number {
  const rate = (params.sigmaW64 * params.sigmaW64) / 2;
  return Math.ceil((2 * digits * Math.LN10) / Math.log(1 / rate)) + 64;
}

/** Contraction ratios above this are not trusted to bound a tail (too close to 1 to tell from noise). */
const MAX_TRUSTED_RATIO = 0.999;

/** Watches one run layer by layer; {@link observe} says when the state has settled. */
export class SettleWatch {
  private prev: { w: BigFloat; q: BigFloat; tau: BigFloat } | null = null;
  private sqrtW: BigFloat | null = null;
  private prevDelta: BigFloat | null = null;

  constructor(private readonly c: BigFloatContext) {}

  /**
   * One layer l → l + 1: its weight w_l, the scalars after it, and the complements before and after.
   * True when from layer l + 1 on the closed forms above hold to working precision.
   */
  observe(w: BigFloat, q: BigFloat, tau: BigFloat, eps: BigFloat, epsNext: BigFloat, u: BigFloat, uNext: BigFloat): boolean {
    const c = this.c;
    const p = this.prev;
    this.prev = { w, q, tau };
    if (p === null || !same(p.w, w) || !same(p.q, q) || !same(p.tau, tau)) {
      this.sqrtW = null;
      this.prevDelta = null;
      return false;
    }
    this.sqrtW ??= c.sqrt(w);
    const delta = max(c, distanceFromOne(c, epsNext, c.mul(w, eps)), distanceFromOne(c, uNext, c.mul(this.sqrtW, u)));
    const before = this.prevDelta;
    this.prevDelta = delta;
    if (before === null) return false;
    if (c.isZero(delta)) return c.magnitudeBelow(before, -(c.bits - 8));
    if (c.isZero(before)) return false;
    const r = c.toNumber(c.div(delta, before));
    if (!(r < MAX_TRUSTED_RATIO)) return false;
    // log2 of the bound δ r/(1 − r): δ < 2^(e + bits).
    return delta.e + c.bits + Math.log2(r / (1 - r)) < -(c.bits - 8);
  }

  /** √w of the settled state (after {@link observe} returned true). */
  get rootWeight(): BigFloat {
    if (this.sqrtW === null) throw new RangeError("SettleWatch: not settled");
    return this.sqrtW;
  }
}

function same(a: BigFloat, b: BigFloat): boolean {
  return a.m === b.m && a.e === b.e;
}

/** |x/y − 1|, or |x| when y = 0 (then x must be 0 as well for the state to settle). */
function distanceFromOne(c: BigFloatContext, x: BigFloat, y: BigFloat): BigFloat {
  if (c.isZero(y)) return c.isZero(x) ? c.zero : c.one;
  const d = c.sub(c.div(x, y), c.one);
  return c.sign(d) < 0 ? c.neg(d) : d;
}

function max(c: BigFloatContext, a: BigFloat, b: BigFloat): BigFloat {
  return c.sign(c.sub(a, b)) >= 0 ? a : b;
}

/** x^k for an integer k ≥ 0, by repeated squaring (≤ 2 log2 k roundings). */
export function powBig(c: BigFloatContext, x: BigFloat, k: bigint): BigFloat {
  let result = c.one;
  let base = x;
  for (let n = k; n > 0n; n >>= 1n) {
    if (n & 1n) result = c.mul(result, base);
    if (n > 1n) base = c.mul(base, base);
  }
  return result;
}
