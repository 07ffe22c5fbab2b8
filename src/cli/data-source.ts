/**
 * Resolves `--data` into a labelled Dataset: a built-in set (bundled MNIST digits or a seeded
 * toy problem), an MNIST CSV file (the seeds' layout), a tabular CSV file, an IDX file or
 * prefix, or a folder of images with one sub-folder per class. Each file's class names are
 * its own; the problem maps them onto the training classes by name.
 */
import { open, stat } from 'node:fs/promises';
import {
  idxCandidates, idxPairOf, loadBundledMnist, loadCsv, loadIdx, loadIdxPrefix, loadImageFolder, loadMnistCsv,
  makeBlobs, makeCircles, makeMoons, makeSpirals, xor, DataError,
  type IdxDataset, type LabeledDataset, type PixelScaling,
} from '../node.js';
import type { PictureShape } from '../plot/index.js';
import { UsageError } from './errors.js';
import type { DataKind } from './presets.js';

/** What a data source provides. */
export interface Source {
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
}

/** The built-in data set names. */
export const BUILTIN_DATA = ['mnist', 'moons', 'circles', 'blobs', 'spirals', 'xor'] as const;

type Toy = Exclude<(typeof BUILTIN_DATA)[number], 'mnist'>;

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

async function builtIn(name: (typeof BUILTIN_DATA)[number], o: SourceOptions): Promise<Source> {
  if (name === 'mnist') {
    const { train, test } = await loadBundledMnist({ seed: o.seed, scaling: o.scaling ?? 'unit', targets: 'index' });
    return { spec: name, kind: 'images', classNames: digitNames(), labelColumn: 0, picture: MNIST_PICTURE, scaling: o.scaling ?? 'unit', train, test };
  }
  const toy = TOYS[name];
  const n = o.samples ?? toy.samples;
  const noise = o.noise ?? toy.noise;
  const train = toy.make(n, noise, o.seed);
  const test = toy.make(n, noise, o.seed + TEST_SEED_OFFSET);
  return { spec: name, kind: 'points', classNames: ['0', '1'], train, test };
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
    return { spec: path, kind: 'images', classNames: digitNames(), labelColumn: 0, picture: MNIST_PICTURE, scaling: o.scaling ?? 'unit', train: d };
  }
  const d = await tableCsv(path, o.label);
  if (!d.labels) throw new DataError(`the label column ${JSON.stringify(d.labelName)} holds numbers that are not class indices; simdnet train classifies`, { file: path });
  return { spec: path, kind: 'table', classNames: d.classNames ?? numericNames(d.labels), labelColumn: d.labelColumn, train: { ...d, labels: d.labels } };
}

/** A tabular CSV with index targets; a label column that does not exist is a usage error. */
async function tableCsv(path: string, label: string | number | undefined) {
  try {
    return await loadCsv(path, { targets: 'index', ...(label !== undefined ? { label } : {}) });
  } catch (error) {
    // loadCsv's RangeError/TypeError are about its options, here only --label.
    if (error instanceof RangeError || error instanceof TypeError) throw new UsageError(`--label ${String(label)}: ${error.message.replace(/^loadCsv: /, '')}`);
    throw error;
  }
}

async function folderSource(path: string, o: SourceOptions): Promise<Source> {
  const size = o.imageSize ?? 64;
  const d = await loadImageFolder(path, size, { channels: 3, targets: 'index' });
  return {
    spec: path, kind: 'images', classNames: d.classes,
    picture: { width: d.width, height: d.height, channels: d.channels }, scaling: 'unit', train: d,
  };
}

function idxSource(spec: string, d: IdxDataset, o: SourceOptions): Source {
  return {
    spec, kind: 'images', classNames: numericNames(d.labels), picture: { width: d.width, height: d.height, channels: 1 },
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
