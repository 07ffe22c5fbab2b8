/**
 * The split of the direct convolution's filter gradient (splitFilterGrad): every (filter,
 * tap) element goes to exactly one argument list, a list stays inside one group of 8 filters,
 * exactly the lists that start a group's taps carry db, and each list lies inside one of
 * splitRange's even runs of (filter group, tap) units — so the parts' work differs by one
 * tap at most, whatever the filter count, taps and parts.
 */
import { describe, expect, it } from 'vitest';
import { splitFilterGrad, splitRange } from '../../src/threads/split.js';

/** Kernels.conv2dFilterGrad's 17 arguments for kh×kw×c taps and `filters` (pointers 1000…). */
function args(kh: number, kw: number, c: number, filters: number): number[] {
  return [1000, 2, 9, 9, c, kh, kw, 1, 1, 0, 0, 9 - kh + 1, 9 - kw + 1, 2000, filters, 3000, 4000];
}

describe('splitFilterGrad', () => {
  const CASES = [[1, 1, 1, 1, 2], [5, 5, 1, 8, 2], [5, 5, 1, 16, 2], [5, 5, 8, 16, 3], [3, 3, 6, 20, 2], [3, 3, 6, 20, 4], [5, 5, 6, 12, 5], [3, 3, 32, 32, 7], [2, 2, 1, 9, 64]];
  it.each(CASES)('%i×%i×%i taps, %i filters, %i parts', (kh, kw, c, filters, parts) => {
    const taps = kh * kw * c;
    const runs = splitRange(Math.ceil(filters / 8) * taps, parts, 1);
    const lists = splitFilterGrad(args(kh, kw, c, filters), parts);
    const times = new Int32Array(taps * filters);
    const dbGroups: number[] = [];
    for (const list of lists) {
      const [j0, j1, t0, t1, dw, db] = list.slice(15) as [number, number, number, number, number, number];
      expect(list.slice(0, 15)).toEqual(args(kh, kw, c, filters).slice(0, 15));
      expect([j0 % 8, j1, dw, db]).toEqual([0, Math.min(filters, j0 + 8), 3000, t0 === 0 ? 4000 : 0]);
      if (db) dbGroups.push(j0);
      for (let t = t0; t < t1; t++) for (let j = j0; j < j1; j++) times[t * filters + j]!++;
      const [first, end] = [(j0 / 8) * taps + t0, (j0 / 8) * taps + t1];
      expect(runs.some(([start, length]) => first >= start && end <= start + length), `units ${first}…${end}`).toBe(true);
    }
    expect(times.every((n) => n === 1)).toBe(true);
    expect(dbGroups.sort((a, b) => a - b)).toEqual(Array.from({ length: Math.ceil(filters / 8) }, (_, g) => g * 8));
  });
});
