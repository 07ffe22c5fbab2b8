/**
 * The single-file build: `src/browser/standalone.ts` bundled as one ES module with the SIMD
 * and scalar kernels and the training worker's code inlined, for pages without a bundler (and
 * pages whose bundler folds it into their own chunks). Output: dist/standalone/simdnet.js.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
// @ts-expect-error a build script without types
import { bundleWorker, workerModule } from '../scripts/bundle-worker.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** The loader's inline modules of builds the single file leaves out: relaxed SIMD and the shared-memory (threads) builds. */
const LEFT_OUT = /\/build\/simdnet\.(relaxed|\w+\.shared)\.inline\.js$/;

/**
 * Put the worker in place of src/browser/inline-worker.ts (without kernels: the page sends
 * them), and leave out the builds the single file does not carry (empty modules: compiling one
 * fails, and `init` then runs on one thread).
 */
function singleFile(): Plugin {
  return {
    name: 'simdnet-single-file',
    async load(id) {
      if (id.endsWith('/src/browser/inline-worker.ts')) return workerModule(await bundleWorker({ kernels: false })) as string;
      if (LEFT_OUT.test(id)) return 'export default "";';
      return undefined;
    },
  };
}

export default defineConfig({
  root: repo,
  plugins: [singleFile()],
  build: {
    outDir: `${repo}dist/standalone`,
    emptyOutDir: true,
    target: 'es2022',
    minify: 'esbuild',
    lib: { entry: `${repo}src/browser/standalone.ts`, formats: ['es'], fileName: () => 'simdnet.js' },
    // One file: the kernels' modules are folded in, not split into chunks.
    rollupOptions: { output: { inlineDynamicImports: true } },
  },
});
