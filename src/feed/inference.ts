/**
 * Inference on prepared data: forward passes in blocks of rows (bounding heap use for large
 * inputs), the loss and accuracy of a dataset, and classes from output rows.
 */
import { mustScan } from '../data/checked.js';
import type { Dataset } from '../data/dataset.js';
import type { Samples } from '../data/boundary.js';
import type { Sequential } from '../nn/network.js';
import { argmax } from '../util/argmax.js';
import { blockBytes, type Heap } from '../wasm/heap.js';
import { stagerFor } from './stager.js';
import { RegressionSums, type RegressionMetrics } from './metrics.js';

/** Most rows processed per block in predict/evaluate. */
const INFERENCE_BLOCK = 1024;
/**
 * Heap bytes a block's per-row buffers may take: dense networks still run 1,024 rows at a
 * time, while an image network, whose rows each need feature maps and im2col columns
 * (LeNet-style: about 150 KB), runs smaller blocks instead of growing the heap (which never
 * shrinks) by hundreds of megabytes for one evaluation. Rows are independent, so the block
 * size does not change any output.
 */
const BLOCK_BUDGET_BYTES = 16 * 1024 * 1024;

/** Rows per inference block for `net`. */
function blockRows(net: Sequential): number {
  return Math.max(1, Math.min(INFERENCE_BLOCK, Math.floor(BLOCK_BUDGET_BYTES / net.batchBytes(1))));
}

/** Loss and accuracy of a classification network on a data set. */
export interface ClassificationEvaluation {
  task: 'classification';
  /** Mean loss per sample (without weight decay). */
  loss: number;
  /** Fraction classified correctly (threshold 0.5 for one output, argmax otherwise). */
  accuracy: number;
}

/** Loss and error metrics of a regression network on a data set, in the targets' units. */
export interface RegressionEvaluation extends RegressionMetrics {
  task: 'regression';
  /** Mean loss per sample (without weight decay). */
  loss: number;
  /** Regression has no accuracy; present only so `.accuracy` reads as undefined. */
  accuracy?: undefined;
}

/** What `evaluate` reports, by the network's {@link Sequential.task}. */
export type Evaluation = ClassificationEvaluation | RegressionEvaluation;

/**
 * Output rows (rows×outputs, row-major) for shape-checked samples, written to `into` (at
 * least rows×outputs floats) when given, else to a new array; returns that array. Samples
 * not known finite are scanned as they are staged in the heap, by a WASM kernel rather than
 * in JavaScript (a 256-row MNIST batch in ~10 µs instead of ~90–130, which was a quarter of
 * predict's time on 784-25-10); a NaN or ±Infinity throws a RangeError naming `what`, its
 * row and column, before any output is written.
 */
export function predictSamples(net: Sequential, samples: Samples, what: string, into?: Float32Array): Float32Array {
  const stager = stagerFor(net);
  const data = { x: samples.x, y: samples.x, rows: samples.rows, features: net.inputs, outputs: net.outputs };
  const block = blockRows(net);
  const scan = mustScan(samples.x) ? what : undefined;
  // Several blocks: scan them all before the first output, staging each twice.
  if (scan !== undefined && samples.rows > block) {
    for (let start = 0; start < samples.rows; start += block) stager.stageRange(data, start, Math.min(block, samples.rows - start), false, scan);
  }
  const scanEach = samples.rows > block ? undefined : scan;
  const out = into ?? new Float32Array(samples.rows * net.outputs);
  for (let start = 0; start < samples.rows; start += block) {
    const count = Math.min(block, samples.rows - start);
    stager.stageRange(data, start, count, false, scanEach);
    const p = net.forward(stager.inputs, count);
    // The view after forward: staging and the first packing of the weights can grow the heap.
    out.set(net.engine.heap.f32.subarray(p >> 2, (p >> 2) + count * net.outputs), start * net.outputs);
  }
  return out;
}

/** Returns a predictor's input rows to the heap once the predictor is unreachable. */
const reclaim = new FinalizationRegistry<{ heap: Heap; ptr: number }>(({ heap, ptr }) => heap.release(ptr));

/**
 * Prediction on samples written straight into the network's heap: no copy in, no check of
 * the values, and the outputs read where the network computed them, no copy out. For serving
 * many predictions of up to `rows` samples each from one network; {@link Network.predict}
 * gives the same outputs, bit for bit, with its copies and checks.
 *
 * Both arrays are views of the heap: take them again after anything that can grow it (a
 * fit, an evaluation or prediction of more rows, another predictor), and read the outputs
 * before the network computes anything else.
 */
export class Predictor {
  /** Heap pointer of the input rows (returned to the heap when the predictor is collected). */
  private readonly x: number;

  /** A predictor for blocks of up to `rows` samples (allocates its input rows and the layers' buffers now). */
  constructor(readonly net: Sequential, readonly rows: number) {
    if (!Number.isSafeInteger(rows) || rows < 1) throw new RangeError(`predictor: rows must be a positive integer, got ${String(rows)}`);
    const bytes = rows * net.inputs * 4;
    net.checkBatch(rows, { need: blockBytes(bytes), held: 0 }, 'predictor: a block', 'use fewer rows at a time');
    this.x = net.engine.heap.alloc(bytes);
    reclaim.register(this, { heap: net.engine.heap, ptr: this.x });
    net.reserve(rows);
  }

  /** The rows×inputs floats to write samples into, row-major (a view of the heap). */
  get input(): Float32Array {
    return this.net.engine.heap.floats(this.x, this.rows * this.net.inputs);
  }

  /**
   * Run the network on the first `rows` samples of {@link Predictor.input}; returns their
   * rows×outputs outputs as a view of the heap, valid until the network computes again.
   */
  run(rows: number = this.rows): Float32Array {
    if (!Number.isSafeInteger(rows) || rows < 0 || rows > this.rows) {
      throw new RangeError(`predictor.run: rows must be an integer in 0…${this.rows}, got ${String(rows)}`);
    }
    const p = this.net.forward(this.x, rows);
    return this.net.engine.heap.floats(p, rows * this.net.outputs);
  }
}

/**
 * Mean loss and accuracy (classification) or error metrics (regression) on a prepared
 * dataset, with no dropout and no weight-decay term.
 */
export function evaluatePrepared(net: Sequential, data: Dataset): Evaluation {
  if (data.rows === 0) throw new RangeError('evaluate: no rows to evaluate');
  const stager = stagerFor(net);
  const regression = net.task === 'regression' ? new RegressionSums(net.outputs) : undefined;
  let loss = 0;
  let correct = 0;
  const block = blockRows(net);
  for (let start = 0; start < data.rows; start += block) {
    const count = Math.min(block, data.rows - start);
    stager.stageRange(data, start, count, true);
    loss += net.computeLoss(stager.inputs, stager.targets, count, false, false);
    if (regression) addStaged(regression, net, stager.targets, count);
    else correct += correctOnStaged(net, stager.targets, count);
  }
  loss /= data.rows;
  return regression ? { task: 'regression', loss, ...regression.metrics() } : { task: 'classification', loss, accuracy: correct / data.rows };
}

/** Add the `rows` outputs just computed, with targets at heap pointer `y`, to `sums`. */
export function addStaged(sums: RegressionSums, net: Sequential, y: number, rows: number): void {
  const f32 = net.engine.heap.f32;
  sums.add(f32, net.output >> 2, f32, y >> 2, rows);
}

/**
 * Rows among the `rows` just computed whose predicted class (0.5 threshold for one output,
 * argmax for several) matches the target's, with targets at heap pointer `y`.
 */
export function correctOnStaged(net: Sequential, y: number, rows: number): number {
  const f32 = net.engine.heap.f32;
  const p0 = net.output >> 2;
  const y0 = y >> 2;
  const k = net.outputs;
  let correct = 0;
  if (k === 1) {
    for (let i = 0; i < rows; i++) if (f32[p0 + i]! >= 0.5 === f32[y0 + i]! >= 0.5) correct++;
    return correct;
  }
  for (let i = 0; i < rows; i++) if (argmax(f32, p0 + i * k, k) === argmax(f32, y0 + i * k, k)) correct++;
  return correct;
}

/** Class index per row of a rows×k output block (threshold 0.5 when k = 1). */
export function classesOf(outputs: Float32Array, k: number): Int32Array {
  const rows = outputs.length / k;
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) out[i] = k === 1 ? +(outputs[i]! >= 0.5) : argmax(outputs, i * k, k);
  return out;
}
