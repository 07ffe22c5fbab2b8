/**
 * The "done when", as a user runs it: `simdnet train --preset mnist-mlp` (one epoch
 * here), then `simdnet export --format onnx` (or `tfjs`); onnxruntime-node (or tfjs-layers)
 * runs the export on the 2,000 held-out digits to the same classes and probabilities within
 * 1e-5 as simdnet.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluationRows } from '../../src/cli/eval.js';
import { loadCliModel } from '../../src/cli/model-file.js';
import { argmax } from '../../src/util/argmax.js';
import { ensureBuilt, oneLine, runCli } from '../cli/run.js';
import { expectClose, onnxProto, runOrt } from './runtimes.js';
import { loadInTfjs, tfjsPredict, useCpuBackend } from './tfjs-runtime.js';

const root = mkdtempSync(join(tmpdir(), 'simdnet-cli-export-'));
const model = join(root, 'model.sdnt');

/** Every row's argmax the same in both. */
function expectSameClasses(got: Float32Array, want: Float32Array, rows: number, classes: number): void {
  for (let i = 0; i < rows; i++) {
    if (argmax(got, i * classes, classes) !== argmax(want, i * classes, classes)) throw new Error(`row ${i}: the class differs`);
  }
}

beforeAll(async () => {
  ensureBuilt();
  await useCpuBackend();
  const r = await runCli(['train', '--preset', 'mnist-mlp', '--epochs', '1', '--quiet', '--out', root]);
  expect(r.code, r.stderr).toBe(0);
});

describe('simdnet export --format onnx', () => {
  it('gives a file onnxruntime runs to the same 2,000 test predictions as simdnet', async () => {
    const r = await runCli(['export', '--model', model, '--format', 'onnx']);
    expect(r.code, r.stderr).toBe(0);
    const out = join(root, 'model.onnx');
    expect(r.stdout).toBe(`wrote ${out} (ONNX opset 13, input "input" [batch, 784], output "output" [batch, 10])\n`);

    const loaded = await loadCliModel(model, 'wasm');
    const test = await evaluationRows(loaded, undefined);
    expect(test.rows).toBe(2000);
    const want = loaded.network.predict(test);
    const got = await runOrt(out, test.x, test.rows);
    expectClose(got, want, 1e-5, 'probabilities');
    expectSameClasses(got, want, test.rows, 10);

    // Strings are written as they are, other values as JSON.
    const meta = new Map(onnxProto.ModelProto.decode(readFileSync(out)).metadataProps.map((p) => [p.key, p.value!]));
    expect(meta.get('task')).toBe('classification');
    expect(JSON.parse(meta.get('classes')!)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(JSON.parse(meta.get('inputScaling')!)).toEqual(loaded.meta.transform);
  });

  it('writes --out; a model that is missing or an unknown format is one line of error', async () => {
    const out = join(root, 'digits.onnx');
    expect((await runCli(['export', '--model', model, '--out', out])).code).toBe(0);
    expect(readFileSync(out)).toEqual(readFileSync(join(root, 'model.onnx')));
    const missing = await runCli(['export', '--model', join(root, 'none.sdnt')]);
    expect(missing.code).toBe(1);
    expect(oneLine(missing.stderr)).toContain(`none.sdnt: file not found`);
    const format = await runCli(['export', '--model', model, '--format', 'pmml']);
    expect(format.code).toBe(2);
    expect(oneLine(format.stderr)).toMatch(/pmml.*onnx/);
  });
});

describe('simdnet export --format tfjs', () => {
  it('gives a folder tfjs-layers loads and runs to the same 2,000 test predictions as simdnet', async () => {
    const r = await runCli(['export', '--model', model, '--format', 'tfjs']);
    expect(r.code, r.stderr).toBe(0);
    const out = join(root, 'model-tfjs');
    expect(r.stdout).toBe(`wrote ${out}/model.json and weights.bin (TF.js layers model, input [null, 784], output [null, 10])\n`);
    const loaded = await loadCliModel(model, 'wasm');
    const test = await evaluationRows(loaded, undefined);
    const tfjsModel = await loadInTfjs(out);
    const got = tfjsPredict(tfjsModel, test.x, test.rows);
    const want = loaded.network.predict(test);
    expectClose(got, want, 1e-5, 'probabilities');
    expectSameClasses(got, want, test.rows, 10);
    expect(tfjsModel.getUserDefinedMetadata()).toMatchObject({ task: 'classification', inputScaling: loaded.meta.transform });
  });
});
