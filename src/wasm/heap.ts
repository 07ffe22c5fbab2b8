/**
 * One WebAssembly.Memory and the allocator that carves it up.
 *
 * Layout: byte 0..RESERVED is never handed out (so pointer 0 can mean "none"); then the
 * persistent region, a first-fit free list for weights, gradients, optimizer state and
 * per-batch-size buffers; then a scratch arena above the persistent top, handed out by a
 * bump pointer and released all at once by {@link Heap.resetScratch}.
 *
 * Growing the memory detaches every Float32Array over the old buffer, so views are never
 * cached by callers: {@link Heap.f32} re-creates its view whenever the buffer changed.
 */

const PAGE_BYTES = 65536;
const ALIGN = 16;
const RESERVED = 64;
const DEFAULT_INITIAL_PAGES = (1 << 20) / PAGE_BYTES;

/**
 * The most a heap may hold: 2 GiB. WebAssembly (wasm32) could address 4 GiB, but pointers are
 * turned into typed-array indices with `>> 2` throughout, which needs them below 2^31.
 */
export const MAX_HEAP_BYTES = 2 ** 31;

/**
 * Round `bytes` up to the heap alignment. Plain arithmetic, exact for any safe integer: byte
 * counts past 2^31 must not wrap (a bitwise mask would).
 */
export function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

/** Bytes the heap hands out for a request of `bytes`: aligned, at least one 16-byte unit. */
export function blockBytes(bytes: number): number {
  return alignUp(Math.max(bytes, ALIGN));
}

/** `n` with thousands separators, for byte counts in error messages. */
export function formatBytes(n: number): string {
  return n.toLocaleString('en-US');
}

/** Byte counts describing what the heap holds now. */
export interface HeapStats {
  /** Bytes in live persistent allocations. */
  persistentLiveBytes: number;
  /** Number of live persistent allocations. */
  persistentLiveBlocks: number;
  /** Bytes currently handed out from the scratch arena. */
  scratchBytes: number;
  /** Size of the linear memory in bytes. */
  memoryBytes: number;
}

/** Options for {@link Heap}. */
export interface HeapOptions {
  /** Initial size of the memory in bytes (rounded up to 64 KiB pages). Default 1 MiB. */
  initialBytes?: number;
  /**
   * Largest size the memory may grow to, in bytes. Default 2 GiB, or
   * {@link DEFAULT_SHARED_MAXIMUM_BYTES} for a shared memory, whose maximum is reserved up
   * front and can never be raised later.
   */
  maximumBytes?: number;
  /** Create a shared memory (SharedArrayBuffer), as the worker threads need. Default false. */
  shared?: boolean;
  /**
   * The setting a user raises to give the heap more room, as named in the "memory may grow to"
   * error; default `'heap.maximumBytes'` (the engine option). A network names its own option.
   */
  limitOption?: string;
}

/** Default maximum of a shared heap: 1 GiB (address space reserved at creation). */
export const DEFAULT_SHARED_MAXIMUM_BYTES = 2 ** 30;

/**
 * Shared heaps only: an ordinary memory as large as the heap's, never touched (so it costs
 * address space, not RSS), alive exactly as long as the heap. V8 counts ordinary memories, not
 * shared ones, towards its collection trigger; without this weight, networks dropped in a loop
 * are collected so late that their heaps pile up (issue 15).
 */
const gcWeights = new WeakMap<Heap, WebAssembly.Memory>();

interface FreeRange {
  ptr: number;
  bytes: number;
}

/** Owner of one linear memory: persistent allocations plus a per-batch scratch arena. */
export class Heap {
  /** The memory the WASM kernels import. */
  readonly memory: WebAssembly.Memory;
  /** True when {@link Heap.memory} is shared with worker threads (its maximum is fixed). */
  readonly shared: boolean;
  private readonly maxPages: number;
  private readonly limitOption: string;
  private free: FreeRange[] = [];
  private readonly live = new Map<number, number>();
  private liveBytes = 0;
  private persistentTop = RESERVED;
  private scratchTop = RESERVED;
  private view: Float32Array;
  private intView: Int32Array;

  constructor(options: HeapOptions = {}) {
    this.shared = options.shared === true;
    this.limitOption = options.limitOption ?? 'heap.maximumBytes';
    const maximum = options.maximumBytes ?? (this.shared ? DEFAULT_SHARED_MAXIMUM_BYTES : MAX_HEAP_BYTES);
    if (!Number.isSafeInteger(maximum) || maximum < PAGE_BYTES || maximum > MAX_HEAP_BYTES) {
      throw new RangeError(
        `Heap: ${this.limitOption} must be an integer from ${formatBytes(PAGE_BYTES)} to ${formatBytes(MAX_HEAP_BYTES)} bytes, got ${String(options.maximumBytes)}`,
      );
    }
    this.maxPages = Math.floor(maximum / PAGE_BYTES);
    // The default start (1 MiB) shrinks to fit a smaller maximum; an explicit one must fit.
    const initial = options.initialBytes === undefined
      ? Math.min(DEFAULT_INITIAL_PAGES, this.maxPages)
      : Math.max(1, Math.ceil(options.initialBytes / PAGE_BYTES));
    if (!(this.maxPages >= initial)) {
      throw new RangeError(`Heap: maximumBytes (${options.maximumBytes}) is below initialBytes (${options.initialBytes})`);
    }
    this.memory = new WebAssembly.Memory({ initial, maximum: this.maxPages, shared: this.shared });
    this.weigh();
    this.view = new Float32Array(this.memory.buffer);
    this.intView = new Int32Array(this.memory.buffer);
  }

  /** The most bytes the memory may grow to (fixed at creation). */
  get maxBytes(): number {
    return this.maxPages * PAGE_BYTES;
  }

  /**
   * Bytes in use below the scratch arena's base that no allocation can reuse: the reserved
   * bytes at 0 plus every live persistent block. A request of n more bytes cannot succeed
   * unless `usedBytes + n <= maxBytes`.
   */
  get usedBytes(): number {
    return RESERVED + this.liveBytes;
  }

  /** A Float32Array over the whole memory, rebuilt if the memory grew since the last call. */
  get f32(): Float32Array {
    if (this.view.buffer !== this.memory.buffer) this.refreshViews();
    return this.view;
  }

  /** An Int32Array over the whole memory, rebuilt if the memory grew since the last call. */
  get i32(): Int32Array {
    if (this.intView.buffer !== this.memory.buffer) this.refreshViews();
    return this.intView;
  }

  /** A fresh Float32Array over `length` floats at byte offset `ptr`. Do not keep it across allocations. */
  floats(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }

  /**
   * Reserve `bytes` (rounded up to 16) in the persistent region; returns a 16-byte aligned
   * pointer. Throws if scratch memory is in use, because the scratch arena sits on top.
   */
  alloc(bytes: number): number {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`Heap.alloc: bytes must be a non-negative integer, got ${bytes}`);
    const size = blockBytes(bytes);
    let ptr = this.takeFree(size);
    if (ptr < 0) {
      if (this.scratchTop !== this.scratchBase()) {
        throw new Error('Heap.alloc: persistent allocation while scratch memory is in use; call resetScratch() first');
      }
      ptr = this.persistentTop;
      this.ensureCapacity(ptr + size);
      this.persistentTop += size;
      this.scratchTop = this.persistentTop;
    }
    this.live.set(ptr, size);
    this.liveBytes += size;
    return ptr;
  }

  /** Return a persistent allocation. Freeing a pointer twice or one never allocated throws. */
  release(ptr: number): void {
    const size = this.live.get(ptr);
    if (size === undefined) throw new Error(`Heap.release: ${ptr} is not a live allocation`);
    this.live.delete(ptr);
    this.liveBytes -= size;
    this.insertFree(ptr, size);
  }

  /** Bump-allocate `bytes` of scratch (16-byte aligned); valid until {@link Heap.resetScratch}. */
  scratch(bytes: number): number {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`Heap.scratch: bytes must be a non-negative integer, got ${bytes}`);
    const ptr = this.scratchTop;
    const end = ptr + alignUp(Math.max(bytes, 0));
    this.ensureCapacity(end);
    this.scratchTop = end;
    return ptr;
  }

  /** Drop every scratch allocation at once. */
  resetScratch(): void {
    this.scratchTop = this.scratchBase();
  }

  /** What is allocated now; a training step that leaks shows up here. */
  stats(): HeapStats {
    return {
      persistentLiveBytes: this.liveBytes,
      persistentLiveBlocks: this.live.size,
      scratchBytes: this.scratchTop - this.scratchBase(),
      memoryBytes: this.memory.buffer.byteLength,
    };
  }

  private scratchBase(): number {
    return this.persistentTop;
  }

  private ensureCapacity(endByte: number): void {
    const have = this.memory.buffer.byteLength;
    if (endByte <= have) return;
    const needPages = Math.ceil(endByte / PAGE_BYTES);
    const currentPages = have / PAGE_BYTES;
    // Grow geometrically so a model that allocates many buffers grows the memory a few times only.
    const targetPages = Math.min(this.maxPages, Math.max(needPages, currentPages * 2));
    if (needPages > this.maxPages) {
      const hint = this.shared
        ? ` (a shared memory for threads cannot grow past the maximum fixed at creation: raise ${this.limitOption} or use threads: 1)`
        : this.maxPages * PAGE_BYTES < MAX_HEAP_BYTES
          ? ` (raise ${this.limitOption}, up to ${MAX_HEAP_BYTES})`
          : ' (the most any heap may hold)';
      throw new RangeError(`Heap: needs ${endByte} bytes but the memory may grow to ${this.maxPages * PAGE_BYTES} bytes at most${hint}`);
    }
    this.memory.grow(targetPages - currentPages);
    this.weigh();
    this.refreshViews();
  }

  /** Match this heap's {@link gcWeights} entry to its size (replaced, not grown: a maximum reserves address space). */
  private weigh(): void {
    if (!this.shared) return;
    const pages = this.memory.buffer.byteLength / PAGE_BYTES;
    try {
      gcWeights.set(this, new WebAssembly.Memory({ initial: pages, maximum: pages }));
    } catch {
      // Out of address space (a 32-bit browser): the weight is a hint, the heap works without it.
      gcWeights.delete(this);
    }
  }

  private refreshViews(): void {
    this.view = new Float32Array(this.memory.buffer);
    this.intView = new Int32Array(this.memory.buffer);
  }

  private takeFree(size: number): number {
    for (let i = 0; i < this.free.length; i++) {
      const range = this.free[i]!;
      if (range.bytes < size) continue;
      const ptr = range.ptr;
      if (range.bytes === size) this.free.splice(i, 1);
      else {
        range.ptr += size;
        range.bytes -= size;
      }
      return ptr;
    }
    return -1;
  }

  /** Insert a range in address order, merging with neighbours; a range ending at the top shrinks it. */
  private insertFree(ptr: number, size: number): void {
    let i = 0;
    while (i < this.free.length && this.free[i]!.ptr < ptr) i++;
    this.free.splice(i, 0, { ptr, bytes: size });
    const next = this.free[i + 1];
    if (next && ptr + size === next.ptr) {
      this.free[i]!.bytes += next.bytes;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev && prev.ptr + prev.bytes === ptr) {
      prev.bytes += this.free[i]!.bytes;
      this.free.splice(i, 1);
      i--;
    }
    const last = this.free[this.free.length - 1];
    if (last && last.ptr + last.bytes === this.persistentTop && this.scratchTop === this.persistentTop) {
      this.persistentTop = last.ptr;
      this.scratchTop = last.ptr;
      this.free.pop();
    }
  }
}
