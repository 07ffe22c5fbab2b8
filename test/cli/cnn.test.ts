/**
 * CNNs from the command line: the `mnist-cnn` preset on a reduced budget (run header, summary,
 * a model file that `eval` reads back with its image shape and scores identically), a CNN
 * given with `--image-layers`, training-time shifts (`--augment-shift`), one trained on an
 * image folder of colour pictures and asked about a new picture, and the usage errors of that
 * syntax and of a kernel that does not fit.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, oneLine, runCli } from './run.js';
import { PNG } from 'pngjs';
import { decodeModel } from '../../src/node.js';

const root = mkdtempSync(join(tmpdir(), 'simdnet-cli-cnn-'));

beforeAll(() => ensureBuilt());

interface Summary {
  preset?: string;
  network: { description: string; parameters: number };
  results: { testAccuracy: number; testLoss: number };
}

describe.concurrent('train a CNN', () => {
  it('preset mnist-cnn on a reduced budget; eval reads the model back', async () => {
    const out = join(root, 'preset');
    const r = await runCli(['train', '--preset', 'mnist-cnn', '--epochs', '1', '--train-size', '1000', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('network 28×28×1 conv5×5×8 same relu → maxpool2×2 → conv5×5×16 relu → maxpool2×2 → 120-84-10 relu/softmax');
    expect(r.stdout).toContain('training: adam lr 0.002, batch 64, 1 epochs, images shifted up to 2 px');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
    expect(summary.preset).toBe('mnist-cnn');
    expect(summary.network.parameters).toBe(62_558);
    // One epoch on 1,000 shifted digits: well above chance (0.613 when this was written; 0.654
    // before the preset shifted its digits and widened its first convolution), not yet good.
    expect(summary.results.testAccuracy).toBeGreaterThan(0.5);

    const model = join(out, 'model.sdnt');
    expect(decodeModel(readFileSync(model)).header.inputShape).toEqual([28, 28, 1]);
    const e = await runCli(['eval', '--model', model, '--json']);
    expect(e.code, e.stderr).toBe(0);
    expect((JSON.parse(e.stdout) as { accuracy: number }).accuracy).toBeCloseTo(summary.results.testAccuracy, 10);
  });

  it('--image-layers builds the image part, --layers the dense part; convolutions take --activation', async () => {
    const out = join(root, 'spec');
    const r = await runCli([
      'train', '--data', 'mnist', '--train-size', '500', '--epochs', '1', '--activation', 'tanh',
      '--image-layers', '28x28x1,conv3x3x4s2same,bn,avgpool2,flatten', '--layers', '784,16,10', '--out', out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('network 28×28×1 conv3×3×4 same /2,2 tanh → batchnorm → avgpool2×2 → flatten → 16-10 tanh/softmax');
  });

  it('an image folder of stripes: a small CNN tells vertical from horizontal, and predict reads a new picture', async () => {
    const data = join(root, 'stripes');
    const stripes = (vertical: boolean, phase: number) => {
      const image = new PNG({ width: 16, height: 16 });
      for (let y = 0; y < 16; y++) {
        for (let x = 0; x < 16; x++) {
          const on = ((vertical ? x : y) + phase) % 4 < 2;
          image.data.set([on ? 230 : 20, on ? 200 : 40, on ? 40 : 200, 255], (y * 16 + x) * 4);
        }
      }
      return PNG.sync.write(image);
    };
    for (const name of ['horizontal', 'vertical']) {
      mkdirSync(join(data, name), { recursive: true });
      for (let i = 0; i < 12; i++) writeFileSync(join(data, name, `${i}.png`), stripes(name === 'vertical', i % 4));
    }
    const out = join(root, 'stripes-out');
    const r = await runCli([
      'train', '--data', data, '--image-size', '16', '--epochs', '40', '--batch', '8', '--lr', '0.01',
      '--image-layers', '16x16x3,conv3x3x4,maxpool2,conv3x3x4,gap', '--layers', '768,2', '--out', out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('network 16×16×3 conv3×3×4 relu → maxpool2×2 → conv3×3×4 relu → globalavgpool → 2 softmax');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { results: { trainAccuracy: number } };
    expect(summary.results.trainAccuracy).toBeGreaterThanOrEqual(0.9);
    const probe = join(root, 'probe.png');
    writeFileSync(probe, stripes(true, 1));
    const p = await runCli(['predict', '--model', join(out, 'model.sdnt'), '--image', probe]);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout.split('\n')[1]).toMatch(/^vertical,/);
  });

  it('--augment-shift shifts the training images of an image network and says so; an MLP refuses it', async () => {
    const out = join(root, 'shifted');
    const r = await runCli([
      'train', '--data', 'mnist', '--train-size', '300', '--epochs', '1', '--augment-shift', '2',
      '--image-layers', '28x28x1,conv5x5x4,maxpool2', '--layers', '784,10', '--out', out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('training: adam lr 0.001, batch 64, 1 epochs, images shifted up to 2 px');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { training: { augment?: { shift: number } } };
    expect(summary.training.augment).toEqual({ shift: 2 });
    const mlp = await runCli(['train', '--data', 'mnist', '--train-size', '300', '--epochs', '1', '--augment-shift', '1', '--out', join(root, 'mlp')]);
    expect(mlp.code).toBe(2);
    expect(oneLine(mlp.stderr)).toContain('--augment-shift 1 moves images: it needs an image network (--image-layers, or a CNN preset such as mnist-cnn)');
  });

  it('refuses an unknown image layer and a kernel larger than its input, exit code 2', async () => {
    const bad = await runCli(['train', '--image-layers', '28x28x1,conv5x5', '--out', join(root, 'bad')]);
    expect(bad.code).toBe(2);
    expect(oneLine(bad.stderr)).toContain('unknown image layer "conv5x5"; expected conv<kh>x<kw>x<filters>, maxpool<k>, avgpool<k>, gap, bn or flatten');
    const big = await runCli(['train', '--image-layers', '28x28x1,maxpool2,conv15x15x2', '--out', join(root, 'big')]);
    expect(big.code).toBe(2);
    expect(oneLine(big.stderr)).toContain("layer 1 (conv2d): input 14×14×1 is smaller than the 15×15 kernel with padding 'valid'");
  });
});
