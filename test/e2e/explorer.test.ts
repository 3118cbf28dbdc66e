/**
 * End-to-end tests of the explorer page (web/) in the system Chromium: the page is built with
 * vite.web.config.ts, served by `vite preview` on a free port, and driven by playwright-core.
 * It loads without console errors, a run completes and its numbers equal the Node library's for
 * the same inputs, cancelling stops a long run, the URL holds the state, and errors are shown; and
 * for each bug of the page's review: results never outlive their inputs, no sideways scrolling at
 * phone width, figures built for the comparison, messages in the page's words, a confirmation
 * before a long run, axe-core finds no accessibility violation, the circle picker works from the
 * keyboard and never wipes pasted data, focus is kept after run and cancel; the finite-width
 * Monte Carlo shows the Node library's statistics for the same seed. Screenshots at phone
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
import {
  formatFloat64,
  formatVouched,
  gramThroughDepthFloat64,
  analyzeMatrixFloat64,
  projectToSphereFloat64,
  pairThroughDepthPrecise,
  randomGaussianPoints,
  syntheticLabels,
  monteCarloKernels,
  parseDatasetText,
} from "../../src/index.js";
import { gramDeterminantsPrecise, gramThroughDepthPreciseRuns, predictFromKernelsFloat64, sliceUnion } from "../../src/advanced.js";
import { pairThroughDepthFloat64 } from "../../src/index.js";
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

/** The id of the run the status is about (bumped by every edit that starts, refuses or retires a run). */
async function runOf(page: Page): Promise<number> {
  return Number((await page.getAttribute("#status", "data-run")) ?? -1);
}

/**
 * Waits until a run newer than `after` (default: any) has ended or was refused, and returns how:
 * "done", "failed", "cancelled", "invalid" or "confirm".
 */
async function runEnd(page: Page, timeout = 30_000, after = -1): Promise<string> {
  const ended = ["done", "failed", "cancelled", "invalid", "confirm"];
  const handle = await page.waitForFunction(
    ({ ended, after }) => {
      const status = document.querySelector<HTMLElement>("#status")!;
      return Number(status.dataset.run) > after && ended.includes(status.dataset.state ?? "") ? status.dataset.state : false;
    },
    { ended, after },
    { timeout },
  );
  return String(await handle.jsonValue());
}

/** Does `edit`, then waits for the run it causes to end; returns how (see runEnd). */
async function afterEdit(page: Page, edit: () => Promise<unknown>, timeout = 30_000): Promise<string> {
  const before = await runOf(page);
  await edit();
  return runEnd(page, timeout, before);
}

const axeSource = readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's violations on the page as it stands (rule id: the first offending elements). */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: await axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    return (await axe.run()).violations.map(
      (v) =>
        `${v.id}: ${v.nodes
          .slice(0, 3)
          .map((n) => JSON.stringify(n.target))
          .join(" ")}`,
    );
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
    const names = await page.$$eval("figure:not([hidden]) .chart", (charts) => charts.map((c) => `${c.getAttribute("role")} ${c.getAttribute("aria-label")}`));
    for (const name of names) expect(name).toMatch(/^img \S.{40,}/);
    // The desktop uses its width: two figures or more side by side.
    const tops = await page.$$eval(".charts figure:not([hidden])", (figures) => figures.map((f) => f.getBoundingClientRect().top));
    expect(new Set(tops).size).toBeLessThanOrEqual(3);
    await page.screenshot({ path: join(artifacts, "explorer-desktop.png"), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => Array.from(document.querySelectorAll(".chart svg")).every((svg) => svg.getBoundingClientRect().width <= 390));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const chartWidths = await page.$$eval(".chart svg", (svgs) => svgs.map((svg) => Math.round(svg.getBoundingClientRect().right)));
    for (const right of chartWidths) expect(right).toBeLessThanOrEqual(390);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifacts, "explorer-phone.png"), fullPage: true });
    // The figures as a phone shows them, one screen at a time.
    await page.$eval("#figure-float64-digits", (f) => f.scrollIntoView());
    await page.screenshot({ path: join(artifacts, "explorer-phone-figures.png") });
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
        return Array.from(svg.querySelectorAll("text"))
          .filter((t) => t.textContent && (t.getBoundingClientRect().left < box.left - 1 || t.getBoundingClientRect().right > box.right + 1))
          .map((t) => t.textContent);
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
    const dashes = await page.$$eval("#chart-one-minus-rho .role-legend-symbol path", (paths) =>
      paths.map((p) => p.getAttribute("stroke-dasharray") ?? "none"),
    );
    expect(new Set(dashes).size).toBeGreaterThanOrEqual(2);
    // The digits figure stays first, whatever arrives when.
    expect(await page.$eval(".charts figure", (f) => f.id)).toBe("figure-float64-digits");
    // Hovering a checkpoint shows its exact value (vega's tooltip is the svg's title).
    const point = (await page.$$("#chart-one-minus-rho .mark-symbol.role-mark path"))[0];
    await point.scrollIntoViewIfNeeded();
    const box = (await point.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction(() =>
      (
        document.querySelector("#chart-one-minus-rho svg")?.getAttribute("title") ??
        document.querySelector("#chart-one-minus-rho")?.getAttribute("title") ??
        ""
      ).includes("depth L"),
    );
    expect(problems).toEqual([]);
    await page.close();
  });
  it("shows the Node library's numbers for the same inputs (float64 bit for bit, high precision digit for digit)", async () => {
    const depths = [1, 10, 100, 1000];
    const rho1 = "0.9999999";
    const [m, dim, seed, precision] = [4, 3, 7, 30];
    const { page, problems } = await openExplorer(`?rho1=${rho1}&L0=1&L1=1000&n=4&digits=${precision}&m=${m}&dim=${dim}&seed=${seed}`);
    expect(await runEnd(page)).toBe("done");
    expect(await column(page, "#pair-table", "depth")).toEqual(depths.map(String));

    const stable = await pairThroughDepthFloat64({ rho1, depth: 1000, at: depths, method: "stable" });
    const textbook = await pairThroughDepthFloat64({ rho1, depth: 1000, at: depths, method: "textbook" });
    const precise = await pairThroughDepthPrecise({ rho1, depth: 1000, at: depths, precision });
    expect(await column(page, "#pair-table", "stable.rho")).toEqual(stable.points.map((p) => formatFloat64(p.rho)));
    expect(await column(page, "#pair-table", "stable.oneMinusRho")).toEqual(stable.points.map((p) => formatFloat64(p.oneMinusRho)));
    expect(await column(page, "#pair-table", "stable.ntkNormalized")).toEqual(stable.points.map((p) => formatFloat64(p.ntkNormalized)));
    expect(await column(page, "#pair-table", "textbook.oneMinusRho")).toEqual(textbook.points.map((p) => formatFloat64(p.oneMinusRho)));
    expect(await column(page, "#pair-table", "precise.oneMinusRho")).toEqual(
      precise.points.map((p) => formatVouched(p.oneMinusRho, p.digitsVouched.oneMinusRho)),
    );

    // The data set: m random training points and 2 test points, the normalized NTK (defaults).
    const raw = randomGaussianPoints(m + 2, dim, seed);
    const onSphere = projectToSphereFloat64(raw, "normalize");
    const grams = (await gramThroughDepthFloat64({ points: onSphere, depths })).grams;
    const targets = syntheticLabels({ ...onSphere, m, coords: onSphere.coords.subarray(0, m * dim) });
    const expectedEntries: string[] = [];
    const expectedDets: string[] = [];
    const expectedPredictions: string[] = [];
    for (const g of grams) {
      const { train, test } = sliceUnion(g.ntkNormalized, m, g.m - m);
      expectedEntries.push(formatFloat64(train[1]));
      expectedDets.push(formatFloat64((await analyzeMatrixFloat64(train, m)).log10AbsDet));
      const p = await predictFromKernelsFloat64({ trainKernel: train, testKernel: test, targets, m, time: "inf" });
      expectedPredictions.push(formatFloat64(p.predictions[0]));
    }
    expect(await column(page, "#data-table", "entry")).toEqual(expectedEntries);
    // L = 1 is the linear kernel: m = 4 > n0 = 3, so K is singular there (sign 0 or an enormous κ).
    expect((await column(page, "#data-table", "log10AbsDet")).slice(1)).toEqual(expectedDets.slice(1));
    expect((await column(page, "#data-table", "prediction")).slice(1)).toEqual(expectedPredictions.slice(1));
    // High-precision determinants from a Gram of the training points alone (the page slices the union's).
    const trainRaw = { ...raw, m, coords: raw.coords.subarray(0, m * dim) };
    const runs = await gramThroughDepthPreciseRuns({ data: trainRaw, projection: "normalize", depths, precision });
    const preciseDets = gramDeterminantsPrecise(runs, "ntk", true).map((d) =>
      d.digitsVouched.log10AbsDet >= 1 ? formatVouched(d.log10AbsDet!, d.digitsVouched.log10AbsDet) : "lost",
    );
    expect(await column(page, "#data-table", "preciseLog10AbsDet")).toEqual(preciseDets);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("keeps the state in the URL: edits update it, and opening the URL restores them", async () => {
    const { page, problems } = await openExplorer("?L1=30&digits=0");
    expect(await runEnd(page)).toBe("done");
    const ended = afterEdit(page, async () => {
      await page.selectOption('select[name="kernel"]', "nngp");
      await page.uncheck('input[name="normalized"]');
    });
    expect(await ended).toBe("done");
    await page.waitForFunction(() => location.search.includes("kernel=nngp") && location.search.includes("norm=0"));
    const shared = page.url();
    await page.close();

    const again = await openExplorer(shared.slice(baseUrl.length));
    expect(await again.page.inputValue('select[name="kernel"]')).toBe("nngp");
    expect(await again.page.isChecked('input[name="normalized"]')).toBe(false);
    expect(await again.page.inputValue('input[name="depthMax"]')).toBe("30");
    expect(await runEnd(again.page)).toBe("done");
    expect(await again.page.textContent("#data-legend")).toMatch(/raw NNGP/);
    expect([...problems, ...again.problems]).toEqual([]);
    await again.page.close();
  });

  it("a cancel keeps only the finished pair, says the data set was not computed, and returns focus to Run", async () => {
    // The precise pair to depth 20 000 takes about a second; the precise Gram of 7 points far longer.
    const { page, problems } = await openExplorer("?kernel=nngp&L1=20000&n=16&digits=25");
    expect(await page.textContent("#estimate")).toMatch(/Estimated run time: about \d+ s/);
    await page.waitForFunction(
      () => document.querySelectorAll("#pair-table td").length > 0 && document.querySelector("#chart-one-minus-rho svg") !== null,
      undefined,
      { timeout: 20_000 },
    );
    expect(await page.textContent("#summary")).toMatch(/the data set is being computed/);
    expect(await page.$$eval("#data-table td", (cells) => cells.length)).toBe(0);
    await page.waitForFunction(() => /Gram matrices, 25 digits, [1-9]/.test(document.querySelector("#status")?.textContent ?? ""), undefined, {
      timeout: 20_000,
    });
    await page.click("#cancel");
    expect(await runEnd(page, 10_000)).toBe("cancelled");
    expect(await page.isEnabled("#cancel")).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("run");
    expect(await page.textContent("#summary")).not.toMatch(/being computed/);
    expect(await page.textContent("#summary")).toMatch(/the data set was not computed \(cancelled\)/);
    expect(await page.textContent("#result-note")).toMatch(/cancelled/);
    expect(await page.textContent("#chart-log-det")).toMatch(/Not computed: the run was cancelled/);
    expect(await axeViolations(page)).toEqual([]);

    await page.fill('input[name="depthMax"]', "20");
    await page.fill('input[name="precision"]', "0");
    expect(await afterEdit(page, () => page.click("#run"))).toBe("done");
    expect(await column(page, "#pair-table", "depth")).toContain("20");
    // After a run started from the button, focus moves to the results.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("results-title");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("an invalid input removes the results and stops the run in flight; messages name the page's fields", async () => {
    const { page, problems } = await openExplorer("?L1=20&digits=20");
    expect(await runEnd(page)).toBe("done");
    // ρ1 = 2: nothing of the ρ1 = 0.5 run stays on screen.
    await page.fill('input[name="rho1"]', "2");
    await statusIs(page, "invalid");
    expect(await page.isHidden("#results")).toBe(true);
    expect(await page.getAttribute('input[name="rho1"]', "aria-invalid")).toBe("true");
    expect(await page.textContent("#problems")).toMatch(/“ρ1 = x·x′” is "2": it must be a decimal from −1 to 1/);
    expect(await axeViolations(page)).toEqual([]);
    expect(await afterEdit(page, () => page.fill('input[name="rho1"]', "0.5"))).toBe("done");
    expect(await page.getAttribute('input[name="rho1"]', "aria-invalid")).toBeNull();

    // A reversed depth range is reported, not swapped, and runs nothing.
    await page.fill('input[name="depthMin"]', "100");
    await page.fill('input[name="depthMax"]', "50");
    await page.waitForFunction(
      () => document.querySelector("#problems")?.textContent === "“depth from” (100) is larger than “depth to” (50): make it smaller or equal.",
    );
    expect(await page.getAttribute("#status", "data-state")).toBe("invalid");
    expect(await page.isHidden("#results")).toBe(true);

    // An edit during a long run: the run stops, and no late result of it is drawn.
    await page.fill('input[name="depthMin"]', "1");
    await page.fill('input[name="depthMax"]', "100000");
    await page.fill('input[name="precision"]', "60");
    await page.click("#run");
    await statusIs(page, "running");
    await page.fill('input[name="sigmaW"]', "abc");
    await statusIs(page, "invalid");
    expect(await page.isEnabled("#cancel")).toBe(false);
    await page.waitForTimeout(3000);
    expect(await page.getAttribute("#status", "data-state")).toBe("invalid");
    expect(await page.$$eval("#pair-table td", (cells) => cells.length)).toBe(0);
    expect(await page.textContent("#problems")).toMatch(/“σw” is "abc"/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("marks the previous results while a new run is under way, and removes them when a run fails", async () => {
    const { page, problems } = await openExplorer("?L1=20&digits=0&m=2");
    expect(await runEnd(page)).toBe("done");
    // 300 digits to depth 20 000: its pair takes seconds, during which the old results show, marked.
    await page.fill('input[name="precision"]', "300");
    await page.fill('input[name="depthMax"]', "20000");
    await page.click("#run");
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLElement>("#status")!.dataset.state === "running" &&
        document.querySelector("#results")!.hasAttribute("data-stale") &&
        /previous inputs/.test(document.querySelector("#result-note")!.textContent ?? ""),
      undefined,
      { polling: "raf" },
    );
    await page.click("#cancel");
    expect(await runEnd(page)).toBe("cancelled");

    await page.fill('input[name="precision"]', "0");
    expect(await afterEdit(page, () => page.fill('input[name="depthMax"]', "5"))).toBe("done");
    expect(await afterEdit(page, () => page.selectOption('select[name="source"]', "paste"))).toBe("done");
    expect(await afterEdit(page, () => page.fill('textarea[name="pasted"]', "x1,x2\n1,0\n0.5\n"))).toBe("failed");
    expect(await page.isHidden("#results")).toBe(true);
    expect(await page.textContent("#error")).toMatch(/^pasted data line 3.*\(error code FILE_MALFORMED\)$/s);
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("asks before a long run, and accepts 1e9 in a number field", async () => {
    const { page, problems } = await openExplorer("?L1=20&digits=0");
    expect(await runEnd(page)).toBe("done");
    expect(await afterEdit(page, () => page.fill('input[name="depthMax"]', "1e9"))).toBe("confirm");
    expect(await page.textContent("#estimate")).toMatch(/Estimated run time: about \d+ (min|h)/);
    expect(await page.isHidden("#results")).toBe(true);
    await page.waitForFunction(() => new URLSearchParams(location.search).get("L1") === "1000000000");
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("fills the data box from an example; the circle picker works from the keyboard and never wipes pasted data", async () => {
    const { page, problems } = await openExplorer("?src=paste&digits=20&L1=10");
    expect(await runEnd(page)).toBe("done");
    expect(await afterEdit(page, () => page.selectOption("#example", "train.json"))).toBe("done");
    const example = await page.inputValue('textarea[name="pasted"]');
    expect(example).toMatch(/"points"/);
    expect(await page.textContent("#data-legend")).toMatch(/targets the data's first target column/);
    // The circle leaves other data alone, and says how to start afresh.
    const circle = (await page.$("#circle-picker svg"))!;
    const box = (await circle.boundingBox())!;
    await circle.click({ position: { x: box.width / 2 + 60, y: box.height / 2 } });
    expect(await page.inputValue('textarea[name="pasted"]')).toBe(example);
    expect(await page.textContent("#picker-note")).toMatch(/clear the box/);
    expect(await page.isDisabled("#picker-add")).toBe(true);

    // Keyboard only: clear, then add points at typed angles.
    await page.focus("#picker-clear");
    await page.keyboard.press("Enter");
    await page.focus("#picker-angle");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("90");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("picker-add");
    await page.keyboard.press("Enter");
    const ended = afterEdit(page, () => circle.click({ position: { x: box.width / 2 + 60, y: box.height / 2 } }));
    expect(await ended).toBe("done");
    const picked = (await page.inputValue('textarea[name="pasted"]')).trim().split("\n");
    expect(picked.slice(0, 2)).toEqual(["x1,x2", "0,1"]);
    const [east] = picked.slice(2).map((line) => line.split(",").map(Number));
    expect(Math.abs(east[0] - 1) + Math.abs(east[1])).toBeLessThan(0.05);
    expect(await page.$$eval("#circle-picker svg g circle", (dots) => dots.length)).toBe(2);
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("runs on built-in data sets (MNIST, Iris) by row ranges and shows the test accuracy against depth", async () => {
    const { page, problems } = await openExplorer("?src=iris&digits=0&L1=1000&n=8");
    expect(await runEnd(page)).toBe("done");
    expect(await page.isVisible("#figure-accuracy svg")).toBe(true);
    const accuracies = await column(page, "#data-table", "accuracy");
    expect(accuracies).toHaveLength(8);
    for (const a of accuracies.slice(1)) expect(a).toMatch(/^\d+\.\d %$/);
    expect(await page.textContent("#data-legend")).toMatch(/one-hot classes \(3: setosa, versicolor, virginica\)/);
    expect(await axeViolations(page)).toEqual([]);
    // MNIST through the same fields; a range beyond the data set is reported by the field's label.
    expect(await afterEdit(page, () => page.selectOption('select[name="source"]', "mnist"))).toBe("done");
    expect(await page.textContent("#data-legend")).toMatch(/50 training points on S\^783, 22 test points/);
    expect(await afterEdit(page, () => page.fill('input[name="testRange"]', "9990:10010"))).toBe("invalid");
    expect(await page.textContent("#problems")).toMatch(/^“test rows” is "9990:10010": .*10000/);
    // Other sources have no accuracy figure.
    expect(await afterEdit(page, () => page.selectOption('select[name="source"]', "random"))).toBe("done");
    expect(await page.isHidden("#figure-accuracy")).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("runs to depth 10^18 by the jump (σb = 0): exact depths in the table, 10^k ticks, no textbook loop", async () => {
    const { page, problems } = await openExplorer("?L1=1e18&n=7&digits=40");
    expect(await runEnd(page, 60_000)).toBe("done");
    expect(await column(page, "#pair-table", "depth")).toEqual([
      "1",
      "1000",
      "1000000",
      "1000000000",
      "1000000000000",
      "1000000000000000",
      "1000000000000000000",
    ]);
    expect(new Set(await column(page, "#pair-table", "textbook.oneMinusRho"))).toEqual(new Set(["not run"]));
    expect(await page.textContent("#summary")).toMatch(/the textbook float64 loop is not run beyond 10\^9 layers/);
    expect(await page.textContent("#data-legend")).toMatch(/No high-precision Gram beyond 10\^9 layers/);
    const ticks = await page.$$eval("#chart-one-minus-rho .role-axis text", (texts) => texts.map((t) => t.textContent ?? ""));
    expect(ticks).toEqual(expect.arrayContaining(["1", "10⁸", "10¹⁶"]));
    expect(ticks.join(" ")).not.toMatch(/e[+-]/);
    // The high-precision pair reaches 10^18 too (jump at ≤ 80 digits), so float64's digits are measured there.
    expect((await column(page, "#pair-table", "stable.correct")).every((d) => /^(all|\d+)$/.test(d))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("says in its own words which settings of the shared address it could not use", async () => {
    const { page, problems } = await openExplorer("?m=1&L1=20&digits=0");
    const text = await page.textContent("#problems");
    expect(text).toMatch(/From the shared address: “points m” is "1": it must be a whole number from 2 to 40\. The form shows the default instead\./);
    expect(text).not.toMatch(/m=/);
    expect(await runEnd(page)).toBe("done");
    // Valid ranges are shown beside the fields, not only on hover.
    expect(await page.textContent("#m-hint")).toBe("a whole number from 2 to 40");
    expect(problems).toEqual([]);
    await page.close();
  });
  it("runs the finite-width Monte Carlo in its worker: the Node library's mean ± standard error for the same seed, cleared when an input changes", async () => {
    // Pasted points (exact decimals): the seeded random points go through Math.cos, whose last bit differs between
    // this Chromium and Node (60 of 2000 arguments), and the sampled networks amplify that.
    const csv = "x1,x2,x3\n1,0,0\n0.6,0.8,0\n0,1,0.5\n-0.8,0.6,0.25\n0.3,-0.4,1\n";
    const m = 5;
    const { page, problems } = await openExplorer(`?src=paste&data=${encodeURIComponent(csv)}&L1=20&n=4&digits=0`);
    expect(await runEnd(page)).toBe("done");
    expect(await page.getAttribute("#width-status", "data-state")).toBe("idle");
    expect(await page.textContent("#width-samples-hint")).toBe("a whole number from 2 to 1000");
    await page.fill("#width-controls input[name=depth]", "4");
    await page.fill("#width-controls input[name=width]", "32");
    await page.fill("#width-controls input[name=samples]", "8");
    await page.fill("#width-controls input[name=seed]", "9");
    await page.click("#width-run");
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#width-status")?.dataset.state === "done", null, { timeout: 60_000 });

    // The page's training points, normalized onto the sphere, σw = 1, σb = 0.
    const points = projectToSphereFloat64(parseDatasetText(csv, "pasted data"), "normalize");
    const mc = await monteCarloKernels({ points, depth: 4, width: 32, samples: 8, seed: 9, params: { sigmaW: "1", sigmaB: "0" } });
    expect(mc.ntk.entries).toHaveLength((m * (m - 1)) / 2);
    expect(await column(page, "#width-table", "pair")).toEqual(mc.ntk.entries.map((e) => `${e.i + 1}–${e.j + 1}`));
    expect(await column(page, "#width-table", "mean")).toEqual(mc.ntk.entries.map((e) => formatFloat64(e.mean)));
    expect(await column(page, "#width-table", "stderr")).toEqual(mc.ntk.entries.map((e) => formatFloat64(e.stderr)));
    expect(await column(page, "#width-table", "infinite")).toEqual(mc.ntk.entries.map((e) => formatFloat64(e.infinite)));
    expect(await page.textContent("#width-legend")).toContain("8 networks of depth L = 4 with hidden width n = 32");
    expect(await axeViolations(page)).toEqual([]);

    // An edit of the data removes the statistics and says why; an invalid field is refused in the page's words.
    await page.fill("input[name=sigmaW]", "1.1");
    expect(await column(page, "#width-table", "mean")).toEqual([]);
    expect(await page.textContent("#width-note")).toMatch(/inputs changed/);
    await page.fill("#width-controls input[name=width]", "0");
    await page.click("#width-run");
    expect(await page.getAttribute("#width-status", "data-state")).toBe("invalid");
    expect(await page.textContent("#width-problems")).toContain('“hidden width n” is "0": it must be a whole number from 1 to 2048.');
    expect(await page.getAttribute("#width-controls input[name=width]", "aria-invalid")).toBe("true");
    expect(await axeViolations(page)).toEqual([]);

    // Cancel stops a long run and shows nothing.
    await page.fill("#width-controls input[name=width]", "2048");
    await page.fill("#width-controls input[name=samples]", "1000");
    await page.click("#width-run");
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#width-status")?.dataset.state === "running");
    await page.click("#width-cancel");
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#width-status")?.dataset.state === "cancelled", null, { timeout: 30_000 });
    expect(await column(page, "#width-table", "mean")).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
