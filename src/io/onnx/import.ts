/**
 * An ONNX model as a simdnet network, when its graph is one that simdnet's layers compute:
 * a single chain from one float input [batch, features] to one output, of dense layers
 * (Gemm, or MatMul followed by the Add of a bias) each optionally followed by its activation,
 * and Dropout. Nodes may come in any order and carry any names. Anything else is refused
 * with the node's name and op type.
 */
import type { Network } from '../../network.js';
import type { ActivationSpec } from '../../nn/activations.js';
import { ModelFormatError } from '../format.js';
import { networkFromStack, type ImportOptions, type StackDense, type StackLayer } from '../stack.js';
import { ONNX_META } from './export.js';
import { DataType, decodeModelProto, type GraphProto, type NodeProto, type TensorProto } from './schema.js';

/** What refusals list as importable. */
const SUPPORTED =
  'Gemm, MatMul (+ Add of a bias), Sigmoid, Tanh, Atan, Relu, LeakyRelu, Softplus, Softmax, ' +
  'Mul by 0.5 then Tanh (bipolar sigmoid), Greater than 0 then Cast (binary step), Dropout, Identity';

/** Single-node activations and the simdnet activation each is. */
const ACTIVATIONS = new Map<string, ActivationSpec['name']>([
  ['Sigmoid', 'sigmoid'], ['Tanh', 'tanh'], ['Atan', 'arctan'], ['Relu', 'relu'],
  ['LeakyRelu', 'leakyRelu'], ['Softplus', 'softplus'], ['Softmax', 'softmax'],
]);

/** A constant tensor's shape and values as float32. */
interface Constant {
  dims: number[];
  values: Float32Array;
}

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
  /** A dense layer whose activation may still follow. */
  private pending: StackDense | undefined;
  /** Features arriving at the next layer, once known. */
  private width: number | undefined;
  /** The first dense layer's inputs: the network's. */
  private firstWidth: number | undefined;

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
  read(): { inputs: number; layers: StackLayer[] } {
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
    if (dims !== undefined && dims.length !== 2) {
      this.fail(`input "${input.name}" has rank ${dims.length}; simdnet imports rows of features, [batch, features]`);
    }
    this.width = dims?.[1]?.dimValue || undefined;
    const output = outputs[0]!.name;
    let current = input.name;
    while (current !== output) current = this.step(this.readerOf(current), output);
    this.finishDense();
    this.nodes.forEach((node, i) => {
      if (!this.visited.has(i)) this.fail(`${label(node, i)} is not on the chain from input "${input.name}" to output "${output}"; simdnet imports a single chain of layers`);
    });
    if (this.firstWidth === undefined) this.fail('the graph has no dense layer (Gemm or MatMul)');
    return { inputs: this.firstWidth!, layers: this.layers };
  }

  /** The one node that reads `tensor`. */
  private readerOf(tensor: string): number {
    const readers = this.readers.get(tensor) ?? [];
    if (readers.length === 0) this.fail(`tensor "${tensor}" is read by no node and is not the graph's output`);
    if (readers.length > 1) {
      this.fail(`tensor "${tensor}" is read by ${readers.length} nodes (${readers.map((i) => label(this.nodes[i]!, i)).join(', ')}); simdnet imports a single chain of layers`);
    }
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
    switch (op) {
      case 'Gemm':
        this.startDense(this.gemm(i));
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
        this.finishDense();
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

  /** Set the activation of the dense layer just read. */
  private activate(i: number, spec: ActivationSpec): void {
    if (this.pending === undefined) {
      this.fail(`${label(this.nodes[i]!, i)}: simdnet has ${spec.name} only as the activation of a dense layer, right after its Gemm or MatMul (+ Add)`);
    }
    this.pending.activation = spec;
    this.finishDense();
  }

  private startDense(dense: Omit<StackDense, 'type' | 'activation'>): void {
    this.finishDense();
    this.firstWidth ??= dense.inputs;
    this.pending = { type: 'dense', activation: { name: 'linear' }, ...dense };
    this.width = dense.units;
  }

  private finishDense(): void {
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
  private constant(name: string, what: string): Constant {
    const t = this.constants.get(name)!;
    if (t.dataLocation === 1) this.fail(`${what} is stored in an external file; simdnet reads weights stored in the model`);
    if (t.dataType !== DataType.FLOAT) this.fail(`${what} has data type ${t.dataType}; simdnet reads float32 (type ${DataType.FLOAT})`);
    const dims = t.dims ?? [];
    const count = dims.reduce((n, d) => n * d, 1);
    const raw = t.rawData;
    if (raw !== undefined && raw.length > 0) {
      if (raw.length !== count * 4) this.fail(`${what}: shape [${dims.join(', ')}] needs ${count * 4} bytes, raw_data has ${raw.length}`);
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      return { dims, values: Float32Array.from({ length: count }, (_, j) => view.getFloat32(j * 4, true)) };
    }
    const data = t.floatData ?? [];
    if (data.length !== count) this.fail(`${what}: shape [${dims.join(', ')}] needs ${count} values, float_data has ${data.length}`);
    return { dims, values: Float32Array.from(data) };
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
  const { inputs, layers } = new ChainReader(model.graph, opset, fail).read();
  const meta = new Map((model.metadataProps ?? []).map((p) => [p.key, p.value]));
  const classes = parseNames(meta.get(ONNX_META.classes));
  return networkFromStack(
    { inputs, layers, ...(meta.has(ONNX_META.loss) ? { loss: meta.get(ONNX_META.loss)! } : {}), ...(classes ? { classNames: classes } : {}) },
    options, source,
  );
}

/**
 * The shortest decimal with the float32 value `value`: a rate or slope written as float32
 * reads back as the 0.2 it was, not 0.20000000298.
 */
function shortestDecimal(value: number): number {
  for (let digits = 1; digits < 9; digits++) {
    const short = Number(value.toPrecision(digits));
    if (Math.fround(short) === value) return short;
  }
  return value;
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
