/**
 * A network as plain data — its layers in order with their weights copied out of the heap —
 * which the converters to and from other formats (ONNX, TensorFlow.js) write and read, so
 * that none of them touches the heap or builds a network in its own way.
 */
import { Network } from '../network.js';
import type { BackendName } from '../engine.js';
import type { LayerSpec, Sequential } from '../nn/network.js';
import type { ActivationSpec } from '../nn/activations.js';
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

/** One layer of a {@link Stack}. */
export type StackLayer = StackDense | StackDropout;

/** A sequential network as plain data. */
export interface Stack {
  inputs: number;
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
 * The layers of `net` with copies of their weights. A layer type the target format cannot
 * hold is refused with a TypeError naming `format`, the layer and its type.
 */
export function stackOf(net: Sequential, format: string): Stack {
  const weights = net.getWeights();
  let next = 0;
  let width = net.inputs;
  const layers = net.layerConfigs().map((config, i): StackLayer => {
    switch (config.type) {
      case 'dense': {
        const layer: StackDense = {
          type: 'dense', inputs: width, units: config.units, activation: { ...config.activation } as ActivationSpec,
          weights: weights[next]!, bias: weights[next + 1]!,
        };
        next += 2;
        width = config.units;
        return layer;
      }
      case 'dropout':
        return { type: 'dropout', rate: config.rate };
      default:
        throw new TypeError(`${format}: ${net.layers[i]!.name} is a ${(config as { type: string }).type} layer, which the ${format} converter does not map yet`);
    }
  });
  return { inputs: net.inputs, layers, loss: net.loss, ...(net.classNames ? { classNames: net.classNames } : {}) };
}

/**
 * Build the network a {@link Stack} describes and load its weights. Anything the network
 * refuses (a bad width, a non-finite weight, a loss that does not fit the output) is a
 * {@link ModelFormatError} naming `options.source`.
 */
export function networkFromStack(stack: Stack, options: ImportOptions, defaultSource: string): Network {
  const source = options.source ?? defaultSource;
  const specs: LayerSpec[] = stack.layers.map((l) => (l.type === 'dense' ? { type: 'dense', units: l.units, activation: l.activation } : { type: 'dropout', rate: l.rate }));
  let network: Network | undefined;
  try {
    network = new Network({
      inputs: stack.inputs, layers: specs,
      ...(stack.loss !== undefined ? { loss: stack.loss } : {}),
      ...(stack.classNames !== undefined ? { classNames: stack.classNames } : {}),
      ...(options.backend ? { backend: options.backend } : {}),
      ...(options.build ? { build: options.build } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(options.maxMemoryBytes !== undefined ? { maxMemoryBytes: options.maxMemoryBytes } : {}),
    });
    network.setWeights(stack.layers.flatMap((l) => (l.type === 'dense' ? [l.weights, l.bias] : [])));
    return network;
  } catch (err) {
    network?.engine.close();
    throw new ModelFormatError(source, `describes a network simdnet cannot build: ${(err as Error).message}`);
  }
}
