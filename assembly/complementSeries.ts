// Polynomial forms of the complement step (SPEC §4) for ε = 1 − ρ ∈ [0, SERIES_EPS_MAX], where
// the depth loop spends almost all of its layers: with r = sqrt(2ε),
//   θ/π = r · TA(ε),   g(θ)/π = r · ε · TB(ε),   so   ε′ = w ε (1 − r TB(ε))
// with no asin, sin or cos, and in a form that evaluates two pairs at once in f64x2 lanes.
// TA and TB are Chebyshev fits of degree 12 (scripts/complement_series.py, which checks them
// against the exact functions, evaluated as here, to 3.4e-16 relative) on [0, SERIES_EPS_MAX] in ε and, for the first
// layers of a run, on [SERIES_EPS_MAX, SERIES_MID_EPS_MAX] in ε − SERIES_MID_CENTER. Above
// SERIES_MID_EPS_MAX use correlation.ts.

/** Upper end of the first fitted interval of ε; θ(0.45) ≈ 0.98. */
export const SERIES_EPS_MAX: f64 = 0.45;
/** Upper end of the second fitted interval; θ(0.8) ≈ 1.37. */
export const SERIES_MID_EPS_MAX: f64 = 0.8;
/** Expansion point of the second interval (a float64, so that ε − it is exact there). */
const SERIES_MID_CENTER: f64 = 0.625;

// TA: Chebyshev fit error 1.1e-18, float64 Estrin within 3.1e-16 relative on (0, 0.45]
const TA0: f64 = 0.3183098861837907;
const TA1: f64 = 0.026525823848648572;
const TA2: f64 = 0.0059683103660267064;
const TA3: f64 = 0.00177628284308794;
const TA4: f64 = 0.0006044296785866328;
const TA5: f64 = 0.0002225385080842787;
const TA6: f64 = 8.631962511036058e-05;
const TA7: f64 = 3.4638450311721955e-05;
const TA8: f64 = 1.4748083249146145e-05;
const TA9: f64 = 4.9466079460536265e-06;
const TA10: f64 = 4.768441293677736e-06;
const TA11: f64 = -1.4279221743635655e-06;
const TA12: f64 = 2.0787242733972775e-06;
// TB: Chebyshev fit error 6.7e-20, float64 Estrin within 2.6e-16 relative on (0, 0.45]
const TB0: f64 = 0.2122065907891938;
const TB1: f64 = 0.010610329539459649;
const TB2: f64 = 0.0017052315331325019;
const TB3: f64 = 0.0003947295213116036;
const TB4: f64 = 0.00010989629344110695;
const TB5: f64 = 3.423682778683443e-05;
const TB6: f64 = 1.1508292179855902e-05;
const TB7: f64 = 4.079999156253012e-06;
const TB8: f64 = 1.5361797953453286e-06;
const TB9: f64 = 5.070894479599677e-07;
const TB10: f64 = 3.637834769054843e-07;
const TB11: f64 = -7.271389068675264e-08;
const TB12: f64 = 1.3908730297508688e-07;
// TAM on [0.45, 0.8] in ε − 0.625: Chebyshev fit error 1.0e-18, float64 Estrin within 3.4e-16 relative
const TAM0: f64 = 0.33777390514140787;
const TAM1: f64 = 0.036897809569016435;
const TAM2: f64 = 0.01156207100484248;
const TAM3: f64 = 0.004889157140633637;
const TAM4: f64 = 0.0023848399185554415;
const TAM5: f64 = 0.0012645664581510201;
const TAM6: f64 = 0.000708249379556938;
const TAM7: f64 = 0.0004122866365747976;
const TAM8: f64 = 0.00024698454684619664;
const TAM9: f64 = 0.00015117463951691028;
const TAM10: f64 = 9.423409554982695e-05;
const TAM11: f64 = 6.215203678848245e-05;
const TAM12: f64 = 3.98048288241026e-05;
// TBM on [0.45, 0.8] in ε − 0.625: Chebyshev fit error 5.1e-20, float64 Estrin within 2.0e-16 relative
const TBM0: f64 = 0.21962144072810164;
const TBM1: f64 = 0.013346790478808686;
const TBM2: f64 = 0.0028246666975958235;
const TBM3: f64 = 0.0008937267004068976;
const TBM4: f64 = 0.0003469547955038417;
const TBM5: f64 = 0.00015250833303447457;
const TBM6: f64 = 7.286994731118174e-05;
const TBM7: f64 = 3.696575451836402e-05;
const TBM8: f64 = 1.9615393597821783e-05;
const TBM9: f64 = 1.077513809026633e-05;
const TBM10: f64 = 6.0900956945130735e-06;
const TBM11: f64 = 3.6507568566562164e-06;
const TBM12: f64 = 2.15459777757104e-06;

// Degree-12 polynomials by Estrin's scheme: a dependency chain of ~5 operations instead of
// Horner's 24, because the depth loop is bound by latency (each layer needs the previous ε).
// @ts-ignore: decorator
@inline function estrin(e: f64, c0: f64, c1: f64, c2: f64, c3: f64, c4: f64, c5: f64, c6: f64, c7: f64, c8: f64, c9: f64, c10: f64, c11: f64, c12: f64): f64 {
  const e2 = e * e;
  const e4 = e2 * e2;
  const e8 = e4 * e4;
  const low = c0 + c1 * e + e2 * (c2 + c3 * e) + e4 * (c4 + c5 * e + e2 * (c6 + c7 * e));
  const high = c8 + c9 * e + e2 * (c10 + c11 * e) + e4 * c12;
  return low + e8 * high;
}

/** θ(ε)/π / sqrt(2ε) for ε ∈ [0, SERIES_EPS_MAX]. */
// @ts-ignore: decorator
@inline export function seriesTA(e: f64): f64 {
  return estrin(e, TA0, TA1, TA2, TA3, TA4, TA5, TA6, TA7, TA8, TA9, TA10, TA11, TA12);
}

/** g(θ(ε))/π / (ε sqrt(2ε)) for ε ∈ [0, SERIES_EPS_MAX]. */
// @ts-ignore: decorator
@inline export function seriesTB(e: f64): f64 {
  return estrin(e, TB0, TB1, TB2, TB3, TB4, TB5, TB6, TB7, TB8, TB9, TB10, TB11, TB12);
}

/** TA(ε) for ε ∈ [SERIES_EPS_MAX, SERIES_MID_EPS_MAX]. */
// @ts-ignore: decorator
@inline export function seriesMidTA(e: f64): f64 {
  const t = e - SERIES_MID_CENTER;
  return estrin(t, TAM0, TAM1, TAM2, TAM3, TAM4, TAM5, TAM6, TAM7, TAM8, TAM9, TAM10, TAM11, TAM12);
}

/** TB(ε) for ε ∈ [SERIES_EPS_MAX, SERIES_MID_EPS_MAX]. */
// @ts-ignore: decorator
@inline export function seriesMidTB(e: f64): f64 {
  const t = e - SERIES_MID_CENTER;
  return estrin(t, TBM0, TBM1, TBM2, TBM3, TBM4, TBM5, TBM6, TBM7, TBM8, TBM9, TBM10, TBM11, TBM12);
}

// c + d e in both lanes.
// @ts-ignore: decorator
@inline function lin2(c: f64, d: f64, e: v128): v128 {
  return f64x2.add(f64x2.splat(c), f64x2.mul(f64x2.splat(d), e));
}

// @ts-ignore: decorator
@inline function estrin2(e: v128, c0: f64, c1: f64, c2: f64, c3: f64, c4: f64, c5: f64, c6: f64, c7: f64, c8: f64, c9: f64, c10: f64, c11: f64, c12: f64): v128 {
  const e2 = f64x2.mul(e, e);
  const e4 = f64x2.mul(e2, e2);
  const e8 = f64x2.mul(e4, e4);
  const low = f64x2.add(
    f64x2.add(lin2(c0, c1, e), f64x2.mul(e2, lin2(c2, c3, e))),
    f64x2.mul(e4, f64x2.add(lin2(c4, c5, e), f64x2.mul(e2, lin2(c6, c7, e)))),
  );
  const high = f64x2.add(f64x2.add(lin2(c8, c9, e), f64x2.mul(e2, lin2(c10, c11, e))), f64x2.mul(e4, f64x2.splat(c12)));
  return f64x2.add(low, f64x2.mul(e8, high));
}

/** {@link seriesTA} in both f64x2 lanes (SIMD build only). */
// @ts-ignore: decorator
@inline export function seriesTA2(e: v128): v128 {
  return estrin2(e, TA0, TA1, TA2, TA3, TA4, TA5, TA6, TA7, TA8, TA9, TA10, TA11, TA12);
}

/** {@link seriesTB} in both f64x2 lanes (SIMD build only). */
// @ts-ignore: decorator
@inline export function seriesTB2(e: v128): v128 {
  return estrin2(e, TB0, TB1, TB2, TB3, TB4, TB5, TB6, TB7, TB8, TB9, TB10, TB11, TB12);
}
