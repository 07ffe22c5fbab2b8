/**
 * The browser worker's training job (src/browser/trainer.ts, run here on the Node thread)
 * accepts a CNN description: `inputShape` and image layers pass through `trainInWorker`'s
 * message to the network, training reports progress, and the model file it sends back keeps
 * the image shape and predicts like the network it came from.
 */
import { describe, expect, it } from 'vitest';
import { runTrainingJob } from '../../src/browser/trainer.js';
import type { FromWorker, TrainMessage } from '../../src/browser/protocol.js';
import { decodeModel } from '../../src/index.js';
import { randomArray } from '../helpers/harness.js';

describe('worker training job with a CNN', () => {
  it('trains, reports progress and returns a model file with the image shape', async () => {
    // 8×8 one-channel images: class 1 has a bright left half, class 0 a bright right half.
    const rows = 64;
    const x = randomArray(rows * 64, 3, 0, 0.2);
    const y = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      y[r] = r % 2;
      for (let i = 0; i < 8; i++) for (let j = 0; j < 4; j++) x[r * 64 + i * 8 + (y[r] ? j : j + 4)]! += 0.8;
    }
    const job: TrainMessage = {
      type: 'train',
      model: {
        inputShape: [8, 8, 1], seed: 2,
        layers: [
          { type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu', padding: 'same' },
          { type: 'maxPool2d', size: 2 },
          { type: 'batchNorm' },
          { type: 'dense', units: 2, activation: 'softmax' },
        ],
      },
      data: { x, y, rows },
      fit: { epochs: 20, batchSize: 16, optimizer: 'adam', learningRate: 0.01 },
    };
    const messages: FromWorker[] = [];
    await runTrainingJob(job, (m) => messages.push(m), new AbortController().signal);
    const errors = messages.filter((m) => m.type === 'error');
    expect(errors).toEqual([]);
    expect(messages.filter((m) => m.type === 'progress')).toHaveLength(20);
    const done = messages.find((m) => m.type === 'done');
    if (done?.type !== 'done') throw new Error('no done message');
    expect(done.evaluation.accuracy).toBe(1);
    const { network, header } = decodeModel(done.model);
    expect(header.inputShape).toEqual([8, 8, 1]);
    expect(network.classify({ data: x, rows, cols: 64 })).toEqual(y);
  });
});
