import { describe, expect, it } from 'vitest';
import {
  Tensor, add, argmaxRows, createEngine, matmul, mul, overrideSimdSupport, scale, simdSupported, softmax, sub, sum, sumAxis, addRowVector,
} from '../../src/index.js';

describe.each(['wasm', 'js'] as const)('Tensor and ops (%s)', (backend) => {
  const engine = createEngine({ backend });

  it('copies values in and out, and reshapes without copying', () => {
    const t = Tensor.from(engine, [1, 2, 3, 4, 5, 6], [2, 3]);
    expect([t.rows, t.cols, t.size]).toEqual([2, 3, 6]);
    expect(t.toNested()).toEqual([[1, 2, 3], [4, 5, 6]]);
    const v = t.reshape([3, 2]);
    expect(v.ptr).toBe(t.ptr);
    t.data[0] = 9;
    expect(v.toArray()[0]).toBe(9);
    expect(() => t.reshape([4, 2])).toThrow('Tensor.reshape: cannot reshape [2, 3] to [4, 2]');
    expect(() => Tensor.from(engine, [1, 2, 3], [2, 2])).toThrow('Tensor.from: 3 values do not fill shape [2, 2] (4 elements)');
    expect(() => Tensor.empty(engine, [2, -1])).toThrow('Tensor.empty: invalid shape [2, -1]');
  });

  it('releases storage on dispose and refuses later use, also through views', () => {
    const before = engine.heap.stats().persistentLiveBytes;
    const t = Tensor.zeros(engine, [16, 16]);
    const v = t.reshape([256]);
    expect(engine.heap.stats().persistentLiveBytes).toBe(before + 1024);
    t.dispose();
    expect(engine.heap.stats().persistentLiveBytes).toBe(before);
    expect(() => t.data).toThrow('data: tensor [16, 16] was disposed');
    expect(() => sum(v)).toThrow('sum: tensor [256] was disposed');
  });

  it('matmul matches a naive product for every transpose combination and names both shapes on mismatch', () => {
    const a = Tensor.from(engine, [1, 2, 3, 4, 5, 6], [2, 3]);
    const b = Tensor.from(engine, [7, 8, 9, 10, 11, 12], [3, 2]);
    expect(matmul(a, b).toNested()).toEqual([[58, 64], [139, 154]]);
    const at = Tensor.from(engine, [1, 4, 2, 5, 3, 6], [3, 2]);
    const bt = Tensor.from(engine, [7, 9, 11, 8, 10, 12], [2, 3]);
    expect(matmul(at, b, { transposeA: true }).toNested()).toEqual([[58, 64], [139, 154]]);
    expect(matmul(a, bt, { transposeB: true }).toNested()).toEqual([[58, 64], [139, 154]]);
    expect(matmul(at, bt, { transposeA: true, transposeB: true }).toNested()).toEqual([[58, 64], [139, 154]]);
    const bias = Tensor.from(engine, [1, -1], [2]);
    expect(matmul(a, b, { bias }).toNested()).toEqual([[59, 63], [140, 153]]);
    expect(() => matmul(a, a)).toThrow('matmul: inner dimensions differ: op(A) [2, 3] (A [2, 3]) · op(B) [2, 3] (B [2, 3])');
    expect(() => matmul(a, Tensor.zeros(engine, [6]))).toThrow('matmul: B must be 2-D, got shape [6]');
    expect(() => matmul(a, b, { bias: a })).toThrow('matmul: bias has shape [2, 3], expected 2 elements');
    expect(matmul(Tensor.zeros(engine, [0, 3]), b).shape).toEqual([0, 2]);
  });

  it('elementwise ops, reductions and softmax check shapes and compute', () => {
    const a = Tensor.from(engine, [1, 2, 3, 4], [2, 2]);
    const b = Tensor.from(engine, [4, 3, 2, 1], [2, 2]);
    expect(add(a, b).toNested()).toEqual([[5, 5], [5, 5]]);
    expect(sub(a, b).toNested()).toEqual([[-3, -1], [1, 3]]);
    expect(mul(a, b).toNested()).toEqual([[4, 6], [6, 4]]);
    expect(scale(a, 0.5).toNested()).toEqual([[0.5, 1], [1.5, 2]]);
    expect(addRowVector(a, Tensor.from(engine, [10, 20], [2])).toNested()).toEqual([[11, 22], [13, 24]]);
    expect(sum(a)).toBe(10);
    expect(Array.from(sumAxis(a, 0).toArray())).toEqual([4, 6]);
    expect(Array.from(sumAxis(a, 1).toArray())).toEqual([3, 7]);
    expect(Array.from(argmaxRows(b))).toEqual([0, 0]);
    const p = softmax(Tensor.from(engine, [0, Math.log(3)], [1, 2])).toArray();
    expect(p[0]).toBeCloseTo(0.25, 6);
    expect(softmax(Tensor.from(engine, [0, 0], [1, 2]), { log: true }).toArray()[0]).toBeCloseTo(-Math.log(2), 6);
    expect(() => add(a, Tensor.zeros(engine, [4]))).toThrow('add: shapes [2, 2] and [4] differ');
    expect(() => addRowVector(a, Tensor.zeros(engine, [3]))).toThrow('addRowVector: vector [3] does not match the 2 columns of [2, 2]');
  });
});

describe('feature detection', () => {
  it('picks the scalar build when SIMD is reported unavailable, and it computes the same', () => {
    expect(simdSupported()).toBe(true);
    overrideSimdSupport(false);
    try {
      const engine = createEngine();
      expect(engine.kernels.flavor).toBe('wasm-scalar');
      const a = Tensor.from(engine, [1, 2, 3, 4, 5, 6], [2, 3]);
      const b = Tensor.from(engine, [7, 8, 9, 10, 11, 12], [3, 2]);
      expect(matmul(a, b).toNested()).toEqual([[58, 64], [139, 154]]);
    } finally {
      overrideSimdSupport(undefined);
    }
    expect(createEngine().kernels.flavor).toBe('wasm-simd');
  });
});
