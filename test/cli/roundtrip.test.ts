/**
 * Saved models in use: eval and predict on what train wrote (CSV rows, a picture, a folder of
 * images, a tabular CSV), a model/input mismatch, Ctrl-C during training, and bench.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './run.js';

const root = mkdtempSync(join(tmpdir(), 'simdnet-cli-roundtrip-'));

beforeAll(() => ensureBuilt());

function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) image.data.set([...pixel(x, y), 255], (y * width + x) * 4);
  }
  return PNG.sync.write(image);
}

async function trainModel(name: string, args: string[]): Promise<{ model: string; summary: { results: { testAccuracy: number } } }> {
  const out = join(root, name);
  const r = await runCli(['train', ...args, '--quiet', '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  return { model: join(out, 'model.sdnt'), summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) };
}

describe.concurrent('eval and predict on saved models', () => {
  it('moons: eval reproduces the test accuracy; predict --input gives one line per row; a wrong width fails', async () => {
    const { model, summary } = await trainModel('moons', ['--data', 'moons', '--epochs', '20']);
    const ev = await runCli(['eval', '--model', model, '--json']);
    expect(ev.code, ev.stderr).toBe(0);
    const result = JSON.parse(ev.stdout) as { accuracy: number; rows: number; confusionMatrix: number[][] };
    expect(result.accuracy).toBeCloseTo(summary.results.testAccuracy, 6);
    expect(result.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(result.rows);

    const text = await runCli(['eval', '--model', model, '--data', 'moons']);
    expect(text.stdout).toMatch(/accuracy\s+\d+\.\d\d%/);
    expect(text.stdout).toMatch(/confusion matrix/);

    const input = join(root, 'points.csv');
    writeFileSync(input, 'x1,x2\n0,1\n1,-0.5\n2,0.5\n');
    const p = await runCli(['predict', '--model', model, '--input', input]);
    expect(p.code, p.stderr).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines[0]).toBe('class,probability');
    expect(lines).toHaveLength(4);
    for (const line of lines.slice(1)) expect(line).toMatch(/^[01],(0\.[5-9]\d*|1\.0+)$/);

    const file = join(root, 'predictions.csv');
    const toFile = await runCli(['predict', '--model', model, '--input', input, '--output', file]);
    expect(toFile.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(p.stdout);
    // Written atomically: an output whose folder is a file fails with one line naming it, leaving nothing.
    const blocked = join(root, 'predictions.csv', 'out.csv');
    const noWrite = await runCli(['predict', '--model', model, '--input', input, '--output', blocked]);
    expect(noWrite.code).toBe(1);
    expect(noWrite.stderr).toMatch(new RegExp(`^simdnet: cannot write ${blocked.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    expect(readFileSync(file, 'utf8')).toBe(p.stdout);

    const wide = join(root, 'wide.csv');
    writeFileSync(wide, '1,2,3\n');
    const bad = await runCli(['predict', '--model', model, '--input', wide]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe(`simdnet: ${wide}, line 1: expected 2 values (the model's inputs), found 3`);

    const picture = await runCli(['predict', '--model', model, '--image', input]);
    expect(picture.code).toBe(2);
    expect(picture.stderr).toMatch(/not trained on pictures/);

    const mnistData = await runCli(['eval', '--model', model, '--data', 'mnist']);
    expect(mnistData.code).toBe(1);
    expect(mnistData.stderr).toMatch(/has 784 features per row, but the model takes 2 inputs/);
  });

  it('digits: predict a picture with the size and scaling from the model', async () => {
    const { model, summary } = await trainModel('digits', ['--epochs', '1', '--train-size', '500', '--layers', '784,32,10']);
    const ev = await runCli(['eval', '--model', model, '--json']);
    expect((JSON.parse(ev.stdout) as { accuracy: number }).accuracy).toBeCloseTo(summary.results.testAccuracy, 6);
    // A dark "1" on white paper, larger than 28×28: resized, and inverted like MNIST.
    const image = join(root, 'one.png');
    writeFileSync(image, png(56, 56, (x) => (x >= 24 && x < 32 ? [20, 20, 20] : [250, 250, 250])));
    const p = await runCli(['predict', '--model', model, '--image', image]);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toMatch(/^class,probability\n\d,(0|1)\.\d{4}\n$/);
  });

  it('an image folder: train --image-size, then predict a picture by class name', async () => {
    const data = join(root, 'colours');
    for (const [name, rgb] of [['blue', [30, 40, 220]], ['red', [220, 30, 40]]] as const) {
      mkdirSync(join(data, name), { recursive: true });
      for (let i = 0; i < 10; i++) {
        writeFileSync(join(data, name, `${i}.png`), png(20, 20, (x, y) => rgb.map((c) => Math.max(0, Math.min(255, c + ((x * 7 + y * 3 + i * 11) % 40) - 20))) as [number, number, number]));
      }
    }
    const { model } = await trainModel('colours', ['--data', data, '--image-size', '8', '--epochs', '30', '--batch', '4', '--lr', '0.01']);
    const probe = join(root, 'probe.png');
    writeFileSync(probe, png(30, 30, () => [230, 20, 30]));
    const p = await runCli(['predict', '--model', model, '--image', probe]);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout.split('\n')[1]).toMatch(/^red,/);
  });

  it('a tabular CSV: text labels, standardized features, raw values at predict time', async () => {
    const csv = join(root, 'table.csv');
    const rows = ['height,weight,kind'];
    for (let i = 0; i < 60; i++) {
      const big = i % 2 === 0;
      rows.push(`${big ? 180 + (i % 7) : 150 + (i % 5)},${big ? 90 + (i % 4) : 50 + (i % 6)},${big ? 'large' : 'small'}`);
    }
    writeFileSync(csv, `${rows.join('\n')}\n`);
    const { model, summary } = await trainModel('table', ['--data', csv, '--epochs', '40']);
    expect(summary.results.testAccuracy).toBe(1);
    const input = join(root, 'table-input.csv');
    writeFileSync(input, '185,95\n149,48\n');
    const p = await runCli(['predict', '--model', model, '--input', input]);
    expect(p.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[0])).toEqual(['large', 'small']);
  });
});

describe('Ctrl-C and bench', () => {
  it('SIGINT stops after the current batch, saves the model and exits 130', async () => {
    const out = join(root, 'interrupted');
    let sent = false;
    let child: import('node:child_process').ChildProcess | undefined;
    const r = await runCli(['train', '--data', 'moons', '--epochs', '100000', '--batch', '8', '--out', out], {
      onSpawn: (c) => (child = c),
      onStderr: (chunk) => {
        if (!sent && /^epoch 2\//m.test(chunk)) {
          sent = true;
          child!.kill('SIGINT');
        }
      },
    });
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/interrupted: stopping after the current batch/);
    expect(r.stdout).toMatch(/interrupted after \d+ updates; saved the weights of epoch \d+/);
    expect(existsSync(join(out, 'model.sdnt'))).toBe(true);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { training: { stopReason: string } };
    expect(summary.training.stopReason).toBe('aborted');
    const ev = await runCli(['eval', '--model', join(out, 'model.sdnt')]);
    expect(ev.code).toBe(0);
  });

  it('bench --quick reports kernels and training for WASM and the reference backend', async () => {
    const r = await runCli(['bench', '--quick', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { machine: string; results: { what: string; backend: string; value: number }[] };
    const backends = new Set(report.results.map((x) => x.backend));
    expect(backends).toContain('wasm-scalar');
    expect(backends).toContain('js (reference)');
    expect(report.results.filter((x) => x.what.startsWith('train'))).toHaveLength(backends.size);
    for (const row of report.results) expect(row.value).toBeGreaterThan(0);
  });
});
