/**
 * Each input value is checked once between the loader and the kernels. The loaders check
 * what they parse and mark the arrays (`checkCounters.marked`); the boundary scans only
 * arrays it has not seen (`checkCounters.scanned`) and encodes targets once per dataset
 * (`checkCounters.targetsEncoded`). This runs the default `simdnet train` road in process —
 * bundled MNIST, the CLI's problem, fit with validation, evaluate, classify — and counts.
 */
import { describe, expect, it } from 'vitest';
import { checkCounters } from '../../src/data/checked.js';
import { prepareProblem } from '../../src/cli/problem.js';
import { Network } from '../../src/network.js';

const snapshot = () => ({ ...checkCounters });

describe('the default MNIST road', () => {
  it('checks every pixel once (in the loader) and one-hot encodes each part once', async () => {
    const before = snapshot();
    const problem = await prepareProblem({ data: 'mnist', seed: 1, trainSize: 2000 });
    const loaded = snapshot();
    // 8,000 + 2,000 bundled digits of 784 pixels, each checked as the loader builds it.
    expect(loaded.marked - before.marked).toBe(10_000 * 784);

    const net = Network.mlp([784, 32, 10], { seed: 1, threads: 1, classNames: problem.classNames });
    await net.fit(problem.train, { epochs: 2, batchSize: 64, optimizer: 'adam', learningRate: 1e-3, validationData: problem.test });
    const trainEval = net.evaluate(problem.train);
    net.evaluate(problem.test);
    net.classify(problem.test);
    await net.fit(problem.train, { epochs: 1, batchSize: 64 });
    const after = snapshot();

    expect(after.scanned - loaded.scanned).toBe(0);
    expect(after.marked - loaded.marked).toBe(0);
    expect(after.targetsEncoded - loaded.targetsEncoded).toBe(2);
    expect(trainEval.accuracy).toBeGreaterThan(0.8);
  });

  it('scans a Dataset once per network, and a bare user array on every call (it may have changed)', async () => {
    const net = Network.mlp([3, 4, 2], { seed: 1, threads: 1 });
    const x = new Float32Array([1, 2, 3, 4, 5, 6]);
    const data = { x, y: new Float32Array([0, 1]), rows: 2, features: 3, outputs: 1 };
    const before = checkCounters.scanned;
    await net.fit(data, { epochs: 2, batchSize: 1 });
    net.evaluate(data);
    await net.fit(data, { epochs: 1 });
    // The samples once; class indices are range-checked while one-hot encoding them, not scanned.
    expect(checkCounters.scanned - before).toBe(6);
    net.predict(x);
    x[4] = NaN;
    expect(() => net.predict(x)).toThrow('predict: x: non-finite value NaN at row 1, column 1');
    expect(checkCounters.scanned - before).toBe(6 + 6 + 6);
  });
});
