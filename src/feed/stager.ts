/**
 * Staging rows into the heap: each network gets one input and one target buffer there,
 * grown to the largest block seen, and rows of a prepared {@link Dataset} are copied (in
 * order, or gathered through a permutation) into them before the kernels run.
 */
import { nonFiniteError } from '../data/checked.js';
import type { Dataset } from '../data/dataset.js';
import { gatherRows } from '../data/gather.js';
import { BatchBuffer } from '../nn/layer.js';
import type { Sequential } from '../nn/network.js';

/** The heap buffers a network's input and target rows are staged in. */
export class Stager {
  private readonly x: BatchBuffer;
  private readonly y: BatchBuffer;

  constructor(readonly net: Sequential) {
    this.x = new BatchBuffer(net.engine, net.inputs);
    this.y = new BatchBuffer(net.engine, net.outputs);
  }

  /** Pointer of the staged inputs. */
  get inputs(): number {
    return this.x.pointer;
  }

  /** Pointer of the staged targets. */
  get targets(): number {
    return this.y.pointer;
  }

  /**
   * Make room for blocks of `rows` rows here and in the network's layers. A block that cannot
   * fit the heap is refused before anything is allocated, in `fit`'s words unless `what` (the
   * start of the message) and `advice` (its end) say otherwise.
   */
  reserve(rows: number, what = 'fit: a batch', advice = 'use a smaller batchSize'): void {
    const staged = { need: this.x.bytesFor(rows) + this.y.bytesFor(rows), held: this.x.heldBytes + this.y.heldBytes };
    if (rows > Math.min(this.x.rows, this.y.rows)) this.net.checkBatch(rows, staged, what, advice);
    this.x.reserve(rows);
    this.y.reserve(rows);
    this.net.reserve(rows);
  }

  /**
   * Copy rows `[start, start + count)` of `data` (targets too, with `targets`). With `scan`,
   * the copied samples are scanned for NaN and ±Infinity in the heap, and the first one
   * throws a RangeError that starts with `scan` and names its row and column in `data`.
   */
  stageRange(data: Dataset, start: number, count: number, targets: boolean, scan?: string): void {
    this.reserve(count, 'a block', 'the layers are too wide for this heap');
    const f32 = this.net.engine.heap.f32;
    const { features, outputs } = data;
    f32.set(data.x.subarray(start * features, (start + count) * features), this.x.pointer >> 2);
    if (targets) f32.set(data.y.subarray(start * outputs, (start + count) * outputs), this.y.pointer >> 2);
    if (scan === undefined) return;
    const n = count * features;
    const bad = this.net.engine.kernels.firstNonFinite(this.x.pointer, n);
    if (bad < n) throw nonFiniteError(data.x, start * features + bad, features, scan);
  }

  /** Gather the rows listed in `order[from … from + count)` of `data`, inputs and targets. */
  stageRows(data: Dataset, order: ArrayLike<number>, from: number, count: number): void {
    this.reserve(count);
    // Read the view after reserve: growing the heap detaches earlier views.
    const f32 = this.net.engine.heap.f32;
    gatherRows(data.x, data.features, order, from, count, f32, this.x.pointer >> 2);
    gatherRows(data.y, data.outputs, order, from, count, f32, this.y.pointer >> 2);
  }
}

const stagers = new WeakMap<Sequential, Stager>();

/** The network's stager, made on first use and kept as long as the network lives. */
export function stagerFor(net: Sequential): Stager {
  let stager = stagers.get(net);
  if (!stager) stagers.set(net, (stager = new Stager(net)));
  return stager;
}
