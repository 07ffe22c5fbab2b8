/**
 * The boundary's scan for NaN and ±Infinity: any length (the four-way sums and their tail),
 * any position, the first bad value named by row and column; extreme finite values pass.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { checkFinite } from '../../src/data/checked.js';

it('finds a non-finite value at any position of any length, naming its row and column', () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 40 }), fc.nat(), fc.constantFrom(NaN, Infinity, -Infinity),
    (cols, rows, at, bad) => {
      const x = new Float32Array(rows * cols).map((_, i) => (i % 3 === 0 ? 3.4e38 : i % 3 === 1 ? -1e-45 : -0));
      expect(() => checkFinite(x, cols, 'predict: x')).not.toThrow();
      const i = at % x.length;
      x[i] = bad;
      expect(() => checkFinite(x, cols, 'predict: x')).toThrow(`predict: x: non-finite value ${bad} at row ${Math.floor(i / cols)}, column ${i % cols}`);
    },
  ), { numRuns: 400 });
});
