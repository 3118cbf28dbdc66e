// Depth at constant cost for σb = 0 (SPEC §9, docs/DEPTH_JUMP.md): the complements ε_L = 1 − ρ^(L)
// and u_L = 1 − Θ̄^(L) of a pair at any depth L from its layer-1 complement ε_1, in a number of
// operations that does not depend on L. σw does not enter: with σb = 0 every layer weight is
// w = 1 and τ_l = l, so the normalized kernels are those of the paper's case.
//
//   1. Exact steps of the complement recursion (correlation.ts) until θ < THETA_JUMP (at most
//      ~20 layers from any ρ1), carrying ε and u as the depth loops do; n layers done.
//   2. Abel time t_n = Φ(θ_n) from the asymptotic series (depthSeries.ts); θ_L solves
//      Φ(θ_L) = t_n + (L − n), by Newton.
//   3. The NTK: with T = l Θ̄, U = l − T = l u and W = −Φ′/sin θ > 0,
//        (A) L − n ≥ t_n:  T_L = (T_n w_n − Ψ(θ_n) + Ψ(θ_L)) / w_L          (w = −W)
//        (C) L − n < t_n:  U_L W_L = U_n W_n + Σ_{h=n}^{L−1} (h θ_h/π + ε_{h+1}) W_{h+1}
//      (A) subtracts values of Ψ of size ~t⁴ to get T w of size ~L t³, so it loses about
//      2 log10(t_n/L) digits of 1 − Θ̄: fine when L ≥ t_n, useless when θ_n is tiny and L ≪ t_n
//      (ρ1 within 1e-10 of 1, say). (C) sums positive terms, a smooth function of the Abel time,
//      by Euler–Maclaurin: a 12-node Gauss–Legendre integral over [t_n, t_{L−1}] (whose ends
//      are at most a factor 2 apart there) plus the end corrections.
// Every quantity that grows like θ^{-3} or θ^{-4} is carried multiplied by θ_n³ or θ_L⁴, so no
// ρ1 under- or overflows float64 (θ_1 ≥ 3e-162 for any ε_1 ≥ 5e-324).

import { complementStep, thetaOfComplement, thetaOfComplements } from "./correlation";
import {
  GAUSS_NODES, GAUSS_WEIGHTS, PHI_COEFFICIENTS, PHI_TERMS, PSI_A1, PSI_A2, PSI_A3, PSI_A4, PSI_B, PSI_COEFFICIENTS, PSI_TERMS,
} from "./depthSeries";

/** Below this angle the series of Φ and Ψ (24 terms) are exact to float64: c_24 θ^24 < 1e-20 of Φ. */
export const THETA_JUMP: f64 = 0.5;
/** Jumps of at most this many layers are taken as exact steps instead (they cost less). */
export const DIRECT_STEPS: f64 = 48.0;

/** Fewest layers a jump of case (C) spans (then t_n > 256 too). */
export const SUM_MIN_LAYERS: f64 = 256.0;

const INV_PI: f64 = 1.0 / Math.PI;
const THREE_PI: f64 = 3.0 * Math.PI;

/** Φ(θ) − 3π/θ − (3/2) ln θ = Σ c_k θ^k, for 0 < θ ≤ THETA_JUMP. */
// @ts-ignore: decorator
@inline function phiRegular(theta: f64): f64 {
  let s: f64 = 0.0;
  for (let k = PHI_TERMS; k >= 1; k--) s = (s + unchecked(PHI_COEFFICIENTS[k])) * theta;
  return s;
}

/** θ² Φ′(θ) = −3π + (3/2) θ + Σ k c_k θ^{k+1}. */
function phiPrimeScaled(theta: f64): f64 {
  let s: f64 = 0.0;
  for (let k = PHI_TERMS; k >= 1; k--) s = s * theta + <f64>k * unchecked(PHI_COEFFICIENTS[k]);
  return -THREE_PI + theta * (1.5 + theta * s);
}

/** Φ(θ), the Abel function: Φ(F(θ)) = Φ(θ) + 1 (SPEC §9), for 0 < θ ≤ THETA_JUMP. */
export function abelPhi(theta: f64): f64 {
  return THREE_PI / theta + 1.5 * Math.log(theta) + phiRegular(theta);
}

/** Ω(θ) = θ³ w(θ) = θ³ Φ′(θ) / sin θ (≈ −3π at small θ). */
function omegaScaled(theta: f64): f64 {
  return (phiPrimeScaled(theta) * theta) / Math.sin(theta);
}

/** θ⁴ Ψ(θ) = a4 + a3 θ + a2 θ² + a1 θ³ + θ⁴ (b ln θ + Σ d_k θ^k). */
function psiScaled(theta: f64): f64 {
  let s: f64 = 0.0;
  for (let k = PSI_TERMS; k >= 1; k--) s = (s + unchecked(PSI_COEFFICIENTS[k])) * theta;
  const t2 = theta * theta;
  return PSI_A4 + theta * (PSI_A3 + theta * (PSI_A2 + theta * PSI_A1)) + t2 * t2 * (PSI_B * Math.log(theta) + s);
}

/**
 * θ with Φ(θ) = t, for t ≥ Φ(THETA_JUMP), by Newton from θ ≈ 3π/(t − (3/2) ln(3π/t)). The
 * residual Φ(θ) − t is formed at the size of t, so θ comes out within a few ulps relative.
 */
export function inverseAbelPhi(t: f64): f64 {
  let theta = THREE_PI / (t - 1.5 * Math.log(THREE_PI / t));
  for (let i = 0; i < 12; i++) {
    const step = ((abelPhi(theta) - t) * theta * theta) / phiPrimeScaled(theta);
    theta -= step;
    if (Math.abs(step) <= 2e-16 * theta) break;
  }
  return theta;
}

/** ε = 1 − cos θ = 2 sin²(θ/2), accurate at every θ. */
// @ts-ignore: decorator
@inline function complementOfTheta(theta: f64): f64 {
  const s = Math.sin(0.5 * theta);
  return 2.0 * s * s;
}

// The state of a pair during its exact steps: ε, u = 1 − Θ̄ at layer l.
let stateEps: f64 = 0.0;
let stateU: f64 = 0.0;
let stateLayer: f64 = 1.0;

/** One exact layer of the paper's-case recursion (w = 1, a = l/(l+1), b = 1/(l+1)), θ = θ(stateEps). */
function exactStep(theta: f64): void {
  const e = stateEps;
  const next = complementStep(e, theta, 1.0);
  const l = stateLayer;
  stateU = (l * (stateU + (1.0 - stateU) * theta * INV_PI) + next) / (l + 1.0);
  stateEps = next;
  stateLayer = l + 1.0;
}

/**
 * s(h) θ_n³ of the sum (C) at the layer h = n + τ whose angle is θ:
 * (h θ/π + ε_{h+1}) W_{h+1}, W_{h+1} = W(θ) / (1 − θ/π), W(θ) θ_n³ = −Ω(θ) (θ_n/θ)³.
 */
function sumTerm(h: f64, theta: f64, thetaN: f64): f64 {
  const r = thetaN / theta;
  const wScaled = -omegaScaled(theta) * r * r * r;
  const epsNext = complementStep(complementOfTheta(theta), theta, 1.0);
  return ((h * theta * INV_PI + epsNext) * wScaled) / (1.0 - theta * INV_PI);
}

/**
 * The Euler–Maclaurin end terms at layer h (angle θ), −(s′(h)/12 − s‴(h)/720), from s at h … h+4
 * along exact steps (five-point forward differences: s′ to O(s⁽⁵⁾), s‴ to O(s⁽⁵⁾)).
 */
function endCorrection(h: f64, theta: f64, thetaN: f64): f64 {
  let e = complementOfTheta(theta);
  let th = theta;
  let s0: f64 = 0.0, s1: f64 = 0.0, s2: f64 = 0.0, s3: f64 = 0.0, s4: f64 = 0.0;
  for (let k = 0; k < 5; k++) {
    const v = sumTerm(h + <f64>k, th, thetaN);
    if (k == 0) s0 = v;
    else if (k == 1) s1 = v;
    else if (k == 2) s2 = v;
    else if (k == 3) s3 = v;
    else s4 = v;
    e = complementStep(e, th, 1.0);
    th = thetaOfComplement(e);
  }
  const d1 = (-25.0 * s0 + 48.0 * s1 - 36.0 * s2 + 16.0 * s3 - 3.0 * s4) / 12.0;
  const d3 = (-5.0 * s0 + 18.0 * s1 - 24.0 * s2 + 14.0 * s3 - 3.0 * s4) / 2.0;
  return -(d1 / 12.0 - d3 / 720.0);
}

// Results of the last jump, read by depthJumpPair.
let resultEps: f64 = 0.0;
let resultU: f64 = 0.0;
let resultTheta: f64 = 0.0;

/**
 * Runs the jump for one pair: ε_1 → (ε_L, u_L, θ_L) in resultEps, resultU, resultTheta. θ_1 comes
 * from ε_1 and 1 + ρ^(1) (correlation.ts thetaOfComplements), so nearly antipodal pairs keep it.
 */
function jump(eps1: f64, onePlusRho1: f64, depth: f64): void {
  stateEps = eps1;
  stateU = eps1;
  stateLayer = 1.0;
  if (eps1 == 0.0) {
    resultEps = 0.0;
    resultU = 0.0;
    resultTheta = 0.0;
    return;
  }
  // Exact steps while θ ≥ THETA_JUMP, and all the way when the jump would be short; a jump with
  // L − n < t_n (case C) needs L − n ≥ SUM_MIN_LAYERS, where the Euler–Maclaurin terms left out
  // (s⁽⁵⁾/30240 and beyond, relative ~t^{-6}) are below float64's resolution.
  let theta = thetaOfComplements(eps1, onePlusRho1);
  while (stateLayer < depth) {
    const left = depth - stateLayer;
    if (left > DIRECT_STEPS && theta < THETA_JUMP && (left >= SUM_MIN_LAYERS || left >= abelPhi(theta))) break;
    exactStep(theta);
    theta = thetaOfComplement(stateEps);
  }
  if (stateLayer >= depth) {
    resultEps = stateEps;
    resultU = stateU;
    resultTheta = theta;
    return;
  }
  const n = stateLayer;
  const delta = depth - n;
  const thetaN = theta;
  const tN = abelPhi(thetaN);
  const thetaL = inverseAbelPhi(tN + delta);
  resultEps = complementOfTheta(thetaL);
  resultTheta = thetaL;
  if (delta >= tN) {
    // (A): T_L = (T_n Ω_n r³ θ_L − θ_n⁴Ψ_n r⁴ + θ_L⁴Ψ_L) / (Ω_L θ_L), r = θ_L/θ_n.
    const r = thetaL / thetaN;
    const r3 = r * r * r;
    const tn = n * (1.0 - stateU);
    const numerator = tn * omegaScaled(thetaN) * r3 * thetaL - psiScaled(thetaN) * r3 * r + psiScaled(thetaL);
    const tL = numerator / (omegaScaled(thetaL) * thetaL);
    resultU = (depth - tL) / depth;
    return;
  }
  // (C): Σ_{h=n}^{L−1} s(h) = ∫_0^{Δ−1} s dτ + (s(0) + s(Δ−1))/2 + [s′/12 − s‴/720]_0^{Δ−1}, τ = h − n.
  const span = delta - 1.0;
  const thetaLast = inverseAbelPhi(tN + span);
  let integral: f64 = 0.0;
  for (let i = 0; i < GAUSS_NODES.length; i++) {
    const tau = 0.5 * span * (1.0 + unchecked(GAUSS_NODES[i]));
    integral += unchecked(GAUSS_WEIGHTS[i]) * sumTerm(n + tau, inverseAbelPhi(tN + tau), thetaN);
  }
  integral *= 0.5 * span;
  const ends = 0.5 * (sumTerm(n, thetaN, thetaN) + sumTerm(n + span, thetaLast, thetaN));
  const slopes = endCorrection(n, thetaN, thetaN) - endCorrection(n + span, thetaLast, thetaN);
  const uN = n * stateU;
  const rL = thetaN / thetaL;
  const wL = -omegaScaled(thetaL) * rL * rL * rL;
  const uL = (uN * -omegaScaled(thetaN) + integral + ends + slopes) / wL;
  resultU = uL / depth;
}

/**
 * One pair at depth L (σb = 0): writes [ε_L = 1 − ρ^(L), u_L = 1 − Θ̄^(L), θ^(L)] at `out` from
 * ε_1 = 1 − ρ^(1) ∈ [0, 2] and 1 + ρ^(1) (each accurate relative to itself; 2 − ε_1 where only ε_1
 * is known, which gives θ_1 = θ(ε_1) bit for bit). `depth` ≥ 1 is an integer (beyond 2^53 its float64 rounding, which
 * changes the results by less than 1e-16 relative). Cost independent of L (about 20 exact steps,
 * a Newton solve, and 14 more in case (C)).
 */
export function depthJumpPair(eps1: f64, onePlusRho1: f64, depth: f64, out: usize): void {
  jump(eps1, onePlusRho1, depth);
  store<f64>(out, resultEps);
  store<f64>(out, resultU, 8);
  store<f64>(out, resultTheta, 16);
}

/**
 * The same for the pairs `start … end − 1` of packed arrays: reads ε_1 from `eps` (and 1 + ρ^(1)
 * from `onePlus`, or 2 − ε_1 when it is 0), writes ε_L to `eps` and u_L to `u` (in place; each
 * pair is independent, so ranges can be split across workers).
 */
export function depthJumpFill(eps: usize, u: usize, start: i32, end: i32, depth: f64, onePlus: usize): void {
  for (let k = start; k < end; k++) {
    const p = <usize>k << 3;
    const e = load<f64>(eps + p);
    jump(e, onePlus != 0 ? load<f64>(onePlus + p) : 2.0 - e, depth);
    store<f64>(eps + p, resultEps);
    store<f64>(u + p, resultU);
  }
}
