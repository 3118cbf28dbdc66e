import { describe, expect, it } from "vitest";
import { cli, cliJson } from "./support/cli.js";
import { archPairThroughDepthFloat64, archGramThroughDepthFloat64 } from "../src/arch/float64.js";
import { predict } from "../src/predict/fromData.js";
import { loadDataset } from "../src/data/files.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";

interface RhoJson {
  architecture?: string;
  points: Record<string, string | null | Record<string, number | null>>[];
}

describe("--arch on rho, kernel and predict", () => {
  it("rho --arch prints the library's values, names the architecture, and --help documents the grammar", async () => {
    const arch = "residual(alpha=1/sqrt(L); relu dense)";
    const doc = await cliJson<RhoJson>("rho", "--rho1", "0.5", "--depth", "40", "--at", "1,40", "--arch", arch, "--sigma-b", "0.1", "--json");
    expect(doc.architecture).toBe("stem(dense(1,0.1)) block(residual(alpha=1/sqrt(L); relu dense(1,0.1)))");
    const lib = await archPairThroughDepthFloat64({ rho1: "0.5", depth: 40, at: [1, 40], architecture: arch, params: { sigmaB: "0.1" } });
    expect(Number(doc.points[1].oneMinusNtkNormalized)).toBe(lib.points[1].oneMinusNtkNormalized);
    const help = await cli("rho", "--help");
    expect(help.out).toMatch(/--arch <text>/);
    expect(help.out).toMatch(/residual\(alpha=A; layers…\)/);
  });
  it("rho --arch --precision vouches digits; 'relu dense' prints what plain rho prints", async () => {
    const doc = await cliJson<{ points: { digitsVouched: Record<string, string | null> }[] }>(
      "rho",
      "--rho1",
      "0.5",
      "--depth",
      "5",
      "--arch",
      "erf dense",
      "--precision",
      "25",
      "--json",
    );
    expect(Number(doc.points[0].digitsVouched.oneMinusRho)).toBeGreaterThanOrEqual(25);
    const plain = await cli("rho", "--rho1", "0.3", "--depth", "20", "--json");
    const viaArch = await cliJson<RhoJson>("rho", "--rho1", "0.3", "--depth", "20", "--arch", "relu dense", "--json");
    const { architecture, ...rest } = viaArch;
    expect(architecture).toBe("stem(dense(1,0)) block(relu dense(1,0))");
    expect(rest).toEqual(JSON.parse(plain.out));
  });
  it("kernel --arch gives the architecture's Gram matrix, --precision its vouched det", async () => {
    const doc = await cliJson<{ gram: string[][]; architecture: string }>(
      "kernel",
      "--data",
      "examples/circle.csv",
      "--depth",
      "6",
      "--normalized",
      "--arch",
      "abs dense",
      "--json",
    );
    const points = projectToSphereFloat64(await loadDataset("examples/circle.csv"), "normalize");
    const [g] = (await archGramThroughDepthFloat64({ points, depths: [6], architecture: "abs dense" })).grams;
    expect(doc.gram.flat().map(Number)).toEqual(Array.from(g.ntkNormalized));
    const hp = await cliJson<{ det: string; digitsVouched: { det: string }; architecture: string }>(
      "kernel",
      "--data",
      "examples/circle.csv",
      "--depth",
      "6",
      "--normalized",
      "--arch",
      "abs dense",
      "--precision",
      "25",
      "--json",
    );
    expect(Number(hp.digitsVouched.det)).toBeGreaterThanOrEqual(20);
    const f64 = await cliJson<{ det: string }>("kernel", "--data", "examples/circle.csv", "--depth", "6", "--normalized", "--arch", "abs dense", "--json");
    expect(Math.abs(Number(f64.det) / Number(hp.det) - 1)).toBeLessThan(1e-13);
    expect(hp.architecture).toBe("stem(dense(1,0)) block(abs dense(1,0))");
  });
  it("kernel --arch --compare: the architecture's float64 Gram matrix and det against high precision, with the keys of the ReLU --compare", async () => {
    interface Entry {
      worstRelativeError: string;
      referenceDigits: string;
    }
    interface CompareJson {
      entries: Entry;
      complements: Entry;
      det: { float64: string; precise: string; relativeError: string; digitsVouched: string };
      scan: { depth: string }[];
      architecture?: string;
    }
    const args = ["kernel", "--data", "examples/circle.csv", "--depth", "4", "--normalized", "--compare", "--json"];
    const arch = await cliJson<CompareJson>(...args, "--arch", "leaky_relu(0.1) dense");
    const relu = await cliJson<CompareJson>(...args);
    const { architecture, ...rest } = arch;
    expect(architecture).toBe("stem(dense(1,0)) block(leaky_relu(0.1) dense(1,0))");
    expect(Object.keys(rest).sort()).toEqual(Object.keys(relu).sort());
    for (const e of [arch.entries, arch.complements]) {
      expect(Number(e.worstRelativeError)).toBeLessThan(1e-12);
      expect(Number(e.referenceDigits)).toBeGreaterThanOrEqual(30);
    }
    expect(Number(arch.det.relativeError)).toBeLessThan(1e-12);
    expect(Number(arch.det.digitsVouched)).toBeGreaterThanOrEqual(30);
    expect(arch.scan.map((s) => s.depth)).toEqual(["1", "2", "3", "4"]);
    // The architecture's own matrices, not the ReLU network's: its float64 det is kernel --arch's.
    const f64 = await cliJson<{ det: string }>(
      "kernel",
      "--data",
      "examples/circle.csv",
      "--depth",
      "4",
      "--normalized",
      "--arch",
      "leaky_relu(0.1) dense",
      "--json",
    );
    expect(Number(arch.det.float64)).toBe(Number(f64.det));
    expect(Math.abs(Number(arch.det.precise) / Number(relu.det.precise) - 1)).toBeGreaterThan(1e-3);
    const text = await cli("kernel", "--data", "examples/circle.csv", "--depth", "4", "--arch", "erf dense", "--compare");
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/architecture\s+stem\(dense\(1,0\)\)\s+block\(erf\s+dense\(1,0\)\):\s+float64\s+against\s+high\s+precision/);
    expect((await cli("kernel", "--help")).out).toMatch(/with\s+--arch:\s+of\s+that\s+architecture/);
  });
  it("predict --arch feeds the architecture's Gram matrices to the prediction code (float64 and --precision)", async () => {
    const [train, test] = await Promise.all([loadDataset("examples/train.json"), loadDataset("examples/test.json")]);
    const doc = await cliJson<{ predictions: unknown }>(
      "predict",
      "--train",
      "examples/train.json",
      "--test",
      "examples/test.json",
      "--depth",
      "4",
      "--arch",
      "erf dense",
      "--json",
    );
    const lib = await predict({ train, test, depth: 4, architecture: "erf dense" });
    const relu = await predict({ train, test, depth: 4 });
    expect(JSON.stringify(doc)).toContain(String(lib.float64!.predictions[0]));
    expect(lib.float64!.predictions[0]).not.toBe(relu.float64!.predictions[0]);
    const hp = await predict({ train, test, depth: 4, architecture: "erf dense", precision: 25 });
    expect(Math.abs(hp.precise!.predictions[0].toNumber() / lib.float64!.predictions[0] - 1)).toBeLessThan(1e-10);
  });
  it("malformed --arch exits 1 with BAD_ARCH and a caret under the column", async () => {
    const r = await cli("predict", "--train", "examples/train.json", "--test", "examples/test.json", "--depth", "4", "--arch", "erf dense(1,");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error BAD_ARCH: --arch: expected σb \(a decimal number\) at column 13/);
    expect(r.err).toContain("\n  erf dense(1,\n              ^");
  });
});
