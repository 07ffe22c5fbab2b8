/**
 * predict scans its samples for NaN and ±Infinity in the heap, after staging them, rather
 * than in JavaScript first: the error still names the first bad row and column, in any
 * block of a multi-block input, for every input form (a number beyond float32's range
 * becomes Infinity, as before), and no output is written when it throws. Repeated calls
 * keep the heap where the first call left it.
 */
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/network.js';
import { seeded } from '../threads/rig.js';

const ENGINES = [
  { name: 'wasm simd', options: { build: 'simd' as const, threads: 1 } },
  { name: 'wasm scalar', options: { build: 'scalar' as const, threads: 1 } },
  { name: 'js', options: { backend: 'js' as const } },
];

describe.each(ENGINES)('predict on $name', ({ options }) => {
  const net = Network.mlp([6, 5, 3], { seed: 2, ...options });

  it('names the first bad value of a multi-block input and writes no output', () => {
    // 2,500 rows: three inference blocks of at most 1,024.
    const rows = 2500;
    for (const [row, col] of [[0, 0], [1023, 5], [1024, 0], [2100, 3], [2499, 5]] as const) {
      for (const bad of [NaN, Infinity, -Infinity]) {
        const x = seeded(rows * 6, row);
        x[row * 6 + col] = bad;
        x[(rows - 1) * 6 + 5] = row === rows - 1 ? bad : NaN; // a later bad value is not the one named
        const into = new Float32Array(rows * 3).fill(7);
        expect(() => net.predict({ data: x, rows, cols: 6 }, { into })).toThrow(`predict: x: non-finite value ${bad} at row ${row}, column ${col}`);
        expect(into.every((v) => v === 7), `into written before the error (${bad} at ${row}, ${col})`).toBe(true);
      }
    }
  });

  it('scans converted inputs: nested rows, the columns layout, numbers beyond float32', () => {
    expect(() => net.predict([[1, 2, 3, 4, 5, 6], [1, 2, 3, 1e39, 5, 6]])).toThrow('predict: x: non-finite value Infinity at row 1, column 3');
    const columns = { data: [1, 2, 3, 4, 5, 6, 7, NaN, 9, 10, 11, 12], rows: 6, cols: 2 };
    expect(() => net.predict(columns, { layout: 'columns' })).toThrow('predict: x: non-finite value NaN at row 1, column 3');
    expect(() => net.classify([[1, 2, 3, 4, 5, -Infinity]])).toThrow('classify: x: non-finite value -Infinity at row 0, column 5');
  });

  it('keeps the heap where the first call left it over 100,000 calls', () => {
    const x = seeded(4 * 6, 1);
    const input = { data: x, rows: 4, cols: 6 };
    const first = net.predict(input);
    const used = net.engine.heap.usedBytes;
    let last = first;
    for (let i = 0; i < 100_000; i++) last = net.predict(input);
    expect(net.engine.heap.usedBytes).toBe(used);
    expect(Array.from(last)).toEqual(Array.from(first));
  });
});
