import { describe, expect, it } from 'vitest';
import { makeBlobs } from '../../src/data/generators.js';
import {
  classIndices, fitMinMax, fitStandardizer, labelsFromOneHot, oneHot, selectRows, shuffleDataset, stratifiedIndices, trainTestSplit,
} from '../../src/data/preprocess.js';
import type { Dataset } from '../../src/data/dataset.js';

/** Rows whose x holds the row number, so any permutation can be traced. */
function traceable(rows: number, labels: number[]): Dataset {
  const x = new Float32Array(rows * 3);
  for (let r = 0; r < rows; r++) x.set([r, r * 10, -r], r * 3);
  return { x, y: oneHot(labels, 3), rows, features: 3, outputs: 3, labels: Int32Array.from(labels) };
}

function rowIds(d: Dataset): number[] {
  return Array.from({ length: d.rows }, (_, i) => d.x[i * d.features]!);
}

describe('oneHot', () => {
  it('round-trips with labelsFromOneHot, inferring K', () => {
    const labels = [2, 0, 1, 2, 4];
    const y = oneHot(labels);
    expect(y.length).toBe(25);
    expect([...y.subarray(0, 5)]).toEqual([0, 0, 1, 0, 0]);
    expect([...labelsFromOneHot(y, 5)]).toEqual(labels);
    expect(oneHot([0, 1], 4).length).toBe(8);
  });

  it('rejects labels out of range or not integers, naming the position', () => {
    expect(() => oneHot([0, 3], 3)).toThrow(/label 1 is 3, expected an integer in \[0, 2\]/);
    expect(() => oneHot([0.5])).toThrow(/label 0 is 0.5/);
    expect(() => oneHot([-1, 0])).toThrow(/label 0 is -1/);
  });
});

describe('standardization and min-max scaling', () => {
  const train = Float32Array.from([1, 10, 5, 3, 20, 5, 5, 30, 5]); // 3 rows × 3 features, last constant
  it('fits mean and std on the training set and applies them to another', () => {
    const s = fitStandardizer(train, 3);
    expect([...s.mean]).toEqual([3, 20, 5]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 6);
    expect(s.std[2]).toBe(1);
    const t = s.transform(train);
    for (let c = 0; c < 2; c++) {
      const col = [t[c]!, t[3 + c]!, t[6 + c]!];
      expect(col.reduce((a, b) => a + b)).toBeCloseTo(0, 6);
      expect(col.reduce((a, b) => a + b * b, 0) / 3).toBeCloseTo(1, 5);
    }
    expect([t[2], t[5], t[8]]).toEqual([0, 0, 0]);
    const other = Float32Array.from([3, 20, 5]);
    expect([...s.transform(other)]).toEqual([0, 0, 0]);
    const back = s.inverse(s.transform(other));
    expect([...back]).toEqual([...other]);
    expect([...train]).toEqual([1, 10, 5, 3, 20, 5, 5, 30, 5]);
  });

  it('works on datasets and checks widths', () => {
    const d = makeBlobs(300, [[5, -3]], 2, 1);
    const s = fitStandardizer(d);
    const t = s.transformDataset(d);
    expect(t.y).toBe(d.y);
    expect(fitStandardizer(t).mean[0]).toBeCloseTo(0, 5);
    expect(() => s.transform(new Float32Array(3))).toThrow(/3 values are not whole rows of 2 features/);
    expect(() => fitStandardizer(new Float32Array(0), 2)).toThrow(/cannot fit on zero rows/);
  });

  it('min-max maps the fitted range to [0, 1] or a given range', () => {
    const m = fitMinMax(train, 3);
    expect([...m.transform(train)]).toEqual([0, 0, 0, 0.5, 0.5, 0, 1, 1, 0]);
    const m2 = fitMinMax(train, 3, [-1, 1]);
    expect([...m2.transform(Float32Array.from([7, 40, 9]))]).toEqual([2, 2, -1]);
    expect(() => fitMinMax(train, 3, [1, 1])).toThrow(/range must be increasing/);
  });
});

describe('shuffle, select and split', () => {
  const labels = Array.from({ length: 100 }, (_, i) => (i < 60 ? 0 : i < 90 ? 1 : 2));
  const d = traceable(100, labels);

  it('shuffles x, y and labels with the same permutation, reproducibly', () => {
    const s = shuffleDataset(d, 3);
    const ids = rowIds(s);
    expect([...ids].sort((a, b) => a - b)).toEqual(rowIds(d));
    expect(ids).not.toEqual(rowIds(d));
    expect(rowIds(shuffleDataset(d, 3))).toEqual(ids);
    for (let i = 0; i < s.rows; i++) {
      const r = ids[i]!;
      expect([s.x[i * 3 + 1], s.x[i * 3 + 2]]).toEqual([r * 10, -r]);
      expect(s.labels![i]).toBe(labels[r]);
      expect(labelsFromOneHot(s.y.subarray(i * 3, i * 3 + 3), 3)[0]).toBe(labels[r]);
    }
    expect(() => selectRows(d, [100])).toThrow(/index 0 is 100, expected a row in \[0, 99\]/);
  });

  it('splits into disjoint parts covering every row', () => {
    const { train, test } = trainTestSplit(d, { test: 0.2, seed: 1 });
    expect([train.rows, test.rows]).toEqual([80, 20]);
    const all = [...rowIds(train), ...rowIds(test)].sort((a, b) => a - b);
    expect(all).toEqual(rowIds(d));
  });

  it('keeps class proportions when stratified', () => {
    const { train, test } = trainTestSplit(d, { test: 0.2, seed: 2, stratify: true });
    const share = (x: Dataset) => [0, 1, 2].map((c) => classIndices(x).filter((l) => l === c).length);
    expect(share(test)).toEqual([12, 6, 2]);
    expect(share(train)).toEqual([48, 24, 8]);
    // Labels derived from one-hot targets when `labels` is absent.
    const { labels: _, ...noLabels } = d;
    expect(share(trainTestSplit(noLabels, { test: 20, seed: 2, stratify: true }).test)).toEqual([12, 6, 2]);
  });

  it('stratifiedIndices rounds by largest remainder and never reuses a row', () => {
    const lab = [0, 0, 0, 1, 1, 2, 2, 2, 2, 2];
    const [a, b] = stratifiedIndices(lab, [5, 5], 1);
    expect([...a!, ...b!].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => stratifiedIndices(lab, [8, 3])).toThrow(/11 rows requested from 10/);
    expect(() => trainTestSplit(d, { test: 1.5 })).toThrow(/test must be a fraction in \(0, 1\) or a whole number of rows ≤ 100, got 1.5/);
    expect(() => trainTestSplit(d, { test: 50, train: 60 })).toThrow(/train 60 \+ test 50 rows exceed the 100 available/);
  });
});
