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
 * The same file is also the worker script: loaded in a Web Worker, it serves training jobs.
 * @packageDocumentation
 */
import { preloadWasm, preferredBuild, type WasmBuild } from '../wasm/loader.js';
import { trainInWorkerWith, type TrainInWorkerOptions, type TrainJob, type TrainResult } from './client.js';
import { inWorkerScope, serveTrainingJobs } from './host.js';
import { INLINE_WASM } from './inline-wasm.js';

export * from '../index.js';
export type { TrainJob, TrainInWorkerOptions, TrainResult } from './client.js';
export type { ModelDescription, TrainingData, WorkerFitOptions, ProgressEvent, TrainMessage, ToWorker, FromWorker } from './protocol.js';

/** The inlined bytes of `build`, or `undefined` when this is not the single-file build. */
export function inlinedWasm(build: WasmBuild): ArrayBuffer | undefined {
  const text = INLINE_WASM[build];
  if (text === undefined) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

/**
 * Compile the kernels from the inlined bytes (no network request). Resolves with the build
 * in use: `'simd'` where the browser supports WebAssembly SIMD, else `'scalar'`.
 */
export async function init(build: WasmBuild = preferredBuild()): Promise<WasmBuild> {
  await preloadWasm(build, inlinedWasm(build));
  return build;
}

/** A module worker running this very file. */
export function createTrainingWorker(): Worker {
  return new Worker(import.meta.url, { type: 'module' });
}

/**
 * Train in a Web Worker (this file, started again as a worker) so the page stays responsive;
 * the worker gets the inlined kernels and fetches nothing. Resolves with the trained network,
 * decoded on this thread.
 */
export function trainInWorker(job: TrainJob, options: TrainInWorkerOptions = {}): Promise<TrainResult> {
  const build = job.build ?? preferredBuild();
  const wasm = job.wasm ?? inlinedWasm(build);
  return trainInWorkerWith(createTrainingWorker, { ...job, build, ...(wasm ? { wasm } : {}) }, options);
}

if (inWorkerScope()) serveTrainingJobs();
