/**
 * Resolves `--data` into a Dataset. For classification: a built-in set (bundled MNIST digits
 * or a seeded toy problem), an MNIST CSV file (the seeds' layout), a tabular CSV file, an IDX
 * file or prefix, or a folder of images with one sub-folder per class; each file's class names
 * are its own and the problem maps them onto the training classes by name. For regression: the
 * built-in sine, or a tabular CSV file with numeric target columns.
 */
import { open, stat } from 'node:fs/promises';
import {
  idxCandidates, idxPairOf, loadBundledMnist, loadCsv, loadIdx, loadIdxPrefix, loadImageFolder, loadMnistCsv,
  makeBlobs, makeCircles, makeMoons, makeSine, makeSpirals, xor, DataError,
  type Dataset, type IdxDataset, type LabeledDataset, type PixelScaling,
} from '../node.js';
import type { PictureShape } from '../plot/index.js';
import { UsageError } from './errors.js';
import type { DataKind } from './presets.js';

/** What a classification data source provides. */
export interface Source {
  task: 'classification';
  /** As the user wrote it. */
  spec: string;
  kind: DataKind;
  /** Class names in class-index order: the file's own names, or the indices as text. */
  classNames: readonly string[];
  /** The 0-based label column of the source's CSV layout (0 for MNIST), so prediction files may keep it. */
  labelColumn?: number;
  /** Present when every sample is a picture. */
  picture?: PictureShape;
  /** How the pictures' 0–255 pixels were scaled. */
  scaling?: PixelScaling;
  /** The training part (or every row, for a file); index targets, labels always present. */
  train: LabeledDataset;
  /** The built-in held-out part, when the source has one. */
  test?: LabeledDataset;
}

/** What a regression data source provides. */
export interface RegressionSource {
  task: 'regression';
  /** As the user wrote it. */
  spec: string;
  kind: DataKind;
  /** Names of the targets, in output order. */
  targetNames: readonly string[];
  /** 0-based positions of the target columns in the source's CSV layout, so prediction files may keep them. */
  targetColumns?: readonly number[];
  /** Names of the inputs, in column order. */
  featureNames: readonly string[];
  /** The training part (or every row, for a file): real-valued targets, no labels. */
  train: Dataset;
  /** The built-in held-out part, when the source has one. */
  test?: Dataset;
}

/** Options that change how a source is loaded. */
export interface SourceOptions {
  seed: number;
  /** Rows to generate (toy sets). */
  samples?: number;
  /** Noise (toy sets). */
  noise?: number;
  /** Pixel scaling (MNIST sources). */
  scaling?: PixelScaling;
  /** Width and height pictures are resized to (image folders). */
  imageSize?: number;
  /** Label column of a tabular CSV: name or 0-based index. */
  label?: string | number;
  /** Target columns of a tabular CSV for regression: names or 0-based indices (default: the last column). */
  target?: readonly (string | number)[];
}

/** The built-in data set names. */
export const BUILTIN_DATA = ['mnist', 'moons', 'circles', 'blobs', 'spirals', 'xor', 'sine'] as const;

/** The built-in sets whose targets are real values. */
export const REGRESSION_DATA: readonly string[] = ['sine'];

type Toy = Exclude<(typeof BUILTIN_DATA)[number], 'mnist' | 'sine'>;

/** Default size and noise of each toy set. */
const TOYS: Record<Toy, { samples: number; noise: number; make: (n: number, noise: number, seed: number) => LabeledDataset }> = {
  moons: { samples: 1000, noise: 0.2, make: (n, noise, seed) => makeMoons(n, noise, seed, { shuffle: true }) },
  circles: { samples: 1000, noise: 0.1, make: (n, noise, seed) => makeCircles(n, 0.5, noise, seed, { shuffle: true }) },
  blobs: { samples: 400, noise: 0.8, make: (n, noise, seed) => makeBlobs(n, [[-2, -2], [2, 2]], noise, seed, { shuffle: true }) },
  spirals: { samples: 1000, noise: 0.05, make: (n, noise, seed) => makeSpirals(n, noise, seed, { shuffle: true }) },
  xor: { samples: 400, noise: 0.1, make: (n, noise, seed) => xor(n, noise, seed, { shuffle: true }) },
};

/** Offset between the seeds of a toy set's training and test draws. */
const TEST_SEED_OFFSET = 7919;

const MNIST_PICTURE: PictureShape = { width: 28, height: 28, channels: 1 };

function digitNames(): string[] {
  return Array.from({ length: 10 }, (_, i) => String(i));
}

/** Names of class indices 0 … max(labels): the loaders bound a class index, so this stays small. */
function numericNames(labels: Int32Array): string[] {
  let max = 0;
  for (const l of labels) if (l > max) max = l;
  return Array.from({ length: max + 1 }, (_, i) => String(i));
}

/** Default size and noise of the built-in sine (y = sin x + N(0, noise²), x uniform on [−π, π]). */
const SINE = { samples: 1000, noise: 0.1 };

async function builtIn(name: (typeof BUILTIN_DATA)[number], o: SourceOptions): Promise<Source> {
  if (name === 'mnist') {
    const { train, test } = await loadBundledMnist({ seed: o.seed, scaling: o.scaling ?? 'unit', targets: 'index' });
    return { task: 'classification', spec: name, kind: 'images', classNames: digitNames(), labelColumn: 0, picture: MNIST_PICTURE, scaling: o.scaling ?? 'unit', train, test };
  }
  if (name === 'sine') throw new UsageError('sine is a regression data set (real-valued targets, no classes)');
  const toy = TOYS[name];
  const n = o.samples ?? toy.samples;
  const noise = o.noise ?? toy.noise;
  const train = toy.make(n, noise, o.seed);
  const test = toy.make(n, noise, o.seed + TEST_SEED_OFFSET);
  return { task: 'classification', spec: name, kind: 'points', classNames: ['0', '1'], train, test };
}

/** The first line of a text file (up to 64 KiB). */
async function firstLine(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(65536);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    // A byte order mark is not part of the first field.
    const text = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
    const end = text.search(/\r?\n/);
    return end < 0 ? text : text.slice(0, end);
  } finally {
    await handle.close();
  }
}

/** Is this CSV the seeds' MNIST layout (label then 784 pixels, optionally a header)? */
function looksLikeMnistCsv(line: string): { header: boolean } | undefined {
  const fields = line.split(',');
  if (fields.length !== 785) return undefined;
  const numeric = fields.every((f) => f.trim() !== '' && Number.isFinite(Number(f)));
  if (numeric) return { header: false };
  return /label/i.test(fields[0]!) ? { header: true } : undefined;
}

async function csvSource(path: string, o: SourceOptions): Promise<Source> {
  const line = await firstLine(path);
  const mnist = looksLikeMnistCsv(line);
  if (mnist) {
    const d = await loadMnistCsv(path, { scaling: o.scaling ?? 'unit', targets: 'index', header: mnist.header });
    return { task: 'classification', spec: path, kind: 'images', classNames: digitNames(), labelColumn: 0, picture: MNIST_PICTURE, scaling: o.scaling ?? 'unit', train: d };
  }
  const d = await tableCsv(path, o.label);
  if (!d.labels) throw new DataError(`the label column ${JSON.stringify(d.labelName)} holds numbers that are not class indices; to learn this column as a number, train a regression with --target`, { file: path });
  return { task: 'classification', spec: path, kind: 'table', classNames: d.classNames ?? numericNames(d.labels), labelColumn: d.labelColumn, train: { ...d, labels: d.labels } };
}

/**
 * A tabular CSV with index targets; a label column that does not exist is a usage error, and a
 * label that is a number but no class index points to `--target`.
 */
async function tableCsv(path: string, label: string | number | undefined) {
  try {
    return await loadCsv(path, { targets: 'index', ...(label !== undefined ? { label } : {}) });
  } catch (error) {
    // loadCsv's RangeError/TypeError are about its options, here only --label.
    if (error instanceof RangeError || error instanceof TypeError) throw new UsageError(`--label ${String(label)}: ${error.message.replace(/^loadCsv: /, '')}`);
    if (error instanceof DataError && /^expected a class index/.test(error.detail)) {
      // The loader's wording names its option ('targets'); on the command line the hint is --target.
      const detail = error.detail.replace(/ for targets '[\w-]+'/, '');
      throw new DataError(`${detail}; to learn this column as a number, train a regression with --target`, {
        file: error.file, ...(error.line !== undefined ? { line: error.line } : {}), ...(error.column !== undefined ? { column: error.column } : {}), cause: error,
      });
    }
    throw error;
  }
}

/**
 * A tabular CSV with numeric target columns. As with `--label`, an index outside the columns
 * (or a name in a file without a header) is a usage error; a name the header lacks is the
 * file's problem and names the file.
 */
async function targetCsv(path: string, target: readonly (string | number)[] | undefined): Promise<RegressionSource> {
  const columns = target ?? [-1];
  let d;
  try {
    d = await loadCsv(path, { target: columns });
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) throw new UsageError(`--target ${columns.join(',')}: ${error.message.replace(/^loadCsv: /, '')}`);
    throw error;
  }
  return { task: 'regression', spec: path, kind: 'table', targetNames: d.targetNames, targetColumns: d.targetColumns, featureNames: d.featureNames, train: d };
}

async function folderSource(path: string, o: SourceOptions): Promise<Source> {
  const size = o.imageSize ?? 64;
  const d = await loadImageFolder(path, size, { channels: 3, targets: 'index' });
  return {
    task: 'classification', spec: path, kind: 'images', classNames: d.classes,
    picture: { width: d.width, height: d.height, channels: d.channels }, scaling: 'unit', train: d,
  };
}

function idxSource(spec: string, d: IdxDataset, o: SourceOptions): Source {
  return {
    task: 'classification', spec, kind: 'images', classNames: numericNames(d.labels), picture: { width: d.width, height: d.height, channels: 1 },
    scaling: o.scaling ?? 'unit', train: d,
  };
}

async function exists(path: string): Promise<'file' | 'dir' | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}

/**
 * Load a data source. Unknown bare names are usage errors; missing or malformed files are
 * {@link DataError}s that name the file and the place.
 */
export async function loadSource(spec: string, options: SourceOptions): Promise<Source> {
  if ((BUILTIN_DATA as readonly string[]).includes(spec)) return builtIn(spec as (typeof BUILTIN_DATA)[number], options);
  const found = await exists(spec);
  if (found === 'dir') return folderSource(spec, options);
  const idxOptions = { scaling: options.scaling ?? 'unit', targets: 'index' } as const;
  if (found === 'file') {
    const pair = await idxPairOf(spec);
    return pair ? idxSource(spec, await loadIdx(pair.images, pair.labels, idxOptions), options) : csvSource(spec, options);
  }
  const { images, labels } = idxCandidates(spec);
  const idx = await Promise.all([...images, ...labels].map(exists));
  if (idx.some((e) => e === 'file')) return idxSource(spec, await loadIdxPrefix(spec, idxOptions), options);
  if (!/[./\\]/.test(spec)) {
    throw new UsageError(`unknown data set '${spec}'; expected ${BUILTIN_DATA.join(', ')}, a CSV file, an IDX prefix or an image folder`);
  }
  throw new DataError('file not found (expected a CSV file, an image folder or an IDX prefix)', { file: spec });
}

/**
 * Load a regression source: the built-in sine (a training and a test draw with different
 * seeds, as for the toy sets), or a CSV file whose `target` columns (default: the last) are
 * the targets and whose other columns are the features.
 */
export async function loadRegressionSource(spec: string, options: SourceOptions): Promise<RegressionSource> {
  if (spec === 'sine') {
    const n = options.samples ?? SINE.samples;
    const noise = options.noise ?? SINE.noise;
    return {
      task: 'regression', spec, kind: 'points', targetNames: ['y'], featureNames: ['x'],
      train: makeSine(n, noise, options.seed), test: makeSine(n, noise, options.seed + TEST_SEED_OFFSET),
    };
  }
  if ((BUILTIN_DATA as readonly string[]).includes(spec)) {
    throw new UsageError(`--data ${spec} is a classification data set; regression needs --data sine or a CSV file with --target`);
  }
  const found = await exists(spec);
  if (found === 'file') return targetCsv(spec, options.target);
  if (found === 'dir') throw new UsageError(`--data ${spec}: an image folder holds classes; regression needs a CSV file with --target`);
  if (!/[./\\]/.test(spec)) {
    throw new UsageError(`unknown data set '${spec}'; for regression expected sine or a CSV file`);
  }
  throw new DataError('file not found (expected a CSV file)', { file: spec });
}
