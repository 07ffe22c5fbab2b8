/**
 * The TensorFlow.js layers format (what `model.save` writes and `tf.loadLayersModel` reads):
 * a `model.json` holding a Keras-style Sequential topology and a weights manifest, and the
 * weights as little-endian float32 in binary shards. simdnet's dense and dropout layers map
 * onto TF.js `Dense` and `Dropout`; leaky ReLU becomes a linear `Dense` followed by
 * `LeakyReLU`, as TF.js has it. Reading accepts models saved by TF.js or converted from Keras
 * whose layers simdnet computes, and refuses any other layer naming it and its class.
 */
import type { Network } from '../../network.js';
import type { Sequential } from '../../nn/network.js';
import type { ActivationSpec } from '../../nn/activations.js';
import { ModelFormatError } from '../format.js';
import { networkFromStack, stackOf, type ImportOptions, type StackDense, type StackLayer } from '../stack.js';

/** The one weights file simdnet writes beside model.json. */
export const TFJS_WEIGHTS_FILE = 'weights.bin';

/** A layer of a Keras/TF.js topology. */
export interface TfjsLayer {
  class_name: string;
  config: Record<string, unknown>;
}

/** One weight in the manifest. */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype?: string;
  quantization?: unknown;
}

/** model.json, as far as simdnet reads and writes it. */
export interface TfjsModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: TfjsWeightSpec[] }[];
  trainingConfig?: { loss?: unknown };
  userDefinedMetadata?: Record<string, unknown>;
}

/** Options for writing the TF.js format. */
export interface TfjsExportOptions {
  /** More entries for model.json's `userDefinedMetadata` (TF.js hands it to `model.getUserDefinedMetadata()`). */
  metadata?: Record<string, unknown>;
}

/** simdnet activations TF.js names the same way (its spelling). */
const TFJS_ACTIVATIONS = new Map<string, ActivationSpec['name']>([
  ['linear', 'linear'], ['sigmoid', 'sigmoid'], ['tanh', 'tanh'], ['relu', 'relu'], ['softplus', 'softplus'], ['softmax', 'softmax'],
]);

/** TF.js and Keras loss names → simdnet's. */
const TFJS_LOSSES = new Map<string, string>([
  ['categoricalCrossentropy', 'categoricalCrossEntropy'], ['categorical_crossentropy', 'categoricalCrossEntropy'],
  ['binaryCrossentropy', 'binaryCrossEntropy'], ['binary_crossentropy', 'binaryCrossEntropy'],
  ['meanSquaredError', 'meanSquaredError'], ['mean_squared_error', 'meanSquaredError'], ['mse', 'meanSquaredError'],
  ['huber', 'huber'], ['huberLoss', 'huber'], ['huber_loss', 'huber'],
]);

/** Little-endian float32 bytes of every array, one after another. */
function floatBytes(arrays: readonly Float32Array[]): Uint8Array {
  const bytes = new Uint8Array(arrays.reduce((n, a) => n + a.length * 4, 0));
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++, offset += 4) view.setFloat32(offset, a[i]!, true);
  return bytes;
}

/**
 * `net` in the TF.js layers format: model.json's content and the bytes of its one weights
 * file ({@link TFJS_WEIGHTS_FILE}). Activations TF.js lacks (arctan, bipolar sigmoid, binary
 * step) are refused naming the layer.
 */
export function encodeTfjs(net: Sequential, options: TfjsExportOptions = {}): { modelJson: TfjsModelJson; weights: Uint8Array } {
  const stack = stackOf(net, 'exportTfjs');
  const layers: TfjsLayer[] = [];
  const specs: TfjsWeightSpec[] = [];
  const arrays: Float32Array[] = [];
  stack.layers.forEach((layer, i) => {
    const name = net.layers[i]!.name;
    const first = i === 0 ? { batch_input_shape: [null, net.inputs] } : {};
    if (layer.type === 'dropout') {
      layers.push({ class_name: 'Dropout', config: { name, rate: layer.rate, ...first } });
      return;
    }
    const act = layer.activation;
    const leaky = act.name === 'leakyRelu';
    if (!leaky && !TFJS_ACTIVATIONS.has(act.name)) {
      throw new TypeError(`exportTfjs: ${name} has activation ${act.name}, which TF.js layers do not have; export to ONNX instead`);
    }
    layers.push({ class_name: 'Dense', config: { name, units: layer.units, activation: leaky ? 'linear' : act.name, use_bias: true, dtype: 'float32', ...first } });
    if (leaky) layers.push({ class_name: 'LeakyReLU', config: { name: `${name}_leaky_relu`, alpha: act.alpha ?? 0.01 } });
    specs.push({ name: `${name}/kernel`, shape: [layer.inputs, layer.units], dtype: 'float32' }, { name: `${name}/bias`, shape: [layer.units], dtype: 'float32' });
    arrays.push(layer.weights, layer.bias);
  });
  const modelJson: TfjsModelJson = {
    format: 'layers-model',
    generatedBy: 'simdnet',
    convertedBy: null,
    modelTopology: { class_name: 'Sequential', config: { name: 'sequential', layers } },
    weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights: specs }],
    userDefinedMetadata: { loss: net.loss, ...(net.classNames ? { classes: [...net.classNames] } : {}), ...options.metadata },
  };
  return { modelJson, weights: floatBytes(arrays) };
}

/** The Sequential topology's layers, in either TF.js's or Keras's nesting. */
function topologyLayers(json: TfjsModelJson, fail: (message: string) => never): TfjsLayer[] {
  const topology = json.modelTopology as { model_config?: unknown } | undefined;
  const model = (topology?.model_config ?? topology) as { class_name?: string; config?: unknown } | undefined;
  if (model?.class_name !== 'Sequential') {
    fail(`the model is a ${model?.class_name ?? 'topology without a class_name'}; simdnet imports Sequential models`);
  }
  const config = model!.config as { layers?: unknown } | unknown[] | undefined;
  const layers = Array.isArray(config) ? config : config?.layers;
  if (!Array.isArray(layers)) fail('modelTopology has no list of layers');
  return layers as TfjsLayer[];
}

/** Reads the layers of a topology into a stack, with the weights from `weights`. */
class TopologyReader {
  private readonly layers: StackLayer[] = [];
  private pending: StackDense | undefined;
  private width: number | undefined;
  private inputs: number | undefined;

  constructor(private readonly weights: Map<string, { shape: number[]; values: Float32Array }>, private readonly fail: (message: string) => never) {}

  read(all: readonly TfjsLayer[]): { inputs: number; layers: StackLayer[] } {
    all.forEach((layer, i) => this.layer(layer, i));
    this.finishDense();
    if (this.inputs === undefined) this.fail('the model has no Dense layer');
    return { inputs: this.inputs!, layers: this.layers };
  }

  private layer(layer: TfjsLayer, i: number): void {
    const config = layer?.config ?? {};
    const name = typeof config['name'] === 'string' ? config['name'] : `#${i}`;
    const where = `layer "${name}" (${String(layer?.class_name)})`;
    this.inputShape(config, where);
    switch (layer?.class_name) {
      case 'InputLayer':
        return;
      case 'Dense':
        return this.dense(config, name, where);
      case 'Dropout':
        this.finishDense();
        this.layers.push({ type: 'dropout', rate: typeof config['rate'] === 'number' ? config['rate'] : this.fail(`${where} has no rate`) });
        return;
      case 'Activation':
        return this.activate(this.activation(config['activation'], where), where);
      case 'LeakyReLU': {
        // TF.js and Keras 2 call the slope alpha, Keras 3 negative_slope; both default to 0.3.
        const alpha = config['alpha'] ?? config['negative_slope'] ?? 0.3;
        return this.activate({ name: 'leakyRelu', alpha: alpha as number }, where);
      }
      default:
        this.fail(`${where} is not supported; simdnet imports InputLayer, Dense, Dropout, Activation and LeakyReLU`);
    }
  }

  /** A first layer's declared input shape, which must be [batch, features]. */
  private inputShape(config: Record<string, unknown>, where: string): void {
    const shape = config['batch_input_shape'] ?? config['batch_shape'] ?? config['batchInputShape'];
    if (shape === undefined || this.width !== undefined) return;
    if (!Array.isArray(shape) || shape.length !== 2 || !Number.isSafeInteger(shape[1])) {
      this.fail(`${where} takes inputs of shape ${JSON.stringify(shape)}; simdnet imports rows of features, [null, features]`);
    }
    this.width = (shape as number[])[1];
  }

  private activation(value: unknown, where: string): ActivationSpec {
    const name = TFJS_ACTIVATIONS.get(String(value ?? 'linear'));
    if (name === undefined) this.fail(`${where} has activation ${JSON.stringify(value)}; simdnet imports ${[...TFJS_ACTIVATIONS.keys()].join(', ')}`);
    return { name: name! };
  }

  private dense(config: Record<string, unknown>, name: string, where: string): void {
    this.finishDense();
    if (this.width === undefined) this.fail(`${where}: the model declares no input shape before it`);
    const units = config['units'] as number;
    const kernel = this.weight(`${name}/kernel`, [this.width!, units], where);
    const bias = config['use_bias'] === false ? new Float32Array(units) : this.weight(`${name}/bias`, [units], where);
    this.inputs ??= this.width;
    this.pending = { type: 'dense', inputs: this.width!, units, activation: this.activation(config['activation'], where), weights: kernel, bias };
    this.width = units;
    // A Dense layer with its own activation is complete; a linear one may be followed by one.
    if (this.pending.activation.name !== 'linear') this.finishDense();
  }

  private activate(spec: ActivationSpec, where: string): void {
    if (this.pending === undefined) this.fail(`${where}: simdnet has ${spec.name} only right after a Dense layer without an activation of its own`);
    this.pending!.activation = spec;
    this.finishDense();
  }

  private finishDense(): void {
    if (this.pending) this.layers.push(this.pending);
    this.pending = undefined;
  }

  private weight(name: string, shape: number[], where: string): Float32Array {
    const w = this.weights.get(name);
    if (w === undefined) this.fail(`${where}: weight "${name}" is not in the weights manifest (it has ${[...this.weights.keys()].map((k) => JSON.stringify(k)).join(', ')})`);
    if (w!.shape.length !== shape.length || w!.shape.some((d, i) => d !== shape[i])) {
      this.fail(`${where}: weight "${name}" has shape [${w!.shape.join(', ')}], the layer needs [${shape.join(', ')}]`);
    }
    return w!.values;
  }
}

/**
 * The manifest's weights by name, read from `shards[g]` (the concatenated files of group
 * `g`); a weight that is not float32, is quantized or runs past its group's bytes is refused.
 */
function readWeights(json: TfjsModelJson, shards: readonly Uint8Array[], fail: (message: string) => never): Map<string, { shape: number[]; values: Float32Array }> {
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  json.weightsManifest.forEach((group, g) => {
    const bytes = shards[g]!;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let offset = 0;
    for (const spec of group.weights ?? []) {
      if ((spec.dtype ?? 'float32') !== 'float32' || spec.quantization !== undefined) {
        fail(`weight "${spec.name}" is ${spec.quantization !== undefined ? 'quantized' : spec.dtype}; simdnet reads float32 weights`);
      }
      const count = spec.shape.reduce((n, d) => n * d, 1);
      if (offset + count * 4 > bytes.length) {
        fail(`weight "${spec.name}" needs bytes ${offset}–${offset + count * 4} of ${group.paths.join(' + ')}, which has ${bytes.length}`);
      }
      const values = new Float32Array(count);
      for (let i = 0; i < count; i++, offset += 4) values[i] = view.getFloat32(offset, true);
      out.set(spec.name, { shape: spec.shape, values });
    }
    if (offset !== bytes.length) fail(`${group.paths.join(' + ')} has ${bytes.length} bytes, the manifest lists ${offset}`);
  });
  return out;
}

/** The loss the model was saved with: simdnet's metadata, else TF.js's training config. */
function lossOf(json: TfjsModelJson, fail: (message: string) => never): string | undefined {
  const saved = json.userDefinedMetadata?.['loss'] ?? json.trainingConfig?.loss;
  if (saved === undefined || typeof saved !== 'string') return undefined;
  const loss = TFJS_LOSSES.get(saved) ?? saved;
  if (![...TFJS_LOSSES.values()].includes(loss)) fail(`the model was trained with loss "${saved}", which simdnet does not have`);
  return loss;
}

/**
 * A TF.js layers model as a trainable network: `modelJson` is model.json's content and
 * `shards[g]` the concatenated bytes of weights group `g`'s files. Errors are
 * {@link ModelFormatError}s naming `options.source`.
 */
export function decodeTfjs(modelJson: TfjsModelJson, shards: readonly Uint8Array[], options: ImportOptions = {}): Network {
  const source = options.source ?? 'TF.js model';
  const fail = (message: string): never => {
    throw new ModelFormatError(source, message);
  };
  if (modelJson.format !== undefined && modelJson.format !== 'layers-model') fail(`format is "${modelJson.format}"; simdnet imports TF.js layers models ("layers-model")`);
  const layers = topologyLayers(modelJson, fail);
  const stack = new TopologyReader(readWeights(modelJson, shards, fail), fail).read(layers);
  const loss = lossOf(modelJson, fail);
  const classes = modelJson.userDefinedMetadata?.['classes'];
  return networkFromStack(
    { ...stack, ...(loss !== undefined ? { loss } : {}), ...(Array.isArray(classes) ? { classNames: classes as string[] } : {}) },
    options, source,
  );
}
