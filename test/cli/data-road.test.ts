/**
 * Data files on the one road: every file keeps its own class names and is mapped onto the
 * training classes by name (eval --data, train --test), eval without --data uses the held-out
 * rows, IDX files and BOM'd MNIST CSVs load, predict drops a kept label column, and bad label
 * columns fail with one line naming the file (and the line).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, evalJson, fixtureRng as rng, oneLine, runCli } from './run.js';
import { idxBytes } from '../data/fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'simdnet-cli-data-road-'));

beforeAll(() => ensureBuilt());

interface Summary {
  data: { kind: string; trainRows: number; testRows: number; testFrom: string; features: number; classes: string[] };
  results: { testAccuracy: number };
  files: Record<string, string>;
}

interface EvalResult {
  data: string;
  rows: number;
  accuracy: number;
  classes: string[];
  confusionMatrix: number[][];
}

const SPECIES = ['setosa', 'versicolor', 'virginica'] as const;
type Species = (typeof SPECIES)[number];
/** Iris-like class means, spread far apart relative to the noise. */
const MEANS: Record<Species, number[]> = {
  setosa: [5.0, 3.4, 1.5, 0.2],
  versicolor: [5.9, 2.8, 4.3, 1.3],
  virginica: [6.8, 3.1, 5.9, 2.2],
};

/** `perClass` rows of each species (features rounded to 2 decimals), shuffled, as CSV lines. */
function irisRows(perClass: number, seed: number, species: readonly Species[] = SPECIES): string[] {
  const random = rng(seed);
  const rows = species.flatMap((s) =>
    Array.from({ length: perClass }, () => `${MEANS[s].map((m) => (m + (random() - 0.5) * 0.5).toFixed(2)).join(',')},${s}`));
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  return rows;
}

function writeCsv(name: string, lines: string[]): string {
  const path = join(root, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const HEADER = 'a,b,c,d,species';
const iris = writeCsv('iris.csv', [HEADER, ...irisRows(50, 1)]);

/** `simdnet train <args> --json --out <root>/<name>`; must exit 0. */
async function train(name: string, args: string[]): Promise<{ model: string; summary: Summary }> {
  const out = join(root, name);
  const r = await runCli(['train', ...args, '--json', '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  const summary = JSON.parse(r.stdout) as Summary;
  return { model: join(out, 'model.sdnt'), summary };
}


// The iris model is shared by items 1, 4 and 7; train it once.
let irisModel: Promise<{ model: string; summary: Summary }> | undefined;
const irisTrained = () => (irisModel ??= train('iris', ['--data', iris, '--epochs', '30']));

describe.concurrent('files are mapped onto the training classes by name', () => {
  it('eval --data on a file holding only two of the three classes scores like the test rows', async () => {
    const { model, summary } = await irisTrained();
    expect(summary.data).toMatchObject({ kind: 'table', trainRows: 120, testRows: 30, testFrom: 'split', features: 4, classes: [...SPECIES] });
    expect(summary.results.testAccuracy).toBeGreaterThanOrEqual(0.9);

    // Sorted on its own, this file's classes are [setosa, virginica]: virginica would be index 1.
    const twoClasses = writeCsv('virginica-setosa.csv', [HEADER, ...irisRows(15, 2, ['virginica', 'setosa'])]);
    const result = await evalJson<EvalResult>(['--model', model, '--data', twoClasses]);
    expect(result.rows).toBe(30);
    expect(result.classes).toEqual([...SPECIES]);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.9);
    // True classes down: 15 setosa, no versicolor, 15 virginica.
    expect(result.confusionMatrix.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([15, 0, 15]);
  });

  it('train --test with a file lacking one class reports the test accuracy in the training classes', async () => {
    const test = writeCsv('test-no-versicolor.csv', [HEADER, ...irisRows(20, 3, ['virginica', 'setosa'])]);
    const { model, summary } = await train('iris-test-file', ['--data', iris, '--test', test, '--epochs', '30']);
    expect(summary.data).toMatchObject({ trainRows: 150, testRows: 40, testFrom: 'file', classes: [...SPECIES] });
    expect(summary.results.testAccuracy).toBeGreaterThanOrEqual(0.9);
    // Without --data, eval goes back to that test file.
    const result = await evalJson<EvalResult>(['--model', model]);
    expect(result.data).toBe(`${test} (held-out rows)`);
    expect(result.rows).toBe(40);
    expect(result.accuracy).toBe(summary.results.testAccuracy);
  });

  it('a test file naming a class the training data lacks fails naming the file and the class', async () => {
    const test = writeCsv('test-unknown.csv', [HEADER, '5.0,3.4,1.5,0.2,setosa', '6.0,3.0,4.0,1.0,unknown']);
    const r = await runCli(['train', '--data', iris, '--test', test, '--epochs', '1', '--quiet', '--out', join(root, 'unknown')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(`simdnet: ${test}: class "unknown" is not one of the network's classes ("setosa", "versicolor", "virginica")`);
  });

  it('eval without --data evaluates exactly the held-out rows of the training file', async () => {
    const { model, summary } = await irisTrained();
    const result = await evalJson<EvalResult>(['--model', model]);
    expect(result.data).toBe(`${iris} (held-out rows)`);
    expect(result.rows).toBe(summary.data.testRows);
    expect(result.accuracy).toBe(summary.results.testAccuracy);
    // Stratified: 10 of each class out of 50.
    expect(result.confusionMatrix.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([10, 10, 10]);
  });
});

describe.concurrent('more file formats', () => {
  it('--data accepts the IDX images file or the labels file itself', async () => {
    const dir = mkdtempSync(join(root, 'idx-'));
    const count = 60;
    const pixels = new Uint8Array(count * 16);
    const labels = new Uint8Array(count);
    const random = rng(5);
    for (let i = 0; i < count; i++) {
      labels[i] = i % 2;
      // Class 0 lights the top two rows of the 4×4 picture, class 1 the bottom two.
      for (let p = 0; p < 16; p++) {
        const lit = (p < 8) === (labels[i] === 0);
        pixels[i * 16 + p] = lit ? 200 + Math.floor(random() * 55) : Math.floor(random() * 40);
      }
    }
    writeFileSync(join(dir, 'foo-images-idx3-ubyte'), idxBytes(0x803, [count, 4, 4], pixels));
    writeFileSync(join(dir, 'foo-labels-idx1-ubyte'), idxBytes(0x801, [count], labels));
    for (const file of ['foo-images-idx3-ubyte', 'foo-labels-idx1-ubyte']) {
      const { summary } = await train(`idx-${file}`, ['--data', join(dir, file), '--epochs', '20', '--batch', '8', '--lr', '0.01']);
      expect(summary.data).toMatchObject({ kind: 'images', trainRows: 48, testRows: 12, features: 16, classes: ['0', '1'] });
      expect(summary.results.testAccuracy).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('an MNIST CSV starting with a byte order mark is read as MNIST', async () => {
    const random = rng(6);
    const lines = Array.from({ length: 50 }, (_, i) => {
      const label = i % 10;
      // Each digit lights its own band of 78 pixels.
      const row = Array.from({ length: 784 }, (_, p) => (Math.floor(p / 78) === label ? 180 + Math.floor(random() * 75) : Math.floor(random() * 30)));
      return `${label},${row.join(',')}`;
    });
    const path = join(root, 'mnist-bom.csv');
    writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\n')}\n`)]));
    expect([...readFileSync(path).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { summary } = await train('mnist-bom', ['--data', path, '--epochs', '2', '--layers', '784,16,10']);
    expect(summary.data).toMatchObject({ kind: 'images', features: 784, trainRows: 40, testRows: 10 });
    expect(summary.data.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('predict --input accepts rows that keep the training label column; one value too many is still an error', async () => {
    const { model } = await irisTrained();
    const rows = ['5.01,3.40,1.50,0.20,setosa', '5.90,2.80,4.30,1.30,versicolor', '6.80,3.10,5.90,2.20,virginica'];
    const withHeader = writeCsv('predict-with-label.csv', [HEADER, ...rows]);
    const p = await runCli(['predict', '--model', model, '--input', withHeader]);
    expect(p.code, p.stderr).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines[0]).toBe('class,probability');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([...SPECIES]);
    for (const line of lines.slice(1)) expect(line).toMatch(/^[a-z]+,(0|1)\.\d{4}$/);

    // Without a header the first row, too, is a row to predict.
    const headerless = writeCsv('predict-with-label-no-header.csv', rows);
    const q = await runCli(['predict', '--model', model, '--input', headerless]);
    expect(q.code, q.stderr).toBe(0);
    expect(q.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[0])).toEqual([...SPECIES]);

    const wide = writeCsv('predict-too-wide.csv', [HEADER, rows[0]!, '5.0,3.4,1.5,0.2,setosa,1']);
    const bad = await runCli(['predict', '--model', model, '--input', wide]);
    expect(bad.code).toBe(1);
    expect(oneLine(bad.stderr)).toBe(`simdnet: ${wide}, line 3: expected 4 values (the model's inputs) (or 5 with the label in column 5), found 6`);
  });
});

describe.concurrent('bad label columns', () => {
  const fourColumns = writeCsv('four-columns.csv', ['x1,x2,x3,label', '0.1,0.2,0.3,0', '0.4,0.5,0.6,1', '0.7,0.8,0.9,0']);

  it('--label out of range is a usage error naming --label', async () => {
    const r = await runCli(['train', '--data', fourColumns, '--label', '9', '--epochs', '1', '--quiet', '--out', join(root, 'label9')]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^simdnet: --label 9: /);
  });

  it('a class index of 1000000000 fails at once with the file and line', async () => {
    const lines = ['x1,x2,x3,label'];
    for (let i = 0; i < 20; i++) lines.push(`${i / 20},${(i % 3) / 3},${(i % 5) / 5},${i % 2}`);
    lines.splice(8, 0, '0.5,0.5,0.5,1000000000'); // line 9 of the file
    const path = writeCsv('huge-label.csv', lines);
    const r = await runCli(['train', '--data', path, '--epochs', '1', '--quiet', '--out', join(root, 'huge')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(new RegExp(`^simdnet: ${escape(path)}, line 9\\b.*1000000000`));
  });

  it('a CSV whose rows all have one class is refused, naming the class', async () => {
    const lines = ['x1,x2,x3,species'];
    for (let i = 0; i < 20; i++) lines.push(`${i},${i * 2},${i % 3},setosa`);
    const path = writeCsv('one-class.csv', lines);
    const r = await runCli(['train', '--data', path, '--epochs', '1', '--quiet', '--out', join(root, 'one-class')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(`simdnet: ${path}: every training row has the same class ("setosa"); a classifier needs rows of at least two classes`);
  });
});

/** `text` as a literal inside a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
