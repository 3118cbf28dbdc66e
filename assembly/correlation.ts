// The correlation map of one ReLU layer (SPEC §3–4): the arc-cosine map h, its derivative κ0,
// in the stable complement form carried by every depth loop, and the textbook form kept only to
// show how it fails near ρ = 1.
//
// Stable form: the state is ε = 1 − ρ ∈ [0, 2], never ρ. From it
//   θ = 2 asin(sqrt(ε/2))            (no arccos near 1)
//   1 − κ0(ρ) = θ/π
//   1 − h(ρ) = ε − g(θ)/π,  g(θ) = sin θ − θ cos θ (series below θ = 1, where g cancels)
// General σw, σb enter through w = σw² q / (2 q′) ∈ (0, 1]: ε′ = w (ε − g(θ)/π) (SPEC §2 with
// ρ′ = w h(ρ) + 1 − w, since σb²/q′ = 1 − w).

/** Below this angle g(θ) comes from its series: direct evaluation would lose ~log10(3/θ²) digits. */
const SERIES_BELOW: f64 = 1.0;

// Coefficients of g(θ)/θ³ as a polynomial in θ²: (−1)^{k+1} 2k / (2k+1)! / θ^{2k−2}, k = 1…10.
// At θ = 1 the first omitted term (k = 11) is 22/23! ≈ 8.5e-22 of g(1) ≈ 0.30: far below an ulp.
const G1: f64 = 1.0 / 3.0;
const G2: f64 = -1.0 / 30.0;
const G3: f64 = 1.0 / 840.0;
const G4: f64 = -1.0 / 45360.0;
const G5: f64 = 1.0 / 3991680.0;
const G6: f64 = -1.0 / 518918400.0;
const G7: f64 = 1.0 / 93405312000.0;
const G8: f64 = -1.0 / 22230464256000.0;
const G9: f64 = 1.0 / 6758061133824000.0;
const G10: f64 = -1.0 / 2554547108585472000.0;

/**
 * θ = arccos(1 − ε) for ε = 1 − ρ ∈ [0, 2], without forming ρ: 2 asin(sqrt(ε/2)) up to ε = 1, and
 * π − 2 asin(sqrt(1 − ε/2)) above (1 − ε/2 is exact there), since asin is ill-conditioned near 1:
 * at ρ = −1 + 1e-15 the first form loses half the digits of π − θ (4e-10 relative in 1 − Θ̄^(2)).
 */
// @ts-ignore: decorator
@inline export function thetaOfComplement(eps: f64): f64 {
  // 2 − ε is exact for ε ∈ [1, 2], so this is π − 2 asin(sqrt(1 − ε/2)) bit for bit.
  return thetaOfComplements(eps, 2.0 - eps);
}

/**
 * θ = arccos ρ from both complements, ε = 1 − ρ and ε̄ = 1 + ρ, each accurate relative to itself
 * (ε + ε̄ = 2): from ε up to ε = 1 and from ε̄ above, so that θ near π (nearly antipodal layer-1
 * inputs, whose ε̄ = |x + x′|²/2 is lost in ε = 2 − ε̄) keeps π − θ = 2 asin(sqrt(ε̄/2)) to a few ulps.
 */
// @ts-ignore: decorator
@inline export function thetaOfComplements(eps: f64, epsBar: f64): f64 {
  return eps <= 1.0 ? 2.0 * Math.asin(Math.sqrt(0.5 * eps)) : Math.PI - 2.0 * Math.asin(Math.sqrt(0.5 * epsBar));
}

/** g(θ) = sin θ − θ cos θ for θ ∈ [0, π], accurate to a few ulps relative at every θ. */
export function gOfTheta(theta: f64): f64 {
  if (theta < SERIES_BELOW) {
    const t2 = theta * theta;
    const p = G1 + t2 * (G2 + t2 * (G3 + t2 * (G4 + t2 * (G5 + t2 * (G6 + t2 * (G7 + t2 * (G8 + t2 * (G9 + t2 * G10))))))));
    return theta * t2 * p;
  }
  return Math.sin(theta) - theta * Math.cos(theta);
}

/**
 * One layer of the complement recursion: 1 − ρ′ from ε = 1 − ρ and θ = θ(ε), for the layer
 * weight w ∈ (0, 1] (w = 1 in the paper's case). Never negative: g(θ)/π < ε for θ > 0.
 */
// @ts-ignore: decorator
@inline export function complementStep(eps: f64, theta: f64, w: f64): f64 {
  return w * (eps - gOfTheta(theta) / Math.PI);
}

/**
 * Textbook h(z) = z asin(z)/π + sqrt(1 − z²)/π + z/2 (SPEC §3): loses 1 − h near z = 1. Like any
 * float64 implementation of it, it clamps z to [−1, 1] first: h rounds to values a few ulps above
 * 1, where asin and sqrt would return NaN.
 */
export function textbookArcCosMap(z: f64): f64 {
  const c = min<f64>(1.0, max<f64>(-1.0, z));
  return (c * Math.asin(c) + Math.sqrt(1.0 - c * c)) / Math.PI + 0.5 * c;
}

/** Textbook κ0(z) = 1/2 + asin(z)/π (SPEC §3), z clamped to [−1, 1] as in textbookArcCosMap. */
export function textbookKappa0(z: f64): f64 {
  return 0.5 + Math.asin(min<f64>(1.0, max<f64>(-1.0, z))) / Math.PI;
}
