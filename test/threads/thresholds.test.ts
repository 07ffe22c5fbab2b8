/**
 * The `splitThresholds` engine option: a call below the threshold never starts the pool's
 * workers, the same call above a lowered threshold does (and gives the same bits), and bad
 * values are refused naming the option.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine.js';
import { Network } from '../../src/network.js';
import { poolStats } from '../../src/threads/pool.js';
import { seeded } from './rig.js';

/** `add` of n elements on a fresh 2-thread engine; returns the result and whether a pool started its workers. */
function addOn(options: Parameters<typeof createEngine>[0], n: number): { out: Float32Array; started: boolean } {
  const engine = createEngine({ threads: 2, ...options });
  try {
    const x = engine.heap.alloc(n * 4), y = engine.heap.alloc(n * 4), out = engine.heap.alloc(n * 4);
    engine.heap.f32.set(seeded(n, 1), x >> 2);
    engine.heap.f32.set(seeded(n, 2), y >> 2);
    const before = poolStats().pools;
    engine.kernels.add(x, y, out, n);
    return { out: engine.heap.floats(out, n).slice(), started: poolStats().pools > before };
  } finally {
    engine.close();
  }
}

describe('splitThresholds', () => {
  it('a lowered elementsPerChunk splits a call the default leaves on one thread, with the same result', () => {
    const n = 4096;
    const plain = addOn({}, n);
    expect(plain.started).toBe(false);
    const split = addOn({ splitThresholds: { elementsPerChunk: 1024 } }, n);
    expect(split.started).toBe(true);
    expect(split.out).toEqual(plain.out);
    // GEMM threshold alone: the elementwise default still applies.
    expect(addOn({ splitThresholds: { gemmFlopsPerChunk: 1 } }, n).started).toBe(false);
  });

  it('reaches the engine from the network options', () => {
    const net = Network.mlp([2, 3, 1], { threads: 2, splitThresholds: { elementsPerChunk: 1024 } });
    try {
      const n = 4096;
      const x = net.engine.heap.alloc(n * 4);
      net.engine.heap.f32.fill(1, x >> 2, (x >> 2) + n);
      const before = poolStats().pools;
      net.engine.kernels.add(x, x, x, n);
      expect(poolStats().pools).toBe(before + 1);
    } finally {
      net.engine.close();
    }
    expect(() => Network.mlp([2, 1], { splitThresholds: { gemmFlopsPerChunk: -1 } }))
      .toThrow(new RangeError('createEngine: splitThresholds.gemmFlopsPerChunk must be a positive integer, got -1'));
  });

  it.each([
    [{ elementsPerChunk: 0 }, new RangeError('createEngine: splitThresholds.elementsPerChunk must be a positive integer, got 0')],
    [{ gemmFlopsPerChunk: 1.5 }, new RangeError('createEngine: splitThresholds.gemmFlopsPerChunk must be a positive integer, got 1.5')],
    [{ elementsPerChunks: 8 }, new TypeError('createEngine: splitThresholds: unknown option "elementsPerChunks"; did you mean "elementsPerChunk"?')],
    [8, new TypeError('createEngine: splitThresholds must be an object, got 8')],
  ])('refuses %j', (splitThresholds, error) => {
    expect(() => createEngine({ threads: 1, splitThresholds: splitThresholds as object })).toThrow(error);
  });
});
