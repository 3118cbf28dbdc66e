/**
 * The package as a user gets it: `npm pack` (whose `prepack` builds dist/), the tarball installed
 * into a fresh project outside the repository, and every entry point exercised from there: ESM
 * imports in plain Node, types for a TypeScript consumer, the `ntk-depth` bin without tsx, the
 * browser through a Vite build and through a plain `<script type="module">` (Chromium), and the
 * README's library, command-line and page examples. One build, pack and install serve every check.
 */
import { execFile } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./e2e/chromium.js";
import { serveStatic, type Resource, type StaticServer } from "./e2e/staticServer.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string };
const readme = readFileSync(join(root, "README.md"), "utf8");

/** The README's ```ts blocks (library examples), ```html blocks (pages) and `ntk-depth …` command lines. */
const readmeLibraryExamples = [...readme.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]);
const readmePages = [...readme.matchAll(/^```html\n([\s\S]*?)^```/gm)].map((m) => m[1]);
const readmeBinCommands = [...readme.matchAll(/^```sh\n([\s\S]*?)^```/gm)]
  .flatMap((m) => m[1].replace(/\\\n\s*/g, " ").split("\n"))
  .map((line) => line.trim())
  .filter((line) => line.startsWith("ntk-depth"));

/**
 * The environment for the child npm: the parent's, without the variables `npm test` sets for its
 * own package (they would point the child at the repository instead of the temporary project).
 */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { CI: "true", NO_COLOR: "1" };
  for (const [key, value] of Object.entries(process.env)) {
    const npmOwn = /^npm_(lifecycle|package)_/i.test(key) || /^npm_(command|config_(call|local_prefix|prefix|global_prefix))$/i.test(key) || key === "INIT_CWD";
    if (!npmOwn) env[key] = value;
  }
  return { ...env, CI: "true", NO_COLOR: "1", ...extra };
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

/**
 * What each browser check computes, with `SPECIFIER` replaced by the import: 1 − ρ at high
 * precision with its vouched digits, and a float64 Gram determinant (WebAssembly).
 */
const PAGE_SCRIPT = `
import { pairThroughDepthPrecise, gramThroughDepth, analyzeMatrixFloat64, datasetFromArrays, formatVouched } from SPECIFIER;
const r = await pairThroughDepthPrecise({ rho1: "0.9999999", depth: 100, at: [1, 100], precision: 25 });
const lines = r.points.map((p) => "L = " + p.depth + ": 1 − ρ = " + formatVouched(p.oneMinusRho, p.digitsVouched.oneMinusRho));
const data = datasetFromArrays({ points: [["1", "0"], ["0.6", "0.8"], ["0", "1"]] });
const [g] = (await gramThroughDepth({ data, projection: "normalize", depths: [10] })).grams;
const a = await analyzeMatrixFloat64(g.ntkNormalized, g.m);
// 12 digits: Math.log10 may differ in the last bit between JavaScript engines.
lines.push("log10|det Θ̄| = " + a.log10AbsDet.toPrecision(12));
const out = lines.join("\\n");
if (typeof document === "undefined") console.log(out);
else document.querySelector("#out").textContent = out;
`;
const pageScript = (specifier: string): string => PAGE_SCRIPT.replace("SPECIFIER", JSON.stringify(specifier));
const PAGE_HTML = (src: string) =>
  `<!doctype html>\n<meta charset="utf-8"><title>ntk-depth</title><link rel="icon" href="data:,">\n<pre id="out"></pre>\n<script type="module" src="${src}"></script>\n`;

let work: string;
let tarball: string;
let consumer: string;
let browser: Browser;
const servers: StaticServer[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "ntk-depth-package-"));
  // `npm pack` runs `prepack` (npm run build) first: dist/ comes from the sources of this checkout.
  await run(npm, ["pack", "--pack-destination", work, "--silent"], { cwd: root, env: childEnv(), maxBuffer: 1 << 26 });
  const packed = readdirSync(work).filter((f) => f.endsWith(".tgz"));
  expect(packed).toEqual([`${manifest.name}-${manifest.version}.tgz`]);
  tarball = join(work, packed[0]);
  consumer = join(work, "consumer");
  await mkdir(consumer);
  await writeFile(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  // Dependencies come from the npm cache when `npm ci` has just filled it (--prefer-offline).
  await run(npm, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], {
    cwd: consumer,
    env: childEnv(),
    maxBuffer: 1 << 26,
  });
  await writeFile(join(consumer, "same-in-node.mjs"), pageScript("ntk-depth"));
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Runs `node file` in the consumer project; returns stdout, fails on a non-zero exit. */
async function node(file: string, args: string[] = []): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [file, ...args], { cwd: consumer, env: childEnv() });
}

/** Loads `url` in Chromium, waits for `#out` to fill, returns its text and any console error. */
async function pageOutput(url: string): Promise<{ out: string; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => (document.querySelector("#out")?.textContent ?? "") !== "", undefined, { timeout: 30_000 });
  const out = (await page.textContent("#out")) ?? "";
  await page.close();
  return { out, problems };
}

/** Every file under `dir` as a static route under `/`. */
function routesOf(dir: string): Record<string, Resource> {
  const routes: Record<string, Resource> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else routes[`/${relative(dir, full).split(sep).join("/")}`] = { file: full };
    }
  };
  walk(dir);
  return routes;
}

describe("the packed tarball", () => {
  it("holds the compiled library, its types, the bin and the browser bundle; no sources, tests or maps", async () => {
    const { stdout } = await run("tar", ["tzf", tarball]);
    const files = stdout.trim().split("\n");
    for (const f of [
      "package.json",
      "README.md",
      "bin/ntk-depth.mjs",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/advanced.js",
      "dist/advanced.d.ts",
      "dist/data/files.js",
      "dist/data/files.d.ts",
      "dist/node.js",
      "dist/node.d.ts",
      "dist/width/sampleWorker.js",
      "dist/cli.js",
      "dist/browser/ntk-depth.js",
      "dist/wasm/modules.generated.js",
    ]) {
      expect(files, f).toContain(`package/${f}`);
    }
    expect(files.filter((f) => /^package\/(src|test|assembly|web|bench|scripts)\//.test(f) || f.endsWith(".map"))).toEqual([]);
  });
});

// Generous: each check starts several Node processes (tsc, the bin, the README examples).
describe("the installed package", { timeout: 300_000 }, () => {
  it("imports in plain Node (ESM) from every subpath of its exports", async () => {
    await writeFile(join(consumer, "train.csv"), "x1,x2,y\n1,0,1\n0,1,-1\n");
    await writeFile(
      join(consumer, "imports.mjs"),
      `import * as core from "ntk-depth";
import * as advanced from "ntk-depth/advanced";
import { loadDataset } from "ntk-depth/data/files";
import { sampleWorkerRunner } from "ntk-depth/node";
import { createRequire } from "node:module";
const r = await core.pairThroughDepth({ rho1: "0.5", depth: 3 });
const points = core.projectToSphereFloat64({ m: 2, n0: 2, coords: Float64Array.of(1, 0, 0.6, 0.8) }, "normalize");
const mcOptions = { points, depth: 3, width: 8, samples: 3, seed: 2 };
const inWorkers = await core.monteCarloKernels({ ...mcOptions, runner: sampleWorkerRunner(2) });
const here = await core.monteCarloKernels(mcOptions);
const data = await loadDataset("train.csv");
const chol = await advanced.choleskyFactor([4, 2, 2, 3], 2);
const { version } = createRequire(import.meta.url)("ntk-depth/package.json");
const sameInWorkers = inWorkers.raw.every((s, i) => s.ntk.every((v, e) => v === here.raw[i].ntk[e]));
console.log(JSON.stringify({ core: Object.keys(core).length, advanced: Object.keys(advanced).length, oneMinusRho: r.points[0].oneMinusRho, m: data.m, l11: chol.lower[3], version, sameInWorkers }));
`,
    );
    const { stdout, stderr } = await node("imports.mjs");
    expect(stderr).toBe("");
    const got = JSON.parse(stdout) as Record<string, number | string>;
    expect(got.core).toBeGreaterThan(30);
    expect(got.advanced).toBeGreaterThan(10);
    expect(got.oneMinusRho).toBeGreaterThan(0);
    expect(got.m).toBe(2);
    expect(got.l11).toBeCloseTo(Math.SQRT2, 15);
    expect(got.version).toBe(manifest.version);
    // ntk-depth/node's worker runner starts its workers from the installed dist and gives the one-thread bits.
    expect(got.sameInWorkers).toBe(true);
  });

  it("gives a TypeScript consumer the types, and the README's library examples compile and run from it", async () => {
    expect(readmeLibraryExamples.length).toBeGreaterThan(1);
    for (const [i, code] of readmeLibraryExamples.entries()) await writeFile(join(consumer, `readme-${i + 1}.mts`), code);
    // Wrong uses must be type errors: with missing or `any` types the @ts-expect-error lines would fail.
    await writeFile(
      join(consumer, "typed.mts"),
      `import { pairThroughDepth, NtkError, type PairResultFloat64 } from "ntk-depth";
import { luFactorFloat64, type LuFactorsFloat64 } from "ntk-depth/advanced";
import { loadDataset } from "ntk-depth/data/files";
import { sampleWorkerRunner } from "ntk-depth/node";
const r: PairResultFloat64 = await pairThroughDepth({ rho1: "0.5", depth: 2 });
// @ts-expect-error threads is a number
sampleWorkerRunner("2");
const lu: LuFactorsFloat64 = await luFactorFloat64([2, 1, 1, 2], 2);
// @ts-expect-error depth is required
await pairThroughDepth({ rho1: "0.5" });
// @ts-expect-error a path is a string
await loadDataset(42);
// @ts-expect-error oneMinusRho is a number
const s: string = r.points[0].oneMinusRho;
console.log(s, lu, NtkError.name);
`,
    );
    await writeFile(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          outDir: "out",
          // The consumer's own Node types (the README example writes a file); the library's need none.
          typeRoots: [join(root, "node_modules", "@types")],
          types: ["node"],
        },
        include: ["*.mts"],
      }),
    );
    const compiled = await run(process.execPath, [tsc, "-p", consumer], { cwd: consumer }).catch((e: { stdout: string }) => ({
      stdout: e.stdout,
      failed: true,
    }));
    expect(compiled.stdout).toBe("");
    for (const i of readmeLibraryExamples.keys()) {
      const { stdout, stderr } = await node(join("out", `readme-${i + 1}.mjs`));
      expect(stderr, `README example ${i + 1}`).toBe("");
      expect(stdout.trim().split("\n").length, `README example ${i + 1}`).toBeGreaterThanOrEqual(2);
    }
  });

  it("runs the bin as compiled JavaScript with plain Node, without tsx, and the README's ntk-depth commands", async () => {
    const bin = join(consumer, "node_modules", ".bin", "ntk-depth");
    expect(lstatSync(bin).isSymbolicLink()).toBe(true);
    expect(realpathSync(bin)).toBe(realpathSync(join(consumer, "node_modules", "ntk-depth", "bin", "ntk-depth.mjs")));
    expect(existsSync(join(consumer, "node_modules", "tsx"))).toBe(false);
    const env = childEnv({ PATH: `${join(consumer, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}` });
    expect((await run(bin, ["--version"], { cwd: consumer, env })).stdout).toBe(`${manifest.version}\n`);
    expect(readmeBinCommands.length).toBeGreaterThan(1);
    for (const command of readmeBinCommands) {
      const { stdout } = await run("sh", ["-c", command], { cwd: consumer, env });
      expect(stdout.length, command).toBeGreaterThan(0);
    }
    // A user error: the message and its code on stderr, exit 1, no stack trace.
    const failed = await run(bin, ["rho", "--rho1", "2", "--depth", "3"], { cwd: consumer, env }).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^ntk-depth: error [A-Z_]+: /);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
  });

  it("is bundled by Vite for the browser and gives Node's results in Chromium", async () => {
    const app = join(consumer, "vite-app");
    await mkdir(app);
    await writeFile(join(app, "index.html"), PAGE_HTML("./main.js"));
    await writeFile(join(app, "main.js"), pageScript("ntk-depth"));
    await build({ root: app, configFile: false, logLevel: "silent", build: { outDir: join(app, "dist"), target: "es2022" } });
    const server = await serveStatic({ ...routesOf(join(app, "dist")), "/favicon.ico": { text: "" } });
    servers.push(server);
    const { out, problems } = await pageOutput(`${server.url}/index.html`);
    expect(problems).toEqual([]);
    const inNode = (await node("same-in-node.mjs")).stdout.trim();
    expect(out).toBe(inNode);
    expect(out).toMatch(/^L = 1: 1 − ρ = 1\.0{24}e-7$/m);
  });

  it("serves its single-file bundle (ntk-depth/browser) to a plain <script type=module>, and the README's page runs on it", async () => {
    const bundle = createRequire(join(consumer, "package.json")).resolve("ntk-depth/browser");
    expect(relative(consumer, bundle).split(sep).join("/")).toBe("node_modules/ntk-depth/dist/browser/ntk-depth.js");
    expect(readmePages.length).toBeGreaterThan(0);
    const server = await serveStatic({
      "/ntk-depth.js": { file: bundle },
      "/index.html": { text: PAGE_HTML("./main.js") },
      "/main.js": { text: pageScript("./ntk-depth.js") },
      "/favicon.ico": { text: "" },
      ...Object.fromEntries(readmePages.map((text, i) => [`/readme-${i}.html`, { text }])),
    });
    servers.push(server);
    const probe = await pageOutput(`${server.url}/index.html`);
    expect(probe.problems).toEqual([]);
    expect(probe.out).toBe((await node("same-in-node.mjs")).stdout.trim());
    for (const i of readmePages.keys()) {
      expect(readmePages[i]).toContain('from "./ntk-depth.js"');
      const { out, problems } = await pageOutput(`${server.url}/readme-${i}.html`);
      expect(problems).toEqual([]);
      // 1 − ρ1 = 1e-7 exactly at L = 1, printed with its 30 vouched digits.
      expect(out.split("\n")).toHaveLength(3);
      expect(out).toMatch(/^L = 1: 1 − ρ = 1\.0{29}e-7$/m);
    }
  });
});
