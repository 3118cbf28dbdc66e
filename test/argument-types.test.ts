/**
 * The type checks at the public entry (src/argumentTypes.ts) and the code they add, BAD_ARGUMENT:
 * a wrong type is a typed error naming the argument, never a TypeError from deeper down.
 */
import { Decimal } from "decimal.js";
import { describe, expect, it } from "vitest";
import { checkArray, checkDecimal, checkFiniteNumber, checkFiniteNumbers, checkObject, describeValue } from "../src/argumentTypes.js";
import { checkKernelName } from "../src/params.js";
import { formatFloat64 } from "../src/format.js";
import { datasetFromArrays } from "../src/data/dataset.js";
import { kernelMatrixFloat64 } from "../src/gram/float64.js";
import { gramThroughDepthFloat64 } from "../src/gram/float64.js";
import { predict } from "../src/index.js";
import { codeOf, errorOf, rejectionOf } from "./support/errors.js";

describe("argument types", () => {
  it("describeValue never throws, even for an object without a prototype", () => {
    expect(describeValue(Object.create(null))).toBe("an object");
    expect(describeValue([1, 2])).toBe("an array of 2");
    expect(describeValue(new Float64Array(2))).toBe("a Float64Array");
    expect(describeValue("ntk")).toBe('"ntk"');
    expect(describeValue(undefined)).toBe("undefined");
  });

  it("BAD_ARGUMENT names the argument and what it must be", () => {
    const e = errorOf(() => checkObject(undefined, "predict's options"));
    expect(e.code).toBe("BAD_ARGUMENT");
    expect(e.message).toMatch(/predict's options must be an options object, got undefined/);
    expect(codeOf(() => checkObject([], "o"))).toBe("BAD_ARGUMENT");
    expect(codeOf(() => checkArray("x" as unknown as unknown[], "rows"))).toBe("BAD_ARGUMENT");
    expect(codeOf(() => checkDecimal(1, "value"))).toBe("BAD_ARGUMENT");
    expect(checkDecimal(new Decimal(1), "value").toNumber()).toBe(1);
  });

  it("a number of the wrong type is BAD_ARGUMENT, a NaN or ±∞ NON_FINITE", () => {
    expect(codeOf(() => checkFiniteNumber("1", "x"))).toBe("BAD_ARGUMENT");
    expect(codeOf(() => checkFiniteNumber(NaN, "x"))).toBe("NON_FINITE");
    expect(codeOf(() => checkFiniteNumbers([1, "2"], "y"))).toBe("BAD_ARGUMENT");
    expect(errorOf(() => checkFiniteNumbers(Float64Array.from([1, -Infinity]), "y")).message).toMatch(/y\[1\] is -Infinity/);
    expect(checkFiniteNumbers([1, 2], "y")).toEqual([1, 2]);
  });

  it("public entries reject wrong types with typed errors", async () => {
    expect(codeOf(() => formatFloat64({} as unknown as number))).toBe("BAD_ARGUMENT");
    expect(codeOf(() => datasetFromArrays(undefined as never))).toBe("BAD_ARGUMENT");
    expect(codeOf(() => kernelMatrixFloat64(null as never, "ntk", true))).toBe("BAD_ARGUMENT");
    expect((await rejectionOf(() => gramThroughDepthFloat64(undefined as never))).code).toBe("BAD_ARGUMENT");
    expect((await rejectionOf(() => predict(undefined as never))).code).toBe("BAD_ARGUMENT");
  });

  it("one kernel-name check for every path", () => {
    expect(checkKernelName("nngp")).toBe("nngp");
    const e = errorOf(() => checkKernelName(Object.create(null)));
    expect(e.code).toBe("BAD_OPTION");
    expect(e.message).toMatch(/kernel must be "ntk" or "nngp", got an object/);
  });
});
