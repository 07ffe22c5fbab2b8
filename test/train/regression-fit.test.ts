import { describe, expect, it } from 'vitest';
import { Network } from '../../src/network.js';
import { makeRegression, makeSine } from '../../src/data/generators.js';
import { regressionMetrics } from '../../src/feed/metrics.js';

describe('fit on a regression network', () => {
  const train = makeSine(600, 0.05, 1);
  const test = makeSine(200, 0.05, 2);

  it('logs RMSE, MAE and R² per epoch (training and validation), not accuracy', async () => {
    const net = Network.mlp([1, 32, 1], { activation: 'tanh', outputActivation: 'linear', seed: 1, threads: 1 });
    const history = await net.fit(train, { epochs: 60, batchSize: 32, optimizer: 'adam', learningRate: 0.02, validationData: test });
    const last = history.epochs.at(-1)!;
    expect(last.accuracy).toBeUndefined();
    expect(last.valAccuracy).toBeUndefined();
    expect(last.rmse).toBeCloseTo(Math.sqrt(last.loss), 1);
    expect(last.valR2).toBeGreaterThan(0.98);
    const v = regressionMetrics(net.predict(test), test.y, 1);
    expect(last.valRmse).toBeCloseTo(v.rmse, 6);
    expect(last.valMae).toBeCloseTo(v.mae, 6);
    expect(last.valR2).toBeCloseTo(v.r2, 6);
    expect(history.epochs[0]!.r2!).toBeLessThan(last.r2!);
  });

  it('stops early on validation R² and restores the best epoch', async () => {
    const net = Network.mlp([1, 16, 1], { activation: 'tanh', outputActivation: 'linear', seed: 2, threads: 1 });
    const history = await net.fit(train, {
      epochs: 400, batchSize: 32, optimizer: 'adam', learningRate: 0.02, validationData: test,
      earlyStopping: { monitor: 'valR2', patience: 3, minDelta: 1e-3 },
    });
    expect(history.stopReason).toBe('earlyStopping');
    const best = Math.max(...history.epochs.map((e) => e.valR2!));
    expect(history.epochs[history.restoredEpoch! - 1]!.valR2).toBe(best);
  });

  it('recovers the coefficients and bias of a linear problem with one linear unit', async () => {
    const data = makeRegression(500, { features: 3, coefficients: [1.5, -2, 0.25], bias: 4, noise: 0.01, seed: 5 });
    const net = Network.mlp([3, 1], { outputActivation: 'linear', initializer: 'zeros', seed: 1, threads: 1 });
    await net.fit(data, { epochs: 300, batchSize: 'full', optimizer: 'sgd', learningRate: 0.1 });
    const [w, b] = net.getWeights();
    [1.5, -2, 0.25].forEach((c, i) => expect(w![i]).toBeCloseTo(c, 2));
    expect(b![0]).toBeCloseTo(4, 2);
  });
});
