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
}

// esbuild (vitest) may wrap functions in `__name(...)` calls; give the worker a no-op one.
const PRELUDE = 'const __name = (f) => f;';
const body = `const drain = ${drainChunks.toString()};\nconst main = ${workerMain.toString()};`;

type NodeWorkerCtor = new (source: string, options: { eval: true; workerData: unknown }) => {
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
    const source = `${PRELUDE}\n${body}\nconst wt = require('node:worker_threads');\n` +
      `wt.parentPort.on('message', (next) => main(next, drain));\nmain(wt.workerData, drain);`;
    const worker = new threads.Worker(source, { eval: true, workerData: init });
    worker.unref();
    worker.on('error', (error) => report(error));
    return {
      terminate: () => void worker.terminate(),
      assign: (next, listener) => { report = listener; worker.postMessage(next); },
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
  };
}
