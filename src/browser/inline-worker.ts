/**
 * Starting the training worker. Run from source (the demo, the tests) it is the worker's own
 * file, found the way bundlers expect (`new Worker(new URL(…, import.meta.url))`).
 *
 * In the package this module is replaced (scripts/bundle-worker.mjs) by one holding the whole
 * worker as one script, started from a Blob URL, so worker training never depends on a
 * bundler finding, building and serving a separate worker file — Vite's dev server and esbuild
 * do not follow that pattern inside a package, and a Vite build would build the worker as an
 * IIFE, which cannot hold the kernels' chunks. The single-file build puts its own in.
 */

/** A new module worker serving training jobs. */
export function startTrainingWorker(): Worker {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}
