/**
 * Row-wise softmax / log-softmax in both WASM builds against the f64 reference, over matrix
 * shapes including 0-sized ones, every tail length, wide rows and seeded random shapes, in
 * place, at extreme logits, and with NaN and infinite entries.
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

const EPS = 2 ** -24;

/** Seeded rows×cols pairs: 0 to 40 rows, 1 to 300 columns (any tail). */
function randomShapes(count: number, seed: number): [number, number][] {
  const u = randomArray(2 * count, seed, 0, 1);
  return Array.from({ length: count }, (_, i) => [Math.floor(u[2 * i]! * 41), 1 + Math.floor(u[2 * i + 1]! * 300)] as [number, number]);
}

const SHAPES: [number, number][] = [
  [1, 1], [1, 37], [37, 1], [3, 5], [7, 33], [64, 10], [129, 17], [0, 5], [5, 0], [0, 0], [4, 784],
  // Every tail of the 16-, 8- and 4-wide loops, and wide rows with each tail.
  ...Array.from({ length: 20 }, (_, c) => [3, c + 1] as [number, number]),
  [2, 1000], [3, 1001], [1, 1002], [2, 1003],
  ...randomShapes(12, 2026),
];

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

  it('NaN or +Infinity in a row, or a row of −Infinity, gives a NaN row; −Infinity entries give exactly 0', () => {
    // One row per case, each with a 4-wide body and a tail, the odd entry in the body or in the tail.
    const cols = 7;
    const rows = [
      [1, 2, NaN, 0, 1, 2, 3], [1, 2, 3, 0, 1, 2, NaN], [Infinity, 2, 3, 0, 1, 2, 3], [1, 2, 3, 0, 1, 2, Infinity],
      Array<number>(cols).fill(-Infinity), [-Infinity, 0, 1, -Infinity, 2, 3, -Infinity], Array.from({ length: cols }, (_, j) => j),
    ];
    const x = rig.buffer(rows.length * cols, rows.flat());
    for (const what of ['softmaxRows', 'logSoftmaxRows'] as const) {
      const out = rig.buffer(rows.length * cols);
      k[what](x, out, rows.length, cols);
      const got = Array.from(rig.read(out, rows.length * cols));
      for (let r = 0; r < 5; r++) expect(got.slice(r * cols, (r + 1) * cols), `${what} row ${r}`).toEqual(Array<number>(cols).fill(NaN));
      const want = rig.buffer(rows.length * cols);
      rig.ref[what](x, want, rows.length, cols);
      const expected = Array.from(rig.read(want, rows.length * cols));
      const mixed = got.slice(5 * cols, 6 * cols);
      expect(mixed.filter((_, j) => j % 3 === 0), `${what} −Infinity entries`).toEqual(what === 'softmaxRows' ? [0, 0, 0] : [-Infinity, -Infinity, -Infinity]);
      expectClose(got.slice(5 * cols), expected.slice(5 * cols), 16 * EPS, 1e-37, `${what} finite rows`);
    }
  });

  it('tiny probabilities: within 1.2e-38 (2^-126) of the reference, 0 where the reference underflows', () => {
    // e^(x − max) from 1 down past the smallest normal (−87.34) and subnormal (−103.3) floats.
    const xs = [0, -20, -80, -87.3, -87.4, -90, -95, -100, -103, -104, -110, -200, -1e30];
    const x = rig.buffer(xs.length, xs);
    const out = rig.buffer(xs.length);
    const want = rig.buffer(xs.length);
    k.softmaxRows(x, out, 1, xs.length);
    rig.ref.softmaxRows(x, want, 1, xs.length);
    const got = rig.read(out, xs.length);
    const expected = rig.read(want, xs.length);
    expectClose(got, expected, (xs.length + 24) * EPS, 2 ** -126, 'softmaxRows tiny');
    for (let j = 0; j < xs.length; j++) expect(got[j], `element ${j} ≥ 0`).toBeGreaterThanOrEqual(0);
    expect(Array.from(got.slice(-2))).toEqual([0, 0]);
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
