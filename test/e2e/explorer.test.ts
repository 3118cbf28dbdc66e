/**
 * End-to-end tests of the explorer page (web/) in the system Chromium: the page is built with
 * vite.web.config.ts, served by `vite preview` on a free port, and driven by playwright-core.
 * It loads without console errors, a run completes and its numbers equal the Node library's for
 * the same inputs, cancelling stops a long run, the URL holds the state, and errors are shown.
 * A screenshot of a finished run is saved to test-artifacts/explorer.png.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
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
async function openExplorer(query: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
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
  await page.waitForFunction(() => ["done", "failed", "cancelled"].includes(document.querySelector<HTMLElement>("#status")?.dataset.state ?? ""), undefined, { timeout });
  return (await page.getAttribute("#status", "data-state")) ?? "";
}

/** The text of every cell of one column of a results table, top to bottom. */
function column(page: Page, table: string, key: string): Promise<string[]> {
  return page.$$eval(`${table} td[data-key="${key}"]`, (cells) => cells.map((c) => c.textContent ?? ""));
}

describe("explorer page in Chromium", () => {
  it("loads without console errors, completes the default run and draws every figure", async () => {
    const { page, problems } = await openExplorer("");
    expect(await runEnd(page)).toBe("done");
    expect(await page.$$eval(".charts svg", (svgs) => svgs.length)).toBeGreaterThanOrEqual(6);
    expect(await column(page, "#pair-table", "depth")).toHaveLength(21);
    await page.screenshot({ path: join(artifacts, "explorer.png"), fullPage: true });
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
    expect(await column(page, "#pair-table", "precise.oneMinusRho")).toEqual(precise.points.map((p) => formatVouched(p.oneMinusRho, p.digitsVouched.oneMinusRho)));

    // The data set: m random training points and 2 test points, the normalized NTK (defaults).
    const raw = randomGaussianPoints(m + 2, dim, seed);
    const onSphere = projectToSphere(raw, "normalize");
    const grams = await gramThroughDepthFloat64({ points: onSphere, depths });
    const targets = syntheticLabels({ ...onSphere, m, coords: onSphere.coords.subarray(0, m * dim) });
    const expectedEntries: string[] = [];
    const expectedDets: string[] = [];
    const expectedPredictions: string[] = [];
    for (const g of grams) {
      const { train, test } = sliceUnion(g.ntkNormalized, m, g.m - m);
      expectedEntries.push(formatFloat64(train[1]));
      expectedDets.push(formatFloat64((await analyzeMatrix(train, m)).log10AbsDet));
      const p = await predictFromKernels64({ trainKernel: train, testKernel: test, targets, m, time: "inf" });
      expectedPredictions.push(formatFloat64(p.predictions[0]));
    }
    expect(await column(page, "#data-table", "entry")).toEqual(expectedEntries);
    // L = 1 is the linear kernel: m = 4 > n0 = 3, so K is singular there (sign 0 or an enormous κ).
    expect((await column(page, "#data-table", "log10AbsDet")).slice(1)).toEqual(expectedDets.slice(1));
    expect((await column(page, "#data-table", "prediction")).slice(1)).toEqual(expectedPredictions.slice(1));
    // High-precision determinants from a Gram of the training points alone (the page slices the union's).
    const trainRaw = { ...raw, m, coords: raw.coords.subarray(0, m * dim) };
    const runs = await gramThroughDepthPreciseRuns({ data: trainRaw, projection: "normalize", depths, precision });
    const preciseDets = gramDeterminantsPrecise(runs, "ntk", true).map((d) => (d.digitsVouched.log10AbsDet >= 1 ? formatVouched(d.log10AbsDet!, d.digitsVouched.log10AbsDet) : "lost"));
    expect(await column(page, "#data-table", "preciseLog10AbsDet")).toEqual(preciseDets);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("draws the pair while the data set runs, cancels from the page, and runs again afterwards", async () => {
    // The precise pair to depth 20 000 takes about a second; the precise Gram of 7 points far longer.
    const { page, problems } = await openExplorer("?kernel=nngp&L1=20000&n=16&digits=25");
    await page.waitForFunction(() => document.querySelectorAll("#pair-table td").length > 0 && document.querySelector("#chart-rho svg") !== null, undefined, { timeout: 20_000 });
    expect(await page.$$eval("#data-table td", (cells) => cells.length)).toBe(0);
    await page.waitForFunction(() => /Gram matrices, 25 digits, [1-9]/.test(document.querySelector("#status")?.textContent ?? ""), undefined, { timeout: 20_000 });
    expect(await page.getAttribute("#status", "data-state")).toBe("running");
    expect(await page.isEnabled("#cancel")).toBe(true);
    await page.click("#cancel");
    expect(await runEnd(page, 10_000)).toBe("cancelled");
    expect(await page.isEnabled("#cancel")).toBe(false);

    await page.fill('input[name="depthMax"]', "20");
    await page.fill('input[name="precision"]', "0");
    await page.click("#run");
    expect(await runEnd(page)).toBe("done");
    expect(await column(page, "#pair-table", "depth")).toContain("20");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("an invalid edit during a run stops that run: no late result is drawn and the status stays invalid", async () => {
    // The precise pair to depth 10^5 at 60 digits takes over a second, so it would arrive after the
    // edit (and within the wait below) if the run went on; its data half takes far longer.
    const { page, problems } = await openExplorer("?L1=100000&n=8&digits=60");
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#status")?.dataset.state === "running");
    await page.fill('input[name="sigmaW"]', "abc");
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#status")?.dataset.state === "invalid");
    expect(await page.isEnabled("#cancel")).toBe(false);
    await page.waitForTimeout(4000);
    expect(await page.getAttribute("#status", "data-state")).toBe("invalid");
    expect(await page.$$eval("#pair-table td", (cells) => cells.length)).toBe(0);
    // Fixing the input runs again.
    await page.fill('input[name="sigmaW"]', "1");
    await page.fill('input[name="depthMax"]', "20");
    expect(await runEnd(page)).toBe("done");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("keeps the state in the URL: edits update it, and opening the URL restores them", async () => {
    const { page, problems } = await openExplorer("?L1=30&digits=0");
    expect(await runEnd(page)).toBe("done");
    await page.selectOption('select[name="kernel"]', "nngp");
    await page.uncheck('input[name="normalized"]');
    await page.waitForFunction(() => location.search.includes("kernel=nngp") && location.search.includes("norm=0"));
    const shared = page.url();
    expect(await runEnd(page)).toBe("done");
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

  it("fills the data box from an example file and runs on it", async () => {
    const { page, problems } = await openExplorer("?src=paste&digits=20&L1=10");
    expect(await runEnd(page)).toBe("done");
    await page.selectOption("#example", "train.json");
    expect(await page.inputValue('textarea[name="pasted"]')).toMatch(/"points"/);
    await page.waitForFunction(() => new URLSearchParams(location.search).get("data")?.includes('"points"'));
    expect(await runEnd(page)).toBe("done");
    expect(await page.textContent("#data-legend")).toMatch(/targets the data's first target column/);

    // Clicking on the circle replaces non-circle data by the clicked unit vectors.
    const circle = (await page.$("#circle-picker svg"))!;
    const box = (await circle.boundingBox())!;
    await circle.click({ position: { x: box.width / 2 + 70, y: box.height / 2 } });
    await circle.click({ position: { x: box.width / 2, y: box.height / 2 - 70 } });
    const picked = (await page.inputValue('textarea[name="pasted"]')).trim().split("\n");
    expect(picked[0]).toBe("x1,x2");
    const [east, north] = picked.slice(1).map((line) => line.split(",").map(Number));
    expect(Math.abs(east[0] - 1) + Math.abs(east[1]) + Math.abs(north[0]) + Math.abs(north[1] - 1)).toBeLessThan(0.05);
    expect(await page.$$eval("#circle-picker svg g circle", (dots) => dots.length)).toBe(2);
    expect(await runEnd(page)).toBe("done");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("says which URL parameters it could not use, and shows library errors with their code", async () => {
    const bad = await openExplorer("?m=1&L1=20&digits=0");
    expect(await bad.page.textContent("#url-problems")).toMatch(/m="1" is not valid/);
    expect(await runEnd(bad.page)).toBe("done");
    // An invalid edit marks its field and runs nothing.
    const before = bad.page.url();
    await bad.page.fill('input[name="sigmaW"]', "abc");
    await bad.page.waitForFunction(() => document.querySelector<HTMLElement>("#status")?.dataset.state === "invalid");
    expect(await bad.page.getAttribute('input[name="sigmaW"]', "aria-invalid")).not.toBeNull();
    expect(await bad.page.textContent("#url-problems")).toMatch(/sw="abc" is not valid/);
    expect(bad.page.url()).toBe(before);
    await bad.page.close();

    const ragged = await openExplorer(`?src=paste&digits=0&L1=5&data=${encodeURIComponent("x1,x2\n1,0\n0.5\n")}`);
    expect(await runEnd(ragged.page)).toBe("failed");
    expect(await ragged.page.textContent("#error")).toMatch(/^FILE_MALFORMED: pasted data line 3/);
    await ragged.page.close();
  });
});
