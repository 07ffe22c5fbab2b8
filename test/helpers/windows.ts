/**
 * The shape table of the window kernels (convolution and pooling): 1×1 windows, window =
 * input, strides above 1 and above the window, odd and non-square sizes, channels 1, 3, 4
 * (one f32x4) and 17 (four vectors and a tail), batch 1 and batches past one GEMM row block.
 */
import { windowGeometry, type Padding, type WindowGeometry } from '../../src/nn/geometry.js';

/** One row of the table. */
export interface WindowCase {
  name: string;
  batch: number;
  geometry: WindowGeometry;
}

/** A named window case: batch of h×w×c inputs, kernel, strides and padding. */
export function windowCase(name: string, batch: number, [h, w, c]: [number, number, number], k: [number, number], s: [number, number], padding: Padding): WindowCase {
  return { name: `${name}: ${batch}×${h}×${w}×${c}, ${k[0]}×${k[1]} /${s[0]},${s[1]} ${padding}`, batch, geometry: windowGeometry([h, w, c], k, s, padding, name, 'kernel') };
}

export const WINDOW_CASES: WindowCase[] = [
  windowCase('1×1 window', 2, [5, 5, 3], [1, 1], [1, 1], 'valid'),
  windowCase('window = input', 2, [5, 5, 3], [5, 5], [1, 1], 'valid'),
  windowCase('window = input, same', 1, [5, 4, 3], [5, 4], [1, 1], 'same'),
  windowCase('stride 2', 3, [9, 7, 3], [3, 3], [2, 2], 'valid'),
  windowCase('stride 2, same', 3, [9, 7, 3], [3, 3], [2, 2], 'same'),
  windowCase('stride > window', 2, [7, 7, 4], [1, 1], [3, 3], 'valid'),
  windowCase('odd sizes, same', 1, [7, 11, 17], [3, 5], [1, 1], 'same'),
  windowCase('channels 1', 5, [12, 12, 1], [5, 5], [1, 1], 'valid'),
  windowCase('channels 1, same', 3, [9, 10, 1], [5, 5], [1, 1], 'same'),
  windowCase('channels 1, six kernel rows, same', 2, [11, 8, 1], [6, 1], [2, 1], 'same'),
  windowCase('channels 17, pool-like', 2, [6, 6, 17], [2, 2], [2, 2], 'valid'),
  windowCase('mixed strides, even window, same', 2, [8, 9, 5], [4, 2], [1, 2], 'same'),
  windowCase('batch past a block', 70, [4, 4, 3], [3, 3], [1, 1], 'same'),
  windowCase('batch 0', 0, [4, 4, 3], [3, 3], [1, 1], 'valid'),
];

/** The geometry as the kernels' argument list after the input pointer: batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow. */
export function geometryArgs(batch: number, g: WindowGeometry): [number, number, number, number, number, number, number, number, number, number, number, number] {
  return [batch, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.oh, g.ow];
}
