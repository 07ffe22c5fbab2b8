/**
 * The demo page: `npm run demo:web` serves it, `npm run build:web` builds it to demo/dist.
 * It imports the library from source, the way a bundler-using page would import the package.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { digitsAsset } from './digits-asset.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

/**
 * Cross-origin isolation (COOP + COEP): pages get SharedArrayBuffer only with these, and
 * the kernels' worker pool needs it; without them training falls back to one thread.
 */
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  root,
  base: './',
  plugins: [digitsAsset()],
  worker: { format: 'es' },
  server: { fs: { allow: [repo] }, headers: isolation },
  preview: { headers: isolation },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The kernels are fetched as separate .wasm files, never inlined.
    assetsInlineLimit: 0,
  },
});
