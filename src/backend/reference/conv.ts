/**
 * Reference im2col / col2im for NHWC convolutions: the plainest index arithmetic, one element
 * at a time, as the oracle for assembly/conv.ts. Same contracts as {@link Kernels.im2col} and
 * {@link Kernels.col2im}.
 */
import type { Heap } from '../../wasm/heap.js';

/** `cols[(b·oh + oy)·ow + ox, (ky·kw + kx)·c + ci] = x[b, oy·sh − pt + ky, ox·sw − pl + kx, ci]` or 0. */
export function im2col(
  heap: Heap, x: number, batch: number, h: number, w: number, c: number, kh: number, kw: number,
  sh: number, sw: number, pt: number, pl: number, oh: number, ow: number, cols: number,
): void {
  const f = heap.f32;
  const x0 = x >> 2;
  let out = cols >> 2;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const iy = oy * sh - pt + ky;
            const ix = ox * sw - pl + kx;
            const inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
            for (let ci = 0; ci < c; ci++) f[out++] = inside ? f[x0 + ((b * h + iy) * w + ix) * c + ci]! : 0;
          }
        }
      }
    }
  }
}

/** `dx = 0`, then each element of `dcols` added onto the input element im2col took it from. */
export function col2im(
  heap: Heap, dcols: number, batch: number, h: number, w: number, c: number, kh: number, kw: number,
  sh: number, sw: number, pt: number, pl: number, oh: number, ow: number, dx: number,
): void {
  const f = heap.f32;
  const dx0 = dx >> 2;
  f.fill(0, dx0, dx0 + batch * h * w * c);
  let src = dcols >> 2;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const iy = oy * sh - pt + ky;
            const ix = ox * sw - pl + kx;
            const inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
            for (let ci = 0; ci < c; ci++, src++) {
              if (inside) f[dx0 + ((b * h + iy) * w + ix) * c + ci]! += f[src]!;
            }
          }
        }
      }
    }
  }
}
