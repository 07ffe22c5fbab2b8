/**
 * Vite plugin: the demo's digits are the package's own file, build/mnist-digits.bin.gz (the
 * 10,000 bundled digits packed and gzipped by scripts/pack-digits.mjs, about 1.6 MB instead of
 * 7.85 MB of bytes), packed here first when it is missing or stale. The page fetches it as it
 * is and unzips it itself (demo/src/digits-data.ts), so any static host serves it compressed.
 */
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
// @ts-expect-error a build script without types
import { ensurePackedDigits } from '../scripts/pack-digits.mjs';

/** Name of the file, relative to the page. */
export const DIGITS_FILE = 'mnist-digits.bin.gz';

/** Serves the packed digits in dev and emits them into the build. */
export function digitsAsset(): Plugin {
  const bytes = (): Buffer => readFileSync(ensurePackedDigits() as string);
  return {
    name: 'simdnet-demo-digits',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!req.url?.endsWith(`/${DIGITS_FILE}`)) return next();
        // Plain bytes, no Content-Encoding: the page unzips them (a gzip-encoded response would arrive unzipped).
        res.setHeader('Content-Type', 'application/gzip');
        res.end(bytes());
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: DIGITS_FILE, source: bytes() });
    },
  };
}
