/**
 * The demo page: `npm run demo:web` serves it, `npm run build:web` builds it to demo/dist.
 * It imports the library from source, the way a bundler-using page would import the package.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { digitsAsset } from './digits-asset.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [digitsAsset()],
  worker: { format: 'es' },
  server: { fs: { allow: [repo] } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The kernels are fetched as separate .wasm files, never inlined.
    assetsInlineLimit: 0,
  },
});
