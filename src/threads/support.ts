/**
 * Whether this runtime can run the worker pool, how many cores it has, and how a requested
 * thread count becomes the count an engine uses.
 */
import { MAX_CHUNKS } from './protocol.js';

/** The answer of {@link threadSupport}. */
export interface ThreadSupport {
  /** True when shared memory, Atomics.wait on this thread and workers are all available. */
  available: boolean;
  /** Why threads are unavailable (absent when they are available). */
  reason?: string;
}

/** Largest thread count accepted (one chunk per thread, {@link MAX_CHUNKS} chunks per job). */
export const MAX_THREADS = MAX_CHUNKS;

let supportOverride: ThreadSupport | undefined;

/** The globals {@link threadSupport} looks at (a parameter so tests can pose as a browser). */
export interface Scope {
  process?: { getBuiltinModule?: (id: string) => unknown };
  crossOriginIsolated?: boolean;
  window?: unknown;
  document?: unknown;
  Worker?: unknown;
  navigator?: { hardwareConcurrency?: number };
}

function nodeBuiltin<T>(id: string, scope: Scope = globalThis as Scope): T | undefined {
  return scope.process?.getBuiltinModule?.(id) as T | undefined;
}

/**
 * Can this thread start a pool? Node: always (worker_threads). Browsers: only in a
 * cross-origin isolated page (SharedArrayBuffer) and not on the main thread, which may not
 * block in Atomics.wait.
 */
export function threadSupport(scope: Scope = globalThis as Scope): ThreadSupport {
  if (supportOverride && scope === globalThis) return supportOverride;
  const isNode = nodeBuiltin('node:worker_threads', scope) !== undefined;
  if (!isNode && scope.crossOriginIsolated !== true) {
    return { available: false, reason: 'the page is not cross-origin isolated (serve it with COOP: same-origin and COEP: require-corp)' };
  }
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') {
    return { available: false, reason: 'SharedArrayBuffer is not available in this runtime' };
  }
  if (!isNode && scope.window !== undefined && scope.document !== undefined) {
    return { available: false, reason: 'a browser main thread may not block in Atomics.wait (train in a worker to use threads)' };
  }
  if (!isNode && typeof scope.Worker !== 'function') {
    return { available: false, reason: 'this runtime cannot start workers' };
  }
  return { available: true };
}

/**
 * Pretend threads are (un)available, as a page without cross-origin isolation would report;
 * `undefined` restores real detection. Affects engines created after the call. For tests.
 */
export function overrideThreadSupport(value: ThreadSupport | undefined): void {
  supportOverride = value;
}

/** Logical cores: `os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in browsers. */
export function availableCores(): number {
  const os = nodeBuiltin<{ availableParallelism(): number }>('node:os');
  const cores = os ? os.availableParallelism() : (globalThis as Scope).navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(MAX_THREADS, Math.floor(cores)));
}

/** The thread count an engine runs with, and why it is lower than asked, if it is. */
export interface ThreadPlan {
  /** Threads asked for (the default: {@link availableCores}). */
  requested: number;
  /** Threads in use, the calling thread included (1 = no pool). */
  count: number;
  /** Why `count` < `requested` (threads unavailable, the js backend …). */
  reason?: string;
}

/** Validate `threads` (a positive integer ≤ {@link MAX_THREADS}; default the core count) and plan. */
export function planThreads(threads: number | undefined, where = 'threads'): ThreadPlan {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= MAX_THREADS)) {
    throw new RangeError(`${where} must be an integer in 1…${MAX_THREADS}, got ${String(threads)}`);
  }
  const requested = threads ?? availableCores();
  if (requested === 1) return { requested, count: 1 };
  const support = threadSupport();
  return support.available ? { requested, count: requested } : { requested, count: 1, reason: support.reason! };
}
