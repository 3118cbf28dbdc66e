/**
 * Loads the WebAssembly engine (SIMD build where the host validates it, scalar otherwise, or the
 * opt-in "fma" build on request) and hands out views over its memory. Works unchanged in Node and
 * in browsers: the module bytes are embedded in `modules.generated.ts`, and instantiation is
 * asynchronous (no top-level await).
 */
import { NtkError } from "../errors.js";
import {
  scalarSharedWasmBase64,
  scalarWasmBase64,
  simdFmaSharedWasmBase64,
  simdFmaWasmBase64,
  simdSharedWasmBase64,
  simdWasmBase64,
} from "./modules.generated.js";

/** Size of a WebAssembly page in bytes. */
const PAGE_BYTES = 65536;
/** Must match `maximumMemory` in asconfig.json (pages): 4 GiB, all that wasm32 can address. */
export const MAX_WASM_PAGES = 65536;
/** Largest number of bytes the engine's buffers may take in all. */
export const MAX_WASM_BYTES = MAX_WASM_PAGES * PAGE_BYTES;

/**
 * Which build to load. "simd" (128-bit SIMD) and "scalar" give the same bits as each other on
 * every host; "auto" picks "simd" when `WebAssembly.validate` accepts it, else "scalar".
 *
 * "fma" is the SIMD build whose matrix products (finite networks, LU, Cholesky, their solves) take
 * each step of a sum as one relaxed-SIMD multiply-add (`f64x2.relaxed_madd`): fused, rounded once,
 * where the host has FMA (x86-64 with FMA3, ARM64), a multiply and an add elsewhere. Faster where
 * it fuses (docs/FINITE_WIDTH.md gives measured ratios), with the same error bound per sum (one
 * rounding per step instead of two), but its bits depend on the host, so "auto" never picks it:
 * the other builds' promise of identical bits across hosts and between SIMD and scalar does not
 * hold for it. On one host its results are still identical for every number of threads and every
 * cut of the work, and its kernels without matrix products give the "simd" bits. Needs WebAssembly
 * relaxed SIMD: Node ≥ 22, Node 20 started with `--experimental-wasm-relaxed-simd`, or a browser
 * that has it (Chromium ≥ 114); elsewhere loading it throws `UNSUPPORTED_HOST`.
 */
export type WasmVariant = "auto" | "simd" | "scalar" | "fma";

/** Raw exports of the module: plain numbers in and out, pointers are byte offsets. */
export type WasmExports = Record<string, unknown> & {
  memory: WebAssembly.Memory;
  heapBase(): number;
  simdEnabled(): number;
  relaxedMaddEnabled(): number;
  gemmStep(x: number, y: number, s: number): number;
};

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/**
 * A loaded engine. `reserve` lays out float64 buffers one after another above the module's static
 * data, growing memory as needed; buffers stay valid until the next `reserve` call, which makes
 * the engine non-reentrant (fine for synchronous calls on one thread).
 */
export class WasmEngine {
  readonly exports: WasmExports;
  /** "simd", "scalar" or "fma": which build is running (see {@link WasmVariant}). */
  readonly variant: "simd" | "scalar" | "fma";
  /**
   * True when the matrix products' multiply-adds are fused on this host (one rounding per step):
   * the "fma" build on a host with FMA. False for the "simd" and "scalar" builds, and for "fma"
   * on a host that evaluates its relaxed multiply-add as a multiply and an add.
   */
  readonly fusesMultiplyAdd: boolean;
  private readonly base: number;

  constructor(exports: WasmExports) {
    this.exports = exports;
    this.variant = exports.relaxedMaddEnabled() === 1 ? "fma" : exports.simdEnabled() === 1 ? "simd" : "scalar";
    // (1 + 2⁻³⁰)(1 − 2⁻³⁰) − 1 = −2⁻⁶⁰ exactly; rounding the product first gives 1 − 1 = 0.
    this.fusesMultiplyAdd = exports.gemmStep(1 + 2 ** -30, 1 - 2 ** -30, -1) !== 0;
    this.base = align16(exports.heapBase());
  }

  /**
   * Reserves consecutive float64 buffers of the given lengths and returns their byte offsets.
   * Throws `WASM_MEMORY_EXHAUSTED` when the total does not fit; `what` and `largestFitting` let
   * the message say what did not fit and what would.
   */
  reserve(lengths: readonly number[], what = "this problem", largestFitting?: (maxBytes: number) => string): number[] {
    const offsets: number[] = [];
    let end = this.base;
    for (const n of lengths) {
      offsets.push(end);
      end = align16(end + 8 * n);
    }
    const memory = this.exports.memory;
    if (end > memory.buffer.byteLength) {
      const needPages = Math.ceil((end - memory.buffer.byteLength) / PAGE_BYTES);
      const available = MAX_WASM_BYTES - this.base;
      const hint = largestFitting ? ` ${largestFitting(available)}` : "";
      if (end > MAX_WASM_BYTES) {
        throw new NtkError(
          "WASM_MEMORY_EXHAUSTED",
          `${what} needs ${formatBytes(end - this.base)} of WebAssembly memory, more than the ${formatBytes(available)} available.${hint} Use smaller inputs or fewer checkpoints.`,
          { neededBytes: end - this.base, availableBytes: available },
        );
      }
      try {
        memory.grow(needPages);
      } catch {
        throw new NtkError(
          "WASM_MEMORY_EXHAUSTED",
          `${what} needs ${formatBytes(end - this.base)} of WebAssembly memory and the host refused to grow it.${hint} Use smaller inputs, or free memory.`,
          { neededBytes: end - this.base },
        );
      }
    }
    return offsets;
  }

  /** A float64 view of `length` elements at byte offset `ptr` (invalidated by memory growth). */
  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, ptr, length);
  }
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}

function formatBytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${n} bytes`;
}

const loaded = new Map<WasmVariant, Promise<WasmEngine>>();

/**
 * Loads (once per variant) and returns the WebAssembly engine. The default, "auto", picks the
 * SIMD build when the host supports it and falls back to the scalar build. "fma" throws
 * `UNSUPPORTED_HOST` where WebAssembly relaxed SIMD does not validate (a failed load is not
 * remembered: a later call tries again).
 */
export function loadWasmEngine(variant: WasmVariant = "auto"): Promise<WasmEngine> {
  let p = loaded.get(variant);
  if (!p) {
    p = instantiate(variant);
    loaded.set(variant, p);
    p.catch(() => loaded.delete(variant));
  }
  return p;
}

/**
 * A new engine with its own memory, not shared with {@link loadWasmEngine}'s, for a computation
 * that keeps state in WebAssembly memory across yields to the event loop (meanwhile other calls
 * may reserve the shared engine's buffers). Compiles the module afresh (milliseconds); the memory
 * is released with the engine.
 */
export function loadPrivateWasmEngine(variant: WasmVariant = "auto"): Promise<WasmEngine> {
  return instantiate(variant);
}

/** The module's `abort` import (never called with `noAssert`, kept for a clear message if it were). */
function abort(_msg: number, _file: number, line: number, column: number): never {
  throw new Error(`ntk-depth WebAssembly abort at ${line}:${column}`);
}

/**
 * Throws `UNSUPPORTED_HOST` unless the host `validates` the relaxed-SIMD build that "fma" needs
 * (a pure function of that answer, so both branches can be tested on any host).
 */
export function checkRelaxedSimd(validates: boolean): void {
  if (!validates) {
    throw new NtkError(
      "UNSUPPORTED_HOST",
      'The "fma" WebAssembly build needs relaxed SIMD, which this host does not support. Use Node ≥ 22, start Node 20 with --experimental-wasm-relaxed-simd, or use a browser with WebAssembly relaxed SIMD (Chromium ≥ 114); or choose the variant "auto" (the same bits on every host).',
      { variant: "fma" },
    );
  }
}

/** True when the host validates the "fma" build (WebAssembly relaxed SIMD). */
export function relaxedSimdValidates(): boolean {
  // The plain build answers for the shared one too: that one adds only threads, which its callers need anyway.
  return WebAssembly.validate(decodeBase64(simdFmaWasmBase64));
}

/** The module bytes of `variant` on this host (plain or shared-memory build). */
function moduleBytes(variant: WasmVariant, shared: boolean): Uint8Array<ArrayBuffer> {
  if (variant !== "auto" && variant !== "simd" && variant !== "scalar" && variant !== "fma") {
    throw new NtkError("BAD_OPTION", `variant (the WebAssembly build) must be "auto", "simd", "scalar" or "fma", got ${JSON.stringify(variant)}.`, {
      variant: String(variant),
    });
  }
  if (variant === "fma") {
    checkRelaxedSimd(relaxedSimdValidates());
    return decodeBase64(shared ? simdFmaSharedWasmBase64 : simdFmaWasmBase64);
  }
  const simd = variant === "simd" || (variant === "auto" && WebAssembly.validate(decodeBase64(simdWasmBase64)));
  return decodeBase64(simd ? (shared ? simdSharedWasmBase64 : simdWasmBase64) : shared ? scalarSharedWasmBase64 : scalarWasmBase64);
}

async function instantiate(variant: WasmVariant): Promise<WasmEngine> {
  const module = await WebAssembly.compile(moduleBytes(variant, false));
  const instance = await WebAssembly.instantiate(module, { env: { abort } });
  return new WasmEngine(instance.exports as unknown as WasmExports);
}

/**
 * The shared-memory build (same kernels as {@link loadWasmEngine}'s, compiled with threads and an
 * imported shared memory of up to 4 GiB) for the worker pool: the compiled module, which every
 * worker instantiates over `memory`, and the main thread's own engine over that memory. Needs
 * SharedArrayBuffer (in browsers: a cross-origin isolated page).
 */
export async function loadSharedWasmEngine(
  variant: WasmVariant = "auto",
): Promise<{ engine: WasmEngine; module: WebAssembly.Module; memory: WebAssembly.Memory }> {
  const module = await WebAssembly.compile(moduleBytes(variant, true));
  const memory = new WebAssembly.Memory({ initial: 2, maximum: MAX_WASM_PAGES, shared: true });
  const instance = await WebAssembly.instantiate(module, { env: { memory, abort } });
  return { engine: new WasmEngine(instance.exports as unknown as WasmExports), module, memory };
}

/** `engine` when it is a {@link WasmEngine} (from `loadWasmEngine`); `BAD_ARGUMENT` otherwise: the engine-level entries check it first. */
export function checkWasmEngine(engine: WasmEngine): WasmEngine {
  if (!(engine instanceof WasmEngine)) throw new NtkError("BAD_ARGUMENT", "engine must be a WebAssembly engine from loadWasmEngine().", {});
  return engine;
}
