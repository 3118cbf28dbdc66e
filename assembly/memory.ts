// Scratch memory is managed from TypeScript: every buffer lives above the static data, and the
// kernels only read and write through the pointers they are handed (no allocator in hot loops).

import { MAX_THREAD_SLOTS } from "./threads";

/** Summation indices per packed block of gemm's strided products. */
export const GEMM_KC: i32 = 64;
/** Bytes of each thread's packing panel for gemm (a strip of 4 rows × GEMM_KC summation indices of float64). */
export const GEMM_PANEL_BYTES: usize = (<usize>(4 * GEMM_KC)) << 3;
/**
 * The panels, one per thread slot, just above the static data and below the TypeScript arena.
 * Not static data: a zero-filled data segment would be embedded in the shared-memory builds.
 * The memory always reaches past them when a kernel runs (its buffers lie above).
 */
export const GEMM_PANELS: usize = (__heap_base + 15) & ~(<usize>15);

/** First byte that the TypeScript arena may use for buffers. */
export function heapBase(): usize {
  return GEMM_PANELS + GEMM_PANEL_BYTES * <usize>MAX_THREAD_SLOTS;
}

/** 1 when this build uses 128-bit SIMD, 0 for the scalar build. */
export function simdEnabled(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}
