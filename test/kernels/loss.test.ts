/**
 * Fused losses in both WASM builds against the f64 reference: every output combination
 * (probs/grad written or skipped via pointer 0), aliasing with the logits, 0-sized inputs,
 * extreme logits. Tolerances are derived per test from where the f32 kernel rounds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectClose, makeRig, randomArray } from '../helpers/harness.js';
import type { Kernels } from '../../src/backend/kernels.js';

const SIZES = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 1000, 4099];
const SHAPES: [number, number][] = [[1, 1], [1, 37], [37, 1], [3, 5], [7, 33], [64, 10], [129, 17], [0, 5], [5, 0]];
const EPS = 2 ** -24;
const GS = Math.fround(0.3); // f32-exact so only the kernel's rounding is measured

const rig = makeRig();
afterEach(() => rig.releaseAll());

function targets(rows: number, cols: number, seed: number, soft: boolean): Float32Array {
  const y = new Float32Array(rows * cols);
  const r = randomArray(rows * cols, seed, 0, 1);
  for (let i = 0; i < rows; i++) {
    if (soft) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += r[i * cols + j]!;
      for (let j = 0; j < cols; j++) y[i * cols + j] = r[i * cols + j]! / s;
    } else if (cols > 0) {
      y[i * cols + Math.floor(r[i * cols]! * cols)] = 1;
    }
  }
  return y;
}

type Outs = 'both' | 'probs' | 'grad' | 'none' | 'probs=logits' | 'grad=logits';
const OUTS: Outs[] = ['both', 'probs', 'grad', 'none', 'probs=logits', 'grad=logits'];

describe.each(rig.builds.map((b) => [b.flavor, b] as const))('%s losses', (_name, k) => {
  it.each(SHAPES)('softmaxCrossEntropy %i×%i: every output combination, one-hot and soft targets', (rows, cols) => {
    const n = rows * cols;
    const zs = randomArray(n, 71 + n, -10, 10);
    for (const soft of [false, true]) {
      const ys = targets(rows, cols, 72 + n, soft);
      for (const outs of OUTS) {
        const z = rig.buffer(n, zs);
        const y = rig.buffer(n, ys);
        const pRef = rig.buffer(n);
        const gRef = rig.buffer(n);
        const zRef = rig.buffer(n, zs);
        const want = rig.ref.softmaxCrossEntropy(zRef, y, pRef, gRef, rows, cols, GS);
        const p = outs === 'probs=logits' ? z : outs === 'both' || outs === 'probs' || outs === 'grad=logits' ? rig.buffer(n) : 0;
        const g = outs === 'grad=logits' ? z : outs === 'both' || outs === 'grad' || outs === 'probs=logits' ? rig.buffer(n) : 0;
        const got = k.softmaxCrossEntropy(z, y, p, g, rows, cols, GS);
        const what = `xent ${rows}×${cols} ${soft ? 'soft' : 'one-hot'} ${outs}`;
        // Per row: log S off by (cols + 4)·eps + 1.3e-7·log S; Σ y·(z − max) by
        // (cols + 1)·eps·Σ|y·(z − max)| ≤ (cols + 1)·eps·20.
        const tol = rows * ((cols + 4) * EPS * 21 + 2e-7 * Math.log(cols + 1)) + 1e-300;
        expect(Math.abs(got - want), `${what}: loss ${got} vs ${want}`).toBeLessThanOrEqual(tol);
        const tolP = (cols + 24) * EPS; // as softmaxRows (softmax.test.ts)
        if (p !== 0) {
          expectClose(rig.read(p, n), rig.read(pRef, n), tolP, 1e-37, `${what} probs`);
          rig.expectGuard(p, n, `${what} probs`);
        }
        if (g !== 0) {
          expectClose(rig.read(g, n), rig.read(gRef, n), 2 * EPS, GS * tolP, `${what} grad`);
          rig.expectGuard(g, n, `${what} grad`);
        }
        if (p !== z && g !== z) expect(rig.read(z, n), `${what}: logits changed`).toEqual(zs);
        expect(rig.read(y, n)).toEqual(ys);
        rig.releaseAll();
      }
    }
  });

  it('softmaxCrossEntropy uses log-softmax: a target class with probability 0 gives a finite loss', () => {
    // Row 0: class 1 is 200 below the max, e^-200 underflows in f32; loss is 200 + log(1+e^-200).
    // Row 1: the non-target class underflows and y = 0 there: 0·log 0 must not appear.
    const z = rig.buffer(4, [0, -200, 0, -200]);
    const y = rig.buffer(4, [0, 1, 1, 0]);
    const p = rig.buffer(4);
    const g = rig.buffer(4);
    const loss = k.softmaxCrossEntropy(z, y, p, g, 2, 2, 1);
    expect(Math.abs(loss - 200)).toBeLessThanOrEqual(2e-5);
    expect(Array.from(rig.read(p, 4))).toEqual([1, 0, 1, 0]);
    expect(Array.from(rig.read(g, 4))).toEqual([1, -1, 0, 0]);
  });

  it('softmaxCrossEntropy hand-computed: two equal logits, one-hot target → log 2, grad ±0.5·scale', () => {
    const z = rig.buffer(6, [5, 5, 5, 5, 5, 5]);
    const y = rig.buffer(6, [0, 1, 0, 0, 0, 1]);
    const g = rig.buffer(6);
    const loss = k.softmaxCrossEntropy(z, y, 0, g, 2, 3, 0.5);
    expect(Math.abs(loss - 2 * Math.log(3))).toBeLessThanOrEqual(1e-6);
    const third = Math.fround(Math.fround(1 / 3) * 0.5);
    expectClose(rig.read(g, 6), [third, Math.fround(-1 / 3), third, third, third, Math.fround(-1 / 3)], 3 * EPS, 0, 'grad');
  });

  it('sigmoidBinaryCrossEntropy: every size and output combination', () => {
    for (const n of SIZES) {
      const zs = randomArray(n, 81 + n, -12, 12);
      for (let i = 5; i < n; i += 13) zs[i] = zs[i]! * 10; // some |z| up to 120
      const ys = randomArray(n, 82 + n, 0, 1);
      for (let i = 0; i < n; i += 2) ys[i] = ys[i]! < 0.5 ? 0 : 1;
      let absZ = 0;
      for (let i = 0; i < n; i++) absZ += Math.abs(zs[i]!) + 1;
      for (const outs of OUTS) {
        const z = rig.buffer(n, zs);
        const y = rig.buffer(n, ys);
        const pRef = rig.buffer(n);
        const gRef = rig.buffer(n);
        const want = rig.ref.sigmoidBinaryCrossEntropy(z, y, pRef, gRef, n, GS);
        const p = outs === 'probs=logits' ? z : outs === 'both' || outs === 'probs' || outs === 'grad=logits' ? rig.buffer(n) : 0;
        const g = outs === 'grad=logits' ? z : outs === 'both' || outs === 'grad' || outs === 'probs=logits' ? rig.buffer(n) : 0;
        const got = k.sigmoidBinaryCrossEntropy(z, y, p, g, n, GS);
        const what = `bce n=${n} ${outs}`;
        // Each term: max(z,0) − z·y rounds at eps·|z| (twice), log1p ≈ 1.3e-7; the f32
        // partial sums over 256-element chunks add ≤ 256·eps of the (non-negative) total.
        const tol = 4 * EPS * absZ + 260 * EPS * want + 1e-30;
        expect(Math.abs(got - want), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(tol);
        if (p !== 0) {
          expectClose(rig.read(p, n), rig.read(pRef, n), 4e-7, 1e-38, `${what} probs`); // sigmoid sweep bound + storing
          rig.expectGuard(p, n, `${what} probs`);
        }
        if (g !== 0) {
          expectClose(rig.read(g, n), rig.read(gRef, n), 2 * EPS, GS * 4e-7, `${what} grad`);
          rig.expectGuard(g, n, `${what} grad`);
        }
        if (p !== z && g !== z) expect(rig.read(z, n)).toEqual(zs);
        expect(rig.read(y, n)).toEqual(ys);
        rig.releaseAll();
      }
    }
  });

  it('sigmoidBinaryCrossEntropy at extreme logits: finite and exact limits', () => {
    const z = rig.buffer(6, [100, -100, 100, -100, 1e-8, 40]);
    const y = rig.buffer(6, [0, 1, 1, 0, 1, 1]);
    const p = rig.buffer(6);
    const loss = k.sigmoidBinaryCrossEntropy(z, y, p, 0, 6, 1);
    // 100 + 100 + 2·e^-100 + (log 2 − 0.5e-8) + e^-40
    const want = 200 + 2 * Math.exp(-100) + Math.log(2) - 0.5e-8 + Math.exp(-40);
    expect(Math.abs(loss - want)).toBeLessThanOrEqual(4e-5);
    const ps = rig.read(p, 6);
    expect([ps[0], ps[2], ps[5]]).toEqual([1, 1, 1]);
    expect(Math.abs(ps[1]! - Math.exp(-100))).toBeLessThanOrEqual(2e-45);
    // A lone tiny term must survive: log1p(e^-40) = 4.2e-18 is not lost to 1 + t rounding.
    const z1 = rig.buffer(1, [40]);
    const y1 = rig.buffer(1, [1]);
    expect(Math.abs(k.sigmoidBinaryCrossEntropy(z1, y1, 0, 0, 1, 1) / Math.exp(-40) - 1)).toBeLessThanOrEqual(3e-7);
  });

  /**
   * A pointwise loss kernel (`run`) against its reference (`reference`) on predictions `ps`
   * and targets `ys`: the sum within `262·eps` of the total (each term rounds a few times, f32
   * chunk sums ≤ 256·eps), the gradient within 2·eps, with grad separate, skipped, and
   * aliasing p or y; inputs untouched and guard zones intact.
   */
  type PointwiseLoss = (k: Kernels, p: number, y: number, grad: number, n: number) => number;
  function checkPointwiseLoss(name: string, ps: Float32Array, ys: Float32Array, run: PointwiseLoss): void {
    const n = ps.length;
    for (const outs of ['grad', 'none', 'grad=p', 'grad=y'] as const) {
      const p = rig.buffer(n, ps);
      const y = rig.buffer(n, ys);
      const gRef = rig.buffer(n);
      const want = run(rig.ref, p, y, gRef, n);
      const g = outs === 'grad' ? rig.buffer(n) : outs === 'grad=p' ? p : outs === 'grad=y' ? y : 0;
      const got = run(k, p, y, g, n);
      const what = `${name} n=${n} ${outs}`;
      expect(Math.abs(got - want), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(262 * EPS * want + 1e-30);
      if (n === 0) expect(got).toBe(0);
      if (g !== 0) {
        expectClose(rig.read(g, n), rig.read(gRef, n), 2 * EPS, 0, `${what} grad`);
        rig.expectGuard(g, n, `${what} grad`);
      }
      if (g !== p) expect(rig.read(p, n)).toEqual(ps);
      if (g !== y) expect(rig.read(y, n)).toEqual(ys);
      rig.releaseAll();
    }
  }

  it('squaredError: every size, grad separate, skipped, and aliasing p or y', () => {
    for (const n of SIZES) {
      const ps = randomArray(n, 91 + n, -3, 3);
      const ys = randomArray(n, 92 + n, -3, 3);
      checkPointwiseLoss('squaredError', ps, ys, (kk, p, y, g, m) => kk.squaredError(p, y, g, m, GS));
    }
  });

  it('squaredError hand-computed', () => {
    const p = rig.buffer(5, [1, 2, 3, 4, 5]);
    const y = rig.buffer(5, [0, 2, 5, 4, 4]);
    const g = rig.buffer(5);
    expect(k.squaredError(p, y, g, 5, 0.5)).toBe(6);
    expect(Array.from(rig.read(g, 5))).toEqual([1, 0, -2, 0, 1]);
  });

  // Every tail length 0–9 and the chunk edges; residuals straddle ±δ for each δ.
  const HUBER_SIZES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 17, 31, 33, 255, 256, 257, 1000, 4099];
  it.each([0.5, 1, 3])('huberError δ=%d: every size, grad separate, skipped, and aliasing p or y', (delta) => {
    for (const n of HUBER_SIZES) {
      const ps = randomArray(n, 101 + n, -2 * delta, 2 * delta);
      const ys = randomArray(n, 102 + n, -2 * delta, 2 * delta);
      // Residuals exactly at ±δ and at their f32 neighbours, where the pieces meet.
      for (let i = 3; i < n; i += 7) {
        const edge = [delta, -delta, Math.fround(delta * (1 + EPS * 2)), Math.fround(delta * (1 - EPS))][i % 4]!;
        ps[i] = Math.fround(ys[i]! + edge);
      }
      let inside = 0;
      for (let i = 0; i < n; i++) if (Math.abs(ps[i]! - ys[i]!) <= delta) inside++;
      if (n >= 8) expect(inside > 0 && inside < n, `n=${n}: residuals straddle ±δ`).toBe(true);
      // Every term is ≥ 0: (p − y) rounds once, c·(|d| − ½c) twice more (|d| − ½c ≥ ½c, no cancellation).
      checkPointwiseLoss(`huberError δ=${delta}`, ps, ys, (kk, p, y, g, m) => kk.huberError(p, y, g, m, delta, GS));
    }
  });

  it('huberError hand-computed: both pieces, the kink, NaN and infinite residuals', () => {
    // d = 0.5, −1, 2, −3, 0 with δ = 1: ⅛, ½, 1.5, 2.5, 0; grad clamps to [−1, 1]·0.5.
    const p = rig.buffer(5, [1.5, 2, 3, 4, 5]);
    const y = rig.buffer(5, [1, 3, 1, 7, 5]);
    const g = rig.buffer(5);
    expect(k.huberError(p, y, g, 5, 1, 0.5)).toBe(4.625);
    expect(Array.from(rig.read(g, 5))).toEqual([0.25, -0.5, 0.5, -0.5, 0]);
    // δ = 3 leaves the same residuals all quadratic except −3 sits on the kink: ½·9 either way.
    expect(k.huberError(p, y, 0, 5, 3, 1)).toBe(0.125 + 0.5 + 2 + 4.5);
    // NaN in a lane and in the tail poisons the loss and that gradient only; ±∞ clamps.
    const p2 = rig.buffer(6, [NaN, 0, Infinity, 0, 1, NaN]);
    const y2 = rig.buffer(6, [0, 0, 0, Infinity, 1, 0]);
    const g2 = rig.buffer(6);
    expect(k.huberError(p2, y2, g2, 6, 1, 2)).toBeNaN();
    expect(Array.from(rig.read(g2, 6))).toEqual([NaN, 0, 2, -2, 0, NaN]);
    const g3 = rig.buffer(4);
    expect(k.huberError(p2 + 4, y2 + 4, g3, 4, 1, 2)).toBe(Infinity); // p2[1..4]: 0, ∞, 0, 1
    expect(Array.from(rig.read(g3, 4))).toEqual([0, 2, -2, 0]);
  });
});
