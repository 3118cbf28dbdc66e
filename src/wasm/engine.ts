/**
 * Loads the WebAssembly engine (SIMD build where the host validates it, scalar otherwise) and
 * hands out views over its memory. Works unchanged in Node and in browsers: the module bytes are
 * embedded in `modules.generated.ts`, and instantiation is asynchronous (no top-level await).
 */
import { NtkError } from "../errors.js";
import { scalarSharedWasmBase64, scalarWasmBase64, simdSharedWasmBase64, simdWasmBase64 } from "./modules.generated.js";

/** Size of a WebAssembly page in bytes. */
const PAGE_BYTES = 65536;
/** Must match `maximumMemory` in asconfig.json (pages): 4 GiB, all that wasm32 can address. */
export const MAX_WASM_PAGES = 65536;
/** Largest number of bytes the engine's buffers may take in all. */
export const MAX_WASM_BYTES = MAX_WASM_PAGES * PAGE_BYTES;

/** Which build to load: "auto" picks SIMD when `WebAssembly.validate` accepts it. */
export type WasmVariant = "auto" | "simd" | "scalar";

/** Raw exports of the module: plain numbers in and out, pointers are byte offsets. */
export type WasmExports = Record<string, unknown> & {
  memory: WebAssembly.Memory;
  heapBase(): number;
  simdEnabled(): number;
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
  /** "simd" or "scalar": which build is running. */
  readonly variant: "simd" | "scalar";
  private readonly base: number;

  constructor(exports: WasmExports) {
    this.exports = exports;
    this.variant = exports.simdEnabled() === 1 ? "simd" : "scalar";
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
 * SIMD build when the host supports it and falls back to the scalar build.
 */
export function loadWasmEngine(variant: WasmVariant = "auto"): Promise<WasmEngine> {
  let p = loaded.get(variant);
  if (!p) {
    p = instantiate(variant);
    loaded.set(variant, p);
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

/** True when `variant` runs the SIMD build on this host. */
function usesSimd(variant: WasmVariant): boolean {
  return variant === "simd" || (variant === "auto" && WebAssembly.validate(decodeBase64(simdWasmBase64)));
}

async function instantiate(variant: WasmVariant): Promise<WasmEngine> {
  const module = await WebAssembly.compile(decodeBase64(usesSimd(variant) ? simdWasmBase64 : scalarWasmBase64));
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
  const module = await WebAssembly.compile(decodeBase64(usesSimd(variant) ? simdSharedWasmBase64 : scalarSharedWasmBase64));
  const memory = new WebAssembly.Memory({ initial: 2, maximum: MAX_WASM_PAGES, shared: true });
  const instance = await WebAssembly.instantiate(module, { env: { memory, abort } });
  return { engine: new WasmEngine(instance.exports as unknown as WasmExports), module, memory };
}

/** `engine` when it is a {@link WasmEngine} (from `loadWasmEngine`); `BAD_ARGUMENT` otherwise: the engine-level entries check it first. */
export function checkWasmEngine(engine: WasmEngine): WasmEngine {
  if (!(engine instanceof WasmEngine)) throw new NtkError("BAD_ARGUMENT", "engine must be a WebAssembly engine from loadWasmEngine().", {});
  return engine;
}
