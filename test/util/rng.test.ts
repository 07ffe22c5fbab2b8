import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/util/rng.js';

const draws = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.next());

describe('Rng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    expect(draws(new Rng(7), 20)).toEqual(draws(new Rng(7), 20));
    expect(draws(new Rng(7), 20)).not.toEqual(draws(new Rng(8), 20));
    expect(draws(new Rng(0), 5)).not.toEqual(draws(new Rng(2 ** 32), 5));
    expect(draws(new Rng(-1), 5)).not.toEqual(draws(new Rng(1), 5));
  });

  it('next() stays in [0, 1) with a uniform-looking mean and spread', () => {
    const xs = draws(new Rng(1), 100_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(mean).toBeCloseTo(0.5, 2);
    expect(variance).toBeCloseTo(1 / 12, 2);
  });

  it('normal() has the requested mean and standard deviation', () => {
    const rng = new Rng(3);
    const xs = Array.from({ length: 100_000 }, () => rng.normal(2, 3));
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(2, 1);
    expect(std).toBeCloseTo(3, 1);
    expect(xs.every(Number.isFinite)).toBe(true);
  });

  it('int(n) covers 0..n−1 evenly and rejects bad n', () => {
    const rng = new Rng(4);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(6)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    expect(rng.int(1)).toBe(0);
    expect(rng.int(2 ** 32)).toBeLessThan(2 ** 32);
    expect(() => rng.int(0)).toThrow(/n must be an integer in \[1, 2\^32\], got 0/);
    expect(() => rng.int(2.5)).toThrow(RangeError);
  });

  it('shuffle() permutes typed and plain arrays in place, reproducibly', () => {
    const a = new Rng(5).shuffle(Uint32Array.from({ length: 100 }, (_, i) => i));
    const b = new Rng(5).shuffle(Array.from({ length: 100 }, (_, i) => i));
    expect([...a]).toEqual(b);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...a]).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(new Rng(5).shuffle([])).toEqual([]);
  });

  it('every position is equally likely after a shuffle', () => {
    const rng = new Rng(6);
    const firstCounts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) firstCounts[rng.shuffle([0, 1, 2, 3])[0]!]!++;
    for (const c of firstCounts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });

  it('permutation(n) and fork() are deterministic', () => {
    expect([...new Rng(9).permutation(10)]).toEqual([...new Rng(9).permutation(10)]);
    const parent = new Rng(9);
    const child = parent.fork();
    expect(draws(child, 3)).toEqual(draws(new Rng(9).fork(), 3));
    expect(draws(child, 3)).not.toEqual(draws(parent, 3));
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => new Rng(1.5)).toThrow(/seed must be a safe integer, got 1.5/);
    expect(() => new Rng(NaN)).toThrow(TypeError);
  });
});
