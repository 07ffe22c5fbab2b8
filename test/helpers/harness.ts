/**
 * Shared kernel-test harness: one heap, the reference kernels and every WASM build over it,
 * buffers with guard zones, and tolerant comparison.
 */
import { Heap } from '../../src/wasm/heap.js';
import { referenceKernels } from '../../src/backend/reference/index.js';
import { wasmKernels } from '../../src/backend/wasm.js';
import type { Kernels } from '../../src/backend/kernels.js';
import { expect } from 'vitest';

/** Value written after every buffer; a kernel that overruns changes it. */
export const GUARD = 12345.678;
const GUARD_FLOATS = 8;

/** A heap with the reference kernels and each WASM build bound to it. */
export interface Rig {
  heap: Heap;
  ref: Kernels;
  builds: Kernels[];
  /** Allocate `n` floats plus a guard zone, filled from `values` (or NaN). */
  buffer(n: number, values?: ArrayLike<number>): number;
  /** Copy `n` floats out of the heap. */
  read(ptr: number, n: number): Float32Array;
  /** Write `values` at `ptr`. */
  write(ptr: number, values: ArrayLike<number>): void;
  /** Fill `n` floats at `ptr` with NaN (so a kernel that skips an element is caught). */
  poison(ptr: number, n: number): void;
  /** Assert the guard zone after the buffer at `ptr` of `n` floats is intact. */
  expectGuard(ptr: number, n: number, what: string): void;
  /** Release every buffer allocated so far. */
  releaseAll(): void;
}

/** Build a rig; `builds` defaults to both WASM builds. */
export function makeRig(): Rig {
  const heap = new Heap({ initialBytes: 4 << 20 });
  const ptrs: number[] = [];
  const rig: Rig = {
    heap,
    ref: referenceKernels(heap),
    builds: [wasmKernels(heap.memory, 'simd'), wasmKernels(heap.memory, 'scalar')],
    buffer(n, values) {
      const ptr = heap.alloc((n + GUARD_FLOATS) * 4);
      ptrs.push(ptr);
      const f = heap.f32;
      const base = ptr >> 2;
      if (values) for (let i = 0; i < n; i++) f[base + i] = values[i]!;
      else f.fill(NaN, base, base + n);
      f.fill(GUARD, base + n, base + n + GUARD_FLOATS);
      return ptr;
    },
    read: (ptr, n) => heap.f32.slice(ptr >> 2, (ptr >> 2) + n),
    write: (ptr, values) => heap.f32.set(values, ptr >> 2),
    poison: (ptr, n) => void heap.f32.fill(NaN, ptr >> 2, (ptr >> 2) + n),
    expectGuard(ptr, n, what) {
      const g = heap.f32.subarray((ptr >> 2) + n, (ptr >> 2) + n + GUARD_FLOATS);
      for (let i = 0; i < GUARD_FLOATS; i++) {
        if (g[i] !== Math.fround(GUARD)) throw new Error(`${what}: wrote past the end of its ${n}-float output`);
      }
    },
    releaseAll() {
      for (const p of ptrs.splice(0)) heap.release(p);
    },
  };
  return rig;
}

/** Deterministic uniform values in [lo, hi) (mulberry32). */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

/**
 * Assert |actual − expected| ≤ atol + rtol·|expected| elementwise, with a message naming the
 * first bad index. NaN matches NaN only when `expected` is NaN.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`${what}: element ${i} is ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
    }
  }
}
