/**
 * Regression end to end: `train` on the sine preset and on CSV files with `--target` (one
 * target, two targets), `eval` on the held-out rows reporting what the train summary said,
 * `predict` in the targets' own units, the regression plots, and bad target columns failing
 * with one line that names the file, line and field (exit 1) or the option (exit 2).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, evalJson, fixtureRng as rng, oneLine, runCli } from './run.js';
import { lineVertexCounts, readSvg } from './svg.js';

const root = mkdtempSync(join(tmpdir(), 'simdnet-cli-regression-'));

beforeAll(() => ensureBuilt());

interface Metrics {
  mse: number;
  rmse: number;
  mae: number;
  r2: number;
}

interface Summary {
  task: string;
  data: { kind: string; trainRows: number; testRows: number; testFrom: string; features: number; targets: string[]; standardizedTargets: boolean; classes?: string[] };
  network: { layers: number[]; loss: string; description: string };
  training: { epochsRun: number };
  results: {
    trainMse: number; trainRmse: number; trainMae: number; trainR2: number;
    testMse: number; testRmse: number; testMae: number; testR2: number;
    testByTarget?: (Metrics & { target: string })[];
  };
  curve: { points: number };
  files: Record<string, string>;
}

interface EvalResult extends Metrics {
  task: string;
  data: string;
  rows: number;
  targets: string[];
  byTarget?: (Metrics & { target: string })[];
  confusionMatrix?: unknown;
}

function writeCsv(name: string, lines: string[]): string {
  const path = join(root, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** The linear problem the CSV tests learn: price = 3a − 2b + 5. */
const price = (a: number, b: number) => 3 * a - 2 * b + 5;

/**
 * `rows` rows of a, b uniform on [−5, 5] and price = 3a − 2b + 5 plus noise of standard
 * deviation 0.05 (a sum of three uniforms), under the header a,b,price.
 */
function linearRows(rows: number, seed: number): string[] {
  const random = rng(seed);
  const lines = ['a,b,price'];
  for (let i = 0; i < rows; i++) {
    const a = random() * 10 - 5;
    const b = random() * 10 - 5;
    const noise = (random() + random() + random() - 1.5) * 0.1;
    lines.push(`${a.toFixed(3)},${b.toFixed(3)},${(price(Number(a.toFixed(3)), Number(b.toFixed(3))) + noise).toFixed(4)}`);
  }
  return lines;
}

const linear = writeCsv('linear.csv', linearRows(300, 1));

/** `simdnet train <args> --out <root>/<name>`; must exit 0. Returns the summary.json and the output. */
async function train(name: string, args: string[]): Promise<{ model: string; summary: Summary; stdout: string; stderr: string }> {
  const out = join(root, name);
  const r = await runCli(['train', ...args, '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
  return { model: join(out, 'model.sdnt'), summary, stdout: r.stdout, stderr: r.stderr };
}

const circles = (svg: string) => svg.match(/aria-roledescription="circle"/g)?.length ?? 0;

// The linear model is used by several tests; train it once.
let linearModel: ReturnType<typeof train> | undefined;
const linearTrained = () => (linearModel ??= train('linear', ['--data', linear, '--target', 'price', '--quiet']));

describe.concurrent('regression: train, eval, predict', () => {
  it('preset sine reaches R² ≥ 0.98 on its held-out rows, with per-epoch RMSE, MAE and R² and the three plots', async () => {
    const { model, summary, stdout, stderr } = await train('sine', ['--preset', 'sine']);
    expect(summary.task).toBe('regression');
    expect(summary.data).toMatchObject({ kind: 'points', trainRows: 1000, testRows: 1000, testFrom: 'built-in', features: 1, targets: ['y'], standardizedTargets: true });
    expect(summary.data.classes).toBeUndefined();
    expect(summary.network).toMatchObject({ layers: [1, 32, 32, 1], loss: 'meanSquaredError', description: '1-32-32-1 tanh/linear' });
    expect(summary.results.testR2).toBeGreaterThanOrEqual(0.98);
    expect(summary.results.trainR2).toBeGreaterThanOrEqual(0.98);
    // The noise is 0.05: no model gets far below it, a good one gets close.
    expect(summary.results.testRmse).toBeGreaterThan(0.04);
    expect(summary.results.testRmse).toBeLessThan(0.1);
    expect(summary.results.testMse).toBeCloseTo(summary.results.testRmse ** 2, 12);

    // Progress: one line per epoch with the regression scores, training and test.
    const epochs = stderr.match(/^epoch \d+\/60 +loss \S+ +RMSE \S+ +MAE \S+ +R² \S+ +test loss \S+ +test RMSE \S+ +test MAE \S+ +test R² \S+ /gm);
    expect(epochs).toHaveLength(60);
    expect(stderr).not.toMatch(/accuracy/);
    expect(stdout).toMatch(/in standardized target units/);
    expect(stdout).toMatch(/^test +R² 0\.99\d\d +RMSE \S+ +MAE \S+ +\(1,000 rows, in the targets' units\)$/m);
    expect(stdout).toMatch(/^train +R² /m);
    expect(stdout).not.toMatch(/confusion matrix|accuracy/);

    // Cost curve: loss and R² panels, train and test, one vertex per epoch.
    expect(lineVertexCounts(readSvg(summary.files['costCurve']!))).toEqual([60, 60, 60, 60]);
    expect(readFileSync(summary.files['costCurve']!, 'utf8')).toContain('R²');
    // Predicted against actual: the y = x line (2 vertices) and every test row.
    const scatter = readSvg(summary.files['predictedVsActual']!);
    expect(lineVertexCounts(scatter)).toEqual([2]);
    expect(circles(scatter)).toBe(1000);
    // One input: the fitted curve (200 vertices) over every training point.
    const fit = readSvg(summary.files['fit']!);
    expect(lineVertexCounts(fit)).toEqual([200]);
    expect(circles(fit)).toBe(1000);
    expect(summary.files['confusionMatrix']).toBeUndefined();
    expect(summary.files['decisionBoundary']).toBeUndefined();

    // eval rebuilds the same held-out draw and scores it identically.
    const result = await evalJson<EvalResult>(['--model', model]);
    expect(result).toMatchObject({ task: 'regression', data: 'sine (held-out rows)', rows: 1000, targets: ['y'] });
    expect(result.r2).toBe(summary.results.testR2);
    expect(result.rmse).toBe(summary.results.testRmse);
    expect(result.confusionMatrix).toBeUndefined();

    // sin(±π/2) = ±1, sin 0 = 0, within a few times the noise.
    const input = writeCsv('sine-input.csv', ['x', '0', String(Math.PI / 2), String(-Math.PI / 2)]);
    const p = await runCli(['predict', '--model', model, '--input', input]);
    expect(p.code, p.stderr).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines[0]).toBe('y');
    const values = lines.slice(1).map(Number);
    [0, 1, -1].forEach((want, i) => expect(Math.abs(values[i]! - want)).toBeLessThan(0.15));
  });

  it('a linear CSV with --target price: R² ≥ 0.99, and eval on the held-out rows reports the same R²', async () => {
    const { model, summary } = await linearTrained();
    expect(summary.task).toBe('regression');
    expect(summary.data).toMatchObject({ kind: 'table', trainRows: 240, testRows: 60, testFrom: 'split', features: 2, targets: ['price'] });
    expect(summary.network.layers).toEqual([2, 32, 1]);
    expect(summary.results.testR2).toBeGreaterThanOrEqual(0.99);
    expect(summary.results.trainR2).toBeGreaterThanOrEqual(0.99);
    expect(summary.results.testByTarget).toBeUndefined();

    const result = await evalJson<EvalResult>(['--model', model]);
    expect(result).toMatchObject({ task: 'regression', data: `${linear} (held-out rows)`, rows: 60, targets: ['price'] });
    expect(result.r2).toBe(summary.results.testR2);
    expect(result.rmse).toBe(summary.results.testRmse);
    expect(result.mae).toBe(summary.results.testMae);

    const text = await runCli(['eval', '--model', model]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('1 target (price)');
    for (const name of ['MSE', 'RMSE', 'MAE', 'R²']) expect(text.stdout).toMatch(new RegExp(`^${name} +\\d`, 'm'));
    expect(text.stdout).not.toMatch(/confusion|accuracy/);

    // Two inputs: no fitted curve, the other two plots are there.
    expect(summary.files['fit']).toBeUndefined();
    expect(lineVertexCounts(readSvg(summary.files['predictedVsActual']!))).toEqual([2]);
    expect(circles(readFileSync(summary.files['predictedVsActual']!, 'utf8'))).toBe(60);
    readSvg(summary.files['costCurve']!);
  });

  it('predict gives prices in original units close to 3a − 2b + 5, with or without the price column', async () => {
    const { model, summary } = await linearTrained();
    // Probes inside the training range. A prediction there should miss by about as much as a
    // held-out row does; 3 × the held-out RMSE leaves room for the noise the model learned from
    // and for the tanh fit bending near the corners, and R² ≥ 0.99 (above) keeps that RMSE
    // under a tenth of price's spread (≈ 10.4), so the check cannot go slack.
    const probes: [number, number][] = [[1, 1], [0, 0], [-2, 3], [2.5, -1.5], [-4, -4]];
    const tolerance = 3 * summary.results.testRmse;
    expect(tolerance).toBeLessThan(1.5);
    const check = (stdout: string) => {
      const lines = stdout.trim().split('\n');
      expect(lines[0]).toBe('price');
      expect(lines).toHaveLength(probes.length + 1);
      probes.forEach(([a, b], i) => expect(Math.abs(Number(lines[i + 1]) - price(a, b)), `a=${a}, b=${b}`).toBeLessThan(tolerance));
    };
    const bare = writeCsv('predict-bare.csv', probes.map(([a, b]) => `${a},${b}`));
    const p = await runCli(['predict', '--model', model, '--input', bare]);
    expect(p.code, p.stderr).toBe(0);
    check(p.stdout);

    // Rows that keep the target column (any value, even a wrong one) predict the same.
    const kept = writeCsv('predict-kept.csv', ['a,b,price', ...probes.map(([a, b]) => `${a},${b},0`)]);
    const q = await runCli(['predict', '--model', model, '--input', kept]);
    expect(q.code, q.stderr).toBe(0);
    expect(q.stdout).toBe(p.stdout);

    const file = join(root, 'prices.csv');
    const toFile = await runCli(['predict', '--model', model, '--input', bare, '--output', file]);
    expect(toFile.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(p.stdout);

    const wide = writeCsv('predict-wide.csv', ['1,2,3,4']);
    const bad = await runCli(['predict', '--model', model, '--input', wide]);
    expect(bad.code).toBe(1);
    expect(oneLine(bad.stderr)).toBe(`simdnet: ${wide}, line 1: expected 2 values (the model's inputs) (or 3 with the target "price" in column 3), found 4`);
  });

  it('Huber loss on targets in their own units: the summary says so and eval agrees', async () => {
    const { model, summary } = await train('linear-huber', ['--data', linear, '--target', '2', '--loss', 'huber', '--no-standardize-targets', '--json']);
    expect(summary.network.loss).toBe('huber');
    expect(summary.data).toMatchObject({ targets: ['price'], standardizedTargets: false });
    expect(summary.results.testR2).toBeGreaterThanOrEqual(0.99);
    expect((await evalJson<EvalResult>(['--model', model])).r2).toBe(summary.results.testR2);
  });

  it('two targets with --target y1,y2: metrics per target, predict prints both', async () => {
    // Targets between the features, so dropping them at predict time is by position.
    const random = rng(2);
    const lines = ['a,y1,b,y2'];
    for (let i = 0; i < 400; i++) {
      const a = Number((random() * 4 - 2).toFixed(3));
      const b = Number((random() * 4 - 2).toFixed(3));
      lines.push(`${a},${(2 * a - b).toFixed(4)},${b},${(a * a).toFixed(4)}`);
    }
    const path = writeCsv('two-targets.csv', lines);
    const { model, summary } = await train('two-targets', ['--data', path, '--target', 'y1,y2', '--json']);
    expect(summary.data).toMatchObject({ features: 2, targets: ['y1', 'y2'], trainRows: 320, testRows: 80 });
    expect(summary.network.layers).toEqual([2, 32, 2]);
    expect(summary.results.testR2).toBeGreaterThanOrEqual(0.98);
    const byTarget = summary.results.testByTarget!;
    expect(byTarget.map((m) => m.target)).toEqual(['y1', 'y2']);
    for (const m of byTarget) expect(m.r2).toBeGreaterThanOrEqual(0.95);
    // R² over both is the mean of the per-target R²s.
    expect(summary.results.testR2).toBeCloseTo((byTarget[0]!.r2 + byTarget[1]!.r2) / 2, 12);
    expect(lineVertexCounts(readSvg(summary.files['predictedVsActual']!))).toEqual([2, 2]);

    const result = await evalJson<EvalResult>(['--model', model]);
    expect(result.r2).toBe(summary.results.testR2);
    expect(result.byTarget).toEqual(byTarget);

    const input = writeCsv('two-input.csv', ['a,y1,b,y2', '1,0,0.5,0', '-1,0,1,0']);
    const p = await runCli(['predict', '--model', model, '--input', input]);
    expect(p.code, p.stderr).toBe(0);
    const out = p.stdout.trim().split('\n');
    expect(out[0]).toBe('y1,y2');
    const rows = out.slice(1).map((l) => l.split(',').map(Number));
    // y1 = 2a − b, y2 = a²; 0.2 is several times the per-target RMSE measured above.
    expect(rows).toHaveLength(2);
    expect(Math.abs(rows[0]![0]! - 1.5)).toBeLessThan(0.2);
    expect(Math.abs(rows[0]![1]! - 1)).toBeLessThan(0.2);
    expect(Math.abs(rows[1]![0]! + 3)).toBeLessThan(0.2);
    expect(Math.abs(rows[1]![1]! - 1)).toBeLessThan(0.2);
  });
});

describe.concurrent('bad targets', () => {
  const header = 'a,b,price';
  const good = linearRows(20, 3).slice(1);

  it('a non-numeric target value names the file, line, field and column (exit 1)', async () => {
    const path = writeCsv('text-target.csv', [header, ...good.slice(0, 4), '1.0,2.0,cheap', ...good.slice(4)]);
    const r = await runCli(['train', '--data', path, '--target', 'price', '--quiet', '--out', join(root, 'text-target')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(`simdnet: ${path}, line 6, field 3: expected a number in target column "price", found "cheap"`);
  });

  it('NaN in a target is not a number either (exit 1)', async () => {
    const path = writeCsv('nan-target.csv', [header, ...good.slice(0, 9), '1.0,2.0,NaN', ...good.slice(9)]);
    const r = await runCli(['train', '--data', path, '--target', 'price', '--quiet', '--out', join(root, 'nan-target')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(`simdnet: ${path}, line 11, field 3: expected a number in target column "price", found "NaN"`);
  });

  it('a target column the header lacks names the file and the columns it has (exit 1, as for --label)', async () => {
    const r = await runCli(['train', '--data', linear, '--target', 'cost', '--quiet', '--out', join(root, 'no-cost')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(`simdnet: ${linear}, line 1: expected a target column named "cost" in the header, found "a", "b", "price"`);
  });

  it('a target index outside the columns is a usage error naming --target (exit 2, as for --label)', async () => {
    const r = await runCli(['train', '--data', linear, '--target', '7', '--quiet', '--out', join(root, 'target7')]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe('simdnet: --target 7: target column 7 is outside the 3 columns');
  });

  const usage: [string, string[], string][] = [
    ['--target with --task classification', ['--data', linear, '--target', 'price', '--task', 'classification'], '--target names regression targets'],
    ['--label with --target', ['--data', linear, '--target', 'price', '--label', 'a'], '--label names the class column of a classification'],
    ['a classification data set as regression', ['--data', 'moons', '--task', 'regression'], '--data moons is a classification data set'],
    ['sine as classification', ['--data', 'sine', '--task', 'classification'], 'sine is a regression data set'],
    ['--target with sine', ['--data', 'sine', '--target', 'y'], '--target names columns of a CSV file; --data sine has its one target built in'],
    ['a classification loss for regression', ['--data', linear, '--target', 'price', '--loss', 'bce', '--output-activation', 'sigmoid'], '--loss binaryCrossEntropy is a classification loss'],
    ['--layers not ending in the targets', ['--data', linear, '--target', 'price', '--layers', '2,8,2'], `--layers 2,8,2: the last size must be the data's 1 target ("price"), not 2`],
    ['an empty column in --target', ['--data', linear, '--target', 'price,'], "option '--target <columns>' argument 'price,' is invalid"],
    ['--no-standardize-targets for classification', ['--data', 'moons', '--no-standardize-targets'], '--no-standardize-targets is for regression'],
  ];
  it.each(usage)('usage error: %s (exit 2)', async (_name, args, message) => {
    const r = await runCli(['train', ...args, '--epochs', '1', '--quiet', '--out', join(root, 'usage')]);
    expect(r.code, r.stderr).toBe(2);
    expect(oneLine(r.stderr)).toContain(message);
  });

  it('a CSV of real-valued labels without --target points to --target', async () => {
    const r = await runCli(['train', '--data', linear, '--epochs', '1', '--quiet', '--out', join(root, 'no-target')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(new RegExp(`^simdnet: ${escape(linear)}, line 2, field 3: expected a class index [(]an integer ≥ 0[)], found [^;]*; to learn this column as a number, train a regression with --target$`));
  });
});

/** `text` as a literal inside a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
