import { describe, expect, it } from 'vitest';
import { RegressionSums, regressionMetrics } from '../../src/feed/metrics.js';
import { Network } from '../../src/network.js';
import { makeRegression } from '../../src/data/generators.js';

describe('regression metrics', () => {
  it('match hand-computed MSE, RMSE, MAE and R² on one column', () => {
    // y = [1, 2, 3, 4], predictions off by [0.5, −0.5, 1, 0]: SSE 1.5, SAE 2, SST 5.
    const m = regressionMetrics([1.5, 1.5, 4, 4], [1, 2, 3, 4], 1);
    expect(m.mse).toBeCloseTo(1.5 / 4, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(1.5 / 4), 12);
    expect(m.mae).toBeCloseTo(2 / 4, 12);
    expect(m.r2).toBeCloseTo(1 - 1.5 / 5, 12);
  });

  it('average R² over columns, treat a constant column as 1 when exact and 0 otherwise', () => {
    // Column 0 exact (R² 1), column 1 constant targets predicted with an error (R² 0).
    const m = regressionMetrics([1, 7, 2, 7, 3, 8], [1, 7, 2, 7, 3, 7], 2);
    expect(m.r2).toBeCloseTo(0.5, 12);
    expect(regressionMetrics([5, 5], [5, 5], 1).r2).toBe(1);
    expect(m.mse).toBeCloseTo(1 / 6, 12);
  });

  it('give the same result added block by block as at once', () => {
    const p = Array.from({ length: 30 }, (_, i) => Math.sin(i));
    const y = Array.from({ length: 30 }, (_, i) => Math.cos(i));
    const sums = new RegressionSums(3);
    sums.add(p, 0, y, 0, 4);
    sums.add(p, 12, y, 12, 6);
    const whole = regressionMetrics(p, y, 3);
    const parts = sums.metrics();
    for (const key of ['mse', 'rmse', 'mae', 'r2'] as const) expect(parts[key]).toBeCloseTo(whole[key], 12);
  });

  it("are what evaluate reports for a regression network, computed from predict's outputs", async () => {
    const data = makeRegression(300, { features: 3, noise: 0.1, seed: 2 });
    const net = Network.mlp([3, 16, 1], { outputActivation: 'linear', seed: 1, threads: 1 });
    expect(net.task).toBe('regression');
    await net.fit(data, { epochs: 30, batchSize: 32, optimizer: 'adam', learningRate: 0.01 });
    const e = net.evaluate(data);
    if (e.task !== 'regression') throw new Error('expected a regression evaluation');
    const expected = regressionMetrics(net.predict(data), data.y, 1);
    expect(e.mse).toBeCloseTo(expected.mse, 5);
    expect(e.mae).toBeCloseTo(expected.mae, 5);
    expect(e.r2).toBeCloseTo(expected.r2, 5);
    expect(e.loss).toBeCloseTo(expected.mse, 5);
    expect(e.accuracy).toBeUndefined();
    expect(e.r2).toBeGreaterThan(0.95);
  });
});
