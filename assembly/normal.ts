// Seeded standard normal weights that a layer can regenerate instead of storing (docs/FINITE_WIDTH.md).
// Uniform bits: SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference splitmix64.c), whose k-th
// output from seed s is mix64(s + k·γ): a counter-based generator, so any stretch of any stream is
// computed directly from (seed, stream, index). Stream t of a network seeded with s starts from the
// (t + 1)-th output of SplitMix64(s); draw j of the stream is the (j + 1)-th output of SplitMix64
// seeded with that start. Gaussians: Box–Muller on 52-bit uniforms made by exponent-field bit
// tricks (exact, and as cheap in SIMD lanes as in scalars), draw 2p giving u1 ∈ (0, 1] and draw
// 2p + 1 giving u2 ∈ [0, 1): value 2p = sqrt(−2 ln u1) cos(2π u2), value 2p + 1 the sine. ln, cos
// and sin are computed here with only +, −, ×, ÷ and bit operations (each correctly rounded in
// WebAssembly), the same sequence of operations in the f64x2 lanes of the SIMD build and in the
// scalar code: every host and build gives the same bits.

/** γ, SplitMix64's Weyl increment: 2^64 / φ rounded to odd. */
const GAMMA: u64 = 0x9e3779b97f4a7c15;
/** The bits of 1.0: OR-ing 52 random bits into its mantissa gives a float64 in [1, 2) exactly. */
const ONE_BITS: u64 = 0x3ff0000000000000;
const MANTISSA: u64 = 0x000fffffffffffff;
const QUARTER_PI: f64 = 0.7853981633974483;
const SQRT2: f64 = 1.4142135623730951;
/** ln 2 split so that e·LN2_HI is exact for |e| < 2^11. */
const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;

// Taylor coefficients 1/k! with alternating signs: sin t = t + t z (S1 + z (S2 + …)),
// cos t = 1 + z (C1 + z (C2 + …)), z = t². On |t| ≤ π/4 the first omitted terms are below 1e-19
// (sin) and 3e-21 (cos).
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
// ln(1 + f) = 2 atanh s, s = f / (2 + f): the series Σ 2 s^(2k+1)/(2k+1), written (see lnUnit) as
// f − f²/2 + s (f²/2 + R) with R = Σ_{k=1}^{10} (2/(2k+1)) s^(2k). |s| ≤ 3 − 2√2 < 0.1716, so the
// first omitted term is below 6e-19 of the result.
const R1: f64 = 2.0 / 3.0;
const R2: f64 = 2.0 / 5.0;
const R3: f64 = 2.0 / 7.0;
const R4: f64 = 2.0 / 9.0;
const R5: f64 = 2.0 / 11.0;
const R6: f64 = 2.0 / 13.0;
const R7: f64 = 2.0 / 15.0;
const R8: f64 = 2.0 / 17.0;
const R9: f64 = 2.0 / 19.0;
const R10: f64 = 2.0 / 21.0;

/** One step of Horner's rule in two lanes: c + z·p (as the scalar code's c + z * (…)). */
@inline function hornerX2(p: v128, z: v128, c: f64): v128 {
  return f64x2.add(f64x2.splat(c), f64x2.mul(z, p));
}

/** SplitMix64's output function (a bijection of 64-bit words). */
@inline function mix64(z: u64): u64 {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

/**
 * Lanes mix64(c + qγ) and mix64(c + (q + 2)γ): draws q and q + 2 counted from counter c. Mixed in
 * scalar registers, where 64-bit multiplies are native (i64x2.mul is emulated on x86).
 */
@inline function draws(c: u64, q: u64): v128 {
  return i64x2.replace_lane(i64x2.splat(mix64(c + q * GAMMA)), 1, mix64(c + (q + 2) * GAMMA));
}

/** The k-th output (k ≥ 1) of SplitMix64 seeded with `seed`, as the reference generator gives it. */
export function splitMix64(seed: u64, k: u64): u64 {
  return mix64(seed + k * GAMMA);
}

/**
 * Writes values first … first + count − 1 of Gaussian stream `stream` of the network seeded with
 * seed = seedHi·2^32 + seedLo (standard normal, float64) to `dst`. `first` must be even (values
 * come in pairs), so any cut of a stream into even-sized pieces gives the same values as one call.
 * The seed comes in 32-bit halves so that the thread pool's tasks stay plain numbers.
 */
export function normalFill(dst: usize, count: i32, seedHi: u32, seedLo: u32, stream: u32, first: i32): void {
  const seed = (<u64>seedHi << 32) | <u64>seedLo;
  // Counter of draw 2p is start + (2p + 1)γ.
  const base = mix64(seed + (<u64>stream + 1) * GAMMA) + (<u64>first + 1) * GAMMA;
  let i: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    // Six pairs a step, as three independent groups of two (lane q of a group: pair p + q): the
    // long polynomial and division chains of one group overlap those of the others, where one
    // group a step left the floating-point units waiting on latency (about 1.5× the speed).
    for (; i + 12 <= count; i += 12) {
      const c = base + <u64>i * GAMMA;
      const out = dst + (<usize>i << 3);
      gaussians4(draws(c, 0), draws(c, 1), out);
      gaussians4(draws(c, 4), draws(c, 5), out + 32);
      gaussians4(draws(c, 8), draws(c, 9), out + 64);
    }
  }
  for (; i < count; i += 2) {
    const c1 = base + <u64>i * GAMMA;
    const u1 = 2.0 - reinterpret<f64>((mix64(c1) >> 12) | ONE_BITS);
    const u2 = reinterpret<f64>((mix64(c1 + GAMMA) >> 12) | ONE_BITS) - 1.0;
    const r = Math.sqrt(-2.0 * lnUnit(u1));
    const v = 8.0 * u2;
    const ov = Math.trunc(v);
    const f = v - ov;
    const o = <i64>ov;
    const t = ((o & 1) != 0 ? 1.0 - f : f) * QUARTER_PI;
    const z = t * t;
    const st = t + t * z * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * (S6 + z * (S7 + z * S8)))))));
    const ct = 1.0 + z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * (C6 + z * (C7 + z * (C8 + z * C9))))))));
    const swap = ((o + 1) & 2) != 0;
    const c = reinterpret<f64>(reinterpret<u64>(swap ? st : ct) ^ (<u64>((o + 2) >> 2) << 63));
    const s = reinterpret<f64>(reinterpret<u64>(swap ? ct : st) ^ (<u64>(o >> 2) << 63));
    const p = dst + (<usize>i << 3);
    store<f64>(p, r * c);
    if (i + 1 < count) store<f64>(p, r * s, 8);
  }
}

// Values 2p … 2p + 3 from the mixed draws of pairs p and p + 1 (lane q: pair p + q; d1 the draws
// giving u1, d2 those giving u2), stored at `out`: the scalar loop's arithmetic in two lanes.
@inline function gaussians4(d1: v128, d2: v128, out: usize): void {
  const u1 = f64x2.sub(f64x2.splat(2.0), v128.or(i64x2.shr_u(d1, 12), i64x2.splat(ONE_BITS)));
  const u2 = f64x2.sub(v128.or(i64x2.shr_u(d2, 12), i64x2.splat(ONE_BITS)), f64x2.splat(1.0));
  const r = f64x2.sqrt(f64x2.mul(f64x2.splat(-2.0), lnUnitX2(u1)));
  // 8 u2 = o + f with octant o and fraction f exact; o's low bits from the mantissa of 2^52 + o.
  const v = f64x2.mul(f64x2.splat(8.0), u2);
  const ov = f64x2.trunc(v);
  const f = f64x2.sub(v, ov);
  const o = f64x2.add(ov, f64x2.splat(4503599627370496.0));
  const odd = i64x2.eq(v128.and(o, i64x2.splat(1)), i64x2.splat(1));
  const t = f64x2.mul(v128.bitselect(f64x2.sub(f64x2.splat(1.0), f), f, odd), f64x2.splat(QUARTER_PI));
  const z = f64x2.mul(t, t);
  const st = f64x2.add(t, f64x2.mul(f64x2.mul(t, z), hornerX2(hornerX2(hornerX2(hornerX2(hornerX2(hornerX2(hornerX2(f64x2.splat(S8), z, S7), z, S6), z, S5), z, S4), z, S3), z, S2), z, S1)));
  const ct = f64x2.add(f64x2.splat(1.0), f64x2.mul(z, hornerX2(hornerX2(hornerX2(hornerX2(hornerX2(hornerX2(hornerX2(hornerX2(f64x2.splat(C9), z, C8), z, C7), z, C6), z, C5), z, C4), z, C3), z, C2), z, C1)));
  // Octants 1, 2, 5, 6 swap cos and sin; 2 … 5 negate the cosine, 4 … 7 the sine (as in the scalar loop).
  const swap = i64x2.eq(v128.and(i64x2.add(o, i64x2.splat(1)), i64x2.splat(2)), i64x2.splat(2));
  const cNeg = i64x2.shl(i64x2.shr_u(i64x2.add(o, i64x2.splat(2)), 2), 63);
  const sNeg = i64x2.shl(i64x2.shr_u(o, 2), 63);
  const c = v128.xor(v128.bitselect(st, ct, swap), cNeg);
  const s = v128.xor(v128.bitselect(ct, st, swap), sNeg);
  const rc = f64x2.mul(r, c);
  const rs = f64x2.mul(r, s);
  v128.store(out, v128.shuffle<f64>(rc, rs, 0, 2));
  v128.store(out, v128.shuffle<f64>(rc, rs, 1, 3), 16);
}

// ln u for u ∈ (0, 1] a multiple of 2^-52: u = 2^e m with m ∈ [√½, √2), f = m − 1 (exact), then
// the atanh series above and e ln 2 in two parts. Within 1 ulp (test/width-network.test.ts compares
// it with Math.log).
@inline function lnUnit(u: f64): f64 {
  const bits = reinterpret<u64>(u);
  let e = <f64>(<i32>(bits >> 52)) - 1023.0;
  let m = reinterpret<f64>((bits & MANTISSA) | ONE_BITS);
  if (m > SQRT2) {
    m = 0.5 * m;
    e = e + 1.0;
  }
  const f = m - 1.0;
  const s = f / (2.0 + f);
  const z = s * s;
  const r = z * (R1 + z * (R2 + z * (R3 + z * (R4 + z * (R5 + z * (R6 + z * (R7 + z * (R8 + z * (R9 + z * R10)))))))));
  const h = 0.5 * f * f;
  return e * LN2_HI - (h - (s * (h + r) + e * LN2_LO) - f);
}

// lnUnit in two lanes, operation for operation.
@inline function lnUnitX2(u: v128): v128 {
  // The exponent field (971 … 1023) as a float64: 2^52 + field, minus 2^52.
  const field = v128.or(i64x2.shr_u(u, 52), i64x2.splat(0x4330000000000000));
  let e = f64x2.sub(f64x2.sub(field, f64x2.splat(4503599627370496.0)), f64x2.splat(1023.0));
  let m = v128.or(v128.and(u, i64x2.splat(MANTISSA)), i64x2.splat(ONE_BITS));
  const big = f64x2.gt(m, f64x2.splat(SQRT2));
  m = v128.bitselect(f64x2.mul(f64x2.splat(0.5), m), m, big);
  e = v128.bitselect(f64x2.add(e, f64x2.splat(1.0)), e, big);
  const f = f64x2.sub(m, f64x2.splat(1.0));
  const s = f64x2.div(f, f64x2.add(f64x2.splat(2.0), f));
  const z = f64x2.mul(s, s);
  const r = f64x2.mul(z, hornerX2(hornerX2(hornerX2(hornerX2(hornerX2(hornerX2(hornerX2(hornerX2(hornerX2(f64x2.splat(R10), z, R9), z, R8), z, R7), z, R6), z, R5), z, R4), z, R3), z, R2), z, R1));
  const h = f64x2.mul(f64x2.mul(f64x2.splat(0.5), f), f);
  const inner = f64x2.add(f64x2.mul(s, f64x2.add(h, r)), f64x2.mul(e, f64x2.splat(LN2_LO)));
  return f64x2.sub(f64x2.mul(e, f64x2.splat(LN2_HI)), f64x2.sub(f64x2.sub(h, inner), f));
}
