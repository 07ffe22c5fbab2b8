/**
 * The image layers in a Network: every layer's backward against the numerical gradient
 * (both backends, batch norm in training and inference mode), shape errors naming the layer
 * and both shapes, the model file round-tripping a CNN bit-identically (running statistics
 * included), the reference backend agreeing with WASM, and results independent of the
 * thread count.
 */
import { describe, expect, it } from 'vitest';
import { Network, decodeModel, encodeModel, gradientCheck, type LayerSpec } from '../../src/index.js';
import { randomArray } from '../helpers/harness.js';
import { withHeader } from '../io/model-header.js';
import { CNN_CASES as CASES, oneHot, type CnnCase as Case } from '../helpers/cnn-cases.js';
import { conv2dRoute } from '../../src/nn/conv2d.js';
import { windowGeometry } from '../../src/nn/geometry.js';
import { prepareData } from '../../src/feed/args.js';
import { stagerFor } from '../../src/feed/stager.js';
import { relaxedSimdSupported } from '../../src/wasm/features.js';
import type { WasmBuild } from '../../src/wasm/loader.js';

const ROWS = 5;

function build(c: Case, backend: 'wasm' | 'js', seed = 3): Network {
  const net = new Network({ inputShape: c.inputShape, layers: c.layers, seed, backend });
  // Non-zero biases and γ away from 1, so no ReLU row sits on its kink and γ's gradient matters.
  net.setWeights(net.getWeights().map((w, i) => (net.params[i]!.decay ? w : randomArray(w.length, 50 + i, 0.3, 0.8))));
  return net;
}

function data(c: Case, outputs: number, seed: number) {
  const cols = c.inputShape[0] * c.inputShape[1] * c.inputShape[2];
  const x = { data: randomArray(ROWS * cols, seed, -1.5, 1.5), rows: ROWS, cols };
  const y = outputs === 1
    ? { data: randomArray(ROWS, seed + 1, 0, 1).map((v) => (v > 0.5 ? 1 : 0)), rows: ROWS, cols: 1 }
    : { data: oneHot(ROWS, outputs, seed + 1), rows: ROWS, cols: outputs };
  return { x, y };
}

describe.each(['wasm', 'js'] as const)('gradient check of the image layers (%s backend)', (backend) => {
  for (const c of CASES) {
    for (const training of c.layers.some((l) => l.type === 'batchNorm') ? [false, true] : [false]) {
      it(`${c.name}${training ? ' (training mode)' : ''}`, () => {
        const net = build(c, backend);
        const { x, y } = data(c, net.outputs, 7);
        const report = gradientCheck(net, x, y, { epsilon: c.kinked ? 1e-3 : 1e-2, samplesPerParam: 30, training });
        expect(report.length).toBe(net.params.length);
        for (const p of report) {
          const ok = p.maxRelativeError < 2e-2 || p.maxAbsoluteError < 2e-4;
          expect(ok, `${p.name}: rel ${p.maxRelativeError}, abs ${p.maxAbsoluteError}`).toBe(true);
        }
      });
    }
  }
});

describe('shapes', () => {
  it('computes output shapes for valid and same padding', () => {
    const net = new Network({
      inputShape: [28, 28, 1],
      layers: [
        { type: 'conv2d', filters: 8, kernelSize: 5, activation: 'relu' },
        { type: 'maxPool2d', size: 2 },
        { type: 'conv2d', filters: 16, kernelSize: 3, stride: 2, padding: 'same' },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
    });
    expect(net.layers.map((l) => l.outputs)).toEqual([24 * 24 * 8, 12 * 12 * 8, 6 * 6 * 16, 10]);
    expect(net.inputs).toBe(784);
    expect(net.summary()).toContain('28×28×1');
  });

  it('names the layer and both shapes when a kernel does not fit', () => {
    const layers: LayerSpec[] = [
      { type: 'conv2d', filters: 8, kernelSize: 3, padding: 'same' },
      { type: 'maxPool2d', size: 2 },
      { type: 'conv2d', filters: 8, kernelSize: 5 },
      { type: 'dense', units: 2 },
    ];
    expect(() => new Network({ inputShape: [8, 8, 1], layers })).toThrow("layer 2 (conv2d): input 4×4×8 is smaller than the 5×5 kernel with padding 'valid'");
    expect(() => new Network({ inputShape: [3, 9, 2], layers: [{ type: 'maxPool2d', size: [4, 2] }, { type: 'dense', units: 2 }] }))
      .toThrow("layer 0 (maxPool2d): input 3×9×2 is smaller than the 4×2 window with padding 'valid'");
  });

  it('refuses image layers without an image input, bad settings and a mismatched inputs', () => {
    expect(() => new Network({ inputs: 784, layers: [{ type: 'conv2d', filters: 2, kernelSize: 3 }, { type: 'dense', units: 2 }] }))
      .toThrow('layer 0 (conv2d): needs an image input (height×width×channels), got 784 features; give the network inputShape');
    expect(() => new Network({ inputShape: [4, 4, 1], layers: [{ type: 'flatten' }, { type: 'maxPool2d', size: 2 }, { type: 'dense', units: 2 }] }))
      .toThrow('layer 1 (maxPool2d): needs an image input');
    expect(() => new Network({ inputShape: [4, 4, 1], layers: [{ type: 'conv2d', filters: 2, kernelSize: 3, padding: 'full' as never }, { type: 'dense', units: 2 }] }))
      .toThrow(`layer 0 (conv2d): padding must be 'valid' or 'same', got "full"`);
    expect(() => new Network({ inputShape: [4, 4, 1], layers: [{ type: 'conv2d', filters: 0, kernelSize: 3 }, { type: 'dense', units: 2 }] }))
      .toThrow('layer 0 (conv2d): filters must be a positive integer, got 0');
    expect(() => new Network({ inputShape: [4, 4, 1], layers: [{ type: 'conv2d', filters: 2, kernelSize: 3, activation: 'softmax' }, { type: 'dense', units: 2 }] }))
      .toThrow('layer 0 (conv2d): softmax is not an activation for conv2d');
    expect(() => new Network({ inputs: 15, inputShape: [4, 4, 1], layers: [{ type: 'dense', units: 2 }] }))
      .toThrow('Network: inputs 15 does not match inputShape 4×4×1 (16 features)');
    expect(() => new Network({ inputShape: [4, 0, 1], layers: [{ type: 'dense', units: 2 }] })).toThrow('Network: inputShape[1] must be a positive integer, got 0');
    expect(() => new Network({ inputShape: [4, 4, 1], layers: [{ type: 'batchNorm', momentum: 1 }, { type: 'dense', units: 2 }] }))
      .toThrow('layer 0 (batchNorm): momentum must be a number in [0, 0.999999], got 1');
    expect(() => new Network({ inputs: 4, layers: [{ type: 'dense', units: 3 }, { type: 'activation', activation: 'softmax' }, { type: 'dense', units: 2 }] }))
      .toThrow("layer 1 (activation): softmax is not a layer of its own; give the last dense layer activation 'softmax'");
    expect(() => new Network({ inputs: 4, layers: [{ type: 'activation', activation: 'gelu' as 'relu' }, { type: 'dense', units: 2 }] })).toThrow('layer 0 (activation)');
    expect(() => new Network({ inputs: 4, layers: [{ type: 'dense', units: 2 }, { type: 'activation', activation: 'relu' }] }))
      .toThrow('Network: the last layer must be dense, got activation');
  });
});

const BN_CNN = CASES[4]!;

describe('model file', () => {
  it('round-trips a CNN with batch norm bit-identically, running statistics included', async () => {
    const net = build(BN_CNN, 'wasm');
    const { x, y } = data(BN_CNN, 3, 9);
    await net.fit(x, y, { epochs: 3, batchSize: 2, optimizer: 'adam', learningRate: 0.01 });
    const bytes = encodeModel(net);
    const { network, header } = decodeModel(bytes);
    expect(header.inputShape).toEqual([5, 5, 2]);
    expect(header.state?.map((s) => s.name)).toEqual(['batchNorm_1.runningMean', 'batchNorm_1.runningVariance', 'batchNorm_5.runningMean', 'batchNorm_5.runningVariance']);
    expect(network.layerConfigs()).toEqual(net.layerConfigs());
    expect(encodeModel(network)).toEqual(bytes);
    expect(network.predict(x)).toEqual(net.predict(x));
    // The running statistics moved away from their initial 0 and 1, so the check above means something.
    const running = net.engine.heap.floats(net.state[0]!.value, 3);
    expect([...running].some((v) => v !== 0)).toBe(true);
  });

  it('round-trips activation layers (with a leaky ReLU slope) bit-identically', async () => {
    const c = CASES.find((k) => k.name.startsWith('dense → batch norm → tanh, leaky ReLU'))!;
    const net = build(c, 'wasm');
    const { x, y } = data(c, 1, 11);
    await net.fit(x, y, { epochs: 2, batchSize: 2 });
    const { network } = decodeModel(encodeModel(net));
    expect(network.layerConfigs().filter((l) => l.type === 'activation')).toEqual([
      { type: 'activation', activation: { name: 'tanh' } },
      { type: 'activation', activation: { name: 'leakyRelu', alpha: 0.01 } },
      { type: 'activation', activation: { name: 'softplus' } },
    ]);
    expect(network.predict(x)).toEqual(net.predict(x));
    expect(net.summary()).toContain('leakyRelu');
  });

  it('checks a CNN header against its architecture before building it', () => {
    const bytes = encodeModel(build(BN_CNN, 'wasm'));
    // 400 million filters would need gigabytes; the sizes are compared first, so nothing is allocated.
    const huge = withHeader(bytes, (h) => void ((h.layers[0] as { filters: number }).filters = 400_000_000));
    expect(() => decodeModel(huge)).toThrow('parameter list in the header (54, 3, 3, 3, 108, 4, 24, 6, 6, 6, 18, 3, 3, 3, 6, 6) does not match the architecture (7200000000, 400000000, 400000000, 400000000, 14400000000, 4');
  });

  it('reports a file whose header drops the state list', () => {
    const edited = withHeader(encodeModel(build(BN_CNN, 'wasm')), (h) => void delete h.state);
    expect(() => decodeModel(edited)).toThrow(/header at byte 12 lists \d+ bytes of weights from byte \d+, but the file has \d+/);
  });
});

describe('backends and threads', () => {
  it('the reference backend runs every image layer and agrees with WASM', () => {
    for (const c of CASES) {
      const wasm = build(c, 'wasm');
      const js = build(c, 'js');
      const { x } = data(c, wasm.outputs, 11);
      const a = wasm.predict(x);
      const b = js.predict(x);
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!), `${c.name} [${i}]`).toBeLessThan(1e-5);
    }
  });

  // Both routes run the same kernels in training and inference mode, so a training pass and
  // an evaluation give the same bits in every build (the relaxed build included).
  const builds: WasmBuild[] = ['simd', 'scalar', ...(relaxedSimdSupported() ? (['relaxed'] as const) : [])];
  it.each(builds)('loss and gradients in training and inference mode agree on every conv route (%s build)', (build) => {
    const inputShape: [number, number, number] = [12, 12, 3];
    const layers: LayerSpec[] = [
      { type: 'conv2d', filters: 8, kernelSize: 3, activation: 'relu' }, // 10×10×8, K 27: direct
      { type: 'conv2d', filters: 12, kernelSize: 3, activation: 'tanh' }, // 8×8×12, K 72: direct, 8 + 4 lanes
      { type: 'conv2d', filters: 5, kernelSize: 5, activation: 'sigmoid' }, // 4×4×5, K 300: lowered
      { type: 'conv2d', filters: 4, kernelSize: 1, activation: 'relu' }, // 1×1: lowered, x is cols
      { type: 'dense', units: 3, activation: 'softmax' },
    ];
    const routes = ([[12, 12, 3, 3], [10, 10, 8, 3], [8, 8, 12, 5], [4, 4, 5, 1]] as const).map(([h, w, c, size]) =>
      conv2dRoute(windowGeometry([h, w, c], [size, size], [1, 1], 'valid', 'test', 'kernel')));
    expect(routes).toEqual(['direct', 'direct', 'lowered', 'lowered']);
    const rows = 6;
    const net = new Network({ inputShape, layers, seed: 4, build });
    expect(net.engine.build).toBe(build);
    const x = { data: randomArray(rows * 432, 31, -1, 1), rows, cols: 432 };
    const y = { data: oneHot(rows, 3, 32), rows, cols: 3 };
    const stager = stagerFor(net);
    stager.stageRange(prepareData(net, { x, y }, {}, 'test'), 0, rows, true);
    const pass = (training: boolean) => {
      const loss = net.computeLoss(stager.inputs, stager.targets, rows, true, training);
      return { loss, grads: net.params.map((p) => net.engine.heap.floats(p.grad, p.size).slice()) };
    };
    const inference = pass(false);
    const training = pass(true);
    expect(training.loss).toBe(inference.loss);
    training.grads.forEach((g, i) => expect(g, net.params[i]!.name).toEqual(inference.grads[i]));
  });

  it('training a CNN gives bit-identical weights on 1 and 2 threads', async () => {
    const c: Case = {
      name: 'tutorial-like',
      inputShape: [16, 16, 2],
      layers: [
        { type: 'conv2d', filters: 8, kernelSize: 5, activation: 'relu', padding: 'same' },
        { type: 'batchNorm' },
        { type: 'maxPool2d', size: 2 },
        { type: 'conv2d', filters: 16, kernelSize: 3, activation: 'relu' },
        { type: 'maxPool2d', size: 2 },
        { type: 'dense', units: 4, activation: 'softmax' },
      ],
    };
    const rows = 128;
    const x = { data: randomArray(rows * 512, 21), rows, cols: 512 };
    const y = { data: oneHot(rows, 4, 22), rows, cols: 4 };
    const weights = [];
    for (const threads of [1, 2]) {
      const net = new Network({ inputShape: c.inputShape, layers: c.layers, seed: 5, threads });
      expect(net.engine.threads.count).toBe(threads);
      await net.fit(x, y, { epochs: 2, batchSize: 64, optimizer: 'adam', learningRate: 0.01 });
      weights.push([...net.getWeights(), ...net.state.map((s) => net.engine.heap.floats(s.value, s.size).slice())]);
      net.engine.close();
    }
    expect(weights[1]).toEqual(weights[0]);
  });
});
