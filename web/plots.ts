/**
 * The explorer's figures, built for the comparison the page exists for: complements on log axes
 * (where float64 loses them), high precision drawn as a wide pale band under the thin float64
 * lines, float64's correct digits in a figure of their own, depth ticks as powers of ten, a
 * tooltip with the exact value at every checkpoint, one legend showing each line's colour and
 * dash, and rules (with tooltips) where float64 gives out. Vega-lite specs sized to their
 * container, rendered as SVG by a vega View.
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { DataSeries, PairRow, PairSeries, PreciseValue } from "./protocol.js";
import { formatFloat64, type LostPairField } from "../src/index.js";
import { FLOAT64_MATCH_DIGITS } from "../src/advanced.js";

/** One checkpoint of one line: what is plotted and the exact text the tooltip shows. */
export interface Point {
  readonly depth: number;
  readonly value: number;
  readonly series: string;
  /** The value as the tables print it (float64 shortest round trip, or high precision's vouched digits). */
  readonly text: string;
}

/** How one line is drawn. */
interface LineStyle {
  readonly color: string;
  readonly dash: readonly number[];
  /** A wide pale band (the high-precision reference) instead of a thin line. */
  readonly band?: boolean;
}

/** A vertical rule at a depth where something gives out; the reason is in its tooltip and the caption. */
export interface DepthMarker {
  readonly depth: number;
  readonly label: string;
}

/** One figure: a title and a one-sentence description (its text alternative; the numbers are in the tables). */
export interface ExplorerFigure {
  readonly name: FigureName;
  readonly title: string;
  readonly description: string;
  readonly spec: TopLevelSpec;
}

/** The figure slots, in the page's fixed order. */
export const FIGURE_NAMES = ["float64-digits", "accuracy", "one-minus-rho", "one-minus-ntk", "kernel-entries", "log-det", "predictions"] as const;
export type FigureName = (typeof FIGURE_NAMES)[number];

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];
const DASHES: readonly (readonly number[])[] = [
  [1, 0],
  [6, 3],
  [2, 2],
  [8, 3, 2, 3],
  [12, 4],
  [3, 5],
];
const SOLID = [1, 0];
const PRECISE = "high precision";
/** Height of a figure in pixels, legend included (the width is the container's). */
const HEIGHT = 320;

/** Styles for named series: fixed ones first, then palette colours and dash patterns in turn. */
function styles(names: readonly string[], fixed: Readonly<Record<string, LineStyle>> = {}): Map<string, LineStyle> {
  let k = 0;
  return new Map(
    names.map((name) => {
      if (fixed[name]) return [name, fixed[name]];
      const style = { color: PALETTE[k % PALETTE.length], dash: DASHES[k % DASHES.length] };
      k++;
      return [name, style];
    }),
  );
}

const PAIR_STYLES: Record<string, LineStyle> = {
  "float64 stable": { color: "#1f77b4", dash: SOLID },
  "float64 jump": { color: "#1f77b4", dash: SOLID },
  "float64 textbook": { color: "#d62728", dash: [6, 3] },
  [PRECISE]: { color: "#555555", dash: SOLID, band: true },
  "9π²/(2L²)": { color: "#2ca02c", dash: [2, 3] },
};

/** A vega expression labelling a tick at a power of ten as 1, 10, 10², 10⁻³, …. */
function decadeLabel(): string {
  let exponent = "format(round(log(datum.value) / LN10), 'd')";
  exponent = `replace(${exponent}, regexp('-', 'g'), '⁻')`;
  "⁰¹²³⁴⁵⁶⁷⁸⁹".split("").forEach((sup, digit) => (exponent = `replace(${exponent}, regexp('${digit}', 'g'), '${sup}')`));
  return `datum.value == 1 ? '1' : datum.value == 10 ? '10' : '10' + ${exponent}`;
}

/** Powers of ten from `min` to `max`, every k-th decade so that at most `most` remain. */
export function decadeTicks(min: number, max: number, most = 6): number[] {
  const lo = Math.ceil(Math.log10(min) - 1e-9);
  const hi = Math.floor(Math.log10(max) + 1e-9);
  const step = Math.max(1, Math.ceil((hi - lo + 1) / most));
  const ticks: number[] = [];
  for (let k = lo; k <= hi; k += step) ticks.push(Number(`1e${k}`));
  return ticks;
}

/** A depth axis over exactly the checkpoints' range: log with 10^k ticks when it spans a decade, else whole numbers. */
function depthAxis(depths: readonly number[]) {
  const [min, max] = [depths[0], depths[depths.length - 1]];
  const base = { field: "depth", type: "quantitative" as const, title: "depth L" };
  if (max >= 10 * min)
    return {
      ...base,
      scale: { type: "log" as const, domain: [min, max], nice: false },
      axis: { values: decadeTicks(min, max), labelExpr: decadeLabel(), grid: true },
    };
  return { ...base, scale: { domain: [min, max], nice: false, zero: false }, axis: { format: "d", tickMinStep: 1 } };
}

/** A value axis: log with 10^k ticks over the data's decades, or linear. */
function valueAxis(points: readonly Point[], title: string, log: boolean, domain?: [number, number]) {
  const base = { field: "value", type: "quantitative" as const, title };
  if (!log) return { ...base, scale: domain ? { domain, nice: false } : { zero: false } };
  const values = points.map((p) => p.value);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  return { ...base, scale: { type: "log" as const, domain: [lo, hi], nice: false }, axis: { values: decadeTicks(lo, hi), labelExpr: decadeLabel() } };
}

interface ChartOptions {
  readonly name: FigureName;
  readonly title: string;
  readonly description: string;
  readonly points: readonly Point[];
  readonly depths: readonly number[];
  readonly yTitle: string;
  readonly yLog: boolean;
  readonly yDomain?: [number, number];
  readonly styles: Map<string, LineStyle>;
  readonly markers: readonly DepthMarker[];
}

/** A line chart of `points` against depth, as wide as its container. */
function chart(o: ChartOptions): ExplorerFigure {
  const names = [...o.styles.keys()].filter((name) => o.points.some((p) => p.series === name));
  // A band drawn for each line ("pair 1–2, high precision") is said once in the caption, not listed beside every line.
  const legend = { values: names.filter((n) => !n.endsWith(`, ${PRECISE}`)) };
  const color = { field: "series", type: "nominal" as const, title: null, legend, scale: { domain: names, range: names.map((n) => o.styles.get(n)!.color) } };
  const strokeDash = {
    field: "series",
    type: "nominal" as const,
    title: null,
    legend,
    scale: { domain: names, range: names.map((n) => [...o.styles.get(n)!.dash]) },
  };
  const bands = names.filter((n) => o.styles.get(n)!.band);
  const isBand = `indexof(${JSON.stringify(bands)}, datum.series) >= 0`;
  const markerValues = o.markers.map((m) => ({ depth: m.depth, label: `${m.label} (L = ${m.depth})` }));
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: `${o.title}. ${o.description}`,
    width: "container",
    height: HEIGHT,
    autosize: { type: "fit", contains: "padding", resize: true },
    background: "white",
    config: {
      legend: { orient: "bottom", columns: 2, labelLimit: 160, symbolStrokeWidth: 3, symbolSize: 260, labelFontSize: 12 },
      axis: { labelOverlap: true, labelFontSize: 11, titleFontSize: 12 },
      // The figure's name is its description; per-mark ARIA would repeat the tables point by point.
      aria: false,
    },
    encoding: { x: depthAxis(o.depths) },
    layer: [
      {
        data: { values: o.points },
        transform: [{ filter: `!(${isBand})` }],
        mark: { type: "line", clip: true, strokeWidth: 1.6 },
        encoding: { y: valueAxis(o.points, o.yTitle, o.yLog, o.yDomain), color, strokeDash },
      },
      {
        data: { values: o.points },
        transform: [{ filter: isBand }],
        mark: { type: "line", clip: true, strokeWidth: 8, opacity: 0.3 },
        encoding: { y: { field: "value", type: "quantitative" }, color, strokeDash },
      },
      {
        // Invisible targets for the tooltips, one per checkpoint and line.
        data: { values: o.points },
        mark: { type: "point", filled: true, size: 80, opacity: 0, clip: true },
        encoding: {
          y: { field: "value", type: "quantitative" },
          color: { value: "black" },
          tooltip: [
            { field: "series", title: "line" },
            { field: "depth", title: "depth L", format: "d" },
            { field: "text", title: o.yTitle },
          ],
        },
      },
      ...(markerValues.length > 0
        ? [
            {
              data: { values: markerValues },
              mark: { type: "rule", color: "#c0392b", strokeDash: [4, 3], strokeWidth: 1.5 },
              encoding: { tooltip: { field: "label" } },
            },
          ]
        : []),
    ],
    resolve: { scale: { y: "shared" } },
  };
  return { name: o.name, title: o.title, description: o.description, spec: spec as unknown as TopLevelSpec };
}

/** A float64 value as a point (left out when a log axis cannot show it). */
function float64Point(depth: number, x: number | null, series: string, text: string, log: boolean): Point[] {
  return x === null || !Number.isFinite(x) || (log && x <= 0) ? [] : [{ depth, value: x, series, text }];
}

/** A high-precision value as a point, left out when it vouches no digit (or a log axis cannot show it). */
function precisePoint(depth: number, v: PreciseValue | null, series: string, log: boolean): Point[] {
  return v === null || v.digits < 1 ? [] : float64Point(depth, v.approx, series, v.text, log);
}

/** Rules where a float64 loop of the pair gives out. */
function pairMarkers(pair: PairSeries): DepthMarker[] {
  const markers: DepthMarker[] = [];
  if (pair.givesOut.textbook !== null) markers.push({ depth: pair.givesOut.textbook, label: "textbook float64 has no correct digit of 1 − ρ from here" });
  if (pair.givesOut.stable !== null) markers.push({ depth: pair.givesOut.stable, label: "stable float64 has no correct digit of 1 − ρ from here" });
  return markers;
}

/** What the pair's rules mark, for the captions. */
function markerWords(markers: readonly DepthMarker[]): string {
  return markers.length === 0 ? "" : ` Red dashed rules: ${markers.map((m) => `${m.label} (L = ${m.depth})`).join("; ")}.`;
}

/** The pair's figures: 1 − ρ and 1 − Θ̄ on log–log axes, float64 loops over the high-precision band. */
export function pairFigures(pair: PairSeries, depths: readonly number[]): ExplorerFigure[] {
  const stableName = pair.stableMethod === "jump" ? "float64 jump" : "float64 stable";
  // A value float64 has lost (pair.lost) is not drawn: its bits stand for no number.
  const shown = (p: PairRow<number>, key: "oneMinusRho" | "oneMinusNtkNormalized", lost: readonly LostPairField[] | undefined) =>
    lost?.includes(key) ? null : p[key];
  const points = (key: "oneMinusRho" | "oneMinusNtkNormalized"): Point[] => [
    ...pair.stable.flatMap((p, i) => float64Point(p.depth, shown(p, key, pair.lost.stable[i]), stableName, formatFloat64(p[key]), true)),
    ...pair.textbook.flatMap((p, i) => float64Point(p.depth, shown(p, key, pair.lost.textbook[i]), "float64 textbook", formatFloat64(p[key]), true)),
    ...(pair.precise ?? []).flatMap((p) => precisePoint(p.depth, p[key], PRECISE, true)),
  ];
  // The asymptote holds at large L only: drawn where it does not rise above the curve (ρ1 near 1 keeps 1 − ρ far below it for long).
  const largest = Math.max(...pair.stable.map((p) => p.oneMinusRho));
  const asymptote: Point[] = pair.paperCase
    ? depths
        .filter((d) => d >= 10 && (9 * Math.PI ** 2) / (2 * d * d) <= largest)
        .map((d) => {
          const v = (9 * Math.PI ** 2) / (2 * d * d);
          return { depth: d, value: v, series: "9π²/(2L²)", text: formatFloat64(v) };
        })
    : [];
  const markers = pairMarkers(pair);
  const reference = pair.precise ? "the wide grey band is the high-precision value" : "no high-precision run";
  return [
    chart({
      name: "one-minus-rho",
      title: `1 − ρ of the pair with ρ1 = ${pair.rho1}`,
      description: `1 − ρ against depth on log–log axes: ${pair.stableMethod === "jump" ? "float64 by the jump (SPEC §9; no loop runs beyond 10^9 layers)" : "the stable and textbook float64 loops"} over ${reference}${pair.paperCase ? ", and the asymptote 9π²/(2L²)" : ""}; a loop that leaves the band has lost its digits.${markerWords(markers)}`,
      points: [...points("oneMinusRho"), ...asymptote],
      depths,
      yTitle: "1 − ρ",
      yLog: true,
      styles: styles(Object.keys(PAIR_STYLES), PAIR_STYLES),
      markers,
    }),
    chart({
      name: "one-minus-ntk",
      title: "1 − Θ̄ of the pair",
      description: `1 − Θ̄ (the normalized NTK's complement) against depth on log–log axes: float64 loops over ${reference}.`,
      points: points("oneMinusNtkNormalized"),
      depths,
      yTitle: "1 − Θ̄",
      yLog: true,
      styles: styles(Object.keys(PAIR_STYLES), PAIR_STYLES),
      markers: [],
    }),
  ];
}

/** The data set's figures: kernel entries, log10|det K| and f∞, float64 lines over high-precision bands. */
export function dataFigures(data: DataSeries, depths: readonly number[]): ExplorerFigure[] {
  const pairs = [...new Set(data.entries.map((e) => `pair ${e.pair}`))];
  const tests = [...new Set(data.predictions.map((p) => `test point ${p.test}`))];
  const bandsOf = (names: string[]) =>
    Object.fromEntries(names.map((n, k) => [`${n}, ${PRECISE}`, { color: PALETTE[k % PALETTE.length], dash: SOLID, band: true }]));
  const entryPoints: Point[] = data.entries.flatMap((e) => [
    ...float64Point(e.depth, e.float64, `pair ${e.pair}`, e.text, false),
    ...precisePoint(e.depth, e.precise, `pair ${e.pair}, ${PRECISE}`, false),
  ]);
  const detPoints: Point[] = data.determinant.flatMap((d) => [
    ...(d.signDet === 0 ? [] : float64Point(d.depth, d.log10AbsDet, "float64 (LU)", formatFloat64(d.log10AbsDet), false)),
    ...precisePoint(d.depth, d.preciseLog10AbsDet, PRECISE, false),
  ]);
  const predictionPoints: Point[] = data.predictions.flatMap((p) => [
    ...float64Point(p.depth, p.float64, `test point ${p.test}`, p.float64 === null ? "" : formatFloat64(p.float64), false),
    ...precisePoint(p.depth, p.precise, `test point ${p.test}, ${PRECISE}`, false),
  ]);
  const lost = data.measuredLostDepths ?? data.lostDepths;
  const lostLabel = data.measuredLostDepths ? "float64 has no correct digit here" : "float64 LU keeps < 1 digit here (κ1 estimate)";
  // One rule at the first lost checkpoint of each run of consecutive ones.
  const markers = lost.filter((depth) => !lost.includes(depths[depths.indexOf(depth) - 1])).map((depth) => ({ depth, label: lostLabel }));
  const bandWords = data.preciseVouchedBy ? " Wide pale bands: high precision." : "";
  return [
    chart({
      name: "kernel-entries",
      title: `${data.kernelLabel}: off-diagonal entries`,
      description: `The first off-diagonal entries of the ${data.m} × ${data.m} training Gram matrix against depth${data.entriesAreLog10 ? " (log10 of the raw entries)" : ""}.${bandWords}${markerWords(markers)}`,
      points: entryPoints,
      depths,
      yTitle: data.entriesAreLog10 ? `log10 ${data.kernelLabel}` : data.kernelLabel,
      yLog: false,
      styles: styles([...pairs, ...pairs.map((p) => `${p}, ${PRECISE}`)], bandsOf(pairs)),
      markers,
    }),
    chart({
      name: "log-det",
      title: `log10 |det K| of the ${data.m} training points`,
      description: `log10 of the determinant's magnitude against depth: float64 LU${data.preciseVouchedBy ? " over the high-precision band" : ""}.${markerWords(markers)}`,
      points: detPoints,
      depths,
      yTitle: "log10 |det K|",
      yLog: false,
      styles: styles(["float64 (LU)", PRECISE], { [PRECISE]: PAIR_STYLES[PRECISE] }),
      markers,
    }),
    chart({
      name: "predictions",
      title: "f∞(x) = K_x K⁻¹ Y at the test points",
      description: `The closed-form prediction at each test point against depth.${bandWords}${markerWords(markers)}`,
      points: predictionPoints,
      depths,
      yTitle: "f∞",
      yLog: false,
      styles: styles([...tests, ...tests.map((t) => `${t}, ${PRECISE}`)], bandsOf(tests)),
      markers,
    }),
  ];
}

/** Test accuracy against depth for classified data (null without classes): float64, high precision, and the majority-class rate. */
export function accuracyFigure(data: DataSeries, depths: readonly number[]): ExplorerFigure | null {
  if (!data.accuracy) return null;
  const percent = (x: number) => `${(100 * x).toFixed(1)} %`;
  const majority = "always the most frequent class";
  const points: Point[] = [
    ...data.accuracy.flatMap((a) => (a.float64 === null ? [] : [{ depth: a.depth, value: a.float64, series: "float64", text: percent(a.float64) }])),
    ...data.accuracy.flatMap((a) => (a.precise === null ? [] : [{ depth: a.depth, value: a.precise, series: PRECISE, text: percent(a.precise) }])),
    ...(data.majorityRate === null ? [] : depths.map((depth) => ({ depth, value: data.majorityRate!, series: majority, text: percent(data.majorityRate!) }))),
  ];
  return chart({
    name: "accuracy",
    title: `Test accuracy of f∞ on ${data.testCount} test points`,
    description: `The fraction of test points whose largest one-hot output f∞ is their class, against depth${data.preciseVouchedBy ? ", float64 over the high-precision band" : ""}; the dotted line is what always answering the most frequent training class scores.`,
    points,
    depths,
    yTitle: "accuracy",
    yLog: false,
    yDomain: [0, 1],
    styles: styles(["float64", PRECISE, majority], {
      float64: PAIR_STYLES["float64 stable"],
      [PRECISE]: PAIR_STYLES[PRECISE],
      [majority]: { color: "#7f7f7f", dash: [2, 3] },
    }),
    markers: [],
  });
}

/** Float64's correct significant digits against high precision, pair and data set (null when there is no high-precision run yet). */
export function digitsFigure(pair: PairSeries, data: DataSeries | null, depths: readonly number[]): ExplorerFigure | null {
  if (!pair.correctDigits) return null;
  const digit = (depth: number, d: number | null, series: string): Point[] =>
    d === null ? [] : [{ depth, value: d, series, text: d >= FLOAT64_MATCH_DIGITS ? "all" : String(d) }];
  const points: Point[] = [
    ...pair.correctDigits.stable.flatMap((d, i) => digit(pair.stable[i].depth, d, "1 − ρ, stable loop")),
    ...pair.correctDigits.textbook.flatMap((d, i) => digit(pair.textbook[i].depth, d, "1 − ρ, textbook loop")),
    ...(data?.determinant ?? []).flatMap((d) => digit(d.depth, d.float64CorrectDigits, "det K (LU)")),
    ...(data?.predictions ?? []).flatMap((p) => digit(p.depth, p.float64CorrectDigits, `f∞ at test point ${p.test}`)),
  ];
  return chart({
    name: "float64-digits",
    title: "Correct digits of float64",
    description: `How many significant digits each float64 result shares with the high-precision value (17 = all) against depth${data ? "" : "; the data set's lines follow when it is computed"}.`,
    points,
    depths,
    yTitle: "correct digits",
    yLog: false,
    yDomain: [0, FLOAT64_MATCH_DIGITS],
    styles: styles([...new Set(points.map((p) => p.series))]),
    markers: [],
  });
}

/**
 * Renders a figure as SVG into `container`, replacing what was there; returns the view to finalize
 * later. The legend takes one column when the plot is narrow (a phone) and two otherwise, its
 * labels limited to the width there is. The SVG is hidden from assistive technology: the
 * container carries the figure's text alternative, and the numbers are in the tables.
 */
export async function renderInto(container: HTMLElement, figure: ExplorerFigure): Promise<View> {
  const spec = compile(figure.spec).spec;
  for (const legend of spec.legends ?? []) {
    Object.assign(legend, { columns: { signal: "width < 420 ? 1 : 2" }, labelLimit: { signal: "width < 420 ? width - 40 : width / 2 - 50" } });
    // Full-strength symbols: the legend would otherwise take the pale bands' opacity for every line.
    legend.encode = { ...legend.encode, symbols: { update: { ...legend.encode?.symbols?.update, opacity: { value: 1 } } } };
  }
  const view = new View(parse(spec), { renderer: "svg", container, hover: true });
  await view.runAsync();
  container.querySelector("svg")?.setAttribute("aria-hidden", "true");
  return view;
}
