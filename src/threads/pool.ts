/**
 * A pool of worker threads over one shared heap. The calling thread posts a job (one kernel,
 * one argument list per chunk) through the control block, runs chunks itself, and blocks with
 * `Atomics.wait` until every chunk is done; then it rethrows the first error any chunk raised.
 * Workers start on the first job, not before, so a network that never runs a kernel worth
 * splitting never starts a thread.
 *
 * Worker threads belong to the JavaScript thread that creates pools, not to one pool: engines
 * are dropped without close() all the time (a hyper-parameter search builds hundreds of
 * networks in a loop), and garbage collection alone would reclaim their pools far too late.
 * So a pool holds workers only while it uses them:
 *
 * - Idle: a pool with no job for {@link IDLE_MS} lets its workers go (one unref'd timer per
 *   running pool compares a job counter, so a job costs no timer call). Covers networks
 *   dropped by code that yields to the event loop.
 * - Over budget: when a pool starts and the workers of this thread's pools would pass
 *   {@link workerBudget} (cores + 2), the pools used least recently let theirs go first.
 *   Covers synchronous loops, where no timer can fire. Every other pool is idle then: jobs
 *   are synchronous, so only the pool starting can be inside one.
 *
 * - Handed on: a starting pool takes spares first, then the workers of the least recently
 *   used pool, and spawns only for what is still missing (see {@link borrow}). A loop of
 *   networks built and dropped keeps one pool's worth of threads (each costs ~9 MB of RSS).
 *
 * Letting go moves the control block's epoch on (see protocol.ts): the workers leave their
 * loop and wait for a message. They become spares, and a starting pool takes spares before
 * it spawns (handing a worker on costs one message and instantiating the compiled module over
 * the new heap, far less than a thread start). Spares unused for {@link IDLE_MS} are
 * terminated, so an idle process keeps no threads, and workers are unref'd, so none keeps it
 * alive. A pool larger than the budget by itself still gets all its threads. Hence the live
 * workers of one thread's pools never exceed max(budget, largest pool), whatever the garbage
 * collector does; the bookkeeping is per module instance, i.e. per JavaScript thread.
 *
 * Restarting is transparent to results: the chunks of a job are fixed before anyone runs, and
 * which thread runs which never changes a result. The caller runs chunks itself while workers
 * arrive.
 */
import { CONTROL_BYTES, LAYOUT, MAX_CHUNKS, Word, drainChunks, type ControlViews, type KernelFn, type Layout } from './protocol.js';
import { spawnWorker, type WorkerHandle } from './spawn.js';
import { availableCores } from './support.js';

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
  /** How long a worker polls for the next job before it sleeps, in ms (see {@link Layout.spinMs}). Default `LAYOUT.spinMs`. */
  spinMs?: number;
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

/** A pool's workers stop after this long without a job (they restart on the next one). */
export const IDLE_MS = 1000;

/** Worker threads that this thread's pools may keep running together (see the module comment). */
export function workerBudget(): number {
  return availableCores() + 2;
}

/** Pools of this thread whose workers are running. */
const running = new Set<ThreadPool>();
/** Workers let go by their pools, waiting to be handed to the next pool that starts. */
const spares: WorkerHandle[] = [];
let sparesTimer: ReturnType<typeof setTimeout> | undefined;
/** How many of the oldest spares (the start of `spares`) were there when the timer last looked. */
let sparesAtCheck = 0;
/** Advances with every job; a pool's `lastJob` says how recently it ran one. */
let jobClock = 0;

/** Jobs this thread's pools have posted so far (a benchmark tells split calls from the others by it). */
export function jobsPosted(): number {
  return jobClock;
}

/** Worker threads of this thread's pools, spares included, and how many pools run workers. */
export function poolStats(): { workers: number; spares: number; pools: number } {
  let workers = spares.length;
  for (const pool of running) workers += pool.liveWorkers;
  return { workers, spares: spares.length, pools: running.size };
}

/** Keep `worker` for the next pool that starts, or end it when the budget is full. */
function park(worker: WorkerHandle): void {
  if (poolStats().workers >= workerBudget()) return worker.terminate();
  worker.park();
  spares.push(worker);
  if (sparesTimer !== undefined || typeof setTimeout !== 'function') return;
  const arm = (): void => {
    sparesAtCheck = spares.length;
    sparesTimer = setTimeout(check, IDLE_MS);
    // Node: idle threads must never keep the process alive (browsers have no unref).
    (sparesTimer as { unref?: () => void }).unref?.();
  };
  const check = (): void => {
    sparesTimer = undefined;
    // Spares are taken from the end, so the first `sparesAtCheck` went unused for IDLE_MS.
    for (const stale of spares.splice(0, sparesAtCheck)) stale.terminate();
    if (spares.length > 0) arm();
  };
  arm();
}

/**
 * Let the pool whose {@link ThreadPool.key} is `key` go of its workers, if it holds any. For
 * finalizers: they must not hold the pool itself, nor a WeakRef to it, which keeps its target
 * (and so its heap) alive until the current job ends, i.e. for all of a synchronous loop.
 */
export function releasePool(key: object): void {
  for (const pool of running) if (pool.key === key) return pool.release();
}

/**
 * A worker for `pool`, or none (spawn one). Spares come first, then the workers of the least
 * recently used pool: in a loop of networks built and dropped that is the previous network's
 * pool, so the loop keeps one pool's worth of threads. Only a pool that lost its workers this
 * way before (pools taking turns, e.g. two fits awaited together) spawns while another pool
 * holds workers, and only within the budget, so such pools stop trading workers at every turn.
 */
function borrow(pool: ThreadPool): WorkerHandle | undefined {
  for (;;) {
    const spare = spares.pop();
    if (spare) {
      sparesAtCheck = Math.min(sparesAtCheck, spares.length);
      return spare;
    }
    if (pool.lentBefore && poolStats().workers < workerBudget()) return undefined;
    let oldest: ThreadPool | undefined;
    for (const other of running) if (other !== pool && (!oldest || other.lastJob < oldest.lastJob)) oldest = other;
    if (!oldest) return undefined;
    oldest.lentBefore = true;
    oldest.release();
  }
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
  /** {@link LAYOUT} with this pool's poll time; the workers get it when they start. */
  private readonly layout: Layout;
  /** {@link jobClock} at this pool's last job (for retiring the least recently used). */
  lastJob = 0;
  /** Names this pool to {@link releasePool} without referring to it. */
  readonly key: object = {};
  /** True once another pool took this pool's workers (see {@link borrow}). */
  lentBefore = false;
  /** {@link ThreadPool.lastJob} when the idle timer last looked. */
  private lastJobAtCheck = -1;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: PoolOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1 || options.threads > MAX_CHUNKS) {
      throw new RangeError(`ThreadPool: threads must be an integer in 1…${MAX_CHUNKS}, got ${options.threads}`);
    }
    this.threads = options.threads;
    this.stallMs = options.stallMs ?? 60_000;
    if (options.spinMs !== undefined && !(options.spinMs >= 0)) throw new RangeError(`ThreadPool: spinMs must be ≥ 0, got ${options.spinMs}`);
    this.layout = { ...LAYOUT, spinMs: options.spinMs ?? LAYOUT.spinMs };
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

  /** Worker threads started and not stopped (0 while idle-stopped; they restart on the next job). */
  get liveWorkers(): number {
    return this.workers.length;
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
    this.lastJob = ++jobClock;
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
    Atomics.store(i32, Word.claim, (this.gen << 16) | (chunks.length << 8));
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

  /** Let the workers go (to other pools, or to end); the next job gets workers again. */
  release(): void {
    this.stopWorkers(true);
  }

  private start(): void {
    if (this.failure !== undefined) {
      // A worker died outside a job, or a job stalled: start over with fresh threads.
      this.stopWorkers();
      this.failure = undefined;
    }
    if (this.workers.length > 0 || this.threads === 1) return;
    const i32 = this.views.i32;
    const epoch = Atomics.add(i32, Word.epoch, 1) + 1;
    Atomics.store(i32, Word.ready, 0);
    running.add(this);
    const onError = (error: unknown): void => { this.failure = error; };
    for (let thread = 1; thread < this.threads; thread++) {
      const init = {
        module: this.options.module,
        memory: this.options.memory,
        control: this.options.control,
        names: [...this.options.names],
        layout: this.layout,
        thread,
        epoch,
      };
      const spare = borrow(this);
      if (spare) spare.assign(init, onError);
      this.workers.push(spare ?? spawnWorker(init, onError));
    }
    this.lastJobAtCheck = -1;
    this.armIdleTimer();
  }

  /** Check every {@link IDLE_MS} whether a job ran since the last check; stop the workers if none did. */
  private armIdleTimer(): void {
    if (this.idleTimer !== undefined || typeof setTimeout !== 'function') return;
    const check = (): void => {
      this.idleTimer = undefined;
      if (this.workers.length === 0) return;
      if (this.lastJob === this.lastJobAtCheck) return this.stopWorkers(true);
      this.lastJobAtCheck = this.lastJob;
      this.armIdleTimer();
    };
    const timer = setTimeout(check, IDLE_MS);
    // Node: an idle pool must never keep the process alive (browsers have no unref).
    (timer as { unref?: () => void }).unref?.();
    this.idleTimer = timer;
  }

  /**
   * Make the workers leave. `recycle` parks them as spares (only when nothing went wrong: a
   * worker that died or stalled is ended, and so are the workers of a closed pool).
   */
  private stopWorkers(recycle = false): void {
    const i32 = this.views.i32;
    // Moving the epoch on makes every worker of the current set leave before its next claim.
    Atomics.add(i32, Word.epoch, 1);
    Atomics.add(i32, Word.gen, 1);
    Atomics.notify(i32, Word.gen);
    this.gen = Atomics.load(i32, Word.gen) & LAYOUT.genMask;
    const workers = this.workers;
    this.workers = [];
    running.delete(this);
    for (const worker of workers) {
      if (recycle && this.failure === undefined) park(worker);
      else worker.terminate();
    }
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** Block until `total` chunks are done: poll for up to {@link Layout.shortSpinMs} (the usual case), then sleep. */
  private waitFor(total: number): void {
    const i32 = this.views.i32;
    let polled = performance.now();
    const until = polled + this.layout.shortSpinMs;
    for (let i = 1; Atomics.load(i32, Word.done) < total; i++) {
      if ((i & 255) !== 0) continue;
      const now = performance.now();
      if (now > until || now - polled > this.layout.preemptedMs) break;
      polled = now;
    }
    if (Atomics.load(i32, Word.done) >= total) return;
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
