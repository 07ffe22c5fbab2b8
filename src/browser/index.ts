/**
 * Browser extras on top of the core: train in a Web Worker, predict on the page.
 * @packageDocumentation
 */
import { trainInWorkerWith, type TrainInWorkerOptions, type TrainJob, type TrainResult } from './client.js';

export type { TrainJob, TrainInWorkerOptions, TrainResult } from './client.js';
export type { ModelDescription, TrainingData, WorkerFitOptions, ProgressEvent, BatchEvent, TrainMessage, ToWorker, FromWorker, ThreadsInUse } from './protocol.js';

/**
 * A new module worker serving training jobs. In the package it runs the worker bundle
 * inlined in a module of its own (a chunk a bundler loads on the first call), started from a
 * Blob URL, so it works the same in every bundler and needs nothing served beside the page.
 */
export async function createTrainingWorker(): Promise<Worker> {
  const { startTrainingWorker } = await import('./inline-worker.js');
  return startTrainingWorker();
}

/**
 * Train a network in a Web Worker so the page stays responsive. Resolves with the trained
 * network (decoded on this thread, same WASM build as the worker) once training completes or
 * is aborted; rejects if the worker reports an error. Call `init()` first on this thread.
 */
export async function trainInWorker(job: TrainJob, options: TrainInWorkerOptions = {}): Promise<TrainResult> {
  // The default worker is started only when the options bring none.
  const started = options.worker === undefined ? await createTrainingWorker() : undefined;
  return trainInWorkerWith(() => started!, job, options);
}
