/**
 * Reference elementwise arithmetic and broadcasts: plain loops over the heap's Float32Array,
 * each result computed in f64 and rounded once when stored. Same aliasing rules as the WASM
 * kernels (out may equal an input).
 */
import type { Heap } from '../../wasm/heap.js';

/** `out = x + y`. */
export function add(heap: Heap, x: number, y: number, out: number, n: number): void {
  const f = heap.f32;
  const a = x >> 2, b = y >> 2, o = out >> 2;
  for (let i = 0; i < n; i++) f[o + i] = f[a + i]! + f[b + i]!;
}

/** `out = x − y`. */
export function sub(heap: Heap, x: number, y: number, out: number, n: number): void {
  const f = heap.f32;
  const a = x >> 2, b = y >> 2, o = out >> 2;
  for (let i = 0; i < n; i++) f[o + i] = f[a + i]! - f[b + i]!;
}

/** `out = x ⊙ y`. */
export function mul(heap: Heap, x: number, y: number, out: number, n: number): void {
  const f = heap.f32;
  const a = x >> 2, b = y >> 2, o = out >> 2;
  for (let i = 0; i < n; i++) f[o + i] = f[a + i]! * f[b + i]!;
}

/** `out = s·x`. */
export function scale(heap: Heap, x: number, s: number, out: number, n: number): void {
  const f = heap.f32;
  const a = x >> 2, o = out >> 2;
  for (let i = 0; i < n; i++) f[o + i] = s * f[a + i]!;
}

/** `y = alpha·x + y`. */
export function axpy(heap: Heap, alpha: number, x: number, y: number, n: number): void {
  const f = heap.f32;
  const a = x >> 2, b = y >> 2;
  for (let i = 0; i < n; i++) f[b + i] = alpha * f[a + i]! + f[b + i]!;
}

/** `out[i,j] = x[i,j] + v[j]`. */
export function addRowVector(heap: Heap, x: number, v: number, out: number, rows: number, cols: number): void {
  const f = heap.f32;
  const a = x >> 2, b = v >> 2, o = out >> 2;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) f[o + i * cols + j] = f[a + i * cols + j]! + f[b + j]!;
  }
}

/** `out[i,j] = x[i,j] + v[i]`. */
export function addColVector(heap: Heap, x: number, v: number, out: number, rows: number, cols: number): void {
  const f = heap.f32;
  const a = x >> 2, b = v >> 2, o = out >> 2;
  for (let i = 0; i < rows; i++) {
    const s = f[b + i]!;
    for (let j = 0; j < cols; j++) f[o + i * cols + j] = f[a + i * cols + j]! + s;
  }
}
