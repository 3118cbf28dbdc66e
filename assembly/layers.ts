// The layer scalars every pair shares (SPEC §2; all inputs lie on the unit sphere, so every
// diagonal is the same): q_{l+1} = σw² q_l / 2 + σb², w_l = σw² q_l / (2 q_{l+1}),
// τ_{l+1} = w_l τ_l + 1, written per layer as the coefficients w_l, a_l = w_l τ_l / τ_{l+1},
// b_l = 1 / τ_{l+1} that gramAdvance and textbookPairAdvance read. Generating them here keeps a
// single pair's depth loop entirely in WebAssembly; src/gram/float64.ts (LayerScalars) is the
// TypeScript form of the same arithmetic, used by the plain port.
//
// State (float64): [q_l / 2^s, s, τ_l, σw²/2, σb², l]. q is renormalized by exact powers of two
// whenever it leaves [2^-500, 2^501), so no depth under- or overflows it.

import { GRAM_COEFFICIENTS_PER_LAYER } from "./gram";

const BELOW: f64 = 3.054936363499605e-151; // 2^-500
const ABOVE: f64 = 6.546781215792283e150; // 2^501
const LAYER_BYTES: usize = <usize>GRAM_COEFFICIENTS_PER_LAYER << 3;

// floor(log2 q) for a normal positive q, exactly, from its exponent bits.
// @ts-ignore: decorator
@inline function binaryExponent(q: f64): i32 {
  return <i32>((reinterpret<u64>(q) >> 52) & 0x7ff) - 1023;
}

/** Writes the coefficients of the next `steps` layers to `coef` and advances the state at `state`. */
export function layerCoefficients(state: usize, coef: usize, steps: i32): void {
  let q = load<f64>(state);
  let scale = load<f64>(state, 8);
  let tau = load<f64>(state, 16);
  const halfSigmaW2 = load<f64>(state, 24);
  const sigmaB2 = load<f64>(state, 32);
  let bias = sigmaB2 == 0.0 ? 0.0 : sigmaB2 * Math.pow(2.0, -scale);
  let c = coef;
  for (let l: i32 = 0; l < steps; l++, c += LAYER_BYTES) {
    const carried = halfSigmaW2 * q;
    const next = carried + bias;
    const w = carried / next;
    const tauNext = w * tau + 1.0;
    store<f64>(c, w);
    store<f64>(c, (w * tau) / tauNext, 8);
    store<f64>(c, 1.0 / tauNext, 16);
    tau = tauNext;
    q = next;
    if (q < BELOW || q >= ABOVE) {
      const e = binaryExponent(q);
      q *= Math.pow(2.0, <f64>-e);
      scale += <f64>e;
      bias = sigmaB2 == 0.0 ? 0.0 : sigmaB2 * Math.pow(2.0, -scale);
    }
  }
  store<f64>(state, q);
  store<f64>(state, scale, 8);
  store<f64>(state, tau, 16);
  store<f64>(state, load<f64>(state, 40) + <f64>steps, 40);
}
