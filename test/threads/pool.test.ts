/**
 * The pool itself: jobs run by the workers alone, a chunk failing on a worker (the error
 * reaches the caller and the pool keeps working), jobs that always find their threads asleep,
 * a closed pool, and the thread-count option.
 */
import { describe, expect, it } from 'vitest';
import { makeThreadRig, seeded } from './rig.js';
import { createEngine } from '../../src/engine.js';
import { bindWasm } from '../../src/backend/wasm.js';
import { attachPool } from '../../src/threads/attach.js';
import { planThreads, MAX_THREADS } from '../../src/threads/support.js';

const rig = makeThreadRig();

async function workersReady(threads: number): Promise<void> {
  const pool = rig.pool(threads);
  pool.run(pool.fnIndex('f32_vadd'), [[64, 64, 64, 0]]);
  const deadline = Date.now() + 30_000;
  while (pool.readyWorkers < threads - 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(pool.readyWorkers).toBe(threads - 1);
}

describe('thread pool', () => {
  it('runs a job on the workers alone (the caller only waits)', async () => {
    await workersReady(3);
    const pool = rig.pool(3);
    const n = 1000;
    const x = rig.heap.alloc(n * 4), y = rig.heap.alloc(n * 4), out = rig.heap.alloc(n * 4);
    rig.heap.f32.set(seeded(n, 1), x >> 2);
    rig.heap.f32.set(seeded(n, 2), y >> 2);
    const chunks = [0, 1, 2, 3].map((c) => [x + c * 1000, y + c * 1000, out + c * 1000, 250]);
    pool.run(pool.fnIndex('f32_vadd'), chunks, { callerJoins: false });
    const f = rig.heap.f32;
    for (let i = 0; i < n; i++) expect(f[(out >> 2) + i]).toBe(Math.fround(f[(x >> 2) + i]! + f[(y >> 2) + i]!));
  });

  it('reports a chunk that fails on a worker to the caller, then keeps working', async () => {
    await workersReady(2);
    const pool = rig.pool(2);
    const vadd = pool.fnIndex('f32_vadd');
    const ok = rig.heap.alloc(256);
    const outside = rig.heap.memory.buffer.byteLength + 4096;
    // Only workers run chunks here, so the out-of-bounds trap happens on a worker thread.
    expect(() => pool.run(vadd, [[ok, ok, ok, 16], [outside, outside, outside, 64]], { callerJoins: false }))
      .toThrow(/^simdnet: kernel f32_vadd failed on a pool thread: RuntimeError: memory access out of bounds$/);
    expect(() => pool.run(99, [[0]], { callerJoins: false })).toThrow(/failed on a pool thread: Error: simdnet: no kernel #99 in this worker/);
    rig.heap.f32.fill(2, ok >> 2, (ok >> 2) + 16);
    pool.run(vadd, [[ok, ok, ok, 8], [ok + 32, ok + 32, ok + 32, 8]], { callerJoins: false });
    expect(Array.from(rig.heap.floats(ok, 16))).toEqual(new Array(16).fill(4));
  });

  it('without polling (spinMs 0) every job wakes sleeping threads, and results are the same', async () => {
    const { kernels, exports } = bindWasm(rig.heap.memory, 'simd');
    const pool = attachPool(rig.heap, 'simd', 3, exports, kernels.gemmWorkspaceBytes(), 0);
    const n = 4096;
    const x = rig.heap.alloc(n * 4), out = rig.heap.alloc(n * 4);
    rig.heap.f32.set(seeded(n, 3), x >> 2);
    const vadd = pool.fnIndex('f32_vadd');
    for (let job = 0; job < 20; job++) {
      rig.heap.f32.fill(0, out >> 2, (out >> 2) + n);
      const chunks = [0, 1, 2, 3].map((c) => [x + c * n, x + c * n, out + c * n, n / 4]);
      pool.run(vadd, chunks, { callerJoins: job % 2 === 0 });
      for (let i = 0; i < n; i++) expect(rig.heap.f32[(out >> 2) + i]).toBe(Math.fround(2 * rig.heap.f32[(x >> 2) + i]!));
      // Let the workers (and the caller, next time) fall asleep between jobs.
      if (job % 5 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    pool.close();
    expect(() => attachPool(rig.heap, 'simd', 2, exports, kernels.gemmWorkspaceBytes(), -1)).toThrow(/^ThreadPool: spinMs must be ≥ 0, got -1$/);
  });

  it('refuses jobs once closed, and an engine closed early computes on its own thread', () => {
    const engine = createEngine({ threads: 2 });
    const a = engine.heap.alloc(256 * 256 * 4);
    const c = engine.heap.alloc(256 * 256 * 4);
    engine.close();
    engine.close();
    engine.kernels.gemm(false, false, 256, 256, 256, 1, a, 256, a, 256, 0, c, 256, 0, 0, 0, engine.gemmWork);
    const pool = rig.pool(4);
    pool.close();
    expect(pool.isClosed).toBe(true);
    expect(() => pool.run(0, [[0]])).toThrow(/^simdnet: the thread pool is closed$/);
  });
});

describe('threads option', () => {
  it('defaults to the available cores and accepts 1 … MAX_THREADS', () => {
    expect(planThreads(undefined).requested).toBeGreaterThanOrEqual(1);
    expect(planThreads(1)).toEqual({ requested: 1, count: 1 });
    expect(planThreads(3).count).toBe(3);
  });

  it.each([0, -1, 1.5, MAX_THREADS + 1, Number.NaN])('rejects %s with a message naming the option', (threads) => {
    expect(() => createEngine({ threads })).toThrow(new RangeError(`createEngine: threads must be an integer in 1…${MAX_THREADS}, got ${threads}`));
  });

  it('threads: 1 keeps an ordinary (unshared) memory; more threads share it', () => {
    expect(createEngine({ threads: 1 }).heap.shared).toBe(false);
    expect(createEngine({ threads: 1 }).heap.memory.buffer).toBeInstanceOf(ArrayBuffer);
    const engine = createEngine({ threads: 2 });
    expect(engine.heap.shared).toBe(true);
    expect(engine.threads).toEqual({ requested: 2, count: 2 });
    engine.close();
  });

  it('the js backend runs on one thread and says so', () => {
    expect(createEngine({ backend: 'js', threads: 4 }).threads).toEqual({ requested: 4, count: 1, reason: 'the js backend runs on one thread' });
  });

  it('a shared heap cannot grow past its fixed maximum: the error names both sizes', () => {
    const engine = createEngine({ threads: 2, heap: { maximumBytes: 4 << 20 } });
    expect(() => engine.heap.alloc(8 << 20)).toThrow(
      /^Heap: needs \d+ bytes but the memory may grow to 4194304 bytes at most \(a shared memory for threads cannot grow past the maximum fixed at creation: raise heap.maximumBytes or use threads: 1\)$/,
    );
    engine.close();
  });
});
