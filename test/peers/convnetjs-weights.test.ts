/**
 * The like-for-like CNN comparison with ConvNetJS (bench/peers/cnn.ts) starts simdnet from
 * ConvNetJS's initial weights, converted by bench/peers/convnetjs.ts. Both networks must then
 * compute the same function: the same softmax outputs on real digits before any training, and
 * the same weights after a few updates of the same batches with SGD momentum, which checks
 * both the layouts (a transposed or mis-ordered filter would show in the first step's
 * gradients) and that ConvNetJS's momentum form is simdnet's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Momentum, Network, loadBundledMnist, type Dataset } from '../../src/node.js';
import { TUTORIAL, rowSlice, maxDifference } from '../../bench/peers/cnn.js';
import { convnetSample, convnetTrainer, convnetTutorialNet, convnetWeightsForSimdnet, type ConvNetNet } from '../../bench/peers/convnetjs.js';

const DIGITS = 128;
const BATCH = 32;

let digits: Dataset;

beforeAll(async () => {
  const { test } = await loadBundledMnist({ seed: 1, scaling: 'unit', targets: 'one-hot' });
  digits = rowSlice(test, DIGITS);
});

/** simdnet's tutorial net holding `convnet`'s current weights. */
function simdnetCopy(convnet: ConvNetNet): Network {
  const net = new Network({ inputShape: [28, 28, 1], layers: TUTORIAL, seed: 1, threads: 1 });
  net.setWeights(convnetWeightsForSimdnet(convnet));
  return net;
}

describe('ConvNetJS weights in simdnet', () => {
  it('gives one array per simdnet parameter, of its size', () => {
    const net = new Network({ inputShape: [28, 28, 1], layers: TUTORIAL, seed: 1, threads: 1 });
    const sizes = convnetWeightsForSimdnet(convnetTutorialNet(1)).map((w) => w.length);
    expect(sizes).toEqual(net.params.map((p) => p.size));
    expect(sizes).toEqual([5 * 5 * 8, 8, 5 * 5 * 8 * 16, 16, 4 * 4 * 16 * 10, 10]);
    net.engine.close();
  });

  it('the two nets give the same softmax outputs on digits before training (within 1e-5)', () => {
    const convnet = convnetTutorialNet(1);
    const net = simdnetCopy(convnet);
    const ours = net.predict(digits);
    let max = 0;
    for (let i = 0; i < DIGITS; i++) {
      const theirs = convnet.forward(convnetSample(digits, i).v).w;
      for (let c = 0; c < 10; c++) max = Math.max(max, Math.abs(ours[i * 10 + c]! - theirs[c]!));
    }
    expect(max).toBeLessThan(1e-5);
    net.engine.close();
  });

  it('SGD momentum 0.9 on the same batches keeps the weights equal (within 1e-5 after 4 updates)', async () => {
    const convnet = convnetTutorialNet(2);
    const net = simdnetCopy(convnet);
    const trainer = convnetTrainer(convnet, { method: 'sgd', learning_rate: 0.05, momentum: 0.9 }, BATCH);
    for (let i = 0; i < DIGITS; i++) {
      const s = convnetSample(digits, i);
      trainer.train(s.v, s.label);
    }
    const before = net.getWeights();
    await net.fit(digits, { epochs: 1, batchSize: BATCH, shuffle: false, optimizer: new Momentum({ learningRate: 0.05, momentum: 0.9 }) });
    const after = net.getWeights();
    // The runs moved the weights by far more than the tolerance, so the check is not vacuous.
    expect(maxDifference(before, after)).toBeGreaterThan(1e-3);
    expect(maxDifference(after, convnetWeightsForSimdnet(convnet))).toBeLessThan(1e-5);
    net.engine.close();
  });
});
