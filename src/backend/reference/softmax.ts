/**
 * Reference row-wise softmax and log-softmax in f64 with Math.exp/Math.log, the row max
 * subtracted first. In place allowed (each row is read completely before it is written).
 */
import type { Heap } from '../../wasm/heap.js';

/** Max of a row and log Σ e^(x − max), in f64. */
function rowLogSumExp(f: Float32Array, start: number, cols: number): { max: number; logSum: number } {
  let m = -Infinity;
  for (let j = 0; j < cols; j++) m = Math.max(m, f[start + j]!);
  let s = 0;
  for (let j = 0; j < cols; j++) s += Math.exp(f[start + j]! - m);
  return { max: m, logSum: Math.log(s) };
}

/** Row-wise softmax. */
export function softmaxRows(heap: Heap, x: number, out: number, rows: number, cols: number): void {
  const f = heap.f32;
  const a = x >> 2, o = out >> 2;
  for (let i = 0; i < rows; i++) {
    const { max, logSum } = rowLogSumExp(f, a + i * cols, cols);
    for (let j = 0; j < cols; j++) f[o + i * cols + j] = Math.exp(f[a + i * cols + j]! - max - logSum);
  }
}

/** Row-wise log-softmax. */
export function logSoftmaxRows(heap: Heap, x: number, out: number, rows: number, cols: number): void {
  const f = heap.f32;
  const a = x >> 2, o = out >> 2;
  for (let i = 0; i < rows; i++) {
    const { max, logSum } = rowLogSumExp(f, a + i * cols, cols);
    for (let j = 0; j < cols; j++) f[o + i * cols + j] = f[a + i * cols + j]! - max - logSum;
  }
}
