/**
 * Inference blocks sized by the network's per-row buffers: an image network predicts and
 * evaluates thousands of rows without growing its heap by hundreds of megabytes, and the
 * outputs are those of predicting one row at a time, bit for bit (rows are independent).
 */
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/network.js';
import { randomArray } from '../helpers/harness.js';
import { oneHot } from '../helpers/cnn-cases.js';

const ROWS = 1500;

describe('inference blocks', () => {
  it('a LeNet-style CNN predicts and evaluates 1,500 digits within a bounded heap, the same outputs as one row at a time', () => {
    const net = new Network({
      inputShape: [28, 28, 1], seed: 2, threads: 1,
      layers: [
        { type: 'conv2d', filters: 8, kernelSize: 5, padding: 'same', activation: 'relu' },
        { type: 'maxPool2d', size: 2 },
        { type: 'conv2d', filters: 16, kernelSize: 5, activation: 'relu' },
        { type: 'maxPool2d', size: 2 },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
    });
    // A 1,024-row block of this network's buffers alone would take over 100 MB.
    expect(net.batchBytes(1024)).toBeGreaterThan(100 * 2 ** 20);
    const x = { data: randomArray(ROWS * 784, 5, 0, 1), rows: ROWS, cols: 784 };
    const before = net.engine.heap.stats().memoryBytes;
    const all = net.predict(x);
    const evaluation = net.evaluate(x, { data: oneHot(ROWS, 10, 6), rows: ROWS, cols: 10 });
    const grown = net.engine.heap.stats().memoryBytes - before;
    expect(grown, `heap grew by ${grown} bytes`).toBeLessThanOrEqual(40 * 2 ** 20);
    expect(evaluation.accuracy).toBeGreaterThanOrEqual(0);
    for (const row of [0, 1, 777, ROWS - 1]) {
      const one = net.predict(x.data.subarray(row * 784, (row + 1) * 784));
      expect([...one], `row ${row}`).toEqual([...all.subarray(row * 10, (row + 1) * 10)]);
    }
  });
});
