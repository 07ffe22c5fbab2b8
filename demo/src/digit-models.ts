/**
 * The networks the digits view trains: a small CNN (the default) and a one-hidden-layer MLP.
 * Described as plain data, so they cross to the training worker as they are.
 */
import type { ModelDescription, WorkerFitOptions } from './simdnet.js';

/** A network the digits view offers, and how to train it. */
export interface DigitModel {
  /** What the status line calls it. */
  name: string;
  model: ModelDescription;
  fit: WorkerFitOptions;
}

/**
 * TensorFlow.js's MNIST tutorial network (conv 5×5×8 same → max pool 2 → conv 5×5×16 → max
 * pool 2 → dense 10): small enough to train in seconds on one thread, and past the MLP's
 * accuracy after one epoch.
 */
export function cnn(): DigitModel {
  return {
    name: 'the CNN',
    model: {
      inputShape: [28, 28, 1],
      seed: 1,
      layers: [
        { type: 'conv2d', filters: 8, kernelSize: 5, padding: 'same', activation: 'relu' },
        { type: 'maxPool2d', size: 2 },
        { type: 'conv2d', filters: 16, kernelSize: 5, activation: 'relu' },
        { type: 'maxPool2d', size: 2 },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
    },
    fit: { batchSize: 64, optimizer: 'adam', learningRate: 0.003 },
  };
}

/** 784 → `hidden` ReLU → 10 softmax. */
export function mlp(hidden: number): DigitModel {
  return {
    name: `an MLP with ${hidden} hidden units`,
    model: { layerDims: [784, hidden, 10], activation: 'relu', seed: 1 },
    fit: { batchSize: 64, optimizer: 'adam', learningRate: 0.002 },
  };
}
