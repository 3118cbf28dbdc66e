import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decimal } from "decimal.js";
import { displayWidth, formatFloat64, formatFromLog10, formatScaled, formatVouched, renderTable } from "../src/format.js";
import fixture from "./fixtures/format_scaled.json" with { type: "json" };

describe("formatFloat64", () => {
  it("round-trips every finite float64 in shortest form", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Number(formatFloat64(x)) === x).toBe(true);
      }),
    );
    expect(formatFloat64(1e-7)).toBe("1e-7");
    expect(formatFloat64(0.9999999)).toBe("0.9999999");
  });
  it("refuses NaN and infinities instead of printing them", () => {
    expect(() => formatFloat64(NaN)).toThrow(expect.objectContaining({ code: "NON_FINITE" }));
    expect(() => formatFloat64(-Infinity)).toThrow(/-Infinity; it must be a finite number/);
  });
});

describe("formatScaled", () => {
  it("is formatFloat64 when the scale is 2^0", () => {
    expect(formatScaled(0.1, 0)).toBe("0.1");
  });
  it.each(fixture.cases)("m = $mantissa, E = $log2Scale matches the Python decimal reference", (c) => {
    const text = formatScaled(Number(c.mantissa), c.log2Scale);
    const reference = `${c.negative ? "-" : ""}${c.digits[0]}.${c.digits.slice(1)}e${c.exponent10}`;
    const asFloat = Number(reference);
    if (Number.isFinite(asFloat) && Math.abs(asFloat) >= 2 ** -1022) {
      // a normal float64 product prints in shortest form, which must read back to the same float64
      expect(Number(text)).toBe(asFloat);
      expect(text).toBe(String(asFloat));
      return;
    }
    const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
    expect(m, text).not.toBeNull();
    const [, sign, lead, rest = "", exp] = m!;
    expect(sign === "-").toBe(c.negative);
    expect(lead + rest).toBe(c.digits);
    expect(Number(exp)).toBe(c.exponent10);
  });
  it("never prints Infinity or 0 for values outside the float64 range", () => {
    expect(formatScaled(3.17, -1_000_000)).toMatch(/e-301030$/);
    expect(() => formatScaled(Infinity, 3)).toThrow(expect.objectContaining({ code: "NON_FINITE" }));
    expect(() => formatScaled(1, 0.5)).toThrow(expect.objectContaining({ code: "BAD_ARGUMENT" }));
  });
});

describe("formatVouched", () => {
  it("prints exactly the vouched digits, trailing zeros kept", () => {
    expect(formatVouched(new Decimal("1e-7"), 4)).toBe("1.000e-7");
    expect(formatVouched(new Decimal("0.123456789"), 3)).toBe("0.123");
    expect(formatVouched(new Decimal("-2.5"), 1)).toBe("-3");
  });
  it("refuses to print a value with no vouched digit", () => {
    expect(() => formatVouched(new Decimal(1), 0)).toThrow(/lost/);
  });
});

describe("renderTable", () => {
  it("aligns columns under a legend and header", () => {
    const t = renderTable(
      [{ header: "L" }, { header: "name", align: "left" }],
      [
        ["1", "a"],
        ["100", "bbb"],
      ],
      ["L: depth"],
    );
    expect(t).toBe("L: depth\n  L  name\n---  ----\n  1  a\n100  bbb\n");
  });
  it("writes a column in one notation, keeping every significant digit", () => {
    const t = renderTable(
      [{ header: "L" }, { header: "x", align: "left" }, { header: "y", align: "left" }, { header: "as given", align: "left", notation: "as-is" }],
      [
        ["1", "0.000120", "0.5", "1e-7"],
        ["2", "1e-7", "1", "0.25"],
        ["3", "lost", "-12.5", "0"],
        ["4", "-0.5", "0", "0"],
      ],
    );
    const rows = t
      .split("\n")
      .slice(2, 6)
      .map((l) => l.split(/ {2,}/));
    expect(rows.map((r) => r[1])).toEqual(["1.20e-4", "1e-7", "lost", "-5e-1"]);
    expect(rows.map((r) => r[2])).toEqual(["0.5", "1", "-12.5", "0"]);
    expect(rows.map((r) => r[3])).toEqual(["1e-7", "0.25", "0", "0"]);
  });
  it("splits a table wider than its width into blocks of columns, repeating the key column and keeping groups", () => {
    const columns = [{ header: "i" }, ...["a", "b", "c", "d"].map((h, j) => ({ header: h, group: j < 2 ? "ab" : undefined }))];
    const t = renderTable(columns, [["1", "1".repeat(10), "2".repeat(10), "3".repeat(10), "4".repeat(10)]], [], { width: 30 });
    const lines = t.trimEnd().split("\n");
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(30);
    expect(lines.filter((l) => /^i /.test(l)).map((l) => l.split(/ +/).slice(1))).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(t.replace(/\s+/g, " ")).toMatch(/in 2 blocks of columns.*repeats i\b/);
    // A table that fits stays one block, without the note.
    expect(renderTable(columns, [["1", "x", "y", "z", "w"]], [], { width: 30 })).not.toMatch(/blocks/);
  });
  it("counts display columns, combining marks taking none", () => {
    expect(displayWidth("Θ̄(x,x′)")).toBe(7);
    expect(renderTable([{ header: "Θ̄" }], [["12"]])).toBe(" Θ̄\n--\n12\n");
  });
});

describe("formatScaled in the float64 range", () => {
  it("prints normal float64 products in shortest form, others with 17 digits", () => {
    expect(formatScaled(0.4, -1)).toBe("0.2");
    expect(formatScaled(0.75, -1020)).toBe(String(0.75 * 2 ** -1020));
    expect(formatScaled(1, -1074)).toBe("4.9406564584124654e-324");
  });
});

describe("formatFromLog10", () => {
  it("prints values beyond the float64 range from their logarithm", () => {
    expect(formatFromLog10(-1, -400.5, 6)).toBe("-3.16228e-401");
    expect(formatFromLog10(1, 2, 3)).toBe("100");
    expect(formatFromLog10(0, -Infinity, 3)).toBe("0");
    expect(() => formatFromLog10(1, Infinity, 3)).toThrow(expect.objectContaining({ code: "NON_FINITE" }));
  });
});
