/**
 * The demo's logic that needs no browser: the learning rates it suggests per data set and
 * optimizer, and how it writes numbers. (test/browser/demo.test.ts drives the page itself;
 * every test there needs Chromium.)
 */
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/network.js';
import type { OptimizerName } from '../../src/optim/index.js';
import { formatCount, formatLoss } from '../../demo/src/format.js';
import { BATCH_SIZE, PROBLEMS, SEED } from '../../demo/src/problems.js';

const LONG = 90_000;

describe('demo playground suggestions', () => {
  // The cost a user watches is the epoch's mean training loss: with the suggested rate it may
  // wobble but never climbs back by more than 5% of where it started, for every data set and
  // optimizer, with the form's defaults otherwise (noise 0.1).
  for (const [name, problem] of PROBLEMS) {
    it(`${name}: the suggested learning rates keep the cost from climbing`, async () => {
      for (const [optimizer, learningRate] of problem.learningRates) {
        const data = problem.make(0.1);
        const hidden = problem.hidden.split(',').map(Number);
        const net = Network.mlp([2, ...hidden, 1], { activation: problem.activation, seed: SEED });
        const losses: number[] = [];
        await net.fit(data, data.y, {
          epochs: problem.epochs, batchSize: BATCH_SIZE, optimizer: optimizer as OptimizerName, learningRate,
          callbacks: { onEpochEnd: ({ loss }) => void losses.push(loss) },
        });
        let lowest = Infinity;
        let climb = 0;
        for (const loss of losses) {
          lowest = Math.min(lowest, loss);
          climb = Math.max(climb, loss - lowest);
        }
        expect(climb / losses[0]!, `${optimizer} at ${learningRate}`).toBeLessThanOrEqual(0.05);
        expect(losses.at(-1)!, `${optimizer} at ${learningRate}`).toBeLessThan(losses[0]!);
      }
    }, LONG);
  }
});

describe('demo number formats', () => {
  it('writes counts with separators and losses to three significant digits', () => {
    expect([5000, 300, 1_234_567].map(formatCount)).toEqual(['5,000', '300', '1,234,567']);
    expect([0.345678, 0.00123456, 0.0000123, 2, 0].map(formatLoss)).toEqual(['0.346', '0.00123', '1.23e-5', '2.00', '0']);
  });
});
