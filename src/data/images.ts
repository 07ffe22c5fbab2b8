/**
 * Pictures as feature vectors: PNG (pngjs) and JPEG (jpeg-js) decoding, resizing, and
 * flattening channels-last exactly like numpy's `reshape` of an H×W×C array, scaled to [0, 1].
 */
import { markFinite } from './checked.js';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { type Dataset, type LabeledDataset, type TargetFormat, targetsFromLabels } from './dataset.js';
import { DataError, ioError, quoteBytes } from './errors.js';
import { type ResizeMethod, resizeImage } from './resize.js';

/** Output size: one number for a square, or [width, height]. */
export type ImageSize = number | readonly [width: number, height: number];

/** Options for {@link loadImage} and {@link loadImageFolder}. */
export interface ImageOptions {
  /** 3 for RGB (default), 1 for grey (luma 0.299 R + 0.587 G + 0.114 B). */
  channels?: 1 | 3;
  /** Default `'area'`, which averages every source pixel under an output pixel (best for shrinking). */
  resize?: ResizeMethod;
}

/** Decoded 8-bit RGBA pixels. */
export interface RgbaImage {
  width: number;
  height: number;
  /** width×height×4 bytes, row by row. */
  data: Uint8Array;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Decode PNG or JPEG bytes (chosen by their signature, not the file name) to RGBA. `file` is
 * used in error messages. Alpha is kept as decoded; later steps ignore it.
 */
export function decodeImage(bytes: Uint8Array, file: string): RgbaImage {
  if (bytes.length === 0) throw new DataError('expected a PNG or JPEG image, found an empty file', { file, offset: 0 });
  const isPng = PNG_SIGNATURE.every((b, i) => bytes[i] === b);
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!isPng && !isJpeg) {
    throw new DataError(`expected a PNG or JPEG image, found bytes ${quoteBytes(bytes, 8)}`, { file, offset: 0 });
  }
  try {
    if (isPng) {
      const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { width: image.width, height: image.height, data: image.data };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataError(`cannot decode the ${isPng ? 'PNG' : 'JPEG'} image (${reason})`, { file, cause: error });
  }
}

function resolveSize(size: ImageSize): [number, number] {
  const [w, h] = typeof size === 'number' ? [size, size] : size;
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 1 || h < 1) throw new RangeError(`image size must be positive integers, got ${String(size)}`);
  return [w, h];
}

/**
 * Turn decoded RGBA into a flat channels-last vector of outHeight×outWidth×channels values in
 * [0, 1] — the order numpy's `reshape` gives an H×W×C array.
 */
export function imageToFeatures(image: RgbaImage, size: ImageSize, options: ImageOptions = {}): Float32Array {
  const [outWidth, outHeight] = resolveSize(size);
  const channels = options.channels ?? 3;
  if (channels !== 1 && channels !== 3) throw new RangeError(`image channels must be 1 or 3, got ${String(channels)}`);
  const { width, height, data } = image;
  const plain = new Float32Array(width * height * channels);
  for (let p = 0; p < width * height; p++) {
    const r = data[4 * p]!;
    const g = data[4 * p + 1]!;
    const b = data[4 * p + 2]!;
    if (channels === 3) {
      plain[3 * p] = r;
      plain[3 * p + 1] = g;
      plain[3 * p + 2] = b;
    } else {
      plain[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    }
  }
  const sized = width === outWidth && height === outHeight ? plain : resizeImage(plain, width, height, channels, outWidth, outHeight, options.resize ?? 'area');
  for (let i = 0; i < sized.length; i++) sized[i] = Math.min(1, Math.max(0, sized[i]! / 255));
  return sized;
}

/**
 * Load one picture for prediction: decode, resize to `size`, flatten channels-last and scale
 * to [0, 1]. A 64×64 RGB picture gives the seeds' 12,288 values.
 */
export async function loadImage(path: string, size: ImageSize, options: ImageOptions = {}): Promise<Float32Array> {
  return imageToFeatures(decodeImage(await readBytes(path), path), size, options);
}

/** Options for {@link loadImageFolder}. */
export interface ImageFolderOptions extends ImageOptions {
  /**
   * Class folders in class-index order (default: every sub-folder, sorted by name). Use it to
   * choose which class is 1 in binary problems, e.g. `['non-cat', 'cat']`.
   */
  classes?: readonly string[];
  /** Default: `'index'` for two classes (a 0/1 column), `'one-hot'` for more. */
  targets?: TargetFormat;
}

/** Images with their class names and source files. */
export interface ImageDataset extends LabeledDataset {
  /** The class folders in class-index order, as on every {@link Dataset} with named classes. */
  classNames: readonly string[];
  /** Class names; class i is `classes[i]` (the same list as `classNames`, kept for existing callers). */
  classes: string[];
  /** The file of each row. */
  files: string[];
  /** Image width and height after resizing, and channels per pixel. */
  width: number;
  height: number;
  channels: number;
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

/**
 * Load a folder laid out one sub-folder per class (`data/cat/*.png`, `data/non-cat/*.jpg`).
 * Files ending in .png, .jpg or .jpeg (any case) are read in name order, class by class; other
 * files are ignored. Each image is resized to `size`, flattened channels-last and scaled to
 * [0, 1]. An empty class folder or an undecodable image throws a {@link DataError}.
 */
export async function loadImageFolder(dir: string, size: ImageSize, options: ImageFolderOptions = {}): Promise<ImageDataset> {
  const [width, height] = resolveSize(size);
  const channels = options.channels ?? 3;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw ioError(dir, error);
  }
  const folders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort(byCodePoint);
  const classes = options.classes ? [...options.classes] : folders;
  if (classes.length === 0) throw new DataError('expected one sub-folder per class, found none', { file: dir });
  for (const name of classes) {
    if (!folders.includes(name)) throw new DataError(`expected a class folder ${JSON.stringify(name)}, found ${folders.map((f) => JSON.stringify(f)).join(', ') || 'no folders'}`, { file: dir });
  }
  const files: string[] = [];
  const labelList: number[] = [];
  for (const [index, name] of classes.entries()) {
    const folder = join(dir, name);
    const names = (await readdir(folder, { withFileTypes: true }))
      .filter((e) => e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()))
      .map((e) => e.name)
      .sort(byCodePoint);
    if (names.length === 0) throw new DataError('expected PNG or JPEG images (.png, .jpg, .jpeg) in this class folder, found none', { file: folder });
    for (const file of names) {
      files.push(join(folder, file));
      labelList.push(index);
    }
  }
  const features = width * height * channels;
  const x = new Float32Array(files.length * features);
  for (const [row, file] of files.entries()) {
    x.set(await loadImage(file, [width, height], options), row * features);
  }
  const labels = Int32Array.from(labelList);
  const format = options.targets ?? (classes.length === 2 ? 'index' : 'one-hot');
  return {
    x: markFinite(x),
    y: targetsFromLabels(labels, classes.length, format),
    rows: files.length,
    features,
    outputs: format === 'one-hot' ? classes.length : 1,
    labels,
    classNames: classes,
    classes,
    files,
    width,
    height,
    channels,
  };
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw ioError(path, error);
  }
}
