/**
 * Resolves `--data` into samples: a built-in set (bundled MNIST digits or a seeded toy
 * problem), an MNIST CSV file (the seeds' layout), a tabular CSV file, an IDX prefix or a
 * folder of images with one sub-folder per class.
 */
import { open, stat } from 'node:fs/promises';
import {
  classIndices, idxCandidates, loadBundledMnist, loadCsv, loadIdxPrefix, loadImageFolder, loadMnistCsv,
  makeBlobs, makeCircles, makeMoons, makeSpirals, selectRows, xor, DataError,
  type Dataset, type PixelScaling,
} from '../node.js';
import type { PictureShape } from '../plot/index.js';
import { UsageError } from './errors.js';
import type { DataKind } from './presets.js';

/** Samples with class labels, row-major. */
export interface Samples {
  x: Float32Array;
  rows: number;
  features: number;
  labels: Int32Array;
}

/** What a data source provides. */
export interface Source {
  /** As the user wrote it. */
  spec: string;
  kind: DataKind;
  /** Class names in class-index order. */
  classNames: string[];
  /** Present when every sample is a picture. */
  picture?: PictureShape;
  /** How the pictures' 0–255 pixels were scaled. */
  scaling?: PixelScaling;
  /** The training part (or every row, for a file). */
  train: Samples;
  /** The built-in held-out part, when the source has one. */
  test?: Samples;
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
const TOYS: Record<Toy, { samples: number; noise: number; make: (n: number, noise: number, seed: number) => Dataset }> = {
  moons: { samples: 1000, noise: 0.2, make: (n, noise, seed) => makeMoons(n, noise, seed, { shuffle: true }) },
  circles: { samples: 1000, noise: 0.1, make: (n, noise, seed) => makeCircles(n, 0.5, noise, seed, { shuffle: true }) },
  blobs: { samples: 400, noise: 0.8, make: (n, noise, seed) => makeBlobs(n, [[-2, -2], [2, 2]], noise, seed, { shuffle: true }) },
  spirals: { samples: 1000, noise: 0.05, make: (n, noise, seed) => makeSpirals(n, noise, seed, { shuffle: true }) },
  xor: { samples: 400, noise: 0.1, make: (n, noise, seed) => xor(n, noise, seed, { shuffle: true }) },
};

/** Offset between the seeds of a toy set's training and test draws. */
const TEST_SEED_OFFSET = 7919;

/** Turn a loader's dataset into labelled samples. */
export function toSamples(d: Dataset): Samples {
  return { x: d.x, rows: d.rows, features: d.features, labels: classIndices(d) };
}

/** The rows of `s` listed in `indices`. */
export function pickRows(s: Samples, indices: ArrayLike<number>): Samples {
  return toSamples(selectRows({ x: s.x, y: new Float32Array(s.rows), rows: s.rows, features: s.features, outputs: 1, labels: s.labels }, indices));
}

const MNIST_PICTURE: PictureShape = { width: 28, height: 28, channels: 1 };

function digitNames(): string[] {
  return Array.from({ length: 10 }, (_, i) => String(i));
}

function numericNames(labels: Int32Array): string[] {
  let max = 0;
  for (const l of labels) max = Math.max(max, l);
  return Array.from({ length: max + 1 }, (_, i) => String(i));
}

async function builtIn(name: (typeof BUILTIN_DATA)[number], o: SourceOptions): Promise<Source> {
  if (name === 'mnist') {
    const { train, test } = await loadBundledMnist({ seed: o.seed, scaling: o.scaling ?? 'unit', targets: 'index' });
    return { spec: name, kind: 'images', classNames: digitNames(), picture: MNIST_PICTURE, scaling: o.scaling ?? 'unit', train: toSamples(train), test: toSamples(test) };
  }
  const toy = TOYS[name];
  const n = o.samples ?? toy.samples;
  const noise = o.noise ?? toy.noise;
  const train = toSamples(toy.make(n, noise, o.seed));
  const test = toSamples(toy.make(n, noise, o.seed + TEST_SEED_OFFSET));
  return { spec: name, kind: 'points', classNames: ['0', '1'], train, test };
}

/** The first line of a text file (up to 64 KiB). */
async function firstLine(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(65536);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
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
    return { spec: path, kind: 'images', classNames: digitNames(), picture: MNIST_PICTURE, scaling: o.scaling ?? 'unit', train: toSamples(d) };
  }
  const header = line.split(',').some((f) => f.trim() !== '' && !Number.isFinite(Number(f)));
  const d = await loadCsv(path, { header, targets: 'index', ...(o.label !== undefined ? { label: o.label } : {}) });
  const samples = toSamples(d);
  const classNames = d.classNames ?? numericNames(samples.labels);
  return { spec: path, kind: 'table', classNames, train: samples };
}

async function folderSource(path: string, o: SourceOptions): Promise<Source> {
  const size = o.imageSize ?? 64;
  const d = await loadImageFolder(path, size, { channels: 3, targets: 'index' });
  return {
    spec: path, kind: 'images', classNames: d.classes,
    picture: { width: d.width, height: d.height, channels: d.channels }, scaling: 'unit', train: toSamples(d),
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
  if (found === 'file') return csvSource(spec, options);
  const { images, labels } = idxCandidates(spec);
  const idx = await Promise.all([...images, ...labels].map(exists));
  if (idx.some((e) => e === 'file')) {
    const d = await loadIdxPrefix(spec, { scaling: options.scaling ?? 'unit', targets: 'index' });
    return { spec, kind: 'images', classNames: numericNames(classIndices(d)), picture: { width: d.width, height: d.height, channels: 1 }, scaling: options.scaling ?? 'unit', train: toSamples(d) };
  }
  if (!/[./\\]/.test(spec)) {
    throw new UsageError(`unknown data set '${spec}'; expected ${BUILTIN_DATA.join(', ')}, a CSV file, an IDX prefix or an image folder`);
  }
  throw new DataError('file not found (expected a CSV file, an image folder or an IDX prefix)', { file: spec });
}
