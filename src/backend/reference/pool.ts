/**
 * Reference max and average pooling, NHWC, one output element at a time: the oracle for
 * assembly/pool.ts. Same contracts as {@link Kernels.maxPool2d}, {@link Kernels.avgPool2d}
 * and their backward kernels. Average sums in f64 and rounds once.
 */
import type { Heap } from '../../wasm/heap.js';

/** Input element indices (relative to x) of the window of one output, padding skipped, in window order. */
function windowOf(
  b: number, oy: number, ox: number, ci: number, h: number, w: number, c: number,
  kh: number, kw: number, sh: number, sw: number, pt: number, pl: number,
): number[] {
  const out: number[] = [];
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      const iy = oy * sh - pt + ky;
      const ix = ox * sw - pl + kx;
      if (iy >= 0 && iy < h && ix >= 0 && ix < w) out.push(((b * h + iy) * w + ix) * c + ci);
    }
  }
  return out;
}

/** Call `visit(outputIndex, window)` for every output element, in output order. */
function eachOutput(
  batch: number, h: number, w: number, c: number, kh: number, kw: number, sh: number, sw: number,
  pt: number, pl: number, oh: number, ow: number, visit: (o: number, window: number[]) => void,
): void {
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ci = 0; ci < c; ci++) visit(o++, windowOf(b, oy, ox, ci, h, w, c, kh, kw, sh, sw, pt, pl));
      }
    }
  }
}

/** Window maximum (first on ties, NaN never chosen) and its index. */
export function maxPool2d(
  heap: Heap, x: number, batch: number, h: number, w: number, c: number, kh: number, kw: number,
  sh: number, sw: number, pt: number, pl: number, oh: number, ow: number, y: number, argmax: number,
): void {
  const f = heap.f32;
  const idx = heap.i32;
  eachOutput(batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, (o, window) => {
    let best = -Infinity;
    let at = window[0]!;
    for (const e of window) {
      const v = f[(x >> 2) + e]!;
      if (v > best) {
        best = v;
        at = e;
      }
    }
    f[(y >> 2) + o] = best;
    // Indices are relative to the output's own image.
    idx[(argmax >> 2) + o] = at - Math.floor(o / (oh * ow * c)) * h * w * c;
  });
}

/** Per image b: `dx_b = 0; dx_b[argmax_b[i]] += dy_b[i]` (`outputs`, `inputs` per image). */
export function maxPool2dBackward(heap: Heap, dy: number, argmax: number, batch: number, outputs: number, dx: number, inputs: number): void {
  const f = heap.f32;
  const idx = heap.i32;
  f.fill(0, dx >> 2, (dx >> 2) + batch * inputs);
  for (let i = 0; i < batch * outputs; i++) {
    const image = Math.floor(i / outputs) * inputs;
    f[(dx >> 2) + image + idx[(argmax >> 2) + i]!]! += f[(dy >> 2) + i]!;
  }
}

/** Mean of the window's elements inside the image. */
export function avgPool2d(
  heap: Heap, x: number, batch: number, h: number, w: number, c: number, kh: number, kw: number,
  sh: number, sw: number, pt: number, pl: number, oh: number, ow: number, y: number,
): void {
  const f = heap.f32;
  eachOutput(batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, (o, window) => {
    let sum = 0;
    for (const e of window) sum += f[(x >> 2) + e]!;
    f[(y >> 2) + o] = sum / window.length;
  });
}

/** `dx = 0`, then dy/count added onto each window element. */
export function avgPool2dBackward(
  heap: Heap, dy: number, batch: number, h: number, w: number, c: number, kh: number, kw: number,
  sh: number, sw: number, pt: number, pl: number, oh: number, ow: number, dx: number,
): void {
  const f = heap.f32;
  f.fill(0, dx >> 2, (dx >> 2) + batch * h * w * c);
  eachOutput(batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, (o, window) => {
    const share = f[(dy >> 2) + o]! / window.length;
    for (const e of window) f[(dx >> 2) + e]! += share;
  });
}
