/** The networks every converter is tried on: each output activation with each loss it takes, under each hidden activation. */
import { Network } from '../../src/network.js';
import { ACTIVATION_NAMES, type ActivationName, type ActivationSpec } from '../../src/nn/activations.js';
import type { LayerSpec } from '../../src/nn/network.js';

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
