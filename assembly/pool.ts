// 2-D pooling, NHWC: max (keeping the argmax of every output for backward) and average.
//
// Geometry arguments as in conv.ts: `batch, h, w, c` the input, `kh, kw` the window,
// `sh, sw` the strides, `pt, pl` the padding before the first row and column, `oh, ow` the
// output size. Padding is never a candidate: max takes the largest element inside the image,
// average divides by the number of window elements inside it (TensorFlow's 'same'
// semantics). The caller guarantees every window overlaps the image (pt < kh, pl < kw).
// Global average pooling is the average pool with kh = h, kw = w. Pointers are byte
// offsets, 4-byte aligned; counts are elements; nothing is allocated. Channels are the
// vector lanes (f32x4 over c, scalar tail), so each output's terms are combined in window
// order in both builds and they agree bit for bit.
import { addFloats, fillZero } from './floats';

/**
 * y[b, oy, ox, ci] = max over the window of x; argmax (i32) the element index, relative
 * to the start of image b (0 ≤ argmax < h·w·c), of the first largest (window order: ky,
 * then kx). Indices per image make every image's outputs independent of the others, so the
 * thread pool can split the batch. NaN inputs are never chosen unless the whole window is
 * NaN (then y = −∞ and argmax is the first window element).
 * y and argmax hold batch·oh·ow·c entries and must not overlap x or each other.
 */
export function f32_maxpool2d_nhwc(
  x: usize, batch: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, oh: i32, ow: i32, y: usize, argmax: usize,
): void {
  let out = 0;
  const rowElements = w * c;
  for (let b = 0; b < batch; b++) {
    const image = x + (<usize>(b * h * w * c) << 2);
    for (let oy = 0; oy < oh; oy++) {
      const ky0 = max(0, pt - oy * sh), ky1 = min(kh, h + pt - oy * sh);
      for (let ox = 0; ox < ow; ox++) {
        const kx0 = max(0, pl - ox * sw), kx1 = min(kw, w + pl - ox * sw);
        const first = ((oy * sh - pt + ky0) * w + ox * sw - pl + kx0) * c;
        const rows = ky1 - ky0, cols = kx1 - kx0;
        let ci = 0;
        if (ASC_FEATURE_SIMD) {
          // Blocks of 16 channels, then one of 4, 8 or 12 (a constant width after inlining).
          for (; ci + 16 <= c; ci += 16) maxWindow(image, first + ci, rows, cols, rowElements, c, 16, y, argmax, out + ci);
          const rest = (c - ci) & ~3;
          if (rest == 4) maxWindow(image, first + ci, rows, cols, rowElements, c, 4, y, argmax, out + ci);
          else if (rest == 8) maxWindow(image, first + ci, rows, cols, rowElements, c, 8, y, argmax, out + ci);
          else if (rest == 12) maxWindow(image, first + ci, rows, cols, rowElements, c, 12, y, argmax, out + ci);
          ci += rest;
        }
        for (; ci < c; ci++) {
          let best: f32 = -Infinity;
          let at = first + ci;
          for (let ky = ky0; ky < ky1; ky++) {
            const iy = oy * sh - pt + ky;
            for (let kx = kx0; kx < kx1; kx++) {
              const e = (iy * w + ox * sw - pl + kx) * c + ci;
              const v = load<f32>(image + (<usize>e << 2));
              if (v > best) { best = v; at = e; }
            }
          }
          store<f32>(y + (<usize>(out + ci) << 2), best);
          store<i32>(argmax + (<usize>(out + ci) << 2), at);
        }
        out += c;
      }
    }
  }
}

/**
 * One window's maximum and argmax over `lanes` channels (4, 8, 12 or 16) held in registers:
 * the window's elements inside the image are rows × cols, its first at element `first` of
 * `image`, rows `rowElements` apart and columns c; output `out` of y and argmax. A lane takes
 * an element greater than its best so far (pmax(best, v) is best < v ? v : best), so NaN is
 * never taken and ties keep the first in window order. Measured on the tutorial net's first
 * pooling (64×24×24×8): 1.5× the loop that kept one f32x4 and recomputed every index.
 */
// @ts-ignore: decorator
@inline function maxWindow(
  image: usize, first: i32, rows: i32, cols: i32, rowElements: i32, c: i32, lanes: i32, y: usize, argmax: usize, out: i32,
): void {
  const low = f32x4.splat(-Infinity);
  let b0 = low, b1 = low, b2 = low, b3 = low;
  const a0First = i32x4.add(i32x4.splat(first), i32x4(0, 1, 2, 3));
  let a0 = a0First, a1 = i32x4.add(a0First, i32x4.splat(4));
  let a2 = i32x4.add(a0First, i32x4.splat(8)), a3 = i32x4.add(a0First, i32x4.splat(12));
  const cBytes = <usize>c << 2, rowBytes = <usize>rowElements << 2;
  const colStep = i32x4.splat(c), rowStep = i32x4.splat(rowElements);
  let row = image + (<usize>first << 2), rowAt = a0First;
  for (let ky = 0; ky < rows; ky++, row += rowBytes, rowAt = i32x4.add(rowAt, rowStep)) {
    let p = row, e = rowAt;
    for (let kx = 0; kx < cols; kx++, p += cBytes, e = i32x4.add(e, colStep)) {
      let v = v128.load(p);
      a0 = v128.bitselect(e, a0, f32x4.gt(v, b0));
      b0 = f32x4.pmax(b0, v);
      if (lanes > 4) {
        v = v128.load(p, 16);
        a1 = v128.bitselect(i32x4.add(e, i32x4.splat(4)), a1, f32x4.gt(v, b1));
        b1 = f32x4.pmax(b1, v);
      }
      if (lanes > 8) {
        v = v128.load(p, 32);
        a2 = v128.bitselect(i32x4.add(e, i32x4.splat(8)), a2, f32x4.gt(v, b2));
        b2 = f32x4.pmax(b2, v);
      }
      if (lanes > 12) {
        v = v128.load(p, 48);
        a3 = v128.bitselect(i32x4.add(e, i32x4.splat(12)), a3, f32x4.gt(v, b3));
        b3 = f32x4.pmax(b3, v);
      }
    }
  }
  const yo = y + (<usize>out << 2), ao = argmax + (<usize>out << 2);
  v128.store(yo, b0); v128.store(ao, a0);
  if (lanes > 4) { v128.store(yo, b1, 16); v128.store(ao, a1, 16); }
  if (lanes > 8) { v128.store(yo, b2, 32); v128.store(ao, a2, 32); }
  if (lanes > 12) { v128.store(yo, b3, 48); v128.store(ao, a3, 48); }
}

/**
 * The gradient of f32_maxpool2d_nhwc, image by image: for each of `batch` images, its
 * `inputs` floats of dx are zeroed, then dx_b[argmax_b[i]] += dy_b[i] for i < `outputs` in
 * order (`outputs` and `inputs` are per image; argmax as the forward writes it). A scatter,
 * so one loop serves both builds. `dx` must not overlap `dy` or `argmax`.
 */
export function f32_maxpool2d_backward(dy: usize, argmax: usize, batch: i32, outputs: i32, dx: usize, inputs: i32): void {
  for (let b = 0; b < batch; b++) {
    const image = dx + (<usize>(b * inputs) << 2);
    const first = <usize>(b * outputs) << 2;
    fillZero(image, inputs);
    for (let i = 0; i < outputs; i++) {
      const o = first + (<usize>i << 2);
      const p = image + (<usize>load<i32>(argmax + o) << 2);
      store<f32>(p, load<f32>(p) + load<f32>(dy + o));
    }
  }
}

/**
 * y[b, oy, ox, ci] = (Σ of the window's elements inside the image) / (their count), summed
 * in window order. y holds batch·oh·ow·c floats and must not overlap x.
 */
export function f32_avgpool2d_nhwc(
  x: usize, batch: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, oh: i32, ow: i32, y: usize,
): void {
  let out = y;
  for (let b = 0; b < batch; b++) {
    const image = x + (<usize>(b * h * w * c) << 2);
    for (let oy = 0; oy < oh; oy++) {
      const ky0 = max(0, pt - oy * sh), ky1 = min(kh, h + pt - oy * sh);
      for (let ox = 0; ox < ow; ox++) {
        const kx0 = max(0, pl - ox * sw), kx1 = min(kw, w + pl - ox * sw);
        // The sum accumulates in y itself: a first zero, then one add per window element.
        fillZero(out, c);
        for (let ky = ky0; ky < ky1; ky++) {
          const row = image + (<usize>(((oy * sh - pt + ky) * w + ox * sw - pl) * c) << 2);
          for (let kx = kx0; kx < kx1; kx++) addFloats(out, row + (<usize>(kx * c) << 2), c);
        }
        scaleFloats(out, out, <f32>1 / <f32>((ky1 - ky0) * (kx1 - kx0)), c);
        out += <usize>c << 2;
      }
    }
  }
}

/**
 * dx = 0 (batch·h·w·c floats), then each dy element, times 1/count of its window, is added
 * onto every input element of its window, outputs in order. `dx` must not overlap `dy`.
 */
export function f32_avgpool2d_backward_nhwc(
  dy: usize, batch: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, oh: i32, ow: i32, dx: usize,
): void {
  fillZero(dx, batch * h * w * c);
  let g = dy;
  for (let b = 0; b < batch; b++) {
    const image = dx + (<usize>(b * h * w * c) << 2);
    for (let oy = 0; oy < oh; oy++) {
      const ky0 = max(0, pt - oy * sh), ky1 = min(kh, h + pt - oy * sh);
      for (let ox = 0; ox < ow; ox++) {
        const kx0 = max(0, pl - ox * sw), kx1 = min(kw, w + pl - ox * sw);
        const inv = <f32>1 / <f32>((ky1 - ky0) * (kx1 - kx0));
        for (let ky = ky0; ky < ky1; ky++) {
          const row = image + (<usize>(((oy * sh - pt + ky) * w + ox * sw - pl) * c) << 2);
          for (let kx = kx0; kx < kx1; kx++) addScaledFloats(row + (<usize>(kx * c) << 2), g, inv, c);
        }
        g += <usize>c << 2;
      }
    }
  }
}

/** dst[i] = src[i]·s for n floats (dst may equal src). */
// @ts-ignore: decorator
@inline function scaleFloats(dst: usize, src: usize, s: f32, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = f32x4.splat(s);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dst + o, f32x4.mul(v128.load(src + o), vs));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(src + o) * s);
  }
}

/** dst[i] += src[i]·s for n floats (no overlap). */
// @ts-ignore: decorator
@inline function addScaledFloats(dst: usize, src: usize, s: f32, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = f32x4.splat(s);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), f32x4.mul(v128.load(src + o), vs)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o) * s);
  }
}
