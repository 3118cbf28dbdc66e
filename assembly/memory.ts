// Scratch memory is managed from TypeScript: every buffer lives above the static data, and the
// kernels only read and write through the pointers they are handed (no allocator in hot loops).

/** First byte that the TypeScript arena may use for buffers. */
export function heapBase(): usize {
  return __heap_base;
}

/** 1 when this build uses 128-bit SIMD, 0 for the scalar build. */
export function simdEnabled(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}
