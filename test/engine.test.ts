import { describe, expect, it } from "vitest";
import { loadWasmEngine, MAX_WASM_BYTES } from "../src/wasm/engine.js";
import { isNtkError } from "../src/errors.js";
import { predict } from "../src/predict/fromData.js";
import { datasetFromArrays } from "../src/data/dataset.js";
import { expectCode } from "./support/errors.js";

describe("WebAssembly engine loader", () => {
  it("loads the SIMD build where supported and the scalar build on request", async () => {
    const auto = await loadWasmEngine();
    const scalar = await loadWasmEngine("scalar");
    expect(auto.variant).toBe("simd"); // Node 20 validates SIMD
    expect(scalar.variant).toBe("scalar");
  });

  it("reports exhausted memory as a typed error that says what would fit", async () => {
    const engine = await loadWasmEngine("scalar");
    let thrown: unknown;
    try {
      engine.reserve([MAX_WASM_BYTES / 8 + 1], "a test buffer", (bytes) => `At most ${Math.floor(bytes / 8)} values fit.`);
    } catch (e) {
      thrown = e;
    }
    expect(isNtkError(thrown, "WASM_MEMORY_EXHAUSTED")).toBe(true);
    expect((thrown as Error).message).toMatch(/At most \d+ values fit/);
  });

  it("refuses an unknown build with BAD_OPTION (no silent fallback), from the loader and from predict's variant", async () => {
    await expectCode(
      () => loadWasmEngine("avx" as never),
      "BAD_OPTION",
      /variant \(the WebAssembly build\) must be "auto", "simd", "scalar" or "fma", got "avx"/,
    );
    const train = datasetFromArrays({
      points: [
        [1, 0],
        [0.6, 0.8],
      ],
      labels: [[1], [-1]],
    });
    const test = { m: 1, n0: 2, coords: Float64Array.of(0.8, 0.6) };
    await expectCode(() => predict({ train, test, depth: 3, variant: "sse" as never }), "BAD_OPTION", /got "sse"/);
  });
});
