// Seeded standard normal weights that a layer can regenerate instead of storing (docs/FINITE_WIDTH.md).
// Uniform bits: SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference splitmix64.c), whose k-th
// output from seed s is mix64(s + k·γ): a counter-based generator, so any stretch of any stream is
// computed directly from (seed, stream, index). Stream t of a network seeded with s starts from the
// (t + 1)-th output of SplitMix64(s); draw j of the stream is the (j + 1)-th output of SplitMix64
// seeded with that start. Gaussians: Box–Muller on 53-bit uniforms, draw 2p giving u1 ∈ (0, 1] and
// draw 2p + 1 giving u2 ∈ [0, 1): value 2p = sqrt(−2 ln u1) cos(2π u2), value 2p + 1 the sine.
// ln, cos, sin are AssemblyScript's std Math (a port of musl) compiled into this module, so every
// host gets the same bits.

/** γ, SplitMix64's Weyl increment: 2^64 / φ rounded to odd. */
const GAMMA: u64 = 0x9e3779b97f4a7c15;
/** 2^-53: a 53-bit integer times this is a float64 in [0, 1) without rounding. */
const TWO_POW_M53: f64 = 1.1102230246251565e-16;
const TWO_PI: f64 = 6.283185307179586;

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
    const angle = TWO_PI * u2;
    const p = dst + (<usize>i << 3);
    store<f64>(p, r * Math.cos(angle));
    if (i + 1 < count) store<f64>(p, r * Math.sin(angle), 8);
  }
}
