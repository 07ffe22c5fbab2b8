/**
 * A shared heap with single-threaded kernels, the reference kernels, and threaded kernels
 * for any thread count over the same memory — with split thresholds at their minimum, so
 * even the small shapes of the kernel tables are split across threads.
 */
import { afterAll, afterEach } from 'vitest';
import { Heap } from '../../src/wasm/heap.js';
import { bindWasm } from '../../src/backend/wasm.js';
import { referenceKernels } from '../../src/backend/reference/index.js';
import type { Kernels } from '../../src/backend/kernels.js';
import type { WasmBuild } from '../../src/wasm/loader.js';
import type { ThreadPool } from '../../src/threads/pool.js';
import { threadedKernels } from '../../src/threads/kernels.js';
import { attachPool } from '../../src/threads/attach.js';

/** Split every call that has at least two tiles or 32 elements. */
export const ALWAYS_SPLIT = { gemmFlopsPerChunk: 1, elementsPerChunk: 16 };

/** One shared heap and the kernels computing over it. */
export interface ThreadRig {
  heap: Heap;
  ref: Kernels;
  single: Kernels;
  /** Threaded kernels with `threads` threads (built once per count, pools closed after all). */
  threaded(threads: number): Kernels;
  pool(threads: number): ThreadPool;
  /** A workspace for the single-threaded GEMM. */
  work: number;
}

export function makeThreadRig(build: WasmBuild = 'simd'): ThreadRig {
  const heap = new Heap({ shared: true, initialBytes: 32 << 20 });
  const { kernels: single, exports } = bindWasm(heap.memory, build);
  const work = heap.alloc(single.gemmWorkspaceBytes());
  const byCount = new Map<number, { pool: ThreadPool; kernels: Kernels }>();
  const get = (threads: number) => {
    let entry = byCount.get(threads);
    if (!entry) {
      const pool = attachPool(heap, build, threads, exports, single.gemmWorkspaceBytes());
      entry = { pool, kernels: threadedKernels(single, pool, ALWAYS_SPLIT) };
      byCount.set(threads, entry);
    }
    return entry;
  };
  afterAll(() => byCount.forEach((e) => e.pool.close()));
  return { heap, ref: referenceKernels(heap), single, threaded: (t) => get(t).kernels, pool: (t) => get(t).pool, work };
}

/** Deterministic values in [-1, 1). */
export function seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Index of the first element where `a` and `b` differ bit for bit (NaN equals NaN), or -1. */
export function firstDifference(a: Float32Array, b: Float32Array): number {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return a.length === b.length ? -1 : Math.min(a.length, b.length);
}

/**
 * Buffers in `rig`'s heap for one test file: `put(n, values?)` allocates n floats (with room to
 * spare) filled with `values` or NaN, `read` copies n floats out; all are released after each test.
 */
export function testBuffers(rig: ThreadRig): { put: (n: number, values?: Float32Array) => number; read: (ptr: number, n: number) => Float32Array } {
  const live: number[] = [];
  afterEach(() => {
    while (live.length) rig.heap.release(live.pop()!);
  });
  return {
    put(n, values) {
      const ptr = rig.heap.alloc(n * 4 + 64);
      live.push(ptr);
      rig.heap.f32.fill(NaN, ptr >> 2, (ptr >> 2) + n + 16);
      if (values) rig.heap.f32.set(values, ptr >> 2);
      return ptr;
    },
    read: (ptr, n) => rig.heap.f32.slice(ptr >> 2, (ptr >> 2) + n),
  };
}
