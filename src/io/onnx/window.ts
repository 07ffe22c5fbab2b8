/**
 * Sliding windows between simdnet and ONNX: convolution weights in each one's layout, and a
 * window's geometry as ONNX attributes (kernel_shape, strides, explicit pads) and back.
 * simdnet follows TensorFlow: channels last, kernels kh×kw×c×f, and 'same' padding that puts
 * the odd row or column after the input; ONNX is channels first, kernels f×c×kh×kw, and says
 * its padding cell by cell.
 */
import { windowGeometry, type Padding, type Shape3, type WindowGeometry } from '../../nn/geometry.js';
import { AttributeType, type AttributeProto } from './schema.js';

/** Padding rows above and below, columns left and right: ONNX's [top, left, bottom, right]. */
export function explicitPads(g: WindowGeometry): number[] {
  const padH = Math.max((g.oh - 1) * g.sh + g.kh - g.h, 0);
  const padW = Math.max((g.ow - 1) * g.sw + g.kw - g.w, 0);
  return [g.pt, g.pl, padH - g.pt, padW - g.pl];
}

/** kernel_shape, strides and pads of a window. */
export function windowAttributes(g: WindowGeometry): AttributeProto[] {
  const ints = (name: string, values: number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints: values });
  return [ints('kernel_shape', [g.kh, g.kw]), ints('strides', [g.sh, g.sw]), ints('pads', explicitPads(g))];
}

/**
 * The simdnet padding whose geometry has `pads` ([top, left, bottom, right]) for a kernel
 * over `input`: none is 'valid', TensorFlow's placement is 'same'; `undefined` for any other.
 */
export function paddingOf(input: Shape3, kernel: [number, number], stride: [number, number], pads: readonly number[]): Padding | undefined {
  if (pads.every((p) => p === 0)) return 'valid';
  const same = explicitPads(windowGeometry(input, kernel, stride, 'same', '', ''));
  return same.every((p, i) => p === pads[i]) ? 'same' : undefined;
}

/** Convolution weights kh×kw×c×f (simdnet, TF) as f×c×kh×kw (ONNX). */
export function hwioToOihw(w: Float32Array, kh: number, kw: number, c: number, f: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let ci = 0; ci < c; ci++) for (let fi = 0; fi < f; fi++) {
    out[((fi * c + ci) * kh + y) * kw + x] = w[((y * kw + x) * c + ci) * f + fi]!;
  }
  return out;
}

/** Convolution weights f×c×kh×kw (ONNX) as kh×kw×c×f (simdnet). */
export function oihwToHwio(w: Float32Array, kh: number, kw: number, c: number, f: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let ci = 0; ci < c; ci++) for (let fi = 0; fi < f; fi++) {
    out[((y * kw + x) * c + ci) * f + fi] = w[((fi * c + ci) * kh + y) * kw + x]!;
  }
  return out;
}

/**
 * A dense layer's weight rows (inputs×units) for rows flattened from a channels-first image
 * (c·h·w order, as ONNX's Flatten of NCHW gives them) reordered for simdnet's channels-last
 * rows (h·w·c order).
 */
export function chwRowsToHwc(w: Float32Array, [h, wd, c]: Shape3, units: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let ci = 0; ci < c; ci++) for (let y = 0; y < h; y++) for (let x = 0; x < wd; x++) {
    const from = ((ci * h + y) * wd + x) * units;
    out.set(w.subarray(from, from + units), ((y * wd + x) * c + ci) * units);
  }
  return out;
}
