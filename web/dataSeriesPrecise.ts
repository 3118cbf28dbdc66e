/**
 * The high-precision columns of the data series: the Gram matrices of the training and test
 * points at `precision` digits (projection included), the vouched determinant of the training
 * block, and f_∞ in decimal arithmetic with the Gram's vouched digits as its input accuracy; and,
 * against them, how many digits the float64 determinant and predictions actually got right.
 */
import { Decimal } from "decimal.js";
import type { ExplorerData } from "./dataSeries.js";
import type { DataSeries, PreciseValue } from "./protocol.js";
import { preciseValue } from "./preciseValue.js";
import type { ExplorerState } from "./state.js";
import { classify, formatVouched, isNtkError, kernelMatrixPrecise, type GramAtDepthPrecise, type GramMatrixName, type ProgressOptions } from "../src/index.js";
import {
  correctDigits,
  FLOAT64_MATCH_DIGITS,
  float64DigitsFromRelativeError,
  predictFromKernelsPrecise,
  gramDeterminantsPrecise,
  gramThroughDepthPreciseRuns,
  sliceUnion,
  type GramRunsPrecise,
} from "../src/advanced.js";

const MATRIX_NAMES: readonly GramMatrixName[] = ["sigmaNormalized", "oneMinusSigmaNormalized", "ntkNormalized", "oneMinusNtkNormalized"];

/** The float64 series with its high-precision columns filled in. */
export async function withPreciseData(
  series: DataSeries,
  state: ExplorerState,
  depths: readonly number[],
  data: ExplorerData,
  progress: ProgressOptions,
): Promise<DataSeries> {
  const m = data.m;
  const runs = await gramThroughDepthPreciseRuns({
    data: data.union,
    projection: data.projection,
    depths,
    params: { sigmaW: state.sigmaW, sigmaB: state.sigmaB },
    precision: state.precision,
    ...progress,
  });
  const grams = runs.result.grams;
  const determinants = gramDeterminantsPrecise(trainingBlock(runs, m), state.kernel, state.normalized);

  const entries = series.entries.map((e) => {
    const [i, j] = e.pair.split("–").map((k) => Number(k) - 1);
    const g = grams[depths.indexOf(e.depth)];
    return { ...e, precise: entryValue(g, state, i * g.m + j) };
  });

  const determinant = series.determinant.map((d, k) => {
    const p = determinants[k];
    const digits = p.digitsVouched.log10AbsDet;
    if (p.log10AbsDet === null) {
      // det is exactly 0 in exact arithmetic (a zero pivot at working precision): float64 is right only if it says so too.
      const why = p.coincidentPoints ? `: points ${p.coincidentPoints[0]} and ${p.coincidentPoints[1]} coincide on the sphere` : "";
      return {
        ...d,
        preciseLog10AbsDet: { text: `−∞ (det = 0${why})`, approx: NaN, digits: 0 },
        preciseSign: p.signDet,
        float64CorrectDigits: d.signDet === 0 ? FLOAT64_MATCH_DIGITS : 0,
      };
    }
    return {
      ...d,
      preciseLog10AbsDet: preciseValue(p.log10AbsDet, digits),
      preciseSign: p.signDet,
      // Judged against det itself, so only as far as the digits of det (not of its log) are vouched.
      float64CorrectDigits: p.digitsVouched.det < 1 ? null : determinantCorrectDigits(d.signDet, d.log10AbsDet, p.signDet, p.log10AbsDet, p.digitsVouched.det),
    };
  });

  const predictions = [...series.predictions];
  const k = data.k;
  const accuracy = series.accuracy ? [...series.accuracy] : null;
  for (const g of grams) {
    const matrix = kernelMatrixPrecise(g, state.kernel, state.normalized);
    const { train, test } = sliceUnion(matrix, m, g.m - m);
    const at = (t: number) => predictions.findIndex((row) => row.depth === g.depth && row.test === t + 1);
    try {
      const p = await predictFromKernelsPrecise({
        trainKernel: train,
        testKernel: test,
        targets: Array.from(data.targets),
        m,
        k,
        time: "inf",
        precision: state.precision,
        inputDigits: g.digitsVouched,
        signal: progress.signal,
      });
      const digits = p.digitsVouched.predictions;
      for (let t = 0; at(t) >= 0; t++) {
        const row = predictions[at(t)];
        const value = p.predictions[t * k];
        predictions[at(t)] = {
          ...row,
          precise: preciseValue(value, digits),
          float64CorrectDigits: row.float64 === null || digits < 1 ? null : correctDigits(row.float64, value, digits),
        };
      }
      if (accuracy && data.classification && digits >= 1) {
        const i = accuracy.findIndex((a) => a.depth === g.depth);
        accuracy[i] = { ...accuracy[i], precise: classify(p.predictions, data.classification.encoding, data.classification.truth).accuracy };
      }
    } catch (e) {
      // Exactly singular (L = 1 with m > n0, or coincident points): f_∞ does not exist at any precision.
      if (!isNtkError(e, "SINGULAR_MATRIX")) throw e;
      for (let t = 0; at(t) >= 0; t++) predictions[at(t)] = { ...predictions[at(t)], precise: { text: "singular", approx: NaN, digits: 0 } };
    }
  }
  // Lost: float64 got no digit right, or gave a number where high precision shows there is none to give.
  const measuredLostDepths = depths.filter(
    (depth) =>
      determinant.some((d) => d.depth === depth && d.float64CorrectDigits !== null && d.float64CorrectDigits < 1) ||
      predictions.some(
        (p) => p.depth === depth && p.float64 !== null && (p.float64CorrectDigits === null ? (p.precise?.digits ?? 0) < 1 : p.float64CorrectDigits < 1),
      ),
  );
  return { ...series, entries, determinant, predictions, accuracy, measuredLostDepths, preciseVouchedBy: runs.result.vouchedBy };
}

/**
 * Correct significant digits of a float64 determinant given as sign and log10|det| against the
 * high-precision one, whose det is vouched to `vouched` significant digits: ⌊−log10 |10^Δ − 1|⌋
 * with Δ the difference of the logarithms (the relative error of det), 0 when the signs differ,
 * never more than the reference vouches for nor than a float64 holds (FLOAT64_MATCH_DIGITS).
 */
export function determinantCorrectDigits(sign64: -1 | 0 | 1, log10Abs64: number, signPrecise: -1 | 0 | 1, log10AbsPrecise: Decimal, vouched: number): number {
  if (sign64 !== signPrecise) return 0;
  const delta = new Decimal(log10Abs64).minus(log10AbsPrecise).abs().toNumber();
  return Math.min(vouched, float64DigitsFromRelativeError(Math.expm1(delta * Math.LN10)));
}

/** One entry of the chosen kernel: Σ̄/Θ̄ to their vouched decimal places, raw Σ/Θ to significant digits (plotted as log10). */
function entryValue(g: GramAtDepthPrecise, state: ExplorerState, index: number): PreciseValue {
  const name = state.kernel === "ntk" ? "ntkNormalized" : "sigmaNormalized";
  const bar = g[name][index];
  if (state.normalized) {
    const places = g.digitsVouchedByMatrix[name];
    return { text: places >= 1 ? bar.toFixed(places) : "lost", approx: bar.toNumber(), digits: places };
  }
  const raw = bar.times(state.kernel === "ntk" ? g.ntkDiag : g.sigmaDiag);
  const digits = g.digitsVouched;
  return { text: digits >= 1 ? formatVouched(raw, digits) : "lost", approx: raw.gt(0) ? raw.log(10).toNumber() : NaN, digits };
}

/** Both precise runs restricted to the first m points (a pair's entries do not depend on the other points). */
function trainingBlock(runs: GramRunsPrecise, m: number): GramRunsPrecise {
  const n = runs.result.grams[0]?.m ?? m;
  const cut = (matrices: { readonly [K in GramMatrixName]: Decimal[] }) =>
    Object.fromEntries(MATRIX_NAMES.map((k) => [k, sliceUnion(matrices[k], m, n - m).train])) as { [K in GramMatrixName]: Decimal[] };
  return {
    ...runs,
    result: { ...runs.result, grams: runs.result.grams.map((g) => ({ ...g, m, ...cut(g) })) },
    lower: runs.lower.map((r) => ({ ...r, matrices: cut(r.matrices) })),
    upper: runs.upper.map((r) => ({ ...r, matrices: cut(r.matrices) })),
  };
}
