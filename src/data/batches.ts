/**
 * Mini-batches without per-batch allocation: two reusable buffers, refilled from a seeded
 * permutation of the rows each epoch.
 */
import { type Dataset, checkDataset } from './dataset.js';
import { gatherRows } from './gather.js';
import { type SeedOrRng, toRng } from '../util/rng.js';
import type { Rng } from '../util/rng.js';

/** Options for {@link BatchIterator}. */
export interface BatchOptions {
  /** Rows per batch (the last batch of an epoch may be smaller). */
  batchSize: number;
  /** Draw a new row order every epoch (default true); false keeps the dataset's order. */
  shuffle?: boolean;
  /** Seed or generator for the row orders (default 0). */
  seed?: SeedOrRng;
  /** Skip the last batch of an epoch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
}

/**
 * One mini-batch. **The arrays are reused**: they are valid until the iterator advances, so
 * copy them if they must outlive the step. The same object is handed out every time.
 */
export interface Batch {
  /** size×features inputs, row-major (a view of the iterator's buffer). */
  readonly x: Float32Array;
  /** size×outputs targets, row-major (a view of the iterator's buffer). */
  readonly y: Float32Array;
  /** Rows in this batch: `batchSize`, or fewer for the last one. */
  readonly size: number;
  /** 0-based batch number within the epoch. */
  readonly index: number;
  /** Offset of this batch's first row in {@link BatchIterator.order}. */
  readonly start: number;
}

interface MutableBatch {
  x: Float32Array;
  y: Float32Array;
  size: number;
  index: number;
  start: number;
}

/**
 * Hands a trainer contiguous Float32 blocks of rows. It owns one batchSize×features and one
 * batchSize×outputs buffer; each epoch it draws a permutation from its RNG and gathers rows
 * into those buffers. Every row appears exactly once per epoch.
 *
 * @example
 * ```ts
 * import { BatchIterator, makeMoons } from 'simdnet';
 *
 * const train = makeMoons(1000, 0.1, 1);  // rows×2 inputs, rows×1 targets
 * const w = new Float32Array(3);          // logistic regression: sigmoid(w0·x0 + w1·x1 + w2)
 * function step(x: Float32Array, y: Float32Array, size: number): void {
 *   const grad = new Float32Array(3);
 *   for (let r = 0; r < size; r++) {
 *     const [x0, x1] = x.subarray(2 * r, 2 * r + 2);
 *     const error = 1 / (1 + Math.exp(-(w[0] * x0 + w[1] * x1 + w[2]))) - y[r];
 *     grad[0] += error * x0;
 *     grad[1] += error * x1;
 *     grad[2] += error;
 *   }
 *   for (let i = 0; i < 3; i++) w[i] -= (0.5 * grad[i]) / size;
 * }
 *
 * const batches = new BatchIterator(train, { batchSize: 64, seed: 1 });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const b of batches.epoch()) step(b.x, b.y, b.size); // b.x is overwritten next step
 * }
 * ```
 */
export class BatchIterator {
  /** Rows per full batch. */
  readonly batchSize: number;
  /** Batches per epoch. */
  readonly batchesPerEpoch: number;
  /** The current epoch's row order (rows of the dataset, by position in the epoch). */
  readonly order: Uint32Array;
  private readonly data: Dataset;
  private readonly xBuffer: Float32Array;
  private readonly yBuffer: Float32Array;
  /** Pre-made views for the short last batch, so no view is created per batch. */
  private readonly xTail: Float32Array;
  private readonly yTail: Float32Array;
  private readonly rng: Rng;
  private readonly shuffle: boolean;
  private readonly batch: MutableBatch;
  private readonly result: IteratorResult<Batch, undefined>;

  constructor(data: Dataset, options: BatchOptions) {
    checkDataset(data, 'BatchIterator');
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`BatchIterator: batchSize must be a positive integer, got ${batchSize}`);
    this.data = data;
    this.batchSize = batchSize;
    this.shuffle = options.shuffle ?? true;
    this.rng = toRng(options.seed ?? 0);
    const tail = data.rows % batchSize;
    this.batchesPerEpoch = options.dropLast ? Math.floor(data.rows / batchSize) : Math.ceil(data.rows / batchSize);
    this.order = new Uint32Array(data.rows);
    for (let i = 0; i < data.rows; i++) this.order[i] = i;
    this.xBuffer = new Float32Array(batchSize * data.features);
    this.yBuffer = new Float32Array(batchSize * data.outputs);
    this.xTail = this.xBuffer.subarray(0, tail * data.features);
    this.yTail = this.yBuffer.subarray(0, tail * data.outputs);
    this.batch = { x: this.xBuffer, y: this.yBuffer, size: 0, index: -1, start: 0 };
    this.result = { done: false, value: this.batch };
  }

  /**
   * Start an epoch: reshuffle (when enabled) and return an iterable over its batches. Starting
   * a new epoch invalidates any iteration still in progress.
   */
  epoch(): IterableIterator<Batch, undefined> {
    if (this.shuffle) this.rng.shuffle(this.order);
    this.batch.index = -1;
    const self = this;
    const iterator: IterableIterator<Batch, undefined> = {
      next: () => self.advance(),
      [Symbol.iterator]: () => iterator,
    };
    return iterator;
  }

  private advance(): IteratorResult<Batch, undefined> {
    const b = this.batch;
    const index = b.index + 1;
    if (index >= this.batchesPerEpoch) return { done: true, value: undefined };
    const start = index * this.batchSize;
    const size = Math.min(this.batchSize, this.data.rows - start);
    const { features, outputs, x, y } = this.data;
    gatherRows(x, features, this.order, start, size, this.xBuffer, 0);
    gatherRows(y, outputs, this.order, start, size, this.yBuffer, 0);
    b.x = size === this.batchSize ? this.xBuffer : this.xTail;
    b.y = size === this.batchSize ? this.yBuffer : this.yTail;
    b.size = size;
    b.index = index;
    b.start = start;
    return this.result;
  }
}
