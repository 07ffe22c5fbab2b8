/**
 * The 10,000 real MNIST digits shipped with the package (packed at build time from the `mnist`
 * package by scripts/pack-digits.mjs into build/mnist-digits.bin.gz, 1.6 MB), read lazily
 * (once) and split into seeded, stratified train/test sets.
 */
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { LabeledDataset, TargetFormat } from './dataset.js';
import { targetsFromLabels } from './dataset.js';
import { markFinite } from './checked.js';
import { type PixelScaling, checkScaling, pixelTable } from './pixels.js';
import { stratifiedIndices } from './preprocess.js';
import type { SeedOrRng } from '../util/rng.js';

/** Pixels per bundled digit (28×28). */
export const MNIST_FEATURES = 784;
/** Digit classes. */
export const MNIST_CLASSES = 10;

/** Every bundled digit as bytes. */
interface BundledDigits {
  pixels: Uint8Array;
  labels: Int32Array;
}

/** The packed file, relative to this module (works from `src/` and `dist/`). */
const DIGITS_FILE = new URL('../../build/mnist-digits.bin.gz', import.meta.url);
const MAGIC = 'SDMN';

let cache: Promise<BundledDigits> | undefined;

/**
 * Read and unpack the digits file: "SDMN", a u32 count, the labels (one byte each), then the
 * pixels (784 bytes per digit, 0–255).
 */
async function readDigits(): Promise<BundledDigits> {
  let packed: Uint8Array;
  try {
    packed = await readFile(DIGITS_FILE);
  } catch (err) {
    throw new Error(`loadBundledMnist: cannot read ${DIGITS_FILE.pathname} (run \`npm run build\`): ${(err as Error).message}`);
  }
  const bytes: Uint8Array = await promisify(gunzip)(packed);
  const count = bytes.length >= 8 ? new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true) : 0;
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== MAGIC || bytes.length !== 8 + count * (1 + MNIST_FEATURES)) {
    throw new Error(`loadBundledMnist: ${DIGITS_FILE.pathname} is not a packed digits file (run \`npm run build\`)`);
  }
  return { labels: Int32Array.from(bytes.subarray(8, 8 + count)), pixels: bytes.subarray(8 + count) };
}

/** The digits, read on first use. A failed read is not cached, so a later call tries again. */
function bundledDigits(): Promise<BundledDigits> {
  cache ??= readDigits().catch((err: unknown) => {
    cache = undefined;
    throw err;
  });
  return cache;
}

/** Options for {@link loadBundledMnist}. */
export interface BundledMnistOptions {
  /** Training rows (default 8,000). */
  train?: number;
  /** Test rows (default 2,000); train + test must not exceed the 10,000 bundled digits. */
  test?: number;
  /** Seed or generator for the split (default 0). */
  seed?: SeedOrRng;
  /** Pixel scaling (default `'unit'`, [0, 1]); `'seeds'` maps to [0.01, 1]. */
  scaling?: PixelScaling;
  /** Targets as one-hot columns (default) or a single column of class indices. */
  targets?: TargetFormat;
}

/** Train and test sets of bundled digits. */
export interface MnistSplit {
  train: LabeledDataset;
  test: LabeledDataset;
}

/**
 * Load the bundled digits (10,000 28×28 images, about 1,000 per class) and split them,
 * stratified by digit and seeded, into train and test sets of 784-feature rows with one-hot
 * targets. The file is read on the first call only; later calls reuse it.
 *
 * @example
 * ```ts
 * import { loadBundledMnist } from 'simdnet';
 *
 * const { train, test } = await loadBundledMnist({ seed: 1, scaling: 'seeds' });
 * train.rows; // 8000
 * ```
 */
export async function loadBundledMnist(options: BundledMnistOptions = {}): Promise<MnistSplit> {
  const scaling = options.scaling ?? 'unit';
  checkScaling(scaling, 'loadBundledMnist: scaling');
  const format = options.targets ?? 'one-hot';
  const trainRows = options.train ?? 8000;
  const testRows = options.test ?? 2000;
  for (const [name, value] of [['train', trainRows], ['test', testRows]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`loadBundledMnist: ${name} must be a non-negative integer, got ${value}`);
  }
  const digits = await bundledDigits();
  const total = digits.labels.length;
  if (trainRows + testRows > total) {
    throw new RangeError(`loadBundledMnist: train ${trainRows} + test ${testRows} exceed the ${total} bundled digits`);
  }
  const [trainIndex, testIndex] = stratifiedIndices(digits.labels, [trainRows, testRows], options.seed ?? 0);
  const table = pixelTable(scaling);
  const build = (indices: Uint32Array): LabeledDataset => {
    const rows = indices.length;
    const x = new Float32Array(rows * MNIST_FEATURES);
    const labels = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      const r = indices[i]!;
      const src = digits.pixels.subarray(r * MNIST_FEATURES, (r + 1) * MNIST_FEATURES);
      for (let p = 0; p < MNIST_FEATURES; p++) x[i * MNIST_FEATURES + p] = table[src[p]!]!;
      labels[i] = digits.labels[r]!;
    }
    return { x: markFinite(x), y: targetsFromLabels(labels, MNIST_CLASSES, format), rows, features: MNIST_FEATURES, outputs: format === 'one-hot' ? MNIST_CLASSES : 1, labels };
  };
  return { train: build(trainIndex!), test: build(testIndex!) };
}
