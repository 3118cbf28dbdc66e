// Per-thread scratch. In the shared-memory builds every worker runs its own instance over one
// memory, so static scratch must not be shared: each instance picks its own slot once, at start
// (slot 0 for the main thread and for the single-thread builds). Globals are per instance.

/** Most instances that can share one memory (the main thread and up to 63 workers). */
export const MAX_THREAD_SLOTS: i32 = 64;
/** Bytes of scratch each slot holds. */
const SLOT_BYTES: usize = 128;
const SCRATCH: usize = memory.data(<i32>SLOT_BYTES * MAX_THREAD_SLOTS, 16);

let slotScratch: usize = SCRATCH;
let slotIndex: i32 = 0;

/** Selects this instance's scratch slot (0 … MAX_THREAD_SLOTS − 1). */
export function setThreadSlot(slot: i32): void {
  slotScratch = SCRATCH + <usize>slot * SLOT_BYTES;
  slotIndex = slot;
}

/** This instance's slot, for kernels that keep larger per-thread scratch of their own. */
// @ts-ignore: decorator
@inline export function threadSlot(): i32 {
  return slotIndex;
}

/** This instance's 128 bytes of scratch (16-byte aligned). */
// @ts-ignore: decorator
@inline export function threadScratch(): usize {
  return slotScratch;
}
