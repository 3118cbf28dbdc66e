import { describe, expect, it } from "vitest";
import { architectureFigures, architectureSection, runArchitectureStudy, STUDY_ARCHITECTURES } from "../src/study/architectureExperiment.js";
import { DEFAULT_SEED } from "../src/study/plan.js";

describe("study: architectures beyond the ReLU network", () => {
  it("one summary row per architecture, verdicts that follow the numbers, finite data, figures and a section", async () => {
    const s = await runArchitectureStudy(10, DEFAULT_SEED, {});
    expect(s.summary.rows.map((r) => r.architecture)).toEqual(STUDY_ARCHITECTURES.map((a) => a.name));
    const row = (name: string) => s.summary.rows.find((r) => String(r.architecture).startsWith(name))!;
    expect(row("ReLU").nngpLimit).toMatch(/^the matrix of ones/);
    expect(row("ReLU").ntkLimit).toMatch(/^a constant matrix: off-diagonal → 0\.2[45]/);
    expect(row("ReLU").detNngp).toMatch(/^collapses/);
    expect(row("ReLU").detNtk).toMatch(/^bounded away from 0/);
    expect(row("residual ReLU, α = 1/√L").nngpLimit).toMatch(/^not constant/);
    expect(row("residual ReLU, α = 1/√L").predictions).toMatch(/^no:/);
    expect(row("erf, σw = 1.5").nngpLimit).toMatch(/^a constant matrix: off-diagonal → 0\.497/);
    expect(row("erf, σw = 1.5").ntkLimit).toMatch(/^the identity matrix/);
    expect(row("erf, σb = 0.3").rate).toMatch(/^closes geometrically/);
    // The Θ̄ limit does not depend on the slope: every extrapolation with λ ≥ 0.2 is 1/4 to 1e-2.
    for (const r of s.slopeSweep.rows.filter((x) => Number(x.lambda) >= 0.2)) expect(Math.abs(Number(r.ntkLimit) - 0.25)).toBeLessThan(1e-2);
    // With α = c/sqrt(L), ρ settles at a value that depends on c: the limit is not the matrix of ones.
    const scaled = s.alphaSweep.rows.filter((x) => String(x.case).includes("sqrt"));
    expect(new Set(scaled.map((x) => Number(x.rhoAtMax).toFixed(2))).size).toBe(3);
    for (const r of scaled) expect(Number(r.rhoAtMax)).toBeLessThan(0.9);
    for (const t of [s.depthTable, s.summary, s.slopeSweep, s.alphaSweep]) {
      for (const r of t.rows) for (const v of Object.values(r)) if (typeof v === "number") expect(Number.isFinite(v)).toBe(true);
    }
    expect(architectureFigures(s)).toHaveLength(5);
    const section = architectureSection(s);
    expect(section.paragraphs.join("\n")).toContain("| residual ReLU, α = 1/√L |");
  });
});
