/** The finite scan in plain TypeScript: the oracle for assembly/finite.ts. */
import type { Heap } from '../../wasm/heap.js';

/** Index of the first NaN or ±Infinity among the n floats at `x`; n when all are finite. */
export function firstNonFinite(heap: Heap, x: number, n: number): number {
  const f = heap.f32;
  const a = x >> 2;
  // v − v is 0 for a finite v and NaN for NaN and ±Infinity.
  for (let i = 0; i < n; i++) if (f[a + i]! - f[a + i]! !== 0) return i;
  return n;
}
