import { describe, expect, it } from 'vitest';
import { Adam, Network, NonFiniteError, SGD } from '../../src/index.js';
import { randomArray } from '../helpers/harness.js';

function blobs(rows: number, seed: number) {
  // Two separable clouds around (−1, −1) and (1, 1).
  const noise = randomArray(rows * 2, seed, -0.6, 0.6);
  const x = new Float32Array(rows * 2);
  const y = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = i % 2;
    y[i] = c;
    x[2 * i] = (c ? 1 : -1) + noise[2 * i]!;
    x[2 * i + 1] = (c ? 1 : -1) + noise[2 * i + 1]!;
  }
  return { x: { data: x, rows, cols: 2 }, y };
}

describe('Network construction', () => {
  it('builds the seeds layer_dims and reports its parameters', () => {
    const net = Network.mlp([784, 25, 10], { activation: 'tanh' });
    expect(net.inputs).toBe(784);
    expect(net.outputs).toBe(10);
    expect(net.loss).toBe('categoricalCrossEntropy');
    expect(net.parameterCount).toBe(784 * 25 + 25 + 25 * 10 + 10);
    expect(net.summary()).toContain('dense_0');
  });

  it('rejects unknown names and bad sizes with messages naming the layer', () => {
    expect(() => Network.mlp([2, 3, 1], { activation: 'relux' as 'relu' })).toThrow(
      'layer 0 (dense): unknown activation "relux"',
    );
    expect(() => new Network({ inputs: 2, layers: [{ type: 'dense', units: 0 }] })).toThrow('layer 0 (dense): units must be a positive integer, got 0');
    expect(() => new Network({ inputs: 2, layers: [{ type: 'dropout', rate: 0.5 }] })).toThrow('the last layer must be dense');
    expect(() => Network.mlp([2, 3, 1], { outputActivation: 'tanh', loss: 'binaryCrossEntropy' })).toThrow(
      'loss binaryCrossEntropy needs a sigmoid output layer, but the output activation is tanh',
    );
    expect(() => Network.mlp([2, 3, 1], { loss: 'hinge' })).toThrow('Network: loss: unknown loss "hinge"');
    expect(() => Network.mlp([2, 3, 1], { backend: 'gpu' as 'js' })).toThrow("unknown backend \"gpu\"; expected 'wasm' or 'js'");
  });
});

describe('Network data checks', () => {
  const net = Network.mlp([3, 4, 2], { seed: 1 });
  it('names both shapes when the data width does not match the first layer', () => {
    expect(() => net.predict({ data: new Float32Array(8), rows: 2, cols: 4 })).toThrow(
      "predict: x: shape [2, 4] does not match the network's [2, 3] (3 features per sample, layout 'rows')",
    );
  });
  it('rejects NaN and Infinity in inputs with their position', () => {
    expect(() => net.predict([[1, 2, 3], [4, NaN, 6]])).toThrow('x: non-finite value NaN at row 1, column 1');
  });
  it('rejects labels of the wrong width or range', () => {
    const x = [[1, 2, 3]];
    expect(() => net.evaluate(x, [[1, 0, 0]])).toThrow("evaluate: y: shape [1, 3] does not match the [1, 2] the network needs (1 samples, 2 outputs, layout 'rows')");
    expect(() => net.evaluate(x, [2])).toThrow('evaluate: y: label 2 at row 0 is not a class index in 0..1');
  });
  it('rejects non-finite or mis-sized weights in setWeights', () => {
    const w = net.getWeights();
    w[1]![2] = Infinity;
    expect(() => net.setWeights(w)).toThrow('setWeights: dense_0.b[2] is Infinity');
    expect(() => net.setWeights([new Float32Array(3)])).toThrow('setWeights: got 1 arrays, the network has 4');
  });

  it('accepts the seeds column layout (n×m) and gives the same predictions', () => {
    const rows = [[0.1, 0.2, 0.3], [1, -1, 0.5]];
    const columns = [[0.1, 1], [0.2, -1], [0.3, 0.5]];
    expect(net.predict(columns, { layout: 'columns' })).toEqual(net.predict(rows));
  });
});

describe('training', () => {
  it('is deterministic: the same seed gives bit-identical weights', async () => {
    const run = async () => {
      const net = Network.mlp([2, 8, 1], { activation: 'tanh', seed: 42, dropout: 0.2 });
      const { x, y } = blobs(64, 3);
      await net.fit(x, y, { epochs: 3, batchSize: 16, optimizer: 'adam', learningRate: 0.01 });
      return net.getWeights();
    };
    expect(await run()).toEqual(await run());
  });

  it('wasm and js backends train to the same numbers within float tolerance', async () => {
    const train = async (backend: 'wasm' | 'js') => {
      const net = Network.mlp([2, 8, 8, 1], { activation: 'relu', seed: 5, backend });
      const { x, y } = blobs(50, 9);
      const h = await net.fit(x, y, { epochs: 5, batchSize: 10, optimizer: 'momentum', learningRate: 0.05 });
      return { weights: net.getWeights(), loss: h.epochs.at(-1)!.loss };
    };
    const a = await train('wasm');
    const b = await train('js');
    expect(a.loss).toBeCloseTo(b.loss, 4);
    a.weights.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - b.weights[i]![j]!)).toBeLessThan(1e-3)));
  });

  it('clipNorm rescales the whole gradient to the given global norm', async () => {
    const step = async (clipNorm?: number) => {
      const net = Network.mlp([2, 8, 1], { seed: 3 });
      const { x, y } = blobs(32, 4);
      const before = net.getWeights();
      await net.fit(x, y, { epochs: 1, batchSize: 'full', optimizer: new SGD({ learningRate: 0.1 }), ...(clipNorm ? { clipNorm } : {}) });
      let sq = 0;
      net.getWeights().forEach((w, i) => w.forEach((v, j) => (sq += (v - before[i]![j]!) ** 2)));
      return Math.sqrt(sq);
    };
    const free = await step();
    expect(free).toBeGreaterThan(0.1 * 0.05); // the unclipped step is larger than the clipped one
    expect(await step(0.05)).toBeCloseTo(0.1 * 0.05, 6);
    expect(await step(1e6)).toBeCloseTo(free, 9); // a bound above the norm changes nothing
  });

  it('L2 weight decay adds λ/m·W to weight gradients only, and λ/(2m)·ΣW² to the cost', async () => {
    const lambda = 0.5;
    const lr = 0.1;
    const { x, y } = blobs(16, 6);
    const run = async (l2: number) => {
      const net = Network.mlp([2, 4, 1], { seed: 8 });
      const w0 = net.getWeights();
      const h = await net.fit(x, y, { epochs: 1, batchSize: 'full', optimizer: new SGD({ learningRate: lr }), l2 });
      return { w0, w1: net.getWeights(), cost: h.costs[0]!.loss };
    };
    const plain = await run(0);
    const decayed = await run(lambda);
    plain.w0.forEach((w, i) => {
      const isWeight = i % 2 === 0;
      w.forEach((v, j) => {
        const expected = plain.w1[i]![j]! - (isWeight ? (lr * lambda * v) / 16 : 0);
        expect(decayed.w1[i]![j]).toBeCloseTo(expected, 6);
      });
    });
    const sq = plain.w0.filter((_, i) => i % 2 === 0).reduce((s, w) => s + w.reduce((a, v) => a + v * v, 0), 0);
    expect(decayed.cost).toBeCloseTo(plain.cost + (lambda / 32) * sq, 6);
  });

  it('keeps heap usage constant over thousands of steps (no leaks)', async () => {
    const net = Network.mlp([2, 16, 1], { seed: 1, dropout: 0.1 });
    const { x, y } = blobs(40, 1);
    const adam = new Adam({ learningRate: 0.01 });
    await net.fit(x, y, { epochs: 1, batchSize: 8, optimizer: adam });
    net.predict(x); // buffers grow once to the largest block seen, here 40 rows
    const before = net.memoryStats();
    await net.fit(x, y, { epochs: 600, batchSize: 8, optimizer: adam, l2: 0.01, clipNorm: 1, validationSplit: 0.2 });
    net.predict(x);
    net.evaluate(x, y);
    expect(net.memoryStats()).toEqual(before);
    // An optimizer made from a name inside fit is freed when fit returns.
    await net.fit(x, y, { epochs: 5, batchSize: 8, optimizer: 'rmsprop' });
    expect(net.memoryStats()).toEqual(before);
  });

  it('stops with an error naming epoch and batch when the loss diverges, keeping finite weights', async () => {
    const net = Network.mlp([2, 8, 1], { activation: 'linear', outputActivation: 'linear', loss: 'meanSquaredError', seed: 1 });
    const x = { data: randomArray(64, 2, -50, 50), rows: 32, cols: 2 };
    const y = randomArray(32, 4, -100, 100);
    const err = await net.fit(x, y, { epochs: 50, batchSize: 8, optimizer: new SGD({ learningRate: 10 }) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteError);
    expect((err as Error).message).toMatch(/^training diverged: .* at epoch \d+, batch \d+ \(update \d+\)/);
    for (const w of net.getWeights()) for (const v of w) expect(Number.isFinite(v)).toBe(true);
  });

  it('stops cleanly on abort and on a callback returning false', async () => {
    const net = Network.mlp([2, 4, 1], { seed: 1 });
    const { x, y } = blobs(32, 2);
    const controller = new AbortController();
    const h = await net.fit(x, y, {
      epochs: 100, batchSize: 4,
      callbacks: { onBatchEnd: (b) => void (b.step === 5 && controller.abort()) },
      signal: controller.signal,
    });
    expect(h.stopReason).toBe('aborted');
    expect(h.steps).toBe(5);
    const h2 = await net.fit(x, y, { epochs: 100, callbacks: { onEpochEnd: (e) => e.epoch < 3 } });
    expect(h2.stopReason).toBe('callback');
    expect(h2.epochs).toHaveLength(3);
  });

  it('early stopping restores the best weights', async () => {
    const net = Network.mlp([2, 8, 1], { seed: 2 });
    const { x, y } = blobs(80, 5);
    const h = await net.fit(x, y, {
      epochs: 200, batchSize: 80, optimizer: new SGD({ learningRate: 0.5 }), validationSplit: 0.25,
      earlyStopping: { patience: 3, minDelta: 1e-3 },
    });
    expect(h.stopReason).toBe('earlyStopping');
    const best = h.epochs.reduce((a, e) => (e.valLoss! < a.valLoss! - 1e-3 ? e : a));
    expect(h.restoredEpoch).toBeDefined();
    const evalNow = net.evaluate({ data: x.data.subarray(120), rows: 20, cols: 2 }, y.subarray(60));
    expect(evalNow.loss).toBeCloseTo(h.epochs[h.restoredEpoch! - 1]!.valLoss!, 5);
    expect(h.restoredEpoch).toBeLessThanOrEqual(best.epoch);
  });

  it('yields to the event loop while training (at least once per epoch)', async () => {
    const net = Network.mlp([2, 8, 1], { seed: 1 });
    const { x, y } = blobs(64, 1);
    let ran = 0;
    const seen: number[] = [];
    const tick = () => {
      ran++;
      if (ran < 1000) setImmediate(tick);
    };
    setImmediate(tick);
    await net.fit(x, y, { epochs: 5, batchSize: 64, callbacks: { onEpochEnd: () => void seen.push(ran) } });
    // Each epoch is one 64-row batch, far under 15 ms: only the per-epoch yield lets `tick` run.
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]!);
  });
});

describe('inference and loss agree', () => {
  it('evaluate’s cross-entropy equals the one computed from predict’s probabilities', () => {
    const net = Network.mlp([3, 5, 5, 4], { activation: 'tanh', seed: 4 });
    const x = { data: randomArray(30, 8), rows: 10, cols: 3 };
    const labels = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1];
    const probs = net.predict(x);
    const expected = labels.reduce((s, c, i) => s - Math.log(probs[i * 4 + c]!), 0) / labels.length;
    expect(net.evaluate(x, labels).loss).toBeCloseTo(expected, 5);
    const classes = net.classify(x);
    const accuracy = labels.filter((c, i) => classes[i] === c).length / labels.length;
    expect(net.evaluate(x, labels).accuracy).toBe(accuracy);
  });
});
