/**
 * The TensorFlow.js layers format (what `model.save` writes and `tf.loadLayersModel` reads):
 * a `model.json` holding a Keras-style Sequential topology and a weights manifest, and the
 * weights as little-endian float32 in binary shards. Both are channels last, so simdnet's
 * layers map one to one: `Dense`, `Dropout`, `Conv2D` (HWIO kernels, TF's 'same' padding),
 * `MaxPooling2D`, `AveragePooling2D`, `GlobalAveragePooling2D`, `Flatten` and
 * `BatchNormalization`; leaky ReLU becomes a linear layer followed by `LeakyReLU`, as TF.js
 * has it, and a `Flatten` goes before a dense layer that reads an image (TF.js's `Dense`
 * would work per pixel). Reading accepts models saved by TF.js or converted from Keras whose
 * layers simdnet computes, and refuses any other layer naming it and its class.
 */
import type { Network } from '../../network.js';
import type { Sequential } from '../../nn/network.js';
import type { ActivationSpec } from '../../nn/activations.js';
import { ModelFormatError } from '../format.js';
import { float32Bytes, readFloat32 } from '../floats.js';
import { windowGeometry, type Padding, type Shape3 } from '../../nn/geometry.js';
import { networkFromStack, stackOf, type ImportOptions, type StackConv, type StackDense, type StackLayer } from '../stack.js';

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

/** What refusals list as importable. */
const SUPPORTED_LAYERS =
  'InputLayer, Dense, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, Flatten, BatchNormalization, Dropout, Activation and LeakyReLU';

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
  const push = (class_name: string, config: Record<string, unknown>) => {
    // The first layer declares the input: [null, features] or [null, h, w, c].
    const input = layers.length === 0 ? { batch_input_shape: [null, ...(stack.inputShape ?? [net.inputs])] } : {};
    layers.push({ class_name, config: { ...config, ...input } });
  };
  const weight = (name: string, shape: number[], values: Float32Array) => {
    specs.push({ name, shape, dtype: 'float32' });
    arrays.push(values);
  };
  const checkActivation = (name: string, act: ActivationSpec) => {
    if (act.name !== 'leakyRelu' && !TFJS_ACTIVATIONS.has(act.name)) {
      throw new TypeError(`exportTfjs: ${name} has activation ${act.name}, which TF.js layers do not have; export to ONNX instead`);
    }
  };
  /** A layer with an activation: TF.js's own, or linear followed by LeakyReLU. */
  const activated = (name: string, class_name: string, config: Record<string, unknown>, act: ActivationSpec) => {
    checkActivation(name, act);
    push(class_name, { name, ...config, activation: act.name === 'leakyRelu' ? 'linear' : act.name, use_bias: true });
    if (act.name === 'leakyRelu') push('LeakyReLU', { name: `${name}_leaky_relu`, alpha: act.alpha ?? 0.01 });
  };
  let image = stack.inputShape !== undefined;
  stack.layers.forEach((layer, i) => {
    const name = net.layers[i]!.name;
    switch (layer.type) {
      case 'dropout':
        return push('Dropout', { name, rate: layer.rate });
      case 'flatten':
        image = false;
        return push('Flatten', { name });
      case 'activation':
        checkActivation(name, layer.activation);
        return layer.activation.name === 'leakyRelu'
          ? push('LeakyReLU', { name, alpha: layer.activation.alpha ?? 0.01 })
          : push('Activation', { name, activation: layer.activation.name });
      case 'dense':
        // TF.js's Dense on an image works per pixel; simdnet's reads the flattened image.
        if (image) push('Flatten', { name: `${name}_flatten` });
        image = false;
        activated(name, 'Dense', { units: layer.units }, layer.activation);
        weight(`${name}/kernel`, [layer.inputs, layer.units], layer.weights);
        return weight(`${name}/bias`, [layer.units], layer.bias);
      case 'conv2d': {
        const g = layer.geometry;
        activated(name, 'Conv2D', { filters: layer.filters, kernel_size: [g.kh, g.kw], strides: [g.sh, g.sw], padding: layer.padding, data_format: 'channels_last' }, layer.activation);
        weight(`${name}/kernel`, [g.kh, g.kw, g.c, layer.filters], layer.weights);
        return weight(`${name}/bias`, [layer.filters], layer.bias);
      }
      case 'maxPool2d':
      case 'avgPool2d': {
        const g = layer.geometry;
        return push(layer.type === 'maxPool2d' ? 'MaxPooling2D' : 'AveragePooling2D', { name, pool_size: [g.kh, g.kw], strides: [g.sh, g.sw], padding: layer.padding, data_format: 'channels_last' });
      }
      case 'globalAvgPool':
        image = false;
        return push('GlobalAveragePooling2D', { name, data_format: 'channels_last' });
      case 'batchNorm':
        push('BatchNormalization', { name, axis: -1, momentum: layer.momentum, epsilon: layer.epsilon, center: true, scale: true });
        weight(`${name}/gamma`, [layer.channels], layer.gamma);
        weight(`${name}/beta`, [layer.channels], layer.beta);
        weight(`${name}/moving_mean`, [layer.channels], layer.mean);
        return weight(`${name}/moving_variance`, [layer.channels], layer.variance);
    }
  });
  const modelJson: TfjsModelJson = {
    format: 'layers-model',
    generatedBy: 'simdnet',
    convertedBy: null,
    modelTopology: { class_name: 'Sequential', config: { name: 'sequential', layers } },
    weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights: specs }],
    userDefinedMetadata: { loss: net.loss, ...(net.classNames ? { classes: [...net.classNames] } : {}), ...options.metadata },
  };
  return { modelJson, weights: float32Bytes(arrays) };
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

/** A size or stride as TF.js writes it: one number, or [rows, columns]. */
function pair(value: unknown, fallback: [number, number]): [number, number] {
  if (value === undefined || value === null) return fallback;
  return Array.isArray(value) ? [value[0] as number, value[1] as number] : [value as number, value as number];
}

/** Reads the layers of a topology into a stack, with the weights from `weights`. */
class TopologyReader {
  private readonly layers: StackLayer[] = [];
  /** A dense or conv2d layer whose activation may still follow. */
  private pending: StackDense | StackConv | undefined;
  /** What arrives at the next layer: an image, or rows of `width` features. */
  private shape: Shape3 | undefined;
  private width: number | undefined;
  private input: { inputs: number; inputShape?: Shape3 } | undefined;

  constructor(private readonly weights: Map<string, { shape: number[]; values: Float32Array }>, private readonly fail: (message: string) => never) {}

  read(all: readonly TfjsLayer[]): { inputs: number; inputShape?: Shape3; layers: StackLayer[] } {
    all.forEach((layer, i) => {
      const config = layer?.config ?? {};
      const name = typeof config['name'] === 'string' ? config['name'] : `#${i}`;
      const where = `layer "${name}" (${String(layer?.class_name)})`;
      this.inputShape(config, where);
      if (layer?.class_name === 'InputLayer') return;
      if (this.width === undefined) this.fail(`${where}: the model declares no input shape before it`);
      // The geometry checks of simdnet's layers speak for themselves; they become format errors here.
      try {
        this.layer(layer.class_name, config, name, where);
      } catch (err) {
        if (err instanceof ModelFormatError) throw err;
        this.fail(`${where}: ${(err as Error).message}`);
      }
    });
    this.finish();
    if (!this.layers.some((l) => l.type === 'dense')) this.fail('the model has no Dense layer');
    return { ...this.input!, layers: this.layers };
  }

  private layer(className: string, config: Record<string, unknown>, name: string, where: string): void {
    const image = () => this.shape ?? this.fail(`${where} needs an image input [null, height, width, channels], but ${this.width} features arrive`);
    if (config['data_format'] !== undefined && config['data_format'] !== 'channels_last') this.fail(`${where} is ${String(config['data_format'])}; simdnet's images are channels_last`);
    switch (className) {
      case 'Dense':
        return this.dense(config, name, where);
      case 'Conv2D':
        return this.conv(config, name, where, image());
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        this.finish();
        const size = pair(config['pool_size'], [2, 2]);
        const padding = this.padding(config, where);
        const geometry = windowGeometry(image(), size, pair(config['strides'], size), padding, where, 'window');
        this.layers.push({ type: className === 'MaxPooling2D' ? 'maxPool2d' : 'avgPool2d', geometry, padding });
        return this.toImage([geometry.oh, geometry.ow, geometry.c]);
      }
      case 'GlobalAveragePooling2D': {
        this.finish();
        if (config['keepdims'] === true) this.fail(`${where} keeps dims; simdnet's global average pooling outputs rows`);
        const [h, w, c] = image();
        this.layers.push({ type: 'globalAvgPool', geometry: { h, w, c, kh: h, kw: w, sh: 1, sw: 1, pt: 0, pl: 0, oh: 1, ow: 1 }, padding: 'valid' });
        return this.toRows(c);
      }
      case 'Flatten':
        this.finish();
        this.layers.push({ type: 'flatten' });
        return this.toRows(this.width!);
      case 'BatchNormalization':
        return this.batchNorm(config, name, where);
      case 'Dropout':
        this.finish();
        this.layers.push({ type: 'dropout', rate: typeof config['rate'] === 'number' ? config['rate'] : this.fail(`${where} has no rate`) });
        return;
      case 'Activation':
        return this.activate(this.activation(config['activation'], where), where);
      case 'LeakyReLU':
        // TF.js and Keras 2 call the slope alpha, Keras 3 negative_slope; both default to 0.3.
        return this.activate({ name: 'leakyRelu', alpha: (config['alpha'] ?? config['negative_slope'] ?? 0.3) as number }, where);
      default:
        this.fail(`${where} is not supported; simdnet imports ${SUPPORTED_LAYERS}`);
    }
  }

  /** The declared input shape (of the first layer that has one): [null, features] or [null, h, w, c]. */
  private inputShape(config: Record<string, unknown>, where: string): void {
    const shape = config['batch_input_shape'] ?? config['batch_shape'] ?? config['batchInputShape'];
    if (shape === undefined || this.input !== undefined) return;
    const dims = Array.isArray(shape) ? shape.slice(1) : [];
    if ((dims.length !== 1 && dims.length !== 3) || !dims.every((d) => Number.isSafeInteger(d) && d > 0)) {
      this.fail(`${where} takes inputs of shape ${JSON.stringify(shape)}; simdnet imports rows [null, features] or images [null, height, width, channels]`);
    }
    if (dims.length === 3) {
      this.toImage(dims as unknown as Shape3);
      this.input = { inputs: this.width!, inputShape: this.shape! };
    } else {
      this.toRows(dims[0] as number);
      this.input = { inputs: this.width! };
    }
  }

  private toImage(shape: Shape3): void {
    this.shape = shape;
    this.width = shape[0] * shape[1] * shape[2];
  }

  private toRows(width: number): void {
    this.shape = undefined;
    this.width = width;
  }

  /** A positive integer field of a layer's config. */
  private count(config: Record<string, unknown>, key: string, where: string): number {
    const value = config[key];
    if (!Number.isSafeInteger(value) || (value as number) <= 0) this.fail(`${where} has ${key} ${JSON.stringify(value)}; a positive integer is needed`);
    return value as number;
  }

  private padding(config: Record<string, unknown>, where: string): Padding {
    const padding = config['padding'] ?? 'valid';
    if (padding !== 'valid' && padding !== 'same') this.fail(`${where} has padding ${JSON.stringify(padding)}; simdnet has 'valid' and 'same'`);
    return padding as Padding;
  }

  private activation(value: unknown, where: string): ActivationSpec {
    const name = TFJS_ACTIVATIONS.get(String(value ?? 'linear'));
    if (name === undefined) this.fail(`${where} has activation ${JSON.stringify(value)}; simdnet imports ${[...TFJS_ACTIVATIONS.keys()].join(', ')}`);
    return { name: name! };
  }

  private dense(config: Record<string, unknown>, name: string, where: string): void {
    this.finish();
    if (this.shape) this.fail(`${where} reads an image, which TF.js's Dense does per pixel; simdnet imports a Flatten before it`);
    const units = this.count(config, 'units', where);
    const weights = this.weight(`${name}/kernel`, [this.width!, units], where);
    const bias = config['use_bias'] === false ? new Float32Array(units) : this.weight(`${name}/bias`, [units], where);
    this.begin({ type: 'dense', inputs: this.width!, units, activation: this.activation(config['activation'], where), weights, bias });
    this.toRows(units);
  }

  private conv(config: Record<string, unknown>, name: string, where: string, input: Shape3): void {
    this.finish();
    if (pair(config['dilation_rate'], [1, 1]).some((d) => d !== 1)) this.fail(`${where} is dilated; simdnet's convolutions are not`);
    if ((config['groups'] ?? 1) !== 1) this.fail(`${where} is grouped; simdnet's convolutions are not`);
    const filters = this.count(config, 'filters', where);
    const padding = this.padding(config, where);
    const geometry = windowGeometry(input, pair(config['kernel_size'], [0, 0]), pair(config['strides'], [1, 1]), padding, where, 'kernel');
    const weights = this.weight(`${name}/kernel`, [geometry.kh, geometry.kw, geometry.c, filters], where);
    const bias = config['use_bias'] === false ? new Float32Array(filters) : this.weight(`${name}/bias`, [filters], where);
    this.begin({ type: 'conv2d', geometry, filters, padding, activation: this.activation(config['activation'], where), weights, bias });
    this.toImage([geometry.oh, geometry.ow, filters]);
  }

  private batchNorm(config: Record<string, unknown>, name: string, where: string): void {
    this.finish();
    const axis = config['axis'] ?? -1;
    const last = this.shape ? 3 : 1;
    if (axis !== -1 && axis !== last && !(Array.isArray(axis) && axis.length === 1 && (axis[0] === -1 || axis[0] === last))) {
      this.fail(`${where} normalizes axis ${JSON.stringify(axis)}; simdnet normalizes the last (channels or features)`);
    }
    const channels = this.shape ? this.shape[2] : this.width!;
    const fixed = (value: number) => new Float32Array(channels).fill(value);
    this.layers.push({
      type: 'batchNorm', channels, momentum: (config['momentum'] ?? 0.99) as number, epsilon: (config['epsilon'] ?? 1e-3) as number,
      gamma: config['scale'] === false ? fixed(1) : this.weight(`${name}/gamma`, [channels], where),
      beta: config['center'] === false ? fixed(0) : this.weight(`${name}/beta`, [channels], where),
      mean: this.weight(`${name}/moving_mean`, [channels], where),
      variance: this.weight(`${name}/moving_variance`, [channels], where),
    });
  }

  /** Start a layer with weights; one with its own activation is complete, a linear one may get one next. */
  private begin(layer: StackDense | StackConv): void {
    this.pending = layer;
    if (layer.activation.name !== 'linear') this.finish();
  }

  /** The activation of the Dense or Conv2D layer just read, when it has none; else an activation layer. */
  private activate(spec: ActivationSpec, where: string): void {
    if (this.pending === undefined) {
      if (spec.name === 'softmax') this.fail(`${where}: simdnet has softmax only as the activation of the last Dense layer`);
      this.layers.push({ type: 'activation', activation: spec });
      return;
    }
    this.pending.activation = spec;
    this.finish();
  }

  private finish(): void {
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
    let offset = 0;
    for (const spec of group.weights ?? []) {
      if (typeof spec?.name !== 'string' || !Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
        fail(`weights manifest entry ${JSON.stringify(spec)} needs a name and a shape of sizes`);
      }
      if ((spec.dtype ?? 'float32') !== 'float32' || spec.quantization !== undefined) {
        fail(`weight "${spec.name}" is ${spec.quantization !== undefined ? 'quantized' : spec.dtype}; simdnet reads float32 weights`);
      }
      const count = spec.shape.reduce((n, d) => n * d, 1);
      if (offset + count * 4 > bytes.length) {
        fail(`weight "${spec.name}" needs bytes ${offset}–${offset + count * 4} of ${group.paths.join(' + ')}, which has ${bytes.length}`);
      }
      out.set(spec.name, { shape: spec.shape, values: readFloat32(bytes, offset, count) });
      offset += count * 4;
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
