/**
 * The Huber loss end to end: its names, and its point — a fit that a few gross outliers do
 * not drag the way they drag mean squared error.
 */
import { describe, expect, it } from 'vitest';
import { LOSS_NAMES, Network } from '../../src/index.js';
import { randomArray } from '../helpers/harness.js';

const ROWS = 64;
const OUTLIERS = [5, 21, 38, 54]; // rows whose target gets +20

/** y = 2x₁ − x₂ + 0.5 on x ∈ [−1, 1]², plus +20 on the outlier rows. */
function line() {
  const x = randomArray(ROWS * 2, 17, -1, 1);
  const clean = new Float32Array(ROWS);
  for (let i = 0; i < ROWS; i++) clean[i] = 2 * x[2 * i]! - x[2 * i + 1]! + 0.5;
  const y = clean.slice();
  for (const i of OUTLIERS) y[i] = y[i]! + 20;
  return { x: { data: x, rows: ROWS, cols: 2 }, y, clean };
}

/** Root-mean-square distance from the true line's values, over the outlier-free rows. */
function cleanRmse(pred: Float32Array, clean: Float32Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < ROWS; i++) {
    if (OUTLIERS.includes(i)) continue;
    s += (pred[i]! - clean[i]!) ** 2;
    n++;
  }
  return Math.sqrt(s / n);
}

describe('huber loss', () => {
  it.each(['huber', 'huber-loss', 'huber_loss', 'smoothL1', 'smooth-l1', 'smooth_l1'])('%s names it; targets are values', (name) => {
    const net = Network.mlp([2, 3, 1], { outputActivation: 'linear', loss: name, seed: 1 });
    expect(net.loss).toBe('huber');
    expect(net.targetKind).toBe('values');
    expect(LOSS_NAMES).toContain('huber');
  });

  it('works after any output activation (not fused) and never becomes the default', () => {
    expect(Network.mlp([2, 3, 1], { outputActivation: 'sigmoid', loss: 'huber' }).loss).toBe('huber');
    expect(Network.mlp([2, 3, 2], { outputActivation: 'softmax', loss: 'huber' }).loss).toBe('huber');
    expect(Network.mlp([2, 3, 1], { outputActivation: 'linear' }).loss).toBe('meanSquaredError');
  });

  it('evaluates to the mean over columns of ½d² inside δ = 1 and |d| − ½ beyond', () => {
    const net = new Network({ inputs: 1, layers: [{ type: 'dense', units: 2, activation: 'linear' }], loss: 'huber', seed: 1 });
    net.setWeights([[0, 0], [0, 0]]); // predictions are 0
    // Row 0: d = −0.5, −3 → (0.125 + 2.5)/2; row 1: d = 1, 0 → 0.5/2.
    const { loss } = net.evaluate({ data: [1, 2], rows: 2, cols: 1 }, { data: [0.5, 3, -1, 0], rows: 2, cols: 2 });
    expect(loss).toBeCloseTo((2.625 / 2 + 0.25) / 2, 6);
  });

  it('fits y = 2x₁ − x₂ + 0.5 with +20 outliers closer to the true line than MSE does (robustness)', async () => {
    const { x, y, clean } = line();
    const fitWith = async (loss: 'huber' | 'meanSquaredError') => {
      const net = Network.mlp([2, 8, 1], { outputActivation: 'linear', loss, seed: 3 });
      await net.fit(x, y, { epochs: 400, batchSize: 16, optimizer: 'adam', learningRate: 0.01 });
      return cleanRmse(net.predict(x), clean);
    };
    const huber = await fitWith('huber');
    const mse = await fitWith('meanSquaredError');
    // The outliers shift MSE's fit by about their mean pull (4·20/64 ≈ 1.25) near them; Huber
    // caps each one's gradient at δ = 1.
    expect(huber, `huber ${huber} vs mse ${mse}`).toBeLessThan(0.25 * mse);
    expect(huber).toBeLessThan(0.25);
  });
});
