/**
 * Reference im2col / col2im and the direct convolution kernels for NHWC convolutions: the
 * plainest index arithmetic, one element at a time, as the oracle for assembly/conv.ts. Same
 * contracts as {@link Kernels.im2col}, {@link Kernels.col2im}, {@link Kernels.conv2d} and
 * {@link Kernels.conv2dFilterGrad}.
 */
import type { Heap } from '../../wasm/heap.js';
import { Act, type ActCode } from '../kernels.js';
import { activationForward } from './unary.js';

/**
 * Call `visit(col, input)` for every element of the im2col matrix in order: `col` its index in
 * cols, `input` the index (relative to the image batch) of the element it copies, or −1 for padding.
 */
function eachColumn(
  batch: number, h: number, w: number, c: number, kh: number, kw: number,
  sh: number, sw: number, pt: number, pl: number, oh: number, ow: number, visit: (col: number, input: number) => void,
): void {
  let col = 0;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const iy = oy * sh - pt + ky;
            const ix = ox * sw - pl + kx;
            const inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
            for (let ci = 0; ci < c; ci++) visit(col++, inside ? ((b * h + iy) * w + ix) * c + ci : -1);
          }
        }
      }
    }
  }
}

/** `cols[(b·oh + oy)·ow + ox, (ky·kw + kx)·c + ci] = x[b, oy·sh − pt + ky, ox·sw − pl + kx, ci]` or 0. */
export function im2col(
  heap: Heap, x: number, batch: number, h: number, w: number, c: number, kh: number, kw: number,
  sh: number, sw: number, pt: number, pl: number, oh: number, ow: number, cols: number,
): void {
  const f = heap.f32;
  eachColumn(batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, (col, input) => {
    f[(cols >> 2) + col] = input < 0 ? 0 : f[(x >> 2) + input]!;
  });
}

/** `dx = 0`, then each element of `dcols` added onto the input element im2col took it from. */
export function col2im(
  heap: Heap, dcols: number, batch: number, h: number, w: number, c: number, kh: number, kw: number,
  sh: number, sw: number, pt: number, pl: number, oh: number, ow: number, dx: number,
): void {
  const f = heap.f32;
  f.fill(0, dx >> 2, (dx >> 2) + batch * h * w * c);
  eachColumn(batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, (col, input) => {
    if (input >= 0) f[(dx >> 2) + input]! += f[(dcols >> 2) + col]!;
  });
}

/**
 * Direct convolution: each output `fround`ed after every multiply and add, taps in (ky, kx,
 * channel) order from 0, padding skipped, then the bias, then the activation — the exact
 * sequence of assembly/conv.ts's f32_conv2d_nhwc, so identity and ReLU outputs match bit for bit.
 */
export function conv2d(
  heap: Heap, x: number, batch: number, h: number, w: number, c: number, kh: number, kw: number,
  sh: number, sw: number, pt: number, pl: number, oh: number, ow: number,
  weights: number, filters: number, bias: number, act: ActCode, actParam: number, y: number,
): void {
  const f = heap.f32;
  let o = y >> 2;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let j = 0; j < filters; j++) {
          let acc = 0;
          eachTap(b, oy, ox, h, w, c, kh, kw, sh, sw, pt, pl, (t, input) => {
            acc = Math.fround(acc + Math.fround(f[(x >> 2) + input]! * f[(weights >> 2) + t * filters + j]!));
          });
          f[o++] = Math.fround(acc + f[(bias >> 2) + j]!);
        }
      }
    }
  }
  if (act !== Act.identity) activationForward(heap, act, actParam, y, y, batch * oh * ow * filters);
}

/** dw[t, j] = Σ x·dz over the pixels where tap t is inside, in pixel order; db = Σ dz (f32 steps, as the kernel). */
export function conv2dFilterGrad(
  heap: Heap, x: number, batch: number, h: number, w: number, c: number, kh: number, kw: number,
  sh: number, sw: number, pt: number, pl: number, oh: number, ow: number,
  dz: number, filters: number, dw: number, db: number,
): void {
  const f = heap.f32;
  const acc = new Float64Array(kh * kw * c * filters);
  const bsum = new Float64Array(filters);
  let pixel = 0;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++, pixel++) {
        const g = (dz >> 2) + pixel * filters;
        eachTap(b, oy, ox, h, w, c, kh, kw, sh, sw, pt, pl, (t, input) => {
          for (let j = 0; j < filters; j++) {
            acc[t * filters + j] = Math.fround(acc[t * filters + j]! + Math.fround(f[(x >> 2) + input]! * f[g + j]!));
          }
        });
        for (let j = 0; j < filters; j++) bsum[j] = Math.fround(bsum[j]! + f[g + j]!);
      }
    }
  }
  f.set(acc, dw >> 2);
  if (db !== 0) f.set(bsum, db >> 2);
}

/** `visit(t, input)` for the taps of output pixel (b, oy, ox) inside the image, in tap order. */
function eachTap(
  b: number, oy: number, ox: number, h: number, w: number, c: number, kh: number, kw: number,
  sh: number, sw: number, pt: number, pl: number, visit: (t: number, input: number) => void,
): void {
  for (let ky = 0; ky < kh; ky++) {
    const iy = oy * sh - pt + ky;
    if (iy < 0 || iy >= h) continue;
    for (let kx = 0; kx < kw; kx++) {
      const ix = ox * sw - pl + kx;
      if (ix < 0 || ix >= w) continue;
      for (let ci = 0; ci < c; ci++) visit((ky * kw + kx) * c + ci, ((b * h + iy) * w + ix) * c + ci);
    }
  }
}
