/**
 * The worker side of the protocol: listen for jobs on the current worker scope, run one at a
 * time, and abort the running one on request.
 */
import { runTrainingJob } from './trainer.js';
import type { FromWorker, ToWorker } from './protocol.js';

/** The parts of a dedicated worker's global scope used here (the DOM lib lacks its type). */
interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
}

/** True when this code runs inside a Web Worker. */
export function inWorkerScope(): boolean {
  return typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'function';
}

/**
 * Answer `train` and `abort` messages on this worker's scope. Other messages are ignored, so
 * a worker can also do other work.
 */
export function serveTrainingJobs(): void {
  const scope = globalThis as unknown as WorkerScope;
  let current: AbortController | undefined;
  scope.addEventListener('message', (event) => {
    const message = event.data;
    if (message?.type === 'abort') {
      current?.abort();
      return;
    }
    if (message?.type !== 'train') return;
    if (current) {
      scope.postMessage({ type: 'error', name: 'BusyError', message: 'simdnet worker: a training job is already running' });
      return;
    }
    const controller = new AbortController();
    current = controller;
    void runTrainingJob(message, (m, transfer) => scope.postMessage(m, transfer), controller.signal).finally(() => {
      current = undefined;
    });
  });
}
