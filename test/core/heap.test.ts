import { describe, expect, it } from 'vitest';
import { Heap } from '../../src/wasm/heap.js';

describe('Heap', () => {
  it('hands out 16-byte aligned, non-overlapping persistent blocks and never pointer 0', () => {
    const heap = new Heap();
    const sizes = [1, 3, 16, 17, 100, 4096, 5];
    const blocks = sizes.map((s) => ({ ptr: heap.alloc(s), size: s }));
    for (const b of blocks) {
      expect(b.ptr % 16).toBe(0);
      expect(b.ptr).toBeGreaterThan(0);
    }
    const sorted = [...blocks].sort((a, b) => a.ptr - b.ptr);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.ptr).toBeGreaterThanOrEqual(sorted[i - 1]!.ptr + sorted[i - 1]!.size);
  });

  it('reuses freed space and returns to zero live bytes', () => {
    const heap = new Heap();
    const a = heap.alloc(1000);
    const b = heap.alloc(2000);
    heap.release(a);
    const c = heap.alloc(500);
    expect(c).toBe(a);
    heap.release(b);
    heap.release(c);
    expect(heap.stats()).toMatchObject({ persistentLiveBytes: 0, persistentLiveBlocks: 0 });
    expect(heap.alloc(3000)).toBe(a);
  });

  it('rejects double release and bad sizes with clear errors', () => {
    const heap = new Heap();
    const a = heap.alloc(64);
    heap.release(a);
    expect(() => heap.release(a)).toThrow(`Heap.release: ${a} is not a live allocation`);
    expect(() => heap.alloc(-1)).toThrow('Heap.alloc: bytes must be a non-negative integer, got -1');
    expect(() => heap.alloc(1.5)).toThrow(RangeError);
  });

  it('resets the scratch arena in one call and refuses persistent growth under live scratch', () => {
    const heap = new Heap();
    heap.alloc(64);
    const s1 = heap.scratch(100);
    const s2 = heap.scratch(3);
    expect(s1 % 16).toBe(0);
    expect(s2).toBe(s1 + 112);
    expect(heap.stats().scratchBytes).toBe(128);
    expect(() => heap.alloc(64)).toThrow('scratch memory is in use');
    heap.resetScratch();
    expect(heap.stats().scratchBytes).toBe(0);
    expect(heap.scratch(8)).toBe(s1);
  });

  it('grows the memory and rebuilds views that growth detached', () => {
    const heap = new Heap({ initialBytes: 65536 });
    const before = heap.f32;
    const ptr = heap.alloc(16);
    heap.f32[ptr >> 2] = 42;
    const big = heap.alloc(1 << 20);
    expect(heap.stats().memoryBytes).toBeGreaterThan(65536);
    expect(before.length).toBe(0); // the old view was detached by memory.grow
    expect(heap.f32[ptr >> 2]).toBe(42);
    heap.f32[(big >> 2) + (1 << 18) - 1] = 7;
    expect(heap.floats(big, 1 << 18)[(1 << 18) - 1]).toBe(7);
  });

  it('refuses to grow past the maximum with the sizes in the message', () => {
    const heap = new Heap({ initialBytes: 65536, maximumBytes: 131072 });
    expect(() => heap.alloc(200000)).toThrow(/needs \d+ bytes but the memory may grow to 131072 bytes at most/);
  });
});
