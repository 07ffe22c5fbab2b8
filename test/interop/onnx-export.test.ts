/**
 * exportOnnx, proven with onnxruntime-node: every activation in hidden layers under every
 * output activation and loss, depth 1–3 (with dropout), and every image layer predict what
 * simdnet predicts within 1e-5; the file declares its opset, a symbolic batch dimension and
 * the model's metadata, as onnxruntime's own protobuf code reads it; saveOnnx writes atomically.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/network.js';
import { ACTIVATION_NAMES } from '../../src/nn/activations.js';
import { exportOnnx, ONNX_IR_VERSION, ONNX_OPSET } from '../../src/io/onnx/export.js';
import { saveOnnx } from '../../src/io/onnx/file.js';
import { build, buildCnn, CNNS, OUTPUTS } from './nets.js';
import { expectClose, onnxProto, randomRows, runOrt } from './runtimes.js';

type ValueInfo = Parameters<typeof onnxProto.ValueInfoProto.create>[0] & object;

async function expectOrtMatches(net: Network, rows: number, seed: number, what: string): Promise<void> {
  const x = randomRows(rows, net.inputs, seed);
  const want = net.predict({ data: x, rows, cols: net.inputs });
  expectClose(await runOrt(exportOnnx(net), x, rows), want, 1e-5, what);
}

describe('exportOnnx runs in onnxruntime-node as simdnet predicts', () => {
  OUTPUTS.forEach((output, o) => {
    it(`output ${output.activation} with ${output.loss}: depth 1, and depth 2–3 under every hidden activation`, async () => {
      await expectOrtMatches(build(1, 'linear', output, o + 1), 9, o, `depth 1`);
      for (const [h, hidden] of ACTIVATION_NAMES.entries()) {
        const depth = 2 + ((h + o) % 2);
        await expectOrtMatches(build(depth, hidden, output, 100 * o + h), 17, h, `depth ${depth}, hidden ${hidden}`);
      }
    });
  });
});

describe('image networks run in onnxruntime-node as simdnet predicts', () => {
  CNNS.forEach((cnn, i) => {
    it(cnn.name, async () => {
      const net = await buildCnn(i);
      const model = exportOnnx(net);
      const input = onnxProto.ModelProto.decode(model).graph!.input![0]!;
      expect(input.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch', ...cnn.shape]);
      const x = randomRows(21, net.inputs, i);
      expectClose(await runOrt(model, x, 21, { sample: cnn.shape }), net.predict({ data: x, rows: 21, cols: net.inputs }), 1e-5, cnn.name);
    });
  });
});

describe('the exported file', () => {
  const net = new Network({
    inputs: 4, layers: [{ type: 'dense', units: 5, activation: 'tanh' }, { type: 'dense', units: 3, activation: 'softmax' }],
    classNames: ['cat', 'dog', 'emu'], seed: 7, threads: 1,
  });

  it('declares the opset, a symbolic batch dimension, and the classes, loss and given metadata as metadata_props', () => {
    const bytes = exportOnnx(net, { metadata: { inputScaling: { kind: 'pixels', scale: 1 / 255 }, note: 'plain' }, producerVersion: '9.9.9' });
    const model = onnxProto.ModelProto.decode(bytes);
    expect(Number(model.irVersion)).toBe(ONNX_IR_VERSION);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', ONNX_OPSET]]);
    expect([model.producerName, model.producerVersion]).toEqual(['simdnet', '9.9.9']);
    const shape = (v: ValueInfo) => v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(model.graph!.input!.map((v) => [v.name, shape(v)])).toEqual([['input', ['batch', 4]]]);
    expect(model.graph!.output!.map((v) => [v.name, shape(v)])).toEqual([['output', ['batch', 3]]]);
    expect(Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]))).toEqual({
      'simdnet.loss': 'categoricalCrossEntropy', classes: '["cat","dog","emu"]',
      inputScaling: JSON.stringify({ kind: 'pixels', scale: 1 / 255 }), note: 'plain',
    });
  });

  it('writes an attribute of 0 as set: leaky ReLU with slope 0 is not onnxruntime\'s default 0.01', async () => {
    const flat = new Network({ inputs: 3, layers: [{ type: 'dense', units: 4, activation: { name: 'leakyRelu', alpha: 0 } }], seed: 2, threads: 1 });
    await expectOrtMatches(flat, 40, 3, 'slope 0');
  });

  it('runs any batch size, one row included', async () => {
    for (const rows of [1, 2, 33]) await expectOrtMatches(net, rows, rows, `${rows} rows`);
  });

  it('saveOnnx writes the file onnxruntime loads from its path; a write into a missing folder names the target', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simdnet-onnx-'));
    const path = join(dir, 'net.onnx');
    await saveOnnx(net, path);
    expect(new Uint8Array(readFileSync(path))).toEqual(exportOnnx(net));
    const x = randomRows(3, 4, 5);
    expectClose(await runOrt(path, x, 3), net.predict({ data: x, rows: 3, cols: 4 }), 1e-5, 'from the file');
    const missing = join(dir, 'no', 'net.onnx');
    await expect(saveOnnx(net, missing)).rejects.toThrow(`cannot write ${missing}: no such directory`);
  });
});
