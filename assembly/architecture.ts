// The per-pair operations of an architecture's kernel recursion (docs/ARCHITECTURES.md; the tape
// and its coefficients come from src/arch/tape.ts, the TypeScript port is src/arch/plainTape.ts).
// Each pair carries ε = 1 − Σ̄ and u = 1 − Θ̄; each operation is one layer:
//   DENSE      ε ← w ε,  u ← a u + b ε′
//   TWO_SLOPE  ε ← ε − λ g(θ)/π,  u ← u + (1 − u) λ θ/π        (ReLU λ = 1, |x| λ = 2)
//   ERF        ε ← 1 − asin(sρ)/asin s in cancellation-free form,  u ← u + (1 − u)(1 − κ)
//   PUSH/MERGE a residual block: save (ε, u), run the branch, mix with the saved pair.
// The two-slope step uses the polynomial fits of complementSeries.ts below ε = 0.8 (as the ReLU
// Gram loop does) and the exact θ, g(θ) of correlation.ts above; above ε = 1 it works in the
// reflected angle φ = π − θ from ε̄ = 1 + ρ: 1 − ρ′ = (2 − λ) + (λ − 1) ε̄ − λ g(φ)/π, which does
// not cancel where λ ≈ 2 maps nearly antipodal inputs to nearly equal outputs (|x|).
// Nearly antipodal inputs: ε̄ = 1 + x·x′ = |x + x′|²/2 is lost in ε = 2 − ε̄, so each pair may
// carry ε̄ = 1 + Σ̄ and ū = 1 + Θ̄ beside (ε, u) from the input through the leading dense layers
// (ε̄ ← w ε̄ + 2σb²/q′, the fourth coefficient; ū ← a ū + b ε̄, as a + b = 1) and into a residual
// branch, up to the first activation, as the ReLU Gram does; after it (or a merge) ε̄ = 2 − ε. There, above ε = 1, the two-slope step's
// u′ = (2 − λ) + (λ − 1) ū + λ (1 − ū) φ/π does not cancel either.

import { gOfTheta, thetaOfComplements } from "./correlation";
import { SERIES_EPS_MAX, SERIES_MID_EPS_MAX, seriesMidTA, seriesMidTB, seriesTA, seriesTB } from "./complementSeries";

const OP_DENSE: f64 = 0.0;
const OP_TWO_SLOPE: f64 = 1.0;
const OP_ERF: f64 = 2.0;
const OP_PUSH: f64 = 3.0;
/** Float64 values per operation: the code and four coefficients (src/arch/tape.ts OP_WIDTH). */
const OP_BYTES: usize = 40;
const INV_PI: f64 = 1.0 / Math.PI;

// 1 − ρ′ of an erf layer (s, asin s, c = √(1 − s²)): for ρ ≥ 0 through
// asin s − asin(sρ) = asin(s(1 − ρ²)/(√(1 − s²ρ²) + ρ c)), for ρ < 0 as a sum of positive terms.
// @ts-ignore: decorator
@inline function erfComplement(e: f64, s: f64, asinS: f64, c: f64): f64 {
  if (e > 1.0) return (asinS + Math.asin(s * (e - 1.0))) / asinS;
  const m2 = e * (2.0 - e);
  return Math.asin((s * m2) / (Math.sqrt(c * c + s * s * m2) + (1.0 - e) * c)) / asinS;
}

// 1 − κ = 1 − 1/√(1 + k(1 − ρ²)) of an erf layer from ε = 1 − ρ and ε̄ = 1 + ρ, without cancellation.
// @ts-ignore: decorator
@inline function erfDerivativeComplement(e: f64, eBar: f64, k: f64): f64 {
  const x = k * (e * eBar);
  const r = Math.sqrt(1.0 + x);
  return x / (r * (1.0 + r));
}

/**
 * Runs `ops` operations of the tape at `tape` on pairs `from … to − 1` of `eps` and `u` (float64
 * arrays). `stack` is scratch memory for two float64 per level of residual nesting. `bars` (or 0)
 * holds two float64 per pair, ε̄ = 1 + Σ̄ and ū = 1 + Θ̄, carried until the first operation other
 * than a dense layer; then ε̄ is set to −1 (none).
 */
export function archAdvance(eps: usize, u: usize, from: i32, to: i32, tape: usize, ops: i32, stack: usize, bars: usize): void {
  const end = tape + <usize>ops * OP_BYTES;
  for (let p: i32 = from; p < to; p++) {
    const ep = eps + (<usize>p << 3);
    const up = u + (<usize>p << 3);
    const bp = bars + (<usize>p << 4);
    let e = load<f64>(ep);
    let v = load<f64>(up);
    let eBar = bars != 0 ? load<f64>(bp) : -1.0;
    let vBar = bars != 0 ? load<f64>(bp, 8) : 0.0;
    let carried = eBar >= 0.0;
    let sp = stack;
    for (let k = tape; k < end; k += OP_BYTES) {
      const code = load<f64>(k);
      const bar = carried ? eBar : 2.0 - e;
      if (code == OP_DENSE) {
        const w = load<f64>(k, 8);
        const a = load<f64>(k, 16);
        const b = load<f64>(k, 24);
        e = w * e;
        v = a * v + b * e;
        eBar = min<f64>(2.0, w * eBar + load<f64>(k, 32));
        vBar = min<f64>(2.0, a * vBar + b * eBar);
        continue;
      }
      if (code == OP_TWO_SLOPE) {
        const lambda = load<f64>(k, 8);
        let thetaOverPi: f64;
        let gOverPi: f64;
        if (e < SERIES_EPS_MAX) {
          const r = Math.sqrt(e + e);
          thetaOverPi = r * seriesTA(e);
          gOverPi = r * e * seriesTB(e);
        } else if (e < SERIES_MID_EPS_MAX) {
          const r = Math.sqrt(e + e);
          thetaOverPi = r * seriesMidTA(e);
          gOverPi = r * e * seriesMidTB(e);
        } else if (e <= 1.0) {
          const theta = thetaOfComplements(e, bar);
          thetaOverPi = theta * INV_PI;
          gOverPi = gOfTheta(theta) * INV_PI;
        } else {
          // φ = π − θ = arccos(−ρ): the angle of the complements swapped, from ε̄ (< 1 here).
          const phi = thetaOfComplements(bar, e);
          v = carried
            ? 2.0 - lambda + (lambda - 1.0) * vBar + lambda * (1.0 - vBar) * (phi * INV_PI)
            : v + (1.0 - v) * lambda * (1.0 - phi * INV_PI);
          carried = false;
          e = min<f64>(2.0, max<f64>(0.0, 2.0 - lambda + (lambda - 1.0) * bar - lambda * gOfTheta(phi) * INV_PI));
          continue;
        }
        v = v + (1.0 - v) * lambda * thetaOverPi;
        e = min<f64>(2.0, max<f64>(0.0, e - lambda * gOverPi));
        carried = false;
      } else if (code == OP_ERF) {
        carried = false;
        const next = erfComplement(e, load<f64>(k, 8), load<f64>(k, 16), load<f64>(k, 24));
        v = v + (1.0 - v) * erfDerivativeComplement(e, bar, load<f64>(k, 32));
        e = min<f64>(2.0, max<f64>(0.0, next));
      } else if (code == OP_PUSH) {
        // The branch starts from the block's input: ε̄, ū carry on into its first activation.
        store<f64>(sp, e);
        store<f64>(sp, v, 8);
        sp += 16;
      } else {
        carried = false;
        sp -= 16;
        e = load<f64>(k, 8) * load<f64>(sp) + load<f64>(k, 16) * e;
        v = load<f64>(k, 24) * load<f64>(sp, 8) + load<f64>(k, 32) * v;
      }
    }
    store<f64>(ep, e);
    store<f64>(up, v);
    if (bars != 0) {
      store<f64>(bp, carried ? eBar : -1.0);
      store<f64>(bp, vBar, 8);
    }
  }
}
