// Gram matrices through depth (SPEC §2, §4, §5) for m points on the unit sphere. Every point has
// the same diagonal q_l, so the layer scalars (w_l, τ_l) are shared by all pairs and come from
// TypeScript; per unique pair i < j only two numbers are carried, in complement form:
//   ε = 1 − Σ̄ and u = 1 − Θ̄  (contract.md math notes), ε' = w (ε − g(θ)/π),
//   u' = a (u + (1 − u) θ/π) + b ε',  a = w τ_l / τ_{l+1},  b = 1 / τ_{l+1}.
// Pairs are stored packed: pair (i, j), i < j, at index i m − i (i + 1)/2 + j − i − 1.
// The depth loop runs inside the pair loop so that a pair's state stays in registers for a whole
// chunk of layers; the per-layer coefficients (3 float64 per layer) stay in L1.

import { complementStep, thetaOfComplement } from "./correlation";

/** Float64 values per layer in the coefficient buffer handed to `gramAdvance`: w, a, b. */
export const GRAM_COEFFICIENTS_PER_LAYER: i32 = 3;

const INV_PI: f64 = 1.0 / Math.PI;

/**
 * Layer-1 complements of every pair: ε_1 = u_1 = c1 · |x_i − x_j|² / 2, where `c1` =
 * σw² / (n0 q_1) (1 in the paper's case). |x − x′|²/2 equals 1 − x·x′ for unit vectors but does
 * not cancel for nearby points, and it is insensitive to the last-bit deviation of |x| from 1.
 * Clamped to [0, 2] so that an antipodal pair rounded past 2 still has a defined θ.
 * `coords` is row-major m × n0; `eps` and `u` receive m (m − 1) / 2 values each.
 */
export function gramInitialComplement(coords: usize, m: i32, n0: i32, c1: f64, eps: usize, u: usize): void {
  let k: usize = 0;
  const rowBytes = <usize>n0 << 3;
  for (let i: i32 = 0; i < m; i++) {
    const xi = coords + <usize>i * rowBytes;
    for (let j: i32 = i + 1; j < m; j++) {
      const xj = coords + <usize>j * rowBytes;
      let s: f64 = 0.0;
      for (let c: i32 = 0; c < n0; c++) {
        const d = load<f64>(xi + (<usize>c << 3)) - load<f64>(xj + (<usize>c << 3));
        s += d * d;
      }
      const e = min<f64>(c1 * (0.5 * s), 2.0);
      store<f64>(eps + (k << 3), e);
      store<f64>(u + (k << 3), e);
      k++;
    }
  }
}

/**
 * Advances pairs `first … first + count − 1` by `steps` layers. `coef` holds, per layer,
 * w_l, a_l = w_l τ_l / τ_{l+1} and b_l = 1 / τ_{l+1} (GRAM_COEFFICIENTS_PER_LAYER values).
 * ε stays in [0, 2] and u ≥ 0 stays exact 0 for coincident points (θ = 0 gives g = 0).
 */
export function gramAdvance(eps: usize, u: usize, first: i32, count: i32, coef: usize, steps: i32): void {
  const end = <usize>(first + count) << 3;
  for (let p: usize = <usize>first << 3; p < end; p += 8) {
    let e = load<f64>(eps + p);
    let v = load<f64>(u + p);
    let c = coef;
    for (let l: i32 = 0; l < steps; l++) {
      const theta = thetaOfComplement(e);
      const w = load<f64>(c);
      const a = load<f64>(c, 8);
      const b = load<f64>(c, 16);
      e = complementStep(e, theta, w);
      v = a * (v + (1.0 - v) * (theta * INV_PI)) + b * e;
      c += <usize>GRAM_COEFFICIENTS_PER_LAYER << 3;
    }
    store<f64>(eps + p, e);
    store<f64>(u + p, v);
  }
}

/**
 * Writes the full symmetric m × m matrix (row-major at `out`) of the packed pair values at
 * `packed`: entries `packed` itself, or 1 − `packed` when `fromComplement` is 1, and `diagonal`
 * on the diagonal (exactly 1 for Σ̄, Θ̄ and 0 for their complements; never through arccos(1)).
 */
export function gramUnpack(packed: usize, m: i32, out: usize, diagonal: f64, fromComplement: i32): void {
  let k: usize = 0;
  const n = <usize>m;
  for (let i: usize = 0; i < n; i++) {
    store<f64>(out + ((i * n + i) << 3), diagonal);
    for (let j: usize = i + 1; j < n; j++) {
      const p = load<f64>(packed + (k << 3));
      const x = fromComplement ? 1.0 - p : p;
      store<f64>(out + ((i * n + j) << 3), x);
      store<f64>(out + ((j * n + i) << 3), x);
      k++;
    }
  }
}
