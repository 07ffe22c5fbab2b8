/** Issue 15: the heap measures byte counts past 2^31 exactly and refuses them by name. */
import { describe, expect, it } from 'vitest';
import { Heap, MAX_HEAP_BYTES, alignUp, blockBytes } from '../../src/wasm/heap.js';

describe('heap sizes past 2^31 bytes', () => {
  it('aligns without wrapping', () => {
    expect(alignUp(2 ** 31 + 1)).toBe(2 ** 31 + 16);
    expect(alignUp(40_000_000_001)).toBe(40_000_000_016);
    expect(blockBytes(0)).toBe(16);
    expect(blockBytes(17)).toBe(32);
  });

  it('refuses a request beyond the maximum with the bytes needed, leaving nothing allocated', () => {
    const heap = new Heap({ maximumBytes: 1 << 20 });
    const before = heap.stats();
    for (const bytes of [2 ** 31, 40_000_000_000, 2 ** 32 + 16]) {
      expect(() => heap.alloc(bytes)).toThrow(RangeError);
      expect(() => heap.alloc(bytes)).toThrow(`Heap: needs ${64 + alignUp(bytes)} bytes but the memory may grow to 1048576 bytes at most (raise heap.maximumBytes, up to 2147483648)`);
    }
    expect(() => heap.scratch(2 ** 33)).toThrow(`Heap: needs ${64 + 2 ** 33} bytes`);
    expect(heap.stats()).toEqual(before);
  });

  it('refuses sizes that are not safe integers', () => {
    const heap = new Heap();
    expect(() => heap.alloc(2 ** 53)).toThrow(`Heap.alloc: bytes must be a non-negative integer, got ${2 ** 53}`);
    expect(() => heap.scratch(-1)).toThrow('Heap.scratch: bytes must be a non-negative integer, got -1');
  });

  it('says at full size that no heap holds more', () => {
    const heap = new Heap();
    expect(heap.maxBytes).toBe(MAX_HEAP_BYTES);
    expect(() => heap.alloc(MAX_HEAP_BYTES)).toThrow(/at most \(the most any heap may hold\)$/);
  });

  it('names the option a caller chose for raising the limit, and checks the maximum', () => {
    const heap = new Heap({ maximumBytes: 131072, limitOption: 'maxMemoryBytes' });
    expect(() => heap.alloc(200000)).toThrow('at most (raise maxMemoryBytes, up to 2147483648)');
    expect(() => new Heap({ maximumBytes: 2 ** 32 })).toThrow('Heap: heap.maximumBytes must be an integer from 65,536 to 2,147,483,648 bytes, got 4294967296');
    expect(() => new Heap({ maximumBytes: 1000 })).toThrow(RangeError);
  });

  it('starts below 1 MiB when the maximum is smaller', () => {
    expect(new Heap({ maximumBytes: 65536 }).stats().memoryBytes).toBe(65536);
  });
});
