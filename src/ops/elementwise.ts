/**
 * Elementwise arithmetic, reductions and row-wise softmax on tensors, shape-checked.
 */
import { Tensor } from '../tensor/tensor.js';
import { checkSameShape, formatShape } from '../tensor/shape.js';
import type { Kernels } from '../backend/kernels.js';

type BinaryKernel = 'add' | 'sub' | 'mul';

function binary(op: BinaryKernel, a: Tensor, b: Tensor): Tensor {
  a.checkLive(op);
  b.checkLive(op);
  checkSameShape(op, a.shape, b.shape);
  const out = Tensor.empty(a.engine, a.shape);
  a.engine.kernels[op](a.ptr, b.ptr, out.ptr, a.size);
  return out;
}

/** `a + b` elementwise (same shapes). */
export const add = (a: Tensor, b: Tensor): Tensor => binary('add', a, b);
/** `a − b` elementwise (same shapes). */
export const sub = (a: Tensor, b: Tensor): Tensor => binary('sub', a, b);
/** `a ⊙ b` elementwise (same shapes). */
export const mul = (a: Tensor, b: Tensor): Tensor => binary('mul', a, b);

/** `s·a`. */
export function scale(a: Tensor, s: number): Tensor {
  a.checkLive('scale');
  const out = Tensor.empty(a.engine, a.shape);
  a.engine.kernels.scale(a.ptr, s, out.ptr, a.size);
  return out;
}

/** Add `v` (cols elements) to every row of the matrix `a`. */
export function addRowVector(a: Tensor, v: Tensor): Tensor {
  a.checkLive('addRowVector');
  if (v.size !== a.cols) {
    throw new RangeError(`addRowVector: vector ${formatShape(v.shape)} does not match the ${a.cols} columns of ${formatShape(a.shape)}`);
  }
  const out = Tensor.empty(a.engine, a.shape);
  a.engine.kernels.addRowVector(a.ptr, v.ptr, out.ptr, a.rows, a.cols);
  return out;
}

/** Sum of all elements. */
export function sum(a: Tensor): number {
  a.checkLive('sum');
  return a.engine.kernels.sum(a.ptr, a.size);
}

/** Sums along an axis of a matrix: axis 0 gives one sum per column, axis 1 one per row. */
export function sumAxis(a: Tensor, axis: 0 | 1): Tensor {
  a.checkLive('sumAxis');
  const out = Tensor.empty(a.engine, [axis === 0 ? a.cols : a.rows]);
  const k: Kernels = a.engine.kernels;
  if (axis === 0) k.sumCols(a.ptr, out.ptr, a.rows, a.cols);
  else k.sumRows(a.ptr, out.ptr, a.rows, a.cols);
  return out;
}

/** Index of the largest element of each row. */
export function argmaxRows(a: Tensor): Int32Array {
  a.checkLive('argmaxRows');
  const heap = a.engine.heap;
  const out = heap.scratch(a.rows * 4);
  a.engine.kernels.argmaxRows(a.ptr, out, a.rows, a.cols);
  const result = heap.i32.slice(out >> 2, (out >> 2) + a.rows);
  heap.resetScratch();
  return result;
}

/** Row-wise softmax (or log-softmax) of a matrix. */
export function softmax(a: Tensor, options: { log?: boolean } = {}): Tensor {
  a.checkLive('softmax');
  const out = Tensor.empty(a.engine, a.shape);
  const k = a.engine.kernels;
  (options.log ? k.logSoftmaxRows : k.softmaxRows)(a.ptr, out.ptr, a.rows, a.cols);
  return out;
}
