import { describe, expect, it } from "vitest";
import { compareGram, gramScanDepths, MIN_REFERENCE_DIGITS } from "../src/compare/gramCompare.js";
import { datasetFromArrays } from "../src/data/dataset.js";
import { NtkError, type NtkErrorCode } from "../src/errors.js";

async function codeOf(f: () => Promise<unknown>): Promise<NtkErrorCode> {
  try {
    await f();
  } catch (e) {
    if (e instanceof NtkError) return e.code;
    throw e;
  }
  throw new Error("expected an NtkError");
}

const NEARLY_EQUAL = [["0.3", "-1.2", "0.5"], ["0.3", "-1.2", "0.50000000000000000001"], ["1", "0.25", "-0.75"]];

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
    const r = await compareGram({ data: datasetFromArrays({ points: NEARLY_EQUAL }), projection: "normalize", depth: 6, kernel: "ntk", normalized: true, precision: 24 });
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

  it("well separated points: float64's det keeps at least 9 digits of Σ̄'s det through depth 300, so it never loses its meaning there", async () => {
    const points = [["1", "0.2", "0.1"], ["0.3", "1", "-0.2"], ["-0.5", "0.4", "1"]];
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
    const points = [["1", "0"], ["0.6", "0.8"]];
    const r = await compareGram({ data: datasetFromArrays({ points }), projection: "normalize", depth: 1200, scanTo: 1200, kernel: "ntk", normalized: false, precision: 20 });
    // Θ(x,x) = L / (n0 2^{L−1}) ≈ 1e-358 at L = 1200: outside float64, yet every entry keeps ≥ 12 digits.
    expect(r.entries.leastCorrectDigits).toBeGreaterThanOrEqual(12);
    expect(r.determinant.reference.log10AbsDet!.toNumber()).toBeLessThan(-700);
    expect(r.determinant.log10AbsDetCorrectDigits).toBeGreaterThanOrEqual(12);
  });

  it("errors: BAD_DEPTH for the depth or scan depth, BAD_PRECISION, projection errors", async () => {
    const data = datasetFromArrays({ points: NEARLY_EQUAL });
    const base = { data, projection: "normalize" as const, depth: 3, kernel: "ntk" as const, normalized: true };
    expect(await codeOf(() => compareGram({ ...base, depth: 0 }))).toBe("BAD_DEPTH");
    expect(await codeOf(() => compareGram({ ...base, scanTo: 1.5 }))).toBe("BAD_DEPTH");
    expect(await codeOf(() => compareGram({ ...base, precision: 10 }))).toBe("BAD_PRECISION");
    expect(await codeOf(() => compareGram({ ...base, projection: "none" }))).toBe("OFF_SPHERE");
  });
});
