/**
 * A network as plain data — its layers in order with their weights copied out of the heap —
 * which the converters to and from other formats (ONNX, TensorFlow.js) write and read, so
 * that none of them touches the heap or builds a network in its own way.
 */
import { Network } from '../network.js';
import type { BackendName } from '../engine.js';
import type { LayerSpec, Sequential } from '../nn/network.js';
import { activationToJSON, type ActivationSpec } from '../nn/activations.js';
import { BatchNorm } from '../nn/batch-norm.js';
import { Conv2D } from '../nn/conv2d.js';
import type { Padding, Shape3, WindowGeometry } from '../nn/geometry.js';
import { Pool2D, type PoolType } from '../nn/pool2d.js';
import type { StateArray } from '../nn/layer.js';
import type { LossName } from '../nn/losses.js';
import type { WasmBuild } from '../wasm/loader.js';
import { ModelFormatError } from './format.js';

/** A dense layer: `a = g(x·W + b)`, W inputs×units row-major. */
export interface StackDense {
  type: 'dense';
  inputs: number;
  units: number;
  activation: ActivationSpec;
  weights: Float32Array;
  bias: Float32Array;
}

/** A dropout layer (the identity at inference). */
export interface StackDropout {
  type: 'dropout';
  rate: number;
}

/** A convolution, channels last: W kh×kw×c×filters (HWIO), row-major. */
export interface StackConv {
  type: 'conv2d';
  /** Input size, window, strides, padding offsets and output size. */
  geometry: WindowGeometry;
  filters: number;
  padding: Padding;
  activation: ActivationSpec;
  weights: Float32Array;
  bias: Float32Array;
}

/** Max or average pooling, or the average over each channel's whole map (`globalAvgPool`, which outputs rows). */
export interface StackPool {
  type: PoolType;
  geometry: WindowGeometry;
  padding: Padding;
}

/** Images to rows of h·w·c features (channels last). */
export interface StackFlatten {
  type: 'flatten';
}

/** Batch normalisation over `channels` (the channels of an image, or the features of rows). */
export interface StackBatchNorm {
  type: 'batchNorm';
  channels: number;
  momentum: number;
  epsilon: number;
  gamma: Float32Array;
  beta: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
}

/** An elementwise activation as a layer of its own (after batch norm or pooling). */
export interface StackActivation {
  type: 'activation';
  activation: ActivationSpec;
}

/** One layer of a {@link Stack}. */
export type StackLayer = StackDense | StackDropout | StackConv | StackPool | StackFlatten | StackBatchNorm | StackActivation;

/** A sequential network as plain data. */
export interface Stack {
  inputs: number;
  /** Height, width and channels when the input is an image. */
  inputShape?: Shape3;
  layers: StackLayer[];
  /** The loss; when absent, importers take the default for the output activation. */
  loss?: LossName | string;
  classNames?: readonly string[];
}

/** Options of the importers: how the new network runs. */
export interface ImportOptions {
  /** `'wasm'` (default) or `'js'`. */
  backend?: BackendName;
  build?: WasmBuild;
  /** Threads for the kernels; see {@link NetworkOptions.threads}. */
  threads?: number;
  /** Heap limit; see {@link NetworkOptions.maxMemoryBytes}. */
  maxMemoryBytes?: number;
  /** Name used in error messages (a path). */
  source?: string;
}

/**
 * The layers of `net` with copies of their weights and state. A layer type this module does
 * not know is refused with a TypeError naming `format`, the layer and its type.
 */
export function stackOf(net: Sequential, format: string): Stack {
  const copy = (p: { value: number; size: number }) => net.engine.heap.floats(p.value, p.size).slice();
  const layers = net.layers.map((layer, i): StackLayer => {
    const config = net.layerConfigs()[i]!;
    const [w, b] = layer.params.map(copy);
    if (config.type === 'dense') return { type: 'dense', inputs: layer.inputs, units: config.units, activation: { ...config.activation } as ActivationSpec, weights: w!, bias: b! };
    if (config.type === 'dropout') return { type: 'dropout', rate: config.rate };
    if (config.type === 'flatten') return { type: 'flatten' };
    if (config.type === 'activation') return { type: 'activation', activation: { ...config.activation } as ActivationSpec };
    if (layer instanceof Conv2D) {
      return { type: 'conv2d', geometry: layer.geometry, filters: layer.filters, padding: layer.padding, activation: activationToJSON(layer.activation), weights: w!, bias: b! };
    }
    if (layer instanceof Pool2D) return { type: layer.type, geometry: layer.geometry, padding: layer.padding };
    if (layer instanceof BatchNorm) {
      const [mean, variance] = layer.state.map(copy);
      return { type: 'batchNorm', channels: layer.channels, momentum: layer.momentum, epsilon: layer.epsilon, gamma: w!, beta: b!, mean: mean!, variance: variance! };
    }
    throw new TypeError(`${format}: ${layer.name} is a ${config.type} layer, which the ${format} converter does not map`);
  });
  return {
    inputs: net.inputs, ...(net.inputShape ? { inputShape: net.inputShape } : {}), layers, loss: net.loss,
    ...(net.classNames ? { classNames: net.classNames } : {}),
  };
}

/** The network description of a stack layer. */
function specOf(l: StackLayer): LayerSpec {
  switch (l.type) {
    case 'dense': return { type: 'dense', units: l.units, activation: l.activation };
    case 'dropout': return { type: 'dropout', rate: l.rate };
    case 'flatten': return { type: 'flatten' };
    case 'activation': return { type: 'activation', activation: l.activation };
    case 'globalAvgPool': return { type: 'globalAvgPool' };
    case 'batchNorm': return { type: 'batchNorm', momentum: l.momentum, epsilon: l.epsilon };
    case 'conv2d': {
      const g = l.geometry;
      return { type: 'conv2d', filters: l.filters, kernelSize: [g.kh, g.kw], stride: [g.sh, g.sw], padding: l.padding, activation: l.activation };
    }
    case 'maxPool2d': case 'avgPool2d': {
      const g = l.geometry;
      return { type: l.type, size: [g.kh, g.kw], stride: [g.sh, g.sw], padding: l.padding };
    }
  }
}

/** Copy a running statistic into the network: a mean may be any finite number, a variance none below 0. */
function loadStatistic(network: Network, to: StateArray, values: Float32Array, what: 'mean' | 'variance'): void {
  if (values.length !== to.size) throw new RangeError(`${to.name} needs ${to.size} values, got ${values.length}`);
  const bad = values.findIndex((v) => !Number.isFinite(v) || (what === 'variance' && v < 0));
  if (bad >= 0) throw new RangeError(`${to.name}[${bad}] is ${values[bad]}, not a running ${what}`);
  network.engine.heap.floats(to.value, to.size).set(values);
}

/** A stack layer's trainable arrays, in the network's parameter order. */
function paramsOf(l: StackLayer): Float32Array[] {
  if (l.type === 'dense' || l.type === 'conv2d') return [l.weights, l.bias];
  return l.type === 'batchNorm' ? [l.gamma, l.beta] : [];
}

/**
 * Build the network a {@link Stack} describes and load its weights. Anything the network
 * refuses (a bad width, a non-finite weight, a loss that does not fit the output) is a
 * {@link ModelFormatError} naming `options.source`.
 */
export function networkFromStack(stack: Stack, options: ImportOptions, defaultSource: string): Network {
  const source = options.source ?? defaultSource;
  let network: Network | undefined;
  try {
    network = new Network({
      ...(stack.inputShape ? { inputShape: stack.inputShape } : { inputs: stack.inputs }), layers: stack.layers.map(specOf),
      ...(stack.loss !== undefined ? { loss: stack.loss } : {}),
      ...(stack.classNames !== undefined ? { classNames: stack.classNames } : {}),
      ...(options.backend ? { backend: options.backend } : {}),
      ...(options.build ? { build: options.build } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(options.maxMemoryBytes !== undefined ? { maxMemoryBytes: options.maxMemoryBytes } : {}),
    });
    network.setWeights(stack.layers.flatMap(paramsOf));
    network.layers.forEach((layer, i) => {
      const l = stack.layers[i]!;
      if (l.type !== 'batchNorm' || !(layer instanceof BatchNorm)) return;
      const [mean, variance] = layer.state;
      loadStatistic(network!, mean!, l.mean, 'mean');
      loadStatistic(network!, variance!, l.variance, 'variance');
    });
    return network;
  } catch (err) {
    network?.engine.close();
    throw new ModelFormatError(source, `describes a network simdnet cannot build: ${(err as Error).message}`);
  }
}
