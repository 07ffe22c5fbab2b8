/**
 * A network as an ONNX model: one Gemm per dense layer and one Conv per convolution, each
 * followed by its activation in standard operators; pooling, batch normalization (its running
 * statistics), Flatten and Dropout (the identity at inference) as their ONNX operators; a
 * float input `input` of shape [batch, inputs] (or [batch, h, w, c] for an image network,
 * transposed to ONNX's channels first inside the graph) and an output `output` of shape
 * [batch, outputs], with a symbolic batch dimension.
 */
import type { Sequential } from '../../nn/network.js';
import type { ActivationSpec } from '../../nn/activations.js';
import { float32Bytes } from '../floats.js';
import { stackOf } from '../stack.js';
import { hwioToOihw, windowAttributes } from './window.js';
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

function floatTensor(name: string, dims: number[], values: ArrayLike<number>): TensorProto {
  return { name, dims, dataType: DataType.FLOAT, rawData: float32Bytes([values]) };
}

/** A float tensor of shape [batch, ...dims]. */
function valueInfo(name: string, dims: number[]): ValueInfoProto {
  return { name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, ...dims.map((d) => ({ dimValue: d }))] } } } };
}

const int = (name: string, i: number): AttributeProto => ({ name, type: AttributeType.INT, i });
const ints = (name: string, values: number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints: values });

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

/** The nodes of a layer's activation, from standard operators. */
function activation(g: GraphBuilder, act: ActivationSpec, name: string): void {
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
  // ONNX's image operators are channels-first: an image input is transposed once, and back
  // before the first layer that reads rows, so the features keep simdnet's h·w·c order.
  let image = stack.inputShape !== undefined;
  if (image) g.node('input/nchw', 'Transpose', [], [ints('perm', [0, 3, 1, 2])]);
  const toRows = (name: string) => {
    if (!image) return;
    g.node(`${name}/nhwc`, 'Transpose', [], [ints('perm', [0, 2, 3, 1])]);
    g.node(`${name}/flatten`, 'Flatten', [], [int('axis', 1)]);
    image = false;
  };
  stack.layers.forEach((layer, i) => {
    const name = net.layers[i]!.name;
    switch (layer.type) {
      case 'dropout':
        return g.node(name, 'Dropout', [g.constant(`${name}/ratio`, [], [layer.rate])]);
      case 'flatten':
        return toRows(name);
      case 'activation':
        return activation(g, layer.activation, name);
      case 'dense':
        toRows(name);
        g.node(`${name}/gemm`, 'Gemm', [
          g.constant(`${name}.W`, [layer.inputs, layer.units], layer.weights),
          g.constant(`${name}.b`, [layer.units], layer.bias),
        ]);
        return activation(g, layer.activation, name);
      case 'conv2d': {
        const k = layer.geometry;
        g.node(`${name}/conv`, 'Conv', [
          g.constant(`${name}.W`, [layer.filters, k.c, k.kh, k.kw], hwioToOihw(layer.weights, k.kh, k.kw, k.c, layer.filters)),
          g.constant(`${name}.b`, [layer.filters], layer.bias),
        ], windowAttributes(k));
        return activation(g, layer.activation, name);
      }
      case 'maxPool2d':
      case 'avgPool2d':
        // Padding is never a max candidate, and an average counts only the input's cells (count_include_pad 0).
        return g.node(`${name}/pool`, layer.type === 'maxPool2d' ? 'MaxPool' : 'AveragePool', [], windowAttributes(layer.geometry));
      case 'globalAvgPool':
        g.node(`${name}/pool`, 'GlobalAveragePool');
        g.node(`${name}/flatten`, 'Flatten', [], [int('axis', 1)]);
        image = false;
        return;
      case 'batchNorm':
        return g.node(`${name}/bn`, 'BatchNormalization', [
          g.constant(`${name}.gamma`, [layer.channels], layer.gamma), g.constant(`${name}.beta`, [layer.channels], layer.beta),
          g.constant(`${name}.runningMean`, [layer.channels], layer.mean), g.constant(`${name}.runningVariance`, [layer.channels], layer.variance),
          // ONNX's momentum is simdnet's: the weight of the old running value.
        ], [{ name: 'epsilon', type: AttributeType.FLOAT, f: layer.epsilon }, { name: 'momentum', type: AttributeType.FLOAT, f: layer.momentum }]);
    }
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
      input: [valueInfo(ONNX_INPUT, stack.inputShape ? [...stack.inputShape] : [net.inputs])],
      output: [valueInfo(ONNX_OUTPUT, [net.outputs])],
    },
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) })),
  };
  return encodeModelProto(model);
}
