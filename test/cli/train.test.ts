/**
 * `simdnet train` on reduced budgets: the default run and every preset, checking the summary,
 * the model file and that every plot is well-formed (sizes, one curve vertex per recorded
 * epoch or iteration, embedded rasters decode to the expected dimensions).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './run.js';
import { embeddedPngs, lineVertexCounts, readSvg } from './svg.js';

const root = mkdtempSync(join(tmpdir(), 'simdnet-cli-train-'));

beforeAll(() => ensureBuilt());

interface Summary {
  preset?: string;
  data: { trainRows: number; testRows: number; features: number; classes: string[] };
  network: { layers: number[]; backend: string; threads: number };
  training: { epochs: number; epochsRun: number; stopReason: string; batch: number | 'full'; samplesPerSecond: number };
  results: { trainAccuracy: number; testAccuracy: number; testLoss: number };
  curve: { x: string; step: number; points: number };
  files: Record<string, string>;
}

async function train(name: string, args: string[]): Promise<{ out: string; summary: Summary; stdout: string; stderr: string }> {
  const out = join(root, name);
  const r = await runCli(['train', ...args, '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
  return { out, summary, stdout: r.stdout, stderr: r.stderr };
}

describe.concurrent('train', () => {
  it('default run (bundled digits) on a reduced budget: summary, model, plots', async () => {
    const { out, summary, stdout, stderr } = await train('default', ['--epochs', '2', '--train-size', '800']);
    expect(summary.preset).toBe('mnist-mlp');
    expect(summary.data).toMatchObject({ trainRows: 800, testRows: 2000, features: 784 });
    expect(summary.data.classes).toHaveLength(10);
    expect(summary.network.layers[0]).toBe(784);
    expect(summary.training).toMatchObject({ epochs: 2, epochsRun: 2, stopReason: 'completed' });
    expect(summary.results.testAccuracy).toBeGreaterThan(0.6);
    // Non-TTY progress: one plain line per epoch on stderr.
    expect(stderr.match(/^epoch \d+\/2 /gm)).toHaveLength(2);
    expect(stdout).toMatch(/test accuracy\s+\d+\.\d\d%/);
    expect(stdout).toMatch(/samples\/s/);
    expect(stdout).toContain(join(out, 'model.sdnt'));
    expect(existsSync(join(out, 'model.sdnt'))).toBe(true);

    // Cost curve: loss and accuracy panels, train and test lines, one vertex per epoch.
    expect(summary.curve).toEqual({ x: 'epoch', step: 1, points: 2 });
    expect(lineVertexCounts(readSvg(summary.files['costCurve']!))).toEqual([2, 2, 2, 2]);

    const matrix = readSvg(summary.files['confusionMatrix']!);
    expect(matrix.match(/role-mark.*?aria-roledescription="rect mark container"/gs)).not.toBeNull();
    expect(matrix.match(/aria-roledescription="rect mark"/g)).toHaveLength(100);

    const grid = embeddedPngs(readSvg(summary.files['samples']!));
    expect(grid).toHaveLength(40);
    for (const png of grid) expect([png.width, png.height]).toEqual([56, 56]);
  });

  it('--json prints the summary on stdout and no progress', async () => {
    const out = join(root, 'json');
    const r = await runCli(['train', '--data', 'xor', '--epochs', '3', '--json', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const summary = JSON.parse(r.stdout) as Summary;
    expect(summary.training.epochsRun).toBe(3);
    expect(summary.files['model']).toBe(join(out, 'model.sdnt'));
  });

  it('preset mnist-textbook: full batch, the cost recorded per iteration', async () => {
    const { summary, stderr } = await train('textbook', ['--preset', 'mnist-textbook', '--epochs', '20', '--train-size', '1000']);
    expect(summary.network.layers).toEqual([784, 25, 10]);
    expect(summary.training.batch).toBe('full');
    expect(summary.curve).toEqual({ x: 'iteration', step: 1, points: 20 });
    expect(lineVertexCounts(readFileSync(summary.files['costCurve']!, 'utf8'))).toEqual([20, 20]);
    expect(stderr).toMatch(/^iteration 1\/20 +cost /m);
  });

  it('preset moons-2layer: decision boundary with every training point over the predicted regions', async () => {
    const { summary } = await train('moons2', ['--preset', 'moons-2layer', '--epochs', '300']);
    expect(summary.network.layers).toEqual([2, 4, 1]);
    expect(summary.data.trainRows).toBe(200);
    // 300 iterations are sampled every 5, from iteration 0.
    expect(summary.curve).toEqual({ x: 'iteration', step: 5, points: 60 });
    expect(lineVertexCounts(readFileSync(summary.files['costCurve']!, 'utf8'))).toEqual([60, 60]);
    const svg = readSvg(summary.files['decisionBoundary']!);
    const [background] = embeddedPngs(svg);
    expect([background!.width, background!.height]).toEqual([200, 200]);
    expect(svg.match(/aria-roledescription="circle"/g)).toHaveLength(200);
  });

  it('preset moons-2layer in full reaches the seeds’ training accuracy', async () => {
    const { summary } = await train('moons2-full', ['--preset', 'moons-2layer', '--quiet']);
    expect(summary.training.epochsRun).toBe(10_000);
    expect(summary.results.trainAccuracy).toBeGreaterThanOrEqual(0.97);
  });

  it('preset moons-deep', async () => {
    const { summary } = await train('moonsdeep', ['--preset', 'moons-deep', '--epochs', '500']);
    expect(summary.network.layers).toEqual([2, 4, 4, 1]);
    expect(summary.data.trainRows).toBe(1000);
    expect(summary.files['decisionBoundary']).toBeDefined();
  });

  it('preset logistic separates the blobs', async () => {
    const { summary } = await train('logistic', ['--preset', 'logistic', '--epochs', '200']);
    expect(summary.network.layers).toEqual([2, 1]);
    expect(summary.results.testAccuracy).toBeGreaterThan(0.95);
  });

  it('--threads changes the thread count, not the results', async () => {
    const one = (await train('threads1', ['--data', 'moons', '--epochs', '3', '--threads', '1'])).summary;
    const two = (await train('threads2', ['--data', 'moons', '--epochs', '3', '--threads', '2'])).summary;
    expect([one.network.threads, two.network.threads]).toEqual([1, 2]);
    expect(two.results).toEqual(one.results);
  });

  it('the reference backend gives a run too', async () => {
    const { summary } = await train('js', ['--data', 'circles', '--epochs', '2', '--backend', 'js']);
    expect(summary.network.backend).toBe('js');
  });
});
