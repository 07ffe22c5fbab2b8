/**
 * Reference batch normalisation over the columns of a rows×cols matrix: sums in f64, one
 * rounding per stored value; the oracle for assembly/batchnorm.ts. Same contracts as
 * {@link Kernels.batchNormStats}, {@link Kernels.batchNormForward} and {@link Kernels.batchNormBackward}.
 */
import type { Heap } from '../../wasm/heap.js';

/** Per-column mean and biased variance (two passes). */
export function batchNormStats(heap: Heap, x: number, rows: number, cols: number, mean: number, variance: number): void {
  const f = heap.f32;
  for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += f[(x >> 2) + r * cols + j]!;
    const m = s / rows;
    let q = 0;
    for (let r = 0; r < rows; r++) q += (f[(x >> 2) + r * cols + j]! - m) ** 2;
    f[(mean >> 2) + j] = m;
    f[(variance >> 2) + j] = q / rows;
  }
}

/** `y = (x − mean)·invstd·gamma + beta`. */
export function batchNormForward(
  heap: Heap, x: number, rows: number, cols: number, mean: number, invstd: number, gamma: number, beta: number, y: number,
): void {
  const f = heap.f32;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const xhat = (f[(x >> 2) + r * cols + j]! - f[(mean >> 2) + j]!) * f[(invstd >> 2) + j]!;
      f[(y >> 2) + r * cols + j] = xhat * f[(gamma >> 2) + j]! + f[(beta >> 2) + j]!;
    }
  }
}

/** dbeta, dgamma and dx; with `batchStats` dx includes the gradient through mean and variance. */
export function batchNormBackward(
  heap: Heap, x: number, dy: number, rows: number, cols: number, mean: number, invstd: number, gamma: number,
  batchStats: boolean, dx: number, dgamma: number, dbeta: number,
): void {
  const f = heap.f32;
  for (let j = 0; j < cols; j++) {
    const m = f[(mean >> 2) + j]!;
    const is = f[(invstd >> 2) + j]!;
    const xhat = (r: number) => (f[(x >> 2) + r * cols + j]! - m) * is;
    let sb = 0;
    let sg = 0;
    for (let r = 0; r < rows; r++) {
      const g = f[(dy >> 2) + r * cols + j]!;
      sb += g;
      sg += g * xhat(r);
    }
    const scale = f[(gamma >> 2) + j]! * is;
    for (let r = 0; r < rows; r++) {
      const at = (dx >> 2) + r * cols + j;
      const g = f[(dy >> 2) + r * cols + j]!;
      f[at] = (batchStats ? g - sb / rows - xhat(r) * (sg / rows) : g) * scale;
    }
    f[(dbeta >> 2) + j] = sb;
    f[(dgamma >> 2) + j] = sg;
  }
}
