import { describe, expect, it } from "vitest";
import { loadWasmEngine, MAX_WASM_BYTES } from "../src/wasm/engine.js";
import { isNtkError } from "../src/errors.js";

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
});
