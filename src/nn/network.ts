/**
 * The model: a sequential stack of layers, its loss, its parameters in the heap and the class
 * names it was trained with. It computes forward, loss and backward on row blocks already in
 * the heap. Feeding data (src/feed), training (src/train) and the user-facing `Network`
 * (src/network.ts) build on it; nothing here reads user data.
 */
import { createEngine, type BackendName, type Engine, type SplitThresholds } from '../engine.js';
import type { WasmBuild } from '../wasm/loader.js';
import { formatBytes, MAX_HEAP_BYTES, type HeapStats } from '../wasm/heap.js';
import { Rng } from '../util/rng.js';
import { checkClassNames, type TargetKind } from '../data/boundary.js';
import { checkNumber, checkPositiveInt } from '../util/check.js';
import { describe } from '../util/describe.js';
import { resolveActivation, type ActivationName, type ActivationSpec } from './activations.js';
import { defaultInitializer, resolveInitializer, type InitializerName } from './initializers.js';
import { checkLossActivation, defaultLoss, evaluateLoss, isFused, resolveLoss, type LossName } from './losses.js';
import { BatchBuffer, type ForwardMode, type Layer, type LayerConfig, type Param, type StateArray } from './layer.js';
import { Dense, denseParamBytes } from './dense.js';
import { Dropout } from './dropout.js';
import { formatShape, type Shape3 } from './geometry.js';
import { IMAGE_LAYER_TYPES, planImageLayer, type ImageLayerPlan, type ImageLayerSpec } from './image-layers.js';

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
export type LayerSpec = DenseSpec | DropoutSpec | ImageLayerSpec;

/** Everything needed to build a {@link Network}. */
export interface NetworkOptions {
  /** Number of input features; for images h·w·c (or give {@link NetworkOptions.inputShape}). */
  inputs?: number;
  /**
   * Image inputs `[height, width, channels]`, each row one image flattened channels last (as
   * the image loaders give them); needed by conv2d and pooling layers.
   */
  inputShape?: readonly [number, number, number];
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
  /**
   * When a kernel call is split over the threads (GEMM FLOPs and elements per chunk); default
   * measured on 2 cores. See `createEngine`'s `splitThresholds`.
   */
  splitThresholds?: Partial<SplitThresholds>;
  /** Class names in output order, when the outputs are named classes. */
  classNames?: readonly string[];
  /**
   * The most bytes the network's heap (weights, gradients, optimizer state, batch buffers)
   * may grow to, up to 2 GiB. Default 2 GiB, or 1 GiB when the kernels run on several
   * threads (a shared heap reserves its maximum up front).
   */
  maxMemoryBytes?: number;
}

/** Options for {@link Sequential.mlp}. */
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
  /** When calls are split over the threads; see {@link NetworkOptions.splitThresholds}. */
  splitThresholds?: Partial<SplitThresholds>;
  /** Class names in output order; see {@link NetworkOptions.classNames}. */
  classNames?: readonly string[];
  /** Heap limit in bytes; see {@link NetworkOptions.maxMemoryBytes}. */
  maxMemoryBytes?: number;
}

/** The option that raises a network's heap limit, as error messages name it. */
const LIMIT_OPTION = 'maxMemoryBytes';

/** A layer resolved from its spec but not yet built: nothing allocated. */
type LayerPlan =
  | { type: 'dense'; where: string; inputs: number; units: number; activation: ReturnType<typeof resolveActivation>; initializer: InitializerName }
  | { type: 'dropout'; where: string; inputs: number; rate: number }
  | ImageLayerPlan;

/** What a network learns: classes, or real values. */
export type Task = 'classification' | 'regression';

/** Forward modes, indexed by whether dropout is on; shared so a step allocates nothing. */
const MODES = {
  hidden: [{ training: false, logits: false }, { training: true, logits: false }] as const,
  logits: [{ training: false, logits: true }, { training: true, logits: true }] as const,
  predict: { training: false, logits: false, inference: true } as const,
};

/** A sequential stack of layers whose parameters live in WASM memory: the model alone. */
export class Sequential {
  /** Number of input features. */
  readonly inputs: number;
  /** The image shape of each input row, when the network was given one. */
  readonly inputShape: Shape3 | undefined;
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
  private readonly grad: BatchBuffer;
  private capacity = 0;
  private names: readonly string[] | undefined;

  constructor(options: NetworkOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError(`Network: expected options { inputs, layers }, got ${describe(options)}`);
    this.inputShape = readInputShape(options);
    this.inputs = this.inputShape ? this.inputShape[0] * this.inputShape[1] * this.inputShape[2] : checkPositiveInt(options.inputs, 'Network: inputs');
    this.seed = options.seed ?? 1;
    if (!Number.isSafeInteger(this.seed)) throw new TypeError(`Network: seed must be an integer, got ${String(options.seed)}`);
    if (!Array.isArray(options.layers) || options.layers.length === 0) throw new RangeError('Network: layers must be a non-empty array');
    const maxMemoryBytes = options.maxMemoryBytes === undefined ? undefined : checkPositiveInt(options.maxMemoryBytes, `Network: ${LIMIT_OPTION}`);
    if (maxMemoryBytes !== undefined && maxMemoryBytes > MAX_HEAP_BYTES) {
      throw new RangeError(`Network: ${LIMIT_OPTION} must be at most ${formatBytes(MAX_HEAP_BYTES)} bytes (a heap's largest size), got ${formatBytes(maxMemoryBytes)}`);
    }
    // Every spec is checked and measured before the first byte of parameters is allocated.
    const plans = planLayers(options.layers, this.inputs, this.inputShape);
    this.engine = createEngine({
      backend: options.backend ?? 'wasm',
      ...(options.build ? { build: options.build } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(options.splitThresholds !== undefined ? { splitThresholds: options.splitThresholds } : {}),
      heap: { limitOption: LIMIT_OPTION, ...(maxMemoryBytes !== undefined ? { maximumBytes: maxMemoryBytes } : {}) },
    });
    try {
      this.checkParameterBytes(plans);
    } catch (err) {
      this.engine.close();
      throw err;
    }
    this.rng = new Rng(this.seed);
    const layers = plans.map((plan, i) => this.buildLayer(plan, i));
    const last = layers[layers.length - 1] as Dense;
    if (last.activation.name === 'softmax' && last.outputs === 1) {
      throw new TypeError(`layer ${layers.length - 1} (dense): a softmax over 1 unit always outputs 1; use 'sigmoid' for a single output, or 2 units`);
    }
    this.layers = layers;
    this.outputs = last.outputs;
    this.loss = options.loss === undefined ? defaultLoss(last.activation) : resolveLoss(options.loss, 'Network: loss');
    checkLossActivation(this.loss, last.activation);
    this.grad = new BatchBuffer(this.engine, this.outputs);
    if (options.classNames !== undefined) this.classNames = options.classNames;
  }

  /**
   * A multilayer perceptron from the seeds' `layer_dims`, e.g. `[2, 4, 1]` or `[784, 25, 10]`:
   * the first entry is the input width, the last the output width.
   */
  static mlp<T extends Sequential>(this: new (options: NetworkOptions) => T, layerDims: readonly number[], options: MlpOptions = {}): T {
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
    return new this({ ...rest, inputs: layerDims[0]!, layers });
  }

  /**
   * Refuse, before any parameter is allocated, a network whose weights and gradients cannot
   * fit the heap: naming the first layer too large on its own, else the total.
   */
  private checkParameterBytes(plans: readonly LayerPlan[]): void {
    const heap = this.engine.heap;
    const free = heap.maxBytes - heap.usedBytes;
    // A function: formatting the first number loads ICU data (~12 ms), which the happy path never needs.
    const holds = (): string => `the heap holds at most ${formatBytes(heap.maxBytes)} bytes${this.raiseHint()}`;
    let total = 0;
    for (const plan of plans) {
      const params = plan.type === 'dense'
        ? { bytes: denseParamBytes(plan.inputs, plan.units), what: `${plan.inputs}×${plan.units} weights`, valueBytes: plan.inputs * plan.units * 4 }
        : plan.type === 'dropout' ? undefined : plan.params;
      if (params === undefined) continue;
      if (params.bytes > free) {
        throw new RangeError(
          `${plan.where} (${plan.type}): ${params.what} need ${formatBytes(params.valueBytes)} bytes ` +
            `(${formatBytes(params.bytes)} with biases and gradients); ${holds()}`,
        );
      }
      total += params.bytes;
    }
    if (total > free) {
      throw new RangeError(
        `Network: the ${plans.length} layers' weights, biases and gradients need ${formatBytes(total)} bytes together; ` +
          `${holds()}, ${formatBytes(free)} of them free`,
      );
    }
  }

  /** How to get a bigger heap, when there is one to get. */
  private raiseHint(): string {
    return this.engine.heap.maxBytes < MAX_HEAP_BYTES ? ` (raise ${LIMIT_OPTION}, up to ${formatBytes(MAX_HEAP_BYTES)})` : '';
  }

  private buildLayer(plan: LayerPlan, index: number): Layer {
    if (plan.type === 'dense') {
      return new Dense(this.engine, `dense_${index}`, plan.inputs, plan.units, plan.activation, plan.initializer, this.rng);
    }
    if (plan.type === 'dropout') return new Dropout(this.engine, `dropout_${index}`, plan.inputs, plan.rate, this.rng);
    return plan.build(this.engine, `${plan.type}_${index}`, this.rng);
  }

  /**
   * Heap bytes of the model's per-batch buffers (activations, their gradients) for blocks of
   * `rows` rows, in a training step.
   */
  batchBytes(rows: number): number {
    return this.grad.bytesFor(rows) + this.layers.reduce((n, l) => n + l.batchBytes(rows), 0);
  }

  /**
   * Refuse blocks of `rows` rows, before anything is allocated or computed, when the batch
   * buffers (the model's and `extra`'s, e.g. the staged rows) cannot fit beside everything
   * else the heap holds. `what` begins the message ("fit: a batch"), `advice` ends it.
   */
  checkBatch(rows: number, extra: { need: number; held: number }, what: string, advice: string): void {
    const heap = this.engine.heap;
    const need = this.batchBytes(rows) + extra.need;
    const held = this.grad.heldBytes + this.layers.reduce((n, l) => n + l.heldBatchBytes, 0) + extra.held;
    const other = heap.usedBytes - held;
    if (Number.isSafeInteger(need) && other + need <= heap.maxBytes) return;
    throw new RangeError(
      `${what} of ${formatBytes(rows)} rows needs ${formatBytes(need)} bytes of activations; the parameters and other buffers ` +
        `take ${formatBytes(other)} bytes and the heap holds at most ${formatBytes(heap.maxBytes)} bytes${this.raiseHint()}; ${advice}`,
    );
  }

  /** Every trainable parameter, in layer order. */
  get params(): Param[] {
    return this.layers.flatMap((l) => l.params);
  }

  /** Saved non-trainable arrays (batch norm's running statistics), in layer order. */
  get state(): StateArray[] {
    return this.layers.flatMap((l) => l.state ?? []);
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

  /**
   * The names of the classes, in output order, once the network has been trained on (or
   * built with) named classes; later datasets with named classes are mapped through them.
   */
  get classNames(): readonly string[] | undefined {
    return this.names;
  }

  set classNames(names: readonly string[] | undefined) {
    if (checkClassNames(names, 'Network', 'its') !== undefined) {
      const room = this.outputs === 1 ? 2 : this.outputs;
      if (names!.length > room) {
        throw new RangeError(`Network: ${names!.length} classes (${names!.join(', ')}) do not fit ${this.outputs} output${this.outputs === 1 ? '' : 's'}`);
      }
    }
    this.names = names === undefined ? undefined : Object.freeze([...names]);
  }

  /** What the loss reads as targets (see {@link TargetKind}). */
  get targetKind(): TargetKind {
    if (this.loss === 'binaryCrossEntropy') return 'binary';
    return this.loss === 'categoricalCrossEntropy' ? 'categorical' : 'values';
  }

  /**
   * `'regression'` when the loss reads real-valued targets (mean squared error, Huber),
   * `'classification'` for the cross-entropies. It decides what `evaluate` and `fit` report.
   */
  get task(): Task {
    return this.targetKind === 'values' ? 'regression' : 'classification';
  }

  /** Make room for blocks of `rows` rows in every layer's buffers. */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    this.checkBatch(rows, { need: 0, held: 0 }, 'Network: a block', 'use fewer rows at a time');
    this.grad.reserve(rows);
    for (const l of this.layers) l.reserve(rows);
    this.capacity = rows;
  }

  /** Pointer to the output layer's activations after the last forward pass. */
  get output(): number {
    return (this.layers[this.layers.length - 1] as Dense).output;
  }

  /**
   * Forward pass (inference mode) over `rows` rows at heap pointer `x`, reserved with
   * {@link Sequential.reserve}; returns the pointer of the rows×outputs result. Dense layers
   * multiply by weights packed once for the GEMM (the same results as packing per call).
   */
  forward(x: number, rows: number): number {
    const mode: ForwardMode = MODES.predict;
    let p = x;
    for (const layer of this.layers) p = layer.forward(p, rows, mode);
    return p;
  }

  /**
   * Forward, loss and (with `gradients`) backward for `rows` rows at heap pointers `x`
   * (inputs) and `y` (targets, as {@link Sequential.targetKind} says). Returns the summed
   * per-sample loss; parameter gradients are the mean over the rows. `training` turns dropout on.
   */
  computeLoss(x: number, y: number, rows: number, gradients: boolean, training: boolean): number {
    const fused = isFused(this.loss);
    const last = this.layers.length - 1;
    let out = x;
    for (let i = 0; i <= last; i++) {
      // Only the output layer hands its logits to a fused loss.
      const mode = i < last ? MODES.hidden[+training]! : fused ? MODES.logits[+training]! : MODES.hidden[+training]!;
      out = this.layers[i]!.forward(out, rows, mode);
    }
    const grad = gradients ? this.grad.pointer : 0;
    const sum = evaluateLoss(this.engine.kernels, this.loss, out, y, fused ? this.output : 0, grad, rows, this.outputs, 1 / rows);
    if (gradients) {
      let g = grad;
      for (let i = this.layers.length - 1; i >= 0; i--) g = this.layers[i]!.backward(g, rows, i > 0);
    }
    return sum;
  }

  /** Copies of every parameter array, in {@link Sequential.params} order. */
  getWeights(): Float32Array[] {
    return this.params.map((p) => this.engine.heap.floats(p.value, p.size).slice());
  }

  /** Overwrite every parameter array (same order and sizes as {@link Sequential.getWeights}). */
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
    for (const l of this.layers) if (l instanceof Dense) l.weightsChanged();
  }

  /** A one-line-per-layer description: shapes, activations and parameter counts. */
  summary(): string {
    const input = this.inputShape ? formatShape(this.inputShape) : String(this.inputs);
    const lines = [`Network (${this.backend}, loss ${this.loss}, seed ${this.seed})`, `  input           ${input}`];
    for (const l of this.layers) {
      const detail = describeConfig(l.toConfig());
      const count = l.params.reduce((n, p) => n + p.size, 0);
      lines.push(`  ${l.name.padEnd(15)} ${detail.padEnd(20)} ${count} params`);
    }
    lines.push(`  total ${this.parameterCount} parameters`);
    return lines.join('\n');
  }
}

/** The image shape of `options.inputShape` checked (and against `inputs`, when both are given). */
function readInputShape(options: Pick<NetworkOptions, 'inputs' | 'inputShape'>): Shape3 | undefined {
  const shape = options.inputShape;
  if (shape === undefined) return undefined;
  if (!Array.isArray(shape) || shape.length !== 3) throw new TypeError(`Network: inputShape must be [height, width, channels], got ${describe(shape)}`);
  const [h, w, c] = shape.map((v, i) => checkPositiveInt(v, `Network: inputShape[${i}]`)) as [number, number, number];
  if (options.inputs !== undefined && options.inputs !== h * w * c) {
    throw new RangeError(`Network: inputs ${String(options.inputs)} does not match inputShape ${formatShape(shape)} (${h * w * c} features)`);
  }
  return [h, w, c];
}

/** One layer's settings as the summary prints them. */
function describeConfig(c: LayerConfig): string {
  switch (c.type) {
    case 'dense': return `${c.units} ${c.activation.name}`;
    case 'dropout': return `rate ${c.rate}`;
    case 'conv2d': return `${c.filters} × ${formatShape(c.kernelSize)} /${c.stride.join(',')} ${c.padding} ${c.activation.name}`;
    case 'maxPool2d':
    case 'avgPool2d': return `${formatShape(c.size)} /${c.stride.join(',')} ${c.padding}`;
    case 'batchNorm': return `momentum ${c.momentum}`;
    case 'activation': return c.activation.name;
    default: return '';
  }
}

/** Check one layer spec and resolve its names; allocates nothing. */
function planLayer(spec: LayerSpec, index: number, inputs: number, shape: Shape3 | undefined): LayerPlan {
  const where = `layer ${index}`;
  if (spec?.type === 'dense') {
    const units = checkPositiveInt(spec.units, `${where} (dense): units`);
    const activation = resolveActivation(spec.activation ?? 'linear', `${where} (dense)`);
    const initializer = spec.initializer ? resolveInitializer(spec.initializer, `${where} (dense)`) : defaultInitializer(activation.name);
    return { type: 'dense', where, inputs, units, activation, initializer };
  }
  if (spec?.type === 'dropout') {
    const rate = checkNumber(spec.rate, `${where} (dropout): rate`, 0, 0.999999);
    return { type: 'dropout', where, inputs, rate };
  }
  if (IMAGE_LAYER_TYPES.includes((spec as { type?: string })?.type as string)) return planImageLayer(spec as ImageLayerSpec, where, shape, inputs);
  const known = ['dense', 'dropout', ...IMAGE_LAYER_TYPES].map((t) => `'${t}'`).join(', ');
  throw new TypeError(`${where}: unknown layer type ${JSON.stringify((spec as { type?: unknown })?.type)}; expected one of ${known}`);
}

/** Plan every layer in order, each against the width and image shape the one before it gives. */
function planLayers(specs: readonly LayerSpec[], inputs: number, inputShape: Shape3 | undefined): LayerPlan[] {
  const plans: LayerPlan[] = [];
  let width = inputs;
  let shape = inputShape;
  specs.forEach((spec, i) => {
    const plan = planLayer(spec, i, width, shape);
    plans.push(plan);
    if (plan.type === 'dense') [width, shape] = [plan.units, undefined];
    else if (plan.type !== 'dropout') [width, shape] = [plan.outputs, plan.shape];
  });
  const last = plans[plans.length - 1]!;
  if (last.type !== 'dense') throw new TypeError(`Network: the last layer must be dense, got ${last.type}`);
  return plans;
}

/**
 * The sizes of the arrays a network of `options` would save — its parameters in layer order,
 * then its state arrays (batch norm's running statistics) — computed without allocating
 * anything; throws as the constructor would for an invalid description.
 */
export function plannedArraySizes(options: Pick<NetworkOptions, 'inputs' | 'inputShape' | 'layers'>): number[] {
  const inputShape = readInputShape(options);
  const inputs = inputShape ? inputShape[0] * inputShape[1] * inputShape[2] : checkPositiveInt(options.inputs, 'Network: inputs');
  if (!Array.isArray(options.layers) || options.layers.length === 0) throw new RangeError('Network: layers must be a non-empty array');
  const plans = planLayers(options.layers, inputs, inputShape);
  const params = plans.flatMap((p) => (p.type === 'dense' ? [p.inputs * p.units, p.units] : p.type === 'dropout' ? [] : p.arrays.params));
  const state = plans.flatMap((p) => (p.type === 'dense' || p.type === 'dropout' ? [] : p.arrays.state));
  return [...params, ...state];
}
