// Setup file of every test project: relaxed SIMD on in each test process before any module
// compiles, so the "fma" build loads on Node 20 as it does by default on Node ≥ 22.
import { enableRelaxedSimd } from "../../src/wasm/nodeRelaxedSimd.js";

enableRelaxedSimd();
