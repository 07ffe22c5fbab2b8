/**
 * `init()`: load what networks will need before computing, for runtimes that cannot read
 * files synchronously (browsers, workers). In Node it is optional.
 */
import { preloadWasm, preferredBuild, type WasmBuild, type WasmSource } from './loader.js';
import { availableCores, threadSupport } from '../threads/support.js';

/** Options for {@link init}. */
export interface InitOptions {
  /** Build to load; default the best this runtime supports. */
  build?: WasmBuild;
  /** Bytes or URL of that build; default the file next to the package. */
  source?: WasmSource;
  /** Bytes or URL of its shared-memory variant, used for threads; default next to the package. */
  sharedSource?: WasmSource;
}

/**
 * Compile the kernels (streaming where possible). Where threads can run, the shared-memory
 * variant is loaded too; if it cannot be fetched, networks simply run on one thread and
 * `engine.threads.reason` says why. Idempotent.
 */
export async function init(options: InitOptions = {}): Promise<void> {
  const build = options.build ?? preferredBuild();
  await preloadWasm(build, options.source);
  if (availableCores() > 1 && threadSupport().available) {
    await preloadWasm(build, options.sharedSource, true).catch(() => undefined);
  }
}
