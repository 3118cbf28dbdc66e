import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli } from "./support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "ntk-predict-"));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

const examples = ["--train", "examples/train.json", "--test", "examples/test.json"];

describe("ntk-depth predict", () => {
  it("prints a table per test point with the condition estimate and digits kept (float64)", async () => {
    const r = await cli("predict", ...examples, "--depth", "3");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Kernel Θ \(raw\) at depth L = 3; 4 training points, 2 test points, 2 targets/);
    expect(r.out).toMatch(
      /Float64 \((Cholesky of K|LU of K|solved from 1 − K̄, Sherman–Morrison)\): condition estimate \d+, about 1[45] significant digits kept;\s+det\(K\s+\+\s+δI\)\s+=\s+0\.00257880349877/,
    );
    expect(r.out).toMatch(/\n +1 +0\.93769490432506\d* +-0\.0170839060735\d* +1\.029176159400\d*/);
    expect(r.err).toBe("");
  });

  it("--help states the precision range the library enforces (20..1000), and 19 is refused", async () => {
    const help = await cli("predict", "--help");
    expect(help.out).toMatch(/P significant digits \(20\.\.1000\)/);
    const r = await cli("predict", ...examples, "--depth", "3", "--precision", "19");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/BAD_PRECISION/);
  });

  it("--json: one row per test point and one column per target, numbers as decimal strings", async () => {
    const r = await cli(
      "predict",
      ...examples,
      "--depth",
      "3",
      "--normalized",
      "--kernel",
      "nngp",
      "--time",
      "2.5",
      "--learning-rate",
      "0.4",
      "--diag-reg",
      "0.01",
      "--json",
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.depth).toBe("3");
    expect(doc.kernel).toBe("nngp");
    expect(doc.predictions).toHaveLength(2);
    expect(doc.predictions[0]).toHaveLength(2);
    expect(doc.weights[1]).toHaveLength(4);
    expect(doc.weightsL1).toHaveLength(2);
    for (const v of [...doc.predictions.flat(), ...doc.weights.flat(), ...doc.weightsL1, doc.determinant, doc.conditionEstimate, doc.digitsKept]) {
      expect(typeof v).toBe("string");
      expect(Number.isFinite(Number(v))).toBe(true);
    }
    // The 1-norm is the sum of the row's absolute weights.
    const l1 = doc.weights[0].reduce((s: number, w: string) => s + Math.abs(Number(w)), 0);
    expect(Number(doc.weightsL1[0])).toBeCloseTo(l1, 14);
    expect(doc.warnings).toEqual([]);
  });

  it("--precision: digitsVouched and the precision in JSON, values printed with their vouched digits", async () => {
    const r = await cli("predict", ...examples, "--depth", "3", "--precision", "25", "--json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.digitsVouched.predictions).toBe("25");
    expect(Number(doc.precision)).toBeGreaterThanOrEqual(25);
    // 25 significant digits, trailing zeros kept.
    expect(doc.predictions[0][0]).toMatch(/^0\.9376949043250604\d{9}$/);
    const f64 = JSON.parse((await cli("predict", ...examples, "--depth", "3", "--json")).out);
    expect(Math.abs(Number(doc.predictions[1][1]) - Number(f64.predictions[1][1]))).toBeLessThan(1e-14);
  });

  it("--precision auto reports the precision it chose for --digits", async () => {
    const r = await cli("predict", ...examples, "--depth", "3", "--precision", "auto", "--digits", "12");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/High precision \(--precision auto for 12 digits\): Gram matrix at \d+ digits/);
    const j = JSON.parse((await cli("predict", ...examples, "--depth", "3", "--precision", "auto", "--digits", "12", "--json")).out);
    expect(Number(j.digitsVouched.predictions)).toBeGreaterThanOrEqual(12);
    expect(Number(j.precision)).toBeGreaterThanOrEqual(20);
    // Float64 beside the vouched result: its correct digits measured (only as many as the reference
    // vouches for can be confirmed), within two of what its condition estimate promised.
    expect(j.float64.predictions).toHaveLength(2);
    const confirmable = Math.min(Number(j.digitsVouched.predictions), Math.floor(Number(j.float64.digitsKept)));
    expect(Number(j.float64.correctDigits)).toBeGreaterThanOrEqual(confirmable - 2);
    expect(Number(j.float64.correctDigits)).toBeLessThanOrEqual(Number(j.digitsVouched.predictions));
  });

  it("warnings go to stderr in human mode and into a warnings array in JSON", async () => {
    const train = file("dup.json", {
      points: [
        [1, 0, 0],
        [2, 0, 0],
        [0, 1, 0],
      ],
      labels: [1, 2, 3],
    });
    const test = file("t.json", { points: [[1, 1, 1]] });
    const human = await cli("predict", "--train", train, "--test", test, "--depth", "3", "--time", "1");
    expect(human.code).toBe(0);
    expect(human.err).toMatch(/^warning: K is exactly singular: training points 1 and 2 are the same point on the sphere/m);
    const json = JSON.parse((await cli("predict", "--train", train, "--test", test, "--depth", "3", "--time", "1", "--json")).out);
    expect(json.warnings.join()).toMatch(/training points 1 and 2/);
  });

  it("--time-convention neural-tangents divides t by m·k", async () => {
    const nt = JSON.parse((await cli("predict", ...examples, "--depth", "2", "--time", "8", "--time-convention", "neural-tangents", "--json")).out);
    const flow = JSON.parse((await cli("predict", ...examples, "--depth", "2", "--time", "1", "--json")).out);
    expect(nt.predictions).toEqual(flow.predictions);
    expect(nt.flowTime).toBe("1");
  });

  it("errors: singular at t = inf, bad time, bad kernel, missing file, bad precision (exit 1, code on stderr)", async () => {
    const train = file("dup2.json", {
      points: [
        [1, 0, 0],
        [2, 0, 0],
        [0, 1, 0],
      ],
      labels: [1, 2, 3],
    });
    const cases: [string[], RegExp][] = [
      [["--train", train, "--test", "examples/test.json", "--depth", "3"], /error SINGULAR_MATRIX: .*training points 1 and 2/],
      [[...examples, "--depth", "3", "--time", "-1"], /error BAD_OPTION: time/],
      [[...examples, "--depth", "3", "--kernel", "rbf"], /error BAD_OPTION: kernel/],
      [[...examples, "--depth", "3", "--precision", "7"], /error BAD_PRECISION/],
      [[...examples, "--depth", "0"], /error BAD_DEPTH/],
      [["--train", join(dir, "missing.json"), "--test", "examples/test.json", "--depth", "3"], /error FILE_UNREADABLE/],
    ];
    for (const [args, message] of cases) {
      const r = await cli("predict", ...args);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.out).toBe("");
    }
    expect((await cli("predict", ...examples)).code).toBe(2); // --depth missing
  });
});

describe("ntk-depth predict at tiny times (the flow has barely started)", () => {
  const json = async (...args: string[]) => {
    const r = await cli("predict", ...examples, "--depth", "3", "--normalized", "--json", ...args);
    expect(r.code).toBe(0);
    return JSON.parse(r.out) as { predictions: string[][]; determinant: string; conditionEstimate: string; digitsKept: string; warnings: string[] };
  };

  it("det and its digits come from the matrix, the same at every time; the condition estimate is at least 1", async () => {
    const runs = await Promise.all(["inf", "1", "1e-300", "1e-310", "5e-324"].map((t) => json("--time", t)));
    for (const r of runs) {
      expect(r.determinant).toBe(runs[0].determinant);
      expect(Number(r.conditionEstimate)).toBeGreaterThanOrEqual(1);
    }
    expect(runs[0].determinant).toMatch(/^0\.6601736956866\d*$/);
  });

  it("subnormal weights: digitsKept says how many digits float64 holds there, and the warning says the same number", async () => {
    const normal = await json("--time", "1e-300");
    expect(Number(normal.digitsKept)).toBeGreaterThan(13);
    expect(normal.warnings).toEqual([]);
    const sub = await json("--time", "1e-320");
    // Weights of order 1e-320 = 2000 × 2^−1074: about log10(2000) ≈ 3.3 digits.
    expect(Number(sub.digitsKept)).toBeGreaterThan(2.5);
    expect(Number(sub.digitsKept)).toBeLessThan(3.5);
    expect(sub.warnings).toHaveLength(1);
    expect(sub.warnings[0]).toMatch(
      new RegExp(
        `below the normal float64 range \\(2\\.2e-308\\), where float64 holds fewer digits: the weights and predictions keep about ${Math.floor(Number(sub.digitsKept))} significant digits`,
      ),
    );
    // Each printed prediction is the flow's first order s·K_x·Y to the digits kept.
    const first = await json("--time", "1e-300");
    sub.predictions.flat().forEach((p, i) => {
      const expected = Number(first.predictions.flat()[i]) * 1e-20;
      expect(Math.abs(Number(p) - expected)).toBeLessThan(expected * 10 ** -(Number(sub.digitsKept) - 1));
    });
  });

  it("at the smallest time weights underflow: no digit kept, and the warning says so", async () => {
    const r = await json("--time", "5e-324");
    expect(Number(r.digitsKept)).toBe(0);
    expect(r.warnings.join("\n")).toMatch(/no digit of the weights and predictions is kept|printed as 0 and no digit of them is kept/);
  });

  it("raw kernel deep down at a short time: the scaled time underflows, predictions 0 with no digit kept", async () => {
    const r = await cli("predict", ...examples, "--depth", "2000", "--time", "3", "--json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { predictions: string[][]; digitsKept: string; warnings: string[] };
    expect(doc.predictions.flat().every((p) => Number(p) === 0)).toBe(true);
    expect(doc.digitsKept).toBe("0");
    expect(doc.warnings.join("\n")).toMatch(/below the float64 range: they are printed as 0 and no digit of them is kept/);
  });
});
