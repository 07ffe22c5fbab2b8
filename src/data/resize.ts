/**
 * Image resampling on plain arrays (no I/O, safe in browsers): separable bilinear or
 * area-averaging resize of interleaved channels.
 */

/** Resampling used when resizing: bilinear interpolation, or area averaging (box filter). */
export type ResizeMethod = 'bilinear' | 'area';

/**
 * Resize an image of `channels` interleaved Float32 or byte channels from width×height to
 * outWidth×outHeight. Separable: rows first, then columns, each with per-axis weights.
 * Returns outHeight×outWidth×channels floats in the input's units.
 */
export function resizeImage(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
  outWidth: number,
  outHeight: number,
  method: ResizeMethod = 'area',
): Float32Array {
  if (pixels.length < width * height * channels) throw new RangeError(`resizeImage: ${pixels.length} values for a ${width}×${height}×${channels} image`);
  for (const [name, v] of [['outWidth', outWidth], ['outHeight', outHeight]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`resizeImage: ${name} must be a positive integer, got ${v}`);
  }
  const across = axisWeights(width, outWidth, method);
  const down = axisWeights(height, outHeight, method);
  // Horizontal pass: height × outWidth × channels.
  const mid = new Float32Array(height * outWidth * channels);
  for (let y = 0; y < height; y++) {
    for (let ox = 0; ox < outWidth; ox++) {
      const taps = across[ox]!;
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let t = 0; t < taps.index.length; t++) sum += taps.weight[t]! * pixels[(y * width + taps.index[t]!) * channels + c]!;
        mid[(y * outWidth + ox) * channels + c] = sum;
      }
    }
  }
  const out = new Float32Array(outHeight * outWidth * channels);
  for (let oy = 0; oy < outHeight; oy++) {
    const taps = down[oy]!;
    for (let i = 0; i < outWidth * channels; i++) {
      let sum = 0;
      for (let t = 0; t < taps.index.length; t++) sum += taps.weight[t]! * mid[taps.index[t]! * outWidth * channels + i]!;
      out[oy * outWidth * channels + i] = sum;
    }
  }
  return out;
}

interface Taps {
  index: number[];
  weight: number[];
}

/** For each output position along one axis, the source positions it reads and their weights (summing to 1). */
function axisWeights(inSize: number, outSize: number, method: ResizeMethod): Taps[] {
  const scale = inSize / outSize;
  const result: Taps[] = [];
  for (let o = 0; o < outSize; o++) {
    const taps: Taps = { index: [], weight: [] };
    if (method === 'bilinear' || scale <= 1) {
      // Pixel centres line up (align_corners = false); when enlarging, area averaging is the
      // same as bilinear up to edge handling, so both use this.
      const src = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), inSize - 1);
      const i0 = Math.floor(src);
      const i1 = Math.min(i0 + 1, inSize - 1);
      const f = src - i0;
      taps.index.push(i0);
      taps.weight.push(1 - f);
      if (i1 !== i0 && f > 0) {
        taps.index.push(i1);
        taps.weight.push(f);
      }
    } else {
      const start = o * scale;
      const end = start + scale;
      for (let i = Math.floor(start); i < Math.min(Math.ceil(end), inSize); i++) {
        const cover = Math.min(end, i + 1) - Math.max(start, i);
        if (cover > 1e-12) {
          taps.index.push(i);
          taps.weight.push(cover / scale);
        }
      }
    }
    result.push(taps);
  }
  return result;
}
