/**
 * The Web Worker entry point: load it with
 * `new Worker(new URL('simdnet/worker', import.meta.url), { type: 'module' })`, or let
 * `trainInWorker` create it. It runs one training job at a time; an `abort` message stops the
 * current job after its batch, and the model trained so far is still sent back.
 * @packageDocumentation
 */
import { serveTrainingJobs } from './host.js';

serveTrainingJobs();
