/**
 * The "done when", as a user runs it: `simdnet train --preset mnist-mlp` (one epoch
 * here; and the CNN preset), then `simdnet export --format onnx` or `tfjs`; onnxruntime-node
 * or tfjs-layers runs the export on the 2,000 held-out digits to the same classes and
 * probabilities within 1e-5 as simdnet.
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

/** Every row's argmax the same in both. */
function expectSameClasses(got: Float32Array, want: Float32Array, rows: number, classes: number): void {
  for (let i = 0; i < rows; i++) {
    if (argmax(got, i * classes, classes) !== argmax(want, i * classes, classes)) throw new Error(`row ${i}: the class differs`);
  }
}

beforeAll(async () => {
  ensureBuilt();
  await useCpuBackend();
});

describe.each([
  { preset: 'mnist-mlp', sample: [784] },
  { preset: 'mnist-cnn', sample: [28, 28, 1] },
])('simdnet train --preset $preset, then simdnet export', ({ preset, sample }) => {
  const dir = join(root, preset);
  const model = join(dir, 'model.sdnt');
  const shape = sample.join(', ');

  beforeAll(async () => {
    const r = await runCli(['train', '--preset', preset, '--epochs', '1', '--quiet', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
  });

  /** simdnet's own predictions for the model's 2,000 held-out digits, and the digits. */
  async function simdnetPredictions() {
    const loaded = await loadCliModel(model, 'wasm');
    const test = await evaluationRows(loaded, undefined);
    expect(test.rows).toBe(2000);
    return { loaded, test, want: loaded.network.predict(test) };
  }

  it('--format onnx: onnxruntime gives the same 2,000 test classes, probabilities within 1e-5', async () => {
    const r = await runCli(['export', '--model', model, '--format', 'onnx']);
    expect(r.code, r.stderr).toBe(0);
    const out = join(dir, 'model.onnx');
    expect(r.stdout).toBe(`wrote ${out} (ONNX opset 13, input "input" [batch, ${shape}], output "output" [batch, 10])\n`);
    const { loaded, test, want } = await simdnetPredictions();
    const got = await runOrt(out, test.x, test.rows, { sample });
    expectClose(got, want, 1e-5, 'probabilities');
    expectSameClasses(got, want, test.rows, 10);
    // Strings are written as they are, other values as JSON.
    const meta = new Map(onnxProto.ModelProto.decode(readFileSync(out)).metadataProps.map((p) => [p.key, p.value!]));
    expect(meta.get('task')).toBe('classification');
    expect(JSON.parse(meta.get('classes')!)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(JSON.parse(meta.get('inputScaling')!)).toEqual(loaded.meta.transform);
  });

  it('--format tfjs: tfjs-layers gives the same 2,000 test classes, probabilities within 1e-5', async () => {
    const r = await runCli(['export', '--model', model, '--format', 'tfjs']);
    expect(r.code, r.stderr).toBe(0);
    const out = join(dir, 'model-tfjs');
    expect(r.stdout).toBe(`wrote ${out}/model.json and weights.bin (TF.js layers model, input [null, ${shape}], output [null, 10])\n`);
    const { loaded, test, want } = await simdnetPredictions();
    const tfjsModel = await loadInTfjs(out);
    const got = tfjsPredict(tfjsModel, test.x, test.rows, sample);
    expectClose(got, want, 1e-5, 'probabilities');
    expectSameClasses(got, want, test.rows, 10);
    expect(tfjsModel.getUserDefinedMetadata()).toMatchObject({ task: 'classification', inputScaling: loaded.meta.transform });
  });
});

describe('simdnet export: --out and errors', () => {
  const model = join(root, 'mnist-mlp', 'model.sdnt');

  it('writes --out; a model that is missing or an unknown format is one line of error', async () => {
    const out = join(root, 'digits.onnx');
    expect((await runCli(['export', '--model', model, '--out', out])).code).toBe(0);
    expect(readFileSync(out)).toEqual(readFileSync(join(root, 'mnist-mlp', 'model.onnx')));
    const missing = await runCli(['export', '--model', join(root, 'none.sdnt')]);
    expect(missing.code).toBe(1);
    expect(oneLine(missing.stderr)).toContain(`none.sdnt: file not found`);
    const format = await runCli(['export', '--model', model, '--format', 'pmml']);
    expect(format.code).toBe(2);
    expect(oneLine(format.stderr)).toMatch(/pmml.*onnx.*tfjs/);
    const help = await runCli(['export', '--help']);
    expect(help.stdout).toMatch(/--format <name>[\s\S]*--out <path>/);
  });
});
