import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Decimal } from "decimal.js";
import { correctDigits } from "../src/digits.js";
import fixture from "./fixtures/precise_linalg.json" with { type: "json" };
import { compareGram, gramScanDepths, MIN_REFERENCE_DIGITS } from "../src/compare/gramCompare.js";
import { datasetFromArrays } from "../src/data/dataset.js";
import { cli } from "./support/cli.js";
import { rejectionCodeOf } from "./support/errors.js";

const NEARLY_EQUAL = [
  ["0.3", "-1.2", "0.5"],
  ["0.3", "-1.2", "0.50000000000000000001"],
  ["1", "0.25", "-0.75"],
];

describe("compareGram: float64 against high precision", () => {
  it("scan depths: every depth to 30, then about ten per decade, the depth itself and the end included", () => {
    const d = gramScanDepths(1000, 77);
    expect(d.slice(0, 30)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(d).toContain(77);
    expect(d).toContain(100);
    expect(d.at(-1)).toBe(1000);
    expect(d.filter((x) => x > 100 && x <= 1000)).toHaveLength(10);
    expect(gramScanDepths(5, 5)).toEqual([1, 2, 3, 4, 5]);
  });

  it("points 1e-20 apart: float64 merges them (exact zero pivot), so its det means nothing from depth 1, while the reference vouches every digit", async () => {
    const r = await compareGram({
      data: datasetFromArrays({ points: NEARLY_EQUAL }),
      projection: "normalize",
      depth: 6,
      kernel: "ntk",
      normalized: true,
      precision: 24,
    });
    expect(r.determinant.float64.analysis.signDet).toBe(0);
    expect(r.determinant.reference.signDet).toBe(1);
    expect(r.determinant.reference.digitsVouched.det).toBe(24);
    expect(r.determinant.detCorrectDigits).toBe(0);
    expect(r.detMeaninglessFrom).toBe(1);
    expect(r.scan.every((s) => s.meaningless)).toBe(true);
    // Entries of Θ̄ are still right to float64 accuracy; their complement 1 − Θ̄ for the merged pair is lost entirely.
    expect(r.entries.leastCorrectDigits).toBeGreaterThanOrEqual(15);
    expect(r.complements!.leastCorrectDigits).toBe(0);
    expect(r.complements!.worstEntry).toEqual([1, 2]);
    expect(r.definition).toMatch(/10%/);
  });

  it("σb = 1, L = 1060: 1 − Θ̄ entries float64 lost (1 − Σ̄ below 2^-1022) count 0 digits, not the 4 their carried bits match", async () => {
    const points = [
      ["1", "0.2", "0.1"],
      ["0.3", "1", "-0.2"],
      ["-0.5", "0.4", "1"],
    ];
    const r = await compareGram({
      data: datasetFromArrays({ points }),
      projection: "normalize",
      depth: 1060,
      scanTo: 1060,
      kernel: "ntk",
      normalized: true,
      params: { sigmaW: "1", sigmaB: "1" },
    });
    expect(r.complements!.lostEntries).toBe(6);
    expect(r.complements!.leastCorrectDigits).toBe(0);
    expect(r.entries.lostEntries).toBe(0);
  });

  it("well separated points: float64's det keeps at least 9 digits of Σ̄'s det through depth 300, so it never loses its meaning there", async () => {
    const points = [
      ["1", "0.2", "0.1"],
      ["0.3", "1", "-0.2"],
      ["-0.5", "0.4", "1"],
    ];
    const r = await compareGram({ data: datasetFromArrays({ points }), projection: "normalize", depth: 50, scanTo: 300, kernel: "nngp", normalized: true });
    expect(r.precision).toBe(32);
    expect(r.detMeaninglessFrom).toBeNull();
    for (const s of r.scan) {
      expect(s.referenceDigits).toBeGreaterThanOrEqual(MIN_REFERENCE_DIGITS);
      expect(s.float64Digits).toBeGreaterThanOrEqual(9);
    }
    expect(r.determinant.detRelativeError!.lt(1e-9)).toBe(true);
    expect(r.determinant.log10AbsDetCorrectDigits).toBeGreaterThanOrEqual(9);
  });

  it("raw kernels far below the float64 range compare through their power-of-two scale", async () => {
    const points = [
      ["1", "0"],
      ["0.6", "0.8"],
    ];
    const r = await compareGram({
      data: datasetFromArrays({ points }),
      projection: "normalize",
      depth: 1200,
      scanTo: 1200,
      kernel: "ntk",
      normalized: false,
      precision: 20,
    });
    // Θ(x,x) = L / (n0 2^{L−1}) ≈ 1e-358 at L = 1200: outside float64, yet every entry keeps ≥ 12 digits.
    expect(r.entries.leastCorrectDigits).toBeGreaterThanOrEqual(12);
    expect(r.determinant.reference.log10AbsDet!.toNumber()).toBeLessThan(-700);
    expect(r.determinant.log10AbsDetCorrectDigits).toBeGreaterThanOrEqual(12);
  });

  it("errors: BAD_DEPTH for the depth or scan depth, BAD_PRECISION, projection errors", async () => {
    const data = datasetFromArrays({ points: NEARLY_EQUAL });
    const base = { data, projection: "normalize" as const, depth: 3, kernel: "ntk" as const, normalized: true };
    expect(await rejectionCodeOf(() => compareGram({ ...base, depth: 0 }))).toBe("BAD_DEPTH");
    expect(await rejectionCodeOf(() => compareGram({ ...base, scanTo: 1.5 }))).toBe("BAD_DEPTH");
    expect(await rejectionCodeOf(() => compareGram({ ...base, precision: 10 }))).toBe("BAD_PRECISION");
    expect(await rejectionCodeOf(() => compareGram({ ...base, projection: "none" }))).toBe("OFF_SPHERE");
  });
});

const circle = fileURLToPath(new URL("../examples/circle.csv", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "ntk-kernel-precise-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A JSON data file whose numbers are written exactly as the given decimal text. */
function textFile(name: string, points: string[][]): string {
  const path = join(scratch, name);
  writeFileSync(path, `{"points": [${points.map((r) => `[${r.join(", ")}]`).join(", ")}]}`);
  return path;
}

describe("kernel --precision", () => {
  it("--json keeps the float64 keys and adds precision and digitsVouched; values match the 250-digit reference", async () => {
    const ref = fixture.grams.find((g) => g.data.startsWith("five points") && g.projection === "normalize" && g.depth === 10)!;
    const file = textFile("five.json", fixture.data[ref.data as keyof typeof fixture.data] as string[][]);
    const float64 = JSON.parse((await cli("kernel", "--data", file, "--depth", "10", "--normalized", "--json")).out);
    const r = await cli("kernel", "--data", file, "--depth", "10", "--normalized", "--precision", "30", "--json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    // A `…Reason` key appears only where a value is missing (e.g. float64 det exactly 0 where the precise one is not).
    for (const key of Object.keys(float64).filter((k) => !k.endsWith("Reason"))) expect(doc).toHaveProperty(key);
    expect(doc.precision).toBe("30");
    expect(Number(doc.digitsVouched.det)).toBeGreaterThanOrEqual(29);
    // Printed text is the value rounded to its vouched digits d: within half a unit of the d-th digit,
    // which the strict count (relative error < 10^−d) may score as d − 1.
    expect(correctDigits(new Decimal(doc.det), new Decimal(ref.detNtkNormalized.det), 40)).toBeGreaterThanOrEqual(Number(doc.digitsVouched.det) - 1);
    expect(correctDigits(new Decimal(doc.log10AbsDet), new Decimal(ref.detNtkNormalized.log10AbsDet!), 40)).toBeGreaterThanOrEqual(
      Number(doc.digitsVouched.log10AbsDet) - 1,
    );
    (doc.gram as string[][]).flat().forEach((x, k) => {
      // Each entry is printed with the digits it vouches for: all of them are correct.
      const digits = x.replace(/^-?0\.0*|[-.]|e.*$/g, "").length;
      expect(correctDigits(new Decimal(x), new Decimal(ref.ntkNormalized[k]), 40), `entry ${k}: ${x} (${digits} digits)`).toBeGreaterThanOrEqual(
        Math.min(digits, 30) - 1,
      );
    });
    expect(r.err).toBe("");
  });

  it("human output states the digits asked and carried, det with its vouched digits, and how they are vouched", async () => {
    const r = await cli("kernel", "--data", circle, "--depth", "5", "--normalized", "--precision", "25");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/25 significant digits asked, \d+ carried/);
    expect(r.out).toMatch(/det K {8}= 0\.3319448545179752770493751 {2}\(25 digits vouched\)/);
    expect(r.out).toMatch(/vouched by: .*computed twice/);
  });

  it("raw kernels deep below the float64 range print exactly, with vouched digits", async () => {
    const r = await cli("kernel", "--data", circle, "--depth", "2000", "--precision", "20", "--json");
    const doc = JSON.parse(r.out);
    // Θ(x,x) = L / (n0 2^{L−1}) = 2000 / 2^2000 ≈ 8.7e-599.
    const exact = new (Decimal.clone({ precision: 40, minE: -9e15 }))(2000).div(new (Decimal.clone({ precision: 40, minE: -9e15 }))(2).pow(2000));
    expect(correctDigits(new Decimal(doc.gram[0][0]), exact, 20)).toBeGreaterThanOrEqual(19);
    expect(Number(doc.log10AbsDet)).toBeLessThan(-2900);
  });

  it("coincident points: det exactly 0, the points named, every digit of 0 vouched", async () => {
    const file = textFile("dup.json", [
      ["1", "2"],
      ["-0.5", "0.3"],
      ["2", "4"],
    ]);
    const doc = JSON.parse((await cli("kernel", "--data", file, "--depth", "4", "--precision", "20", "--json")).out);
    expect(doc.det).toBe("0");
    expect(doc.signDet).toBe(0);
    expect(doc.singular).toBe(true);
    expect(doc.coincidentPoints).toEqual([["1", "3"]]);
    expect(doc.notes.join(" ")).toMatch(/points 1 and 3 coincide/);
  });

  it("L = 1 with more points than dimensions: no digit of det vouched, and the output says so", async () => {
    const r = await cli("kernel", "--data", circle, "--depth", "1", "--normalized", "--precision", "20");
    expect(r.out).toMatch(/\(0 digits vouched\)/);
    expect(r.out).toMatch(/no digit of det K is vouched for/);
  });

  it("errors: BAD_PRECISION below 20 and above 1000, a precision that is not a number, --scan-to without --compare", async () => {
    const low = await cli("kernel", "--data", circle, "--depth", "3", "--precision", "19");
    expect(low.code).not.toBe(0);
    expect(low.err).toMatch(/BAD_PRECISION|precision must be/);
    const high = await cli("kernel", "--data", circle, "--depth", "3", "--precision", "1001");
    expect(high.err).toMatch(/from 20 to 1000/);
    expect((await cli("kernel", "--data", circle, "--depth", "3", "--precision", "lots")).err).toMatch(/--precision/);
    expect((await cli("kernel", "--data", circle, "--depth", "3", "--scan-to", "9")).err).toMatch(/--scan-to only applies with --compare/);
  });
});

describe("kernel --compare", () => {
  it("--json: float64 vs reference for entries, det, log10|det| and the scan; float64 fails from depth 1 for points 1e-20 apart", async () => {
    const file = textFile("near.json", NEARLY_EQUAL);
    const r = await cli("kernel", "--data", file, "--depth", "4", "--normalized", "--compare", "--precision", "24", "--json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.precision).toBe("24");
    expect(doc.det.float64).toBe("0");
    expect(doc.det.correctDigits).toBe("0");
    expect(Number(doc.det.digitsVouched)).toBe(24);
    expect(doc.complements.correctDigits).toBe("0");
    expect(doc.detMeaninglessFrom).toBe("1");
    expect(doc.scan.map((s: { depth: string }) => s.depth)).toEqual(["1", "2", "3", "4"]);
    expect(doc.definition).toMatch(/fewer than 1 correct digit/);
  });

  it("human output: the verdict and the definition", async () => {
    const r = await cli("kernel", "--data", circle, "--depth", "5", "--normalized", "--compare", "--scan-to", "40");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/float64 against high precision \(32 digits asked/);
    expect(r.out).toMatch(/keeps at least one correct digit at every scanned depth up to 40/);
    expect(r.out).toMatch(/"Stops meaning anything": /);
  });
});
