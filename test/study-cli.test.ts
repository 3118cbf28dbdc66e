import { describe, expect, it } from "vitest";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { Resvg } from "@resvg/resvg-js";
import { runCli } from "../src/cli.js";
import type { CliIO } from "../src/cli/context.js";
import { StageProgress, subdivide } from "../src/study/stages.js";
import { runStudy } from "../src/study/run.js";

function captureIO() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), errStream: new PassThrough(), errIsTTY: false };
  return { io, out: () => out.join(""), err: () => err.join("") };
}

describe("study --quick end to end", () => {
  it("[long] writes index.md with a verdict for every claim, valid SVG figures, PNGs, and CSV + JSON data", async () => {
    const dir = await mkdtemp(join(tmpdir(), "study-cli-"));
    try {
      const { io, out, err } = captureIO();
      const code = await runCli(["study", "--quick", "--out", dir, "--json"], io);
      expect(err()).toBe("");
      expect(code).toBe(0);
      const summary = JSON.parse(out());
      expect(summary.verdicts.map((v: { claim: string }) => v.claim)).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
      for (const v of summary.verdicts) expect(["supported", "not supported", "inconclusive at the depths reached"]).toContain(v.verdict);

      const md = await readFile(join(dir, "index.md"), "utf8");
      for (const claim of [1, 2, 3, 4, 5, 6, 7])
        expect(md).toMatch(new RegExp(`\\*\\*Verdict: (supported|not supported|inconclusive at the depths reached)\\.\\*\\* Claim ${claim}:`));
      expect(md).toContain("σw = 1, σb = 0 (the paper's case)");

      const figures = await readdir(join(dir, "figures"));
      const svgs = figures.filter((f) => f.endsWith(".svg"));
      expect(svgs.length).toBeGreaterThanOrEqual(8);
      for (const f of svgs) {
        const svg = await readFile(join(dir, "figures", f), "utf8");
        expect(svg.trimStart().startsWith("<svg")).toBe(true);
        expect(() => new Resvg(svg)).not.toThrow(); // strict XML parse
        expect(figures).toContain(f.replace(/\.svg$/, ".png"));
        expect(md).toContain(`figures/${f}`);
      }
      // Closed forms at L = 2 (SPEC §3): ρ1 = 0 gives ρ^(2) = h(0) = 1/π and Θ̄^(2) = (0·κ0(0) + h(0))/2 = 1/(2π).
      const series = JSON.parse(await readFile(join(dir, "data", "pair-series.json"), "utf8"));
      const atTwo = series.rows.find((r: Record<string, string>) => r.depth === "2" && r.rho1 === "0");
      expect(Math.abs(Number(atTwo.oneMinusRho) - (1 - 1 / Math.PI))).toBeLessThan(1e-15);
      expect(Math.abs(Number(atTwo.ntkNormalized) - 1 / (2 * Math.PI))).toBeLessThan(1e-15);
      // The series reach L = 2^40 in --quick (the depth jump): 1 − ρ there is 9π²/(2L²) to about 1e-10 relative (corrections O(ln L / L)).
      const deep = series.rows.find((r: Record<string, string>) => r.depth === String(2 ** 40) && r.rho1 === "0");
      expect(Math.abs(Number(deep.oneMinusRho) / ((9 * Math.PI ** 2) / 2 / 2 ** 80) - 1)).toBeLessThan(1e-9);
      expect(Math.abs(Number(deep.ntkNormalized) - 0.25)).toBeLessThan(1e-10);
      // The first depth with 1 − ρ < 0.1 for ρ1 = 0, checked against the series: 1 − ρ^(16) < 0.1 (table), so L(0.1) ≤ 16.
      const thresholds = JSON.parse(await readFile(join(dir, "data", "thresholds-rho1-0.json"), "utf8"));
      const first = Number(thresholds.rows[0].depth);
      expect(first).toBeGreaterThan(1);
      expect(first).toBeLessThanOrEqual(16);

      // Spectrum closed forms on S² (n0 = 3): L = 1 is t, so μ_1 = 1/3; at L = 2, a_0 = μ_0 is 1/4 for Θ̄ and 3/8 for Σ̄.
      const spectrum = JSON.parse(await readFile(join(dir, "data", "spectrum.json"), "utf8"));
      const mu = (depth: number, kernel: string, k: number) =>
        Number(spectrum.rows.find((r: Record<string, string>) => r.depth === String(depth) && r.kernel.startsWith(kernel) && r.k === String(k)).eigenvalue);
      expect(Math.abs(mu(1, "Θ̄", 1) - 1 / 3)).toBeLessThan(1e-14);
      expect(Math.abs(mu(2, "Θ̄", 0) - 1 / 4)).toBeLessThan(1e-14);
      expect(Math.abs(mu(2, "Σ̄", 0) - 3 / 8)).toBeLessThan(1e-14);

      const data = await readdir(join(dir, "data"));
      const csvs = data.filter((f) => f.endsWith(".csv"));
      expect(csvs.length).toBeGreaterThanOrEqual(10);
      for (const f of csvs) {
        expect(data).toContain(f.replace(/\.csv$/, ".json"));
        const json = JSON.parse(await readFile(join(dir, "data", f.replace(/\.csv$/, ".json")), "utf8"));
        for (const row of json.rows) for (const v of Object.values(row)) expect(v === null || typeof v === "string").toBe(true);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("a seed that is not an integer is BAD_OPTION (exit 1), nothing written", async () => {
    const { io, err } = captureIO();
    const code = await runCli(["study", "--quick", "--seed", "abc", "--out", join(tmpdir(), "never-written")], io);
    expect(code).toBe(1);
    expect(err()).toContain("BAD_OPTION");
  });

  it("a seed outside 0 … 2^32 − 1 is BAD_OPTION (it would silently repeat another seed's data)", async () => {
    const { io, err } = captureIO();
    expect(await runCli(["study", "--quick", "--seed", "4294967296", "--out", join(tmpdir(), "never-written")], io)).toBe(1);
    expect(err()).toMatch(/BAD_OPTION.*seed must be an integer from 0 to 4294967295/);
    for (const seed of [-1, 1.5, Number.NaN]) await expect(runStudy({ quick: true, seed })).rejects.toMatchObject({ code: "BAD_OPTION" });
  });

  it("a bad σw is rejected before any work (BAD_SIGMA_W)", async () => {
    const { io, err } = captureIO();
    expect(await runCli(["study", "--quick", "--sigma-w", "-1", "--out", join(tmpdir(), "never-written")], io)).toBe(1);
    expect(err()).toContain("BAD_SIGMA_W");
  });
});

describe("study outside the paper's case", () => {
  it("[long] σb = 1 (Σ̄ rounds to ones in float64): seven verdicts, the parametrization named, no non-finite number in any table", async () => {
    const doc = await runStudy({ quick: true, params: { sigmaB: "1" } });
    expect(doc.sections.flatMap((s) => (s.verdict ? [s.verdict.claim] : []))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(doc.preamble[0]).toContain("NOT the paper's case");
    for (const t of doc.tables) for (const row of t.rows) for (const v of Object.values(row)) if (typeof v === "number") expect(Number.isFinite(v)).toBe(true);
    // Missing numbers (no fit, a singular K at some depths) read "—" in index.md, never NaN or undefined.
    for (const s of doc.sections) for (const text of [...s.paragraphs, ...(s.verdict?.reasons ?? [])]) expect(text).not.toMatch(/NaN|undefined|Infinity/);
  }, 60_000);
});

describe("study cancellation", () => {
  it("an aborted signal stops the study with ABORTED before any work", async () => {
    const c = new AbortController();
    c.abort();
    await expect(runStudy({ quick: true, signal: c.signal })).rejects.toMatchObject({ code: "ABORTED" });
  });
});

describe("stage progress", () => {
  it("maps each stage's progress onto one increasing overall count and finishes at the total", () => {
    const seen: [number, number][] = [];
    const p = new StageProgress({ onProgress: (d, t) => void seen.push([d, t]) }, [1, 3]);
    p.stage(0).onProgress?.(5, 10);
    p.stage(1).onProgress?.(1, 2);
    p.finish();
    expect(seen).toEqual([
      [0, 4000],
      [500, 4000],
      [1000, 4000],
      [2500, 4000],
      [4000, 4000],
    ]);
  });
  it("subdivide maps the k-th of n runs onto the k-th n-th of the stage", () => {
    const seen: [number, number][] = [];
    subdivide({ onProgress: (d, t) => void seen.push([d, t]) }, 1, 4).onProgress?.(5, 10);
    expect(seen).toEqual([[15, 40]]);
    expect(subdivide({}, 0, 2).onProgress).toBeUndefined();
  });
  it("checks the abort signal when a stage starts", () => {
    const c = new AbortController();
    c.abort();
    expect(() => new StageProgress({ signal: c.signal }, [1]).stage(0)).toThrow(/cancelled/);
  });
});
