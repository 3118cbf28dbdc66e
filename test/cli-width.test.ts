import { describe, expect, it } from "vitest";
import { cli, cliJson } from "./support/cli.js";

/** Every leaf of a JSON document that is a number must have been printed as a string. */
function noBareNumbers(doc: unknown): void {
  if (Array.isArray(doc)) doc.forEach(noBareNumbers);
  else if (doc !== null && typeof doc === "object") Object.values(doc).forEach(noBareNumbers);
  else expect(typeof doc).not.toBe("number");
}

const trainFiles = ["--train", "examples/train-scalar.json", "--test", "examples/test.json"];

describe("ntk-depth width", () => {
  it("--json: per off-diagonal entry mean, std, stderr, infinite, zScore as decimal strings, and the diagonal ratios", async () => {
    const doc = await cliJson<{ entries: Record<string, string | null>[]; diagSecondMomentRatio: string; diagScaledMean: string; samplesUsed: string }>(
      "width",
      "--data",
      "examples/circle.csv",
      "--depth",
      "3",
      "--width",
      "16",
      "--samples",
      "6",
      "--seed",
      "2",
      "--json",
    );
    noBareNumbers(doc);
    expect(doc.entries).toHaveLength(10);
    expect(Object.keys(doc.entries[0])).toEqual(["i", "j", "mean", "std", "stderr", "infinite", "zScore"]);
    expect(doc.entries[0].i).toBe("1");
    expect(doc.entries[0].j).toBe("2");
    for (const e of doc.entries) expect(Number(e.zScore)).toBeCloseTo((Number(e.mean) - Number(e.infinite)) / Number(e.stderr), 8);
    expect(Number(doc.diagSecondMomentRatio)).toBeGreaterThanOrEqual(1);
    expect(Number(doc.diagScaledMean)).toBeGreaterThan(0);
    expect(doc.samplesUsed).toBe("6");
  });

  it("gives the same numbers on this thread and on two worker threads", async () => {
    const args = ["width", "--data", "examples/circle.csv", "--depth", "4", "--width", "8", "--samples", "5", "--kernel", "nngp", "--json"];
    expect(await cliJson(...args, "--threads", "2")).toEqual(await cliJson(...args, "--threads", "1"));
  });

  it("prints a table with a legend, and --help says what the numbers mean", async () => {
    const r = await cli("width", "--data", "examples/circle.csv", "--depth", "3", "--width", "8", "--samples", "4");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Θ̄_n, the normalized empirical NTK of 4 sampled networks/);
    expect(r.out).toMatch(/E\[Θ_n\(x,x\)²\] \/ E\[Θ_n\(x,x\)\]²: \d/);
    const help = await cli("width", "--help");
    expect(help.out.replace(/\s+/g, " ")).toMatch(/zScore = \(mean − infinite\)\/stderr/);
  });

  it("refuses bad widths and sample counts with typed errors", async () => {
    const base = ["width", "--data", "examples/circle.csv", "--depth", "3"];
    for (const [flags, code] of [
      [["--width", "0", "--samples", "4"], "BAD_WIDTH"],
      [["--width", "2.5", "--samples", "4"], "BAD_WIDTH"],
      [["--width", "4", "--samples", "1"], "BAD_SAMPLES"],
      [["--width", "100000", "--samples", "2"], "WASM_MEMORY_EXHAUSTED"],
    ] as const) {
      const r = await cli(...base, ...flags);
      expect(r.code, r.err).toBe(1);
      expect(r.err).toContain(`error ${code}:`);
    }
  });
});

describe("ntk-depth train", () => {
  it("--json: checkpoints with step, trainLoss, kernelChange and per test point trained, linearized, infiniteWidth", async () => {
    const doc = await cliJson<{ checkpoints: { step: string; trainLoss: string; kernelChange: string; testPoints: Record<string, string | null>[] }[] }>(
      "train",
      ...trainFiles,
      "--depth",
      "2",
      "--width",
      "32",
      "--steps",
      "10",
      "--learning-rate",
      "0.5",
      "--samples",
      "2",
      "--at",
      "0,5,10",
      "--sigma-w",
      "1.5",
      "--json",
    );
    noBareNumbers(doc);
    expect(doc.checkpoints.map((c) => c.step)).toEqual(["0", "5", "10"]);
    expect(Number(doc.checkpoints[2].trainLoss)).toBeLessThan(Number(doc.checkpoints[0].trainLoss));
    expect(doc.checkpoints[0].kernelChange).toBe("0");
    expect(Object.keys(doc.checkpoints[1].testPoints[0])).toEqual(["point", "trained", "trainedStderr", "linearized", "infiniteWidth"]);
  });

  it("a diverging run prints the checkpoints reached, then DIVERGED with the step and a smaller η", async () => {
    const r = await cli("train", ...trainFiles, "--depth", "1", "--width", "4", "--steps", "500", "--learning-rate", "80", "--at", "0,1,500", "--json");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error DIVERGED: Gradient descent diverged at step \d+ .*smaller learning rate/);
    const doc = JSON.parse(r.out);
    expect(doc.diverged).toBe(true);
    expect(doc.checkpoints.map((c: { step: string }) => c.step)).toEqual(["0", "1"]);
  });

  it("refuses a learning rate ≤ 0, steps that are not a positive integer, and bad widths", async () => {
    const base = ["train", ...trainFiles, "--depth", "2", "--width", "4"];
    for (const [flags, code] of [
      [["--steps", "10", "--learning-rate", "0"], "BAD_OPTION"],
      [["--steps", "10", "--learning-rate", "-0.1"], "BAD_OPTION"],
      [["--steps", "0", "--learning-rate", "0.1"], "BAD_OPTION"],
      [["--steps", "1.5", "--learning-rate", "0.1"], "BAD_OPTION"],
      [["--steps", "10", "--learning-rate", "abc"], "NOT_A_NUMBER"],
      [["--steps", "10", "--learning-rate", "0.1", "--width", "0"], "BAD_WIDTH"],
    ] as const) {
      const r = await cli(...base, ...flags);
      expect(r.code, r.err).toBe(1);
      expect(r.err).toContain(`error ${code}:`);
    }
  });
});
