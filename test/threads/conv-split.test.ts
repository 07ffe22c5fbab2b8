/**
 * The split of the direct convolution's filter gradient (splitFilterGrad): every (filter,
 * tap) element goes to exactly one argument list, a list stays inside one group of 8 filters
 * and starts and ends where the kernel's tap groups do (so no pass over dz is added), exactly
 * the lists that start a group's taps carry db, there are at most parts + filter groups − 1
 * lists, and none holds more than a part's share of the taps plus one tap group.
 */
import { describe, expect, it } from 'vitest';
import { filterGradTapGroups, splitFilterGrad } from '../../src/threads/split.js';

/** Kernels.conv2dFilterGrad's 17 arguments for kh×kw×c taps and `filters` (pointers 1000…). */
function args(kh: number, kw: number, c: number, filters: number): number[] {
  return [1000, 2, 9, 9, c, kh, kw, 1, 1, 0, 0, 9 - kh + 1, 9 - kw + 1, 2000, filters, 3000, 4000];
}

describe('filterGradTapGroups', () => {
  it('takes up to 4 taps at a time within each kernel row, as the kernel does', () => {
    expect(filterGradTapGroups(2, 5)).toEqual([[0, 4], [4, 5], [5, 9], [9, 10]]);
    expect(filterGradTapGroups(1, 8)).toEqual([[0, 4], [4, 8]]);
    expect(filterGradTapGroups(3, 1)).toEqual([[0, 1], [1, 2], [2, 3]]);
  });
});

describe('splitFilterGrad', () => {
  const CASES = [[1, 1, 1, 1, 2], [5, 5, 1, 8, 2], [5, 5, 1, 16, 2], [5, 5, 8, 16, 3], [3, 3, 6, 20, 2], [3, 3, 6, 20, 4], [5, 5, 6, 12, 5], [3, 3, 32, 32, 7], [2, 2, 1, 9, 64]];
  it.each(CASES)('%i×%i×%i taps, %i filters, %i parts', (kh, kw, c, filters, parts) => {
    const taps = kh * kw * c;
    const groups = Math.ceil(filters / 8);
    const bounds = new Set(filterGradTapGroups(kh, kw * c).flat());
    const lists = splitFilterGrad(args(kh, kw, c, filters), parts);
    expect(lists.length).toBeLessThanOrEqual(parts + groups - 1);
    const times = new Int32Array(taps * filters);
    const dbGroups: number[] = [];
    for (const list of lists) {
      const [j0, j1, t0, t1, dw, db] = list.slice(15) as [number, number, number, number, number, number];
      expect(list.slice(0, 15)).toEqual(args(kh, kw, c, filters).slice(0, 15));
      expect([j0 % 8, j1, dw, db]).toEqual([0, Math.min(filters, j0 + 8), 3000, t0 === 0 ? 4000 : 0]);
      if (db) dbGroups.push(j0);
      for (let t = t0; t < t1; t++) for (let j = j0; j < j1; j++) times[t * filters + j]!++;
      expect(bounds.has(t0) && bounds.has(t1), `taps ${t0}…${t1}`).toBe(true);
      expect(t1 - t0).toBeLessThanOrEqual(Math.ceil((groups * taps) / parts) + 4);
    }
    expect(times.every((n) => n === 1)).toBe(true);
    expect(dbGroups.sort((a, b) => a - b)).toEqual(Array.from({ length: Math.ceil(filters / 8) }, (_, g) => g * 8));
  });
});
