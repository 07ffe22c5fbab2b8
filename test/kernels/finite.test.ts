/**
 * The finite scan (firstNonFinite) in both WASM builds against the reference: the index of
 * the first NaN, +Infinity or −Infinity (a negative NaN too), at every position of every
 * length around the SIMD step of 16 and in longer arrays; two bad values give the first;
 * the extremes of the finite range (largest, smallest subnormal, −0) are not flagged; and
 * NaN guards past the n values are never read.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeRig, randomArray } from '../helpers/harness.js';

/** NaN with its sign bit set: a different bit pattern from the NaN JavaScript writes. */
const NEGATIVE_NAN = new Float32Array(new Uint32Array([0xffc00001]).buffer)[0]!;
const BAD = [NaN, Infinity, -Infinity, NEGATIVE_NAN];
const FINITE_EXTREMES = [3.4028234663852886e38, -3.4028234663852886e38, 1.401298464324817e-45, -0, 0];
/** Every length up to three SIMD steps and a tail, then lengths of real batches. */
const SHORT = Array.from({ length: 50 }, (_, n) => n);
const LONG = [784, 1000, 4099];
const GUARD = 16;

const rig = makeRig();
afterEach(() => rig.releaseAll());

/** The values of `base` with `bad` at each of `positions`, placed before a NaN guard zone; returns its pointer. */
function place(base: Float32Array, positions: readonly number[], bad: number): number {
  const values = Float32Array.from(base);
  for (const p of positions) values[p] = bad;
  const ptr = rig.buffer(base.length + GUARD);
  rig.write(ptr, values);
  rig.poison(ptr + base.length * 4, GUARD);
  return ptr;
}

describe.each(rig.builds.map((b) => [b.flavor, b] as const))('%s firstNonFinite', (_name, k) => {
  it('finds NaN and ±Infinity at every position of every short length, as the reference does', () => {
    for (const n of SHORT) {
      const base = randomArray(n, 5 + n, -4, 4);
      const clean = place(base, [], 0);
      expect(k.firstNonFinite(clean, n), `n ${n}, all finite`).toBe(n);
      expect(rig.ref.firstNonFinite(clean, n), `reference, n ${n}`).toBe(n);
      for (let p = 0; p < n; p++) {
        for (const bad of BAD) {
          const x = place(base, [p], bad);
          expect(k.firstNonFinite(x, n), `n ${n}, ${bad} at ${p}`).toBe(p);
          expect(rig.ref.firstNonFinite(x, n), `reference, n ${n}, ${bad} at ${p}`).toBe(p);
        }
      }
      rig.releaseAll();
    }
  });

  it('gives the first of two bad values, in long arrays too', () => {
    for (const n of [...SHORT.filter((m) => m >= 2), ...LONG]) {
      const base = randomArray(n, 9 + n, -1, 1);
      for (const [first, second] of [[0, n - 1], [n >> 1, n - 1], [n - 2, n - 1], [Math.max(0, n - 17), n - 2]] as const) {
        if (first >= second) continue;
        const x = place(base, [second, first], NaN);
        rig.write(x + second * 4, [Infinity]);
        expect(k.firstNonFinite(x, n), `n ${n}, bad at ${first} and ${second}`).toBe(first);
        expect(rig.ref.firstNonFinite(x, n)).toBe(first);
      }
      rig.releaseAll();
    }
  });

  it('passes the extremes of the finite range and reads nothing past n', () => {
    for (const n of [...SHORT, ...LONG]) {
      const values = Float32Array.from({ length: n }, (_, i) => FINITE_EXTREMES[i % FINITE_EXTREMES.length]!);
      const x = place(values, [], 0);
      expect(k.firstNonFinite(x, n), `n ${n}`).toBe(n);
      expect(rig.ref.firstNonFinite(x, n)).toBe(n);
      rig.releaseAll();
    }
  });
});
