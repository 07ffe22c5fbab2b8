/**
 * A small seeded random number generator: xoshiro128** seeded through splitmix32. Every
 * random choice in simdnet (data generators, shuffles, weight initialisers, dropout) draws
 * from one of these, so a seed reproduces a run exactly.
 */

/** An index-addressable, writable sequence: a typed array or a plain array. */
export interface MutableArrayLike<T> {
  readonly length: number;
  [index: number]: T;
}

const TWO_POW_32 = 4294967296;

/** A generator's whole state, as plain data: enough to continue its stream exactly. */
export interface RngState {
  /** The four 32-bit words of xoshiro128**, as unsigned integers. */
  words: [number, number, number, number];
  /** The cached second Box–Muller value, or null when none is cached. */
  spare: number | null;
}

/**
 * Seeded PRNG (xoshiro128**, period 2^128 − 1). Deterministic per seed and independent of
 * `Math.random`.
 *
 * @example
 * ```ts
 * import { Rng } from 'simdnet';
 *
 * const rng = new Rng(42);
 * rng.next();        // uniform in [0, 1)
 * rng.normal(0, 2);  // Gaussian, mean 0, std 2
 * rng.int(10);       // 0..9
 * rng.shuffle(Uint32Array.from([0, 1, 2, 3]));
 * ```
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  /** Second Box–Muller value, kept for the next `normal` call. */
  private spare = NaN;

  /**
   * @param seed Any safe integer (negative and values above 2^32 are fine: both halves are
   *   mixed into the state).
   */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new TypeError(`Rng: seed must be a safe integer, got ${seed}`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / TWO_POW_32) >>> 0;
    // splitmix32 spreads a low-entropy seed (0, 1, 2 …) over the whole 128-bit state,
    // which xoshiro needs: it must not start all-zero and converges slowly from sparse states.
    let x = (lo ^ Math.imul(hi, 0x9e3779b9)) >>> 0;
    const step = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = step();
    this.s1 = step();
    this.s2 = step();
    this.s3 = step();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The generator's state, to continue its stream later with {@link Rng.setState}. */
  getState(): RngState {
    return { words: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spare: Number.isNaN(this.spare) ? null : this.spare };
  }

  /** Continue the stream from a state taken with {@link Rng.getState}. */
  setState(state: RngState): void {
    const words = state?.words;
    if (!Array.isArray(words) || words.length !== 4 || words.some((w) => !Number.isInteger(w) || w < 0 || w >= TWO_POW_32) || words.every((w) => w === 0)) {
      throw new TypeError('Rng.setState: words must be four unsigned 32-bit integers, not all zero');
    }
    if (state.spare !== null && !Number.isFinite(state.spare)) throw new TypeError(`Rng.setState: spare must be a finite number or null, got ${state.spare}`);
    [this.s0, this.s1, this.s2, this.s3] = words.map((w) => w | 0) as [number, number, number, number];
    this.spare = state.spare ?? NaN;
  }

  /** The next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1), a multiple of 2^−32. */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  /** Gaussian with the given mean and standard deviation (Box–Muller, pairs cached). */
  normal(mean = 0, std = 1): number {
    let z = this.spare;
    if (Number.isNaN(z)) {
      const u = 1 - this.next(); // (0, 1]: log(0) would be −∞
      const r = Math.sqrt(-2 * Math.log(u));
      const theta = 2 * Math.PI * this.next();
      z = r * Math.cos(theta);
      this.spare = r * Math.sin(theta);
    } else {
      this.spare = NaN;
    }
    return mean + std * z;
  }

  /** Uniform integer in [0, n), without modulo bias. `n` must be an integer in [1, 2^32]. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) throw new RangeError(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    // Reject the top sliver of the 32-bit range that would make small results more likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let u = this.nextUint32();
    while (u >= limit) u = this.nextUint32();
    return u % n;
  }

  /** Shuffle `array` in place (Fisher–Yates) and return it. */
  shuffle<A extends MutableArrayLike<unknown>>(array: A): A {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /** A random permutation of 0..n−1. */
  permutation(n: number): Uint32Array {
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return this.shuffle(order);
  }

  /**
   * An independent generator seeded from this one's stream: handy for giving a
   * sub-task its own reproducible sequence without disturbing the parent's later draws
   * beyond the two values consumed here.
   */
  fork(): Rng {
    return new Rng(this.nextUint32() * 0x200000 + (this.nextUint32() >>> 11));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Accepts a seed or an existing generator, so callers can share one stream. */
export type SeedOrRng = number | Rng;

/** A generator from a seed, or the same generator when one is passed. */
export function toRng(seed: SeedOrRng): Rng {
  return typeof seed === 'number' ? new Rng(seed) : seed;
}
