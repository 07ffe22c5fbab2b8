/**
 * gatherRows on both of its roads (one `set` per wide Float32 row, a loop otherwise): rows
 * land in order at the destination offset, nothing around them is touched.
 */
import { describe, expect, it } from 'vitest';
import { gatherRows } from '../../src/data/gather.js';

describe('gatherRows', () => {
  it.each([1, 7, 63, 64, 784])('copies rows of %i values in the given order, Float32 and plain arrays alike', (width) => {
    const rows = 9;
    const values = Array.from({ length: rows * width }, (_, i) => i + 0.5);
    const order = [4, 0, 8, 4, 2];
    for (const src of [Float32Array.from(values), values]) {
      const dst = new Float32Array(3 + 3 * width + 2).fill(-1);
      gatherRows(src, width, order, 1, 3, dst, 3);
      const expected = [-1, -1, -1, ...[0, 8, 4].flatMap((r) => values.slice(r * width, (r + 1) * width)), -1, -1];
      expect(Array.from(dst)).toEqual(expected);
    }
  });
});
