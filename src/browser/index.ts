/**
 * Browser extras on top of the core: train in a Web Worker, predict on the page.
 * @packageDocumentation
 */
export { trainInWorker, createTrainingWorker, type TrainJob, type TrainInWorkerOptions, type TrainResult } from './client.js';
export type { ModelDescription, TrainingData, WorkerFitOptions, ProgressEvent, TrainMessage, ToWorker, FromWorker } from './protocol.js';
