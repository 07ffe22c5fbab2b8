/**
 * Pixel scaling shared by the MNIST loaders (CSV, IDX, bundled) and the image loader.
 */

import { nameTable } from '../util/names.js';

/**
 * How 0–255 pixel values become floats: `'unit'` x/255 in [0, 1]; `'seeds'` x·0.99/255 + 0.01
 * in [0.01, 1] (the seeds' MNIST convention, which keeps inputs away from 0); `'raw'` the
 * 0–255 value itself.
 */
export type PixelScaling = 'unit' | 'seeds' | 'raw';

const SCALINGS = nameTable<PixelScaling>('pixel scaling', ['unit', 'seeds', 'raw']);

/** Every scaling name. */
export const PIXEL_SCALINGS: readonly PixelScaling[] = SCALINGS.names;

/** Scale one pixel value (0–255, possibly fractional). */
export function scalePixel(value: number, scaling: PixelScaling): number {
  switch (scaling) {
    case 'unit': return value / 255;
    case 'seeds': return (value * 0.99) / 255 + 0.01;
    case 'raw': return value;
  }
}

/** The 256 scaled values of each byte, so integer pixels cost one lookup. */
export function pixelTable(scaling: PixelScaling): Float32Array {
  checkScaling(scaling);
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = scalePixel(v, scaling);
  return table;
}

/** Throw a TypeError naming the valid choices when `scaling` is not one of them. */
export function checkScaling(scaling: string, where = 'scaling'): asserts scaling is PixelScaling {
  SCALINGS.resolve(scaling, where);
}
