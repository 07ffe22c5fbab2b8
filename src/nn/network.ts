/**
 * A sequential network: layers, a loss, and the heap buffers they share. This module does
 * forward, loss and backward on row blocks already in the heap; `fit` (src/train) drives it.
 */
import { createEngine, type BackendName, type Engine } from '../engine.js';
import type { WasmBuild } from '../wasm/loader.js';
import type { HeapStats } from '../wasm/heap.js';
import { Rng } from '../data/rng.js';
import { checkNumber, checkPositiveInt } from '../tensor/shape.js';
import { resolveActivation, type ActivationName, type ActivationSpec } from './activations.js';
import { defaultInitializer, resolveInitializer, type InitializerName } from './initializers.js';
import { checkLossActivation, defaultLoss, evaluateLoss, isFused, resolveLoss, type LossName } from './losses.js';
import { BatchBuffer, type ForwardMode, type Layer, type LayerConfig, type Param } from './layer.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { isDataset, toRowMatrix, toTargets, type Layout, type MatrixInput, type RowMatrix } from './matrix.js';
import type { Dataset } from '../data/dataset.js';
import { fit, type FitOptions } from '../train/fit.js';
import type { History } from '../train/types.js';

/** A dense layer in a network description. */
export interface DenseSpec {
  type: 'dense';
  /** Number of units. */
  units: number;
  /** Activation; default `'linear'`. */
  activation?: ActivationName | ActivationSpec;
  /** Weight initializer; default He for ReLU-like activations, Glorot otherwise. */
  initializer?: InitializerName;
}

/** A dropout layer in a network description. */
export interface DropoutSpec {
  type: 'dropout';
  /** Probability of dropping each unit during training, in [0, 1). */
  rate: number;
}

/** One layer of a network description. */
export type LayerSpec = DenseSpec | DropoutSpec;

/** Everything needed to build a {@link Network}. */
export interface NetworkOptions {
  /** Number of input features. */
  inputs: number;
  /** The layers in order; the last must be dense. */
  layers: readonly LayerSpec[];
  /** Loss; default cross-entropy matching a sigmoid/softmax output, else mean squared error. */
  loss?: LossName | string;
  /** Seed for weight initialisation, shuffling and dropout. Default 1. */
  seed?: number;
  /** `'wasm'` (default) or `'js'` (reference kernels). */
  backend?: BackendName;
  /** Force a WASM build (`'simd'`, `'relaxed'` or `'scalar'`); default: the best supported. */
  build?: WasmBuild;
  /**
   * Threads for the kernels (the calling thread included); default the available cores.
   * `1` is the single-threaded path; results are the same for every count.
   */
  threads?: number;
}

/** Options for {@link Network.mlp}. */
export interface MlpOptions {
  /** Hidden-layer activation. Default `'relu'`. */
  activation?: ActivationName | ActivationSpec;
  /** Output activation. Default sigmoid for one output, softmax for more. */
  outputActivation?: ActivationName | ActivationSpec;
  /** Initializer for every layer. */
  initializer?: InitializerName;
  /** Dropout rate after each hidden layer (0 = none). */
  dropout?: number;
  loss?: LossName | string;
  seed?: number;
  backend?: BackendName;
  build?: WasmBuild;
  /** Threads for the kernels; see {@link NetworkOptions.threads}. */
  threads?: number;
}

/** Loss and accuracy of a network on a data set. */
export interface Evaluation {
  /** Mean loss per sample (without weight decay). */
  loss: number;
  /** Fraction classified correctly (threshold 0.5 for one output, argmax otherwise). */
  accuracy: number;
}

/** Options for calls that take samples. */
export interface LayoutOptions {
  /** `'rows'` (default): one sample per row; `'columns'`: the seeds' n×m layout. */
  layout?: Layout;
}

/** Forward modes, indexed by whether dropout is on; shared so a step allocates nothing. */
const MODES = {
  hidden: [{ training: false, logits: false }, { training: true, logits: false }] as const,
  logits: [{ training: false, logits: true }, { training: true, logits: true }] as const,
};

/** Rows processed per block in predict/evaluate, bounding memory for large inputs. */
const INFERENCE_BLOCK = 1024;

/** A sequential neural network whose parameters live in WASM memory. */
export class Network {
  /** Number of input features. */
  readonly inputs: number;
  /** Number of outputs. */
  readonly outputs: number;
  /** The loss being minimised. */
  readonly loss: LossName;
  /** The seed the network was built with. */
  readonly seed: number;
  /** Layers in order. */
  readonly layers: readonly Layer[];
  /** Heap and kernels. */
  readonly engine: Engine;
  /** Random stream for shuffling and dropout, seeded from {@link Network.seed}. */
  readonly rng: Rng;
  private readonly x: BatchBuffer;
  private readonly y: BatchBuffer;
  private readonly grad: BatchBuffer;
  private capacity = 0;

  constructor(options: NetworkOptions) {
    this.inputs = checkPositiveInt(options.inputs, 'Network: inputs');
    this.seed = options.seed ?? 1;
    if (!Number.isSafeInteger(this.seed)) throw new TypeError(`Network: seed must be an integer, got ${String(options.seed)}`);
    if (!Array.isArray(options.layers) || options.layers.length === 0) throw new RangeError('Network: layers must be a non-empty array');
    this.engine = createEngine({
      backend: options.backend ?? 'wasm',
      ...(options.build ? { build: options.build } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
    });
    this.rng = new Rng(this.seed);
    const layers: Layer[] = [];
    let width = this.inputs;
    options.layers.forEach((spec, i) => {
      const layer = this.buildLayer(spec, i, width);
      layers.push(layer);
      width = layer.outputs;
    });
    const last = layers[layers.length - 1];
    if (!(last instanceof Dense)) throw new TypeError(`Network: the last layer must be dense, got ${last?.toConfig().type}`);
    this.layers = layers;
    this.outputs = last.outputs;
    this.loss = options.loss === undefined ? defaultLoss(last.activation) : resolveLoss(options.loss, 'Network: loss');
    checkLossActivation(this.loss, last.activation);
    this.x = new BatchBuffer(this.engine, this.inputs);
    this.y = new BatchBuffer(this.engine, this.outputs);
    this.grad = new BatchBuffer(this.engine, this.outputs);
  }

  /**
   * A multilayer perceptron from the seeds' `layer_dims`, e.g. `[2, 4, 1]` or `[784, 25, 10]`:
   * the first entry is the input width, the last the output width.
   */
  static mlp(layerDims: readonly number[], options: MlpOptions = {}): Network {
    if (!Array.isArray(layerDims) || layerDims.length < 2) {
      throw new RangeError(`Network.mlp: layerDims needs an input and an output size, got [${String(layerDims)}]`);
    }
    const outputs = layerDims[layerDims.length - 1]!;
    const hidden = options.activation ?? 'relu';
    const output = options.outputActivation ?? (outputs === 1 ? 'sigmoid' : 'softmax');
    const layers: LayerSpec[] = [];
    layerDims.slice(1).forEach((units, i) => {
      const isOutput = i === layerDims.length - 2;
      const init = options.initializer ? { initializer: options.initializer } : {};
      layers.push({ type: 'dense', units, activation: isOutput ? output : hidden, ...init });
      if (!isOutput && options.dropout) layers.push({ type: 'dropout', rate: options.dropout });
    });
    const { activation: _a, outputActivation: _o, initializer: _i, dropout: _d, ...rest } = options;
    return new Network({ ...rest, inputs: layerDims[0]!, layers });
  }

  private buildLayer(spec: LayerSpec, index: number, inputs: number): Layer {
    const where = `layer ${index}`;
    if (spec?.type === 'dense') {
      const units = checkPositiveInt(spec.units, `${where} (dense): units`);
      const activation = resolveActivation(spec.activation ?? 'linear', `${where} (dense)`);
      const initializer = spec.initializer ? resolveInitializer(spec.initializer, `${where} (dense)`) : defaultInitializer(activation.name);
      return new Dense(this.engine, `dense_${index}`, inputs, units, activation, initializer, this.rng);
    }
    if (spec?.type === 'dropout') {
      const rate = checkNumber(spec.rate, `${where} (dropout): rate`, 0, 0.999999);
      return new Dropout(this.engine, `dropout_${index}`, inputs, rate, this.rng);
    }
    throw new TypeError(`${where}: unknown layer type ${JSON.stringify((spec as { type?: unknown })?.type)}; expected 'dense' or 'dropout'`);
  }

  /** Every trainable parameter, in layer order. */
  get params(): Param[] {
    return this.layers.flatMap((l) => l.params);
  }

  /** Total number of trainable floats. */
  get parameterCount(): number {
    return this.params.reduce((n, p) => n + p.size, 0);
  }

  /** Which kernels run: `'wasm-simd'`, `'wasm-scalar'` or `'js'`. */
  get backend(): string {
    return this.engine.kernels.flavor;
  }

  /** The plain-data description of the layers, as saved. */
  layerConfigs(): LayerConfig[] {
    return this.layers.map((l) => l.toConfig());
  }

  /** Heap usage; unchanged across training steps once buffers are sized. */
  memoryStats(): HeapStats {
    return this.engine.heap.stats();
  }

  /** Make room for blocks of `rows` rows in every buffer. */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    this.x.reserve(rows);
    this.y.reserve(rows);
    this.grad.reserve(rows);
    for (const l of this.layers) l.reserve(rows);
    this.capacity = rows;
  }

  /** Pointers of the input and target staging buffers (valid after {@link Network.reserve}). */
  get staging(): { x: number; y: number } {
    return { x: this.x.pointer, y: this.y.pointer };
  }

  /**
   * Forward, loss and (with `gradients`) backward for `rows` rows already staged in the
   * input/target buffers. Returns the summed per-sample loss; parameter gradients are the
   * mean over the rows. `dropout` turns dropout on.
   */
  lossOnStaged(rows: number, gradients: boolean, dropout: boolean): number {
    const fused = isFused(this.loss);
    const last = this.layers.length - 1;
    let out = this.x.pointer;
    for (let i = 0; i <= last; i++) {
      // Only the output layer hands its logits to a fused loss.
      const mode = i < last ? MODES.hidden[+dropout]! : fused ? MODES.logits[+dropout]! : MODES.hidden[+dropout]!;
      out = this.layers[i]!.forward(out, rows, mode);
    }
    const output = this.layers[last] as Dense;
    const grad = gradients ? this.grad.pointer : 0;
    const sum = evaluateLoss(this.engine.kernels, this.loss, out, this.y.pointer, fused ? output.output : 0, grad, rows, this.outputs, 1 / rows);
    if (gradients) {
      let g = grad;
      for (let i = this.layers.length - 1; i >= 0; i--) g = this.layers[i]!.backward(g, rows, i > 0);
    }
    return sum;
  }

  /** Correct classifications among `rows` staged rows, read from the last forward's output. */
  correctOnStaged(rows: number): number {
    const last = this.layers[this.layers.length - 1] as Dense;
    const f32 = this.engine.heap.f32;
    return countCorrect(f32, last.output >> 2, this.y.pointer >> 2, rows, this.outputs);
  }

  /** Copy rows `[start, start + count)` of `x` (and `y`) into the staging buffers. */
  stageRange(x: RowMatrix, y: RowMatrix | undefined, start: number, count: number): void {
    this.reserve(count);
    const f32 = this.engine.heap.f32;
    f32.set(x.data.subarray(start * this.inputs, (start + count) * this.inputs), this.x.pointer >> 2);
    if (y) f32.set(y.data.subarray(start * this.outputs, (start + count) * this.outputs), this.y.pointer >> 2);
  }

  /** Gather the rows listed in `order[from..from+count)` into the staging buffers. */
  stageRows(x: RowMatrix, y: RowMatrix, order: Uint32Array, from: number, count: number): void {
    this.reserve(count);
    const f32 = this.engine.heap.f32;
    const n = this.inputs;
    const k = this.outputs;
    const x0 = this.x.pointer >> 2;
    const y0 = this.y.pointer >> 2;
    const xs = x.data;
    const ys = y.data;
    // Plain loops: a subarray per row would allocate garbage in proportion to the data.
    for (let i = 0; i < count; i++) {
      const r = order[from + i]!;
      for (let j = 0, src = r * n, dst = x0 + i * n; j < n; j++) f32[dst + j] = xs[src + j]!;
      for (let j = 0, src = r * k, dst = y0 + i * k; j < k; j++) f32[dst + j] = ys[src + j]!;
    }
  }

  /** Validate and convert samples for this network. */
  samples(x: MatrixInput, options: LayoutOptions = {}, what = 'x'): RowMatrix {
    return toRowMatrix(x, this.inputs, options.layout ?? 'rows', what);
  }

  /** Validate and convert targets (matrix, or class indices for multi-class) for `rows` samples. */
  targets(y: MatrixInput | ArrayLike<number>, rows: number, options: LayoutOptions = {}, what = 'y'): RowMatrix {
    return toTargets(y, rows, this.outputs, options.layout ?? 'rows', what);
  }

  /**
   * Train on `x` (samples) and `y` (targets, or class indices for a multi-class network).
   * See {@link FitOptions}; resolves with the {@link History}.
   */
  fit(x: MatrixInput, y: MatrixInput | ArrayLike<number>, options?: FitOptions): Promise<History>;
  /** Train on a {@link Dataset} (samples and targets together). */
  fit(data: Dataset, options?: FitOptions): Promise<History>;
  fit(a: MatrixInput | Dataset, b?: MatrixInput | ArrayLike<number> | FitOptions, c?: FitOptions): Promise<History> {
    if (isDataset(a)) return fit(this, a, this.datasetTargets(a), (b as FitOptions | undefined) ?? {});
    return fit(this, a, b as MatrixInput | ArrayLike<number>, c ?? {});
  }

  /** A dataset's targets as this network needs them (class indices are one-hot encoded here). */
  datasetTargets(data: Dataset): MatrixInput | ArrayLike<number> {
    if (data.outputs === this.outputs) return { data: data.y, rows: data.rows, cols: data.outputs };
    return data.labels ?? data.y;
  }

  /**
   * Output probabilities (or values, for a linear output), one row of {@link Network.outputs}
   * per sample, row-major.
   */
  predict(x: MatrixInput, options: LayoutOptions = {}): Float32Array {
    const data = this.samples(x, options);
    const out = new Float32Array(data.rows * this.outputs);
    const mode: ForwardMode = { training: false, logits: false };
    for (let start = 0; start < data.rows; start += INFERENCE_BLOCK) {
      const count = Math.min(INFERENCE_BLOCK, data.rows - start);
      this.stageRange(data, undefined, start, count);
      let p = this.x.pointer;
      for (const layer of this.layers) p = layer.forward(p, count, mode);
      out.set(this.engine.heap.floats(p, count * this.outputs), start * this.outputs);
    }
    return out;
  }

  /** Class per sample: 0/1 by the 0.5 threshold for one output, argmax for several. */
  classify(x: MatrixInput, options: LayoutOptions = {}): Int32Array {
    const probs = this.predict(x, options);
    return classesOf(probs, this.outputs);
  }

  /** Mean loss and accuracy on a data set (no dropout, no weight decay term). */
  evaluate(x: MatrixInput, y: MatrixInput | ArrayLike<number>, options?: LayoutOptions): Evaluation;
  /** Mean loss and accuracy on a {@link Dataset}. */
  evaluate(data: Dataset): Evaluation;
  evaluate(x: MatrixInput | Dataset, y?: MatrixInput | ArrayLike<number>, options: LayoutOptions = {}): Evaluation {
    if (isDataset(x)) return this.evaluate({ x: x.x, rows: x.rows, features: x.features }, this.datasetTargets(x));
    if (y === undefined) throw new TypeError('evaluate: targets are missing');
    const data = this.samples(x, options);
    const targets = this.targets(y, data.rows, options);
    return this.evaluateRows(data, targets);
  }

  /** {@link Network.evaluate} on already validated data. */
  evaluateRows(data: RowMatrix, targets: RowMatrix): Evaluation {
    if (data.rows === 0) return { loss: NaN, accuracy: NaN };
    let loss = 0;
    let correct = 0;
    for (let start = 0; start < data.rows; start += INFERENCE_BLOCK) {
      const count = Math.min(INFERENCE_BLOCK, data.rows - start);
      this.stageRange(data, targets, start, count);
      loss += this.lossOnStaged(count, false, false);
      correct += this.correctOnStaged(count);
    }
    return { loss: loss / data.rows, accuracy: correct / data.rows };
  }

  /** Copies of every parameter array, in {@link Network.params} order. */
  getWeights(): Float32Array[] {
    return this.params.map((p) => this.engine.heap.floats(p.value, p.size).slice());
  }

  /** Overwrite every parameter array (same order and sizes as {@link Network.getWeights}). */
  setWeights(weights: readonly ArrayLike<number>[]): void {
    const params = this.params;
    if (weights.length !== params.length) throw new RangeError(`setWeights: got ${weights.length} arrays, the network has ${params.length}`);
    params.forEach((p, i) => {
      const w = weights[i]!;
      if (w.length !== p.size) throw new RangeError(`setWeights: ${p.name} needs ${p.size} values, got ${w.length}`);
      for (let j = 0; j < w.length; j++) {
        if (!Number.isFinite(w[j])) throw new RangeError(`setWeights: ${p.name}[${j}] is ${w[j]}`);
      }
    });
    params.forEach((p, i) => this.engine.heap.floats(p.value, p.size).set(weights[i]!));
  }

  /** A one-line-per-layer description: shapes, activations and parameter counts. */
  summary(): string {
    const lines = [`Network (${this.backend}, loss ${this.loss}, seed ${this.seed})`, `  input           ${this.inputs}`];
    for (const l of this.layers) {
      const c = l.toConfig();
      const detail = c.type === 'dense' ? `${c.units} ${c.activation.name}` : `rate ${c.rate}`;
      const count = l.params.reduce((n, p) => n + p.size, 0);
      lines.push(`  ${l.name.padEnd(15)} ${detail.padEnd(20)} ${count} params`);
    }
    lines.push(`  total ${this.parameterCount} parameters`);
    return lines.join('\n');
  }
}

/** Count rows whose predicted class matches the target class. */
export function countCorrect(f32: Float32Array, p0: number, y0: number, rows: number, k: number): number {
  let correct = 0;
  if (k === 1) {
    for (let i = 0; i < rows; i++) if (f32[p0 + i]! >= 0.5 === f32[y0 + i]! >= 0.5) correct++;
    return correct;
  }
  for (let i = 0; i < rows; i++) {
    if (argmax(f32, p0 + i * k, k) === argmax(f32, y0 + i * k, k)) correct++;
  }
  return correct;
}

/** Class index per row of a rows×k probability matrix (threshold 0.5 when k = 1). */
export function classesOf(probs: Float32Array, k: number): Int32Array {
  const rows = probs.length / k;
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) out[i] = k === 1 ? +(probs[i]! >= 0.5) : argmax(probs, i * k, k);
  return out;
}

function argmax(a: Float32Array, start: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (a[start + j]! > a[start + best]!) best = j;
  return best;
}
