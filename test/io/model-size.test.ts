/**
 * Issue 15, model files: a header's parameter sizes are checked against the file's length and
 * against its own architecture before any network is built, so a few hundred bytes claiming a
 * huge network fail at once, with the byte offset, and allocate nothing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Network, ModelFormatError, decodeModel, encodeModel } from '../../src/index.js';
import { Heap } from '../../src/wasm/heap.js';
import { withHeader } from './model-header.js';


/** A small model's bytes with the first layer widened to `width`×`width`. */
function claiming(width: number, editSizes: boolean): Uint8Array {
  return withHeader(encodeModel(Network.mlp([2, 3, 1], { backend: 'js' })), (h) => {
    h.inputs = width;
    const first = h.layers[0]!;
    if (first.type !== 'dense') throw new Error('expected a dense first layer');
    first.units = width;
    if (editSizes) h.params = [{ name: 'dense_0.W', size: width * width }, { name: 'dense_0.b', size: width }, ...h.params.slice(2)];
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a model file whose header claims more than it holds', () => {
  it.each([10000, 30000])('fails before building anything when the header lists %i×%i weights the file lacks', (width) => {
    const bytes = claiming(width, true);
    expect(bytes.length).toBeLessThan(1000);
    const alloc = vi.spyOn(Heap.prototype, 'alloc');
    const decode = () => decodeModel(bytes, { backend: 'js', source: 'huge.sdnt' });
    expect(decode).toThrow(ModelFormatError);
    const weightsAt = bytes.length - 4 - 13 * 4; // the small net's 13 floats end the file
    const claimedBytes = (width * width + width + 3 + 1) * 4;
    expect(decode).toThrow(
      `huge.sdnt: header at byte 12 lists ${claimedBytes} bytes of weights from byte ${weightsAt}, but the file has ${13 * 4}`,
    );
    expect(alloc).not.toHaveBeenCalled();
  });

  it.each([10000, 30000])('fails before building anything when a %i-wide architecture disagrees with the listed sizes', (width) => {
    const bytes = claiming(width, false);
    const alloc = vi.spyOn(Heap.prototype, 'alloc');
    const decode = () => decodeModel(bytes, { backend: 'js', source: 'huge.sdnt' });
    expect(decode).toThrow(ModelFormatError);
    expect(decode).toThrow(`huge.sdnt: parameter list in the header (6, 3, 3, 1) does not match the architecture (${width * width}, ${width}, ${width}, 1)`);
    expect(alloc).not.toHaveBeenCalled();
  });

  it.each([
    [-1, '-1'],
    [2.5, '2.5'],
    ['6', '6'],
    [2 ** 53, String(2 ** 53)],
  ])('names a parameter size of %j', (size, shown) => {
    const bytes = withHeader(encodeModel(Network.mlp([2, 3, 1], { backend: 'js' })), (h) => {
      h.params[0]!.size = size as number;
    });
    expect(() => decodeModel(bytes, { backend: 'js' })).toThrow(`model: header at byte 12: params[0].size must be a non-negative integer, got ${shown}`);
  });

  it('still loads the untouched file, and refuses it under a maxMemoryBytes too small for it', () => {
    const net = Network.mlp([200, 300, 3], { backend: 'js', seed: 4 });
    const bytes = encodeModel(net);
    const { network } = decodeModel(bytes, { backend: 'js' });
    expect(network.getWeights()).toEqual(net.getWeights());
    expect(() => decodeModel(bytes, { backend: 'js', maxMemoryBytes: 65536 })).toThrow(
      'model: header describes an invalid network: layer 0 (dense): 200×300 weights need 240,000 bytes (482,400 with biases and gradients); the heap holds at most 65,536 bytes',
    );
  });
});
