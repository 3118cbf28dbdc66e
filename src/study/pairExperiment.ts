/**
 * The study's experiments on single pairs (SPEC §3–4, claims 1, 2 and 4), all on the float64
 * pair path (complement form; the depth jump of SPEC §9 beyond 2000 layers when σb = 0; accurate
 * to about 1e-12 relative at any depth):
 * ρ, 1 − ρ, Θ̄ through depth for representative ρ1 on a power-of-two grid, the fitted rate of
 * 1 − ρ^(L), and the first depth at which 1 − ρ falls below δ with how fast things move there.
 */
import type { Cell, DataTable } from "./dataTable.js";
import { fitPowerLaw, type DepthSeries, type PowerLawFit } from "./series.js";
import { firstDepthsBelow, THRESHOLD_DELTAS, type OneMinusRhoAtDepths } from "./thresholds.js";
import { subdivide } from "./stages.js";
import type { ThresholdRow } from "./verdicts.js";
import { pairThroughDepthFloat64, type ProgressOptions, type NetworkParams } from "../index.js";
import { type LostPairField } from "../index.js";
import { type PairPointFloat64 } from "../index.js";

/** The constant of the expected asymptote 1 − ρ^(L) ≈ 9π²/(2L²) (docs/RECURSIONS.md). */
export const EXPECTED_RATE_CONSTANT = (9 * Math.PI ** 2) / 2;

/** The rate fit uses depths from here on (the asymptote is not reached at shallow depths). */
export const RATE_FIT_FROM = 1024;

const last = <T>(a: readonly T[]): T => a[a.length - 1];

/** A depth-series experiment for several ρ1. */
export interface PairSeriesExperiment {
  /** Columns depth, rho1, rho, oneMinusRho, theta, ntkNormalized, oneMinusNtkNormalized. */
  readonly series: DataTable;
  /** One row per ρ1: fitted slope and constant of 1 − ρ^(L) for L ≥ RATE_FIT_FROM. */
  readonly rateFits: DataTable;
  /** The fits themselves, by ρ1 text. */
  readonly fits: ReadonlyMap<string, PowerLawFit | null>;
  /** 1 − ρ and 1 − Θ̄ series by ρ1 text. */
  readonly oneMinusRho: ReadonlyMap<string, DepthSeries>;
  readonly oneMinusNtk: ReadonlyMap<string, DepthSeries>;
}

/** Float64 stable pair quantities at the given depths (sorted ascending). */
async function pairAt(rho1: string, depths: readonly number[], params: NetworkParams | undefined, progress: ProgressOptions) {
  // "auto": the depth jump (SPEC §9) for σb = 0 beyond AUTO_JUMP_ABOVE layers, so any depth to 2^60 costs the same;
  // depths beyond 2^53 are powers of two here, exact as numbers, and go to the library as exact bigints.
  const exact = depths.map((d) => BigInt(d));
  const r = await pairThroughDepthFloat64({
    rho1,
    depth: exact[exact.length - 1],
    at: exact,
    params,
    method: "auto",
    onProgress: progress.onProgress,
    signal: progress.signal,
  });
  return r.points;
}

/**
 * 1 − ρ at the depths {@link firstDepthsBelow} asks for, each call reported as the next of `runs`
 * equal parts of `progress` (its two passes, and any later run of the caller's).
 */
function oneMinusRhoScan(rho1: string, params: NetworkParams | undefined, progress: ProgressOptions, runs: number): OneMinusRhoAtDepths {
  let run = 0;
  return async (depths) => (await pairAt(rho1, depths, params, subdivide(progress, run++, runs))).map((p) => p.oneMinusRho);
}

/** ρ, 1 − ρ, θ, Θ̄ at `depths` for every ρ1, and the log–log rate fit of 1 − ρ. */
export async function runPairSeries(
  rho1s: readonly string[],
  depths: readonly number[],
  params: NetworkParams | undefined,
  progress: ProgressOptions,
): Promise<PairSeriesExperiment> {
  const rows: Record<string, Cell>[] = [];
  const fitRows: Record<string, Cell>[] = [];
  const fits = new Map<string, PowerLawFit | null>();
  const oneMinusRho = new Map<string, DepthSeries>();
  const oneMinusNtk = new Map<string, DepthSeries>();
  for (const [i, rho1] of rho1s.entries()) {
    const points = await pairAt(rho1, depths, params, subdivide(progress, i, rho1s.length));
    // Values float64 has lost (σb > 0 past 2^-1022, docs/DEPTH_JUMP.md §6) are null in the table and left out of series and fits.
    const kept = (f: LostPairField): PairPointFloat64[] => points.filter((p) => !p.lostToZero.includes(f));
    const value = (p: PairPointFloat64, f: LostPairField): number | null => (p.lostToZero.includes(f) ? null : p[f]);
    for (const p of points) {
      rows.push({
        depth: p.depth,
        rho1,
        rho: p.rho,
        oneMinusRho: value(p, "oneMinusRho"),
        theta: value(p, "theta"),
        ntkNormalized: p.ntkNormalized,
        oneMinusNtkNormalized: value(p, "oneMinusNtkNormalized"),
      });
    }
    const series = { depths: kept("oneMinusRho").map((p) => p.depth), values: kept("oneMinusRho").map((p) => p.oneMinusRho) };
    oneMinusRho.set(rho1, series);
    oneMinusNtk.set(rho1, {
      depths: kept("oneMinusNtkNormalized").map((p) => p.depth),
      values: kept("oneMinusNtkNormalized").map((p) => p.oneMinusNtkNormalized),
    });
    const lastDepth = last(series.depths);
    const tail = series.depths.map((d, i) => [d, series.values[i]] as const).filter(([d]) => d >= RATE_FIT_FROM);
    const fit = fitPowerLaw({ depths: tail.map(([d]) => d), values: tail.map(([, v]) => v) });
    fits.set(rho1, fit);
    fitRows.push({
      rho1,
      fromDepth: tail.length > 0 ? tail[0][0] : null,
      toDepth: tail.length > 0 ? tail[tail.length - 1][0] : null,
      slope: fit?.slope ?? null,
      slopeStdErr: fit?.slopeStdErr ?? null,
      constant: fit?.constant ?? null,
      constantOverExpected: fit ? fit.constant / EXPECTED_RATE_CONSTANT : null,
      maxResidualLog10: fit?.maxResidualLog10 ?? null,
      deepestScaledOverExpected: series.values.length > 0 ? (lastDepth * lastDepth * last(series.values)) / EXPECTED_RATE_CONSTANT : null,
    });
  }
  return {
    series: {
      name: "pair-series",
      description:
        "ρ^(L), 1 − ρ^(L), θ^(L), Θ̄^(L) and 1 − Θ̄^(L) of single pairs at L = 2^k, float64 pair path (complements carried, SPEC §4; the depth jump of SPEC §9 beyond 2000 layers for σb = 0; about 1e-12 relative).",
      columns: [
        { key: "depth", meaning: "L" },
        { key: "rho1", meaning: "ρ^(1) = x·x′ (exact decimal)" },
        { key: "rho", meaning: "ρ^(L) = Σ̄^(L)(x,x′)" },
        { key: "oneMinusRho", meaning: "1 − ρ^(L), carried directly" },
        { key: "theta", meaning: "θ^(L) = arccos ρ^(L), radians" },
        { key: "ntkNormalized", meaning: "Θ̄^(L)(x,x′)" },
        { key: "oneMinusNtkNormalized", meaning: "1 − Θ̄^(L), carried directly" },
      ],
      rows,
    },
    rateFits: {
      name: "rho-rate-fit",
      description: `Least-squares fit of log10(1 − ρ^(L)) = log10 C + s·log10 L over L = 2^k ≥ ${RATE_FIT_FROM}; expected s = −2, C = 9π²/2 ≈ ${EXPECTED_RATE_CONSTANT.toFixed(4)}.`,
      columns: [
        { key: "rho1", meaning: "ρ^(1)" },
        { key: "fromDepth", meaning: "first depth in the fit" },
        { key: "toDepth", meaning: "last depth in the fit" },
        { key: "slope", meaning: "s, fitted exponent" },
        { key: "slopeStdErr", meaning: "standard error of s from the residuals" },
        { key: "constant", meaning: "C, fitted prefactor" },
        { key: "constantOverExpected", meaning: "C / (9π²/2)" },
        { key: "maxResidualLog10", meaning: "largest |residual| of the fit, in decades" },
        { key: "deepestScaledOverExpected", meaning: "L²(1 − ρ^(L)) / (9π²/2) at the deepest L: → 1 if the asymptote holds" },
      ],
      rows: fitRows,
    },
    fits,
    oneMinusRho,
    oneMinusNtk,
  };
}

/** Relative half-width of the central-difference stencil for d/dL at depth L (h = max(1, L/100)). */
export const DERIVATIVE_STEP_FRACTION = 0.01;

/** The stencil step at depth L: h = max(1, round(L × DERIVATIVE_STEP_FRACTION)). */
export function derivativeStep(depth: number): number {
  return Math.max(1, Math.round(depth * DERIVATIVE_STEP_FRACTION));
}

/** Thresholds for one ρ1, with d(1 − ρ)/dL and dΘ̄/dL at each threshold depth. */
export interface ThresholdExperiment {
  readonly rho1: string;
  readonly rows: readonly ThresholdRow[];
  /** Columns delta, depth, oneMinusRho, dOneMinusRhoDL, ntkNormalized, dNtkNormalizedDL. */
  readonly table: DataTable;
}

/**
 * First depth L(δ) with 1 − ρ^(L) < δ for δ = 10^-1 … 10^-12 (exact, see thresholds.ts), and the
 * central differences (v(L+h) − v(L−h)) / 2h of 1 − ρ and Θ̄ there (h = L/100: truncation error
 * about (h/L)² ≈ 1e-4 relative; float64 values of Θ̄ are about 1e-12 relative, so the difference
 * of two is good to about 1e-12 / (2h |dΘ̄/dL| / Θ̄)).
 */
export async function runThresholds(
  rho1: string,
  maxDepth: number,
  params: NetworkParams | undefined,
  progress: ProgressOptions,
): Promise<ThresholdExperiment> {
  // Three runs of the recursion: the two passes of the scan, then the stencils.
  const rows = await firstDepthsBelow(THRESHOLD_DELTAS, oneMinusRhoScan(rho1, params, progress, 3), maxDepth);
  const stencil = new Set<number>();
  for (const r of rows) {
    if (r.depth === null) continue;
    const h = derivativeStep(r.depth);
    for (const d of [r.depth - h, r.depth, r.depth + h]) if (d >= 1) stencil.add(d);
  }
  const depths = [...stencil].sort((a, b) => a - b);
  const points = depths.length > 0 ? await pairAt(rho1, depths, params, subdivide(progress, 2, 3)) : [];
  const at = new Map(points.map((p) => [p.depth, p]));
  const tableRows = rows.map((r): Record<string, Cell> => {
    if (r.depth === null) return { delta: r.delta, depth: null, oneMinusRho: null, dOneMinusRhoDL: null, ntkNormalized: null, dNtkNormalizedDL: null };
    const h = derivativeStep(r.depth);
    const here = at.get(r.depth);
    const lo = at.get(r.depth - h);
    const hi = at.get(r.depth + h);
    return {
      delta: r.delta,
      depth: r.depth,
      oneMinusRho: here?.oneMinusRho ?? null,
      dOneMinusRhoDL: lo && hi ? (hi.oneMinusRho - lo.oneMinusRho) / (2 * h) : null,
      ntkNormalized: here?.ntkNormalized ?? null,
      dNtkNormalizedDL: lo && hi ? (hi.ntkNormalized - lo.ntkNormalized) / (2 * h) : null,
    };
  });
  return {
    rho1,
    rows,
    table: {
      name: `thresholds-rho1-${rho1}`,
      description: `First depth L at which 1 − ρ^(L) < δ for ρ^(1) = ${rho1} (exact scan of the float64 stable pair path), with central differences over ±L/100 at that depth.`,
      columns: [
        { key: "delta", meaning: "δ" },
        { key: "depth", meaning: "L(δ), first depth with 1 − ρ^(L) < δ (null: not reached)" },
        { key: "oneMinusRho", meaning: "1 − ρ at L(δ)" },
        { key: "dOneMinusRhoDL", meaning: "d(1 − ρ)/dL at L(δ), per layer" },
        { key: "ntkNormalized", meaning: "Θ̄ at L(δ)" },
        { key: "dNtkNormalizedDL", meaning: "dΘ̄/dL at L(δ), per layer" },
      ],
      rows: tableRows,
    },
  };
}

/** Initial gaps δ = 1 − ρ1 of the second reading of claim 4: 10^-1 … 10^-10. */
export const HALVING_DELTAS: readonly number[] = Array.from({ length: 10 }, (_, k) => Number(`1e-${k + 1}`));

/** Exact decimal text of 1 − 10^−k ("0.9", "0.99", …), so ρ1 and its complement are read exactly. */
function oneMinusPowerOfTen(k: number): string {
  return `0.${"9".repeat(k)}`;
}

/**
 * A second reading of claim 4, with δ the initial gap: for ρ1 = 1 − δ (exact decimal), the first
 * depth at which 1 − ρ^(L) < δ/2, i.e. the depth a pair that starts δ apart needs before the
 * recursion has visibly moved it. Scanned exactly like {@link runThresholds}, up to `maxDepth`.
 */
export async function runHalvingDepths(
  maxDepth: number,
  params: NetworkParams | undefined,
  progress: ProgressOptions,
): Promise<{ rows: ThresholdRow[]; table: DataTable }> {
  const rows: ThresholdRow[] = [];
  for (const [k, delta] of HALVING_DELTAS.entries()) {
    const rho1 = oneMinusPowerOfTen(k + 1);
    const [row] = await firstDepthsBelow([delta / 2], oneMinusRhoScan(rho1, params, subdivide(progress, k, HALVING_DELTAS.length), 2), maxDepth);
    rows.push({ delta, depth: row.depth });
  }
  return {
    rows,
    table: {
      name: "halving-depths",
      description: "For ρ1 = 1 − δ (exact decimal), the first depth at which 1 − ρ^(L) < δ/2 (exact scan of the float64 stable pair path).",
      columns: [
        { key: "delta", meaning: "δ = 1 − ρ1, the initial gap" },
        { key: "depth", meaning: "first depth with 1 − ρ^(L) < δ/2 (null: not reached)" },
      ],
      rows: rows.map((r) => ({ delta: r.delta, depth: r.depth })),
    },
  };
}

/** Depth of the paper's shallow pair experiment ("ρ^(L) for one pair up to L = 50"). */
export const SHALLOW_PAIR_DEPTH = 50;

/** ρ^(L) and Θ̄^(L) at every depth 1 … SHALLOW_PAIR_DEPTH for each ρ1 (float64 stable path), one row per quantity. */
export async function runShallowPairs(rho1s: readonly string[], params: NetworkParams | undefined, progress: ProgressOptions): Promise<DataTable> {
  const depths = Array.from({ length: SHALLOW_PAIR_DEPTH }, (_, i) => i + 1);
  const rows: Record<string, Cell>[] = [];
  for (const [i, rho1] of rho1s.entries()) {
    for (const p of await pairAt(rho1, depths, params, subdivide(progress, i, rho1s.length))) {
      rows.push({ depth: p.depth, rho1: `ρ1 = ${rho1}`, quantity: "ρ", value: p.rho });
      rows.push({ depth: p.depth, rho1: `ρ1 = ${rho1}`, quantity: "Θ̄", value: p.ntkNormalized });
    }
  }
  return {
    name: "pair-shallow",
    description: `ρ^(L) and Θ̄^(L) at every depth L = 1 … ${SHALLOW_PAIR_DEPTH} for each ρ1 (float64 stable pair path, about 1e-12 relative).`,
    columns: [
      { key: "depth", meaning: "L" },
      { key: "rho1", meaning: "the pair's ρ^(1)" },
      { key: "quantity", meaning: "ρ = Σ̄^(L)(x,x′) or Θ̄ = Θ̄^(L)(x,x′)" },
      { key: "value", meaning: "its value" },
    ],
    rows,
  };
}
