/**
 * Reference im2col / col2im for NHWC convolutions: the plainest index arithmetic, one element
 * at a time, as the oracle for assembly/conv.ts. Same contracts as {@link Kernels.im2col} and
 * {@link Kernels.col2im}.
 */
import type { Heap } from '../../wasm/heap.js';

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
