import { describe, expect, it } from "vitest";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { tableToCsv, tableToJson, type DataTable } from "../src/study/dataTable.js";
import { lineChart, renderSvg } from "../src/study/figures.js";
import { markdownTable, renderIndexMarkdown, type StudyDocument } from "../src/study/document.js";
import { writeStudyDocument } from "../src/study/files.js";
import { isNtkError } from "../src/errors.js";

const table: DataTable = {
  name: "toy",
  description: "a toy series, exact",
  columns: [
    { key: "depth", meaning: "L" },
    { key: "series", meaning: "which line" },
    { key: "value", meaning: "1 − ρ" },
  ],
  rows: [
    { depth: 1, series: 'a, "quoted"', value: 0.1 },
    { depth: 10, series: 'a, "quoted"', value: 1e-3 },
    { depth: 100, series: "b", value: null },
  ],
};

/** resvg parses SVG with a strict XML parser: it throws on anything that is not well-formed. */
function expectValidSvg(svg: string): void {
  expect(svg.trimStart().startsWith("<svg")).toBe(true);
  expect(() => new Resvg(svg)).not.toThrow();
}

describe("data tables", () => {
  it("CSV quotes fields with commas and quotes, leaves null cells empty, prints shortest float64 text", () => {
    expect(tableToCsv(table)).toBe('depth,series,value\r\n1,"a, ""quoted""",0.1\r\n10,"a, ""quoted""",0.001\r\n100,b,\r\n');
  });
  it("depths beyond 2^53 (powers of two to 2^60) print as exact integers, other numbers as shortest round-trip text", () => {
    const deep: DataTable = { ...table, rows: [{ depth: 2 ** 60, series: "a", value: 1e300 }] };
    expect(tableToCsv(deep)).toBe("depth,series,value\r\n1152921504606846976,a,1e+300\r\n");
    expect(JSON.parse(tableToJson(deep)).rows[0].depth).toBe("1152921504606846976");
  });
  it("JSON holds every number as a decimal string and null as null", () => {
    const doc = JSON.parse(tableToJson(table));
    expect(doc.rows[1]).toEqual({ depth: "10", series: 'a, "quoted"', value: "0.001" });
    expect(doc.rows[2].value).toBeNull();
    expect(doc.columns[2]).toEqual({ key: "value", meaning: "1 − ρ" });
  });
});

describe("figures", () => {
  it("a log–log line chart renders to well-formed SVG without the rows lacking a value", async () => {
    const fig = lineChart({
      name: "toy",
      title: "toy",
      caption: "c",
      table,
      x: { key: "depth", title: "L", log: true },
      y: { key: "value", title: "1 − ρ", log: true },
      series: "series",
      points: true,
    });
    expect((fig.spec as { data: { values: unknown[] } }).data.values).toHaveLength(2);
    const svg = await renderSvg(fig);
    expectValidSvg(svg);
    expect(svg).toContain("1 − ρ");
  });
  it("a malformed SVG is caught by the validity check", () => {
    expect(() => new Resvg("<svg><g></svg>")).toThrow();
  });
});

describe("document and writer", () => {
  const doc: StudyDocument = {
    title: "Toy study",
    preamble: ["What was computed."],
    sections: [
      {
        heading: "Claim 1",
        verdict: { claim: 1, verdict: "supported", reasons: ["because 0.1 > 0.001"] },
        paragraphs: [markdownTable(["a|b", "c"], [["1", "2"]])],
        figures: ["toy"],
        tables: ["toy"],
      },
    ],
    tables: [table],
    figures: [
      lineChart({
        name: "toy",
        title: "toy",
        caption: "toy caption",
        table,
        x: { key: "depth", title: "L" },
        y: { key: "value", title: "v" },
        series: "series",
      }),
    ],
  };
  it("index.md has the verdict line, its reasons, escaped tables, figure and data links", () => {
    const md = renderIndexMarkdown(doc);
    expect(md).toContain("**Verdict: supported.** Claim 1: ρ^(L) → 1");
    expect(md).toContain("- because 0.1 > 0.001");
    expect(md).toContain("| a\\|b | c |");
    expect(md).toContain("![toy caption](figures/toy.svg)");
    expect(md).toContain("[toy.csv](data/toy.csv)");
  });
  it("a section naming a missing figure is a programming error", () => {
    expect(() => renderIndexMarkdown({ ...doc, figures: [] })).toThrow(/figure "toy"/);
  });
  it("writes index.md, SVG, PNG, CSV and JSON; an unwritable folder is FILE_UNREADABLE", async () => {
    const dir = await mkdtemp(join(tmpdir(), "study-report-"));
    try {
      const written = await writeStudyDocument(join(dir, "out"), doc);
      expect(written.sort()).toEqual(["data/toy.csv", "data/toy.json", "figures/toy.png", "figures/toy.svg", "index.md"].sort());
      expectValidSvg(await readFile(join(dir, "out", "figures", "toy.svg"), "utf8"));
      const png = await readFile(join(dir, "out", "figures", "toy.png"));
      expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join("")).toBe("PNG");
      await writeStudyDocument(join(dir, "out", "index.md", "sub"), doc).then(
        () => expect.unreachable("writing under a file must fail"),
        (e) => expect(isNtkError(e, "FILE_UNREADABLE")).toBe(true),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
