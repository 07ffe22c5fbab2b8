import { describe, expect, it } from 'vitest';
import { makeBlobs, makeCircles, makeMoons, makeSpirals, xor } from '../../src/data/generators.js';
import type { LabeledDataset } from '../../src/data/dataset.js';

function points(d: LabeledDataset, label: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < d.rows; i++) if (d.labels[i] === label) out.push([d.x[2 * i]!, d.x[2 * i + 1]!]);
  return out;
}

function count(labels: Int32Array, label: number): number {
  return labels.filter((l) => l === label).length;
}

describe('makeMoons', () => {
  it('puts noise-free points exactly on the two half circles, the second shifted by (1, −0.5)', () => {
    const d = makeMoons(101, 0, 1);
    expect([d.rows, d.features, d.outputs, d.x.length, d.y.length]).toEqual([101, 2, 1, 202, 101]);
    const outer = points(d, 0);
    const inner = points(d, 1);
    expect([outer.length, inner.length]).toEqual([50, 51]);
    for (const [x, y] of outer) {
      expect(Math.hypot(x, y)).toBeCloseTo(1, 6);
      expect(y).toBeGreaterThanOrEqual(-1e-7);
    }
    for (const [x, y] of inner) {
      expect(Math.hypot(x - 1, y - 0.5)).toBeCloseTo(1, 6);
      expect(y).toBeLessThanOrEqual(0.5 + 1e-7);
    }
    // t runs 0 → π: endpoints included, in order.
    expect(outer[0]![0]).toBeCloseTo(1, 6);
    expect(outer.at(-1)![0]).toBeCloseTo(-1, 6);
    expect(inner[0]).toEqual([0, 0.5]);
    expect(inner.at(-1)![0]).toBeCloseTo(2, 6);
    expect(inner.at(-1)![1]).toBeCloseTo(0.5, 6);
    // Ordered like scikit-learn without shuffling: class 0 first.
    expect([...d.labels.subarray(0, 50)].every((l) => l === 0)).toBe(true);
    expect([...d.y]).toEqual([...d.labels]);
  });

  it('is deterministic per seed, differs across seeds, and the noise has the requested spread', () => {
    const a = makeMoons(2000, 0.2, 3);
    expect(makeMoons(2000, 0.2, 3).x).toEqual(a.x);
    expect(makeMoons(2000, 0.2, 4).x).not.toEqual(a.x);
    const clean = makeMoons(2000, 0, 3);
    let sq = 0;
    for (let i = 0; i < a.x.length; i++) sq += (a.x[i]! - clean.x[i]!) ** 2;
    expect(Math.sqrt(sq / a.x.length)).toBeCloseTo(0.2, 1);
  });

  it('shuffles rows consistently when asked, and one-hot encodes', () => {
    const d = makeMoons(200, 0, 1, { shuffle: true, targets: 'one-hot' });
    expect(d.outputs).toBe(2);
    expect(count(d.labels, 0)).toBe(100);
    expect([...d.labels.subarray(0, 100)].every((l) => l === 0)).toBe(false);
    for (let i = 0; i < d.rows; i++) {
      const [x, y] = [d.x[2 * i]!, d.x[2 * i + 1]!];
      const onOuter = Math.abs(Math.hypot(x, y) - 1) < 1e-5 && y >= -1e-6;
      expect(onOuter).toBe(d.labels[i] === 0);
      expect([d.y[2 * i], d.y[2 * i + 1]]).toEqual(d.labels[i] === 0 ? [1, 0] : [0, 1]);
    }
  });

  it('rejects bad arguments with named messages', () => {
    expect(() => makeMoons(-1)).toThrow(/makeMoons: n must be a non-negative integer, got -1/);
    expect(() => makeMoons(10, -0.1)).toThrow(/makeMoons: noise must be a finite number ≥ 0/);
    expect(makeMoons(0).rows).toBe(0);
    expect(makeMoons(1).labels[0]).toBe(1);
  });
});

describe('makeCircles', () => {
  it('places noise-free points on radius 1 and radius factor, angles without the endpoint', () => {
    const d = makeCircles(100, 0.5, 0, 1);
    const outer = points(d, 0);
    const inner = points(d, 1);
    expect([outer.length, inner.length]).toEqual([50, 50]);
    for (const [x, y] of outer) expect(Math.hypot(x, y)).toBeCloseTo(1, 6);
    for (const [x, y] of inner) expect(Math.hypot(x, y)).toBeCloseTo(0.5, 6);
    expect(outer[0]).toEqual([1, 0]);
    // The last angle is 2π·49/50, not 2π: no duplicate of the first point.
    expect(Math.atan2(outer[49]![1], outer[49]![0])).toBeCloseTo(-2 * Math.PI / 50, 5);
  });

  it('balances odd counts like scikit-learn (outer ⌊n/2⌋) and checks factor', () => {
    const d = makeCircles(7, 0.3, 0.1, 2);
    expect([count(d.labels, 0), count(d.labels, 1)]).toEqual([3, 4]);
    expect(() => makeCircles(10, 1)).toThrow(/factor must be in \[0, 1\), got 1/);
    expect(makeCircles(300, 0.5, 0.3, 5).x).toEqual(makeCircles(300, 0.5, 0.3, 5).x);
    expect(makeCircles(300, 0.5, 0.3, 5).x).not.toEqual(makeCircles(300, 0.5, 0.3, 6).x);
  });
});

describe('makeBlobs', () => {
  it('spreads points evenly over the given centers with the given std', () => {
    const centers = [[0, 0], [10, 10], [-10, 5]];
    const d = makeBlobs(3001, centers, 0.5, 1, { targets: 'one-hot' });
    expect([d.rows, d.features, d.outputs]).toEqual([3001, 2, 3]);
    expect([0, 1, 2].map((c) => count(d.labels, c))).toEqual([1001, 1000, 1000]);
    for (const [c, center] of centers.entries()) {
      const pts = points(d, c);
      const mean = [0, 1].map((k) => pts.reduce((s, p) => s + p[k]!, 0) / pts.length);
      expect(mean[0]).toBeCloseTo(center[0]!, 1);
      expect(mean[1]).toBeCloseTo(center[1]!, 1);
      const std = Math.sqrt(pts.reduce((s, p) => s + (p[0] - mean[0]!) ** 2, 0) / pts.length);
      expect(Math.abs(std - 0.5)).toBeLessThan(0.05);
    }
  });

  it('draws k random centers in the box, in any dimension, reproducibly', () => {
    const d = makeBlobs(40, 4, 0, 2, { features: 5, centerBox: [0, 1] });
    expect(d.features).toBe(5);
    expect(d.x.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(makeBlobs(40, 4, 1, 2).x).toEqual(makeBlobs(40, 4, 1, 2).x);
    expect(() => makeBlobs(10, [[0, 0], [1]])).toThrow(/center 1 has 1 coordinates, center 0 has 2/);
    expect(() => makeBlobs(10, 2, [1, 2, 3])).toThrow(/3 standard deviations for 2 centers/);
  });
});

describe('makeSpirals and xor', () => {
  it('makes two opposite spiral arms with radius growing from 0.1 to 1', () => {
    const d = makeSpirals(200, 0, 1);
    const a = points(d, 0);
    const b = points(d, 1);
    expect([a.length, b.length]).toEqual([100, 100]);
    expect(Math.hypot(...a[0]!)).toBeCloseTo(0.1, 6);
    expect(Math.hypot(...a[99]!)).toBeCloseTo(1, 6);
    for (let i = 0; i < 100; i++) {
      expect(b[i]![0]).toBeCloseTo(-a[i]![0], 6);
      expect(b[i]![1]).toBeCloseTo(-a[i]![1], 6);
    }
    expect(makeSpirals(50, 0.1, 2).x).not.toEqual(makeSpirals(50, 0.1, 3).x);
  });

  it('gives the classic four points without n, and noisy balanced corners with n', () => {
    const d = xor();
    expect([...d.x]).toEqual([0, 0, 0, 1, 1, 0, 1, 1]);
    expect([...d.y]).toEqual([0, 1, 1, 0]);
    const noisy = xor(400, 0.1, 1);
    expect(count(noisy.labels, 1)).toBe(200);
    for (let i = 0; i < noisy.rows; i++) {
      const [x, y] = [noisy.x[2 * i]!, noisy.x[2 * i + 1]!];
      expect(Math.round(x) ^ Math.round(y)).toBe(noisy.labels[i]);
    }
  });
});
