// The textbook depth loop for one pair (SPEC §2–3 as written), kept to show how it fails near
// ρ = 1: it carries ρ and Θ̄ themselves, so 1 − ρ is only ever formed by cancellation. The stable
// loop needs no code of its own: a pair is one entry of the Gram loop (gram.ts, gramAdvance on a
// single packed pair whose complements are set from ρ1).
//
// With the same layer coefficients as the Gram loop (w_l, a_l = w_l τ_l/τ_{l+1}, b_l = 1/τ_{l+1}):
//   ρ′ = w h(ρ) + 1 − w,   Θ̄′ = a Θ̄ κ0(ρ) + b ρ′
// which in the paper's case (w = 1, τ_l = l) is SPEC §3's ρ′ = h(ρ), T′ = T κ0(ρ) + ρ′ with T = l Θ̄.

import { textbookArcCosMap, textbookKappa0 } from "./correlation";
import { GRAM_COEFFICIENTS_PER_LAYER } from "./gram";

const LAYER_BYTES: usize = <usize>GRAM_COEFFICIENTS_PER_LAYER << 3;

/**
 * Advances the textbook state at `state` (two float64: ρ, Θ̄) by `steps` layers whose
 * coefficients w, a, b are at `coef` (GRAM_COEFFICIENTS_PER_LAYER float64 per layer).
 */
export function textbookPairAdvance(state: usize, coef: usize, steps: i32): void {
  let rho = load<f64>(state);
  let ntk = load<f64>(state, 8);
  let c = coef;
  for (let l: i32 = 0; l < steps; l++, c += LAYER_BYTES) {
    const w = load<f64>(c);
    const next = w * textbookArcCosMap(rho) + (1.0 - w);
    ntk = load<f64>(c, 8) * ntk * textbookKappa0(rho) + load<f64>(c, 16) * next;
    rho = next;
  }
  store<f64>(state, rho);
  store<f64>(state, ntk, 8);
}
