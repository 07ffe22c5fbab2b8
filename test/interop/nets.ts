/**
 * The networks every converter is tried on: each output activation with each loss it takes,
 * under each hidden activation; and image networks with every image layer.
 */
import { Network } from '../../src/network.js';
import { ACTIVATION_NAMES, type ActivationName, type ActivationSpec } from '../../src/nn/activations.js';
import type { LayerSpec } from '../../src/nn/network.js';
import { Rng } from '../../src/util/rng.js';

/** Leaky ReLU with a slope other than the default, so the slope is really carried. */
export const spec = (name: ActivationName): ActivationName | ActivationSpec => (name === 'leakyRelu' ? { name, alpha: 0.15 } : name);

/** An output layer and its loss. */
export interface OutputPair {
  activation: ActivationName;
  loss: string;
  units: number;
}

/** Every output activation with every loss it can be trained with. */
export const OUTPUTS: OutputPair[] = [
  { activation: 'sigmoid', loss: 'binaryCrossEntropy', units: 1 },
  { activation: 'softmax', loss: 'categoricalCrossEntropy', units: 4 },
  ...ACTIVATION_NAMES.flatMap((activation) => ['meanSquaredError', 'huber'].map((loss) => ({ activation, loss, units: 3 }))),
];

/** A network on 5 inputs of `depth` dense layers: hidden ones of `hidden`, dropout after the first. */
export function build(depth: number, hidden: ActivationName, output: OutputPair, seed: number): Network {
  const layers: LayerSpec[] = [];
  for (let i = 1; i < depth; i++) {
    layers.push({ type: 'dense', units: 6 + i, activation: spec(hidden) });
    if (i === 1) layers.push({ type: 'dropout', rate: 0.25 });
  }
  layers.push({ type: 'dense', units: output.units, activation: spec(output.activation) });
  return new Network({ inputs: 5, layers, loss: output.loss, seed, threads: 1 });
}

/** Image networks: every image layer, 'valid' and 'same' padding, strides, batch norm after images and after rows. */
export const CNNS: { name: string; shape: [number, number, number]; layers: LayerSpec[]; tfjs: boolean }[] = [
  {
    name: 'conv same/strided + batch norm + max/avg pool same + dropout + dense softmax', shape: [9, 7, 2], tfjs: true,
    layers: [
      { type: 'conv2d', filters: 3, kernelSize: [3, 2], stride: [2, 1], padding: 'same', activation: 'relu' },
      { type: 'batchNorm' },
      { type: 'maxPool2d', size: 2, padding: 'same' },
      { type: 'conv2d', filters: 4, kernelSize: 2, activation: { name: 'leakyRelu', alpha: 0.1 } },
      { type: 'avgPool2d', size: [2, 1], stride: 1, padding: 'same' },
      { type: 'dropout', rate: 0.2 },
      { type: 'dense', units: 5, activation: 'tanh' },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
  },
  {
    name: 'conv valid + avg pool + 1×1 conv + global average + batch norm on rows + sigmoid', shape: [8, 8, 1], tfjs: true,
    layers: [
      { type: 'conv2d', filters: 4, kernelSize: 3, activation: 'sigmoid' },
      { type: 'avgPool2d', size: 2 },
      { type: 'conv2d', filters: 3, kernelSize: 1, activation: 'softplus' },
      { type: 'globalAvgPool' },
      { type: 'batchNorm', momentum: 0.9, epsilon: 1e-2 },
      { type: 'dense', units: 1, activation: 'sigmoid' },
    ],
  },
  {
    name: 'linear strided conv + overlapping max pool + flatten + batch norm after dense + linear output', shape: [6, 6, 3], tfjs: true,
    layers: [
      { type: 'conv2d', filters: 2, kernelSize: 3, stride: 2, padding: 'same' },
      { type: 'maxPool2d', size: 2, stride: 1 },
      { type: 'flatten' },
      { type: 'dense', units: 4, activation: 'relu' },
      { type: 'batchNorm' },
      { type: 'dense', units: 2 },
    ],
  },
  {
    // Each activation layer follows batch norm, pooling or dropout: right after a dense or conv
    // layer an importer folds it into that layer, which computes the same but is not the same layer list.
    name: 'conv → batch norm → relu layer → max pool → leaky relu layer → dropout → tanh layer → dense', shape: [7, 6, 2], tfjs: true,
    layers: [
      { type: 'conv2d', filters: 3, kernelSize: 3, padding: 'same' },
      { type: 'batchNorm' },
      { type: 'activation', activation: 'relu' },
      { type: 'maxPool2d', size: 2 },
      { type: 'activation', activation: { name: 'leakyRelu', alpha: 0.2 } },
      { type: 'dropout', rate: 0.1 },
      { type: 'activation', activation: 'tanh' },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
  },
  {
    name: 'convolutions with the activations TF.js lacks', shape: [5, 5, 1], tfjs: false,
    layers: [
      { type: 'conv2d', filters: 2, kernelSize: 2, activation: 'bipolarSigmoid' },
      { type: 'conv2d', filters: 2, kernelSize: 2, activation: 'arctan' },
      { type: 'conv2d', filters: 2, kernelSize: 2, activation: 'binaryStep' },
      { type: 'dense', units: 2, activation: 'softmax' },
    ],
  },
];

/** CNNS[i], trained two epochs on seeded rows so that batch norm's running statistics are its own. */
export async function buildCnn(i: number): Promise<Network> {
  const { shape, layers } = CNNS[i]!;
  const net = new Network({ inputShape: shape, layers, seed: 3 + i, threads: 1 });
  const features = shape[0] * shape[1] * shape[2];
  const rng = new Rng(i);
  const x = Float32Array.from({ length: 48 * features }, () => rng.uniform(-2, 2));
  const y = Float32Array.from({ length: 48 * net.outputs }, () => (net.loss === 'categoricalCrossEntropy' ? 0 : rng.int(2)));
  if (net.loss === 'categoricalCrossEntropy') for (let r = 0; r < 48; r++) y[r * net.outputs + (r % net.outputs)] = 1;
  await net.fit({ data: x, rows: 48, cols: features }, { data: y, rows: 48, cols: net.outputs }, { epochs: 2, batchSize: 16 });
  return net;
}
