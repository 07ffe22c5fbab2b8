/**
 * The single-file build for pages without a bundler: the core API, worker training, and both
 * WASM builds inlined, so one `<script type="module">` import is enough:
 *
 * ```html
 * <script type="module">
 *   import { init, Network } from './simdnet.js';
 *   const build = await init();            // 'simd' or 'scalar'
 * </script>
 * ```
 * @packageDocumentation
 */
import { preloadWasm, preferredBuild, type WasmBuild } from '../wasm/loader.js';
import { trainInWorker as trainWith, type TrainInWorkerOptions, type TrainJob, type TrainResult } from './client.js';
import { INLINE_WASM } from './inline-wasm.js';

export * from '../index.js';
export * from './index.js';

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

/** {@link trainInWorker} that hands the worker the inlined kernels, so it fetches nothing. */
export function trainInWorker(job: TrainJob, options: TrainInWorkerOptions = {}): Promise<TrainResult> {
  const build = job.build ?? preferredBuild();
  const wasm = job.wasm ?? inlinedWasm(build);
  return trainWith({ ...job, build, ...(wasm ? { wasm } : {}) }, options);
}
