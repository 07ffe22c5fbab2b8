/**
 * `--image-layers`: the image part of a CNN on the command line, the input shape first, then
 * one token per layer, e.g. `28x28x1,conv5x5x8,maxpool2,conv5x5x16,maxpool2` (`×` works for `x`).
 *
 *   HxWxC                   input images, channels last (the data's rows must have H·W·C features)
 *   conv<kh>x<kw>x<filters> convolution; suffixes `s<stride>` and `same` (padding), e.g. conv3x3x16s2same;
 *                           its activation is the run's `--activation`
 *   maxpool<k>, avgpool<k>  k×k pooling, stride k; suffixes `s<stride>` and `same`
 *   gap                     global average pooling
 *   bn                      batch normalisation
 *   flatten                 explicit flatten
 *
 * `--layers` then gives the dense part as usual (input features first, then hidden sizes, then
 * the outputs).
 */
import { InvalidArgumentError } from 'commander';
import type { LayerSpec } from '../node.js';

/** What `--image-layers` sets. */
export interface ImageLayersOption {
  inputShape: [number, number, number];
  convolutions: LayerSpec[];
}

const SHAPE = /^(\d+)x(\d+)x(\d+)$/;
const CONV = /^conv(\d+)x(\d+)x(\d+)(?:s(\d+))?(same)?$/;
const POOL = /^(max|avg)pool(\d+)(?:s(\d+))?(same)?$/;

function positive(text: string, token: string): number {
  const n = Number(text);
  if (n < 1) throw new InvalidArgumentError(`"${token}": sizes and strides must be at least 1.`);
  return n;
}

/** One layer token as a spec; an unknown token is an error naming it. */
function layerOf(token: string): LayerSpec {
  const conv = CONV.exec(token);
  if (conv) {
    const [, kh, kw, filters, stride, same] = conv as unknown as [string, string, string, string, string | undefined, string | undefined];
    return {
      type: 'conv2d', filters: positive(filters, token), kernelSize: [positive(kh, token), positive(kw, token)],
      stride: stride === undefined ? 1 : positive(stride, token), padding: same ? 'same' : 'valid',
    };
  }
  const pool = POOL.exec(token);
  if (pool) {
    const [, kind, size, stride, same] = pool as unknown as [string, string, string, string | undefined, string | undefined];
    const k = positive(size, token);
    return { type: kind === 'max' ? 'maxPool2d' : 'avgPool2d', size: k, stride: stride === undefined ? k : positive(stride, token), padding: same ? 'same' : 'valid' };
  }
  if (token === 'gap') return { type: 'globalAvgPool' };
  if (token === 'bn') return { type: 'batchNorm' };
  if (token === 'flatten') return { type: 'flatten' };
  throw new InvalidArgumentError(`unknown image layer "${token}"; expected conv<kh>x<kw>x<filters>, maxpool<k>, avgpool<k>, gap, bn or flatten.`);
}

/** Parse `--image-layers`. */
export function parseImageLayers(value: string): ImageLayersOption {
  const tokens = value.split(',').map((t) => t.trim().toLowerCase().replaceAll('×', 'x'));
  const shape = SHAPE.exec(tokens[0] ?? '');
  if (!shape) throw new InvalidArgumentError(`the first entry must be the input shape HxWxC, e.g. 28x28x1, not "${tokens[0] ?? ''}".`);
  const [h, w, c] = shape.slice(1).map((t) => positive(t, tokens[0]!)) as [number, number, number];
  if (tokens.length < 2) throw new InvalidArgumentError('expected the input shape and at least one image layer, e.g. 28x28x1,conv5x5x8,maxpool2.');
  return { inputShape: [h, w, c], convolutions: tokens.slice(1).map(layerOf) };
}
