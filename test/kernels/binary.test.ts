/**
 * Elementwise arithmetic and broadcasts in both WASM builds against the reference: every
 * tail length and matrix shape, NaN-filled outputs, guards, untouched inputs, in place.
 * Tolerance: exact. Each output is one f32 operation (or, for axpy, a product then a sum,
 * both rounded in f32 by WASM; the reference rounds α·x + y once from f64, so axpy gets 1 ulp
 * of the larger term).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectClose, makeRig, randomArray } from '../helpers/harness.js';

const SIZES = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 1000, 4099];
const SHAPES: [number, number][] = [[1, 1], [1, 37], [37, 1], [3, 5], [7, 33], [64, 10], [129, 17], [0, 5], [5, 0]];

const rig = makeRig();
// Scalars are passed as f32 to WASM; keep them f32-exact so the comparison sees only the kernel.
const S = Math.fround(-0.37);
afterEach(() => rig.releaseAll());

type Vec3 = 'add' | 'sub' | 'mul';

describe.each(rig.builds.map((b) => [b.flavor, b] as const))('%s binary kernels', (_name, k) => {
  it.each(['add', 'sub', 'mul'] as Vec3[])('%s: every size, out separate, out = x, out = y', (op) => {
    for (const n of SIZES) {
      const xs = randomArray(n, 1 + n, -4, 4);
      const ys = randomArray(n, 2 + n, -4, 4);
      const x = rig.buffer(n, xs);
      const y = rig.buffer(n, ys);
      const out = rig.buffer(n);
      const want = rig.buffer(n);
      rig.ref[op](x, y, want, n);
      const expected = rig.read(want, n);
      k[op](x, y, out, n);
      expectClose(rig.read(out, n), expected, 0, 0, `${op} n=${n}`);
      rig.expectGuard(out, n, `${op} n=${n}`);
      expect(rig.read(x, n)).toEqual(xs);
      expect(rig.read(y, n)).toEqual(ys);
      k[op](x, y, x, n);
      expectClose(rig.read(x, n), expected, 0, 0, `${op} n=${n} out = x`);
      rig.expectGuard(x, n, `${op} n=${n} out = x`);
      rig.write(x, xs);
      k[op](x, y, y, n);
      expectClose(rig.read(y, n), expected, 0, 0, `${op} n=${n} out = y`);
      rig.expectGuard(y, n, `${op} n=${n} out = y`);
      rig.releaseAll();
    }
  });

  it('add/mul with x = y = out (all three the same buffer)', () => {
    const xs = randomArray(33, 5);
    const x = rig.buffer(33, xs);
    k.mul(x, x, x, 33);
    expectClose(rig.read(x, 33), xs.map((v) => v * v), 0, 0, 'x ⊙ x in place');
  });

  it('scale: every size, also in place', () => {
    for (const n of SIZES) {
      const xs = randomArray(n, 3 + n, -4, 4);
      const x = rig.buffer(n, xs);
      const out = rig.buffer(n);
      const want = rig.buffer(n);
      rig.ref.scale(x, S, want, n);
      const expected = rig.read(want, n);
      k.scale(x, S, out, n);
      expectClose(rig.read(out, n), expected, 0, 0, `scale n=${n}`);
      rig.expectGuard(out, n, `scale n=${n}`);
      expect(rig.read(x, n)).toEqual(xs);
      k.scale(x, S, x, n);
      expectClose(rig.read(x, n), expected, 0, 0, `scale n=${n} in place`);
      rig.releaseAll();
    }
  });

  it('axpy: every size (1 ulp)', () => {
    for (const n of SIZES) {
      const xs = randomArray(n, 4 + n, -4, 4);
      const ys = randomArray(n, 5 + n, -4, 4);
      const x = rig.buffer(n, xs);
      const y = rig.buffer(n, ys);
      const yRef = rig.buffer(n, ys);
      rig.ref.axpy(0.3, x, yRef, n);
      k.axpy(0.3, x, y, n);
      expectClose(rig.read(y, n), rig.read(yRef, n), 1.2e-7, 1.2e-7 * 4 * 1.3, `axpy n=${n}`);
      rig.expectGuard(y, n, `axpy n=${n}`);
      expect(rig.read(x, n)).toEqual(xs);
      rig.releaseAll();
    }
  });

  it.each(SHAPES)('addRowVector / addColVector %i×%i, also in place', (rows, cols) => {
    const n = rows * cols;
    const xs = randomArray(n, 7 + n, -3, 3);
    for (const [name, len] of [['addRowVector', cols], ['addColVector', rows]] as const) {
      const vs = randomArray(len, 9 + len, -3, 3);
      const x = rig.buffer(n, xs);
      const v = rig.buffer(len, vs);
      const out = rig.buffer(n);
      const want = rig.buffer(n);
      rig.ref[name](x, v, want, rows, cols);
      const expected = rig.read(want, n);
      // Independent check of the broadcast direction (the reference could be wrong too).
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          expect(expected[i * cols + j]).toBe(Math.fround(xs[i * cols + j]! + vs[name === 'addRowVector' ? j : i]!));
        }
      }
      k[name](x, v, out, rows, cols);
      expectClose(rig.read(out, n), expected, 0, 0, `${name} ${rows}×${cols}`);
      rig.expectGuard(out, n, `${name} ${rows}×${cols}`);
      expect(rig.read(x, n)).toEqual(xs);
      expect(rig.read(v, len)).toEqual(vs);
      k[name](x, v, x, rows, cols);
      expectClose(rig.read(x, n), expected, 0, 0, `${name} ${rows}×${cols} in place`);
      rig.expectGuard(x, n, `${name} ${rows}×${cols} in place`);
      rig.releaseAll();
    }
  });

  it('propagates NaN and Infinity', () => {
    const x = rig.buffer(5, [NaN, Infinity, 1, -Infinity, NaN]);
    const y = rig.buffer(5, [1, -Infinity, NaN, -Infinity, 2]);
    const out = rig.buffer(5);
    k.add(x, y, out, 5);
    const got = Array.from(rig.read(out, 5));
    expect(got.map((v) => Number.isNaN(v))).toEqual([true, true, true, false, true]);
    expect(got[3]).toBe(-Infinity);
  });
});
