/**
 * Starting one pool worker: a Node `worker_threads` Worker or a browser Web Worker running
 * {@link workerMain}. The source is built from the functions themselves, so no separate
 * worker file has to be found, bundled or transpiled (the same code runs from `src/` under
 * vitest, from `dist/`, and from a bundle).
 *
 * A worker outlives the pool it was started for: when that pool stops it, it leaves
 * {@link workerMain}, returns to its event loop and waits for a message naming the next pool
 * to serve (another heap, control block and thread index), so pools can hand threads on
 * instead of starting new ones.
 */
import { drainChunks, workerMain, type WorkerInit } from './protocol.js';

/** What the pool needs from a started worker. */
export interface WorkerHandle {
  /** Stop the thread at once (used when the pool is rebuilt or the worker is not needed). */
  terminate(): void;
  /**
   * Serve the pool described by `init` next; `onError` replaces the previous failure listener.
   * Only for a worker that has been told to leave its current pool (its epoch moved on).
   */
  assign(init: WorkerInit, onError: (error: unknown) => void): void;
  /** Forget the pool it served (its failure listener holds that pool and its heap) while it waits as a spare. */
  park(): void;
}

/** Heap bytes a Node worker may keep of pools it left before it collects (see {@link NODE_COLLECT}). */
const COLLECT_BYTES = 8 * 2 ** 20;

// esbuild (vitest) may wrap functions in `__name(...)` calls; give the worker a no-op one.
const PRELUDE = 'const __name = (f) => f;';
/**
 * Node workers: a full collection in the worker's own isolate once the heaps of the pools it
 * left add up to {@link COLLECT_BYTES}. The worker allocates almost nothing, so its isolate
 * would otherwise not collect for a long time, and every heap it served (a shared memory,
 * which V8 does not weigh) would stay mapped until then. A collection costs a few ms, hence
 * not one per pool. It runs after the message handler returns, when nothing refers to the
 * last pool's init any more. Unless the process runs with --expose-gc already, `gc` is exposed
 * for the one context that fetches it, then the flag is turned off again — on first need, not
 * at start-up, and never fatally: the flag is process-wide, and two workers fetching at once
 * once left one without `gc`, which killed that worker as it started (a pool short of a thread).
 */
const NODE_COLLECT = "let gcFn = typeof gc === 'function' ? gc : undefined;\n" +
  "const collect = () => {\n  try {\n    if (!gcFn) {\n      const v8 = require('node:v8');\n      v8.setFlagsFromString('--expose-gc');\n" +
  "      try { gcFn = require('node:vm').runInNewContext('gc'); } finally { v8.setFlagsFromString('--no-expose-gc'); }\n    }\n    gcFn();\n" +
  "  } catch {\n    // Another worker turned the flag off in between: collect next time.\n  }\n};\n" +
  `let left = 0;\nconst collectAfter = (bytes) => { left += bytes; if (left >= ${COLLECT_BYTES}) { left = 0; setImmediate(collect); } };`;

const ignore = (): void => {};

const body = `const drain = ${drainChunks.toString()};\nconst main = ${workerMain.toString()};`;

type NodeWorkerCtor = new (source: string, options: { eval: true }) => {
  unref(): void;
  on(event: 'error', listener: (error: unknown) => void): void;
  postMessage(value: unknown): void;
  terminate(): Promise<number>;
};

function nodeWorkerThreads(): { Worker: NodeWorkerCtor } | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.('node:worker_threads') as { Worker: NodeWorkerCtor } | undefined;
}

/**
 * Start a worker serving the pool described by `init`. `onError` receives a failure that
 * happens outside a job (the module failed to instantiate, the thread died); errors inside
 * a job travel through the control block instead. Node workers are unref'd: an idle pool
 * never keeps the process alive.
 */
export function spawnWorker(init: WorkerInit, onError: (error: unknown) => void): WorkerHandle {
  let report = onError;
  const threads = nodeWorkerThreads();
  if (threads) {
    // The pool arrives as a message, not as workerData, which would keep its heap for good.
    const source = `${PRELUDE}\n${body}\nconst wt = require('node:worker_threads');\n${NODE_COLLECT}\n` +
      'wt.parentPort.on(\'message\', (next) => { main(next, drain); collectAfter(next.memory.buffer.byteLength); });';
    const worker = new threads.Worker(source, { eval: true });
    worker.unref();
    worker.on('error', (error) => report(error));
    worker.postMessage(init);
    return {
      terminate: () => void worker.terminate(),
      assign: (next, listener) => { report = listener; worker.postMessage(next); },
      park: () => { report = ignore; },
    };
  }
  const source = `${PRELUDE}\n${body}\nself.onmessage = (e) => main(e.data, drain);`;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(url);
  URL.revokeObjectURL(url);
  worker.onerror = (event) => report(event.message);
  worker.postMessage(init);
  return {
    terminate: () => worker.terminate(),
    assign: (next, listener) => { report = listener; worker.postMessage(next); },
    park: () => { report = ignore; },
  };
}
