// Seeded standard normal weights that a layer can regenerate instead of storing (docs/FINITE_WIDTH.md).
// Uniform bits: SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference splitmix64.c), whose k-th
// output from seed s is mix64(s + k·γ): a counter-based generator, so any stretch of any stream is
// computed directly from (seed, stream, index). Stream t of a network seeded with s starts from the
// (t + 1)-th output of SplitMix64(s); draw j of the stream is the (j + 1)-th output of SplitMix64
// seeded with that start. Gaussians: Box–Muller on 53-bit uniforms, draw 2p giving u1 ∈ (0, 1] and
// draw 2p + 1 giving u2 ∈ [0, 1): value 2p = sqrt(−2 ln u1) cos(2π u2), value 2p + 1 the sine.
// ln is AssemblyScript's std Math.log (a port of musl) and cos, sin of 2π u2 are computed here
// (octant reduction, exact for 53-bit u2, then Taylor polynomials on [0, π/4], within 2 ulps), all
// compiled into this module, so every host gets the same bits.

/** γ, SplitMix64's Weyl increment: 2^64 / φ rounded to odd. */
const GAMMA: u64 = 0x9e3779b97f4a7c15;
/** 2^-53: a 53-bit integer times this is a float64 in [0, 1) without rounding. */
const TWO_POW_M53: f64 = 1.1102230246251565e-16;
const QUARTER_PI: f64 = 0.7853981633974483;

// Taylor coefficients 1/k! with alternating signs: sin t = t (1 + z (S1 + z (S2 + …))), cos t = 1 + z (C1 + …), z = t².
// On |t| ≤ π/4 the first omitted terms are below 1e-19 (sin) and 3e-21 (cos).
const S1: f64 = -1.0 / 6.0;
const S2: f64 = 1.0 / 120.0;
const S3: f64 = -1.0 / 5040.0;
const S4: f64 = 1.0 / 362880.0;
const S5: f64 = -1.0 / 39916800.0;
const S6: f64 = 1.0 / 6227020800.0;
const S7: f64 = -1.0 / 1307674368000.0;
const S8: f64 = 1.0 / 355687428096000.0;
const C1: f64 = -1.0 / 2.0;
const C2: f64 = 1.0 / 24.0;
const C3: f64 = -1.0 / 720.0;
const C4: f64 = 1.0 / 40320.0;
const C5: f64 = -1.0 / 3628800.0;
const C6: f64 = 1.0 / 479001600.0;
const C7: f64 = -1.0 / 87178291200.0;
const C8: f64 = 1.0 / 20922789888000.0;
const C9: f64 = -1.0 / 6402373705728000.0;

/** SplitMix64's output function (a bijection of 64-bit words). */
@inline function mix64(z: u64): u64 {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

/** The k-th output (k ≥ 1) of SplitMix64 seeded with `seed`, as the reference generator gives it. */
export function splitMix64(seed: u64, k: u64): u64 {
  return mix64(seed + k * GAMMA);
}

/**
 * Writes values 0 … count−1 of Gaussian stream `stream` of the network seeded with `seed`
 * (standard normal, float64) to `dst`.
 */
export function normalFill(dst: usize, count: i32, seed: u64, stream: u32): void {
  const start = mix64(seed + (<u64>stream + 1) * GAMMA);
  let counter = start;
  for (let i: i32 = 0; i < count; i += 2) {
    counter += GAMMA;
    const u1 = <f64>((mix64(counter) >> 11) + 1) * TWO_POW_M53;
    counter += GAMMA;
    const u2 = <f64>(mix64(counter) >> 11) * TWO_POW_M53;
    const r = Math.sqrt(-2.0 * Math.log(u1));
    // 2π u2 = (π/4)(o + f): octant o and fraction f are exact; odd octants count t back from the next quadrant.
    const v = 8.0 * u2;
    const o = <i32>v;
    const f = v - <f64>o;
    const t = ((o & 1) != 0 ? 1.0 - f : f) * QUARTER_PI;
    const z = t * t;
    const st = t + t * z * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * (S6 + z * (S7 + z * S8)))))));
    const ct = 1.0 + z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * (C6 + z * (C7 + z * (C8 + z * C9))))))));
    // cos and sin of q π/2 ± t by quadrant: octants 0,1 → (ct, st), (st, ct); 2,3 → (−st, ct), (−ct, st); …
    let c: f64;
    let s: f64;
    switch (o) {
      case 0: c = ct; s = st; break;
      case 1: c = st; s = ct; break;
      case 2: c = -st; s = ct; break;
      case 3: c = -ct; s = st; break;
      case 4: c = -ct; s = -st; break;
      case 5: c = -st; s = -ct; break;
      case 6: c = st; s = -ct; break;
      default: c = ct; s = -st; break;
    }
    const p = dst + (<usize>i << 3);
    store<f64>(p, r * c);
    if (i + 1 < count) store<f64>(p, r * s, 8);
  }
}
