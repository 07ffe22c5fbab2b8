/**
 * Browser extras on top of the core: train in a Web Worker, predict on the page.
 * @packageDocumentation
 */
import { trainInWorkerWith, type TrainInWorkerOptions, type TrainJob, type TrainResult } from './client.js';

export type { TrainJob, TrainInWorkerOptions, TrainResult } from './client.js';
export type { ModelDescription, TrainingData, WorkerFitOptions, ProgressEvent, TrainMessage, ToWorker, FromWorker, ThreadsInUse } from './protocol.js';

/** A module worker running this package's worker entry (`worker.js` beside this module). */
export function createTrainingWorker(): Worker {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

/**
 * Train a network in a Web Worker so the page stays responsive. Resolves with the trained
 * network (decoded on this thread, same WASM build as the worker) once training completes or
 * is aborted; rejects if the worker reports an error. Call `init()` first on this thread.
 */
export function trainInWorker(job: TrainJob, options: TrainInWorkerOptions = {}): Promise<TrainResult> {
  return trainInWorkerWith(createTrainingWorker, job, options);
}
