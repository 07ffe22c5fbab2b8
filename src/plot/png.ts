/**
 * Raster helpers on top of pngjs: encode RGBA pixels, wrap them as data URLs for embedding in
 * SVG, and turn a sample's feature vector back into a viewable picture.
 */
import { PNG } from 'pngjs';

/** An RGBA raster, 4 bytes per pixel, row-major from the top-left. */
export interface Raster {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** A blank (transparent) raster. */
export function createRaster(width: number, height: number): Raster {
  return { width, height, rgba: new Uint8Array(width * height * 4) };
}

/** PNG file bytes for a raster. */
export function encodePng(raster: Raster): Buffer {
  const png = new PNG({ width: raster.width, height: raster.height });
  png.data = Buffer.from(raster.rgba.buffer, raster.rgba.byteOffset, raster.rgba.byteLength);
  return PNG.sync.write(png);
}

/** A `data:image/png;base64,…` URL for a raster. */
export function pngDataUrl(raster: Raster): string {
  return `data:image/png;base64,${encodePng(raster).toString('base64')}`;
}

/** Parse `#rrggbb` into [r, g, b]. */
export function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** How a flat feature vector maps back to pixels (channels-last, as the loaders flatten). */
export interface PictureShape {
  width: number;
  height: number;
  /** 1 (grey) or 3 (RGB). */
  channels: number;
}

/**
 * A picture from one sample's features, min-max stretched so any input scaling (0–1, the
 * seeds' 0.01–1, standardized) displays; grey images are drawn as dark ink on white, each
 * source pixel as a `scale`×`scale` block so small digits stay crisp when enlarged.
 */
export function featuresToRaster(features: ArrayLike<number>, shape: PictureShape, scale = 1): Raster {
  const { width, height, channels } = shape;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < width * height * channels; i++) {
    const v = features[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi > lo ? hi - lo : 1;
  const out = createRaster(width * scale, height * scale);
  for (let y = 0; y < out.height; y++) {
    for (let x = 0; x < out.width; x++) {
      const src = (Math.floor(y / scale) * width + Math.floor(x / scale)) * channels;
      const o = (y * out.width + x) * 4;
      for (let c = 0; c < 3; c++) {
        const v = (features[src + (channels === 1 ? 0 : c)]! - lo) / span;
        out.rgba[o + c] = Math.round(255 * (channels === 1 ? 1 - v : v));
      }
      out.rgba[o + 3] = 255;
    }
  }
  return out;
}
