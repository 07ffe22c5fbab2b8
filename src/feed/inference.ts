/**
 * Inference on prepared data: forward passes in blocks of rows (bounding heap use for large
 * inputs), the loss and accuracy of a dataset, and classes from output rows.
 */
import type { Dataset } from '../data/dataset.js';
import type { Samples } from '../data/boundary.js';
import type { Sequential } from '../nn/network.js';
import { argmax } from '../util/argmax.js';
import { stagerFor } from './stager.js';

/** Rows processed per block in predict/evaluate. */
const INFERENCE_BLOCK = 1024;

/** Loss and accuracy of a network on a data set. */
export interface Evaluation {
  /** Mean loss per sample (without weight decay). */
  loss: number;
  /** Fraction classified correctly (threshold 0.5 for one output, argmax otherwise). */
  accuracy: number;
}

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

/** Mean loss and accuracy on a prepared dataset (no dropout, no weight decay term). */
export function evaluatePrepared(net: Sequential, data: Dataset): Evaluation {
  if (data.rows === 0) throw new RangeError('evaluate: no rows to evaluate');
  const stager = stagerFor(net);
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < data.rows; start += INFERENCE_BLOCK) {
    const count = Math.min(INFERENCE_BLOCK, data.rows - start);
    stager.stageRange(data, start, count, true);
    loss += net.computeLoss(stager.inputs, stager.targets, count, false, false);
    correct += correctOnStaged(net, stager.targets, count);
  }
  return { loss: loss / data.rows, accuracy: correct / data.rows };
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
