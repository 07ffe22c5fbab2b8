#!/usr/bin/env node
/**
 * The training worker for the package: src/browser/worker.ts with everything it imports
 * bundled into one ES module with no imports, held as text by a module that starts it from a
 * Blob URL (see src/browser/inline-worker.ts). Run after `tsc`, it writes that module over
 * dist/browser/inline-worker.js; `trainInWorker` imports it only when it starts a worker, so a
 * bundler splits it into a chunk of its own. demo/vite.standalone.config.ts uses the same
 * functions for the single file.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The kernels' inline modules (src/wasm/loader.ts). */
const KERNELS = /\/build\/simdnet\.[\w.]+\.inline\.js$/;

/**
 * The worker as one minified script. With `kernels: false` it carries none (its page sends
 * the bytes, and threads are off in it); by default it carries every build.
 */
export async function bundleWorker({ kernels = true } = {}) {
  const noKernels = {
    name: 'no-kernels',
    setup(b) {
      b.onLoad({ filter: KERNELS }, () => ({ contents: 'export default "";', loader: 'js' }));
    },
  };
  const result = await build({
    entryPoints: [`${root}src/browser/worker.ts`], bundle: true, format: 'esm', target: 'es2022', minify: true,
    platform: 'browser', write: false, logLevel: 'warning', plugins: kernels ? [] : [noKernels],
  });
  return result.outputFiles[0].text;
}

/** The module that replaces src/browser/inline-worker.ts: `source` started from a Blob URL. */
export function workerModule(source) {
  return `// The training worker (scripts/bundle-worker.mjs), started from a Blob URL.
const SOURCE = ${JSON.stringify(source)};
/** A new module worker serving training jobs. */
export function startTrainingWorker() {
  const url = URL.createObjectURL(new Blob([SOURCE], { type: 'text/javascript' }));
  try {
    return new Worker(url, { type: 'module' });
  } finally {
    URL.revokeObjectURL(url);
  }
}
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = `${root}dist/browser/inline-worker.js`;
  writeFileSync(out, workerModule(await bundleWorker()));
  // tsc's map describes the placeholder, not this file.
  rmSync(`${out}.map`, { force: true });
}
