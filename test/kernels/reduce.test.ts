/**
 * Reductions in both WASM builds against the f64 reference. WASM accumulates in f32, so sums
 * are compared with |got − want| ≤ n·eps·Σ|x| (the worst-case bound for any summation order;
 * eps = 2^-24) plus the final rounding to f32. max/argmax are exact.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeRig, randomArray } from '../helpers/harness.js';

const SIZES = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 1000, 4099];
const SHAPES: [number, number][] = [[1, 1], [1, 37], [37, 1], [3, 5], [7, 33], [64, 10], [129, 17], [0, 5], [5, 0], [128, 128], [3, 50]];
const EPS = 2 ** -24;

const rig = makeRig();
afterEach(() => rig.releaseAll());

/** Summation error bound for n terms whose absolute values add up to `absSum`. */
function sumTol(n: number, absSum: number, want: number): number {
  return n * EPS * absSum + EPS * Math.abs(want) + 1e-30;
}

describe.each(rig.builds.map((b) => [b.flavor, b] as const))('%s reductions', (_name, k) => {
  it('sum, sumSquares, dot: every size within n·eps·Σ|term|', () => {
    for (const n of SIZES) {
      const xs = randomArray(n, 21 + n, -2, 3);
      const ys = randomArray(n, 22 + n, -2, 2);
      const x = rig.buffer(n, xs);
      const y = rig.buffer(n, ys);
      let absX = 0, absSq = 0, absXY = 0;
      for (let i = 0; i < n; i++) {
        absX += Math.abs(xs[i]!);
        absSq += xs[i]! * xs[i]!;
        absXY += Math.abs(xs[i]! * ys[i]!);
      }
      const cases: [string, number, number, number][] = [
        ['sum', k.sum(x, n), rig.ref.sum(x, n), absX],
        ['sumSquares', k.sumSquares(x, n), rig.ref.sumSquares(x, n), absSq],
        ['dot', k.dot(x, y, n), rig.ref.dot(x, y, n), absXY],
      ];
      for (const [what, got, want, abs] of cases) {
        expect(Math.abs(got - want), `${what} n=${n}: ${got} vs ${want}`).toBeLessThanOrEqual(sumTol(n, abs, want));
      }
      expect(rig.read(x, n)).toEqual(xs);
      expect(rig.read(y, n)).toEqual(ys);
      rig.expectGuard(x, n, 'x');
      rig.releaseAll();
    }
  });

  it('sums of nothing are 0; sum propagates NaN', () => {
    const x = rig.buffer(17, randomArray(17, 3));
    expect(k.sum(x, 0)).toBe(0);
    expect(k.dot(x, x, 0)).toBe(0);
    expect(k.sumSquares(x, 0)).toBe(0);
    rig.write(x + 4 * 13, [NaN]);
    expect(k.sum(x, 17)).toBeNaN();
    expect(k.sum(x, 13)).not.toBeNaN();
  });

  it('max: every size, exact; −Infinity for n = 0; NaN anywhere gives NaN', () => {
    for (const n of SIZES) {
      const xs = randomArray(n, 31 + n, -5, 5);
      const x = rig.buffer(n, xs);
      expect(k.max(x, n), `max n=${n}`).toBe(rig.ref.max(x, n));
      expect(k.max(x, n)).toBe(n === 0 ? -Infinity : Math.max(...xs));
      rig.releaseAll();
    }
    const x = rig.buffer(21, randomArray(21, 1));
    for (const at of [0, 5, 16, 20]) {
      rig.write(x, randomArray(21, 1));
      rig.write(x + 4 * at, [NaN]);
      expect(k.max(x, 21), `NaN at ${at}`).toBeNaN();
    }
    rig.write(x, new Array(21).fill(-Infinity));
    expect(k.max(x, 21)).toBe(-Infinity);
  });

  it.each(SHAPES)('sumRows / sumCols %i×%i (cols outputs via SIMD across columns)', (rows, cols) => {
    const n = rows * cols;
    const xs = randomArray(n, 41 + n, -1, 2);
    const x = rig.buffer(n, xs);
    for (const [what, len] of [['sumRows', rows], ['sumCols', cols]] as const) {
      const out = rig.buffer(len);
      const want = rig.buffer(len);
      rig.ref[what](x, want, rows, cols);
      k[what](x, out, rows, cols);
      const got = rig.read(out, len);
      const exp = rig.read(want, len);
      const terms = what === 'sumRows' ? cols : rows;
      for (let i = 0; i < len; i++) {
        let abs = 0;
        for (let t = 0; t < terms; t++) abs += Math.abs(xs[what === 'sumRows' ? i * cols + t : t * cols + i]!);
        expect(Math.abs(got[i]! - exp[i]!), `${what} ${rows}×${cols} [${i}]: ${got[i]} vs ${exp[i]}`)
          .toBeLessThanOrEqual(sumTol(terms, abs, exp[i]!));
      }
      rig.expectGuard(out, len, `${what} ${rows}×${cols}`);
    }
    expect(rig.read(x, n)).toEqual(xs);
  });

  it('sumCols of one-hot rows counts them per column (exact, catches a swapped layout)', () => {
    const rows = 11, cols = 23;
    const xs = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) xs[i * cols + ((i * 5) % cols)] = 1;
    const x = rig.buffer(rows * cols, xs);
    const out = rig.buffer(cols);
    k.sumCols(x, out, rows, cols);
    const want = new Float32Array(cols);
    for (let i = 0; i < rows; i++) want[(i * 5) % cols]! += 1;
    expect(rig.read(out, cols)).toEqual(want);
  });

  it.each(SHAPES)('argmaxRows %i×%i matches the reference', (rows, cols) => {
    const n = rows * cols;
    const xs = randomArray(n, 51 + n, -3, 3);
    const x = rig.buffer(n, xs);
    const out = rig.buffer(rows);
    const want = rig.buffer(rows);
    rig.ref.argmaxRows(x, want, rows, cols);
    k.argmaxRows(x, out, rows, cols);
    const got = rig.heap.i32.slice(out >> 2, (out >> 2) + rows);
    const exp = rig.heap.i32.slice(want >> 2, (want >> 2) + rows);
    expect(Array.from(got)).toEqual(Array.from(exp));
    for (let i = 0; i < rows; i++) {
      const row = Array.from(xs.subarray(i * cols, (i + 1) * cols));
      expect(got[i]).toBe(cols === 0 ? -1 : row.indexOf(Math.max(...row)));
    }
    rig.expectGuard(out, rows, `argmax ${rows}×${cols}`);
  });

  it('argmaxRows returns the first of equal maxima in any lane and tail position, skips NaN', () => {
    const cases: [number[], number][] = [
      [[1, 5, 5, 2, 5, 5, 0, 0, 5], 1],
      [[0, 0, 0, 0, 0, 0, 0, 0, 0], 0],
      [[1, 2, 3, 4, 4, 3, 2, 1, 4], 3],
      [[1, 2, 3, 0, 9, 9, 9, 9, 9], 4],
      [[0, 0, 0, 0, 0, 0, 0, 0, 9], 8],
      [[-1, -1, -1, 7, -1, -1, -1, 7, 7], 3],
      [[NaN, 1, NaN, 2, NaN, 2, 0, 0, 0], 3],
      [[NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN], 0],
      [[-Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity], 0],
      [[-Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -1e38], 8],
    ];
    for (const [row, want] of cases) {
      const x = rig.buffer(9, row);
      const out = rig.buffer(1);
      k.argmaxRows(x, out, 1, 9);
      expect(rig.heap.i32[out >> 2], JSON.stringify(row)).toBe(want);
      rig.ref.argmaxRows(x, out, 1, 9);
      expect(rig.heap.i32[out >> 2], `reference ${JSON.stringify(row)}`).toBe(want);
    }
  });
});
