/**
 * Training with threads: the same weights as one thread, bit for bit, and a process that
 * trained with a pool exits by itself (the workers never keep it alive).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Network, Adam } from '../../src/index.js';
import { ensureBuilt, ROOT } from '../cli/run.js';
import { seeded } from './rig.js';

/** Random 784-feature rows with one-hot targets (the shapes of MNIST, big enough to split). */
function data(rows: number): { x: Float32Array; y: Float32Array } {
  const x = seeded(rows * 784, 5).map((v) => Math.abs(v));
  const y = new Float32Array(rows * 10);
  for (let r = 0; r < rows; r++) y[r * 10 + (Math.floor(x[r * 784]! * 997) % 10)] = 1;
  return { x, y };
}

async function trainedWeights(threads: number): Promise<Float32Array[]> {
  const net = Network.mlp([784, 128, 64, 10], { activation: 'relu', seed: 3, threads, dropout: 0.1 });
  expect(net.engine.threads.count).toBe(threads);
  const { x, y } = data(768);
  await net.fit({ data: x, rows: 768, cols: 784 }, { data: y, rows: 768, cols: 10 }, {
    epochs: 2, batchSize: 256, optimizer: new Adam({ learningRate: 1e-3 }),
  });
  net.engine.close();
  return net.getWeights();
}

/**
 * A CNN over 28×28 images with every image kernel the pool splits (im2col, col2im, both
 * poolings, batch norm after a convolution), batches big enough to pass the split thresholds.
 */
async function trainedCnnWeights(threads: number): Promise<Float32Array[]> {
  const net = new Network({
    inputShape: [28, 28, 1], seed: 3, threads,
    layers: [
      { type: 'conv2d', filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' },
      { type: 'batchNorm' },
      { type: 'maxPool2d', size: 2 },
      { type: 'conv2d', filters: 8, kernelSize: 3, activation: 'tanh' },
      { type: 'avgPool2d', size: 2 },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
  });
  expect(net.engine.threads.count).toBe(threads);
  const { x, y } = data(192);
  await net.fit({ data: x, rows: 192, cols: 784 }, { data: y, rows: 192, cols: 10 }, {
    epochs: 1, batchSize: 64, optimizer: new Adam({ learningRate: 1e-3 }),
  });
  net.engine.close();
  return net.getWeights();
}

/** Every parameter array of `many` equals `one`'s bit for bit. */
function expectSameWeights(one: Float32Array[], many: Float32Array[], what: string): void {
  many.forEach((w, i) => {
    const a = new Uint32Array(one[i]!.buffer), b = new Uint32Array(w.buffer);
    expect(b.length).toBe(a.length);
    const at = b.findIndex((v, j) => v !== a[j]);
    expect(at, `${what}, parameter array ${i}: first difference at ${at}`).toBe(-1);
  });
}

describe('training with threads', () => {
  it('threads: 2 and 3 give exactly the weights of threads: 1', async () => {
    const one = await trainedWeights(1);
    for (const threads of [2, 3]) expectSameWeights(one, await trainedWeights(threads), `${threads} threads`);
  });

  it('a CNN trained with threads: 2 and 3 has exactly the weights of threads: 1', async () => {
    const one = await trainedCnnWeights(1);
    for (const threads of [2, 3]) expectSameWeights(one, await trainedCnnWeights(threads), `CNN, ${threads} threads`);
  });

  it('a process that trained with threads exits by itself', () => {
    ensureBuilt();
    const script = `
      import { Network, SGD } from ${JSON.stringify(join(ROOT, 'dist', 'node.js'))};
      const rows = 512, x = new Float32Array(rows * 784).map((_, i) => (i * 7919 % 1000) / 1000);
      const y = new Float32Array(rows * 10).map((_, i) => (i % 10 === (i / 10 | 0) % 10 ? 1 : 0));
      const net = Network.mlp([784, 128, 64, 10], { threads: 2 });
      await net.fit({ data: x, rows, cols: 784 }, { data: y, rows, cols: 10 }, { epochs: 2, batchSize: 256, optimizer: new SGD({ learningRate: 0.05 }) });
      await new Promise((r) => setTimeout(r, 200)); // the workers are up and asleep in Atomics.wait
      console.log('trained with', net.engine.threads.count, 'threads');
    `;
    const started = Date.now();
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(child.error, 'the child did not exit within 60 s').toBeUndefined();
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('trained with 2 threads\n');
    expect(child.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
