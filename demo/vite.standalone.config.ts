/**
 * The single-file build: `src/browser/standalone.ts` bundled as one ES module with both WASM
 * builds inlined as base64, for pages without a bundler. Output: dist/standalone/simdnet.js.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const repo = fileURLToPath(new URL('..', import.meta.url));

const LOADER_URL = /(new\s+URL\(\s*`[^`]*\.wasm`\s*,\s*)import\.meta\.url(\s*\))/;

/**
 * Put the built .wasm bytes in src/browser/inline-wasm.ts, and keep Vite from inlining the
 * loader's `new URL(…wasm, import.meta.url)` a second time: the single file always passes the
 * bytes to `preloadWasm`, so that URL is never fetched.
 */
function inlineWasm(): Plugin {
  return {
    name: 'simdnet-inline-wasm',
    load(id) {
      if (!id.endsWith('/src/browser/inline-wasm.ts')) return undefined;
      const base64 = (build: string): string => readFileSync(`${repo}build/simdnet.${build}.wasm`).toString('base64');
      return `export const INLINE_WASM = { simd: ${JSON.stringify(base64('simd'))}, scalar: ${JSON.stringify(base64('scalar'))} };`;
    },
    transform(code, id) {
      if (!id.endsWith('/src/wasm/loader.ts')) return undefined;
      if (!LOADER_URL.test(code)) this.warn('the loader no longer builds its .wasm URL as expected; the single file may carry the kernels twice');
      return code.replace(LOADER_URL, "$1import.meta['url']$2");
    },
  };
}

export default defineConfig({
  root: repo,
  plugins: [inlineWasm()],
  build: {
    outDir: `${repo}dist/standalone`,
    emptyOutDir: true,
    target: 'es2022',
    minify: 'esbuild',
    lib: { entry: `${repo}src/browser/standalone.ts`, formats: ['es'], fileName: () => 'simdnet.js' },
  },
});
