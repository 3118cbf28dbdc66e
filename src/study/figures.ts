/**
 * The study's figures, drawn by vega-lite: a figure is a vega-lite spec over the rows of a
 * {@link DataTable}, compiled to vega and rendered headless to SVG (renderer "none", no DOM, no
 * canvas). Works in Node and in browsers; PNG conversion is Node-only (files.ts).
 */
import { compile, type TopLevelSpec } from "vega-lite";
import { parse, View } from "vega";
import type { DataTable } from "./dataTable.js";

/** A figure: file stem, caption for the report, and the spec. */
export interface Figure {
  /** File stem, e.g. "ntk-entries" (written as .svg and .png). */
  readonly name: string;
  /** One sentence for the report: what is plotted and on which axes. */
  readonly caption: string;
  readonly spec: TopLevelSpec;
}

/** One axis of a line chart: which column, its title, and whether it is logarithmic. */
export interface AxisChoice {
  readonly key: string;
  readonly title: string;
  readonly log?: boolean;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  readonly name: string;
  readonly title: string;
  readonly caption: string;
  readonly table: DataTable;
  readonly x: AxisChoice;
  readonly y: AxisChoice;
  /** Column whose values name the lines (one colour each). */
  readonly series: string;
  /** Optional column whose values set the dash pattern (e.g. "float64" vs "high precision"). */
  readonly dash?: string;
  /** Keep only the rows this accepts (e.g. results with at least one correct digit); say so in the caption. */
  readonly where?: (row: Readonly<Record<string, unknown>>) => boolean;
  /** Draw a point at every datum as well as the line (useful for sparse depth grids). */
  readonly points?: boolean;
}

const WIDTH = 560;
const HEIGHT = 340;
/** Legend labels longer than this many pixels are cut; ours name fits and methods in full. */
const LEGEND_LABEL_LIMIT = 360;

/** Lines of `y` against `x`, one per value of `series`; rows with a null x or y are left out. */
export function lineChart(o: LineChartOptions): Figure {
  const values = o.table.rows.filter((r) => typeof r[o.x.key] === "number" && typeof r[o.y.key] === "number" && (o.where?.(r) ?? true));
  const scale = (log?: boolean) => (log ? { type: "log" as const } : { zero: false });
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: o.title,
    width: WIDTH,
    height: HEIGHT,
    background: "white",
    config: { legend: { labelLimit: LEGEND_LABEL_LIMIT } },
    data: { values: values.map((r) => ({ ...r })) },
    mark: { type: "line", point: o.points ?? false, clip: true },
    encoding: {
      x: { field: o.x.key, type: "quantitative", title: o.x.title, scale: scale(o.x.log), axis: o.x.log ? { format: "~e" } : {} },
      y: { field: o.y.key, type: "quantitative", title: o.y.title, scale: scale(o.y.log), axis: o.y.log ? { format: "~e" } : {} },
      color: { field: o.series, type: "nominal", title: null },
      ...(o.dash ? { strokeDash: { field: o.dash, type: "nominal" as const, title: null } } : {}),
    },
  };
  return { name: o.name, caption: o.caption, spec };
}

/** Renders a figure to an SVG document (headless; text widths are vega's estimates). */
export async function renderSvg(figure: Figure): Promise<string> {
  const view = new View(parse(compile(figure.spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
