/**
 * End-to-end tests of the explorer page (web/) in the system Chromium: the page is built with
 * vite.web.config.ts, served by `vite preview` on a free port, and driven by playwright-core.
 * It loads without console errors, a run completes and its numbers equal the Node library's for
 * the same inputs, cancelling stops a long run, the URL holds the state, and errors are shown; and
 * for each bug of the page's review: results never outlive their inputs, no sideways scrolling at
 * phone width, figures built for the comparison, messages in the page's words, a confirmation
 * before a long run, axe-core finds no accessibility violation, the circle picker works from the
 * keyboard and never wipes pasted data, focus is kept after run and cancel. Screenshots at phone
 * (390 px) and desktop width are saved under test-artifacts/.
 */
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { build, preview, type PreviewServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatFloat64, formatVouched, gramThroughDepthFloat64, analyzeMatrix, projectToSphere, pairThroughDepthPrecise } from "../../src/index.js";
import { gramDeterminantsPrecise, gramThroughDepthPreciseRuns } from "../../src/gram/precise.js";
import { pairThroughDepthFloat64 } from "../../src/pair/float64.js";
import { predictFromKernels64 } from "../../src/predict/float64.js";
import { sliceUnion } from "../../src/predict/union.js";
import { randomGaussianPoints, syntheticLabels } from "../../src/study/randomData.js";
import { launchChromium } from "./chromium.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const configFile = join(root, "vite.web.config.ts");
const artifacts = join(root, "test-artifacts");

let outDir: string;
let server: PreviewServer;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "ntk-depth-explorer-"));
  await build({ configFile, logLevel: "silent", build: { outDir, emptyOutDir: true } });
  server = await preview({ configFile, logLevel: "silent", build: { outDir }, preview: { port: 0, host: "127.0.0.1", strictPort: false } });
  baseUrl = server.resolvedUrls?.local[0] ?? "";
  browser = await launchChromium();
  await mkdir(artifacts, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

/** A page on the explorer with `query`, collecting console errors and uncaught exceptions. */
async function openExplorer(query: string, viewport = { width: 1400, height: 1000 }): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${baseUrl}${query}`);
  return { page, problems };
}

/** Waits until the status says the run ended, and returns how ("done", "failed" or "cancelled"). */
async function runEnd(page: Page, timeout = 30_000): Promise<string> {
  await page.waitForFunction(() => ["done", "failed", "cancelled", "invalid", "confirm"].includes(document.querySelector<HTMLElement>("#status")?.dataset.state ?? ""), undefined, { timeout });
  return (await page.getAttribute("#status", "data-state")) ?? "";
}

const axeSource = readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's violations on the page as it stands (rule id: the first offending elements). */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: await axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    return (await axe.run()).violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(" ")}`);
  });
  return violations;
}

/** Waits until the status element's data-state is `state`. */
function statusIs(page: Page, state: string, timeout = 30_000): Promise<unknown> {
  return page.waitForFunction((s) => document.querySelector<HTMLElement>("#status")?.dataset.state === s, state, { timeout });
}

/** The text of every cell of one column of a results table, top to bottom. */
function column(page: Page, table: string, key: string): Promise<string[]> {
  return page.$$eval(`${table} td[data-key="${key}"]`, (cells) => cells.map((c) => c.textContent ?? ""));
}

describe("explorer page in Chromium", () => {
  it("completes the default run with every figure, no console error, no axe violation and no sideways scroll at desktop and phone width", async () => {
    const { page, problems } = await openExplorer("");
    expect(await runEnd(page)).toBe("done");
    expect(await page.$$eval(".charts svg", (svgs) => svgs.length)).toBe(6);
    expect(await column(page, "#pair-table", "depth")).toHaveLength(21);
    expect(await axeViolations(page)).toEqual([]);
    // Every figure has a text alternative: its title and a description.
    const names = await page.$$eval(".chart", (charts) => charts.map((c) => `${c.getAttribute("role")} ${c.getAttribute("aria-label")}`));
    for (const name of names) expect(name).toMatch(/^img \S.{40,}/);
    // The desktop uses its width: two figures or more side by side.
    const tops = await page.$$eval(".charts figure", (figures) => figures.map((f) => f.getBoundingClientRect().top));
    expect(new Set(tops).size).toBeLessThanOrEqual(3);
    await page.screenshot({ path: join(artifacts, "explorer-desktop.png"), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => [...document.querySelectorAll(".chart svg")].every((svg) => svg.getBoundingClientRect().width <= 390));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const chartWidths = await page.$$eval(".chart svg", (svgs) => svgs.map((svg) => Math.round(svg.getBoundingClientRect().right)));
    for (const right of chartWidths) expect(right).toBeLessThanOrEqual(390);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifacts, "explorer-phone.png"), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("opens at phone width without sideways scrolling, legends and titles inside the figures", async () => {
    const { page, problems } = await openExplorer("?L1=1000&n=8&digits=20", { width: 360, height: 740 });
    expect(await runEnd(page)).toBe("done");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // No text of a figure (title, legend, axis labels) sticks out of its svg.
    const outside = await page.$$eval(".chart svg", (svgs) =>
      svgs.flatMap((svg) => {
        const box = svg.getBoundingClientRect();
        return [...svg.querySelectorAll("text")].filter((t) => t.textContent && (t.getBoundingClientRect().left < box.left - 1 || t.getBoundingClientRect().right > box.right + 1)).map((t) => t.textContent);
      }),
    );
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("draws figures for the comparison: 10^k depth ticks over the data's range, dash patterns in the legend, tooltips with exact values, the digits figure first", async () => {
    const { page, problems } = await openExplorer("?rho1=0.9999999&L1=3000&n=6&digits=20&m=3");
    expect(await runEnd(page)).toBe("done");
    const ticks = await page.$$eval("#chart-one-minus-rho .role-axis text", (texts) => texts.map((t) => t.textContent ?? ""));
    expect(ticks).toEqual(expect.arrayContaining(["1", "10", "10²", "10³"]));
    expect(ticks.join(" ")).not.toMatch(/e[+-]|10⁴/);
    // The legend's symbols are strokes with the lines' dash patterns, not dots.
    const dashes = await page.$$eval("#chart-one-minus-rho .role-legend-symbol path", (paths) => paths.map((p) => p.getAttribute("stroke-dasharray") ?? "none"));
    expect(new Set(dashes).size).toBeGreaterThanOrEqual(2);
    // The digits figure stays first, whatever arrives when.
    expect(await page.$eval(".charts figure", (f) => f.id)).toBe("figure-float64-digits");
    // Hovering a checkpoint shows its exact value (vega's tooltip is the svg's title).
    const point = (await page.$$("#chart-one-minus-rho .mark-symbol.role-mark path"))[0];
    await point.scrollIntoViewIfNeeded();
    const box = (await point.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction(() => (document.querySelector("#chart-one-minus-rho svg")?.getAttribute("title") ?? document.querySelector("#chart-one-minus-rho")?.getAttribute("title") ?? "").includes("depth L"));
    expect(problems).toEqual([]);
    await page.close();
  });
});
