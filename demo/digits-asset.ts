/**
 * Vite plugin: packs the `mnist` package's 10,000 digits (about 21 MB of JSON) into one
 * compact binary the demo fetches, `digits.bin`:
 *
 *   u32 LE count | count label bytes | count × 784 pixel bytes (0–255, row-major 28×28)
 *
 * Digits are interleaved class by class, so any prefix is close to class-balanced.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

/** Name of the packed file, relative to the page. */
export const DIGITS_FILE = 'digits.bin';
const PIXELS = 784;

function packDigits(): Uint8Array {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const perClass = Array.from({ length: 10 }, (_, d) => (JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] }).data);
  const counts = perClass.map((data) => data.length / PIXELS);
  const total = counts.reduce((a, b) => a + b, 0);
  const out = new Uint8Array(4 + total + total * PIXELS);
  new DataView(out.buffer).setUint32(0, total, true);
  let n = 0;
  for (let i = 0; n < total; i++) {
    for (let d = 0; d < 10; d++) {
      if (i >= counts[d]!) continue;
      out[4 + n] = d;
      const src = perClass[d]!;
      const dst = 4 + total + n * PIXELS;
      for (let p = 0; p < PIXELS; p++) out[dst + p] = Math.round(src[i * PIXELS + p]! * 255);
      n++;
    }
  }
  return out;
}

/** Serves `digits.bin` in dev and emits it into the build. */
export function digitsAsset(): Plugin {
  let packed: Uint8Array | undefined;
  const bytes = (): Uint8Array => (packed ??= packDigits());
  return {
    name: 'simdnet-demo-digits',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!req.url?.endsWith(`/${DIGITS_FILE}`)) return next();
        res.setHeader('Content-Type', 'application/octet-stream');
        res.end(bytes());
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: DIGITS_FILE, source: bytes() });
    },
  };
}
