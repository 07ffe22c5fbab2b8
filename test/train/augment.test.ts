/**
 * Training-time image shifts: the shifter against a direct per-pixel reference (every shift
 * of a small non-square colour image, edge pixels repeated, rows outside the block untouched),
 * and fit's `augment` option — seeded, changes training but not the data, refuses what it
 * cannot do with messages that name the option.
 */
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/node.js';
import { ImageShifter } from '../../src/data/augment.js';
import type { Dataset } from '../../src/data/dataset.js';
import { Rng } from '../../src/util/rng.js';

/** Pixel (y, x, ch) of an image shifted by (dx, dy), read from the original with clamped coordinates. */
function shiftedReference(img: Float32Array, [h, w, c]: readonly number[], dx: number, dy: number): Float32Array {
  const out = new Float32Array(img.length);
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
  for (let y = 0; y < h!; y++) {
    for (let x = 0; x < w!; x++) {
      for (let ch = 0; ch < c!; ch++) out[(y * w! + x) * c! + ch] = img[(clamp(y - dy, h!) * w! + clamp(x - dx, w!)) * c! + ch]!;
    }
  }
  return out;
}

describe('ImageShifter', () => {
  const shape = [5, 7, 3] as const;
  const size = 5 * 7 * 3;

  it('moves each row by its own (dx, dy) from the stream, repeating edge pixels, and leaves the rest of the buffer alone', () => {
    const rows = 40;
    const guard = 11;
    const source = new Rng(1);
    const x = new Float32Array(guard + rows * size + guard).map(() => source.next());
    const before = x.slice();
    new ImageShifter(shape, 2, new Rng(5)).apply(x, guard, rows);
    const draws = new Rng(5);
    const seen = new Set<string>();
    for (let r = 0; r < rows; r++) {
      // The shifter draws dx then dy, each uniform over -2…2.
      const dx = draws.int(5) - 2;
      const dy = draws.int(5) - 2;
      seen.add(`${dx},${dy}`);
      const at = guard + r * size;
      expect(x.subarray(at, at + size), `row ${r} (dx ${dx}, dy ${dy})`).toEqual(shiftedReference(before.subarray(at, at + size), shape, dx, dy));
    }
    expect(seen.size).toBeGreaterThan(12);
    expect(x.subarray(0, guard)).toEqual(before.subarray(0, guard));
    expect(x.subarray(guard + rows * size)).toEqual(before.subarray(guard + rows * size));
  });

  it('shift 1 moves a single bright pixel by at most one step, and never loses it from the frame', () => {
    const one = [6, 6, 1] as const;
    const shifter = new ImageShifter(one, 1, new Rng(3));
    for (let trial = 0; trial < 50; trial++) {
      const x = new Float32Array(36);
      x[2 * 6 + 3] = 1;
      shifter.apply(x, 0, 1);
      const at = x.indexOf(1);
      expect(x.reduce((a, b) => a + b)).toBe(1);
      expect(Math.abs(Math.floor(at / 6) - 2)).toBeLessThanOrEqual(1);
      expect(Math.abs((at % 6) - 3)).toBeLessThanOrEqual(1);
    }
  });
});

// 8×8 pictures of two classes: a bright vertical or horizontal bar at a random place.
const bars = ((): Dataset => {
  const rng = new Rng(4);
  const rows = 64;
  const x = new Float32Array(rows * 64);
  const y = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    const c = r % 2;
    const at = 1 + rng.int(6);
    for (let i = 0; i < 8; i++) x[r * 64 + (c === 0 ? at * 8 + i : i * 8 + at)] = 1;
    y[r * 2 + c] = 1;
  }
  return { x, y, rows, features: 64, outputs: 2 };
})();

const cnn = (seed = 2) => new Network({
  inputShape: [8, 8, 1], seed, threads: 1,
  layers: [{ type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu' }, { type: 'maxPool2d', size: 2 }, { type: 'dense', units: 2, activation: 'softmax' }],
});

describe('fit: augment', () => {
  const options = { epochs: 3, batchSize: 16, optimizer: 'adam', learningRate: 0.01 } as const;

  it('is seeded: the same seed gives the same weights, and the training data is left as it was', async () => {
    const before = bars.x.slice();
    const a = cnn();
    const b = cnn();
    await a.fit(bars, { ...options, augment: { shift: 2 } });
    await b.fit(bars, { ...options, augment: { shift: 2 } });
    expect(a.getWeights()).toEqual(b.getWeights());
    expect(bars.x).toEqual(before);
  });

  it('changes what is trained on (shift 2), and shift 0 changes nothing', async () => {
    const plain = cnn();
    const none = cnn();
    const shifted = cnn();
    const h = await plain.fit(bars, options);
    const h0 = await none.fit(bars, { ...options, augment: { shift: 0 } });
    await shifted.fit(bars, { ...options, augment: { shift: 2 } });
    expect(none.getWeights()).toEqual(plain.getWeights());
    expect(h0.epochs.map((e) => e.loss)).toEqual(h.epochs.map((e) => e.loss));
    expect(shifted.getWeights()).not.toEqual(plain.getWeights());
  });

  it('refuses options it cannot apply, naming them', async () => {
    const fitWith = (augment: unknown, net: Network = cnn()) => net.fit(bars, { ...options, augment: augment as never });
    await expect(fitWith(2)).rejects.toThrow('fit: augment must be an object ({ shift }), got');
    await expect(fitWith({ shfit: 1 })).rejects.toThrow('fit: augment: unknown option "shfit"; did you mean "shift"?');
    await expect(fitWith({ shift: -1 })).rejects.toThrow('fit: augment.shift must be a whole number of pixels ≥ 0, got a number (-1)');
    await expect(fitWith({ shift: 1.5 })).rejects.toThrow('fit: augment.shift must be a whole number of pixels ≥ 0, got a number (1.5)');
    await expect(fitWith({ shift: 8 })).rejects.toThrow('fit: augment.shift 8 would move a 8×8 image out of its frame; use less than 8');
    const mlp = Network.mlp([64, 4, 2], { seed: 1, threads: 1 });
    await expect(fitWith({ shift: 1 }, mlp)).rejects.toThrow('fit: augment moves images: the network needs an inputShape ([height, width, channels])');
  });
});
