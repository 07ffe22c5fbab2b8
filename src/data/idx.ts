/**
 * IDX files, the original MNIST distribution format (`train-images-idx3-ubyte`,
 * `train-labels-idx1-ubyte`, optionally gzipped): big-endian 32-bit magic number
 * (0x00000803 for images, 0x00000801 for labels), big-endian 32-bit dimensions, then bytes.
 */
import { access, open, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { constants as zlibConstants, gunzip, gunzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { type LabeledDataset, type TargetFormat, targetsFromLabels } from './dataset.js';
import { DataError, ioError } from './errors.js';
import { markFinite } from './checked.js';
import { type PixelScaling, checkScaling, pixelTable } from './pixels.js';

/** Magic number of an unsigned-byte IDX file with three dimensions (images). */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** Magic number of an unsigned-byte IDX file with one dimension (labels). */
export const IDX_LABELS_MAGIC = 0x00000801;

/** Options for {@link loadIdx} and {@link loadIdxPrefix}. */
export interface IdxOptions {
  /** Pixel scaling (default `'unit'`, x/255); `'seeds'` is x·0.99/255 + 0.01. */
  scaling?: PixelScaling;
  /** Targets as one-hot columns (default) or a single column of class indices. */
  targets?: TargetFormat;
  /** Number of classes; labels must be 0..classes−1 (default 10). */
  classes?: number;
  /** Read at most this many images (default: all). */
  limit?: number;
}

/** An IDX image set as a dataset, with the image size. */
export interface IdxDataset extends LabeledDataset {
  /** Image height in pixels (28 for MNIST). */
  height: number;
  /** Image width in pixels (28 for MNIST). */
  width: number;
}

/**
 * Load an IDX image file and its label file. Either may be gzipped (recognised by its
 * content, not its name). Checks both magic numbers, that the counts agree, that each file
 * is exactly as long as its header says, and that labels are below `classes`.
 */
export async function loadIdx(imagesPath: string, labelsPath: string, options: IdxOptions = {}): Promise<IdxDataset> {
  const scaling = options.scaling ?? 'unit';
  checkScaling(scaling, 'loadIdx: scaling');
  const classes = options.classes ?? 10;
  const format = options.targets ?? 'one-hot';
  const [imageBytes, labelBytes] = await Promise.all([readMaybeGzipped(imagesPath), readMaybeGzipped(labelsPath)]);

  const images = readHeader(imageBytes, imagesPath, IDX_IMAGES_MAGIC, 3, 'images');
  const labelHeader = readHeader(labelBytes, labelsPath, IDX_LABELS_MAGIC, 1, 'labels');
  const [count, height, width] = images.dims as [number, number, number];
  if (labelHeader.dims[0] !== count) {
    throw new DataError(`expected ${count} labels to match ${imagesPath}, found ${labelHeader.dims[0]} in the header`, { file: labelsPath, offset: 4 });
  }
  const features = height * width;
  const rows = Math.min(count, options.limit ?? Infinity);
  const table = pixelTable(scaling);
  const x = new Float32Array(rows * features);
  // A plain Uint8Array view rather than a Buffer slice: the loop below runs about twice as fast.
  const pixels = new Uint8Array(imageBytes.buffer, imageBytes.byteOffset + images.dataStart, rows * features);
  for (let i = 0; i < pixels.length; i++) x[i] = table[pixels[i]!]!;
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const label = labelBytes[labelHeader.dataStart + i]!;
    if (label >= classes) {
      throw new DataError(`expected a label from 0 to ${classes - 1} for image ${i}, found ${label}`, { file: labelsPath, offset: labelHeader.dataStart + i });
    }
    labels[i] = label;
  }
  return { x: markFinite(x), y: targetsFromLabels(labels, classes, format), rows, features, outputs: format === 'one-hot' ? classes : 1, labels, height, width };
}

interface IdxHeader {
  dims: number[];
  dataStart: number;
}

function readHeader(bytes: Uint8Array, file: string, magic: number, rank: number, kind: string): IdxHeader {
  const expected = `0x${magic.toString(16).padStart(8, '0')}`;
  if (bytes.length === 0) throw new DataError(`expected an IDX ${kind} file (magic ${expected}), found an empty file`, { file, offset: 0 });
  const headerBytes = 4 + 4 * rank;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 4) {
    const found = view.getUint32(0, false);
    if (found !== magic) {
      const other = found === IDX_IMAGES_MAGIC ? ' (an images file)' : found === IDX_LABELS_MAGIC ? ' (a labels file)' : '';
      throw new DataError(`expected magic number ${expected} for IDX ${kind}, found 0x${found.toString(16).padStart(8, '0')}${other}`, { file, offset: 0 });
    }
  }
  if (bytes.length < headerBytes) {
    throw new DataError(`expected a ${headerBytes}-byte IDX ${kind} header, found only ${bytes.length} bytes`, { file, offset: bytes.length });
  }
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const length = dims.reduce((a, b) => a * b, 1);
  const available = bytes.length - headerBytes;
  if (available < length) {
    throw new DataError(`truncated: the header (${dims.join('×')}) promises ${length} bytes of data, found ${available}; the file ends at byte ${bytes.length}`, { file, offset: bytes.length });
  }
  if (available > length) {
    throw new DataError(`expected the file to end after ${length} bytes of data (${dims.join('×')}), found ${available - length} extra bytes`, { file, offset: headerBytes + length });
  }
  return { dims, dataStart: headerBytes };
}

const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

function gzipError(path: string, error: unknown): DataError {
  const reason = error instanceof Error ? error.message : String(error);
  return new DataError(`expected a complete gzip stream, found a damaged or truncated one (${reason})`, { file: path, cause: error });
}

async function readMaybeGzipped(path: string): Promise<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw ioError(path, error);
  }
  if (isGzip(bytes)) {
    try {
      return await promisify(gunzip)(bytes);
    } catch (error) {
      throw gzipError(path, error);
    }
  }
  return bytes;
}

/**
 * The file names {@link loadIdxPrefix} tries for `prefix`, in order: for each stem (the
 * prefix itself, plus `t10k` when the prefix ends in `test`), the images as
 * `<stem>-images-idx3-ubyte` and `<stem>-images.idx3-ubyte`, each also with `.gz`; labels
 * likewise with `labels-idx1-ubyte`.
 */
export function idxCandidates(prefix: string): { images: string[]; labels: string[] } {
  const stems = [prefix];
  if (basename(prefix) === 'test') stems.push(join(dirname(prefix), 't10k'));
  const names = (kind: string): string[] =>
    stems.flatMap((stem) => [`${stem}-${kind}`, `${stem}-${kind.replace('-', '.')}`]).flatMap((p) => [p, `${p}.gz`]);
  return { images: names('images-idx3-ubyte'), labels: names('labels-idx1-ubyte') };
}

/**
 * Find and load an IDX pair from a prefix: `loadIdxPrefix('data/train')` loads
 * `data/train-images-idx3-ubyte[.gz]` with `data/train-labels-idx1-ubyte[.gz]` (the original
 * MNIST names), `data/test` also finds `data/t10k-…`. See {@link idxCandidates} for every
 * name tried; when none exists the error lists them.
 */
export async function loadIdxPrefix(prefix: string, options: IdxOptions = {}): Promise<IdxDataset> {
  const { images, labels } = idxCandidates(prefix);
  const [imagesPath, labelsPath] = await Promise.all([firstExisting(images), firstExisting(labels)]);
  if (imagesPath === undefined) throw new DataError(`no IDX images file found; tried ${images.join(', ')}`, { file: prefix });
  if (labelsPath === undefined) throw new DataError(`no IDX labels file found; tried ${labels.join(', ')}`, { file: prefix });
  return loadIdx(imagesPath, labelsPath, options);
}

async function firstExisting(paths: readonly string[]): Promise<string | undefined> {
  for (const path of paths) {
    try {
      await access(path);
      return path;
    } catch {
      // try the next spelling
    }
  }
  return undefined;
}

/** Compressed bytes read to find an IDX magic number: plenty for a gzip header and 4 bytes of data. */
const PEEK_BYTES = 1 << 16;

/** Standard IDX file names: `<set>-images-idx3-ubyte` or `<set>-images.idx3-ubyte`, maybe `.gz`. */
const IDX_NAME = {
  images: /^(.+)-images([-.])idx3-ubyte(\.gz)?$/,
  labels: /^(.+)-labels([-.])idx1-ubyte(\.gz)?$/,
} as const;

/**
 * If `path` is itself an IDX images or labels file — recognised by its magic number
 * ({@link IDX_IMAGES_MAGIC} or {@link IDX_LABELS_MAGIC}, read after gunzip when the content is
 * gzip) — the pair it belongs to, its partner found beside it by the standard names
 * (`train-images-idx3-ubyte[.gz]` ↔ `train-labels-idx1-ubyte[.gz]`, the `.idx3-ubyte` spelling,
 * `t10k-…`); the same spelling and compression are tried first.
 *
 * @returns undefined when `path` is not an IDX file (other content, a folder, or no such file).
 * @throws {@link DataError} naming the file when it is IDX but its partner is missing (listing
 *   the names tried), its name does not follow the standard, or its gzip stream is damaged.
 */
export async function idxPairOf(path: string): Promise<{ images: string; labels: string } | undefined> {
  const head = await leadingBytes(path);
  if (head === undefined || head.length < 4) return undefined;
  const magic = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0, false);
  const kind = magic === IDX_IMAGES_MAGIC ? 'images' : magic === IDX_LABELS_MAGIC ? 'labels' : undefined;
  if (kind === undefined) return undefined;
  const partnerKind = kind === 'images' ? 'labels' : 'images';
  const name = basename(path);
  const names = partnerNames(name, kind);
  if (names === undefined) {
    const example = kind === 'images' ? '<set>-images-idx3-ubyte' : '<set>-labels-idx1-ubyte';
    throw new DataError(`expected a name like ${example} to find the ${partnerKind} that go with these IDX ${kind}, found ${JSON.stringify(name)} (load the pair with loadIdx(images, labels))`, { file: path });
  }
  const tried = names.map((n) => join(dirname(path), n));
  const partner = await firstExisting(tried);
  if (partner === undefined) throw new DataError(`expected the IDX ${partnerKind} file that goes with these ${kind}, found none; tried ${tried.join(', ')}`, { file: path });
  return kind === 'images' ? { images: path, labels: partner } : { images: partner, labels: path };
}

/** Names the partner of IDX file `name` may have, the same spelling and compression first. */
function partnerNames(name: string, kind: 'images' | 'labels'): string[] | undefined {
  const match = IDX_NAME[kind].exec(name);
  if (!match) return undefined;
  const [, set, separator, gz = ''] = match;
  const partner = kind === 'images' ? ['labels', 'idx1'] : ['images', 'idx3'];
  const separators = [separator, separator === '-' ? '.' : '-'];
  const endings = [gz, gz === '' ? '.gz' : ''];
  return separators.flatMap((sep) => endings.map((end) => `${set}-${partner[0]}${sep}${partner[1]}-ubyte${end}`));
}

/** The first bytes of a file, gunzipped when it is gzip; undefined when it is not a file. */
async function leadingBytes(path: string): Promise<Uint8Array | undefined> {
  try {
    if (!(await stat(path)).isFile()) return undefined;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw ioError(path, error);
  }
  let bytes: Uint8Array;
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = new Uint8Array(PEEK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, PEEK_BYTES, 0);
      bytes = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw ioError(path, error);
  }
  if (!isGzip(bytes)) return bytes;
  try {
    // A sync flush lets zlib hand back what a cut-off stream decodes to instead of failing.
    return gunzipSync(bytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch (error) {
    throw gzipError(path, error);
  }
}
