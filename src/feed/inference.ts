/**
 * Inference on prepared data: forward passes in blocks of rows (bounding heap use for large
 * inputs), the loss and accuracy of a dataset, and classes from output rows.
 */
import type { Dataset } from '../data/dataset.js';
import type { Samples } from '../data/boundary.js';
import type { Sequential } from '../nn/network.js';
import { argmax } from '../util/argmax.js';
import { stagerFor } from './stager.js';
import { RegressionSums, type RegressionMetrics } from './metrics.js';

/** Rows processed per block in predict/evaluate. */
const INFERENCE_BLOCK = 1024;

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

/** Output rows (rows×outputs, row-major) for validated samples. */
export function predictSamples(net: Sequential, samples: Samples): Float32Array {
  const stager = stagerFor(net);
  const data = { x: samples.x, y: samples.x, rows: samples.rows, features: net.inputs, outputs: net.outputs };
  const out = new Float32Array(samples.rows * net.outputs);
  for (let start = 0; start < samples.rows; start += INFERENCE_BLOCK) {
    const count = Math.min(INFERENCE_BLOCK, samples.rows - start);
    stager.stageRange(data, start, count, false);
    const p = net.forward(stager.inputs, count);
    out.set(net.engine.heap.floats(p, count * net.outputs), start * net.outputs);
  }
  return out;
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
  for (let start = 0; start < data.rows; start += INFERENCE_BLOCK) {
    const count = Math.min(INFERENCE_BLOCK, data.rows - start);
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
