/**
 * Threaded CNN kernels against the single-threaded ones, bit for bit, for 1, 2, 3 and more
 * threads than cores: im2col, col2im and pooling (split by images) and the direct
 * convolution (forward by images, filter gradient by taps within groups of 8 filters; 6, 7
 * and 20 filters) over the window shape table, batch norm over matrices whose channel counts
 * cross the 4-lane split granule (statistics and backward split by channels, forward by
 * rows). Thresholds are at their minimum so every call with two images or channel groups is
 * really cut. Outputs start as NaN, so a part no chunk wrote shows.
 */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { Act, type Kernels } from '../../src/backend/kernels.js';
import { WINDOW_CASES, geometryArgs } from '../helpers/windows.js';
import { firstDifference, makeThreadRig, seeded, testBuffers } from './rig.js';

const rig = makeThreadRig();
const THREADS = [1, 2, 3, availableParallelism() + 2];

const { put, read } = testBuffers(rig);

/** Run `op` on fresh buffers (inputs seeded, outputs NaN) and return every buffer's contents after it. */
function outcome(kernels: Kernels, sizes: readonly number[], inputs: number, op: (k: Kernels, p: number[]) => void): Float32Array {
  const ptrs = sizes.map((n, i) => put(n, i < inputs ? seeded(n, 13 * i + n + 1) : undefined));
  op(kernels, ptrs);
  return Float32Array.from(ptrs.flatMap((p, i) => Array.from(read(p, sizes[i]!))));
}

describe.each(THREADS)('CNN kernels with %i threads', (threads) => {
  const kernels = rig.threaded(threads);

  describe.each(WINDOW_CASES)('$name', ({ batch, geometry: g }) => {
    const args = geometryArgs(batch, g);
    const image = g.h * g.w * g.c;
    const pooled = g.oh * g.ow * g.c;
    const taps = g.kh * g.kw * g.c;
    const cols = g.oh * g.ow * taps;
    const OPS: [string, number[], number, (k: Kernels, p: number[]) => void][] = [
      ['im2col', [batch * image, batch * cols], 1, (k, [x, c]) => k.im2col(x!, ...args, c!)],
      ['col2im', [batch * cols, batch * image], 1, (k, [d, dx]) => k.col2im(d!, ...args, dx!)],
      ['direct conv2d', [batch * image, taps * 6, 6, batch * g.oh * g.ow * 6], 3, (k, [x, wt, b, y]) => k.conv2d(x!, ...args, wt!, 6, b!, Act.tanh, 0, y!)],
      ['direct conv2d filter gradient', [batch * image, batch * g.oh * g.ow * 7, taps * 7, 7], 2, (k, [x, dz, dw, db]) => k.conv2dFilterGrad(x!, ...args, dz!, 7, dw!, db!)],
      // Three filter groups (8, 8, 4): the split cuts (group, tap) units, across group boundaries.
      ['direct conv2d, 20 filters', [batch * image, taps * 20, 20, batch * g.oh * g.ow * 20], 3, (k, [x, wt, b, y]) => k.conv2d(x!, ...args, wt!, 20, b!, Act.relu, 0, y!)],
      ['direct conv2d filter gradient, 20 filters', [batch * image, batch * g.oh * g.ow * 20, taps * 20, 20], 2, (k, [x, dz, dw, db]) => k.conv2dFilterGrad(x!, ...args, dz!, 20, dw!, db!)],
      ['avgPool2d', [batch * image, batch * pooled], 1, (k, [x, y]) => k.avgPool2d(x!, ...args, y!)],
      ['avgPool2dBackward', [batch * pooled, batch * image], 1, (k, [dy, dx]) => k.avgPool2dBackward(dy!, ...args, dx!)],
      ['maxPool2d and its backward', [batch * image, batch * pooled, batch * pooled, batch * pooled, batch * image], 2, (k, [x, dy, y, at, dx]) => {
        k.maxPool2d(x!, ...args, y!, at!);
        k.maxPool2dBackward(dy!, at!, batch, pooled, dx!, image);
      }],
    ];
    it.each(OPS.map(([name, sizes, inputs, op]) => ({ name, sizes, inputs, op })))('$name: bit-identical to one thread', ({ name, sizes, inputs, op }) => {
      const one = outcome(rig.single, sizes, inputs, op);
      const many = outcome(kernels, sizes, inputs, op);
      const at = firstDifference(one, many);
      expect(at, `${name}: first difference at ${at}: ${one[at]} vs ${many[at]}`).toBe(-1);
      // Every output element was written (the inputs were finite, so NaN means a chunk was lost).
      expect(many.some((v) => Number.isNaN(v)), name).toBe(false);
    });
  });

  // Rows once and past a split; channels below, at and around the 4-lane granule.
  const MATRICES: [number, number][] = [[1, 1], [7, 3], [64, 4], [33, 6], [300, 17], [5, 33], [128, 120]];
  it.each(MATRICES.map(([rows, cols]) => ({ rows, cols })))('batch norm $rows×$cols: bit-identical to one thread', ({ rows, cols }) => {
    for (const batchStats of [true, false]) {
      // x, dy, gamma, beta; then mean, variance, invstd, y, dgamma, dbeta (dx overwrites dy).
      const sizes = [rows * cols, rows * cols, cols, cols, cols, cols, cols, rows * cols, cols, cols];
      const op = (k: Kernels, [x, dy, gamma, beta, mean, variance, invstd, y, dgamma, dbeta]: number[]): void => {
        k.batchNormStats(x!, rows, cols, mean!, variance!);
        const f32 = rig.heap.f32;
        for (let j = 0; j < cols; j++) f32[(invstd! >> 2) + j] = 1 / Math.sqrt(f32[(variance! >> 2) + j]! + 1e-3);
        k.batchNormForward(x!, rows, cols, mean!, invstd!, gamma!, beta!, y!);
        k.batchNormBackward(x!, dy!, rows, cols, mean!, invstd!, gamma!, batchStats, dy!, dgamma!, dbeta!);
      };
      const one = outcome(rig.single, sizes, 4, op);
      const many = outcome(kernels, sizes, 4, op);
      const at = firstDifference(one, many);
      expect(at, `batchStats ${batchStats}: first difference at ${at}: ${one[at]} vs ${many[at]}`).toBe(-1);
      expect(many.some((v) => Number.isNaN(v))).toBe(false);
    }
  });
});
