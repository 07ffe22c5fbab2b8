/**
 * An ONNX model as a simdnet network, when its graph is one that simdnet's layers compute:
 * a single chain from one float input to one output, of dense layers (Gemm, or MatMul
 * followed by the Add of a bias) and convolutions each optionally followed by its
 * activation, pooling, batch normalization, Flatten, Dropout, and activations elsewhere
 * (after batch normalization or pooling), which become activation layers. Nodes may come in any order
 * and carry any names. Anything else is refused with the node's name and op type.
 *
 * Images: an input [batch, h, w, c] read through Transpose to channels first (as simdnet
 * exports) keeps its layout; an input [batch, c, h, w] (as PyTorch exports) imports as a
 * network taking h×w×c images, channels last, with the first dense layer's weights reordered
 * to match — so feed it images channels last.
 */
import type { Network } from '../../network.js';
import type { ActivationSpec } from '../../nn/activations.js';
import { ModelFormatError } from '../format.js';
import { networkFromStack, type ImportOptions, type StackConv, type StackDense, type StackLayer } from '../stack.js';
import { ONNX_META } from './export.js';
import { windowGeometry, type Shape3 } from '../../nn/geometry.js';
import { DataType, decodeModelProto, type GraphProto, type NodeProto, type TensorProto } from './schema.js';
import { floatTensor, int64Tensor, shortestDecimal, type FloatTensor } from './tensors.js';
import { chwRowsToHwc, oihwToHwio, paddingOf } from './window.js';

/** What refusals list as importable. */
const SUPPORTED =
  'Gemm, MatMul (+ Add of a bias), Conv, MaxPool, AveragePool, GlobalAveragePool, BatchNormalization, Flatten (or Reshape to rows), ' +
  'Sigmoid, Tanh, Atan, Relu, LeakyRelu, Softplus, Softmax, Mul by 0.5 then Tanh (bipolar sigmoid), ' +
  'Greater than 0 then Cast (binary step), Dropout, Identity';

/**
 * The layout of the tensor between nodes: feature rows, an image channels first or last, or
 * GlobalAveragePool's [batch, c, 1, 1], which simdnet holds as rows of c.
 */
type Layout = 'rows' | 'nchw' | 'nhwc' | 'pooled';

/** Single-node activations and the simdnet activation each is. */
const ACTIVATIONS = new Map<string, ActivationSpec['name']>([
  ['Sigmoid', 'sigmoid'], ['Tanh', 'tanh'], ['Atan', 'arctan'], ['Relu', 'relu'],
  ['LeakyRelu', 'leakyRelu'], ['Softplus', 'softplus'], ['Softmax', 'softmax'],
]);

/** How error messages name a node. */
function label(node: NodeProto, index: number): string {
  return `node ${node.name ? JSON.stringify(node.name) : `#${index}`} (${node.opType ?? 'no op type'})`;
}

/** Reads one graph as a chain of layers, failing with the source's name. */
class ChainReader {
  private readonly nodes: NodeProto[];
  private readonly constants = new Map<string, TensorProto>();
  /** Tensor name → indices of the (non-Constant) nodes that read it. */
  private readonly readers = new Map<string, number[]>();
  private readonly visited = new Set<number>();
  private readonly layers: StackLayer[] = [];
  /** A dense or conv2d layer whose activation may still follow. */
  private pending: StackDense | StackConv | undefined;
  /** Features arriving at the next layer, once known. */
  private width: number | undefined;
  /** The first dense layer's inputs: the network's (for a rows input without a declared width). */
  private firstWidth: number | undefined;
  private layout: Layout = 'rows';
  /** Height, width and channels of the image arriving, in any image layout. */
  private shape: Shape3 | undefined;
  /** The network's image input, channels last. */
  private inputShape: Shape3 | undefined;
  /** Set by a Flatten of a channels-first image: the next dense layer's rows come in c·h·w order. */
  private chwRows: Shape3 | undefined;

  constructor(private readonly graph: GraphProto, private readonly opset: number, private readonly fail: (message: string) => never) {
    this.nodes = graph.node ?? [];
    for (const t of graph.initializer ?? []) this.constants.set(t.name ?? '', t);
    this.nodes.forEach((node, i) => {
      if ((node.domain ?? '') !== '' && node.domain !== 'ai.onnx') fail(`${label(node, i)} is from operator domain "${node.domain}"; simdnet imports standard ONNX operators: ${SUPPORTED}`);
      if (node.opType === 'Constant') {
        this.visited.add(i);
        const value = node.attribute?.find((a) => a.name === 'value')?.t;
        if (!value) fail(`${label(node, i)} has no tensor "value"; simdnet reads constants given as tensors`);
        this.constants.set(node.output?.[0] ?? '', value);
        return;
      }
      // A node that reads a tensor twice (MatMul(x, x)) is one reader of it.
      for (const name of new Set(node.input ?? [])) {
        if (name !== '') this.readers.set(name, [...(this.readers.get(name) ?? []), i]);
      }
    });
  }

  /** The layers from the graph's one input to its one output. */
  read(): { inputs: number; inputShape?: Shape3; layers: StackLayer[] } {
    const inputs = (this.graph.input ?? []).filter((v) => !this.constants.has(v.name));
    if (inputs.length !== 1) this.fail(`the graph has ${inputs.length} inputs (${inputs.map((v) => JSON.stringify(v.name)).join(', ')}); simdnet imports models with one`);
    const outputs = this.graph.output ?? [];
    if (outputs.length !== 1) this.fail(`the graph has ${outputs.length} outputs; simdnet imports models with one`);
    const input = inputs[0]!;
    const tensorType = input.type?.tensorType;
    if (tensorType?.elemType !== undefined && tensorType.elemType !== DataType.FLOAT) {
      this.fail(`input "${input.name}" has element type ${tensorType.elemType}; simdnet imports float32 inputs (type ${DataType.FLOAT})`);
    }
    const dims = tensorType?.shape?.dim;
    const output = outputs[0]!.name;
    let current = dims?.length === 4 ? this.imageInput(input.name, dims.map((d) => d.dimValue ?? 0)) : input.name;
    if (dims !== undefined && dims.length !== 2 && dims.length !== 4) {
      this.fail(`input "${input.name}" has rank ${dims.length}; simdnet imports rows [batch, features] or images [batch, h, w, c] or [batch, c, h, w]`);
    }
    if (dims?.length === 2) this.width = dims[1]?.dimValue || undefined;
    while (current !== output) {
      const i = this.readerOf(current);
      // simdnet's own checks (a window larger than its input, a bad slope) become format errors naming the node.
      try {
        current = this.step(i, output);
      } catch (err) {
        if (err instanceof ModelFormatError) throw err;
        this.fail(`${label(this.nodes[i]!, i)}: ${(err as Error).message}`);
      }
    }
    this.finishLayer();
    this.nodes.forEach((node, i) => {
      if (!this.visited.has(i)) this.fail(`${label(node, i)} is not on the chain from input "${input.name}" to output "${output}"; simdnet imports a single chain of layers`);
    });
    if (this.firstWidth === undefined) this.fail('the graph has no dense layer (Gemm or MatMul)');
    if (this.inputShape) return { inputs: this.inputShape[0] * this.inputShape[1] * this.inputShape[2], inputShape: this.inputShape, layers: this.layers };
    return { inputs: this.firstWidth!, layers: this.layers };
  }

  /**
   * Start from an image input of `dims`: [batch, h, w, c] when its one reader is a Transpose
   * to channels first (which is then read), else [batch, c, h, w]. Returns the tensor to go on from.
   */
  private imageInput(name: string, dims: number[]): string {
    if (dims.slice(1).some((d) => !(d > 0))) this.fail(`input "${name}" has shape [${dims.join(', ')}]; an image input needs its height, width and channels`);
    const readers = this.readers.get(name) ?? [];
    const first = readers.length === 1 ? this.nodes[readers[0]!]! : undefined;
    const toNchw = first?.opType === 'Transpose' && this.ints(first, 'perm')?.join() === '0,3,1,2';
    this.inputShape = toNchw ? [dims[1]!, dims[2]!, dims[3]!] : [dims[2]!, dims[3]!, dims[1]!];
    this.setImage('nchw', this.inputShape);
    if (!toNchw) return name;
    this.visited.add(readers[0]!);
    return first!.output?.[0] ?? '';
  }

  private setImage(layout: 'nchw' | 'nhwc', shape: Shape3): void {
    this.layout = layout;
    this.shape = shape;
    this.width = shape[0] * shape[1] * shape[2];
  }

  private setRows(width: number): void {
    this.layout = 'rows';
    this.shape = undefined;
    this.width = width;
  }

  /** An INTS attribute. */
  private ints(node: NodeProto, name: string): number[] | undefined {
    const a = this.attribute(node, name);
    return a === undefined ? undefined : a.ints ?? [];
  }

  /** Refuse node `i` unless the tensor arriving has one of `layouts`. */
  private need(i: number, layouts: readonly Layout[], what: string): void {
    if (!layouts.includes(this.layout)) this.fail(`${label(this.nodes[i]!, i)}: ${what}`);
  }

  /** A Conv with constant weights, no groups or dilation, and 'valid' or TF-style 'same' padding. */
  private conv(i: number): void {
    const node = this.nodes[i]!;
    this.need(i, ['nchw'], 'a convolution reads a channels-first image here');
    if ((this.attribute(node, 'group')?.i ?? 1) !== 1) this.fail(`${label(node, i)} is grouped; simdnet's convolutions are not`);
    if ((this.ints(node, 'dilations') ?? []).some((d) => d !== 1)) this.fail(`${label(node, i)} is dilated; simdnet's convolutions are not`);
    const name = node.input?.[1] ?? '';
    if (!this.constants.has(name)) this.fail(`${label(node, i)}: its weights "${name}" must be a constant (an initializer)`);
    const { dims, values } = this.constant(name, `${label(node, i)}: weights "${name}"`);
    const input = this.shape!;
    if (dims.length !== 4 || dims[1] !== input[2]) this.fail(`${label(node, i)}: weights "${name}" of shape [${dims.join(', ')}] do not take ${input[2]} channels`);
    const [filters, c, kh, kw] = dims as [number, number, number, number];
    const { padding, geometry } = this.window(i, input, [kh, kw], 'kernel');
    const bias = node.input?.[2] ? this.bias(i, node.input[2], filters, 1) : new Float32Array(filters);
    this.startLayer({ type: 'conv2d', geometry, filters, padding, activation: { name: 'linear' }, weights: oihwToHwio(values, kh, kw, c, filters), bias });
    this.setImage('nchw', [geometry.oh, geometry.ow, filters]);
  }

  /** Node `i`'s window over `input`: strides, pads or auto_pad, as simdnet geometry. */
  private window(i: number, input: Shape3, kernel: [number, number], what: string) {
    const node = this.nodes[i]!;
    const stride = (this.ints(node, 'strides') ?? [1, 1]) as [number, number];
    const autoPad = new TextDecoder().decode(this.attribute(node, 'auto_pad')?.s ?? new Uint8Array());
    const pads = this.ints(node, 'pads') ?? [0, 0, 0, 0];
    const padding = autoPad === 'SAME_UPPER' ? 'same' : autoPad === 'VALID' ? 'valid' : autoPad === '' || autoPad === 'NOTSET' ? paddingOf(input, kernel, stride, pads) : undefined;
    if (padding === undefined) {
      this.fail(`${label(node, i)}: padding ${autoPad && autoPad !== 'NOTSET' ? autoPad : `[${pads.join(', ')}]`} is neither none ('valid') nor TensorFlow's 'same'`);
    }
    return { padding: padding!, geometry: windowGeometry(input, kernel, stride, padding!, label(node, i), what) };
  }

  private pool(i: number, type: 'maxPool2d' | 'avgPool2d'): void {
    const node = this.nodes[i]!;
    this.need(i, ['nchw'], 'pooling reads a channels-first image here');
    this.finishLayer();
    if ((this.attribute(node, 'ceil_mode')?.i ?? 0) !== 0) this.fail(`${label(node, i)} rounds its output size up (ceil_mode); simdnet rounds down`);
    if ((this.ints(node, 'dilations') ?? []).some((d) => d !== 1)) this.fail(`${label(node, i)} is dilated; simdnet's pooling is not`);
    if ((node.output ?? []).filter((o) => o !== '').length > 1) this.fail(`${label(node, i)} also outputs indices; simdnet's pooling does not`);
    const kernel = this.ints(node, 'kernel_shape') as [number, number] | undefined;
    if (kernel?.length !== 2) this.fail(`${label(node, i)} needs a 2-D kernel_shape`);
    const { padding, geometry } = this.window(i, this.shape!, kernel!, 'window');
    if (type === 'avgPool2d' && padding === 'same' && (this.attribute(node, 'count_include_pad')?.i ?? 0) !== 0) {
      this.fail(`${label(node, i)} counts padding in its averages; simdnet's averages count only the input`);
    }
    this.layers.push({ type, geometry, padding });
    this.setImage('nchw', [geometry.oh, geometry.ow, geometry.c]);
  }

  private batchNorm(i: number): void {
    const node = this.nodes[i]!;
    this.need(i, ['nchw', 'rows', 'pooled'], 'batch normalization reads channels first or rows here');
    if (this.chwRows) this.fail(`${label(node, i)} normalizes rows flattened channels first; simdnet imports a dense layer right after such a Flatten`);
    if ((this.attribute(node, 'training_mode')?.i ?? 0) !== 0) this.fail(`${label(node, i)} is in training mode; simdnet imports inference graphs`);
    if ((node.output ?? []).filter((o) => o !== '').length > 1) this.fail(`${label(node, i)} also outputs running statistics; simdnet imports inference graphs`);
    this.finishLayer();
    const channels = this.layout === 'nchw' ? this.shape![2] : this.width!;
    const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((at) => {
      const name = node.input?.[at] ?? '';
      if (!this.constants.has(name)) this.fail(`${label(node, i)}: input ${at} "${name}" must be a constant`);
      const { values } = this.constant(name, `${label(node, i)}: input "${name}"`);
      if (values.length !== channels) this.fail(`${label(node, i)}: input "${name}" has ${values.length} values for ${channels} channels`);
      return values;
    }) as [Float32Array, Float32Array, Float32Array, Float32Array];
    const epsilon = shortestDecimal(this.attribute(node, 'epsilon')?.f ?? 1e-5);
    const momentum = shortestDecimal(this.attribute(node, 'momentum')?.f ?? 0.9);
    this.layers.push({ type: 'batchNorm', channels, momentum, epsilon, gamma, beta, mean, variance });
  }

  private flatten(i: number): void {
    const node = this.nodes[i]!;
    if ((this.attribute(node, 'axis')?.i ?? 1) !== 1) this.fail(`${label(node, i)} flattens from axis ${this.attribute(node, 'axis')?.i}; simdnet keeps the batch axis (1)`);
    this.toRows();
  }

  /**
   * A Reshape to [batch, features] (shape [-1, n] or [0, -1], as PyTorch's `view` exports
   * it) is a Flatten; other shapes are refused.
   */
  private reshape(i: number): void {
    const node = this.nodes[i]!;
    const name = node.input?.[1] ?? '';
    if (!this.constants.has(name)) this.fail(`${label(node, i)}: its shape "${name}" must be a constant`);
    const shape = int64Tensor(this.constants.get(name)!, `${label(node, i)}: shape "${name}"`, this.fail);
    const [batch, features] = shape;
    const flat = shape.length === 2 && (batch === 0 || batch === -1) && (features === this.width || (features === -1 && batch === 0));
    if (!flat) this.fail(`${label(node, i)} reshapes to [${shape.join(', ')}]; simdnet imports a Reshape only to [batch, ${this.width}] (a Flatten)`);
    this.toRows();
  }

  /** What Flatten does: image rows as features, reordered for channels first. */
  private toRows(): void {
    this.finishLayer();
    if (this.layout === 'rows') return;
    if (this.layout === 'pooled') return this.setRows(this.width!);
    // Channels first, the rows come c·h·w; the next dense layer's weights are reordered for simdnet's h·w·c.
    if (this.layout === 'nchw' && this.shape![0] * this.shape![1] > 1) this.chwRows = this.shape;
    this.layers.push({ type: 'flatten' });
    this.setRows(this.width!);
  }

  private transpose(i: number): void {
    const node = this.nodes[i]!;
    if (this.ints(node, 'perm')?.join() !== '0,2,3,1' || (this.layout !== 'nchw' && this.layout !== 'pooled')) {
      this.fail(`${label(node, i)}: simdnet imports a Transpose only from channels first to channels last (perm [0, 2, 3, 1]) before a Flatten`);
    }
    if (this.layout === 'nchw') this.setImage('nhwc', this.shape!);
  }

  /** The one node that reads `tensor`. */
  private readerOf(tensor: string): number {
    const readers = this.readers.get(tensor) ?? [];
    if (readers.length === 0) this.fail(`tensor "${tensor}" is read by no node and is not the graph's output`);
    if (readers.length > 1) {
      this.fail(`tensor "${tensor}" is read by ${readers.length} nodes (${readers.map((i) => label(this.nodes[i]!, i)).join(', ')}); simdnet imports a single chain of layers`);
    }
    // A node met again means the chain runs in a circle (a malformed graph), which would never end.
    if (this.visited.has(readers[0]!)) this.fail(`${label(this.nodes[readers[0]!]!, readers[0]!)} is met twice: the graph has a cycle`);
    this.visited.add(readers[0]!);
    return readers[0]!;
  }

  /** Read node `i` (and the nodes of its pattern); returns the tensor the chain continues from. */
  private step(i: number, graphOutput: string): string {
    const node = this.nodes[i]!;
    const op = node.opType ?? '';
    const out = node.output?.[0] ?? '';
    const activation = ACTIVATIONS.get(op);
    if (activation !== undefined) {
      const alpha = activation === 'leakyRelu' ? shortestDecimal(this.attribute(node, 'alpha')?.f ?? 0.01) : undefined;
      this.activate(i, alpha === undefined ? { name: activation } : { name: activation, alpha });
      if (activation === 'softmax') this.checkSoftmaxAxis(i);
      return out;
    }
    if (op === 'Gemm' || op === 'MatMul') this.need(i, ['rows'], 'a dense layer reads rows; simdnet imports a Flatten before it');
    switch (op) {
      case 'Gemm':
        this.startDense(this.gemm(i));
        return out;
      case 'Conv':
        this.conv(i);
        return out;
      case 'MaxPool':
      case 'AveragePool':
        this.pool(i, op === 'MaxPool' ? 'maxPool2d' : 'avgPool2d');
        return out;
      case 'GlobalAveragePool':
        this.need(i, ['nchw'], 'pooling reads a channels-first image here');
        this.finishLayer();
        this.layers.push({ type: 'globalAvgPool', geometry: windowGeometry(this.shape!, [this.shape![0], this.shape![1]], [1, 1], 'valid', label(node, i), 'window'), padding: 'valid' });
        this.layout = 'pooled';
        this.width = this.shape![2];
        return out;
      case 'BatchNormalization':
        this.batchNorm(i);
        return out;
      case 'Flatten':
        this.flatten(i);
        return out;
      case 'Reshape':
        this.reshape(i);
        return out;
      case 'Transpose':
        this.transpose(i);
        return out;
      case 'MatMul': {
        const weights = this.weightMatrix(i, 1, false);
        // The bias is the Add that alone reads the product, with a constant on its other side.
        const readers = out === graphOutput ? [] : this.readers.get(out) ?? [];
        const add = readers.length === 1 && this.nodes[readers[0]!]!.opType === 'Add' ? readers[0]! : undefined;
        if (add === undefined) {
          this.startDense({ ...weights, bias: new Float32Array(weights.units) });
          return out;
        }
        this.visited.add(add);
        const addNode = this.nodes[add]!;
        const other = addNode.input?.find((name) => name !== out) ?? '';
        this.startDense({ ...weights, bias: this.bias(add, other, weights.units, 1) });
        return addNode.output?.[0] ?? '';
      }
      case 'Mul': {
        const tanh = this.follower(i, 'Tanh', `bipolar sigmoid is Mul by 0.5 then Tanh`);
        if (this.scalarOperand(i, true) !== 0.5) this.fail(`${label(node, i)}: bipolar sigmoid is Mul by 0.5 then Tanh; other products are not a simdnet activation`);
        this.activate(i, { name: 'bipolarSigmoid' });
        return this.nodes[tanh]!.output?.[0] ?? '';
      }
      case 'Greater': {
        const cast = this.follower(i, 'Cast', 'binary step is Greater than 0 then Cast to float');
        if (this.scalarOperand(i, false) !== 0 || this.attribute(this.nodes[cast]!, 'to')?.i !== DataType.FLOAT) {
          this.fail(`${label(node, i)}: binary step is Greater than 0 then Cast to float (${DataType.FLOAT})`);
        }
        this.activate(i, { name: 'binaryStep' });
        return this.nodes[cast]!.output?.[0] ?? '';
      }
      case 'Dropout':
        this.finishLayer();
        this.layers.push({ type: 'dropout', rate: this.dropoutRate(i) });
        return out;
      case 'Identity':
        return out;
      default:
        return this.fail(`${label(node, i)} is not supported; simdnet imports ${SUPPORTED}`);
    }
  }

  private attribute(node: NodeProto, name: string) {
    return node.attribute?.find((a) => a.name === name);
  }

  /** The node that alone reads node `i`'s output, which must be a `op`. */
  private follower(i: number, op: string, pattern: string): number {
    const out = this.nodes[i]!.output?.[0] ?? '';
    const readers = this.readers.get(out) ?? [];
    const next = readers.length === 1 ? readers[0]! : -1;
    if (next < 0 || this.nodes[next]!.opType !== op) this.fail(`${label(this.nodes[i]!, i)}: ${pattern}`);
    this.visited.add(next);
    return next;
  }

  /**
   * The one-value constant operand of binary node `i`: its second input, or either input
   * when the operation commutes.
   */
  private scalarOperand(i: number, commutes: boolean): number | undefined {
    const inputs = this.nodes[i]!.input ?? [];
    const name = (commutes ? inputs : inputs.slice(1)).find((n) => this.constants.has(n));
    if (name === undefined) return undefined;
    const c = this.constant(name, `${label(this.nodes[i]!, i)}: input "${name}"`);
    return c.values.length === 1 ? c.values[0] : undefined;
  }

  private checkSoftmaxAxis(i: number): void {
    const node = this.nodes[i]!;
    const axis = this.attribute(node, 'axis')?.i ?? (this.opset >= 13 ? -1 : 1);
    if (axis !== -1 && axis !== 1) this.fail(`${label(node, i)}: softmax over axis ${axis}; simdnet's softmax is over each row's features (axis 1 or -1)`);
  }

  /**
   * Set the activation of the dense or conv layer just read; elsewhere (after batch norm,
   * pooling) it becomes an activation layer of its own.
   */
  private activate(i: number, spec: ActivationSpec): void {
    if (this.pending !== undefined) {
      this.pending.activation = spec;
      this.finishLayer();
      return;
    }
    if (spec.name === 'softmax') this.fail(`${label(this.nodes[i]!, i)}: simdnet has softmax only as the activation of the last dense layer, right after its Gemm or MatMul (+ Add)`);
    this.layers.push({ type: 'activation', activation: spec });
  }

  private startDense(dense: Omit<StackDense, 'type' | 'activation'>): void {
    const rows = this.chwRows;
    this.chwRows = undefined;
    this.firstWidth ??= dense.inputs;
    this.startLayer({ type: 'dense', activation: { name: 'linear' }, ...dense, ...(rows ? { weights: chwRowsToHwc(dense.weights, rows, dense.units) } : {}) });
    this.setRows(dense.units);
  }

  /** A layer whose activation may follow as the next node. */
  private startLayer(layer: StackDense | StackConv): void {
    this.finishLayer();
    this.pending = layer;
  }

  /** Push the dense or conv2d layer read last, with whatever activation it has by now. */
  private finishLayer(): void {
    if (this.pending) this.layers.push(this.pending);
    this.pending = undefined;
  }

  /** A Gemm `alpha·A·op(B) + beta·C` with constant B and C, as a dense layer's weights. */
  private gemm(i: number): Omit<StackDense, 'type' | 'activation'> {
    const node = this.nodes[i]!;
    if ((this.attribute(node, 'transA')?.i ?? 0) !== 0) this.fail(`${label(node, i)}: transA = 1 (inputs as columns) is not supported`);
    const alpha = this.attribute(node, 'alpha')?.f ?? 1;
    const beta = this.attribute(node, 'beta')?.f ?? 1;
    const w = this.weightMatrix(i, 1, (this.attribute(node, 'transB')?.i ?? 0) !== 0);
    const c = node.input?.[2] ?? '';
    const bias = c === '' ? new Float32Array(w.units) : this.bias(i, c, w.units, beta);
    if (alpha !== 1) w.weights.forEach((v, j) => (w.weights[j] = alpha * v));
    return { ...w, bias };
  }

  /** Input `at` of node `i` as an inputs×units weight matrix (stored units×inputs when `transposed`). */
  private weightMatrix(i: number, at: number, transposed: boolean): { inputs: number; units: number; weights: Float32Array } {
    const node = this.nodes[i]!;
    const name = node.input?.[at] ?? '';
    if (!this.constants.has(name)) this.fail(`${label(node, i)}: its weights "${name}" must be a constant (an initializer); simdnet imports fixed layers`);
    const { dims, values } = this.constant(name, `${label(node, i)}: weights "${name}"`);
    if (dims.length !== 2) this.fail(`${label(node, i)}: weights "${name}" have shape [${dims.join(', ')}]; a dense layer's are a matrix`);
    const [rows, cols] = dims as [number, number];
    const inputs = transposed ? cols : rows;
    const units = transposed ? rows : cols;
    if (this.width !== undefined && inputs !== this.width) {
      this.fail(`${label(node, i)}: weights "${name}" of shape [${dims.join(', ')}] take ${inputs} inputs, but ${this.width} arrive`);
    }
    if (!transposed) return { inputs, units, weights: values };
    const weights = new Float32Array(values.length);
    for (let r = 0; r < units; r++) for (let k = 0; k < inputs; k++) weights[k * units + r] = values[r * inputs + k]!;
    return { inputs, units, weights };
  }

  /** Constant `name` as `units` biases (one value is broadcast), times `scale`. */
  private bias(i: number, name: string, units: number, scale: number): Float32Array {
    const node = this.nodes[i]!;
    if (!this.constants.has(name)) this.fail(`${label(node, i)}: its bias "${name}" must be a constant (an initializer)`);
    const { dims, values } = this.constant(name, `${label(node, i)}: bias "${name}"`);
    const rowVector = dims.length <= 2 && dims.slice(0, -1).every((d) => d === 1) && (values.length === units || values.length === 1);
    if (!rowVector) this.fail(`${label(node, i)}: bias "${name}" has shape [${dims.join(', ')}]; a dense layer of ${units} units adds [${units}] or [1, ${units}]`);
    return Float32Array.from({ length: units }, (_, j) => scale * values[values.length === 1 ? 0 : j]!);
  }

  private dropoutRate(i: number): number {
    const node = this.nodes[i]!;
    // The ratio is an attribute before opset 12 and an optional input since.
    if (this.opset < 12) return shortestDecimal(this.attribute(node, 'ratio')?.f ?? 0.5);
    const name = node.input?.[1] ?? '';
    if (name === '') return 0.5;
    if (!this.constants.has(name)) this.fail(`${label(node, i)}: its ratio "${name}" must be a constant`);
    const { values } = this.constant(name, `${label(node, i)}: ratio "${name}"`);
    return shortestDecimal(values[0]!);
  }

  /** A constant tensor's values as float32; `what` names it in errors. */
  private constant(name: string, what: string): FloatTensor {
    return floatTensor(this.constants.get(name)!, what, this.fail);
  }
}

/**
 * Load ONNX model bytes as a trainable network. The graph must be a chain simdnet's layers
 * compute (see the module comment); a node outside it is refused with a
 * {@link ModelFormatError} naming the node and its op type. The loss and class names
 * simdnet's exporter writes in metadata_props are restored; without them the loss is the
 * default for the output activation.
 */
export function importOnnx(bytes: Uint8Array, options: ImportOptions = {}): Network {
  const source = options.source ?? 'ONNX model';
  const fail = (message: string): never => {
    throw new ModelFormatError(source, message);
  };
  let model;
  try {
    model = decodeModelProto(bytes);
  } catch (err) {
    return fail(`not an ONNX model: ${(err as Error).message}`);
  }
  if (!model.graph) return fail('not an ONNX model: it has no graph');
  const opset = model.opsetImport?.find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx')?.version;
  if (opset === undefined) return fail('declares no opset of the standard ONNX domain');
  // Opset 9 settled the operators read here (Gemm's and BatchNormalization's broadcasting among them).
  if (opset < 9) return fail(`declares opset ${opset}; simdnet reads opset 9 and later`);
  const chain = new ChainReader(model.graph, opset, fail).read();
  const meta = new Map((model.metadataProps ?? []).map((p) => [p.key, p.value]));
  const classes = parseNames(meta.get(ONNX_META.classes));
  return networkFromStack(
    { ...chain, ...(meta.has(ONNX_META.loss) ? { loss: meta.get(ONNX_META.loss)! } : {}), ...(classes ? { classNames: classes } : {}) },
    options, source,
  );
}

/** A JSON array of strings, else undefined (other producers may use the key otherwise). */
function parseNames(text: string | undefined): string[] | undefined {
  try {
    const value: unknown = text === undefined ? undefined : JSON.parse(text);
    return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}
