/**
 * A network as an ONNX model: one Gemm per dense layer followed by its activation in
 * standard operators, Dropout (the identity at inference) where the network has dropout, a
 * float input `input` of shape [batch, inputs] and an output `output` of shape [batch,
 * outputs], with a symbolic batch dimension.
 */
import type { Sequential } from '../../nn/network.js';
import { stackOf, type StackDense } from '../stack.js';
import { AttributeType, DataType, encodeModelProto, type AttributeProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from './schema.js';

/** The operator set the exported graphs declare (Softmax over the last axis needs 13). */
export const ONNX_OPSET = 13;
/** The IR version that goes with {@link ONNX_OPSET}. */
export const ONNX_IR_VERSION = 7;
/** The graph's input and output names. */
export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'output';
/** metadata_props keys simdnet writes and reads back. */
export const ONNX_META = { loss: 'simdnet.loss', classes: 'classes' } as const;

/** Options for {@link exportOnnx}. */
export interface OnnxExportOptions {
  /**
   * More metadata_props: each value is written as it is when a string, else as JSON (e.g.
   * `{ inputScaling: { kind: 'pixels', … } }`). Class names and the loss are always written.
   */
  metadata?: Record<string, unknown>;
  /** The producer_version field, e.g. simdnet's version. */
  producerVersion?: string;
}

/** Little-endian float32 bytes, as TensorProto.raw_data holds them. */
function floatBytes(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return bytes;
}

function floatTensor(name: string, dims: number[], values: ArrayLike<number>): TensorProto {
  return { name, dims, dataType: DataType.FLOAT, rawData: floatBytes(values) };
}

function rowsOf(name: string, width: number): ValueInfoProto {
  return { name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: width }] } } } };
}

/** Nodes and initializers in the order they are added; each node reads the previous tensor. */
class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  /** The tensor the next node reads. */
  current = ONNX_INPUT;

  constant(name: string, dims: number[], values: ArrayLike<number>): string {
    this.initializers.push(floatTensor(name, dims, values));
    return name;
  }

  /** Append `op` reading the current tensor (then `extra` inputs); its output becomes current. */
  node(name: string, op: string, extra: string[] = [], attribute: AttributeProto[] = []): void {
    const output = `${name}:0`;
    this.nodes.push({ name, opType: op, input: [this.current, ...extra], output: [output], attribute });
    this.current = output;
  }
}

/** The nodes of a dense layer's activation, from standard operators. */
function activation(g: GraphBuilder, layer: StackDense, name: string): void {
  const act = layer.activation;
  switch (act.name) {
    case 'linear': return;
    case 'sigmoid': return g.node(`${name}/sigmoid`, 'Sigmoid');
    case 'tanh': return g.node(`${name}/tanh`, 'Tanh');
    case 'arctan': return g.node(`${name}/atan`, 'Atan');
    case 'relu': return g.node(`${name}/relu`, 'Relu');
    case 'softplus': return g.node(`${name}/softplus`, 'Softplus');
    case 'leakyRelu':
      return g.node(`${name}/leaky_relu`, 'LeakyRelu', [], [{ name: 'alpha', type: AttributeType.FLOAT, f: act.alpha ?? 0.01 }]);
    case 'softmax':
      return g.node(`${name}/softmax`, 'Softmax', [], [{ name: 'axis', type: AttributeType.INT, i: -1 }]);
    case 'bipolarSigmoid':
      // (1 − e^−z)/(1 + e^−z) = tanh(z/2), as simdnet computes it.
      g.node(`${name}/half`, 'Mul', [g.constant(`${name}/half.b`, [], [0.5])]);
      return g.node(`${name}/tanh`, 'Tanh');
    case 'binaryStep':
      // 1 where z > 0, else 0 (step(0) = 0, as in simdnet).
      g.node(`${name}/positive`, 'Greater', [g.constant(`${name}/positive.b`, [], [0])]);
      return g.node(`${name}/step`, 'Cast', [], [{ name: 'to', type: AttributeType.INT, i: DataType.FLOAT }]);
  }
}

/**
 * Encode `net` as an ONNX model (opset {@link ONNX_OPSET}). onnxruntime and other runtimes
 * compute what `net.predict` does: probabilities after a sigmoid or softmax output, values
 * after a linear one. Class names, the loss and `options.metadata` go into metadata_props.
 */
export function exportOnnx(net: Sequential, options: OnnxExportOptions = {}): Uint8Array {
  const stack = stackOf(net, 'exportOnnx');
  const g = new GraphBuilder();
  stack.layers.forEach((layer, i) => {
    const name = net.layers[i]!.name;
    if (layer.type === 'dropout') {
      g.node(name, 'Dropout', [g.constant(`${name}/ratio`, [], [layer.rate])]);
      return;
    }
    g.node(`${name}/gemm`, 'Gemm', [
      g.constant(`${name}.W`, [layer.inputs, layer.units], layer.weights),
      g.constant(`${name}.b`, [layer.units], layer.bias),
    ]);
    activation(g, layer, name);
  });
  // The last node writes the graph's output under its public name.
  g.nodes[g.nodes.length - 1]!.output = [ONNX_OUTPUT];
  const metadata: Record<string, unknown> = { [ONNX_META.loss]: net.loss, ...(net.classNames ? { [ONNX_META.classes]: net.classNames } : {}), ...options.metadata };
  const model: ModelProto = {
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'simdnet',
    ...(options.producerVersion !== undefined ? { producerVersion: options.producerVersion } : {}),
    graph: {
      name: 'simdnet',
      node: g.nodes,
      initializer: g.initializers,
      input: [rowsOf(ONNX_INPUT, net.inputs)],
      output: [rowsOf(ONNX_OUTPUT, net.outputs)],
    },
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) })),
  };
  return encodeModelProto(model);
}
