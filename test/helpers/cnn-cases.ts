/**
 * Small CNNs covering every image layer and setting (valid/same, strides, 1×1 and non-square
 * kernels, overlapping pools, global pooling, batch norm after conv and after dense, both
 * convolution routes), shared by the gradient checks and the TensorFlow.js oracle.
 */
import type { LayerSpec } from '../../src/index.js';
import { randomArray } from './harness.js';

export interface CnnCase {
  name: string;
  inputShape: [number, number, number];
  layers: LayerSpec[];
  /** Piecewise layers (ReLU, max) get a smaller step so fewer points straddle a kink. */
  kinked?: boolean;
}

export const CNN_CASES: CnnCase[] = [
  {
    name: 'conv valid 3×3 tanh → max pool 2 → dense softmax',
    inputShape: [6, 6, 2],
    layers: [{ type: 'conv2d', filters: 3, kernelSize: 3, activation: 'tanh' }, { type: 'maxPool2d', size: 2 }, { type: 'dense', units: 3, activation: 'softmax' }],
    kinked: true,
  },
  {
    name: 'conv same 3×3 stride 2 → avg pool same → flatten → dense sigmoid',
    inputShape: [7, 5, 3],
    layers: [
      { type: 'conv2d', filters: 4, kernelSize: 3, stride: 2, padding: 'same', activation: 'sigmoid' },
      { type: 'avgPool2d', size: 2, padding: 'same' },
      { type: 'flatten' },
      { type: 'dense', units: 2, activation: 'sigmoid' },
    ],
  },
  {
    name: 'conv 1×1 → conv 2×3 arctan → global average pool → dense',
    inputShape: [4, 5, 3],
    layers: [
      { type: 'conv2d', filters: 5, kernelSize: 1, activation: 'softplus' },
      { type: 'conv2d', filters: 4, kernelSize: [2, 3], activation: 'arctan' },
      { type: 'globalAvgPool' },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
  },
  {
    name: 'conv relu → overlapping max pool 3 stride 1 → dense',
    inputShape: [6, 6, 1],
    layers: [{ type: 'conv2d', filters: 2, kernelSize: 2, activation: 'relu' }, { type: 'maxPool2d', size: 3, stride: 1 }, { type: 'dense', units: 3, activation: 'softmax' }],
    kinked: true,
  },
  {
    name: 'conv → batch norm → conv tanh → global average pool → dense → batch norm → dense',
    inputShape: [5, 5, 2],
    layers: [
      { type: 'conv2d', filters: 3, kernelSize: 3, padding: 'same' },
      { type: 'batchNorm', momentum: 0.9 },
      { type: 'conv2d', filters: 4, kernelSize: 3, activation: 'tanh' },
      { type: 'globalAvgPool' },
      { type: 'dense', units: 6, activation: 'tanh' },
      { type: 'batchNorm' },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
  },
  {
    name: 'conv → batch norm → relu (a layer) → max pool → relu again → dense',
    inputShape: [6, 5, 2],
    layers: [
      { type: 'conv2d', filters: 3, kernelSize: 3, padding: 'same' },
      { type: 'batchNorm' },
      { type: 'activation', activation: 'relu' },
      { type: 'maxPool2d', size: 2 },
      { type: 'activation', activation: 'relu' },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
    kinked: true,
  },
  {
    name: 'dense → batch norm → tanh, leaky ReLU, softplus layers → dense sigmoid',
    inputShape: [3, 3, 2],
    layers: [
      { type: 'flatten' },
      { type: 'dense', units: 5 },
      { type: 'batchNorm' },
      { type: 'activation', activation: 'tanh' },
      { type: 'activation', activation: { name: 'leakyRelu', alpha: 0.01 } },
      { type: 'activation', activation: 'softplus' },
      { type: 'dense', units: 1, activation: 'sigmoid' },
    ],
    kinked: true,
  },
  {
    // conv2dRoute: 9 filters direct (two groups of lanes, 8 + 1), the 1×1 on the GEMM without
    // im2col, 3×3 over 23 channels (K 207) through im2col and the GEMM, the last conv direct
    // with an input gradient.
    name: 'conv same 9 filters (direct, 8 + 1 lanes) → conv 1×1 23 filters (x as cols) → conv 3×3, K 207 (lowered) → conv 2×2 (direct) → dense',
    inputShape: [5, 4, 2],
    layers: [
      { type: 'conv2d', filters: 9, kernelSize: 3, padding: 'same', activation: 'tanh' },
      { type: 'conv2d', filters: 23, kernelSize: 1, activation: 'sigmoid' },
      { type: 'conv2d', filters: 3, kernelSize: 3, activation: 'tanh' },
      { type: 'conv2d', filters: 3, kernelSize: 2, activation: 'tanh' },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
  },
  {
    // Past 2,048 output pixels over a batch of 6, both weight gradients sum in parts of the batch
    // (src/backend/parts.ts): the direct filter gradient (23 filters, 8 + 8 + 7 lanes) and the
    // GEMM's (3×3 over 23 channels, K 207: lowered).
    name: 'conv same 3×3, 23 filters (direct) → conv same 3×3, K 207 (lowered) over 22×22: weight gradients in parts → global average pool → dense',
    inputShape: [22, 22, 1],
    layers: [
      { type: 'conv2d', filters: 23, kernelSize: 3, padding: 'same', activation: 'tanh' },
      { type: 'conv2d', filters: 12, kernelSize: 3, padding: 'same', activation: 'sigmoid' },
      { type: 'globalAvgPool' },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
  },
];

export function oneHot(rows: number, classes: number, seed: number): Float32Array {
  const r = randomArray(rows, seed, 0, 1);
  const y = new Float32Array(rows * classes);
  for (let i = 0; i < rows; i++) y[i * classes + Math.floor(r[i]! * classes)] = 1;
  return y;
}

