/**
 * Row-wise softmax / log-softmax in both WASM builds against the f64 reference, over matrix
 * shapes including 0-sized ones, in place, and at extreme logits.
 *
 * Tolerances: softmax relative (cols + 4 + |x − max|)·eps — each probability carries the exp
 * error (≈1.2e-7 ≈ 2 eps), the f32 row sum (≤ cols·eps relative), the reciprocal/multiply,
 * and the f32 rounding of x − max before exponentiating.
 * log-softmax absolute (cols + 4)·eps + 2e-7·log(cols + 1) — the relative error of the sum
 * becomes an absolute error of its log, plus log's own ≈1.3e-7 relative error — and 2 eps
 * relative for the final subtraction.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectClose, makeRig, randomArray } from '../helpers/harness.js';

const SHAPES: [number, number][] = [[1, 1], [1, 37], [37, 1], [3, 5], [7, 33], [64, 10], [129, 17], [0, 5], [5, 0], [4, 784]];
const EPS = 2 ** -24;

const rig = makeRig();
afterEach(() => rig.releaseAll());

function logits(rows: number, cols: number, seed: number): Float32Array {
  const xs = randomArray(rows * cols, seed, -10, 10);
  // A row far above zero and one far below: only the max shift keeps these finite.
  if (rows > 1) for (let j = 0; j < cols; j++) xs[j] = xs[j]! + 1000;
  if (rows > 2) for (let j = 0; j < cols; j++) xs[cols + j] = xs[cols + j]! - 1000;
  return xs;
}

describe.each(rig.builds.map((b) => [b.flavor, b] as const))('%s softmax', (_name, k) => {
  it.each(SHAPES)('softmaxRows and logSoftmaxRows %i×%i, out separate and in place', (rows, cols) => {
    const n = rows * cols;
    const xs = logits(rows, cols, 61 + n);
    // + 20 eps: x − max is rounded to f32 before exp (|x − max| ≤ 20 in these rows), which the
    // f64 reference does not do; e^(d(1+δ)) has relative error |d|·δ.
    const tolP = (cols + 4 + 20) * EPS;
    const tolL = (cols + 4) * EPS + 2e-7 * Math.log(cols + 1);
    for (const [what, rtol, atol] of [['softmaxRows', tolP, 1e-37], ['logSoftmaxRows', 2 * EPS, tolL]] as const) {
      const x = rig.buffer(n, xs);
      const out = rig.buffer(n);
      const want = rig.buffer(n);
      rig.ref[what](x, want, rows, cols);
      const expected = rig.read(want, n);
      k[what](x, out, rows, cols);
      expectClose(rig.read(out, n), expected, rtol, atol, `${what} ${rows}×${cols}`);
      rig.expectGuard(out, n, `${what} ${rows}×${cols}`);
      expect(rig.read(x, n)).toEqual(xs);
      k[what](x, x, rows, cols);
      expectClose(rig.read(x, n), expected, rtol, atol, `${what} ${rows}×${cols} in place`);
      rig.expectGuard(x, n, `${what} ${rows}×${cols} in place`);
    }
  });

  it('rows sum to 1 and exponentiated log-softmax equals softmax', () => {
    const rows = 9, cols = 13;
    const xs = logits(rows, cols, 5);
    const x = rig.buffer(rows * cols, xs);
    const p = rig.buffer(rows * cols);
    const lp = rig.buffer(rows * cols);
    k.softmaxRows(x, p, rows, cols);
    k.logSoftmaxRows(x, lp, rows, cols);
    const ps = rig.read(p, rows * cols);
    const lps = rig.read(lp, rows * cols);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < cols; j++) {
        s += ps[i * cols + j]!;
        expect(Math.abs(Math.exp(lps[i * cols + j]!) - ps[i * cols + j]!)).toBeLessThanOrEqual(1e-6 * ps[i * cols + j]! + 1e-37);
      }
      expect(Math.abs(s - 1), `row ${i} sums to ${s}`).toBeLessThanOrEqual(cols * 2 * EPS);
    }
  });

  it('hand-computed values: uniform rows, a dominant logit, huge gaps', () => {
    const x = rig.buffer(12, [3, 3, 3, 3, 0, 200, 0, 0, -50, 50, -1e30, 1e30]);
    const p = rig.buffer(12);
    const lp = rig.buffer(12);
    k.softmaxRows(x, p, 3, 4);
    k.logSoftmaxRows(x, lp, 3, 4);
    const ps = Array.from(rig.read(p, 12));
    const lps = Array.from(rig.read(lp, 12));
    expect(ps.slice(0, 4)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(lps.slice(0, 4).map((v) => Math.abs(v + Math.log(4)) < 2e-7)).toEqual([true, true, true, true]);
    expect(ps[5]).toBe(1);
    expect(ps[4]).toBeLessThan(1e-40);
    expect(Math.abs(lps[4]! + 200)).toBeLessThanOrEqual(2e-5); // ulp of 200 is 1.5e-5
    expect(Math.abs(lps[5]!)).toBeLessThanOrEqual(1e-38);
    expect(ps.slice(8)).toEqual([0, 0, 0, 1]);
    expect(lps[11]).toBe(0);
    expect(lps[10]).toBe(Math.fround(-1e30) - Math.fround(1e30));
  });
});
