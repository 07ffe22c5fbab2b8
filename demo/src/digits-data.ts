/**
 * The bundled digits (the `mnist` package's 10,000), fetched once as the compact
 * `digits.bin` the build emits (see demo/digits-asset.ts) and scaled to [0, 1].
 */

/** Digits as the network takes them. */
export interface Digits {
  /** count × 784 pixels in [0, 1], row-major. */
  x: Float32Array;
  /** The digit each image shows. */
  labels: Uint8Array;
  count: number;
}

export const PIXELS = 784;
let loading: Promise<Digits> | undefined;

async function fetchDigits(): Promise<Digits> {
  const response = await fetch(new URL('digits.bin', document.baseURI));
  if (!response.ok) throw new Error(`cannot load the bundled digits (HTTP ${response.status})`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const count = new DataView(bytes.buffer).getUint32(0, true);
  if (bytes.length !== 4 + count * (1 + PIXELS)) throw new Error(`digits.bin: ${bytes.length} bytes do not hold ${count} digits`);
  const labels = bytes.slice(4, 4 + count);
  const pixels = bytes.subarray(4 + count);
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) x[i] = pixels[i]! / 255;
  return { x, labels, count };
}

/** The bundled digits; fetched on the first call, shared afterwards. */
export function loadDigits(): Promise<Digits> {
  loading ??= fetchDigits().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

/** Rows `[from, to)` of `digits` as training data. */
export function digitRows(digits: Digits, from: number, to: number): { x: Float32Array; y: Uint8Array; rows: number } {
  return { x: digits.x.subarray(from * PIXELS, to * PIXELS), y: digits.labels.subarray(from, to), rows: to - from };
}
