/**
 * Reference reductions, accumulated in f64 (the WASM kernels use f32 accumulators, so these
 * are the more accurate side of every comparison). Scalar results are returned unrounded.
 * Conventions shared with assembly/reduce.ts: empty sums are 0 (and are written as 0 by
 * sumRows/sumCols), max of nothing is −Infinity, max propagates NaN, argmax skips NaN and
 * reports the first largest index (0 if nothing exceeds −Infinity, −1 for cols = 0).
 */
import type { Heap } from '../../wasm/heap.js';

/** Σ x[i]. */
export function sum(heap: Heap, x: number, n: number): number {
  const f = heap.f32;
  const a = x >> 2;
  let s = 0;
  for (let i = 0; i < n; i++) s += f[a + i]!;
  return s;
}

/** `out[i] = Σ_j x[i,j]`. */
export function sumRows(heap: Heap, x: number, out: number, rows: number, cols: number): void {
  const f = heap.f32;
  const a = x >> 2, o = out >> 2;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += f[a + i * cols + j]!;
    f[o + i] = s;
  }
}

/** `out[j] = Σ_i x[i,j]`. */
export function sumCols(heap: Heap, x: number, out: number, rows: number, cols: number): void {
  const f = heap.f32;
  const a = x >> 2, o = out >> 2;
  for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let i = 0; i < rows; i++) s += f[a + i * cols + j]!;
    f[o + j] = s;
  }
}

/** Largest element; −Infinity for n = 0, NaN if any element is NaN. */
export function max(heap: Heap, x: number, n: number): number {
  const f = heap.f32;
  const a = x >> 2;
  let m = -Infinity;
  for (let i = 0; i < n; i++) m = Math.max(m, f[a + i]!);
  return m;
}

/** `out[i]` (int32) = index of the first largest element of row i. */
export function argmaxRows(heap: Heap, x: number, out: number, rows: number, cols: number): void {
  const f = heap.f32;
  const ints = heap.i32;
  const a = x >> 2, o = out >> 2;
  for (let i = 0; i < rows; i++) {
    let best = -Infinity;
    let idx = cols > 0 ? 0 : -1;
    for (let j = 0; j < cols; j++) {
      const v = f[a + i * cols + j]!;
      if (v > best) {
        best = v;
        idx = j;
      }
    }
    ints[o + i] = idx;
  }
}

/** Σ x[i]·y[i]. */
export function dot(heap: Heap, x: number, y: number, n: number): number {
  const f = heap.f32;
  const a = x >> 2, b = y >> 2;
  let s = 0;
  for (let i = 0; i < n; i++) s += f[a + i]! * f[b + i]!;
  return s;
}

/** Σ x[i]². */
export function sumSquares(heap: Heap, x: number, n: number): number {
  const f = heap.f32;
  const a = x >> 2;
  let s = 0;
  for (let i = 0; i < n; i++) s += f[a + i]! * f[a + i]!;
  return s;
}
