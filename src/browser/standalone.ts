/**
 * The single-file build for pages without a bundler: the core API, worker training, and both
 * WASM builds inlined, so one file and one import are enough:
 *
 * ```html
 * <script type="module">
 *   import { init, Network, makeMoons, trainInWorker } from './simdnet.js';
 *   const build = await init();            // 'simd' or 'scalar'
 * </script>
 * ```
 *
 * `trainInWorker` starts its worker from a copy of the worker code inlined in this file (a
 * Blob URL), so it works as well when an app's bundler has folded this file into its own
 * chunks; loaded in a Web Worker, this file also serves training jobs itself.
 * @packageDocumentation
 */
import { inlineWasm, preloadWasm, preferredBuild, type WasmBuild } from '../wasm/loader.js';
import { trainInWorkerWith, type TrainInWorkerOptions, type TrainJob, type TrainResult } from './client.js';
import { inWorkerScope, serveTrainingJobs } from './host.js';
import { startTrainingWorker } from './inline-worker.js';

export * from '../index.js';
export type { TrainJob, TrainInWorkerOptions, TrainResult } from './client.js';
export type { ModelDescription, TrainingData, WorkerFitOptions, ProgressEvent, TrainMessage, ToWorker, FromWorker } from './protocol.js';

/** The inlined bytes of `build`. */
export async function inlinedWasm(build: WasmBuild): Promise<ArrayBuffer> {
  return (await inlineWasm(build)).buffer;
}

/**
 * Compile the kernels from the inlined bytes (no network request). Resolves with the build
 * in use: `'simd'` where the browser supports WebAssembly SIMD, else `'scalar'`.
 */
export async function init(build: WasmBuild = preferredBuild()): Promise<WasmBuild> {
  await preloadWasm(build, await inlinedWasm(build));
  return build;
}

/** A new module worker serving training jobs: the worker code inlined in this file, from a Blob URL. */
export function createTrainingWorker(): Worker {
  return startTrainingWorker();
}

/**
 * Train in a Web Worker (the inlined worker code) so the page stays responsive; the worker
 * gets the inlined kernels and fetches nothing. Resolves with the trained network,
 * decoded on this thread.
 */
export async function trainInWorker(job: TrainJob, options: TrainInWorkerOptions = {}): Promise<TrainResult> {
  const build = job.build ?? preferredBuild();
  const wasm = job.wasm ?? (await inlinedWasm(build));
  return trainInWorkerWith(createTrainingWorker, { ...job, build, wasm }, options);
}

if (inWorkerScope()) serveTrainingJobs();
