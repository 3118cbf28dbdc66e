/**
 * The explorer's figures: vega-lite line charts (the same `lineChart` as the study report) of a
 * run's pair and data series, float64 and high precision side by side, with a labelled rule at each
 * depth where a float64 computation gives out. Rendered as SVG into the page by a vega View.
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { Cell, DataTable } from "../src/study/dataTable.js";
import { lineChart, type Figure } from "../src/study/figures.js";
import type { DataSeries, PairSeries, PreciseValue } from "./protocol.js";

/** A vertical rule on a chart: a depth and what happens there. */
export interface DepthMarker {
  readonly depth: number;
  readonly label: string;
}

/** One explorer figure with its rules. */
export interface ExplorerFigure {
  readonly figure: Figure;
  readonly markers: readonly DepthMarker[];
}

type Row = Record<string, Cell>;

/** Plot size in pixels: two figures side by side on a laptop screen, legends included. */
const CHART_WIDTH = 440;
const CHART_HEIGHT = 260;

function table(name: string, rows: Row[]): DataTable {
  return { name, description: name, columns: [], rows };
}

/** Rows of a float64 value or a precise one, leaving out what a log axis cannot show. */
function value(v: number | PreciseValue | null, log: boolean): number | null {
  if (v === null) return null;
  const x = typeof v === "number" ? v : v.digits >= 1 ? v.approx : null;
  if (x === null || !Number.isFinite(x)) return null;
  return log && x <= 0 ? null : x;
}

/** Name of the high-precision series in every legend. */
const PRECISE = "high precision";

/** A line chart of `rows` ({depth, value, series, kind}) against depth, log depth when the range spans a decade. */
function chart(depths: readonly number[], name: string, title: string, rows: Row[], yTitle: string, yLog: boolean, markers: readonly DepthMarker[]): ExplorerFigure {
  return {
    figure: lineChart({
      name,
      title,
      caption: title,
      table: table(name, rows),
      x: { key: "depth", title: "depth L", log: depths[depths.length - 1] > 10 * depths[0] },
      y: { key: "value", title: yTitle, log: yLog },
      series: "series",
      dash: "kind",
      points: true,
    }),
    markers,
  };
}

/** Rules where a float64 loop of the pair gives out. */
function pairMarkers(pair: PairSeries): DepthMarker[] {
  const markers: DepthMarker[] = [];
  if (pair.givesOut.textbook !== null) markers.push({ depth: pair.givesOut.textbook, label: "textbook float64 gives out" });
  if (pair.givesOut.stable !== null) markers.push({ depth: pair.givesOut.stable, label: "stable float64 gives out" });
  return markers;
}

/** The pair's figures: ρ, 1 − ρ (log–log, with the paper case's asymptote 9π²/(2L²)) and Θ̄. */
export function pairFigures(pair: PairSeries, depths: readonly number[], paperCase: boolean): ExplorerFigure[] {
  const rows = (key: "rho" | "oneMinusRho" | "ntkNormalized", log: boolean): Row[] => [
    ...pair.stable.map((p) => ({ depth: p.depth, value: value(p[key], log), series: "float64 stable", kind: "float64" })),
    ...pair.textbook.map((p) => ({ depth: p.depth, value: value(p[key], log), series: "float64 textbook", kind: "float64" })),
    ...(pair.precise ?? []).map((p) => ({ depth: p.depth, value: value(p[key], log), series: PRECISE, kind: "high precision" })),
  ];
  const asymptote: Row[] = paperCase ? depths.filter((d) => d >= 10).map((d) => ({ depth: d, value: (9 * Math.PI ** 2) / (2 * d * d), series: "9π²/(2L²)", kind: "asymptote" })) : [];
  const markers = pairMarkers(pair);
  return [
    chart(depths, "rho", `ρ of the pair with ρ1 = ${pair.rho1}`, rows("rho", false), "ρ = Σ̄(x, x′)", false, markers),
    chart(depths, "one-minus-rho", "1 − ρ (log–log)", [...rows("oneMinusRho", true), ...asymptote], "1 − ρ", true, markers),
    chart(depths, "ntk-pair", "Θ̄ of the pair", rows("ntkNormalized", false), "Θ̄(x, x′)", false, markers),
  ];
}

/** The data set's figures: kernel entries, log10|det K| and f∞, with rules where float64 gives out. */
export function dataFigures(data: DataSeries, depths: readonly number[]): ExplorerFigure[] {
  const entryRows: Row[] = [
    ...data.entries.map((e) => ({ depth: e.depth, value: e.float64, series: `pair ${e.pair}`, kind: "float64" })),
    ...data.entries.filter((e) => e.precise).map((e) => ({ depth: e.depth, value: value(e.precise, false), series: `pair ${e.pair}`, kind: "high precision" })),
  ];
  const detRows: Row[] = [
    ...data.determinant.map((d) => ({ depth: d.depth, value: d.signDet === 0 ? null : d.log10AbsDet, series: "float64 (LU)", kind: "float64" })),
    ...data.determinant.filter((d) => d.preciseLog10AbsDet).map((d) => ({ depth: d.depth, value: value(d.preciseLog10AbsDet, false), series: PRECISE, kind: "high precision" })),
  ];
  const predictionRows: Row[] = [
    ...data.predictions.map((p) => ({ depth: p.depth, value: p.float64, series: `test point ${p.test}`, kind: "float64" })),
    ...data.predictions.filter((p) => p.precise).map((p) => ({ depth: p.depth, value: value(p.precise, false), series: `test point ${p.test}`, kind: "high precision" })),
  ];
  // One rule per lost checkpoint, labelled at the start of each run of consecutive ones: measured
  // against high precision when there is a run, else the κ1 estimate's verdict.
  const lost = data.measuredLostDepths ?? data.lostDepths;
  const lostLabel = data.measuredLostDepths ? "float64 has no correct digit" : "float64 LU keeps < 1 digit (κ1 estimate)";
  const markers: DepthMarker[] = lost.map((depth) => {
    const previous = depths[depths.indexOf(depth) - 1];
    return { depth, label: lost.includes(previous) ? "" : lostLabel };
  });
  return [
    chart(
      depths,
      "kernel-entries",
      `${data.kernelLabel}: off-diagonal entries`,
      entryRows,
      data.entriesAreLog10 ? `log10 ${data.kernelLabel}, positive entries` : data.kernelLabel,
      false,
      markers,
    ),
    chart(depths, "log-det", `log10 |det K| of the ${data.m} training points`, detRows, "log10 |det K|", false, markers),
    chart(depths, "predictions", "f∞(x) = K_x K⁻¹ Y at the test points", predictionRows, "prediction", false, markers),
  ];
}

/** Float64's correct digits against high precision (pair and data set); none without a high-precision run. */
export function digitsFigures(pair: PairSeries, data: DataSeries, depths: readonly number[]): ExplorerFigure[] {
  const rows: Row[] = [
    ...(pair.correctDigits?.stable ?? []).map((d, i) => ({ depth: pair.stable[i].depth, value: d, series: "1 − ρ, stable loop", kind: "pair" })),
    ...(pair.correctDigits?.textbook ?? []).map((d, i) => ({ depth: pair.textbook[i].depth, value: d, series: "1 − ρ, textbook loop", kind: "pair" })),
    ...data.determinant.map((d) => ({ depth: d.depth, value: d.float64CorrectDigits, series: "det K (LU)", kind: "data set" })),
    ...data.predictions.map((p) => ({ depth: p.depth, value: p.float64CorrectDigits, series: `f∞ at test point ${p.test}`, kind: "data set" })),
  ];
  return rows.some((r) => r.value !== null) ? [chart(depths, "float64-digits", "Correct significant digits of float64 (against high precision)", rows, "correct digits", false, [])] : [];
}

/** The figure's spec with a rule and a label at each marker depth (layered over the lines). */
export function specWithMarkers(f: ExplorerFigure): TopLevelSpec {
  const { $schema, title, background, ...lines } = f.figure.spec as TopLevelSpec & Record<string, unknown>;
  delete lines.width;
  delete lines.height;
  const markerData = { values: f.markers.map((m) => ({ depth: m.depth, label: m.label ? `${m.label} (L = ${m.depth})` : "" })) };
  return {
    $schema,
    title,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    background,
    layer: [
      lines,
      { data: markerData, mark: { type: "rule", color: "#c0392b", strokeDash: [4, 3] }, encoding: { x: { field: "depth", type: "quantitative" } } },
      {
        data: markerData,
        mark: { type: "text", color: "#c0392b", angle: 270, align: "right", baseline: "bottom", dx: -4, dy: -2, y: 0 },
        encoding: { x: { field: "depth", type: "quantitative" }, text: { field: "label" } },
      },
    ],
  } as TopLevelSpec;
}

/** Renders a spec as SVG into `container`, replacing what was there; returns the view to finalize later. */
export async function renderInto(container: HTMLElement, spec: TopLevelSpec): Promise<View> {
  const view = new View(parse(compile(spec).spec), { renderer: "svg", container, hover: true });
  await view.runAsync();
  return view;
}
