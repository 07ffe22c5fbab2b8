/**
 * Sliding-window geometry shared by convolution and pooling layers: from an h×w×c input, a
 * kh×kw window, strides and 'valid' or 'same' padding to the output size and the padding
 * before the first row and column, with TensorFlow's conventions (so its kernels can serve as
 * the outside oracle): 'same' gives ⌈h/sh⌉ rows and puts the odd padding row at the bottom.
 */

/** An image shape, channels last: height, width, channels. */
export type Shape3 = readonly [h: number, w: number, c: number];

/** `'valid'`: windows lie inside the input; `'same'`: zero padding keeps ⌈size/stride⌉ outputs. */
export type Padding = 'valid' | 'same';

/** Everything the window kernels take besides pointers and the batch size. */
export interface WindowGeometry {
  h: number; w: number; c: number;
  kh: number; kw: number;
  sh: number; sw: number;
  /** Padding rows above and columns left of the input. */
  pt: number; pl: number;
  oh: number; ow: number;
}

/** `14×14×8`, as error messages and summaries write a shape. */
export function formatShape(shape: readonly number[]): string {
  return shape.join('×');
}

/** Check a padding name; `where` names the layer. */
export function checkPadding(value: unknown, where: string): Padding {
  if (value === 'valid' || value === 'same') return value;
  throw new TypeError(`${where}: padding must be 'valid' or 'same', got ${JSON.stringify(value)}`);
}

/**
 * The geometry of a kh×kw window sliding over `input` (`what` is "kernel" or "window" in the
 * message). Throws a RangeError naming `where` and both shapes when a 'valid' window does
 * not fit the input.
 */
export function windowGeometry(
  input: Shape3, [kh, kw]: readonly [number, number], [sh, sw]: readonly [number, number], padding: Padding, where: string, what: string,
): WindowGeometry {
  const [h, w, c] = input;
  if (padding === 'valid') {
    if (kh > h || kw > w) {
      throw new RangeError(`${where}: input ${formatShape(input)} is smaller than the ${kh}×${kw} ${what} with padding 'valid'`);
    }
    return { h, w, c, kh, kw, sh, sw, pt: 0, pl: 0, oh: Math.floor((h - kh) / sh) + 1, ow: Math.floor((w - kw) / sw) + 1 };
  }
  const oh = Math.ceil(h / sh);
  const ow = Math.ceil(w / sw);
  const pt = Math.floor(Math.max((oh - 1) * sh + kh - h, 0) / 2);
  const pl = Math.floor(Math.max((ow - 1) * sw + kw - w, 0) / 2);
  return { h, w, c, kh, kw, sh, sw, pt, pl, oh, ow };
}
