import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseArchitecture, parseArchitectureText } from "../src/arch/parse.js";
import { resolveArchitecture } from "../src/arch/description.js";
import { errorOf } from "./support/errors.js";

describe("--arch text syntax", () => {
  it("reads layers, arguments, repeats, residual blocks and an explicit stem", () => {
    expect(parseArchitecture("relu dense").text).toBe("stem(dense(1,0)) block(relu dense(1,0))");
    expect(parseArchitecture("Leaky_ReLU(0.1) Dense(1.5, 0.2)").text).toBe("stem(dense(1,0)) block(leaky_relu(0.1) dense(1.5,0.2))");
    expect(parseArchitecture("(relu dense)x3").block).toHaveLength(6);
    expect(parseArchitecture("(relu dense) x 2").block).toHaveLength(4);
    expect(parseArchitecture("(relu dense)*2").block).toHaveLength(4);
    const r = parseArchitecture("residual(alpha=1/sqrt(L); dense relu dense)");
    expect(r.text).toBe("stem(dense(1,0)) block(residual(alpha=1/sqrt(L); dense(1,0) relu dense(1,0)))");
    expect(parseArchitecture("residual(alpha = 0.5/L; relu dense)").text).toContain("alpha=0.5/L");
    expect(parseArchitecture("stem(dense(2) erf dense) block(abs dense)").stem).toHaveLength(3);
    expect(parseArchitecture("two_slope(-1,1) dense").block[0]).toMatchObject({ kind: "activation", activation: { kind: "twoSlope" } });
  });
  it("dense layers without arguments take the call's σw, σb", () => {
    expect(parseArchitecture("erf dense", { sigmaW: "1.5", sigmaB: 0.25 }).text).toBe("stem(dense(1.5,0.25)) block(erf dense(1.5,0.25))");
  });
  it("marks the plain ReLU network (one σw, σb) for the ReLU engine, and nothing else", () => {
    expect(parseArchitecture("relu dense", { sigmaW: 2 }).reluMlp?.sigmaW.toString()).toBe("2");
    expect(parseArchitecture("relu dense(1.5)").reluMlp).toBeNull(); // stem σw 1, block σw 1.5
    expect(parseArchitecture("leaky_relu(0) dense").reluMlp).not.toBeNull(); // slope 0 is ReLU
    expect(parseArchitecture("relu dense relu dense").reluMlp).toBeNull();
    expect(parseArchitecture("residual(relu dense)").reluMlp).toBeNull();
  });
  it("the text a description prints reads back to the same network (fast-check)", () => {
    const layer = fc.oneof(
      fc.constant("relu dense"),
      fc.constant("erf dense(1.2,0.1)"),
      fc.integer({ min: -9, max: 9 }).map((k) => `leaky_relu(${k / 10}) dense`),
      fc.constant("residual(alpha=1/sqrt(L); relu dense)"),
      fc.constant("abs dense(0.8)"),
    );
    fc.assert(
      fc.property(fc.array(layer, { minLength: 1, maxLength: 4 }), (parts) => {
        const a = parseArchitecture(parts.join(" "));
        expect(parseArchitecture(a.text).text).toBe(a.text);
      }),
      { numRuns: 50, seed: 14 },
    );
  });
});

describe("--arch errors point at the offending column and token (BAD_ARCH)", () => {
  const cases: [text: string, column: number, token: string, message: RegExp][] = [
    ["dense foo", 7, "foo", /unknown layer "foo"/],
    ["relu dense)", 11, ")", /unmatched "\)"/],
    ["relu (dense", 12, "end of text", /expected "\)"/],
    ["leaky_relu(abc) dense", 12, "abc", /expected the slope/],
    ["leaky_relu 0.1 dense", 12, "0.1", /expected "\("/],
    ["relu dense x0", 12, "x0", /integer ≥ 1/],
    ["relu relu dense", 6, "relu", /not Gaussian/],
    ["residual(relu)", 1, "residual", /must end with a dense layer/],
    ["residual(alpha=-2; relu dense)", 16, "-2", /positive/],
    ["residual(alpha=1/sqrt(M); relu dense)", 16, "1", /alpha must be/],
    ["two_slope(0,0) dense", 1, "two_slope", /zero function/],
    ["erf dense(-1)", 5, "dense", /σw must be a positive/],
    ["stem(relu) block(dense)", 6, "relu", /first layer must be dense/],
    ["relu dense $", 12, "$", /unexpected character/],
    ["stem(dense) relu", 13, "relu", /expected "block"/],
  ];
  for (const [text, column, token, message] of cases) {
    it(`"${text}" → column ${column} ("${token}")`, () => {
      const e = errorOf(() => parseArchitecture(text));
      expect(e.code).toBe("BAD_ARCH");
      expect(e.details).toMatchObject({ column, token });
      expect(e.message).toMatch(message);
      expect(e.message).toContain(`\n  ${text}\n  ${" ".repeat(column - 1)}^`);
    });
  }
  it("an empty description is BAD_ARCH", () => {
    expect(errorOf(() => parseArchitecture("  ")).code).toBe("BAD_ARCH");
  });
  it("JSON descriptions name the JSON path of the offending layer", () => {
    const e = errorOf(() => resolveArchitecture({ block: [{ kind: "dense" }, { kind: "residual", branch: [{ kind: "erf" }, { kind: "erf" }] }] }));
    expect(e.code).toBe("BAD_ARCH");
    expect(e.details.path).toBe("block[1].branch[1]");
    expect(errorOf(() => resolveArchitecture({ block: [{ kind: "softmax" } as never] })).message).toMatch(/unknown layer kind "softmax"/);
    expect(errorOf(() => resolveArchitecture({ block: [{ kind: "repeat", times: 0, layers: [{ kind: "relu" }] }] })).details.path).toBe("block[0]");
    expect(errorOf(() => resolveArchitecture({ block: [{ kind: "repeat", times: 1e6, layers: [{ kind: "relu" }, { kind: "dense" }] }] })).message).toMatch(
      /more than 100000 layers/,
    );
    expect(errorOf(() => resolveArchitecture(null as never)).code).toBe("BAD_ARCH");
  });
  it("the syntax alone is checked by parseArchitectureText (no validation)", () => {
    expect(parseArchitectureText("relu relu").spec.block).toHaveLength(2);
  });
});
