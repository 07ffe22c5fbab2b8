import { describe, expect, it } from 'vitest';
import { BatchIterator } from '../../src/data/batches.js';
import type { Dataset } from '../../src/data/dataset.js';

function dataset(rows: number, features: number, outputs: number): Dataset {
  const x = new Float32Array(rows * features);
  const y = new Float32Array(rows * outputs);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < features; f++) x[r * features + f] = r * 100 + f;
    for (let o = 0; o < outputs; o++) y[r * outputs + o] = -r - o / 10;
  }
  return { x, y, rows, features, outputs };
}

describe('BatchIterator', () => {
  for (const [rows, batchSize] of [[10, 3], [12, 4], [5, 8], [1, 1], [0, 4]] as const) {
    it(`covers every row exactly once per epoch (${rows} rows, batches of ${batchSize})`, () => {
      const d = dataset(rows, 3, 2);
      const it = new BatchIterator(d, { batchSize, seed: 1 });
      expect(it.batchesPerEpoch).toBe(Math.ceil(rows / batchSize));
      const orders: number[][] = [];
      for (let epoch = 0; epoch < 3; epoch++) {
        const seen: number[] = [];
        let index = 0;
        for (const b of it.epoch()) {
          expect(b.index).toBe(index++);
          expect(b.size).toBe(Math.min(batchSize, rows - b.start));
          expect(b.x.length).toBe(b.size * 3);
          expect(b.y.length).toBe(b.size * 2);
          for (let i = 0; i < b.size; i++) {
            const r = b.x[i * 3]! / 100;
            expect([b.x[i * 3 + 1], b.x[i * 3 + 2]]).toEqual([r * 100 + 1, r * 100 + 2]);
            expect([b.y[i * 2], b.y[i * 2 + 1]]).toEqual([-r, Math.fround(-r - 0.1)]);
            expect(it.order[b.start + i]).toBe(r);
            seen.push(r);
          }
        }
        expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: rows }, (_, i) => i));
        orders.push(seen);
      }
      if (rows > 3) expect(orders[0]).not.toEqual(orders[1]);
    });
  }

  it('reuses the same buffers and batch object every step', () => {
    const it = new BatchIterator(dataset(10, 2, 1), { batchSize: 4, seed: 2 });
    const xs = new Set<ArrayBufferLike>();
    const batches = new Set<object>();
    const views = new Set<Float32Array>();
    for (let e = 0; e < 2; e++) {
      for (const b of it.epoch()) {
        xs.add(b.x.buffer);
        batches.add(b);
        views.add(b.x);
      }
    }
    expect(xs.size).toBe(1);
    expect(batches.size).toBe(1);
    expect(views.size).toBe(2); // the full buffer and the premade view for the short last batch
  });

  it('keeps the dataset order without shuffling, is seeded, and can drop the short batch', () => {
    const d = dataset(7, 1, 1);
    const ids = (it: BatchIterator) => [...it.epoch()].length && [...it.order];
    const plain = new BatchIterator(d, { batchSize: 3, shuffle: false });
    const rowSlice: number[] = [];
    for (const b of plain.epoch()) rowSlice.push(b.x[0]! / 100);
    expect(rowSlice).toEqual([0, 3, 6]);
    expect(ids(new BatchIterator(d, { batchSize: 3, seed: 5 }))).toEqual(ids(new BatchIterator(d, { batchSize: 3, seed: 5 })));
    const dropped = new BatchIterator(d, { batchSize: 3, dropLast: true, shuffle: false });
    expect([...dropped.epoch()].length).toBe(2);
    expect(() => new BatchIterator(d, { batchSize: 0 })).toThrow(/batchSize must be a positive integer, got 0/);
  });
});
