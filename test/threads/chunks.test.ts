/**
 * How many chunks a split call gets (chunkCount): nothing below two chunks' worth of work, the
 * plain count up to one chunk per thread, and above that a multiple of the thread count (equal
 * chunks then end together) within the cap.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkCount } from '../../src/threads/kernels.js';

describe('chunkCount', () => {
  it.each([
    // work, perChunk, threads, max → chunks
    [100, 64, 2, 8, 1],
    [128, 64, 2, 8, 2],
    [7 * 64, 64, 2, 8, 8], // the tutorial net's first convolution: 7 → 8 on 2 threads
    [6 * 64, 64, 2, 8, 6],
    [3 * 64, 64, 2, 8, 4],
    [100 * 64, 64, 2, 8, 8],
    [2 * 64, 64, 3, 12, 2], // fewer chunks than threads stay as they are
    [5 * 64, 64, 3, 12, 6],
    [11 * 64, 64, 3, 11, 9], // the cap rounded down to a multiple of 3
    [5 * 64, 64, 2, 3, 2], // a GEMM allowed one extra chunk on 2 threads gets none
  ])('%i units of %i on %i threads, at most %i: %i chunks', (work, perChunk, threads, max, chunks) => {
    expect(chunkCount(work, perChunk, threads, max)).toBe(chunks);
  });

  it('never exceeds the cap, splits only what is worth two chunks, and rounds to whole rounds of threads', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 1e7 }), fc.integer({ min: 1, max: 1e5 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 0, max: 64 }),
      (work, perChunk, threads, extra) => {
        const max = threads + extra;
        const plain = Math.min(max, Math.floor(work / perChunk));
        const chunks = chunkCount(work, perChunk, threads, max);
        expect(chunks).toBeLessThanOrEqual(max);
        if (plain <= threads) expect(chunks).toBe(plain);
        else {
          expect(chunks % threads).toBe(0);
          expect(chunks).toBeGreaterThanOrEqual(threads);
          expect(chunks).toBeGreaterThan(plain - threads);
        }
      },
    ));
  });
});
