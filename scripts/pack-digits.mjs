#!/usr/bin/env node
/**
 * Build step: packs the 10,000 MNIST digits of the `mnist` dev dependency (about 21 MB of JSON,
 * 41 MB installed) into the gzipped binary the package ships, build/mnist-digits.bin.gz
 * (about 1.6 MB), which src/data/mnist.ts reads and the demo page fetches (demo/digits-asset.ts):
 *
 *   "SDMN" | u32 LE count | count label bytes (0–9) | count × 784 pixel bytes (0–255, row-major 28×28)
 *
 * Digits keep the package's order (all 0s, then all 1s, …), so seeded splits are the same as
 * when the loader read the package itself. The `mnist` package stores each pixel as its byte
 * divided by 255, rounded to three decimals; ×255 and rounding recovers the byte exactly.
 * Run as a script it is skipped when the output is newer than the package (`--force` packs anyway).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const PIXELS = 784;
const root = fileURLToPath(new URL('..', import.meta.url));
/** Where the packed, gzipped digits go. */
export const DIGITS_FILE = join(root, 'build', 'mnist-digits.bin.gz');
const packageJson = createRequire(import.meta.url).resolve('mnist/package.json');
const digits = join(dirname(packageJson), 'src', 'digits');

/** The digits packed as above, not yet compressed. */
function packDigits() {
  const perClass = Array.from({ length: 10 }, (_, d) => JSON.parse(readFileSync(join(digits, `${d}.json`), 'utf8')).data);
  const total = perClass.reduce((n, data) => n + data.length / PIXELS, 0);
  const bytes = new Uint8Array(8 + total + total * PIXELS);
  bytes.set([...'SDMN'].map((c) => c.charCodeAt(0)));
  new DataView(bytes.buffer).setUint32(4, total, true);
  let row = 0;
  for (let d = 0; d < 10; d++) {
    const data = perClass[d];
    if (data.length % PIXELS !== 0) throw new Error(`mnist digits/${d}.json: ${data.length} values is not a whole number of 28×28 images`);
    for (let i = 0; i < data.length / PIXELS; i++, row++) {
      bytes[8 + row] = d;
      const at = 8 + total + row * PIXELS;
      for (let p = 0; p < PIXELS; p++) bytes[at + p] = Math.round(data[i * PIXELS + p] * 255);
    }
  }
  return { bytes, total };
}

/**
 * Write {@link DIGITS_FILE} unless it is newer than the `mnist` package (or `force`); returns
 * its path. Written to a temporary file first, so a reader never sees half a file.
 */
export function ensurePackedDigits({ force = false, log = false } = {}) {
  if (!force && existsSync(DIGITS_FILE) && statSync(DIGITS_FILE).mtimeMs > statSync(packageJson).mtimeMs) return DIGITS_FILE;
  const { bytes, total } = packDigits();
  mkdirSync(dirname(DIGITS_FILE), { recursive: true });
  const tmp = `${DIGITS_FILE}.${process.pid}.tmp`;
  writeFileSync(tmp, gzipSync(bytes, { level: 9 }));
  renameSync(tmp, DIGITS_FILE);
  if (log) console.log(`${DIGITS_FILE}: ${total} digits, ${statSync(DIGITS_FILE).size} bytes`);
  return DIGITS_FILE;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensurePackedDigits({ force: process.argv.includes('--force'), log: true });
}
