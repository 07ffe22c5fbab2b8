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
import { inlineWasm, preloadWasm, preferredInlineBuild, type WasmBuild } from '../wasm/loader.js';
import { trainInWorkerWith, type TrainInWorkerOptions, type TrainJob, type TrainResult } from './client.js';
import { inWorkerScope, serveTrainingJobs } from './host.js';
import { startTrainingWorker } from './inline-worker.js';

export * from '../index.js';
export type { TrainJob, TrainInWorkerOptions, TrainResult } from './client.js';
export type { ModelDescription, TrainingData, WorkerFitOptions, ProgressEvent, BatchEvent, TrainMessage, ToWorker, FromWorker } from './protocol.js';

/** The inlined bytes of `build`. */
export async function inlinedWasm(build: WasmBuild): Promise<ArrayBuffer> {
  return (await inlineWasm(build)).buffer;
}

/**
 * Compile the kernels from the inlined bytes (no network request). Resolves with the build
 * in use: by default the fastest the browser validates among those this file carries
 * (`'simd'`, else `'scalar'`; the relaxed-SIMD build is left out of the single file, so
 * asking for it fails); pass a build to force one.
 */
export async function init(build?: WasmBuild): Promise<WasmBuild> {
  const chosen = build ?? (await preferredInlineBuild());
  await preloadWasm(chosen, await inlinedWasm(chosen));
  return chosen;
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
  const build = job.build ?? (await preferredInlineBuild());
  const wasm = job.wasm ?? (await inlinedWasm(build));
  return trainInWorkerWith(createTrainingWorker, { ...job, build, wasm }, options);
}

if (inWorkerScope()) serveTrainingJobs();
