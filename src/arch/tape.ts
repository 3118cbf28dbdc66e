/**
 * The kernel recursion of an architecture as a tape of per-pair operations (docs/ARCHITECTURES.md).
 *
 * All inputs lie on the unit sphere, so at every layer every point has the same diagonal
 * q = Σ(x, x) and t = Θ(x, x) = τ q: these scalars run here, once per layer, in TypeScript. Each
 * pair carries only the complements ε = 1 − Σ̄ and u = 1 − Θ̄, and each layer is one operation on
 * them whose coefficients come from the scalars:
 *
 *   DENSE (σw, σb)       ε ← w ε,   u ← a u + b ε′             w = σw² q/q′, a = σw² t/t′, b = q′/t′, and 2σb²/q′
 *   TWO_SLOPE (λ)        ε ← ε − λ g(θ)/π,  u ← u + (1 − u) λ θ/π    θ = θ(ε), λ = (b − a)²/(a² + b²)
 *   ERF (s, asin s, √(1 − s²), k)   ε ← 1 − asin(s ρ)/asin s,  u ← u + (1 − u)(1 − κ)   (see activations doc)
 *   PUSH                 save (ε, u) (the skip path of a residual block)
 *   MERGE (A, B, C, D)   ε ← A ε_saved + B ε,  u ← C u_saved + D u       A = q_in/q′, B = α² q_branch/q′, …
 *
 * q is carried as a mantissa and a power of two (no depth under- or overflows it); τ = t/q as a
 * float64. The tape is a Float64Array of OP_WIDTH values per operation: the code, then up to four
 * coefficients. The WebAssembly kernel (assembly/architecture.ts) and its TypeScript port
 * (plainTape.ts) run it over the pairs.
 */
import { NtkError } from "../errors.js";
import type { ResolvedActivation, ResolvedAlpha, ResolvedLayer } from "./description.js";

/** Float64 values per operation: code and four coefficients. */
export const OP_WIDTH = 5;
/** Operation codes (must match assembly/architecture.ts). */
export const OP = { dense: 0, twoSlope: 1, erf: 2, push: 3, merge: 4 } as const;

/** Keep the scaled mantissas within 2^±RENORMALIZE_LOG2. */
const RENORMALIZE_LOG2 = 500;

/** x = m · 2^e, m within 2^±500 (or 0). */
export interface Scaled {
  readonly m: number;
  readonly e: number;
}

function scaled(m: number, e = 0): Scaled {
  if (m === 0 || !Number.isFinite(m)) return { m, e };
  const k = Math.floor(Math.log2(Math.abs(m)));
  return Math.abs(k) > RENORMALIZE_LOG2 ? { m: m * 2 ** -k, e: e + k } : { m, e };
}

function scaledAdd(x: Scaled, y: Scaled): Scaled {
  if (x.m === 0) return y;
  if (y.m === 0) return x;
  return x.e >= y.e ? scaled(x.m + y.m * 2 ** (y.e - x.e), x.e) : scaled(y.m + x.m * 2 ** (x.e - y.e), y.e);
}

function scaledMul(x: Scaled, c: number): Scaled {
  return scaled(x.m * c, x.e);
}

/** x / y as a float64 (for ratios in [0, 1] and similar). */
function ratio(x: Scaled, y: Scaled): number {
  return (x.m / y.m) * 2 ** (x.e - y.e);
}

/** x as a float64 (0 or ∞ outside the range). */
export function scaledValue(x: Scaled): number {
  return x.m * 2 ** x.e;
}

/** The diagonal scalars at one layer: q = Σ(x, x), τ = Θ(x, x)/q. */
export interface DiagonalState {
  readonly q: Scaled;
  readonly tau: number;
}

/** λ = (b − a)²/(a² + b²) of a two-slope activation, and the diagonal gain (a² + b²)/2. */
export function twoSlopeFloat64(a: ResolvedActivation & { kind: "twoSlope" }): { lambda: number; gain: number } {
  const x = a.negative.toNumber();
  const y = a.positive.toNumber();
  const sum = x * x + y * y;
  return { lambda: ((y - x) * (y - x)) / sum, gain: sum / 2 };
}

/** α at depth L in float64. */
export function alphaFloat64(alpha: ResolvedAlpha, depth: number): number {
  return alpha.coefficient.toNumber() * depth ** alpha.depthPower;
}

/** Variances an erf layer accepts in float64: outside, s, asin s and κ lose their meaning in float64. */
const ERF_Q_RANGE = [1e-150, 1e150] as const;

/**
 * Writes the operations of `layers` applied to the diagonal state `s` into `out` from `at`,
 * returns the state after them and the new end. α is evaluated at the network's depth `depth`.
 * Throws BAD_ARCH when an erf layer's input variance leaves the float64 range.
 */
export function writeTape(
  layers: readonly ResolvedLayer[],
  s: DiagonalState,
  depth: number,
  out: Float64Array,
  at: number,
): { state: DiagonalState; end: number } {
  let { q, tau } = s;
  let k = at;
  const op = (code: number, c1 = 0, c2 = 0, c3 = 0, c4 = 0): void => {
    out[k] = code;
    out[k + 1] = c1;
    out[k + 2] = c2;
    out[k + 3] = c3;
    out[k + 4] = c4;
    k += OP_WIDTH;
  };
  for (const layer of layers) {
    if (layer.kind === "dense") {
      const sw2 = layer.params.sigmaW64 * layer.params.sigmaW64;
      const sb2 = layer.params.sigmaB64 * layer.params.sigmaB64;
      const carried = scaledMul(q, sw2);
      const qNext = scaledAdd(carried, scaled(sb2));
      const tCarried = scaledMul(carried, tau);
      const tNext = scaledAdd(tCarried, qNext);
      // The fourth coefficient 2σb²/q′ = 1 − w (twice), without cancellation: ε̄′ = w ε̄ + 2σb²/q′ for ε̄ = 1 + ρ.
      op(OP.dense, ratio(carried, qNext), ratio(tCarried, tNext), ratio(qNext, tNext), sb2 === 0 ? 0 : 2 * ratio(scaled(sb2), qNext));
      tau = ratio(tNext, qNext);
      q = qNext;
    } else if (layer.kind === "activation") {
      const a = layer.activation;
      if (a.kind === "twoSlope") {
        const { lambda, gain } = twoSlopeFloat64(a);
        op(OP.twoSlope, lambda);
        q = scaledMul(q, gain);
      } else {
        const qv = scaledValue(q);
        if (!(qv >= ERF_Q_RANGE[0] && qv <= ERF_Q_RANGE[1])) {
          throw new NtkError(
            "BAD_ARCH",
            `an erf layer receives the variance q = ${qv.toPrecision(3)}, outside the float64 range ${ERF_Q_RANGE[0]} … ${ERF_Q_RANGE[1]} where its kernel is computed reliably; use the high-precision path (precision) or change σw, σb.`,
            { q: qv },
          );
        }
        const s2 = 1 + 2 * qv;
        const sv = (2 * qv) / s2;
        const asinS = Math.asin(sv);
        const root = Math.sqrt(1 + 4 * qv);
        op(OP.erf, sv, asinS, root / s2, (4 * qv * qv) / (1 + 4 * qv));
        const qNext = (2 / Math.PI) * asinS;
        tau = (tau * (4 / Math.PI) * qv) / (root * qNext);
        q = scaled(qNext);
      }
    } else {
      const alpha = alphaFloat64(layer.alpha, depth);
      const a2 = alpha * alpha;
      op(OP.push);
      const after = writeTape(layer.branch, { q, tau }, depth, out, k);
      k = after.end;
      const qBranch = scaledMul(after.state.q, a2);
      const qNext = scaledAdd(q, qBranch);
      const tIn = scaledMul(q, tau);
      const tBranch = scaledMul(qBranch, after.state.tau);
      const tNext = scaledAdd(tIn, tBranch);
      op(OP.merge, ratio(q, qNext), ratio(qBranch, qNext), ratio(tIn, tNext), ratio(tBranch, tNext));
      tau = ratio(tNext, qNext);
      q = qNext;
    }
  }
  return { state: { q, tau }, end: k };
}

/** Operations one pass over `layers` writes (to size the tape buffer). */
export function tapeLength(layers: readonly ResolvedLayer[]): number {
  let n = 0;
  for (const l of layers) n += l.kind === "residual" ? 2 + tapeLength(l.branch) : 1;
  return n;
}

/** Deepest residual nesting in `layers` (sizes the per-pair stack). */
export function residualNesting(layers: readonly ResolvedLayer[]): number {
  let d = 0;
  for (const l of layers) if (l.kind === "residual") d = Math.max(d, 1 + residualNesting(l.branch));
  return d;
}

/** The state before the first layer: q_0 = x·x/n0 = 1/n0 and Θ = 0 (τ = 0). */
export function inputState(n0: number): DiagonalState {
  return { q: scaled(1 / n0), tau: 0 };
}
