import { describe, expect, it } from 'vitest';
import { makeBlobs, makeCircles, makeMoons, makeRegression, makeSine, makeSpirals, xor } from '../../src/data/generators.js';
import { Rng } from '../../src/util/rng.js';
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

describe('makeRegression', () => {
  it('has the shape asked for: rows×features x, one output, no labels', () => {
    for (const [n, features] of [[0, 1], [1, 1], [7, 3], [50, 10]] as const) {
      const d = makeRegression(n, { features, seed: 1 });
      expect([d.rows, d.features, d.outputs, d.x.length, d.y.length, d.coefficients.length]).toEqual([n, features, 1, n * features, n, features]);
      expect(d.labels).toBeUndefined();
      expect(d.bias).toBe(0);
    }
    expect(makeRegression(5, { coefficients: [1, 2] }).features).toBe(2);
  });

  it('without noise, y is exactly x·coefficients + bias as float32', () => {
    for (const options of [{ features: 4, bias: -1.25, seed: 3 }, { coefficients: [0.5, -2, 3], bias: 10 }, { seed: 9 }]) {
      const d = makeRegression(200, options);
      for (let r = 0; r < d.rows; r++) {
        let sum = d.bias;
        for (let f = 0; f < d.features; f++) sum += d.x[r * d.features + f]! * d.coefficients[f]!;
        expect(d.y[r]).toBe(Math.fround(sum));
      }
    }
    expect([...makeRegression(3, { coefficients: [0.5, -2, 3] }).coefficients]).toEqual([0.5, -2, 3]);
  });

  it('draws x and coefficients from N(0, 1), and noise of the requested spread on top of the same x', () => {
    const clean = makeRegression(5000, { features: 2, seed: 4 });
    const noisy = makeRegression(5000, { features: 2, seed: 4, noise: 0.5 });
    expect(noisy.x).toEqual(clean.x);
    expect(noisy.coefficients).toEqual(clean.coefficients);
    let sum = 0;
    let sq = 0;
    for (const v of clean.x) {
      sum += v;
      sq += v * v;
    }
    expect(sum / clean.x.length).toBeCloseTo(0, 1);
    expect(Math.sqrt(sq / clean.x.length)).toBeCloseTo(1, 1);
    let residual = 0;
    for (let r = 0; r < clean.rows; r++) residual += (noisy.y[r]! - clean.y[r]!) ** 2;
    expect(Math.sqrt(residual / clean.rows)).toBeCloseTo(0.5, 1);
    // The drawn coefficients are the RNG's first normals.
    const rng = new Rng(4);
    expect([...clean.coefficients]).toEqual([Math.fround(rng.normal()), Math.fround(rng.normal())]);
  });

  it('is deterministic per seed, differs across seeds, and takes a shared Rng', () => {
    const a = makeRegression(100, { features: 3, noise: 0.1, seed: 5 });
    const b = makeRegression(100, { features: 3, noise: 0.1, seed: 5 });
    expect([b.x, b.y, b.coefficients]).toEqual([a.x, a.y, a.coefficients]);
    expect(makeRegression(100, { features: 3, noise: 0.1, seed: 6 }).x).not.toEqual(a.x);
    const fromRng = makeRegression(100, { features: 3, noise: 0.1, seed: new Rng(5) });
    expect(fromRng.y).toEqual(a.y);
  });

  it('rejects bad arguments with named messages', () => {
    expect(() => makeRegression(-1)).toThrow(/^makeRegression: n must be a non-negative integer, got -1$/);
    expect(() => makeRegression(2.5)).toThrow(/^makeRegression: n must be a non-negative integer, got 2.5$/);
    expect(() => makeRegression(10, { noise: -1 })).toThrow(/^makeRegression: noise must be a finite number ≥ 0, got -1$/);
    expect(() => makeRegression(10, { features: 0 })).toThrow(/^makeRegression: features must be a positive integer, got 0$/);
    expect(() => makeRegression(10, { bias: NaN })).toThrow(/^makeRegression: bias must be a finite number, got NaN$/);
    expect(() => makeRegression(10, { features: 3, coefficients: [1, 2] })).toThrow(/^makeRegression: coefficients has 2 values for 3 features$/);
    expect(() => makeRegression(10, { coefficients: [] })).toThrow(/^makeRegression: features must be a positive integer, got 0$/);
    expect(() => makeRegression(10, { coefficients: [1, 1e39] })).toThrow(/^makeRegression: coefficients\[1\] must be a finite float32, got 1e\+39$/);
    for (const bad of [() => makeRegression(-1), () => makeRegression(1, { features: 1.5 })]) expect(bad).toThrow(RangeError);
  });
});

describe('makeSine', () => {
  it('without noise, y is exactly sin(x) with x spread over [−π·periods, π·periods]', () => {
    for (const periods of [1, 3]) {
      const d = makeSine(2000, 0, 2, { periods });
      expect([d.rows, d.features, d.outputs, d.x.length, d.y.length]).toEqual([2000, 1, 1, 2000, 2000]);
      expect(d.labels).toBeUndefined();
      const half = Math.fround(Math.PI * periods);
      let low = Infinity;
      let high = -Infinity;
      for (let i = 0; i < d.rows; i++) {
        expect(d.y[i]).toBe(Math.fround(Math.sin(d.x[i]!)));
        low = Math.min(low, d.x[i]!);
        high = Math.max(high, d.x[i]!);
      }
      expect(low).toBeGreaterThanOrEqual(-half);
      expect(high).toBeLessThanOrEqual(half);
      // Spread over the whole range, not bunched: both ends come within 1 % of the span.
      expect(low).toBeLessThan(-half + 0.02 * half);
      expect(high).toBeGreaterThan(half - 0.02 * half);
    }
  });

  it('keeps noisy values within [−1 − 4·noise, 1 + 4·noise] (a 4σ band: rare exceptions, none past 5σ), on the same x as without noise', () => {
    for (const noise of [0.05, 0.3]) {
      const d = makeSine(1000, noise, 7);
      expect(d.x).toEqual(makeSine(1000, 0, 7).x);
      // P(|N(0, 1)| > 4) ≈ 6e-5 per value, so a 1000-value draw has one outside 4σ about 6 % of
      // the time (seed 7 with noise 0.05 has one, just past 4σ); past 5σ (≈ 6e-7) would be a bug.
      const outside4 = d.y.filter((v) => v < -1 - 4 * noise || v > 1 + 4 * noise).length;
      expect(outside4).toBeLessThanOrEqual(2);
      for (const v of d.y) {
        expect(v).toBeGreaterThanOrEqual(-1 - 5 * noise);
        expect(v).toBeLessThanOrEqual(1 + 5 * noise);
      }
      let sq = 0;
      for (let i = 0; i < d.rows; i++) sq += (d.y[i]! - Math.sin(d.x[i]!)) ** 2;
      expect(Math.sqrt(sq / d.rows)).toBeCloseTo(noise, 1);
    }
  });

  it('is deterministic per seed and differs across seeds', () => {
    const a = makeSine(300, 0.1, 11);
    expect(makeSine(300, 0.1, 11)).toEqual(a);
    expect(makeSine(300, 0.1, new Rng(11))).toEqual(a);
    expect(makeSine(300, 0.1, 12).x).not.toEqual(a.x);
    expect(makeSine(0).rows).toBe(0);
  });

  it('rejects bad arguments with named messages', () => {
    expect(() => makeSine(-3)).toThrow(/^makeSine: n must be a non-negative integer, got -3$/);
    expect(() => makeSine(10, -0.5)).toThrow(/^makeSine: noise must be a finite number ≥ 0, got -0.5$/);
    expect(() => makeSine(10, Infinity)).toThrow(/^makeSine: noise must be a finite number ≥ 0, got Infinity$/);
    for (const periods of [0, -1, Infinity, NaN]) {
      expect(() => makeSine(10, 0, 0, { periods })).toThrow(new RangeError(`makeSine: periods must be a finite number > 0, got ${periods}`));
    }
  });
});
