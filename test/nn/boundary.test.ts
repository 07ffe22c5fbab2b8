/**
 * Named defects of the public data boundary, one case each: every one of them was wrong
 * before the boundary module (src/data/boundary.ts) existed.
 */
import { describe, expect, it } from 'vitest';
import { Network, decodeModel, encodeModel, makeBlobs, makeMoons, type Dataset } from '../../src/index.js';
import { checkCounters } from '../../src/data/checked.js';

type ErrorClass = typeof TypeError | typeof RangeError;

/** The error a call throws or rejects with, or undefined when it succeeds. */
async function failure(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** The call fails with `type` and a message matching `message`. */
async function expectFailure(call: () => unknown, type: ErrorClass, message: RegExp): Promise<void> {
  const e = await failure(call);
  expect(e, 'the call should fail').toBeInstanceOf(type);
  expect((e as Error).message).toMatch(message);
}

const x4 = [[0, 0], [0, 1], [1, 0], [1, 1]];

describe('the data boundary, named cases', () => {
  it('fit(dataset, dataset.y, options) honours its options', async () => {
    const moons = makeMoons(200, 0.1, 1);
    const net = Network.mlp([2, 16, 1], { seed: 1, threads: 1 });
    const history = await net.fit(moons, moons.y, { epochs: 200, optimizer: 'adam', learningRate: 0.05 });
    expect(history.epochs.length).toBe(200);
    expect(net.evaluate(moons).accuracy).toBeGreaterThanOrEqual(0.85);
  });

  it("layout 'cols' and 'diagonal' are TypeErrors in fit, evaluate and predict", async () => {
    const net = Network.mlp([2, 3, 1], { seed: 1, threads: 1 });
    for (const layout of ['cols', 'diagonal']) {
      const options = { layout } as unknown as { layout: 'rows' };
      await expectFailure(() => net.fit(x4, [0, 1, 1, 0], options), TypeError, /^fit: layout must be 'rows' or 'columns'/);
      await expectFailure(() => net.evaluate(x4, [0, 1, 1, 0], options), TypeError, /^evaluate: layout must be 'rows' or 'columns'/);
      await expectFailure(() => net.predict(x4, options), TypeError, /^predict: layout must be 'rows' or 'columns'/);
    }
  });

  it('binary targets 2 or −1 and one-hot values 7 are RangeErrors', async () => {
    const binary = Network.mlp([2, 3, 1], { seed: 1, threads: 1 });
    for (const bad of [2, -1]) {
      await expectFailure(() => binary.fit(x4, [0, 1, bad, 0]), RangeError, new RegExp(`^fit: y: target ${bad} at row 2`));
      await expectFailure(() => binary.evaluate(x4, [0, 1, bad, 0]), RangeError, new RegExp(`^evaluate: y: target ${bad} at row 2`));
    }
    const categorical = Network.mlp([2, 3, 2], { seed: 1, threads: 1 });
    const oneHot = [[1, 0], [0, 1], [7, 0], [0, 1]];
    await expectFailure(() => categorical.fit(x4, oneHot), RangeError, /^fit: y: target row 2 sums to 7/);
    await expectFailure(() => categorical.evaluate(x4, oneHot), RangeError, /^evaluate: y: target row 2 sums to 7/);
  });

  it('validationSplit NaN, and a split that holds out no rows, are RangeErrors', async () => {
    const net = Network.mlp([2, 3, 1], { seed: 1, threads: 1 });
    const moons = makeMoons(10, 0.1, 1);
    await expectFailure(() => net.fit(moons, { validationSplit: NaN }), RangeError, /^fit: validationSplit must be a number in \[0, 0\.99\], got NaN/);
    await expectFailure(() => net.fit(moons, { validationSplit: 0.01 }), RangeError, /^fit: validationSplit 0\.01 of 10 rows holds out no rows/);
  });

  it('a training set of one class is a RangeError naming the class', async () => {
    const net = Network.mlp([2, 3, 1], { seed: 1, threads: 1 });
    await expectFailure(() => net.fit(x4, [1, 1, 1, 1]), RangeError, /^fit: all 4 training rows are of class "1"/);
    const pets: Dataset = {
      x: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]), y: new Float32Array([1, 1, 1, 1]), labels: new Int32Array([1, 1, 1, 1]),
      rows: 4, features: 2, outputs: 1, classNames: ['cat', 'dog'],
    };
    await expectFailure(() => Network.mlp([2, 3, 1], { seed: 1, threads: 1 }).fit(pets), RangeError, /^fit: all 4 training rows are of class "dog"/);
  });

  it('a softmax output of one unit is a TypeError at construction', () => {
    expect(() => Network.mlp([2, 3, 1], { outputActivation: 'softmax', threads: 1 })).toThrow(TypeError);
    expect(() => Network.mlp([2, 3, 1], { outputActivation: 'softmax', threads: 1 })).toThrow(/a softmax over 1 unit always outputs 1/);
  });

  it('a flat Float32Array (what Dataset.x is) predicts when its length is whole samples, and names both numbers when not', async () => {
    const net = Network.mlp([3, 4, 2], { seed: 1, threads: 1 });
    const x = new Float32Array([0.1, 0.2, 0.3, -1, 0, 1]);
    expect(net.predict(x)).toEqual(net.predict({ data: x, rows: 2, cols: 3 }));
    expect(net.predict(x).length).toBe(4);
    await expectFailure(() => net.predict(new Float32Array(7)), RangeError, /^predict: x: a flat array of 7 values is not a whole number of samples of 3 values/);
  });

  it('null, undefined or a string as samples or targets, and optimizer {}, are TypeErrors naming the call', async () => {
    const net = Network.mlp([2, 3, 1], { seed: 1, threads: 1 });
    const y = [0, 1, 1, 0];
    for (const junk of [null, undefined, 'x4']) {
      const bad = junk as unknown as number[];
      await expectFailure(() => net.predict(bad), TypeError, /^predict: /);
      await expectFailure(() => net.classify(bad), TypeError, /^classify: /);
      await expectFailure(() => net.evaluate(bad, y), TypeError, /^evaluate: /);
      await expectFailure(() => net.evaluate(x4, bad), TypeError, /^evaluate: /);
      await expectFailure(() => net.fit(bad, y), TypeError, /^fit: /);
      await expectFailure(() => net.fit(x4, bad), TypeError, /^fit: /);
    }
    await expectFailure(() => net.fit(x4, y, { optimizer: {} as 'sgd' }), TypeError, /^fit: optimizer must be an Optimizer/);
  });

  it('the fit error for mis-shaped targets speaks of outputs, not features', async () => {
    const net = Network.mlp([2, 3, 2], { seed: 1, threads: 1 });
    const e = await failure(() => net.fit(x4, [[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 1, 0]]));
    expect(e).toBeInstanceOf(RangeError);
    expect((e as Error).message).toMatch(/^fit: y: .*2 outputs/);
    expect((e as Error).message).not.toMatch(/features/);
  });

  it('a Dataset passed to fit twice and to evaluate is scanned for finiteness once', async () => {
    const moons = makeMoons(64, 0.1, 3);
    // Fresh arrays, so no loader has marked them finite.
    const data: Dataset = { x: moons.x.slice(), y: moons.y.slice(), rows: moons.rows, features: 2, outputs: 1 };
    const net = Network.mlp([2, 4, 1], { seed: 1, threads: 1 });
    const before = checkCounters.scanned;
    await net.fit(data, { epochs: 1 });
    const afterFirst = checkCounters.scanned;
    expect(afterFirst - before).toBeGreaterThanOrEqual(data.x.length + data.y.length);
    await net.fit(data, { epochs: 1 });
    net.evaluate(data);
    await net.fit(data, { epochs: 1, batchSize: 'full' });
    expect(checkCounters.scanned - afterFirst).toBe(0);
  });

  it('class names: kept, saved and loaded, and datasets mapped by name; an unknown class is a RangeError naming it', async () => {
    const blobs = makeBlobs(150, 3, 0.5, 4);
    const abc: Dataset = { ...blobs, classNames: ['a', 'b', 'c'] };
    const net = Network.mlp([2, 8, 3], { seed: 1, threads: 1 });
    await net.fit(abc, { epochs: 30, optimizer: 'adam', learningRate: 0.05 });
    expect(net.classNames).toEqual(['a', 'b', 'c']);

    const loaded = decodeModel(encodeModel(net)).network;
    expect(loaded.classNames).toEqual(['a', 'b', 'c']);

    // The rows of classes c and a, named in that order.
    const rows = [...blobs.labels.keys()].filter((r) => blobs.labels[r] !== 1);
    const x = Float32Array.from(rows.flatMap((r) => [blobs.x[2 * r]!, blobs.x[2 * r + 1]!]));
    const original = Int32Array.from(rows, (r) => blobs.labels[r]!);
    const own = Int32Array.from(original, (l) => (l === 2 ? 0 : 1));
    const ca: Dataset = { x, y: Float32Array.from(own), labels: own, rows: rows.length, features: 2, outputs: 1, classNames: ['c', 'a'] };
    const expected = net.evaluate({ data: x, rows: rows.length, cols: 2 }, original);
    expect(expected.accuracy).toBeGreaterThan(0.9);
    expect(net.evaluate(ca)).toEqual(expected);
    expect(loaded.evaluate(ca)).toEqual(expected);

    const ad: Dataset = { ...ca, classNames: ['a', 'd'] };
    await expectFailure(() => net.evaluate(ad), RangeError, /^evaluate: class "d" is not one of the network's classes/);
    await expectFailure(() => net.fit(ad, { epochs: 1 }), RangeError, /^fit: class "d" is not one of the network's classes/);
  });
});

describe('the data boundary, defects found by its property tests', () => {
  const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
  const data = (extra: Partial<Dataset> = {}): Dataset => ({
    x: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]), y: new Float32Array([0, 1, 1, 0]), rows: 4, features: 2, outputs: 1, ...extra,
  });

  it('a typed array where options belong (predict(x, labels)) is a TypeError, not ignored', async () => {
    const net = Network.mlp([2, 3, 1], { seed: 1, threads: 1 });
    await expectFailure(() => net.predict(x, new Int32Array([0, 1, 1, 0]) as never), TypeError, /^predict: options must be an object, got a Int32Array/);
  });

  it("a Dataset with layout 'columns' is a TypeError in predict and classify, not read transposed", async () => {
    const net = Network.mlp([2, 3, 1], { seed: 1, threads: 1 });
    const square = data({ x: new Float32Array([0, 1, 2, 3]), y: new Float32Array([0, 1]), rows: 2 });
    await expectFailure(() => net.predict(square, { layout: 'columns' }), TypeError, /^predict: x: layout 'columns' applies to samples given apart/);
    await expectFailure(() => net.classify(square, { layout: 'columns' }), TypeError, /^classify: x: layout 'columns'/);
  });

  it('a Dataset given as targets is a TypeError, not its samples read as targets', async () => {
    const net = Network.mlp([2, 3, 2], { outputActivation: 'linear', seed: 1, threads: 1 });
    const validation = data({ x: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]) });
    await expectFailure(() => net.fit(data(), validation as never), TypeError, /^fit: y: got a Dataset as targets/);
    await expectFailure(() => net.evaluate(x, validation as never), TypeError, /^evaluate: y: got a Dataset as targets/);
  });

  it('a Dataset whose fields are not arrays and numbers is a TypeError or RangeError naming the call', async () => {
    const net = Network.mlp([2, 3, 1], { seed: 1, threads: 1 });
    await expectFailure(() => net.evaluate(data({ x: undefined as never })), TypeError, /^evaluate: the dataset's x must be a typed array/);
    await expectFailure(() => net.fit(data({ y: null as never })), TypeError, /^fit: the dataset's y must be a typed array/);
    await expectFailure(() => net.evaluate(data({ labels: 'ab' as never })), TypeError, /^evaluate: the dataset's labels must be/);
    await expectFailure(() => net.evaluate(data({ rows: Object.create(null) as never })), RangeError, /^evaluate: the dataset's rows must be a non-negative integer/);
  });

  it("a Dataset's classNames are checked: strings, distinct, no more than the outputs tell apart", async () => {
    const net = Network.mlp([2, 3, 1], { seed: 1, threads: 1 });
    await expectFailure(() => net.evaluate(data({ classNames: ['a', 'a'] })), RangeError, /^evaluate: the dataset's classNames name class "a" twice/);
    await expectFailure(() => net.evaluate(data({ classNames: 5 as never })), TypeError, /^evaluate: the dataset's classNames must be a non-empty array of strings/);
    await expectFailure(() => net.fit(data({ classNames: [1, 2] as never })), TypeError, /^fit: the dataset's classNames must be/);
    await expectFailure(() => net.evaluate(data({ classNames: ['a', 'b', 'c'] })), RangeError, /^evaluate: the dataset names 3 classes/);
  });

  it('a rejected fit leaves the class names it would have taken from the data', async () => {
    const net = Network.mlp([2, 3, 1], { seed: 1, threads: 1 });
    const named = data({ classNames: ['no', 'yes'] });
    await expectFailure(() => net.fit(named, { optimizer: {} as 'sgd' }), TypeError, /^fit: optimizer/);
    expect(net.classNames).toBeUndefined();
  });

  it('named classes map from one-hot rows without labels; targets that are not classes are a RangeError, not truncated', async () => {
    const net = Network.mlp([2, 3, 3], { seed: 1, threads: 1, classNames: ['a', 'b', 'c'] });
    const abc = { x: new Float32Array([0, 0, 0, 1, 1, 0]), y: new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]), rows: 3, features: 2, outputs: 3, classNames: ['a', 'b', 'c'] };
    const cab = { ...abc, y: new Float32Array([0, 1, 0, 0, 0, 1, 1, 0, 0]), classNames: ['c', 'a', 'b'] };
    expect(net.evaluate(cab)).toEqual(net.evaluate(abc));
    const binary = Network.mlp([2, 3, 1], { seed: 1, threads: 1, classNames: ['no', 'yes'] });
    const soft = data({ y: new Float32Array([0, 0.7, 1, 0]), classNames: ['yes', 'no'] });
    await expectFailure(() => binary.evaluate(soft), RangeError, /^evaluate: y: target 0\.69999\d* at row 1 is not a class index/);
    const outOfRange = data({ labels: new Int32Array([0, 1, 2, 0]), classNames: ['yes', 'no'] });
    await expectFailure(() => binary.evaluate(outOfRange), RangeError, /^evaluate: label 2 at row 2 is not the index of one of the dataset's 2 classNames/);
  });

  it("fit's option errors name fit, and bad callbacks or earlyStopping are refused before any step", async () => {
    const net = Network.mlp([2, 3, 1], { seed: 1, threads: 1 });
    const y = [0, 1, 1, 0];
    const weights = net.getWeights();
    await expectFailure(() => net.fit(x, y, { optimizer: 'nope' as 'sgd' }), TypeError, /^fit: optimizer: unknown optimizer "nope"/);
    await expectFailure(() => net.fit(x, y, { optimizer: 'adam', learningRate: 'x' as never }), TypeError, /^fit: Adam: learningRate/);
    await expectFailure(() => net.fit(x, y, { earlyStopping: { monitor: 'valLoss' } }), RangeError, /^fit: earlyStopping: monitor 'valLoss' needs validationData/);
    await expectFailure(() => net.fit(x, y, { earlyStopping: { monitor: 'banana' as 'loss' } }), TypeError, /^fit: earlyStopping.monitor must be/);
    await expectFailure(() => net.fit(x, y, { earlyStopping: 'yes' as never }), TypeError, /^fit: earlyStopping must be true or an object/);
    await expectFailure(() => net.fit(x, y, { callbacks: { onBatchEnd: 5 } as never }), TypeError, /^fit: callbacks.onBatchEnd must be a function/);
    expect(net.getWeights()).toEqual(weights);
  });
});

describe('misspelt options', () => {
  it('are TypeErrors naming the call and the nearest option, not silently ignored', async () => {
    const data = makeMoons(40, 0.1, 1);
    const net = Network.mlp([2, 4, 1], { seed: 1, threads: 1 });
    const before = net.getWeights();
    await expect(net.fit(data, { epocs: 3 } as never)).rejects.toThrow('fit: unknown option "epocs"; did you mean "epochs"?');
    await expect(net.fit(data, { learningrate: 0.1 } as never)).rejects.toThrow('fit: unknown option "learningrate"; did you mean "learningRate"?');
    expect(net.getWeights()).toEqual(before);
    expect(() => net.predict(data, { layot: 'rows' } as never)).toThrow('predict: unknown option "layot"; did you mean "layout"?');
    expect(() => net.evaluate(data.x, data.y, { zzz: 1 } as never)).toThrow('evaluate: unknown option "zzz"; expected layout');
  });
});
