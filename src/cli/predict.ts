/**
 * `simdnet predict`: classes and probabilities for the rows of a CSV file, or for one picture
 * (the seeds' "predict a picture"); for a regression model, the predicted targets of each row
 * in their own units. Inputs are raw values (pixels 0–255, CSV columns as in the training
 * file); the model's stored transform scales them as in training.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../io/file.js';
import { Option, type Command } from 'commander';
import { DataError, loadImage, scalePixel } from '../node.js';
import { ioError } from '../data/errors.js';
import { UsageError } from './errors.js';
import { argmax } from '../util/argmax.js';
import { formatValue } from './format.js';
import { loadCliModel, taskOf, type LoadedModel, type ModelMetadata } from './model-file.js';
import { applyTransform } from './problem.js';
import { predictInUnits } from './regression.js';

interface PredictOptions {
  model: string;
  input?: string;
  image?: string;
  output?: string;
  backend: 'wasm' | 'js';
  verbose?: boolean;
}

/** One prediction. */
export interface Prediction {
  /** Class name. */
  label: string;
  /** Probability the model gives that class. */
  probability: number;
}

/**
 * Columns of the training file that prediction rows may still hold (the label, or the
 * regression targets), dropped by position when a row has exactly that many values more than
 * the model's inputs.
 */
export interface KeptColumns {
  /** 0-based positions in the training file. */
  positions: readonly number[];
  /** How errors name them: `the label in column 5`. */
  name: string;
}

/** The label or target columns of the model's training file, if known. */
export function keptColumns(meta: ModelMetadata): KeptColumns | undefined {
  const { labelColumn, targetColumns } = meta.data;
  if (targetColumns !== undefined && targetColumns.length > 0) {
    const names = (meta.targets ?? []).map((t) => JSON.stringify(t)).join(', ');
    const one = targetColumns.length === 1;
    return { positions: targetColumns, name: `the target${one ? '' : 's'} ${names} in column${one ? '' : 's'} ${targetColumns.map((c) => c + 1).join(', ')}` };
  }
  return labelColumn === undefined ? undefined : { positions: [labelColumn], name: `the label in column ${labelColumn + 1}` };
}

/**
 * Parse a numeric CSV (an optional header line, then rows of exactly `width` numbers, or
 * `width` plus the `kept` columns, which are dropped); problems name the file and line.
 */
export async function readFeatureCsv(path: string, width: number, kept?: KeptColumns): Promise<Float32Array> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw ioError(path, error);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const values: number[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const fields = line.split(',');
    // Checked as the float32 each becomes: 1e39 is finite as a double, Infinity as a float32.
    const numbers = fields.map((f) => (f.trim() === '' ? NaN : Math.fround(Number(f))));
    const skip = kept !== undefined && fields.length === width + kept.positions.length ? new Set(kept.positions) : undefined;
    const used = (c: number) => skip === undefined || !skip.has(c);
    // A header names the features; text only in a kept label column ("…,setosa") is a row.
    if (i === 0 && fields.some((f, c) => used(c) && Number.isNaN(numbers[c]) && /[a-z_]/i.test(f))) return;
    if (fields.length - (skip?.size ?? 0) !== width) {
      const withKept = kept !== undefined ? ` (or ${width + kept.positions.length} with ${kept.name})` : '';
      throw new DataError(`expected ${width} values (the model's inputs)${withKept}, found ${fields.length}`, { file: path, line: i + 1 });
    }
    const bad = numbers.findIndex((n, c) => used(c) && !Number.isFinite(n));
    if (bad >= 0) throw new DataError(`expected a number, found ${JSON.stringify(fields[bad])}`, { file: path, line: i + 1, column: bad + 1 });
    numbers.forEach((n, c) => {
      if (used(c)) values.push(n);
    });
  });
  if (values.length === 0) throw new DataError('no rows to predict', { file: path });
  return Float32Array.from(values);
}

/** Class and probability for every row of model outputs. */
export function predictionsOf(outputs: Float32Array, k: number, classes: readonly string[]): Prediction[] {
  const rows = outputs.length / k;
  return Array.from({ length: rows }, (_, r) => {
    if (k === 1) {
      const p = outputs[r]!;
      return p >= 0.5 ? { label: classes[1] ?? '1', probability: p } : { label: classes[0] ?? '0', probability: 1 - p };
    }
    const best = argmax(outputs, r * k, k);
    return { label: classes[best] ?? String(best), probability: outputs[r * k + best]! };
  });
}

/** A picture as model inputs: resized to the training size, scaled like the training pixels. */
export async function pictureFeatures(m: LoadedModel, path: string): Promise<Float32Array> {
  const picture = m.meta.picture;
  if (!picture) throw new UsageError(`--image: the model was not trained on pictures (its data: ${m.meta.data.spec}); use --input`);
  const pixels = await loadImage(path, [picture.width, picture.height], { channels: picture.channels === 1 ? 1 : 3 });
  // MNIST digits are light ink on a dark background; a photo of a digit is usually the reverse.
  if (picture.channels === 1 && m.meta.classes.length === 10) {
    const mean = pixels.reduce((s, v) => s + v, 0) / pixels.length;
    if (mean > 0.5) for (let i = 0; i < pixels.length; i++) pixels[i] = 1 - pixels[i]!;
  }
  const t = m.meta.transform;
  return t.kind === 'pixels' ? pixels.map((v) => scalePixel(v * 255, t.scaling)) : pixels;
}

/** A CSV field: quoted when it holds a comma, a quote or a line break. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Regression predictions as CSV: the target names as header, then one row per input row,
 * each value in the targets' units to 7 significant digits (what a float32 holds).
 */
export function regressionCsv(values: ArrayLike<number>, targets: readonly string[]): string {
  const k = targets.length;
  const rows = Array.from({ length: values.length / k }, (_, r) => Array.from({ length: k }, (_, c) => formatValue(values[r * k + c]!, 7)).join(','));
  return `${targets.map(csvField).join(',')}\n${rows.join('\n')}\n`;
}

/** Register the `predict` command. */
export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('predict the class of each row of a CSV file, or of one picture; a regression model predicts its targets')
    .requiredOption('--model <file>', 'model file written by `simdnet train`')
    .option('--input <csv>', "rows of raw feature values (pixels 0–255 for image models), one sample per line, optional header")
    .option('--image <file>', 'a PNG or JPEG picture, resized to the size the model was trained on')
    .option('--output <file>', 'write the predictions (CSV: class,probability, or the target names) to a file instead of stdout')
    .addOption(new Option('--backend <name>', 'kernels').choices(['wasm', 'js']).default('wasm'))
    .option('--verbose', 'show stack traces on errors')
    .action(async (options: PredictOptions) => {
      if ((options.input === undefined) === (options.image === undefined)) {
        throw new UsageError('predict needs exactly one of --input <csv> or --image <file>');
      }
      const model = await loadCliModel(options.model, options.backend);
      const inputs = model.network.inputs;
      let x: Float32Array;
      if (options.image !== undefined) {
        x = await pictureFeatures(model, options.image);
      } else {
        const raw = await readFeatureCsv(options.input!, inputs, keptColumns(model.meta));
        x = model.meta.transform.kind === 'identity' ? raw : applyTransform(model.meta.transform, raw, inputs);
      }
      const rows = x.length / inputs;
      let text: string;
      if (taskOf(model.meta) === 'regression') {
        const values = predictInUnits(model.network, x, model.meta.targetTransform ?? { kind: 'identity' });
        text = regressionCsv(values, model.meta.targets ?? []);
      } else {
        const outputs = model.network.predict({ data: x, rows, cols: inputs });
        const predictions = predictionsOf(outputs, model.network.outputs, model.meta.classes);
        text = `class,probability\n${predictions.map((p) => `${p.label},${p.probability.toFixed(4)}`).join('\n')}\n`;
      }
      if (options.output !== undefined) {
        await writeFileAtomic(options.output, text);
        process.stderr.write(`wrote ${rows} predictions to ${options.output}\n`);
      } else {
        process.stdout.write(text);
      }
    });
}
