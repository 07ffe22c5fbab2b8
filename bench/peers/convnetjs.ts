/**
 * ConvNetJS 0.3.0 (npm `convnetjs`) for the CNN peer rows: the tutorial net built with its own
 * seeded initial weights, digits as its volumes, and those weights converted into simdnet's
 * layouts so both libraries can start a run from the same point (bench/peers/cnn.ts).
 *
 * A ConvNetJS volume of sx × sy × depth keeps value (x, y, d) at ((sx·y) + x)·depth + d: a
 * channels-last row-major image, the same order as simdnet's NHWC rows. Its conv layer holds one
 * such volume per filter (kw × kh × c), its fully connected layer one volume of all inputs per
 * output unit, each layer a bias volume beside them; it computes in float64.
 */
import { createRequire } from 'node:module';
import type { Dataset } from '../../src/node.js';
import { seededRandom } from './harness.js';
import { packageVersion } from './tfjs.js';

/** A ConvNetJS volume: values `w` and their gradients `dw`. */
export interface ConvNetVol {
  sx: number;
  sy: number;
  depth: number;
  w: Float64Array;
  dw: Float64Array;
}

/** The fields of a ConvNetJS layer this file reads. */
export interface ConvNetLayer {
  layer_type: string;
  /** conv and fc: one volume of weights per output channel or unit. */
  filters?: ConvNetVol[];
  biases?: ConvNetVol;
  /** conv: window geometry. */
  sx?: number;
  sy?: number;
  stride?: number;
  pad?: number;
}

/** A ConvNetJS network. */
export interface ConvNetNet {
  layers: ConvNetLayer[];
  makeLayers(defs: object[]): void;
  forward(v: ConvNetVol, training?: boolean): ConvNetVol;
}

/** A ConvNetJS Trainer: forward + backward per call, an update every `batch_size` calls. */
export interface ConvNetTrainer {
  train(x: ConvNetVol, label: number): unknown;
}

interface ConvNetJs {
  Net: new () => ConvNetNet;
  Vol: new (sx: number, sy: number, depth: number, fill: number) => ConvNetVol;
  Trainer: new (net: ConvNetNet, options: object) => ConvNetTrainer;
}

const convnetjs = createRequire(import.meta.url)('convnetjs') as ConvNetJs;

/** The ConvNetJS version that ran. */
export const CONVNET_VERSION = packageVersion('convnetjs');

/**
 * TensorFlow.js's tutorial net in ConvNetJS (conv 5×5×8 relu → max pool 2 → conv 5×5×16 relu →
 * max pool 2 → fc 10 softmax; no padding, stride 1). Its initial weights come from
 * `Math.random` (normal with std √(1/fan-in), conv biases 0.1 before a relu, the last layer's 0),
 * which is swapped for a seeded stream while the net is built so a run repeats exactly.
 */
export function convnetTutorialNet(seed = 1): ConvNetNet {
  const random = Math.random;
  Math.random = seededRandom(seed);
  try {
    const net = new convnetjs.Net();
    net.makeLayers([
      { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
      { type: 'conv', sx: 5, filters: 8, stride: 1, pad: 0, activation: 'relu' },
      { type: 'pool', sx: 2, stride: 2 },
      { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 0, activation: 'relu' },
      { type: 'pool', sx: 2, stride: 2 },
      { type: 'softmax', num_classes: 10 },
    ]);
    return net;
  } finally {
    Math.random = random;
  }
}

/**
 * A Trainer for `net`: `options` are ConvNetJS's (`method`, `learning_rate`, `momentum` …),
 * `batchSize` calls per update, no weight decay.
 */
export function convnetTrainer(net: ConvNetNet, options: Record<string, unknown>, batchSize: number): ConvNetTrainer {
  return new convnetjs.Trainer(net, { ...options, batch_size: batchSize, l2_decay: 0 });
}

/** Row `i` of a dataset of 28×28×1 images as a ConvNetJS volume, and its class. */
export function convnetSample(data: Dataset, i: number): { v: ConvNetVol; label: number } {
  const v = new convnetjs.Vol(28, 28, 1, 0);
  const n = data.features;
  for (let j = 0; j < n; j++) v.w[j] = data.x[i * n + j]!;
  return { v, label: data.y.subarray(i * data.outputs, (i + 1) * data.outputs).indexOf(1) };
}

/**
 * A ConvNetJS net's parameters in simdnet's layouts, in `Network.getWeights` order (per layer
 * W then b), for a simdnet network of the same layers (`setWeights` takes the result):
 * - conv: simdnet's W is kh×kw×c×filters (HWIO), so value k = (kw·y + x)·c + d of filter f
 *   goes to k·filters + f;
 * - fc: simdnet's W is inputs×units, so input i of unit u goes to i·units + u. The fc layer's
 *   inputs are the previous volume in its own order, which is simdnet's NHWC flatten.
 * Throws on a conv layer with a stride or padding (simdnet's `'valid'` and `'same'` are not
 * ConvNetJS's `pad`, so only the plain case is converted) and on layers with parameters of
 * another kind.
 */
export function convnetWeightsForSimdnet(net: ConvNetNet): Float32Array[] {
  const out: Float32Array[] = [];
  for (const layer of net.layers) {
    if (layer.layer_type !== 'conv' && layer.layer_type !== 'fc') {
      if (layer.filters) throw new TypeError(`convnetWeightsForSimdnet: ${layer.layer_type} layers are not converted`);
      continue;
    }
    if (layer.layer_type === 'conv' && (layer.stride !== 1 || layer.pad !== 0)) {
      throw new RangeError(`convnetWeightsForSimdnet: conv with stride ${layer.stride} and pad ${layer.pad}; only stride 1, pad 0 is converted`);
    }
    const filters = layer.filters!;
    const units = filters.length;
    const k = filters[0]!.w.length;
    const w = new Float32Array(k * units);
    filters.forEach((f, u) => f.w.forEach((value, i) => (w[i * units + u] = value)));
    out.push(w, Float32Array.from(layer.biases!.w));
  }
  return out;
}
