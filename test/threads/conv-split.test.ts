/**
 * The tap groups of the direct convolution's filter gradient (filterGradTapGroups: every tap
 * in exactly one group of at most 4, one kernel row's run of 4 or the tails of up to 4 rows)
 * and its split (splitFilterGrad): every (filter, tap) element goes to exactly one argument
 * list, a list stays inside one group of 8 filters and takes whole tap groups (so no pass over
 * dz is added), exactly the lists that start a group's taps carry db, there are at most parts +
 * filter groups − 1 lists, and none holds more than a part's share of the taps plus one tap group.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filterGradTapGroupCount, filterGradTapGroups } from '../../src/backend/tap-groups.js';
import { splitFilterGrad } from '../../src/threads/split.js';

/** Kernels.conv2dFilterGrad's 17 arguments for kh×kw×c taps and `filters` (pointers 1000…). */
function args(kh: number, kw: number, c: number, filters: number): number[] {
  return [1000, 2, 9, 9, c, kh, kw, 1, 1, 0, 0, 9 - kh + 1, 9 - kw + 1, 2000, filters, 3000, 4000];
}

describe('filterGradTapGroups', () => {
  it('takes runs of 4 taps within each kernel row, then the rows\' tails together, as the kernel does', () => {
    // 5×5×1 (both bench nets' first layers): five runs of 4, then the tails of rows 0–3 and of row 4.
    expect(filterGradTapGroups(5, 5)).toEqual([[0, 1, 2, 3], [5, 6, 7, 8], [10, 11, 12, 13], [15, 16, 17, 18], [20, 21, 22, 23], [4, 9, 14, 19], [24]]);
    expect(filterGradTapGroups(2, 5)).toEqual([[0, 1, 2, 3], [5, 6, 7, 8], [4, 9]]);
    expect(filterGradTapGroups(1, 8)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(filterGradTapGroups(3, 1)).toEqual([[0, 1, 2]]);
    // Tails of 2 taps two rows at a time, tails of 3 one row at a time.
    expect(filterGradTapGroups(3, 6)).toEqual([[0, 1, 2, 3], [6, 7, 8, 9], [12, 13, 14, 15], [4, 5, 10, 11], [16, 17]]);
    expect(filterGradTapGroups(2, 3)).toEqual([[0, 1, 2], [3, 4, 5]]);
  });

  it('puts every tap in exactly one group of 1…4, and counts them as filterGradTapGroupCount does', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 70 }), (kh, run) => {
      const groups = filterGradTapGroups(kh, run);
      expect(groups.length).toBe(filterGradTapGroupCount(kh, run));
      expect(groups.every((g) => g.length >= 1 && g.length <= 4)).toBe(true);
      expect(groups.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: kh * run }, (_, t) => t));
    }));
  });
});

describe('splitFilterGrad', () => {
  const CASES = [[1, 1, 1, 1, 2], [5, 5, 1, 8, 2], [5, 5, 1, 16, 2], [5, 5, 8, 16, 3], [3, 3, 6, 20, 2], [3, 3, 6, 20, 4], [5, 5, 6, 12, 5], [3, 3, 32, 32, 7], [2, 2, 1, 9, 64]];
  it.each(CASES)('%i×%i×%i taps, %i filters, %i parts', (kh, kw, c, filters, parts) => {
    const taps = kh * kw * c;
    const groups = Math.ceil(filters / 8);
    const tapGroups = filterGradTapGroups(kh, kw * c);
    const lists = splitFilterGrad(args(kh, kw, c, filters), parts);
    expect(lists.length).toBeLessThanOrEqual(parts + groups - 1);
    const times = new Int32Array(taps * filters);
    const dbGroups: number[] = [];
    for (const list of lists) {
      const [j0, j1, g0, g1, dw, db] = list.slice(15) as [number, number, number, number, number, number];
      expect(list.slice(0, 15)).toEqual(args(kh, kw, c, filters).slice(0, 15));
      expect([j0 % 8, j1, dw, db]).toEqual([0, Math.min(filters, j0 + 8), 3000, g0 === 0 ? 4000 : 0]);
      expect(0 <= g0 && g0 < g1 && g1 <= tapGroups.length, `tap groups ${g0}…${g1}`).toBe(true);
      if (db) dbGroups.push(j0);
      const listTaps = tapGroups.slice(g0, g1).flat();
      for (const t of listTaps) for (let j = j0; j < j1; j++) times[t * filters + j]!++;
      expect(listTaps.length).toBeLessThanOrEqual(Math.ceil((groups * taps) / parts) + 4);
    }
    expect(times.every((n) => n === 1)).toBe(true);
    expect(dbGroups.sort((a, b) => a - b)).toEqual(Array.from({ length: Math.ceil(filters / 8) }, (_, g) => g * 8));
  });
});
