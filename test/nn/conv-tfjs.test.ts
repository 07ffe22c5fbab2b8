/**
 * TensorFlow.js (cpu backend) as the outside oracle: for the same weights and inputs it
 * computes the loss and the gradient of every parameter of each test CNN (conv2d with
 * valid/same padding and strides, max/average/global pooling, batch norm in training and
 * inference mode, dense softmax or sigmoid with cross-entropy), and simdnet must agree within f32
 * tolerance: each gradient array to 1e-4 of its largest entry. The network is translated
 * layer by layer from its saved configuration, so the oracle sees exactly what was built.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Network, type LayerConfig } from '../../src/index.js';
import { prepareData } from '../../src/feed/args.js';
import { stagerFor } from '../../src/feed/stager.js';
import { randomArray } from '../helpers/harness.js';
import { CNN_CASES, oneHot, type CnnCase } from '../helpers/cnn-cases.js';

const ROWS = 6;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The activations the cases use, as TF.js ops. */
function activate(name: string, z: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'linear': return z;
    case 'relu': return tf.relu(z);
    case 'tanh': return tf.tanh(z);
    case 'sigmoid': return tf.sigmoid(z);
    case 'softplus': return tf.softplus(z);
    case 'arctan': return tf.atan(z);
    case 'leakyRelu': return tf.leakyRelu(z, 0.01);
    default: throw new Error(`no TF.js translation for ${name}`);
  }
}

/** [before, after] zero padding of one dimension under TensorFlow's 'same' rule. */
function samePadding(size: number, window: number, stride: number): [number, number] {
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + window - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * Average pooling with 'same' padding as (window sums over explicitly zero-padded input) /
 * (count of real elements per window): TF.js's own avgPool 'same' gradient divides by the full
 * window (see the test at the end), so it cannot be the oracle's backward.
 */
function avgPoolSame(x: tf.Tensor4D, size: [number, number], stride: [number, number]): tf.Tensor4D {
  const pads: [number, number][] = [[0, 0], samePadding(x.shape[1], size[0], stride[0]), samePadding(x.shape[2], size[1], stride[1]), [0, 0]];
  const sums = (t: tf.Tensor4D) => tf.mul(tf.avgPool(tf.pad(t, pads), size, stride, 'valid'), size[0] * size[1]);
  return tf.div(sums(x), sums(tf.onesLike(x))) as tf.Tensor4D;
}

/**
 * Mean loss of `configs` over x (rows×h×w×c) against y, in TF.js, from parameter tensors
 * (in the network's params order) and batch-norm running statistics.
 */
function tfLoss(configs: LayerConfig[], params: tf.Tensor[], running: tf.Tensor[], x: tf.Tensor4D, y: tf.Tensor2D, training: boolean): tf.Scalar {
  let p = 0;
  let r = 0;
  let h: tf.Tensor = x;
  configs.forEach((c, i) => {
    const last = i === configs.length - 1;
    switch (c.type) {
      case 'conv2d': {
        const w = tf.reshape(params[p++]!, [c.kernelSize[0], c.kernelSize[1], h.shape[3]!, c.filters]) as tf.Tensor4D;
        h = activate(c.activation.name, tf.add(tf.conv2d(h as tf.Tensor4D, w, c.stride, c.padding), params[p++]!));
        break;
      }
      case 'maxPool2d': h = tf.maxPool(h as tf.Tensor4D, c.size, c.stride, c.padding); break;
      case 'avgPool2d': h = c.padding === 'same' ? avgPoolSame(h as tf.Tensor4D, c.size, c.stride) : tf.avgPool(h as tf.Tensor4D, c.size, c.stride, 'valid'); break;
      case 'globalAvgPool': h = tf.mean(h, [1, 2]); break;
      case 'flatten': h = tf.reshape(h, [h.shape[0]!, -1]); break;
      case 'activation': h = activate(c.activation.name, h); break;
      case 'batchNorm': {
        const axes = h.rank === 4 ? [0, 1, 2] : [0];
        const stats = training ? tf.moments(h, axes) : { mean: running[r]!, variance: running[r + 1]! };
        r += 2;
        const gamma = params[p++]!;
        const beta = params[p++]!;
        h = tf.batchNorm(h, stats.mean, stats.variance, beta, gamma, c.epsilon);
        break;
      }
      case 'dense': {
        const flat = tf.reshape(h, [h.shape[0]!, -1]);
        const z = tf.add(tf.matMul(flat, tf.reshape(params[p++]!, [flat.shape[1]!, c.units])), params[p++]!);
        if (!last) h = activate(c.activation.name, z);
        else if (c.activation.name === 'softmax') h = tf.div(tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(z)))), x.shape[0]);
        // Binary cross-entropy on logits, the stable form simdnet fuses with sigmoid.
        else h = tf.div(tf.sum(tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))))), x.shape[0]);
        break;
      }
      default: throw new Error(`no TF.js translation for ${c.type}`);
    }
  });
  return h as tf.Scalar;
}

/** simdnet's mean loss and parameter gradients on the same rows. */
function simdnetGradients(net: Network, x: Float32Array, y: Float32Array, training: boolean): { loss: number; grads: Float32Array[] } {
  const data = prepareData(net, { x: { data: x, rows: ROWS, cols: net.inputs }, y: { data: y, rows: ROWS, cols: net.outputs } }, {}, 'oracle');
  const stager = stagerFor(net);
  stager.stageRange(data, 0, ROWS, true);
  const loss = net.computeLoss(stager.inputs, stager.targets, ROWS, true, training) / ROWS;
  return { loss, grads: net.params.map((p) => net.engine.heap.floats(p.grad, p.size).slice()) };
}

/** Random-shape cases on top of the shared ones: geometry drawn from a seeded stream. */
function randomCases(count: number): CnnCase[] {
  const r = randomArray(count * 8, 99, 0, 1);
  return Array.from({ length: count }, (_, i) => {
    const u = (j: number, lo: number, hi: number) => lo + Math.floor(r[i * 8 + j]! * (hi - lo + 1));
    const [h, w, c] = [u(0, 5, 11), u(1, 5, 11), u(2, 1, 5)];
    const k = u(3, 1, 4);
    const padding = r[i * 8 + 4]! < 0.5 ? 'valid' as const : 'same' as const;
    return {
      name: `random ${h}×${w}×${c}, ${k}×${k + 1} /${u(5, 1, 2)} ${padding}`,
      inputShape: [h, w, c],
      layers: [
        { type: 'conv2d', filters: u(6, 1, 6), kernelSize: [k, k + 1], stride: u(5, 1, 2), padding, activation: 'relu' },
        { type: 'batchNorm' },
        { type: 'maxPool2d', size: 2, stride: u(7, 1, 2), padding: 'same' },
        { type: 'dense', units: 3, activation: 'softmax' },
      ],
    } satisfies CnnCase;
  });
}

const ALL = [...CNN_CASES, ...randomCases(6)];

describe.each(ALL)('$name agrees with TensorFlow.js', (c) => {
  for (const training of c.layers.some((l) => l.type === 'batchNorm') ? [false, true] : [false]) {
    it(`loss and gradients${training ? ' (training mode)' : ''}`, () => {
      const net = new Network({ inputShape: c.inputShape, layers: c.layers, seed: 4 });
      // Random biases, γ, β; running statistics away from 0 and 1.
      net.setWeights(net.getWeights().map((w, i) => (net.params[i]!.decay ? w : randomArray(w.length, 60 + i, 0.3, 0.9))));
      net.state.forEach((s, i) => net.engine.heap.floats(s.value, s.size).set(randomArray(s.size, 80 + i, 0.2, 1.2)));
      const running = net.state.map((s) => tf.tensor(net.engine.heap.floats(s.value, s.size).slice()));
      const x = randomArray(ROWS * net.inputs, 31, -1.5, 1.5);
      const y = oneHot(ROWS, net.outputs, 32);
      const ours = simdnetGradients(net, x, y, training);

      const params = net.getWeights().map((w) => tf.tensor(w));
      const xt = tf.tensor4d(x, [ROWS, ...c.inputShape]);
      const yt = tf.tensor2d(y, [ROWS, net.outputs]);
      const configs = net.layerConfigs();
      const { value, grads } = tf.valueAndGrads((...ps: tf.Tensor[]) => tfLoss(configs, ps, running, xt, yt, training))(params);
      expect(ours.loss).toBeCloseTo(value.dataSync()[0]!, 5);
      grads.forEach((g, i) => {
        const theirs = g.dataSync();
        const scale = Math.max(...Array.from(theirs, Math.abs), 1e-3);
        const worst = Math.max(...Array.from(theirs, (t, j) => Math.abs(t - ours.grads[i]![j]!)));
        expect(worst / scale, `${net.params[i]!.name}: worst difference ${worst} against largest ${scale}`).toBeLessThan(1e-4);
      });
      tf.dispose([...params, ...running, xt, yt, value, ...grads]);
    });
  }
});

describe('TF.js avgPool with same padding', () => {
  it("has a gradient that disagrees with its own forward (why the oracle composes it), while simdnet's matches", () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const weights = tf.tensor4d([1, 10, 100, 1000], [1, 2, 2, 1]);
    const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(t as tf.Tensor4D, 2, 2, 'same'), weights));
    // Output (0, 1) averages x[0, 2] and x[1, 2] only, so ∂f/∂x[0, 2] = 10/2.
    expect(tf.avgPool(x, 2, 2, 'same').dataSync()[1]).toBe(4.5);
    expect(tf.grad(f)(x).dataSync()[2]).toBe(2.5);
    expect(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(avgPoolSame(t as tf.Tensor4D, [2, 2], [2, 2]), weights)))(x).dataSync()[2]).toBe(5);

    const net = new Network({ inputShape: [3, 3, 1], layers: [{ type: 'avgPool2d', size: 2, padding: 'same' }, { type: 'dense', units: 2, activation: 'softmax' }] });
    const pool = net.layers[0]!;
    const heap = net.engine.heap;
    net.reserve(1);
    const dy = heap.alloc(16);
    heap.f32.set([1, 10, 100, 1000], dy >> 2);
    pool.forward(heap.alloc(36), 1, { training: false, logits: false });
    const dx = pool.backward(dy, 1, true);
    expect(heap.f32[(dx >> 2) + 2]).toBe(5);
  });
});
