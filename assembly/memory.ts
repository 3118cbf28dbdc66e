// Scratch memory is managed from TypeScript: every buffer lives above the static data, and the
// kernels only read and write through the pointers they are handed (no allocator in hot loops).

import { MAX_THREAD_SLOTS } from "./threads";

/** Bytes of each thread's packing panel for gemm (4 rows × 32 summation indices of float64). */
export const GEMM_PANEL_BYTES: usize = 4 * 32 * 8;
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
