/**
 * Weight gradients summed in parts of the batch (src/backend/parts.ts): the part plan (how many
 * parts, which images), and gemmTnInParts / conv2dFilterGradInParts on both WASM builds and the
 * reference backend: close to the plain product and filter gradient (the parts only regroup an
 * f32 sum), equal bit for bit to the parts computed one by one and added in order (the contract
 * the thread pool relies on), one part equal to the plain kernel, and nothing written past the
 * output or the partials.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Act, type Kernels } from '../../src/backend/kernels.js';
import { MAX_PARTIAL_FLOATS, MAX_PARTS, MIN_PART_ROWS, gradientParts, imageRanges } from '../../src/backend/parts.js';
import { expectClose, makeRig, randomArray } from '../helpers/harness.js';
import { WINDOW_CASES, geometryArgs } from '../helpers/windows.js';
import { firstDifference } from '../threads/rig.js';

const U = 2 ** -24;

describe('the part plan', () => {
  it.each([
    [64, 64, 3216, 4], [64, 100, 3216, 6], [64, 576, 208, 8], [1, 50_000, 208, 1], [3, 4096, 208, 3], [256, 1, 10, 1], [2047, 1, 10, 1],
    [2048, 1, 10, 2], [0, 10, 10, 1], [64, 0, 10, 1],
    // Partials within MAX_PARTIAL_FLOATS: a 3×3×256×256 gradient (589,824 + 256 floats) gets 2 parts, a larger one 1.
    [64, 196, 590_080, 2], [64, 196, MAX_PARTIAL_FLOATS + 1, 1], [64, 196, MAX_PARTIAL_FLOATS / 4, 5],
  ])('%i images of %i rows, %i gradient floats: %i parts', (images, rows, floats, parts) => {
    expect(gradientParts(images, rows, floats)).toBe(parts);
  });

  it('never makes a part of fewer than MIN_PART_ROWS rows, more parts than images or MAX_PARTS, or partials past MAX_PARTIAL_FLOATS', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 3_000_000 }), (images, rows, floats) => {
      const parts = gradientParts(images, rows, floats);
      expect(parts).toBeGreaterThanOrEqual(1);
      expect(parts).toBeLessThanOrEqual(Math.max(1, Math.min(MAX_PARTS, images)));
      if (parts > 1) {
        expect(Math.floor(images / parts) * rows).toBeGreaterThanOrEqual(MIN_PART_ROWS / 2);
        expect((parts - 1) * floats).toBeLessThanOrEqual(MAX_PARTIAL_FLOATS);
      }
    }));
  });

  it('cuts the images into in-order, adjacent ranges that differ by at most one image', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 12 }), (images, parts) => {
      const ranges = imageRanges(images, parts);
      expect(ranges.length).toBe(Math.max(1, Math.min(parts, images)));
      let next = 0;
      for (const [start, count] of ranges) {
        expect(start).toBe(next);
        next += count;
      }
      expect(next).toBe(images);
      const counts = ranges.map(([, count]) => count);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }));
  });
});

const rig = makeRig();
afterEach(() => rig.releaseAll());
const BACKENDS: [string, Kernels][] = [['simd', rig.builds[0]!], ['scalar', rig.builds[1]!], ['reference', rig.ref]];

/** m, n, images, rows per image, parts: one part, parts past the images, uneven images, odd sizes around the 5×8 tile. */
const GEMM_CASES: [number, number, number, number, number][] = [
  [1, 1, 1, 1, 1], [7, 5, 3, 11, 3], [25, 8, 9, 64, 4], [200, 16, 5, 64, 8], [13, 17, 4, 33, 2], [9, 3, 2, 50, 6], [6, 10, 0, 9, 3],
];

describe.each(BACKENDS)('gemmTnInParts, %s', (_name, k) => {
  // The workspace is made per test: afterEach releases every buffer.
  const workspace = (): number => rig.buffer(rig.builds[0]!.gemmWorkspaceBytes() / 4);
  it.each(GEMM_CASES.map(([m, n, images, rows, parts]) => ({ m, n, images, rows, parts })))(
    '$m×$n over $images images of $rows rows in $parts parts',
    ({ m, n, images, rows, parts }) => {
      const kk = images * rows;
      const work = workspace();
      const lda = m + 2, ldb = n + 1;
      const av = randomArray(kk * lda, 1), bv = randomArray(kk * ldb, 2);
      const a = rig.buffer(kk * lda, av), b = rig.buffer(kk * ldb, bv);
      const c = rig.buffer(m * n);
      const partials = rig.buffer((parts - 1) * m * n);
      k.gemmTnInParts(m, n, kk, a, lda, b, ldb, c, rows, parts, partials, work);
      const got = rig.read(c, m * n);
      rig.expectGuard(c, m * n, 'C');
      rig.expectGuard(partials, (parts - 1) * m * n, 'partials');
      expect(firstDifference(rig.read(a, kk * lda), av), 'A untouched').toBe(-1);

      // The plain product, on the reference backend.
      const plain = rig.buffer(m * n);
      rig.ref.gemm(true, false, m, n, kk, 1, a, lda, b, ldb, 0, plain, n, 0, Act.identity, 0, 0);
      expectClose(got, rig.read(plain, m * n), 1e-4, Math.sqrt(kk) * kk * U + 1e-6, 'against one product');

      // Each part by the backend's own gemm, added in order.
      const own = rig.buffer(m * n);
      const part = rig.buffer(m * n);
      imageRanges(images, parts).forEach(([start, count], p) => {
        const at = start * rows;
        k.gemm(true, false, m, n, count * rows, 1, a + 4 * at * lda, lda, b + 4 * at * ldb, ldb, 0, p === 0 ? own : part, n, 0, Act.identity, 0, work);
        if (p > 0) k.axpy(1, part, own, m * n);
      });
      expect(firstDifference(got, rig.read(own, m * n)), 'the parts added in order').toBe(-1);
      if (parts === 1) {
        k.gemm(true, false, m, n, kk, 1, a, lda, b, ldb, 0, plain, n, 0, Act.identity, 0, work);
        expect(firstDifference(got, rig.read(plain, m * n)), 'one part is gemm').toBe(-1);
      }
    },
  );

  it('refuses a k that is not a whole number of images', () => {
    expect(() => k.gemmTnInParts(2, 2, 10, 0, 2, 0, 2, 0, 3, 2, 0, workspace())).toThrow(/k = 10 is not a whole number of images of 3 rows/);
  });
});

describe.each(BACKENDS)('conv2dFilterGradInParts, %s', (_name, k) => {
  describe.each(WINDOW_CASES)('$name', ({ batch, geometry: g }) => {
    it.each([1, 2, 3, 8])('7 filters in %i parts', (parts) => {
      const f = 7;
      const args = geometryArgs(batch, g);
      const image = g.h * g.w * g.c, taps = g.kh * g.kw * g.c, dzSize = batch * g.oh * g.ow * f;
      const x = rig.buffer(batch * image, randomArray(batch * image, 3));
      const dz = rig.buffer(dzSize, randomArray(dzSize, 4));
      const [dw, db] = [rig.buffer(taps * f), rig.buffer(f)];
      const partials = rig.buffer((parts - 1) * (taps * f + f));
      k.conv2dFilterGradInParts(x, ...args, dz, f, dw, db, parts, partials);
      rig.expectGuard(dw, taps * f, 'dw');
      rig.expectGuard(db, f, 'db');
      rig.expectGuard(partials, (parts - 1) * (taps * f + f), 'partials');
      const [pw, pb] = [rig.buffer(taps * f), rig.buffer(f)];
      rig.ref.conv2dFilterGrad(x, ...args, dz, f, pw, pb);
      const pixels = batch * g.oh * g.ow;
      expectClose(rig.read(dw, taps * f), rig.read(pw, taps * f), 1e-4, Math.sqrt(pixels) * pixels * U + 1e-6, 'dw against one pass');
      expectClose(rig.read(db, f), rig.read(pb, f), 1e-4, Math.sqrt(pixels) * pixels * U + 1e-6, 'db against one pass');
      // Each part by the backend's own filter gradient, added in order.
      const [ow, ob, tw, tb] = [rig.buffer(taps * f), rig.buffer(f), rig.buffer(taps * f), rig.buffer(f)];
      imageRanges(batch, parts).forEach(([start, count], p) => {
        const [w, b] = p === 0 ? [ow, ob] : [tw, tb];
        k.conv2dFilterGrad(x + 4 * start * image, count, ...args.slice(1) as typeof args extends [number, ...infer R] ? R : never, dz + 4 * start * g.oh * g.ow * f, f, w, b);
        if (p > 0) {
          k.axpy(1, tw, ow, taps * f);
          k.axpy(1, tb, ob, f);
        }
      });
      expect(firstDifference(rig.read(dw, taps * f), rig.read(ow, taps * f)), 'dw: the parts added in order').toBe(-1);
      expect(firstDifference(rig.read(db, f), rig.read(ob, f)), 'db: the parts added in order').toBe(-1);
    });
  });
});
