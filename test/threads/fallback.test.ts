/**
 * Where threads are impossible (no cross-origin isolation, a browser main thread, no
 * SharedArrayBuffer) everything runs on one thread, silently, and says why: in the engine,
 * in the network, and in `simdnet info`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { overrideThreadSupport, threadSupport } from '../../src/threads/support.js';
import { createEngine } from '../../src/engine.js';
import { Network, makeMoons } from '../../src/index.js';
import { collectInfo } from '../../src/cli/info.js';

afterEach(() => overrideThreadSupport(undefined));

const NOT_ISOLATED = 'the page is not cross-origin isolated (serve it with COOP: same-origin and COEP: require-corp)';

describe('thread support detection', () => {
  it('Node: available', () => {
    expect(threadSupport()).toEqual({ available: true });
  });

  it('a page without cross-origin isolation: unavailable, says why', () => {
    expect(threadSupport({ crossOriginIsolated: false, window: {}, document: {}, Worker: class {} })).toEqual({ available: false, reason: NOT_ISOLATED });
  });

  it('an isolated page\'s main thread: unavailable (it may not block in Atomics.wait)', () => {
    expect(threadSupport({ crossOriginIsolated: true, window: {}, document: {}, Worker: class {} })).toEqual({
      available: false, reason: 'a browser main thread may not block in Atomics.wait (train in a worker to use threads)',
    });
  });

  it('a worker in an isolated page: available', () => {
    expect(threadSupport({ crossOriginIsolated: true, Worker: class {} })).toEqual({ available: true });
  });
});

describe('fallback to one thread', () => {
  it('an engine asked for threads gets one, an unshared memory and the reason', () => {
    overrideThreadSupport({ available: false, reason: NOT_ISOLATED });
    const engine = createEngine({ threads: 4 });
    expect(engine.threads).toEqual({ requested: 4, count: 1, reason: NOT_ISOLATED });
    expect(engine.heap.shared).toBe(false);
    expect(engine.heap.memory.buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('a network trains as usual and reports the fallback; the weights equal a threads: 1 network\'s', async () => {
    const moons = makeMoons(200, 0.1, 1);
    const one = Network.mlp([2, 16, 1], { threads: 1 });
    await one.fit(moons, { epochs: 5, batchSize: 32 });
    overrideThreadSupport({ available: false, reason: NOT_ISOLATED });
    const net = Network.mlp([2, 16, 1], { threads: 2 });
    expect(net.engine.threads.reason).toBe(NOT_ISOLATED);
    await net.fit(moons, { epochs: 5, batchSize: 32 });
    expect(net.getWeights()).toEqual(one.getWeights());
  });

  it('simdnet info reports threads in use, or why there is only one', () => {
    const normal = collectInfo();
    expect(normal.threads).toBe(normal.cores);
    expect(normal.threadsUnavailable).toBeNull();
    overrideThreadSupport({ available: false, reason: NOT_ISOLATED });
    const fallback = collectInfo();
    expect(fallback.threads).toBe(1);
    expect(fallback.threadsUnavailable).toBe(NOT_ISOLATED);
  });
});
