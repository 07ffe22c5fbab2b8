/**
 * From a data source to what training needs: a training and a test part, the class list, and
 * the input transform that must be repeated at prediction time (pixel scaling or the
 * standardization fitted on the training rows).
 */
import { DataError, fitStandardizer, scalePixel, stratifiedIndices, type PixelScaling } from '../node.js';
import { loadSource, pickRows, type Samples, type Source, type SourceOptions } from './data-source.js';

/** How raw values (pixels 0–255, CSV columns) become network inputs. */
export type InputTransform =
  | { kind: 'identity' }
  | { kind: 'pixels'; scaling: PixelScaling }
  | { kind: 'standardize'; mean: number[]; std: number[] };

/** A classification problem ready to train on. */
export interface Problem {
  source: Source;
  train: Samples;
  test: Samples;
  /** Where the test rows came from. */
  testFrom: 'built-in' | 'file' | 'split';
  classes: number;
  transform: InputTransform;
}

/** Options for {@link prepareProblem}. */
export interface ProblemOptions extends SourceOptions {
  data: string;
  test?: string;
  /** Keep at most this many training rows. */
  trainSize?: number;
}

/** Fraction of a file's rows held out when no test set is given. */
const TEST_FRACTION = 0.2;

function checkSameWidth(train: Samples, test: Samples, testSpec: string): void {
  if (test.features !== train.features) {
    throw new DataError(`has ${test.features} features per row, the training data has ${train.features}`, { file: testSpec });
  }
}

/** Split `s` by class proportion into [first, second] with `second` rows in the second part. */
function stratifiedSplit(s: Samples, second: number, seed: number): [Samples, Samples] {
  const [a, b] = stratifiedIndices(s.labels, [s.rows - second, second], seed);
  return [pickRows(s, a!), pickRows(s, b!)];
}

/** Apply an input transform to raw rows of `features` values (returns a new array). */
export function applyTransform(t: InputTransform, raw: Float32Array, features: number): Float32Array {
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i]!;
    if (t.kind === 'pixels') out[i] = scalePixel(v, t.scaling);
    else if (t.kind === 'standardize') out[i] = (v - t.mean[i % features]!) / t.std[i % features]!;
    else out[i] = v;
  }
  return out;
}

/** Load the data and hold out the test rows. */
export async function prepareProblem(o: ProblemOptions): Promise<Problem> {
  const source = await loadSource(o.data, o);
  let train = source.train;
  let test: Samples;
  let testFrom: Problem['testFrom'];
  if (o.test !== undefined) {
    test = (await loadSource(o.test, o)).train;
    checkSameWidth(train, test, o.test);
    testFrom = 'file';
  } else if (source.test) {
    test = source.test;
    testFrom = 'built-in';
  } else {
    if (train.rows < 5) throw new DataError(`has only ${train.rows} rows; need at least 5 to hold out a test set`, { file: o.data });
    [train, test] = stratifiedSplit(train, Math.max(1, Math.round(train.rows * TEST_FRACTION)), o.seed);
    testFrom = 'split';
  }
  if (o.trainSize !== undefined && o.trainSize < train.rows) {
    [, train] = stratifiedSplit(train, o.trainSize, o.seed);
  }
  const classes = source.classNames.length;
  for (const part of [train, test]) {
    const bad = part.labels.findIndex((l) => l < 0 || l >= classes);
    if (bad >= 0) throw new DataError(`label ${part.labels[bad]} at row ${bad} is outside the ${classes} classes`, { file: o.data });
  }
  let transform: InputTransform;
  if (source.kind === 'table') {
    const s = fitStandardizer(train.x, train.features);
    transform = { kind: 'standardize', mean: Array.from(s.mean), std: Array.from(s.std) };
    train = { ...train, x: s.transform(train.x) };
    test = { ...test, x: s.transform(test.x) };
  } else if (source.kind === 'images') {
    transform = { kind: 'pixels', scaling: source.scaling ?? 'unit' };
  } else {
    transform = { kind: 'identity' };
  }
  return { source, train, test, testFrom, classes, transform };
}
