/**
 * A persistent pool of worker threads over one shared heap. The calling thread posts a job
 * (one kernel, one argument list per chunk) through the control block, runs chunks itself,
 * and blocks with `Atomics.wait` until every chunk is done; then it rethrows the first error
 * any chunk raised. Workers start on the first job, not before, so a network that never runs
 * a kernel worth splitting never starts a thread.
 */
import { CONTROL_BYTES, LAYOUT, MAX_CHUNKS, Word, drainChunks, type ControlViews, type KernelFn } from './protocol.js';
import { spawnWorker, type WorkerHandle } from './spawn.js';

export { CONTROL_BYTES };

/** How to build a {@link ThreadPool}. */
export interface PoolOptions {
  /** Threads in total, the caller included (so `threads - 1` workers). */
  threads: number;
  /** The shared-memory build the workers instantiate. */
  module: WebAssembly.Module;
  /** The heap's shared memory. */
  memory: WebAssembly.Memory;
  /** Byte offset of {@link CONTROL_BYTES} bytes reserved in `memory` for the control block. */
  control: number;
  /** Kernel exports the pool may call, by name; jobs refer to them by index. */
  names: readonly string[];
  /** The caller's own instance of `module` (it runs chunks too). */
  exports: WebAssembly.Exports;
  /**
   * Scratch pointer of each worker thread (index 1…threads−1; index 0, the caller, is unused),
   * substituted for the argument a job names as its scratch (see {@link RunOptions}).
   */
  scratch?: readonly number[];
  /** A job with no chunk finishing for this long is abandoned with an error. Default 60 s. */
  stallMs?: number;
}

/** Options of {@link ThreadPool.run}. */
export interface RunOptions {
  /** Argument index that each worker replaces with its own scratch pointer. */
  scratchArg?: number;
  /** false leaves every chunk to the workers (for tests). Default true. */
  callerJoins?: boolean;
}

/** Thrown when the pool cannot finish a job; the pool rebuilds its workers on the next job. */
export class ThreadPoolError extends Error {
  override name = 'ThreadPoolError';
}

/** Worker threads plus the calling thread, sharing one heap. */
export class ThreadPool {
  /** Threads in total, the caller included. */
  readonly threads: number;
  private readonly views: ControlViews;
  private readonly fns: KernelFn[];
  private workers: WorkerHandle[] = [];
  private gen = 0;
  private failure: unknown;
  private closed = false;
  private readonly stallMs: number;

  constructor(private readonly options: PoolOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1 || options.threads > MAX_CHUNKS) {
      throw new RangeError(`ThreadPool: threads must be an integer in 1…${MAX_CHUNKS}, got ${options.threads}`);
    }
    this.threads = options.threads;
    this.stallMs = options.stallMs ?? 60_000;
    const buffer = options.memory.buffer;
    this.views = {
      i32: new Int32Array(buffer, options.control, LAYOUT.scratchWord + MAX_CHUNKS),
      f64: new Float64Array(buffer, options.control + LAYOUT.argsOffset, MAX_CHUNKS * LAYOUT.argSlots),
      u16: new Uint16Array(buffer, options.control + LAYOUT.errorOffset, LAYOUT.errorChars),
    };
    this.views.i32.fill(0);
    options.scratch?.forEach((ptr, thread) => { this.views.i32[LAYOUT.scratchWord + thread] = ptr; });
    this.fns = options.names.map((name) => {
      const fn = options.exports[name];
      if (typeof fn !== 'function') throw new TypeError(`ThreadPool: the module has no export ${name}`);
      return fn as KernelFn;
    });
  }

  /** Workers that have started and are waiting for jobs. */
  get readyWorkers(): number {
    return Atomics.load(this.views.i32, Word.ready);
  }

  /** True once {@link ThreadPool.close} ran; jobs then throw. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Index of export `name` for {@link ThreadPool.run}. */
  fnIndex(name: string): number {
    const index = this.options.names.indexOf(name);
    if (index < 0) throw new RangeError(`ThreadPool: ${name} is not one of the pool's kernels`);
    return index;
  }

  /**
   * Run export `fn` once per argument list in `chunks`, spread over the threads; returns when
   * all are done and throws the first chunk's error, if any. Chunks must write disjoint
   * memory. There may be more chunks than threads: whoever is free takes the next one.
   */
  run(fn: number, chunks: readonly (readonly number[])[], options: RunOptions = {}): void {
    if (this.closed) throw new ThreadPoolError('simdnet: the thread pool is closed');
    if (chunks.length === 0) return;
    if (chunks.length > MAX_CHUNKS) throw new RangeError(`ThreadPool.run: at most ${MAX_CHUNKS} chunks, got ${chunks.length}`);
    this.start();
    const { i32, f64 } = this.views;
    const nargs = chunks[0]!.length;
    if (nargs > LAYOUT.argSlots) throw new RangeError(`ThreadPool.run: at most ${LAYOUT.argSlots} arguments, got ${nargs}`);
    chunks.forEach((args, c) => f64.set(args, c * LAYOUT.argSlots));
    Atomics.store(i32, Word.fn, fn);
    Atomics.store(i32, Word.nargs, nargs);
    Atomics.store(i32, Word.chunks, chunks.length);
    Atomics.store(i32, Word.done, 0);
    Atomics.store(i32, Word.error, 0);
    Atomics.store(i32, Word.scratchArg, options.scratchArg ?? -1);
    this.gen = (this.gen + 1) & LAYOUT.genMask;
    Atomics.store(i32, Word.claim, this.gen << 8);
    Atomics.store(i32, Word.gen, this.gen);
    Atomics.notify(i32, Word.gen);
    if (options.callerJoins !== false) drainChunks(this.views, this.fns, this.gen, LAYOUT, 0);
    this.waitFor(chunks.length);
    if (Atomics.load(i32, Word.error) !== 0) {
      const length = Atomics.load(i32, Word.errorLength);
      const message = String.fromCharCode(...this.views.u16.subarray(0, length));
      throw new Error(`simdnet: kernel ${this.options.names[fn]} failed on a pool thread: ${message}`);
    }
  }

  /** Stop the workers (they leave their loop; Node threads are terminated too). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopWorkers();
  }

  private start(): void {
    if (this.failure !== undefined) {
      // A worker died outside a job, or a job stalled: start over with fresh threads.
      this.stopWorkers();
      this.failure = undefined;
    }
    if (this.workers.length > 0 || this.threads === 1) return;
    Atomics.store(this.views.i32, Word.stop, 0);
    Atomics.store(this.views.i32, Word.ready, 0);
    for (let thread = 1; thread < this.threads; thread++) {
      const init = {
        module: this.options.module,
        memory: this.options.memory,
        control: this.options.control,
        names: [...this.options.names],
        layout: LAYOUT,
        thread,
      };
      this.workers.push(spawnWorker(init, (error) => { this.failure = error; }));
    }
  }

  private stopWorkers(): void {
    const i32 = this.views.i32;
    Atomics.store(i32, Word.stop, 1);
    Atomics.add(i32, Word.gen, 1);
    Atomics.notify(i32, Word.gen);
    this.gen = Atomics.load(i32, Word.gen) & LAYOUT.genMask;
    for (const worker of this.workers) worker.terminate();
    this.workers = [];
  }

  /** Block until `total` chunks are done: spin briefly (the usual case), then sleep. */
  private waitFor(total: number): void {
    const i32 = this.views.i32;
    for (let spin = 0; spin < 4096; spin++) if (Atomics.load(i32, Word.done) >= total) return;
    let last = Atomics.load(i32, Word.done);
    let since = Date.now();
    while (last < total) {
      Atomics.wait(i32, Word.done, last, 50);
      const now = Atomics.load(i32, Word.done);
      if (now !== last) {
        last = now;
        since = Date.now();
      } else if (Date.now() - since > this.stallMs) {
        this.failure = new ThreadPoolError('stalled');
        throw new ThreadPoolError(
          `simdnet: thread pool stalled: ${total - now} of ${total} chunks of ${this.options.names[Atomics.load(i32, Word.fn)]} ` +
          `unfinished after ${this.stallMs} ms (a worker died or never started); the pool restarts on the next call`,
        );
      }
    }
  }
}
