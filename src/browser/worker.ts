/**
 * The Web Worker entry point: load it with
 * `new Worker(new URL('simdnet/worker', import.meta.url), { type: 'module' })` (or let
 * {@link trainInWorker} do it). It runs one training job at a time; an `abort` message stops
 * the current job after its batch, and the model trained so far is still sent back.
 * @packageDocumentation
 */
import { runTrainingJob } from './trainer.js';
import type { FromWorker, ToWorker } from './protocol.js';

/** The parts of a dedicated worker's global scope used here (the DOM lib lacks its type). */
interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
let current: AbortController | undefined;

scope.addEventListener('message', (event) => {
  const message = event.data;
  if (message.type === 'abort') {
    current?.abort();
    return;
  }
  if (message.type !== 'train') return;
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
