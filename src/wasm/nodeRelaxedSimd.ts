/**
 * Node 20 validates WebAssembly relaxed SIMD (the "fma" build) only behind the V8 flag
 * `--experimental-wasm-relaxed-simd`; Node ≥ 22 has it by default. The tests' and benchmarks' own
 * processes turn it on here, before the build compiles. Node only, and not part of the library's
 * API: setting V8 flags while a process runs is for the program that owns the process to decide.
 */
import { setFlagsFromString } from "node:v8";
import { relaxedSimdValidates } from "./engine.js";

/** Turns on relaxed SIMD in this process when it does not validate yet; true when it validates afterwards. */
export function enableRelaxedSimd(): boolean {
  if (relaxedSimdValidates()) return true;
  setFlagsFromString("--experimental-wasm-relaxed-simd");
  return relaxedSimdValidates();
}
