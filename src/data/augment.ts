/**
 * Training-time augmentation of images: every time a training image is put into a batch it
 * is moved by a few whole pixels, a new random shift each time, so a network sees each digit
 * at many positions and learns that position does not matter. Applied by `fit` to the batch
 * as staged (rows of channels-last pixels), never to the dataset, the validation rows or
 * inference.
 */
import type { Rng } from '../util/rng.js';
import { describe } from '../util/describe.js';
import { checkOptionKeys } from '../util/check.js';

/** Random changes made to each training image each time it is trained on. */
export interface AugmentOptions {
  /**
   * Largest shift in pixels along each axis: each image moves by `dx` and `dy` drawn
   * uniformly from the integers in [-shift, shift]. Pixels shifted in repeat the nearest edge
   * pixel (Keras's `fill_mode: 'nearest'`), so the background stays the background. 0 = off.
   */
  shift: number;
}

const AUGMENT_OPTIONS: readonly (keyof AugmentOptions)[] = ['shift'];

/**
 * Check `options` against images of `shape` (`[height, width, channels]`, or undefined for a
 * network without an image input). `where` starts every message, e.g. `'fit: augment'`.
 */
export function checkAugment(options: unknown, shape: readonly [number, number, number] | undefined, where: string): AugmentOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${where} must be an object ({ shift }), got ${describe(options)}`);
  }
  checkOptionKeys(options, AUGMENT_OPTIONS, where);
  const { shift } = options as Partial<AugmentOptions>;
  if (typeof shift !== 'number' || !Number.isInteger(shift) || shift < 0) {
    throw new RangeError(`${where}.shift must be a whole number of pixels ≥ 0, got ${describe(shift)}`);
  }
  if (!shape) throw new RangeError(`${where} moves images: the network needs an inputShape ([height, width, channels])`);
  if (shift >= Math.min(shape[0], shape[1])) {
    throw new RangeError(`${where}.shift ${shift} would move a ${shape[0]}×${shape[1]} image out of its frame; use less than ${Math.min(shape[0], shape[1])}`);
  }
  return { shift };
}

/** Shifts rows of images in place; one per training run, drawing from that run's random stream. */
export class ImageShifter {
  private readonly copy: Float32Array;

  /**
   * @param shape `[height, width, channels]` of every row.
   * @param shift Largest shift along each axis, checked by {@link checkAugment}.
   * @param rng The stream the shifts are drawn from (two draws per row).
   */
  constructor(
    private readonly shape: readonly [number, number, number],
    private readonly shift: number,
    private readonly rng: Rng,
  ) {
    this.copy = new Float32Array(shape[0] * shape[1] * shape[2]);
  }

  /** Shift each of the `rows` images stored from element `offset` of `x` by its own random amount. */
  apply(x: Float32Array, offset: number, rows: number): void {
    const [h, w, c] = this.shape;
    const size = h * w * c;
    const span = 2 * this.shift + 1;
    for (let r = 0; r < rows; r++) {
      const dx = this.rng.int(span) - this.shift;
      const dy = this.rng.int(span) - this.shift;
      if (dx === 0 && dy === 0) continue;
      const start = offset + r * size;
      this.copy.set(x.subarray(start, start + size));
      for (let y = 0; y < h; y++) {
        const from = Math.min(h - 1, Math.max(0, y - dy)) * w;
        const to = start + y * w * c;
        for (let i = 0; i < w; i++) {
          const src = (from + Math.min(w - 1, Math.max(0, i - dx))) * c;
          for (let ch = 0; ch < c; ch++) x[to + i * c + ch] = this.copy[src + ch]!;
        }
      }
    }
  }
}
