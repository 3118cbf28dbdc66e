/**
 * Plain TypeScript port of the WebAssembly Gram kernels (assembly/gram.ts) and of the correlation
 * step they use (assembly/correlation.ts), line for line, over typed arrays instead of pointers.
 * It is the baseline of the Gram benchmark and an independent cross-check of the WASM builds;
 * `gramThroughDepthFloat64({ backend: "plain" })` runs on it. Same results to a few ulps (the
 * only differences are the libm implementations of asin, sin and cos). The complement algebra
 * (θ, g, 1 ∓ x·x′, layer 1) is that of complement.ts.
 */
import { GRAM_COEFFICIENTS_PER_LAYER } from "../layerScalars.js";
import { gOfTheta, innerProductComplements, layerOneComplements, thetaOfComplement, thetaOfComplements } from "../complement.js";

/** Float64 values per layer in a coefficient array (its layout is LayerScalars.fill's). */
export { GRAM_COEFFICIENTS_PER_LAYER };

const INV_PI = 1 / Math.PI;

/** Below this ε the step uses the polynomial forms (assembly/complementSeries.ts). */
const SERIES_EPS_MAX = 0.45;
/** TA(ε) = θ/π / sqrt(2ε), Chebyshev fit of degree 12 on [0, 0.45] (scripts/complement_series.py), ascending powers. */
const TA = [
  0.3183098861837907, 0.026525823848648572, 0.0059683103660267064, 0.00177628284308794, 0.0006044296785866328, 0.0002225385080842787, 8.631962511036058e-5,
  3.4638450311721955e-5, 1.4748083249146145e-5, 4.9466079460536265e-6, 4.768441293677736e-6, -1.4279221743635655e-6, 2.0787242733972775e-6,
];
/** TB(ε) = g(θ)/π / (ε sqrt(2ε)), likewise. */
const TB = [
  0.2122065907891938, 0.010610329539459649, 0.0017052315331325019, 0.0003947295213116036, 0.00010989629344110695, 3.423682778683443e-5, 1.1508292179855902e-5,
  4.079999156253012e-6, 1.5361797953453286e-6, 5.070894479599677e-7, 3.637834769054843e-7, -7.271389068675264e-8, 1.3908730297508688e-7,
];
/** Second interval of the fits: ε ∈ [0.45, 0.8], in t = ε − 0.625. */
const SERIES_MID_EPS_MAX = 0.8;
const SERIES_MID_CENTER = 0.625;
const TAM = [
  0.33777390514140787, 0.036897809569016435, 0.01156207100484248, 0.004889157140633637, 0.0023848399185554415, 0.0012645664581510201, 0.000708249379556938,
  0.0004122866365747976, 0.00024698454684619664, 0.00015117463951691028, 9.423409554982695e-5, 6.215203678848245e-5, 3.98048288241026e-5,
];
const TBM = [
  0.21962144072810164, 0.013346790478808686, 0.0028246666975958235, 0.0008937267004068976, 0.0003469547955038417, 0.00015250833303447457, 7.286994731118174e-5,
  3.696575451836402e-5, 1.9615393597821783e-5, 1.077513809026633e-5, 6.0900956945130735e-6, 3.6507568566562164e-6, 2.15459777757104e-6,
];

/** Degree-12 polynomial with ascending coefficients c by Estrin's scheme (as assembly/complementSeries.ts). */
function estrin(c: readonly number[], e: number): number {
  const e2 = e * e;
  const e4 = e2 * e2;
  const e8 = e4 * e4;
  const low = c[0] + c[1] * e + e2 * (c[2] + c[3] * e) + e4 * (c[4] + c[5] * e + e2 * (c[6] + c[7] * e));
  const high = c[8] + c[9] * e + e2 * (c[10] + c[11] * e) + e4 * c[12];
  return low + e8 * high;
}

/** One layer of the complement recursion: 1 − ρ′ = w (ε − g(θ)/π) for the layer weight w ∈ (0, 1]. */
function complementStep(eps: number, theta: number, w: number): number {
  return w * (eps - gOfTheta(theta) / Math.PI);
}

/**
 * Layer 1 of every pair i < j, packed (pair (i, j) at i m − i(i+1)/2 + j − i − 1), as
 * assembly/innerProducts.ts: ε_1 = c1 (1 − x·x′) ∈ [0, 2] to `eps` and θ_1 = arccos Σ̄^(1) to `u`,
 * from 1 + Σ̄^(1) = twoBias + c1 (1 + x·x′) above ε_1 = 1 (twoBias = 2σb²/q_1); 1 ∓ x·x′ = |x ∓ x′|²/2
 * where the inner product cancels. `coords` is row-major m × n0.
 */
export function plainGramInitialComplement(coords: Float64Array, m: number, n0: number, c1: number, twoBias: number, eps: Float64Array, u: Float64Array): void {
  plainInputComplements(coords, m, n0, eps, u);
  for (let k = 0; k < eps.length; k++) {
    const [e, eBar] = layerOneComplements(c1, twoBias, eps[k], u[k]);
    u[k] = thetaOfComplements(e, eBar);
    eps[k] = e;
  }
}

/**
 * 1 − x_i·x_j to `oneMinus` and 1 + x_i·x_j to `onePlus` for every pair i < j, packed as in
 * {@link plainGramInitialComplement}: each accurate relative to itself, |x ∓ x′|²/2 where the inner
 * product cancels.
 */
export function plainInputComplements(coords: Float64Array, m: number, n0: number, oneMinus: Float64Array, onePlus: Float64Array): void {
  let k = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      [oneMinus[k], onePlus[k]] = innerProductComplements(coords, n0, i, j);
      k++;
    }
  }
}

/**
 * Advances pairs `first … first + count − 1` by `steps` layers with the per-layer coefficients `coef`:
 * the exact step while ε ≥ 0.8, the polynomial fits below (ε never increases). With `fromLayerOne`
 * the state is layer 1's (ε_1, θ_1) of {@link plainGramInitialComplement}, and the first layer is
 * the exact step from that θ_1 (as assembly/gram.ts).
 */
export function plainGramAdvance(
  eps: Float64Array,
  u: Float64Array,
  first: number,
  count: number,
  coef: Float64Array,
  steps: number,
  fromLayerOne = false,
): void {
  for (let p = first; p < first + count; p++) {
    let e = eps[p];
    let v = u[p];
    let l = 0;
    let c = 0;
    if (fromLayerOne && steps > 0) {
      // u_1 = ε_1; v holds θ_1.
      const eNext = complementStep(e, v, coef[0]);
      v = coef[1] * (e + (1 - e) * (v * INV_PI)) + coef[2] * eNext;
      e = eNext;
      l = 1;
      c = GRAM_COEFFICIENTS_PER_LAYER;
    }
    for (; l < steps && e >= SERIES_EPS_MAX; l++, c += GRAM_COEFFICIENTS_PER_LAYER) {
      let thetaOverPi: number;
      if (e >= SERIES_MID_EPS_MAX) {
        const theta = thetaOfComplement(e);
        e = complementStep(e, theta, coef[c]);
        thetaOverPi = theta * INV_PI;
      } else {
        const r = Math.sqrt(e + e);
        const t = e - SERIES_MID_CENTER;
        thetaOverPi = r * estrin(TAM, t);
        e = coef[c] * (e * (1 - r * estrin(TBM, t)));
      }
      v = coef[c + 1] * (v + (1 - v) * thetaOverPi) + coef[c + 2] * e;
    }
    // u = v + cv as a double word: u′ = u + δ, δ = b (ε′ − u) + a (1 − u) θ/π; each layer
    // renormalizes (v, cv) (Fast2Sum) and adds δ with TwoSum, so cv stays within a few ulps of u
    // however fast u decays (as assembly/gram.ts). ε = e + ce too: ε′ = w (e − q) with
    // q = e r TB(e) − ce, keeping the exact error of e − q (Fast2Sum), whose rounding otherwise
    // falls on the same side every layer for a close pair (as assembly/gram.ts).
    let cv = 0;
    let ce = 0;
    for (; l < steps; l++, c += GRAM_COEFFICIENTS_PER_LAYER) {
      const r = Math.sqrt(e + e);
      const thetaOverPi = r * estrin(TA, e);
      const q = e * (r * estrin(TB, e)) - ce;
      const s = e - q;
      ce = coef[c] * (e - s - q);
      e = coef[c] * s;
      const vc = v + cv;
      const d = coef[c + 2] * (e - vc) + coef[c + 1] * ((1 - vc) * thetaOverPi);
      const sum = vc + d;
      const z = sum - vc;
      cv = cv - (vc - v) + (vc - (sum - z) + (d - z));
      v = sum;
    }
    eps[p] = e + ce;
    u[p] = v + cv;
  }
}

/** The full symmetric m × m matrix of packed values (or of 1 − value), with `diagonal` on the diagonal. */
export function plainGramUnpack(packed: Float64Array, m: number, out: Float64Array, diagonal: number, fromComplement: boolean): void {
  let k = 0;
  for (let i = 0; i < m; i++) {
    out[i * m + i] = diagonal;
    for (let j = i + 1; j < m; j++) {
      const x = fromComplement ? 1 - packed[k] : packed[k];
      out[i * m + j] = x;
      out[j * m + i] = x;
      k++;
    }
  }
}
