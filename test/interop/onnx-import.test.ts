/**
 * importOnnx: simdnet → ONNX → simdnet keeps every weight bit for bit (every activation ×
 * output/loss pair, depth 1–3); a model written independently of the exporter — with
 * onnxruntime's own generated protobuf code, MatMul+Add and Gemm with transposed weights,
 * constants as nodes, shuffled node order, other names, an older opset — imports and predicts
 * what onnxruntime-node computes from the same bytes, and trains further; every graph simdnet
 * cannot represent is refused naming the node and its op.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES } from '../../src/nn/activations.js';
import { exportOnnx } from '../../src/io/onnx/export.js';
import { loadOnnx } from '../../src/io/onnx/file.js';
import { importOnnx } from '../../src/io/onnx/import.js';
import { ModelFormatError } from '../../src/io/format.js';
import { Rng } from '../../src/util/rng.js';
import { build, buildCnn, CNNS, OUTPUTS } from './nets.js';
import { expectClose, onnxProto, randomRows, runOrt } from './runtimes.js';

describe('simdnet → ONNX → simdnet', () => {
  it('keeps the layers, loss, classes and every weight bit for bit, for every activation × output/loss pair, depth 1–3', () => {
    OUTPUTS.forEach((output, o) => {
      ACTIVATION_NAMES.forEach((hidden, h) => {
        const net = build(1 + ((h + o) % 3), hidden, output, 10 * o + h);
        if (output.loss === 'categoricalCrossEntropy') net.classNames = ['w', 'x', 'y', 'z'];
        const back = importOnnx(exportOnnx(net), { threads: 1 });
        const what = `${hidden} under ${output.activation}/${output.loss}`;
        expect(back.layerConfigs(), what).toEqual(net.layerConfigs());
        expect([back.loss, back.classNames], what).toEqual([net.loss, net.classNames]);
        const [a, b] = [net.getWeights(), back.getWeights()];
        a.forEach((w, i) => expect(new Uint32Array(b[i]!.buffer), `${what}, ${net.params[i]!.name}`).toEqual(new Uint32Array(w.buffer)));
      });
    });
  });

  it.each(CNNS.map((c, i) => [c.name, i] as const))('image network: %s — every weight and statistic bit for bit, the same predictions', async (_, i) => {
    const net = await buildCnn(i);
    const back = importOnnx(exportOnnx(net), { threads: 1 });
    const arrays = (n: typeof net) => [...n.getWeights(), ...n.state.map((s) => n.engine.heap.floats(s.value, s.size).slice())];
    const [a, b] = [arrays(net), arrays(back)];
    expect(b.length).toBe(a.length);
    a.forEach((w, j) => expect(new Uint32Array(b[j]!.buffer)).toEqual(new Uint32Array(w.buffer)));
    // A dense layer after an image layer comes back behind the Flatten the ONNX graph spells out.
    expect(back.layerConfigs().filter((c) => c.type !== 'flatten')).toEqual(net.layerConfigs().filter((c) => c.type !== 'flatten'));
    expect(back.inputShape).toEqual(net.inputShape);
    const x = randomRows(9, net.inputs, i);
    expect(back.predict({ data: x, rows: 9, cols: net.inputs })).toEqual(net.predict({ data: x, rows: 9, cols: net.inputs }));
  });

  it('loadOnnx reads a file; a missing one is named', async () => {
    const net = build(2, 'tanh', OUTPUTS[1]!, 4);
    const path = join(mkdtempSync(join(tmpdir(), 'simdnet-onnx-import-')), 'm.onnx');
    writeFileSync(path, exportOnnx(net));
    expect((await loadOnnx(path, { threads: 1 })).getWeights()).toEqual(net.getWeights());
    await expect(loadOnnx(`${path}.none`)).rejects.toThrow(`cannot read ONNX model ${path}.none: file not found`);
  });
});

type Tensor = { name: string; dims: number[]; dataType: number; floatData?: number[]; rawData?: Uint8Array };
type Node = { name?: string; opType: string; input: string[]; output: string[]; attribute?: object[] };

/** Seeded float values. */
function values(n: number, seed: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Math.fround(rng.uniform(-1, 1)));
}

function floatTensor(name: string, dims: number[], data: number[], raw = false): Tensor {
  return raw ? { name, dims, dataType: 1, rawData: new Uint8Array(Float32Array.from(data).buffer) } : { name, dims, dataType: 1, floatData: data };
}

/** An ONNX model encoded by onnxruntime's generated protobuf code: one float input `x` [N, ...inputs], one output. */
function writeModel(graph: { nodes: Node[]; initializers?: Tensor[]; inputs: number | number[]; output: string; outputs: number }, opset = 13): Uint8Array {
  const info = (name: string, dims: number[]) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, ...dims.map((d) => ({ dimValue: d }))] } } } });
  const model = onnxProto.ModelProto.fromObject({
    irVersion: 6, producerName: 'hand', opsetImport: [{ domain: '', version: opset }],
    graph: { name: 'hand', node: graph.nodes, initializer: graph.initializers ?? [], input: [info('x', [graph.inputs].flat())], output: [info(graph.output, [graph.outputs])] },
  });
  return onnxProto.ModelProto.encode(model).finish();
}

const f = (name: string, value: number) => ({ name, type: 1, f: value });
const i = (name: string, value: number) => ({ name, type: 2, i: value });
const ints = (name: string, list: number[]) => ({ name, type: 7, ints: list });

describe('a model written independently of the exporter', () => {
  // 4 → 6 (MatMul + Add, bias [1, 6], ReLU) → 5 (Gemm, transB, alpha, beta, bias from a Constant node, LeakyRelu at
  // its default slope) → Identity → 3 (MatMul + Add with the bias first, Softmax); nodes in reverse order.
  const w1 = values(24, 1), b1 = values(6, 2), w2t = values(30, 3), b2 = values(5, 4), w3 = values(15, 5), b3 = values(3, 6);
  const nodes: Node[] = [
    { name: 'mm1', opType: 'MatMul', input: ['x', 'W1'], output: ['h1'] },
    { name: 'bias1', opType: 'Add', input: ['h1', 'B1'], output: ['z1'] },
    { name: 'act1', opType: 'Relu', input: ['z1'], output: ['a1'] },
    { name: 'c2', opType: 'Constant', input: [], output: ['B2'], attribute: [{ name: 'value', type: 4, t: floatTensor('', [5], b2) }] },
    { name: 'fc2', opType: 'Gemm', input: ['a1', 'W2t', 'B2'], output: ['z2'], attribute: [i('transB', 1), f('alpha', 0.5), f('beta', 2)] },
    { name: 'act2', opType: 'LeakyRelu', input: ['z2'], output: ['a2'] },
    { name: 'same', opType: 'Identity', input: ['a2'], output: ['a2b'] },
    { name: 'mm3', opType: 'MatMul', input: ['a2b', 'W3'], output: ['h3'] },
    { name: 'bias3', opType: 'Add', input: ['B3', 'h3'], output: ['z3'] },
    { name: 'probs', opType: 'Softmax', input: ['z3'], output: ['y'], attribute: [i('axis', 1)] },
  ].reverse();
  const initializers = [floatTensor('W1', [4, 6], w1, true), floatTensor('B1', [1, 6], b1), floatTensor('W2t', [5, 6], w2t, true), floatTensor('W3', [5, 3], w3), floatTensor('B3', [3], b3, true)];
  const bytes = writeModel({ nodes, initializers, inputs: 4, output: 'y', outputs: 3 });

  it('imports as 4-6-5-3 relu/leakyRelu/softmax and predicts what onnxruntime computes', async () => {
    const net = importOnnx(bytes, { threads: 1 });
    expect(net.layerConfigs().map((c) => (c.type === 'dense' ? [c.units, c.activation] : c))).toEqual([
      [6, { name: 'relu' }], [5, { name: 'leakyRelu', alpha: 0.01 }], [3, { name: 'softmax' }],
    ]);
    expect(net.loss).toBe('categoricalCrossEntropy');
    const x = randomRows(50, 4, 9);
    expectClose(net.predict({ data: x, rows: 50, cols: 4 }), await runOrt(bytes, x, 50, { input: 'x' }), 1e-5, 'predictions');
  });

  it('trains further: the loss on its own labels falls', async () => {
    const net = importOnnx(bytes, { threads: 1 });
    const x = randomRows(200, 4, 10);
    const y = Int32Array.from({ length: 200 }, (_, r) => (x[r * 4]! > 0 ? 0 : x[r * 4 + 1]! > 0 ? 1 : 2));
    const before = net.evaluate(x, Array.from(y)).loss;
    await net.fit({ data: x, rows: 200, cols: 4 }, Array.from(y), { epochs: 30, batchSize: 20, optimizer: 'adam', learningRate: 0.01 });
    expect(net.evaluate(x, Array.from(y)).loss).toBeLessThan(before * 0.7);
  });

  it('reads opset 11: Dropout with its ratio attribute, Softmax at its default axis, sigmoid/tanh/atan/softplus', async () => {
    const acts = ['Sigmoid', 'Tanh', 'Atan', 'Softplus'];
    const chain: Node[] = [];
    const inits: Tensor[] = [];
    let t = 'x';
    acts.forEach((op, k) => {
      inits.push(floatTensor(`w${k}`, [3, 3], values(9, 20 + k)), floatTensor(`b${k}`, [3], values(3, 30 + k)));
      chain.push({ opType: 'Gemm', input: [t, `w${k}`, `b${k}`], output: [`z${k}`] }, { opType: op, input: [`z${k}`], output: [`a${k}`] });
      t = `a${k}`;
    });
    chain.push({ opType: 'Dropout', input: [t], output: ['d'], attribute: [f('ratio', 0.4)] });
    inits.push(floatTensor('wo', [3, 2], values(6, 40)));
    chain.push({ opType: 'Gemm', input: ['d', 'wo'], output: ['zo'] }, { opType: 'Softmax', input: ['zo'], output: ['p'] });
    const model = writeModel({ nodes: chain, initializers: inits, inputs: 3, output: 'p', outputs: 2 }, 11);
    const net = importOnnx(model, { threads: 1 });
    expect(net.layerConfigs().map((c) => (c.type === 'dense' ? c.activation.name : c.type === 'dropout' ? `dropout ${c.rate}` : c.type))).toEqual(['sigmoid', 'tanh', 'arctan', 'softplus', 'dropout 0.4', 'softmax']);
    const x = randomRows(20, 3, 11);
    expectClose(net.predict({ data: x, rows: 20, cols: 3 }), await runOrt(model, x, 20, { input: 'x' }), 1e-5, 'opset 11');
  });
});

describe('an image model written channels first, as PyTorch exports them', () => {
  // x [N, 2, 6, 5] → Conv 3×3 'same' (pads 1) → Relu → BatchNormalization → MaxPool 2×2 (stride 2) → AveragePool 2×1
  // (stride 1, pads [0, 0, 1, 0] = TF's 'same') → Flatten (c·h·w order) → Gemm (transB) → Sigmoid.
  const wc = values(4 * 2 * 3 * 3, 50), bc = values(4, 51), wd = values(1 * 4 * 3 * 2, 52), bd = values(1, 53);
  const stats = [values(4, 54).map((v) => 1 + v / 2), values(4, 55), values(4, 56), values(4, 57).map((v) => 1 + v / 2)];
  const nodes: Node[] = [
    { name: 'conv', opType: 'Conv', input: ['x', 'Wc', 'Bc'], output: ['c'], attribute: [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1]), ints('strides', [1, 1])] },
    { name: 'relu', opType: 'Relu', input: ['c'], output: ['r'] },
    { name: 'bn', opType: 'BatchNormalization', input: ['r', 'g', 'b', 'm', 'v'], output: ['n'], attribute: [f('epsilon', 0.001)] },
    { name: 'max', opType: 'MaxPool', input: ['n'], output: ['p'], attribute: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])] },
    { name: 'avg', opType: 'AveragePool', input: ['p'], output: ['q'], attribute: [ints('kernel_shape', [2, 1]), ints('pads', [0, 0, 1, 0])] },
    { name: 'flat', opType: 'Flatten', input: ['q'], output: ['h'] },
    { name: 'fc', opType: 'Gemm', input: ['h', 'Wd', 'Bd'], output: ['z'], attribute: [i('transB', 1)] },
    { name: 'out', opType: 'Sigmoid', input: ['z'], output: ['y'] },
  ];
  const initializers = [
    floatTensor('Wc', [4, 2, 3, 3], wc, true), floatTensor('Bc', [4], bc), floatTensor('Wd', [1, 24], wd), floatTensor('Bd', [1], bd),
    ...['g', 'b', 'm', 'v'].map((name, k) => floatTensor(name, [4], stats[k]!)),
  ];
  const bytes = writeModel({ nodes, initializers, inputs: [2, 6, 5], output: 'y', outputs: 1 });

  it('imports as a channels-last network that predicts what onnxruntime computes from the same images', async () => {
    const net = importOnnx(bytes, { threads: 1 });
    expect(net.inputShape).toEqual([6, 5, 2]);
    expect(net.layerConfigs().map((c) => c.type)).toEqual(['conv2d', 'batchNorm', 'maxPool2d', 'avgPool2d', 'flatten', 'dense']);
    const nchw = randomRows(7, 60, 58);
    // The same images channels last: x[n][y][x][c] = nchw[n][c][y][x].
    const nhwc = new Float32Array(nchw.length);
    for (let n = 0; n < 7; n++) for (let c = 0; c < 2; c++) for (let y = 0; y < 6; y++) for (let x = 0; x < 5; x++) nhwc[n * 60 + (y * 5 + x) * 2 + c] = nchw[n * 60 + (c * 6 + y) * 5 + x]!;
    expectClose(net.predict({ data: nhwc, rows: 7, cols: 60 }), await runOrt(bytes, nchw, 7, { input: 'x', sample: [2, 6, 5] }), 1e-5, 'channels first');
  });

  it('reads a Reshape to rows (PyTorch\'s view) as the Flatten; refuses other shapes', async () => {
    const int64 = (name: string, list: number[], raw: boolean): Tensor & { int64Data?: number[] } => (raw
      ? { name, dims: [list.length], dataType: 7, rawData: new Uint8Array(BigInt64Array.from(list.map(BigInt)).buffer) }
      : { name, dims: [list.length], dataType: 7, int64Data: list });
    const reshaped = (shape: Tensor) => writeModel({
      nodes: nodes.map((n) => (n.opType === 'Flatten' ? { name: 'view', opType: 'Reshape', input: ['q', 'shape'], output: ['h'] } : n)),
      initializers: [...initializers, shape], inputs: [2, 6, 5], output: 'y', outputs: 1,
    });
    const x = randomRows(3, 60, 59);
    const flat = importOnnx(bytes, { threads: 1 }).predict({ data: x, rows: 3, cols: 60 });
    for (const shape of [int64('shape', [-1, 24], true), int64('shape', [0, -1], false)]) {
      expect(importOnnx(reshaped(shape), { threads: 1 }).predict({ data: x, rows: 3, cols: 60 })).toEqual(flat);
    }
    expect(() => importOnnx(reshaped(int64('shape', [-1, 2, 12], true)))).toThrow('node "view" (Reshape) reshapes to [-1, 2, 12]; simdnet imports a Reshape only to [batch, 24] (a Flatten)');
  });

  it('refuses padding other than none or TF\'s same, and dilation', () => {
    const alter = (k: number, node: Partial<Node>) => writeModel({ nodes: nodes.map((n, j) => (j === k ? { ...n, ...node } : n)), initializers, inputs: [2, 6, 5], output: 'y', outputs: 1 });
    expect(() => importOnnx(alter(0, { attribute: [ints('kernel_shape', [3, 3]), ints('pads', [2, 2, 0, 0])] }))).toThrow('node "conv" (Conv): padding [2, 2, 0, 0] is neither none (\'valid\') nor TensorFlow\'s \'same\'');
    expect(() => importOnnx(alter(0, { attribute: [ints('kernel_shape', [3, 3]), ints('dilations', [2, 2])] }))).toThrow('node "conv" (Conv) is dilated');
  });

  it('reads Conv → BatchNormalization → Relu and MaxPool → Relu (PyTorch\'s usual orders) with activation layers, as onnxruntime computes them', async () => {
    const reordered = writeModel({
      nodes: [
        { ...nodes[0]!, output: ['c'] }, { ...nodes[2]!, input: ['c', 'g', 'b', 'm', 'v'], output: ['n0'] }, { ...nodes[1]!, input: ['n0'], output: ['n1'] },
        { ...nodes[3]!, input: ['n1'], output: ['p0'] }, { name: 'relu2', opType: 'LeakyRelu', input: ['p0'], output: ['p'], attribute: [f('alpha', 0.2)] },
        ...nodes.slice(4),
      ],
      initializers, inputs: [2, 6, 5], output: 'y', outputs: 1,
    });
    const net = importOnnx(reordered, { threads: 1 });
    expect(net.layerConfigs().map((c) => (c.type === 'activation' || c.type === 'conv2d' ? `${c.type} ${c.activation.name}` : c.type)))
      .toEqual(['conv2d linear', 'batchNorm', 'activation relu', 'maxPool2d', 'activation leakyRelu', 'avgPool2d', 'flatten', 'dense']);
    const nchw = randomRows(5, 60, 61);
    const nhwc = new Float32Array(nchw.length);
    for (let n = 0; n < 5; n++) for (let c = 0; c < 2; c++) for (let y = 0; y < 6; y++) for (let x = 0; x < 5; x++) nhwc[n * 60 + (y * 5 + x) * 2 + c] = nchw[n * 60 + (c * 6 + y) * 5 + x]!;
    expectClose(net.predict({ data: nhwc, rows: 5, cols: 60 }), await runOrt(reordered, nchw, 5, { input: 'x', sample: [2, 6, 5] }), 1e-5, 'activation layers');
    // Back out through the exporter: onnxruntime computes the same from simdnet's own graph.
    expectClose(net.predict({ data: nhwc, rows: 5, cols: 60 }), await runOrt(exportOnnx(net), nhwc, 5, { sample: [6, 5, 2] }), 1e-5, 'exported again');
  });
});

describe('graphs simdnet cannot represent are refused, naming the node and its op', () => {
  const w = floatTensor('W', [2, 2], [1, 2, 3, 4]);
  const gemm: Node = { name: 'fc', opType: 'Gemm', input: ['x', 'W'], output: ['z'] };
  const refuse = (graph: Omit<Parameters<typeof writeModel>[0], 'inputs' | 'outputs'>, message: string | RegExp) => {
    const bytes = writeModel({ inputs: 2, outputs: 2, ...graph });
    expect(() => importOnnx(bytes, { source: 'hand.onnx' })).toThrow(ModelFormatError);
    expect(() => importOnnx(bytes, { source: 'hand.onnx' })).toThrow(message);
  };

  it.each([
    ['an unsupported op', [gemm, { name: 'lrn', opType: 'LRN', input: ['z'], output: ['y'] }], 'hand.onnx: node "lrn" (LRN) is not supported; simdnet imports Gemm, MatMul'],
    ['a convolution over rows', [gemm, { name: 'conv', opType: 'Conv', input: ['z', 'W'], output: ['y'] }], 'hand.onnx: node "conv" (Conv): a convolution reads a channels-first image here'],
    ['an unnamed unsupported node', [gemm, { opType: 'Erf', input: ['z'], output: ['y'] }], 'node #1 (Erf) is not supported'],
    ['an activation with no dense layer', [{ name: 'r', opType: 'Relu', input: ['x'], output: ['y'] }], 'hand.onnx: the graph has no dense layer (Gemm or MatMul)'],
    ['an activation after the output layer\'s', [gemm, { name: 'a', opType: 'Tanh', input: ['z'], output: ['t'] }, { name: 'b', opType: 'Relu', input: ['t'], output: ['y'] }], 'the last layer must be dense, got activation'],
    ['a softmax not after a dense layer', [gemm, { name: 'a', opType: 'Tanh', input: ['z'], output: ['t'] }, { name: 's', opType: 'Softmax', input: ['t'], output: ['y'] }], 'node "s" (Softmax): simdnet has softmax only as the activation of the last dense layer'],
    ['a product other than bipolar sigmoid', [gemm, { name: 'm', opType: 'Mul', input: ['z', 'two'], output: ['h'] }, { name: 't', opType: 'Tanh', input: ['h'], output: ['y'] }], 'node "m" (Mul): bipolar sigmoid is Mul by 0.5 then Tanh'],
    ['a branch', [gemm, { name: 'p', opType: 'Relu', input: ['z'], output: ['y'] }, { name: 'q', opType: 'Tanh', input: ['z'], output: ['y2'] }], 'tensor "z" is read by 2 nodes (node "p" (Relu), node "q" (Tanh))'],
    ['weights computed at run time', [{ name: 'mm', opType: 'MatMul', input: ['x', 'x'], output: ['y'] }], 'node "mm" (MatMul): its weights "x" must be a constant'],
    ['softmax over the batch', [gemm, { name: 's', opType: 'Softmax', input: ['z'], output: ['y'], attribute: [i('axis', 0)] }], 'node "s" (Softmax): softmax over axis 0'],
    ['a cycle', [gemm, { name: 'back', opType: 'Relu', input: ['z'], output: ['x'] }], 'node "fc" (Gemm) is met twice: the graph has a cycle'],
    ['a custom domain', [{ ...gemm, domain: 'com.example' }], 'node "fc" (Gemm) is from operator domain "com.example"'],
  ] as [string, Node[], string][])('%s', (_, nodes, message) => {
    refuse({ nodes, initializers: [w, floatTensor('two', [], [2])], output: 'y' }, message);
  });

  it('weights that do not fit the input, a rank-3 input, an old opset, and bytes that are not ONNX', () => {
    refuse({ nodes: [{ ...gemm, output: ['y'] }], initializers: [floatTensor('W', [3, 2], [1, 2, 3, 4, 5, 6])], output: 'y' }, 'node "fc" (Gemm): weights "W" of shape [3, 2] take 3 inputs, but 2 arrive');
    const image = onnxProto.ModelProto.decode(writeModel({ inputs: 2, outputs: 2, nodes: [{ ...gemm, output: ['y'] }], initializers: [w], output: 'y' }));
    image.graph!.input![0]!.type!.tensorType!.shape!.dim = [{ dimParam: 'N' }, { dimValue: 1 }, { dimValue: 2 }];
    expect(() => importOnnx(onnxProto.ModelProto.encode(image).finish())).toThrow('ONNX model: input "x" has rank 3; simdnet imports rows [batch, features] or images [batch, h, w, c] or [batch, c, h, w]');
    expect(() => importOnnx(writeModel({ inputs: 2, outputs: 2, nodes: [{ ...gemm, output: ['y'] }], initializers: [w], output: 'y' }, 8))).toThrow('ONNX model: declares opset 8; simdnet reads opset 9 and later');
    expect(() => importOnnx(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]), { source: 'junk.onnx' }))
      .toThrow('junk.onnx: not an ONNX model: field 1 (ModelProto.irVersion) has wire type 2, expected 0 at byte offset 0');
    expect(() => importOnnx(new Uint8Array([0x3a, 0xff, 0xff, 0xff, 0x0f]), { source: 'junk.onnx' }))
      .toThrow('junk.onnx: not an ONNX model: length 33554431 runs past the end of its message at byte offset 1');
  });
});
