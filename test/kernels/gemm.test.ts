/**
 * GEMM against the reference backend, for both WASM builds × all four transpose cases ×
 * a shape table (1×1×1, every m/n tail around the 5×8 tile, small and odd k, tall, wide,
 * zero sizes, shapes crossing the KC/MC/NC cache blocks) × alpha/beta/bias/activation/stride
 * configurations.
 *
 * The prepacked entry (gemmPackB + gemmPacked) runs the same tables and must equal gemm bit
 * for bit.
 *
 * Every case also checks what must not change: guard zones after every buffer (A, B, C,
 * bias, workspace), the padding columns of C (a sentinel), and the inputs A, B and bias
 * bit for bit. Padding columns of A and B hold NaN, so a kernel that reads them is caught.
 *
 * Tolerance. The reference sums each dot product in f64 and rounds once; the kernels sum
 * in f32 in KC-long slices. The probabilistic bound for an f32 sum of k products is about
 * √k·u·Σ|aᵢbᵢ| (u = 2⁻²⁴), and Σ|aᵢbᵢ| ≤ k·max|a|·max|b|, so
 *   atol = |alpha|·√k·k·u·max|a|·max|b| + 4u·(|beta|·max|C| + max|bias|),
 * the second term for rounding the beta·C and bias additions. rtol = 1e-4 absorbs the
 * activation implementations (the WASM sigmoid/tanh need not round like Math.exp).
 * A real bug (a missing or repeated product, a wrong stride) is orders of magnitude larger.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeRig, expectClose, randomArray, type Rig } from '../helpers/harness.js';
import { firstDifference } from '../threads/rig.js';
import { Act, type ActCode, type Kernels } from '../../src/backend/kernels.js';

/** The micro-tile of assembly/gemm.ts (MR×NR); the tails below are chosen around it. */
const TILE_M = 5;
const TILE_N = 8;
const U = 2 ** -24;
const RTOL = 1e-4;
/** Written into the padding columns of C; must survive every call. */
const SENTINEL = -31337.5;

interface Config {
  alpha: number;
  beta: number;
  /** Fill C with NaN before the call (only meaningful with beta = 0). */
  poison: boolean;
  bias: boolean;
  act: ActCode;
  /** Leading dimensions larger than the row length. */
  pad: boolean;
}

const PLAIN: Config = { alpha: 1, beta: 0, poison: true, bias: false, act: Act.identity, pad: false };

const ALPHA_BETA = [
  { alpha: 1, beta: 0, poison: true },
  { alpha: 0.5, beta: 0, poison: true },
  { alpha: 1, beta: 1, poison: false },
  { alpha: -2, beta: 0.5, poison: false },
];
const ACTS: ActCode[] = [Act.identity, Act.relu, Act.sigmoid, Act.tanh];

/** Every combination of alpha/beta × bias × activation × strides (64 configs). */
const ALL_CONFIGS: Config[] = ALPHA_BETA.flatMap((ab) =>
  [false, true].flatMap((bias) => ACTS.flatMap((act) => [false, true].map((pad) => ({ ...ab, bias, act, pad })))),
);

function describeConfig(c: Config): string {
  return `alpha=${c.alpha} beta=${c.beta}${c.poison ? ' (C=NaN)' : ''} bias=${c.bias} act=${c.act} pad=${c.pad}`;
}

const TRANSPOSES = [
  { transA: false, transB: false, name: 'NN' },
  { transA: true, transB: false, name: 'TN' },
  { transA: false, transB: true, name: 'NT' },
  { transA: true, transB: true, name: 'TT' },
];

type Shape = [m: number, n: number, k: number];

/** Named shapes, each run with the plain config and with one rotating full config. */
const SHAPES: { name: string; shape: Shape }[] = [
  { name: '1×1×1', shape: [1, 1, 1] },
  { name: 'one tile', shape: [TILE_M, TILE_N, 8] },
  { name: 'tile multiples', shape: [3 * TILE_M, 4 * TILE_N, 16] },
  { name: 'k = 1', shape: [6, 10, 1] },
  { name: 'k = 3', shape: [6, 10, 3] },
  { name: 'k = 17', shape: [6, 10, 17] },
  { name: 'tall', shape: [1000, 3, 5] },
  { name: 'wide', shape: [3, 1000, 7] },
  { name: 'm = 0', shape: [0, 5, 3] },
  { name: 'n = 0', shape: [5, 0, 3] },
  { name: 'k = 0', shape: [5, 3, 0] },
  { name: 'large odd', shape: [513, 257, 129] },
  // KC = MC = NC = 256 in assembly/gemm.ts: these cross every block boundary unevenly.
  { name: 'crosses KC', shape: [20, 24, 520] },
  { name: 'crosses MC, NC', shape: [520, 530, 37] },
  { name: 'crosses all blocks', shape: [300, 270, 300] },
  // Narrow and tall: computed transposed (Cᵀ = op(B)ᵀ·op(A)ᵀ), the 784-25-10 layers.
  { name: 'narrow, tall', shape: [263, 25, 300] },
  { name: 'narrow, crosses NC in m', shape: [520, 10, 37] },
];

/** Every m tail (1..2·TILE_M+1) × every n tail (1..2·TILE_N+1). */
const TAIL_SHAPES: Shape[] = [];
for (let m = 1; m <= 2 * TILE_M + 1; m++) for (let n = 1; n <= 2 * TILE_N + 1; n++) TAIL_SHAPES.push([m, n, 5]);

/**
 * Every width below 4·TILE_N over m at and past the 32 rows where a narrow C may run
 * transposed (with an m tail), and k crossing a KC slice.
 */
const NARROW_SHAPES: Shape[] = [];
for (let n = 1; n < 4 * TILE_N; n++) for (const m of [4 * TILE_N, 47]) NARROW_SHAPES.push([m, n, n % 2 ? 19 : 270]);

/** Shapes run with all 64 configs. */
const SWEEP_SHAPES: Shape[] = [[9, 17, 19], [37, 45, 300]];

const rig: Rig = makeRig();
afterEach(() => rig.releaseAll());

function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i]!)) m = Math.max(m, Math.abs(v[i]!));
  return m;
}

/** A rows×ld matrix with random values in the first `cols` columns and `fill` in the rest. */
function matrix(rows: number, cols: number, ld: number, seed: number, fill: number): Float32Array {
  const values = randomArray(rows * ld, seed);
  for (let r = 0; r < rows; r++) values.fill(fill, r * ld + cols, (r + 1) * ld);
  return values;
}

/**
 * Run one case on `kernels` and compare against the reference backend. With `packed`, op(B)
 * is packed first (gemmPackB) and multiplied by gemmPacked, whose C must also equal the
 * plain gemm's bit for bit, and the packed buffer must stay within its size.
 */
function runCase(kernels: Kernels, transA: boolean, transB: boolean, [m, n, k]: Shape, cfg: Config, seed: number, packed = false): void {
  const what = `${kernels.flavor}${packed ? ' packed' : ''} ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'} ${m}×${n}×${k} ${describeConfig(cfg)}`;
  const [aRows, aCols] = transA ? [k, m] : [m, k];
  const [bRows, bCols] = transB ? [n, k] : [k, n];
  const lda = aCols + (cfg.pad ? 3 : 0);
  const ldb = bCols + (cfg.pad ? 5 : 0);
  const ldc = n + (cfg.pad ? 2 : 0);

  const aValues = matrix(aRows, aCols, lda, seed, NaN);
  const bValues = matrix(bRows, bCols, ldb, seed + 1, NaN);
  const cValues = matrix(m, n, ldc, seed + 2, SENTINEL);
  if (cfg.poison) for (let i = 0; i < m; i++) cValues.fill(NaN, i * ldc, i * ldc + n);
  const biasValues = randomArray(n, seed + 3);

  const a = rig.buffer(aValues.length, aValues);
  const b = rig.buffer(bValues.length, bValues);
  const c = rig.buffer(cValues.length, cValues);
  const cRef = rig.buffer(cValues.length, cValues);
  const bias = cfg.bias ? rig.buffer(n, biasValues) : 0;
  const workFloats = kernels.gemmWorkspaceBytes() / 4;
  const work = rig.buffer(workFloats);

  rig.ref.gemm(transA, transB, m, n, k, cfg.alpha, a, lda, b, ldb, cfg.beta, cRef, ldc, bias, cfg.act, 0.01, 0);
  kernels.gemm(transA, transB, m, n, k, cfg.alpha, a, lda, b, ldb, cfg.beta, c, ldc, bias, cfg.act, 0.01, work);
  if (packed) {
    const plain = rig.read(c, cValues.length);
    const packedFloats = kernels.gemmPackedBytes(n, k) / 4;
    expect(packedFloats % 4, `${what}: packed size`).toBe(0);
    const pb = rig.buffer(packedFloats);
    rig.write(c, cValues);
    kernels.gemmPackB(transB, n, k, b, ldb, pb);
    kernels.gemmPacked(transA, m, n, k, cfg.alpha, a, lda, pb, cfg.beta, c, ldc, bias, cfg.act, 0.01, work);
    const at = firstDifference(rig.read(c, cValues.length), plain);
    expect(at, `${what}: differs from gemm at ${at}`).toBe(-1);
    rig.expectGuard(pb, packedFloats, `${what}: packed B`);
  }

  const expected = rig.read(cRef, cValues.length);
  const actual = rig.read(c, cValues.length);
  let maxC = 0;
  for (let i = 0; i < m; i++) maxC = Math.max(maxC, maxAbs(cValues.subarray(i * ldc, i * ldc + n)));
  const atol = Math.abs(cfg.alpha) * Math.sqrt(k) * k * U * maxAbs(aValues) * maxAbs(bValues)
    + 4 * U * (Math.abs(cfg.beta) * maxC + (cfg.bias ? maxAbs(biasValues) : 0));
  for (let i = 0; i < m; i++) {
    expectClose(actual.subarray(i * ldc, i * ldc + n), expected.subarray(i * ldc, i * ldc + n), RTOL, atol, `${what}: row ${i}`);
    for (let j = n; j < ldc; j++) {
      if (actual[i * ldc + j] !== SENTINEL) throw new Error(`${what}: padding C[${i}, ${j}] changed to ${actual[i * ldc + j]}`);
    }
  }
  expectClose(rig.read(a, aValues.length), aValues, 0, 0, `${what}: A changed`);
  expectClose(rig.read(b, bValues.length), bValues, 0, 0, `${what}: B changed`);
  if (bias) expectClose(rig.read(bias, n), biasValues, 0, 0, `${what}: bias changed`);
  rig.expectGuard(a, aValues.length, `${what}: A`);
  rig.expectGuard(b, bValues.length, `${what}: B`);
  rig.expectGuard(c, cValues.length, `${what}: C`);
  if (bias) rig.expectGuard(bias, n, `${what}: bias`);
  rig.expectGuard(work, workFloats, `${what}: workspace`);
}

describe('gemm workspace', () => {
  it('is a positive 16-byte multiple for the WASM builds and 0 for the reference', () => {
    for (const kernels of rig.builds) {
      const bytes = kernels.gemmWorkspaceBytes();
      expect(bytes, kernels.flavor).toBeGreaterThan(0);
      expect(bytes % 16, kernels.flavor).toBe(0);
    }
    expect(rig.ref.gemmWorkspaceBytes()).toBe(0);
  });
});

describe('packed B size', () => {
  it('is 0 for an empty B and a 16-byte multiple holding op(B) otherwise', () => {
    for (const kernels of [...rig.builds, rig.ref]) {
      expect(kernels.gemmPackedBytes(0, 5), kernels.flavor).toBe(0);
      expect(kernels.gemmPackedBytes(5, 0), kernels.flavor).toBe(0);
      for (const [n, k] of [[1, 1], [10, 64], [25, 784], [257, 3]] as const) {
        const bytes = kernels.gemmPackedBytes(n, k);
        expect(bytes % 16, `${kernels.flavor} ${n}×${k}`).toBe(0);
        expect(bytes, `${kernels.flavor} ${n}×${k}`).toBeGreaterThanOrEqual(4 * n * k);
      }
    }
  });
});

/** Every tail shape with k crossing a KC slice too (the packed layout is per slice). */
const PACKED_SHAPES: Shape[] = [...SHAPES.map((s) => s.shape), ...TAIL_SHAPES.map(([m, n]): Shape => [m, n, 300]), ...NARROW_SHAPES];

describe.each(rig.builds.map((kernels) => ({ kernels, flavor: kernels.flavor })))('gemm packed $flavor', ({ kernels }) => {
  it.each(TRANSPOSES)('$name: equals gemm bit for bit and the reference within tolerance', ({ transA, transB }) => {
    PACKED_SHAPES.forEach((shape, index) => {
      runCase(kernels, transA, transB, shape, ALL_CONFIGS[(index * 7) % ALL_CONFIGS.length]!, 700 + index, true);
      rig.releaseAll();
    });
  });
});

describe.each(rig.builds.map((kernels) => ({ kernels, flavor: kernels.flavor })))('gemm $flavor', ({ kernels }) => {
  describe.each(TRANSPOSES)('$name', ({ transA, transB }) => {
    it.each(SHAPES.map((s, index) => ({ ...s, index })))('$name ($shape)', ({ shape, index }) => {
      runCase(kernels, transA, transB, shape, PLAIN, 100 + index);
      rig.releaseAll();
      const rotating = ALL_CONFIGS[(index * 13 + (transA ? 1 : 0) + (transB ? 2 : 0)) % ALL_CONFIGS.length]!;
      runCase(kernels, transA, transB, shape, rotating, 200 + index);
    });

    it('every m and n tail around the tile', () => {
      TAIL_SHAPES.forEach((shape, index) => {
        runCase(kernels, transA, transB, shape, ALL_CONFIGS[index % ALL_CONFIGS.length]!, 300 + index);
        rig.releaseAll();
      });
    });

    it('every narrow n over tall m', () => {
      NARROW_SHAPES.forEach((shape, index) => {
        runCase(kernels, transA, transB, shape, ALL_CONFIGS[(index * 5) % ALL_CONFIGS.length]!, 400 + index);
        rig.releaseAll();
      });
    });

    it.each(SWEEP_SHAPES)('all alpha/beta/bias/activation/stride configs at %i×%i×%i', (m, n, k) => {
      ALL_CONFIGS.forEach((cfg, index) => {
        runCase(kernels, transA, transB, [m, n, k], cfg, 500 + index);
        rig.releaseAll();
      });
    });
  });
});

/**
 * A narrow, tall C may be computed transposed; each element must still sum and round as in
 * the untransposed route, which a call on TILE_M rows takes. So: one call on all m rows
 * equals calls on TILE_M rows at a time, bit for bit.
 */
describe.each(rig.builds.map((kernels) => ({ kernels, flavor: kernels.flavor })))('narrow gemm $flavor', ({ kernels }) => {
  it.each(TRANSPOSES)('$name: all rows at once equal TILE_M rows at a time bit for bit', ({ transA, transB }) => {
    const configs = [PLAIN, ...ALL_CONFIGS.filter((c) => c.bias && c.act !== Act.identity && !c.pad)];
    NARROW_SHAPES.forEach(([m, n, k], index) => {
      const cfg = configs[index % configs.length]!;
      const lda = transA ? m : k;
      const ldb = transB ? k : n;
      const a = rig.buffer(m * k, randomArray(m * k, 900 + index));
      const b = rig.buffer(k * n, randomArray(k * n, 901 + index));
      const start = randomArray(m * n, 902 + index);
      const bias = cfg.bias ? rig.buffer(n, randomArray(n, 903 + index)) : 0;
      const work = rig.buffer(kernels.gemmWorkspaceBytes() / 4);
      const whole = rig.buffer(m * n, start);
      const byTiles = rig.buffer(m * n, start);
      kernels.gemm(transA, transB, m, n, k, cfg.alpha, a, lda, b, ldb, cfg.beta, whole, n, bias, cfg.act, 0.01, work);
      for (let i = 0; i < m; i += TILE_M) {
        const rows = Math.min(TILE_M, m - i);
        const aRows = a + 4 * (transA ? i : i * lda);
        kernels.gemm(transA, transB, rows, n, k, cfg.alpha, aRows, lda, b, ldb, cfg.beta, byTiles + 4 * i * n, n, bias, cfg.act, 0.01, work);
      }
      const at = firstDifference(rig.read(whole, m * n), rig.read(byTiles, m * n));
      expect(at, `${kernels.flavor} ${m}×${n}×${k} ${describeConfig(cfg)}: differs at ${at}`).toBe(-1);
      rig.releaseAll();
    });
  });
});

// With alpha 1, beta 0 and no bias the SIMD build stores full 5×8 tiles straight into C
// (f32_gemm_ukernel_5x8_into); a zero bias sends every tile through the tile buffer and
// f32_gemm_store_tile instead, adding exact zeros (a sum that starts from +0 is never −0).
describe.each(rig.builds.map((kernels) => ({ kernels, flavor: kernels.flavor })))('gemm identity epilogue $flavor', ({ kernels }) => {
  const shapes: Shape[] = [[60, 40, 16], [23, 17, 9], [37, 45, 300], [5, 8, 1], [41, 200, 16]];
  it.each(TRANSPOSES)('$name: full tiles straight into C give the bits of the tile path', ({ transA, transB }) => {
    shapes.forEach(([m, n, k], index) => {
      const a = rig.buffer(m * k, randomArray(m * k, 950 + index));
      const b = rig.buffer(k * n, randomArray(k * n, 960 + index));
      const zeros = rig.buffer(n, new Float32Array(n));
      const work = rig.buffer(kernels.gemmWorkspaceBytes() / 4);
      const [direct, viaTile] = [rig.buffer(m * n, new Float32Array(m * n).fill(NaN)), rig.buffer(m * n, new Float32Array(m * n).fill(NaN))];
      kernels.gemm(transA, transB, m, n, k, 1, a, transA ? m : k, b, transB ? k : n, 0, direct, n, 0, Act.identity, 0, work);
      kernels.gemm(transA, transB, m, n, k, 1, a, transA ? m : k, b, transB ? k : n, 0, viaTile, n, zeros, Act.identity, 0, work);
      const at = firstDifference(rig.read(direct, m * n), rig.read(viaTile, m * n));
      expect(at, `${kernels.flavor} ${m}×${n}×${k}: differs at ${at}`).toBe(-1);
      expect(rig.read(direct, m * n).some(Number.isNaN), `${kernels.flavor} ${m}×${n}×${k}: an element left unwritten`).toBe(false);
      rig.releaseAll();
    });
  });
});
