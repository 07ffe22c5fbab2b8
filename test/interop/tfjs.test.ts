/**
 * The TF.js layers format, proven with @tensorflow/tfjs-layers on the CPU backend: what
 * exportTfjs writes, tf.loadLayersModel loads and predicts as simdnet does (within 1e-5) for
 * every activation TF.js has, each output/loss pair, depth 1–3, and every image layer;
 * importTfjs reads it back bit for bit; models built and trained in TF.js (dense, and image
 * with batch norm), saved in two shards, import, predict as TF.js does and train further;
 * layers simdnet cannot compute are refused by name and class.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ActivationName } from '../../src/nn/activations.js';
import { exportTfjs, importTfjs } from '../../src/io/tfjs/file.js';
import { ModelFormatError } from '../../src/io/format.js';
import { build, buildCnn, CNNS, OUTPUTS } from './nets.js';
import { expectClose, randomRows } from './runtimes.js';
import { loadInTfjs, tfjsPredict, useCpuBackend } from './tfjs-runtime.js';
import type { Network } from '../../src/network.js';

const root = mkdtempSync(join(tmpdir(), 'simdnet-tfjs-'));
let folders = 0;
const folder = () => join(root, `m${folders++}`);

beforeAll(() => useCpuBackend());

/** Save a TF.js model into `dir` as its file:// handler does, with the weights split over two shard files. */
async function saveFromTfjs(model: tfl.LayersModel, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const data = new Uint8Array(artifacts.weightData as ArrayBuffer);
    const half = Math.floor(data.length / 8) * 4;
    writeFileSync(join(dir, 'group1-shard1of2.bin'), data.subarray(0, half));
    writeFileSync(join(dir, 'group1-shard2of2.bin'), data.subarray(half));
    const { modelTopology, format, generatedBy, convertedBy } = artifacts;
    const manifest = [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: artifacts.weightSpecs! }];
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology, format, generatedBy, convertedBy, weightsManifest: manifest }));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
}

/** The activations TF.js layers have. */
const TFJS: ActivationName[] = ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'softplus', 'softmax'];

describe('exportTfjs → tf.loadLayersModel, and back with importTfjs', () => {
  OUTPUTS.filter((o) => TFJS.includes(o.activation)).forEach((output, o) => {
    it(`output ${output.activation} with ${output.loss}: depth 1–3 under every activation TF.js has`, async () => {
      for (const [h, hidden] of TFJS.entries()) {
        const depth = 1 + ((h + o) % 3);
        const net = build(depth, hidden, output, 10 * o + h);
        if (output.loss === 'categoricalCrossEntropy') net.classNames = ['a', 'b', 'c', 'd'];
        const dir = folder();
        await exportTfjs(net, dir, { metadata: { note: 'kept' } });
        const model = await loadInTfjs(dir);
        const x = randomRows(13, 5, h);
        const what = `depth ${depth}, hidden ${hidden}`;
        expectClose(tfjsPredict(model, x, 13), net.predict({ data: x, rows: 13, cols: 5 }), 1e-5, what);
        expect(model.getUserDefinedMetadata()).toEqual({ loss: net.loss, ...(net.classNames ? { classes: net.classNames } : {}), note: 'kept' });
        model.dispose();

        const back = await importTfjs(dir, { threads: 1 });
        expect(back.layerConfigs(), what).toEqual(net.layerConfigs());
        expect([back.loss, back.classNames]).toEqual([net.loss, net.classNames]);
        const [a, b] = [net.getWeights(), back.getWeights()];
        a.forEach((w, i) => expect(new Uint32Array(b[i]!.buffer), `${what}: ${net.params[i]!.name}`).toEqual(new Uint32Array(w.buffer)));
      }
    });
  });

  it.each(['arctan', 'bipolarSigmoid', 'binaryStep'] as ActivationName[])('refuses %s, which TF.js lacks, naming the layer', async (act) => {
    const net = build(2, act, OUTPUTS[0]!, 1);
    await expect(exportTfjs(net, folder())).rejects.toThrow(`exportTfjs: dense_0 has activation ${act}, which TF.js layers do not have; export to ONNX instead`);
  });
});

describe('image networks: exportTfjs → tf.loadLayersModel, and back with importTfjs', () => {
  CNNS.forEach((cnn, i) => {
    it(cnn.name, async () => {
      const net = await buildCnn(i);
      const dir = folder();
      if (!cnn.tfjs) {
        await expect(exportTfjs(net, dir)).rejects.toThrow(/^exportTfjs: conv2d_0 has activation bipolarSigmoid, which TF.js layers do not have/);
        return;
      }
      await exportTfjs(net, dir);
      const model = await loadInTfjs(dir);
      const x = randomRows(11, net.inputs, i);
      const want = net.predict({ data: x, rows: 11, cols: net.inputs });
      expectClose(tfjsPredict(model, x, 11, cnn.shape), want, 1e-5, cnn.name);
      model.dispose();
      // Back: the same weights and statistics bit for bit, so the same predictions; a dense layer
      // after an image layer comes back behind the Flatten TF.js needs there.
      const back = await importTfjs(dir, { threads: 1 });
      const [a, b] = [[...net.getWeights(), ...net.state.map((s) => net.engine.heap.floats(s.value, s.size))], [...back.getWeights(), ...back.state.map((s) => back.engine.heap.floats(s.value, s.size))]];
      a.forEach((w, j) => expect(new Uint32Array(b[j]!.slice().buffer)).toEqual(new Uint32Array(w.slice().buffer)));
      expect(back.layerConfigs().filter((c) => c.type !== 'flatten')).toEqual(net.layerConfigs().filter((c) => c.type !== 'flatten'));
      expect(back.predict({ data: x, rows: 11, cols: net.inputs })).toEqual(want);
    });
  });
});

describe('a model built and trained in TF.js', () => {
  let model: tfl.Sequential;
  let dir: string;
  const x = randomRows(120, 6, 3);
  const labels = Array.from({ length: 120 }, (_, r) => (x[r * 6]! + x[r * 6 + 1]! > 0 ? 0 : x[r * 6 + 2]! > 0 ? 1 : 2));

  beforeAll(async () => {
    // Seeded initializers and dropout, no shuffling: the same model on every run.
    const init = (seed: number) => ({ kernelInitializer: tfl.initializers.glorotUniform({ seed }) });
    model = tfl.sequential({
      layers: [
        tfl.layers.inputLayer({ inputShape: [6] }),
        tfl.layers.dense({ units: 10, activation: 'tanh', ...init(1) }),
        tfl.layers.dropout({ rate: 0.2, seed: 2 }),
        tfl.layers.dense({ units: 8, ...init(3) }),
        tfl.layers.leakyReLU({ alpha: 0.1 }),
        tfl.layers.dense({ units: 5, ...init(4) }),
        tfl.layers.activation({ activation: 'relu' }),
        tfl.layers.dense({ units: 3, activation: 'softmax', ...init(5) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy' });
    await model.fit(tf.tensor2d(x, [120, 6]), tf.oneHot(tf.tensor1d(labels, 'int32'), 3), { epochs: 20, batchSize: 16, shuffle: false, verbose: 0 });
    dir = folder();
    await saveFromTfjs(model, dir);
  });

  it('imports (model.json or its folder) and predicts what TF.js predicts', async () => {
    const net = await importTfjs(join(dir, 'model.json'), { threads: 1 });
    expect(net.layerConfigs().map((c) => (c.type === 'dense' ? `${c.units} ${c.activation.name}` : c.type))).toEqual(['10 tanh', 'dropout', '8 leakyRelu', '5 relu', '3 softmax']);
    expect(net.loss).toBe('categoricalCrossEntropy');
    const probe = randomRows(40, 6, 4);
    expectClose(net.predict({ data: probe, rows: 40, cols: 6 }), tfjsPredict(model, probe, 40), 1e-5, 'predictions');
    expect((await importTfjs(dir)).getWeights()).toEqual(net.getWeights());
  });

  it('trains further in simdnet', async () => {
    const net: Network = await importTfjs(dir, { threads: 1 });
    const before = net.evaluate(x, labels).loss;
    await net.fit(x, labels, { epochs: 30, batchSize: 16, optimizer: 'adam', learningRate: 0.01 });
    expect(net.evaluate(x, labels).loss).toBeLessThan(before * 0.7);
  });
});

describe('an image model built and trained in TF.js', () => {
  it('imports with its convolutions, batch norm statistics and pools, and predicts what TF.js predicts', async () => {
    const init = (seed: number) => ({ kernelInitializer: tfl.initializers.heNormal({ seed }) });
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', ...init(1) }),
        tfl.layers.batchNormalization({ momentum: 0.8 }),
        tfl.layers.maxPooling2d({ poolSize: 2, strides: 1 }),
        tfl.layers.conv2d({ filters: 3, kernelSize: [2, 1], ...init(2) }),
        tfl.layers.leakyReLU({ alpha: 0.2 }),
        tfl.layers.averagePooling2d({ poolSize: 2, padding: 'same' }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 3, activation: 'softmax', ...init(3) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const x = randomRows(64, 128, 12);
    const labels = Array.from({ length: 64 }, (_, r) => r % 3);
    await model.fit(tf.tensor4d(x, [64, 8, 8, 2]), tf.oneHot(tf.tensor1d(labels, 'int32'), 3), { epochs: 5, batchSize: 16, shuffle: false, verbose: 0 });
    const dir = folder();
    await saveFromTfjs(model, dir);
    const net = await importTfjs(dir, { threads: 1 });
    expect(net.inputShape).toEqual([8, 8, 2]);
    expect(net.layerConfigs().map((c) => c.type)).toEqual(['conv2d', 'batchNorm', 'maxPool2d', 'conv2d', 'avgPool2d', 'flatten', 'dense']);
    const probe = randomRows(20, 128, 13);
    expectClose(net.predict({ data: probe, rows: 20, cols: 128 }), tfjsPredict(model, probe, 20, [8, 8, 2]), 1e-5, 'predictions');
  });
});

describe('TF.js models simdnet cannot compute are refused', () => {
  /** A model folder with these layers (one 2→2 Dense named "d") and the given extras. */
  function write(layers: object[], extra: object = {}, weights = new Float32Array([1, 2, 3, 4, 5, 6])): string {
    const dir = folder();
    mkdirSync(dir);
    writeFileSync(join(dir, 'w.bin'), weights);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({
      format: 'layers-model', modelTopology: { class_name: 'Sequential', config: { name: 's', layers } },
      weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'd/kernel', shape: [2, 2], dtype: 'float32' }, { name: 'd/bias', shape: [2], dtype: 'float32' }] }],
      ...extra,
    }));
    return dir;
  }
  const dense = { class_name: 'Dense', config: { name: 'd', units: 2, batch_input_shape: [null, 2] } };

  it.each([
    ['a recurrent layer', [dense, { class_name: 'LSTM', config: { name: 'r1', units: 2 } }], 'layer "r1" (LSTM) is not supported; simdnet imports InputLayer, Dense, Conv2D'],
    ['a Dense without units', [{ ...dense, config: { name: 'd', batch_input_shape: [null, 2] } }], 'layer "d" (Dense) has units undefined; a positive integer is needed'],
    ['an activation simdnet lacks', [{ ...dense, config: { ...dense.config, activation: 'elu' } }], 'layer "d" (Dense) has activation "elu"'],
    ['an activation after the output Dense\'s', [{ ...dense, config: { ...dense.config, activation: 'tanh' } }, { class_name: 'Activation', config: { name: 'a', activation: 'relu' } }], 'describes a network simdnet cannot build: Network: the last layer must be dense, got activation'],
    ['a softmax after an activated Dense', [{ ...dense, config: { ...dense.config, activation: 'tanh' } }, { class_name: 'Activation', config: { name: 'a', activation: 'softmax' } }], 'layer "a" (Activation): simdnet has softmax only as the activation of the last Dense layer'],
    ['a sequence input', [{ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 5, 2] } }, dense], 'layer "in" (InputLayer) takes inputs of shape [null,5,2]'],
    ['a Dense reading an image', [{ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 1, 1, 2] } }, { ...dense, config: { name: 'd', units: 2 } }], 'layer "d" (Dense) reads an image, which TF.js\'s Dense does per pixel; simdnet imports a Flatten before it'],
    ['a dilated convolution', [{ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 4, 4, 1] } }, { class_name: 'Conv2D', config: { name: 'c', filters: 1, kernel_size: 2, dilation_rate: 2 } }], 'layer "c" (Conv2D) is dilated'],
    ['channels first', [{ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 1, 4, 4] } }, { class_name: 'MaxPooling2D', config: { name: 'p', data_format: 'channels_first' } }], 'layer "p" (MaxPooling2D) is channels_first'],
  ] as [string, object[], string][])('%s', async (_, layers, message) => {
    const dir = write(layers);
    await expect(importTfjs(dir)).rejects.toThrow(ModelFormatError);
    await expect(importTfjs(dir)).rejects.toThrow(`${join(dir, 'model.json')}: ${message}`);
  });

  it('a functional model, short weights, weights outside the folder, a missing folder', async () => {
    await expect(importTfjs(write([dense], { modelTopology: { class_name: 'Model', config: {} } }))).rejects.toThrow('the model is a Model; simdnet imports Sequential models');
    await expect(importTfjs(write([dense], {}, new Float32Array(5)))).rejects.toThrow('weight "d/bias" needs bytes 16–24 of w.bin, which has 20');
    const escape = write([dense], { weightsManifest: [{ paths: ['../m0/weights.bin'], weights: [] }] });
    await expect(importTfjs(escape)).rejects.toThrow('weights path "../m0/weights.bin" lies outside');
    await expect(importTfjs(join(root, 'none'))).rejects.toThrow(`cannot read TF.js model ${join(root, 'none', 'model.json')}: file not found`);
  });
});
