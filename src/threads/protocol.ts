/**
 * The control block through which the calling thread hands kernel calls to the workers, and
 * the two functions both sides run. No messages per call: the caller writes one argument
 * list per chunk into the block, bumps a generation counter and notifies; every thread
 * (the caller included) then claims chunks with a compare-and-swap until none are left: the
 * caller from the front of the list, the workers from the back.
 *
 * The chunks of a job are fixed by the caller before anyone runs, and each one writes a
 * disjoint part of the output, so which thread runs which chunk never changes a result.
 *
 * Layout (byte offsets from the block's start, all in the shared heap):
 *   0..63     Int32 words, see {@link Word}
 *   64..319   Int32 per-thread scratch pointers (index = thread, 0 = the caller)
 *   320..     MAX_CHUNKS argument slots of ARG_SLOTS f64 each (one slot per chunk)
 *   then      ERROR_CHARS UTF-16 code units: the first error message of the job
 *
 * {@link drainChunks} and {@link workerMain} are serialised with `Function.prototype.toString`
 * into the worker's source, so they must not refer to anything outside their own bodies:
 * everything they need arrives as arguments (the {@link Layout} included).
 */

/** Indices of the Int32 words at the start of the block. */
export const Word = {
  /** Job generation (15 bits); workers sleep on it between jobs. */
  gen: 0,
  /**
   * `gen << 16 | back << 8 | front`: chunks front…back−1 are unclaimed. The caller takes the
   * front one (CAS-incrementing front), workers the back one (CAS-decrementing back). Kernels
   * split the batch in order, so the caller keeps a prefix of the images and a worker a
   * suffix from one call to the next, whatever their chunk counts, and each finds much of
   * its data in its own core's cache.
   */
  claim: 1,
  /** Chunks of the current job finished (successfully or not). */
  done: 2,
  /** Number of chunks in the current job. */
  chunks: 3,
  /** Index of the export to call (into the name list the workers got at start). */
  fn: 4,
  /** Number of arguments per chunk. */
  nargs: 5,
  /** 0, or 1 once a chunk failed (the message is in the error area). */
  error: 6,
  /**
   * The epoch of the workers that may serve jobs. Each start of the pool's workers bumps it and
   * hands the new value to the workers it spawns; stopping bumps it again. A worker whose epoch
   * is no longer this word's value leaves its loop before it can claim a chunk, so workers of a
   * retired set that wake late never run beside the set that replaced them (their scratch
   * pointers are the same).
   */
  epoch: 7,
  /** Workers that have instantiated the module and entered their loop. */
  ready: 8,
  /** Length of the error message in code units. */
  errorLength: 9,
  /**
   * Argument index that a worker replaces with its own scratch pointer (the GEMM packing
   * workspace), or -1. Chunks are claimed by whichever thread is free, so scratch belongs
   * to threads, not chunks; the caller (thread 0) keeps the pointer it passed.
   */
  scratchArg: 10,
} as const;

/** Sizes of the block's parts; passed to the serialised functions as data. */
export interface Layout {
  readonly words: typeof Word;
  /** Index (in Int32 words) of the per-thread scratch table. */
  readonly scratchWord: number;
  readonly argsOffset: number;
  readonly argSlots: number;
  readonly maxChunks: number;
  readonly errorOffset: number;
  readonly errorChars: number;
  readonly genMask: number;
  /**
   * How long a worker polls for the next job before it sleeps in `Atomics.wait`, in ms, while
   * jobs keep arriving within it. A training step posts jobs a few µs to a few hundred µs apart,
   * and a sleeping worker costs ~100 µs to wake on a 2-core VM (bench/cnn-threads.bench.ts).
   */
  readonly spinMs: number;
  /**
   * The shorter poll (ms) of a worker that had to be woken, and of the caller waiting for the
   * workers' last chunks: on busy cores a woken worker often lands on the caller's core, and
   * polling there keeps the caller off it.
   */
  readonly shortSpinMs: number;
  /**
   * A poll that saw the clock jump by more than this (ms) was descheduled: the cores are
   * oversubscribed, polling only takes time from the threads that would finish the job, so
   * the poller sleeps at once.
   */
  readonly preemptedMs: number;
}

/** Chunks per job at most (the claim word keeps the chunk indices in 8 bits each). */
export const MAX_CHUNKS = 64;

/** The block layout. */
export const LAYOUT: Layout = {
  words: Word,
  scratchWord: 16,
  argsOffset: 64 + MAX_CHUNKS * 4,
  argSlots: 24,
  maxChunks: MAX_CHUNKS,
  errorOffset: 64 + MAX_CHUNKS * 4 + MAX_CHUNKS * 24 * 8,
  errorChars: 256,
  genMask: 0x7fff,
  spinMs: 1,
  shortSpinMs: 0.1,
  preemptedMs: 0.05,
};

/** Bytes of the control block (16-byte multiple). */
export const CONTROL_BYTES = LAYOUT.errorOffset + LAYOUT.errorChars * 2;

/** Typed views over one control block. */
export interface ControlViews {
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly u16: Uint16Array;
}

/** A kernel export as the pool calls it. */
export type KernelFn = (...args: number[]) => unknown;

/**
 * Claim and run chunks of job `gen` until none are left. A chunk that throws records the
 * first error message; every claimed chunk counts as done either way, so nobody waits for a
 * chunk that failed. Self-contained (serialised into the worker).
 */
export function drainChunks(views: ControlViews, fns: readonly KernelFn[], gen: number, layout: Layout, thread: number): void {
  const { i32, f64, u16 } = views;
  const w = layout.words;
  for (;;) {
    const word = Atomics.load(i32, w.claim);
    if (word >>> 16 !== gen) return;
    const front = word & 255, back = (word >>> 8) & 255;
    if (front >= back) return;
    const total = Atomics.load(i32, w.chunks);
    const chunk = thread === 0 ? front : back - 1;
    if (Atomics.compareExchange(i32, w.claim, word, thread === 0 ? word + 1 : word - 256) !== word) continue;
    try {
      const base = chunk * layout.argSlots;
      const args = Array.from(f64.subarray(base, base + Atomics.load(i32, w.nargs)));
      const scratchArg = Atomics.load(i32, w.scratchArg);
      if (thread > 0 && scratchArg >= 0) args[scratchArg] = Atomics.load(i32, layout.scratchWord + thread);
      const fn = fns[Atomics.load(i32, w.fn)];
      if (typeof fn !== 'function') throw new Error(`simdnet: no kernel #${Atomics.load(i32, w.fn)} in this worker`);
      fn(...args);
    } catch (error) {
      if (Atomics.compareExchange(i32, w.error, 0, 1) === 0) {
        const text = String(error instanceof Error ? `${error.name}: ${error.message}` : error).slice(0, layout.errorChars);
        for (let i = 0; i < text.length; i++) u16[i] = text.charCodeAt(i);
        Atomics.store(i32, w.errorLength, text.length);
      }
    }
    if (Atomics.add(i32, w.done, 1) + 1 === total) Atomics.notify(i32, w.done);
  }
}

/** What a worker receives once, when it starts. */
export interface WorkerInit {
  /** The compiled shared-memory build. */
  module: WebAssembly.Module;
  /** The heap's shared memory. */
  memory: WebAssembly.Memory;
  /** Byte offset of the control block. */
  control: number;
  /** Export names, indexed by {@link Word.fn}. */
  names: string[];
  /** This worker's thread index (1…threads−1; 0 is the caller). */
  thread: number;
  /** The {@link Word.epoch} this worker serves; it leaves once the word moves on. */
  epoch: number;
  layout: Layout;
}

/**
 * A worker's whole life: instantiate the module over the shared memory, then sleep on the
 * generation word, drain each new job, and leave when told to stop. Self-contained
 * (serialised into the worker); `drain` is {@link drainChunks}.
 */
export function workerMain(init: WorkerInit, drain: typeof drainChunks): void {
  const { module, memory, control, names, layout, thread, epoch } = init;
  const w = layout.words;
  const instance = new WebAssembly.Instance(module, {
    env: {
      memory,
      abort(): never {
        throw new Error('simdnet: WASM kernel aborted (worker)');
      },
    },
  });
  const fns = names.map((name) => instance.exports[name] as KernelFn);
  // Views over the buffer as it is now stay valid when the memory grows (the block sits low).
  const buffer = memory.buffer;
  const views = {
    i32: new Int32Array(buffer, control, layout.scratchWord + layout.maxChunks),
    f64: new Float64Array(buffer, control + layout.argsOffset, layout.maxChunks * layout.argSlots),
    u16: new Uint16Array(buffer, control + layout.errorOffset, layout.errorChars),
  };
  let seen = Atomics.load(views.i32, w.gen);
  if (Atomics.load(views.i32, w.epoch) !== epoch) return;
  Atomics.add(views.i32, w.ready, 1);
  Atomics.notify(views.i32, w.ready);
  // Whether the last job found this worker asleep (it then polls only `shortSpinMs`).
  let woken = false;
  for (;;) {
    // Checked after `seen` is read and before any claim: a job posted after this worker's set
    // was stopped always finds the epoch already moved on (the stores are sequentially consistent).
    if (Atomics.load(views.i32, w.epoch) !== epoch) return;
    // The caller drained its own job if this worker was late; only jobs after `seen` matter.
    drain(views, fns, seen, layout, thread);
    // Poll for the next job before paying a futex wake-up (the clock is read every 256 polls).
    let last = performance.now();
    const until = last + (woken ? layout.shortSpinMs : layout.spinMs);
    for (let i = 1; Atomics.load(views.i32, w.gen) === seen; i++) {
      if ((i & 255) !== 0) continue;
      const now = performance.now();
      if (now > until || now - last > layout.preemptedMs) break;
      last = now;
    }
    woken = Atomics.load(views.i32, w.gen) === seen;
    if (woken) Atomics.wait(views.i32, w.gen, seen);
    seen = Atomics.load(views.i32, w.gen);
  }
}
