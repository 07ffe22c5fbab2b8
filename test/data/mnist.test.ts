import { describe, expect, it } from 'vitest';
import { loadBundledMnist } from '../../src/data/mnist.js';

const counts = (labels: Int32Array) => Array.from({ length: 10 }, (_, d) => labels.filter((l) => l === d).length);

describe('loadBundledMnist', () => {
  it('loads 8,000 / 2,000 stratified digits with 784 features in [0, 1] and one-hot targets', async () => {
    const { train, test } = await loadBundledMnist({ seed: 1 });
    expect([train.rows, train.features, train.outputs]).toEqual([8000, 784, 10]);
    expect([test.rows, test.features, test.outputs]).toEqual([2000, 784, 10]);
    expect(train.x.length).toBe(8000 * 784);
    let min = Infinity;
    let max = -Infinity;
    for (const v of train.x) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect([min, max]).toEqual([0, 1]);
    // The package holds 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978 digits per class.
    const perClass = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
    counts(test.labels).forEach((c, d) => expect(Math.abs(c - perClass[d]! / 5)).toBeLessThanOrEqual(1));
    counts(train.labels).forEach((c, d) => expect(Math.abs(c - (perClass[d]! * 4) / 5)).toBeLessThanOrEqual(1));
    for (let r = 0; r < 50; r++) {
      const row = [...train.y.subarray(r * 10, r * 10 + 10)];
      expect(row.indexOf(1)).toBe(train.labels[r]);
      expect(row.reduce((a, b) => a + b)).toBe(1);
    }
    // Shuffled, not grouped by digit.
    expect(new Set(train.labels.subarray(0, 50)).size).toBeGreaterThan(5);
  });

  it('keeps train and test disjoint and is reproducible per seed', async () => {
    const key = (x: Float32Array, r: number) => x.subarray(r * 784, (r + 1) * 784).join(',');
    const a = await loadBundledMnist({ train: 300, test: 200, seed: 4 });
    const b = await loadBundledMnist({ train: 300, test: 200, seed: 4 });
    const c = await loadBundledMnist({ train: 300, test: 200, seed: 5 });
    expect(b.train.x).toEqual(a.train.x);
    expect(c.train.x).not.toEqual(a.train.x);
    const trainRows = new Set(Array.from({ length: 300 }, (_, r) => key(a.train.x, r)));
    const overlap = Array.from({ length: 200 }, (_, r) => key(a.test.x, r)).filter((k) => trainRows.has(k));
    expect(overlap.length).toBe(0);
    expect(counts(a.test.labels).every((n) => n >= 17 && n <= 23)).toBe(true);
  });

  it("applies the seeds' scaling from the recovered 0–255 bytes", async () => {
    const unit = await loadBundledMnist({ train: 100, test: 0, seed: 2, scaling: 'raw', targets: 'index' });
    const seeds = await loadBundledMnist({ train: 100, test: 0, seed: 2, scaling: 'seeds' });
    expect(unit.train.outputs).toBe(1);
    expect(unit.train.x.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)).toBe(true);
    for (let i = 0; i < 784 * 100; i += 97) expect(seeds.train.x[i]).toBe(Math.fround((unit.train.x[i]! * 0.99) / 255 + 0.01));
    await expect(loadBundledMnist({ train: 9000, test: 2000 })).rejects.toThrow(/train 9000 \+ test 2000 exceed the 10000 bundled digits/);
    await expect(loadBundledMnist({ scaling: 'percent' as never })).rejects.toThrow(/unknown pixel scaling "percent"; expected one of unit, seeds, raw/);
  });
});
