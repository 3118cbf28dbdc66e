import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gramThroughDepthFloat64, kernelMatrixFloat64 } from "../src/gram/float64.js";
import { analyzeMatrixFloat64 } from "../src/linalg/lu.js";
import { projectToSphereFloat64 } from "../src/sphere/float64.js";
import { loadDataset } from "../src/data/files.js";
import { cli } from "./support/cli.js";

const examples = fileURLToPath(new URL("../examples/", import.meta.url));
const circle = join(examples, "circle.csv");
const train = join(examples, "train.json");
const scratch = mkdtempSync(join(tmpdir(), "ntk-kernel-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface KernelJson {
  depth: string;
  kernel: string;
  normalized: boolean;
  gram: string[][];
  det: string;
  log10AbsDet: string;
  signDet: number;
  conditionEstimate: string;
  digitsKept: string;
  singular: boolean;
  coincidentPoints: string[][];
  notes: string[];
}

async function json(...args: string[]): Promise<KernelJson> {
  const r = await cli("kernel", ...args, "--json");
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as KernelJson;
}

describe("kernel --json", () => {
  it("prints the documented keys, every number a string, equal to the API's float64 values", async () => {
    const doc = await json("--data", train, "--depth", "3", "--kernel", "nngp", "--normalized");
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(["depth", "kernel", "normalized", "gram", "det", "log10AbsDet", "signDet", "conditionEstimate"]));
    expect(doc).toMatchObject({ depth: "3", kernel: "nngp", normalized: true, signDet: 1, singular: false });
    const data = await loadDataset(train);
    const [g] = (await gramThroughDepthFloat64({ points: projectToSphereFloat64(data, "normalize"), depths: [3] })).grams;
    const a = await analyzeMatrixFloat64(g.sigmaNormalized, g.m);
    expect(doc.gram.flat().map(Number)).toEqual(Array.from(g.sigmaNormalized));
    expect(doc.gram.flat().every((s) => typeof s === "string")).toBe(true);
    expect(Number(doc.det)).toBe(a.det);
    expect(Number(doc.log10AbsDet)).toBe(a.log10AbsDet);
    expect(Number(doc.conditionEstimate)).toBe(a.conditionEstimate);
    for (let i = 0; i < g.m; i++) expect(doc.gram[i][i]).toBe("1");
  });

  it('"complement" is 1 − K̄ of the normalized kernel as carried, digits intact where K̄ is near 1; depths stay exact', async () => {
    for (const kernel of ["ntk", "nngp"] as const) {
      const doc = (await json("--data", circle, "--depth", "1000000000000000001", "--kernel", kernel)) as unknown as { depth: string; complement: string[][] };
      expect(doc.depth).toBe("1000000000000000001");
      const [g] = (await gramThroughDepthFloat64({ points: projectToSphereFloat64(await loadDataset(circle), "normalize"), depths: ["1000000000000000001"] }))
        .grams;
      expect(doc.complement.flat().map(Number)).toEqual(Array.from(kernel === "ntk" ? g!.oneMinusNtkNormalized : g!.oneMinusSigmaNormalized));
      for (let i = 0; i < g!.m; i++) expect(doc.complement[i]![i]).toBe("0");
    }
    // Distinct points: every off-diagonal complement is positive at depth 3 as well.
    const doc = (await json("--data", circle, "--depth", "3", "--kernel", "nngp", "--normalized")) as unknown as { complement: string[][] };
    expect(
      doc.complement
        .flat()
        .filter((x) => x !== "0")
        .every((x) => Number(x) > 0),
    ).toBe(true);
  });

  it("raw kernels past the float64 range print exact decimals of mantissa × 2^k, and det through log10", async () => {
    const depth = 3000;
    const doc = await json("--data", circle, "--depth", String(depth));
    const data = await loadDataset(circle);
    const [g] = (await gramThroughDepthFloat64({ points: projectToSphereFloat64(data, "normalize"), depths: [depth] })).grams;
    // Θ(x,x) = L / (n0 2^{L−1}) with n0 = 2: 3000 · 2^-3000 = 2.4385645876673206321…e-900 (mpmath).
    expect(doc.gram[0][0]).toBe("2.4385645876673206e-900");
    const { matrix, log2Scale } = kernelMatrixFloat64(g, "ntk", false);
    expect(log2Scale).toBeLessThan(-2000);
    const a = await analyzeMatrixFloat64(matrix, g.m);
    const expectedLog = a.log10AbsDet + g.m * log2Scale * Math.log10(2);
    expect(Number(doc.log10AbsDet)).toBeCloseTo(expectedLog, 9);
    const [mant, exp] = doc.det.split("e");
    expect(Number(exp) + Math.log10(Math.abs(Number(mant)))).toBeCloseTo(expectedLog, 9);
    expect(Number(doc.det.split("e")[0])).toBeGreaterThan(0);
  });

  it("names points that coincide on the sphere and reports the matrix singular", async () => {
    const file = join(scratch, "dup.csv");
    writeFileSync(file, "x1,x2,x3\n1,0,0\n0.3,0.4,0.5\n0,1,2\n-1,2,0.5\n0.6,0.8,1\n");
    const doc = await json("--data", file, "--depth", "4", "--normalized");
    expect(doc.coincidentPoints).toEqual([["2", "5"]]);
    expect(doc.notes.join(" ")).toMatch(/points 2 and 5 coincide on the sphere/);
    expect(doc.gram[1]).toEqual(doc.gram[4]);
    expect(doc.singular || Number(doc.digitsKept) < 1).toBe(true);
    const human = await cli("kernel", "--data", file, "--depth", "4", "--normalized");
    expect(human.out).toMatch(/note: points 2 and 5 coincide on the sphere/);
  });

  it("distinct points whose float64 projections are equal are named as such, not as coincident", async () => {
    const file = join(scratch, "round.json");
    writeFileSync(file, '{"points": [[3, 4], [3, 4.00000000000000000001], [1, -1]]}');
    const doc = await json("--data", file, "--depth", "3");
    expect(doc.coincidentPoints).toEqual([]);
    expect(doc.notes.join(" ")).toMatch(/points 1 and 2 are distinct but their float64 projections are equal/);
  });

  it("depth 1 with more points than dimensions says why K is singular", async () => {
    const doc = await json("--data", circle, "--depth", "1", "--normalized");
    expect(doc.notes.join(" ")).toMatch(/depth L = 1 the kernel is linear/);
    expect(doc.singular || Number(doc.digitsKept) < 1).toBe(true);
  });
});

describe("kernel, human output", () => {
  it("prints a legend, the matrix table and det, log10|det|, sign, κ1 and digits kept", async () => {
    const r = await cli("kernel", "--data", circle, "--depth", "10", "--normalized", "--projection", "none", "--sigma-w", "1.5", "--sigma-b", "0.25");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Θ̄ \(normalized NTK\) at depth L = 10: 5 points on the unit sphere in R\^2 \(projection none\),\s+σw\s+=\s+1\.5,\s+σb\s+=\s+0\.25/);
    expect(r.out).toMatch(/^ *1 +1 +0\.\d+/m);
    for (const label of ["det K ", "log10|det K|", "sign det K", "κ1(K)", "digits kept"]) expect(r.out).toContain(label);
  });
  it("--help describes the command", async () => {
    const r = await cli("kernel", "--help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--kernel <name>[\s\S]*--normalized[\s\S]*--projection/);
  });
});

describe("kernel errors", () => {
  it("bad depth: BAD_DEPTH, exit 1", async () => {
    for (const d of ["0", "abc", "2.5"]) {
      const r = await cli("kernel", "--data", circle, "--depth", d);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/BAD_DEPTH/);
      expect(r.out).toBe("");
    }
  });
  it("missing file: FILE_UNREADABLE; bad σ: BAD_SIGMA_W / BAD_SIGMA_B", async () => {
    expect((await cli("kernel", "--data", join(scratch, "nope.csv"), "--depth", "2")).err).toMatch(/FILE_UNREADABLE.*no such file/);
    expect((await cli("kernel", "--data", circle, "--depth", "2", "--sigma-w", "-1")).err).toMatch(/BAD_SIGMA_W/);
    expect((await cli("kernel", "--data", circle, "--depth", "2", "--sigma-b", "-1")).err).toMatch(/BAD_SIGMA_B/);
  });
  it("off-sphere data under --projection none: OFF_SPHERE", async () => {
    const r = await cli("kernel", "--data", train, "--depth", "2", "--projection", "none");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/OFF_SPHERE.*norm/);
  });
  it("missing --data, unknown kernel or projection: usage error, exit 2", async () => {
    expect((await cli("kernel", "--depth", "2")).code).toBe(2);
    expect((await cli("kernel", "--data", circle, "--depth", "2", "--kernel", "rbf")).code).toBe(2);
    expect((await cli("kernel", "--data", circle, "--depth", "2", "--projection", "polar")).code).toBe(2);
  });
});
