/**
 * The browser build (vite.lib.config.ts → ntk-depth.js, what `npm run build` puts in
 * dist/browser/): one self-contained ES module that a plain `<script type="module">` imports
 * without an import map or a bundler, whose WebAssembly loads from the embedded bytes, and whose
 * float64 results in Chromium equal Node's bit for bit. The opt-in "fma" build loads there too and
 * fuses (or not) as it does in Node on the same machine.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as library from "../src/index.js";
import * as advanced from "../src/advanced.js";
import { launchChromium } from "./e2e/chromium.js";
// @ts-expect-error plain JavaScript module shared with the page (no declaration file)
import { runProbe } from "./e2e/probe.js";
// @ts-expect-error plain JavaScript module shared with the page (no declaration file)
import { runFmaProbe } from "./e2e/fmaProbe.js";
import { serveStatic, type StaticServer } from "./e2e/staticServer.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const probeFile = fileURLToPath(new URL("./e2e/probe.js", import.meta.url));
const fmaProbeFile = fileURLToPath(new URL("./e2e/fmaProbe.js", import.meta.url));

/** The page: imports the bundle and the probe as plain modules and publishes the probe's result. */
const PAGE = `<!doctype html>
<meta charset="utf-8"><title>ntk-depth bundle probe</title><link rel="icon" href="data:,">
<script type="module">
  import * as ntk from "./ntk-depth.js";
  import { runProbe } from "./probe.js";
  import { runFmaProbe } from "./fmaProbe.js";
  const engine = await ntk.loadWasmEngine();
  const fma = await runFmaProbe(ntk).catch((e) => ({ error: String(e) }));
  window.probeResult = { variant: engine.variant, isolated: crossOriginIsolated, threads: await ntk.resolveThreads(3), values: await runProbe(ntk), fma };
</script>`;

type ProbeValues = Record<string, string[]>;

let outDir: string;
let bundleText: string;
let server: StaticServer;
/** The same files without the cross-origin isolation headers: no SharedArrayBuffer, one thread. */
let plainServer: StaticServer;
let browser: Browser;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "ntk-depth-browser-build-"));
  await build({ configFile: join(root, "vite.lib.config.ts"), logLevel: "silent", build: { outDir, emptyOutDir: true } });
  bundleText = await readFile(join(outDir, "ntk-depth.js"), "utf8");
  const routes = {
    "/index.html": { text: PAGE },
    "/ntk-depth.js": { file: join(outDir, "ntk-depth.js") },
    "/probe.js": { file: probeFile },
    "/fmaProbe.js": { file: fmaProbeFile },
    // Browsers ask for it; a 404 would show up as a console error.
    "/favicon.ico": { text: "" },
  };
  server = await serveStatic(routes);
  plainServer = await serveStatic(routes, { isolated: false });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await plainServer?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe("browser bundle", () => {
  it("is one self-contained ES module: no import of any other module, no Node built-in", () => {
    expect(bundleText).not.toMatch(/^\s*import\s[^;]*from\s*["']/m);
    expect(bundleText).not.toMatch(/\bimport\s*\(\s*["']/);
    expect(bundleText).not.toMatch(/["']node:/);
    expect(bundleText).toMatch(/^export\s*\{/m);
  });

  it("exports the same names as the core and advanced barrels together", async () => {
    const bundled = (await import(pathToFileURL(join(outDir, "ntk-depth.js")).href)) as Record<string, unknown>;
    expect(Object.keys(bundled).sort()).toEqual([...new Set([...Object.keys(library), ...Object.keys(advanced)])].sort());
  });

  type FmaProbe = { variant: string; fuses: boolean; lu: string[] };
  type PageResult = { variant: string; isolated: boolean; threads: number; values: ProbeValues; fma: FmaProbe | { error: string } };

  /** Loads the probe page from `base` and returns what it published, with any console error or page error. */
  async function probePage(base: string): Promise<{ result: PageResult; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("console", (msg) => {
      if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    await page.goto(`${base}/index.html`);
    await page.waitForFunction(() => "probeResult" in window, undefined, { timeout: 40_000 });
    const result = (await page.evaluate(() => (window as unknown as { probeResult: unknown }).probeResult)) as PageResult;
    await page.close();
    return { result, problems };
  }

  let isolated: ReturnType<typeof probePage> | undefined;
  /** The cross-origin isolated page's result, loaded once for the tests that read it. */
  const isolatedPage = () => (isolated ??= probePage(server.url));

  it("loads in Chromium from a plain <script type=module> and gives Node's float64 results bit for bit, on 1, 2 and 3 worker threads", async () => {
    const { result: inBrowser, problems } = await isolatedPage();
    const inNode = (await runProbe({ ...library, ...advanced })) as ProbeValues;
    expect(problems).toEqual([]);
    expect(["simd", "scalar"]).toContain(inBrowser.variant);
    // Served with COOP/COEP: shared memory, so the library's Web Workers run.
    expect(inBrowser.isolated).toBe(true);
    expect(inBrowser.threads).toBe(3);
    expect(Object.keys(inNode).length).toBeGreaterThan(3);
    expect(inNode.threads2).toEqual(inNode.threads1);
    expect(inNode.threads3).toEqual(inNode.threads1);
    for (const [name, hexes] of Object.entries(inNode)) {
      expect(hexes.length, name).toBeGreaterThan(0);
      expect(inBrowser.values[name], `${name} (Chromium vs Node, float64 bits)`).toEqual(hexes);
    }
  });

  it('loads the "fma" build, which fuses or not as in Node and then gives Node\'s bits', async () => {
    const { result } = await isolatedPage();
    const inNode = (await runFmaProbe({ ...library, ...advanced })) as FmaProbe;
    expect(result.fma).toEqual(inNode);
    expect(inNode.variant).toBe("fma");
    // Where the host fuses, the bits compared are not the "simd" build's.
    const simd = (await runFmaProbe({ ...library, ...advanced }, "simd")) as FmaProbe;
    expect(simd.lu).toHaveLength(inNode.lu.length);
    expect(simd.lu.every((h, i) => h === inNode.lu[i])).toBe(!inNode.fuses);
  });

  it("runs on one thread, with the same bits, in a page that is not cross-origin isolated", async () => {
    const { result, problems } = await probePage(plainServer.url);
    expect(problems).toEqual([]);
    expect(result.isolated).toBe(false);
    expect(result.threads).toBe(1);
    const inNode = (await runProbe({ ...library, ...advanced })) as ProbeValues;
    for (const name of ["threads1", "threads2", "threads3", "gram", "analysis", "solve"]) {
      expect(result.values[name], name).toEqual(inNode[name]);
    }
  });
});
