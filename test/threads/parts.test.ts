/**
 * Weight gradients in parts of the batch on the thread pool: gemmTnInParts and
 * conv2dFilterGradInParts bit-identical to one thread for 1, 2, 3 and more threads than cores,
 * with fewer parts than threads (each part then split by its outputs too), one part (the plain
 * threaded kernel), and more filter groups than fit one job. Thresholds are at their minimum so
 * every call is really cut. Outputs start as NaN, so a part no chunk wrote shows.
 */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Kernels } from '../../src/backend/kernels.js';
import { WINDOW_CASES, geometryArgs } from '../helpers/windows.js';
import { firstDifference, makeThreadRig, seeded, testBuffers } from './rig.js';

const rig = makeThreadRig();
const THREADS = [1, 2, 3, availableParallelism() + 2];

const { put, read } = testBuffers(rig);

/** m, n, images, rows per image, parts. */
const GEMM_CASES: [number, number, number, number, number][] = [
  [200, 16, 64, 64, 4], [25, 8, 9, 64, 8], [13, 17, 5, 33, 2], [7, 5, 3, 11, 3], [300, 40, 6, 20, 1], [9, 3, 2, 50, 6],
];

describe.each(THREADS)('weight gradients in parts with %i threads', (threads) => {
  const kernels = rig.threaded(threads);

  it.each(GEMM_CASES.map(([m, n, images, rows, parts]) => ({ m, n, images, rows, parts })))(
    'gemmTnInParts $m×$n over $images images of $rows rows in $parts parts: bit-identical to one thread',
    ({ m, n, images, rows, parts }) => {
      const k = images * rows;
      const a = put(k * m, seeded(k * m, m + 1)), b = put(k * n, seeded(k * n, n + 2));
      const run = (kk: Kernels): Float32Array => {
        const c = put(m * n), partials = put((parts - 1) * m * n);
        kk.gemmTnInParts(m, n, k, a, m, b, n, c, rows, parts, partials, rig.work);
        return read(c, m * n);
      };
      const one = run(rig.single), many = run(kernels);
      const at = firstDifference(one, many);
      expect(at, `first difference at ${at}: ${one[at]} vs ${many[at]}`).toBe(-1);
      expect(many.some((v) => Number.isNaN(v))).toBe(false);
    },
  );

  describe.each(WINDOW_CASES)('$name', ({ batch, geometry: g }) => {
    // 7 filters: one group; 70: nine groups, so 8 parts make 72 chunks, past one job's 64.
    it.each([[7, 3], [7, 8], [20, 2], [70, 8]])('conv2dFilterGradInParts, %i filters in %i parts: bit-identical to one thread', (f, parts) => {
      const args = geometryArgs(batch, g);
      const image = g.h * g.w * g.c, taps = g.kh * g.kw * g.c, dzSize = batch * g.oh * g.ow * f;
      const x = put(batch * image, seeded(batch * image, 5)), dz = put(dzSize, seeded(dzSize, 6));
      const run = (kk: Kernels): Float32Array => {
        const dw = put(taps * f), db = put(f), partials = put((parts - 1) * (taps * f + f));
        kk.conv2dFilterGradInParts(x, ...args, dz, f, dw, db, parts, partials);
        return Float32Array.from([...read(dw, taps * f), ...read(db, f)]);
      };
      const one = run(rig.single), many = run(kernels);
      const at = firstDifference(one, many);
      expect(at, `first difference at ${at}: ${one[at]} vs ${many[at]}`).toBe(-1);
      expect(many.some((v) => Number.isNaN(v))).toBe(false);
    });
  });
});
