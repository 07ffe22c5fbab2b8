/**
 * Threaded GEMM and elementwise kernels against the single-threaded kernels (bit for bit)
 * and the reference backend (within the GEMM tolerance of test/kernels/gemm.test.ts), for
 * 1, 2, 3 and more threads than cores, every transpose case, tails around the 4×8 tile,
 * shapes crossing the cache blocks, and the fused bias/beta/activation epilogue; the packed-B
 * entry (split by rows only) bit-identical to the plain GEMM on one thread. Splitting
 * thresholds are at their minimum so every shape is really cut into panels.
 */
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { Act, type ActCode, type Kernels } from '../../src/backend/kernels.js';
import { firstDifference, makeThreadRig, seeded } from './rig.js';

const rig = makeThreadRig();
const THREADS = [1, 2, 3, availableParallelism() + 2];
const SENTINEL = -31337.5;
const U = 2 ** -24;

type Shape = [m: number, n: number, k: number];
const SHAPES: Shape[] = [
  [1, 1, 1], [4, 8, 8], [5, 9, 3], [9, 17, 19], [3, 1000, 7], [1000, 3, 5], [13, 40, 1],
  [64, 64, 64], [37, 45, 300], [300, 270, 300], [520, 24, 37], [20, 530, 520], [7, 5, 0], [0, 5, 3],
  // Narrow and tall: computed transposed whole, in row panels either way.
  [96, 25, 300], [263, 10, 70],
];
const TRANSPOSES = [[false, false], [true, false], [false, true], [true, true]] as const;

interface Epilogue { alpha: number; beta: number; bias: boolean; act: ActCode }
const EPILOGUES: Epilogue[] = [
  { alpha: 1, beta: 0, bias: false, act: Act.identity },
  { alpha: 0.5, beta: 1, bias: true, act: Act.sigmoid },
  { alpha: -2, beta: 0.5, bias: true, act: Act.tanh },
  { alpha: 1, beta: 0, bias: true, act: Act.relu },
];

const live: number[] = [];
function put(values: ArrayLike<number>): number {
  const ptr = rig.heap.alloc(values.length * 4 + 64);
  live.push(ptr);
  rig.heap.f32.set(values, ptr >> 2);
  return ptr;
}
afterEach(() => {
  while (live.length) rig.heap.release(live.pop()!);
});

/** {@link gemmCase}, or with `packed` op(B) packed by gemmPackB and multiplied by gemmPacked. */
function gemmCase(kernels: Kernels, work: number, [transA, transB]: readonly [boolean, boolean], [m, n, k]: Shape, e: Epilogue, seed: number, packed = false): Float32Array {
  const ldc = n + 3;
  const a = put(seeded(m * k, seed));
  const b = put(seeded(k * n, seed + 1));
  const c0 = seeded(m * ldc, seed + 2);
  for (let i = 0; i < m; i++) c0.fill(SENTINEL, i * ldc + n, (i + 1) * ldc);
  const c = put(c0);
  const bias = e.bias ? put(seeded(n, seed + 3)) : 0;
  if (packed) {
    const pb = put(new Float32Array(kernels.gemmPackedBytes(n, k) / 4));
    kernels.gemmPackB(transB, n, k, b, transB ? k : n, pb);
    kernels.gemmPacked(transA, m, n, k, e.alpha, a, transA ? m : k, pb, e.beta, c, ldc, bias, e.act, 0, work);
  } else {
    kernels.gemm(transA, transB, m, n, k, e.alpha, a, transA ? m : k, b, transB ? k : n, e.beta, c, ldc, bias, e.act, 0, work);
  }
  return rig.heap.f32.slice(c >> 2, (c >> 2) + m * ldc);
}

/** Start the pool and wait until every worker is up, so the cases below really run on them. */
async function workersUp(threads: number): Promise<void> {
  const kernels = rig.threaded(threads);
  gemmCase(kernels, rig.work, [false, false], [64, 64, 8], EPILOGUES[0]!, 1);
  const deadline = Date.now() + 30_000;
  while (rig.pool(threads).readyWorkers < threads - 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(rig.pool(threads).readyWorkers).toBe(threads - 1);
}

describe.each(THREADS)('gemm with %i threads', (threads) => {
  const kernels = rig.threaded(threads);
  it('starts its workers', () => workersUp(threads));
  it.each(TRANSPOSES.map(([ta, tb]) => ({ ta, tb, name: `${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}` })))('$name: bit-identical to one thread, close to the reference', ({ ta, tb }) => {
    SHAPES.forEach((shape, i) => {
      const e = EPILOGUES[i % EPILOGUES.length]!;
      const what = `${threads} threads ${ta ? 'T' : 'N'}${tb ? 'T' : 'N'} ${shape.join('×')} ${JSON.stringify(e)}`;
      const one = gemmCase(rig.single, rig.work, [ta, tb], shape, e, 10 * i);
      const many = gemmCase(kernels, rig.work, [ta, tb], shape, e, 10 * i);
      const ref = gemmCase(rig.ref, 0, [ta, tb], shape, e, 10 * i);
      const at = firstDifference(one, many);
      expect(at, `${what}: first difference at ${at}: ${one[at]} vs ${many[at]}`).toBe(-1);
      const [, , k] = shape;
      const atol = Math.abs(e.alpha) * Math.sqrt(k) * k * U + 8 * U * 3 + 1e-6;
      for (let j = 0; j < ref.length; j++) {
        if (Math.abs(many[j]! - ref[j]!) > atol + 1e-4 * Math.abs(ref[j]!)) throw new Error(`${what}: element ${j} is ${many[j]}, reference ${ref[j]}`);
      }
    });
  });
});

describe.each(THREADS)('packed gemm with %i threads', (threads) => {
  const kernels = rig.threaded(threads);
  it.each(TRANSPOSES.map(([ta, tb]) => ({ ta, tb, name: `${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}` })))('$name: bit-identical to one thread\'s plain gemm', ({ ta, tb }) => {
    SHAPES.forEach((shape, i) => {
      const e = EPILOGUES[i % EPILOGUES.length]!;
      const what = `${threads} threads packed ${ta ? 'T' : 'N'}${tb ? 'T' : 'N'} ${shape.join('×')} ${JSON.stringify(e)}`;
      const one = gemmCase(rig.single, rig.work, [ta, tb], shape, e, 10 * i);
      const many = gemmCase(kernels, rig.work, [ta, tb], shape, e, 10 * i, true);
      const at = firstDifference(one, many);
      expect(at, `${what}: first difference at ${at}: ${one[at]} vs ${many[at]}`).toBe(-1);
    });
  });
});

describe.each(THREADS)('elementwise kernels with %i threads', (threads) => {
  const kernels = rig.threaded(threads);
  // Lengths around the 16-float split granule and the 4-float SIMD width.
  const LENGTHS = [0, 1, 15, 16, 17, 33, 100, 1001, 4099];

  function run(k: Kernels, n: number, op: (k: Kernels, p: number[]) => void, inputs: number): Float32Array {
    const ptrs = Array.from({ length: inputs }, (_, i) => put(seeded(n, 7 * i + n).map((v) => (i === 3 ? Math.abs(v) : v))));
    op(k, ptrs);
    return Float32Array.from(ptrs.flatMap((p) => Array.from(rig.heap.floats(p, n))));
  }

  const OPS: [string, number, (k: Kernels, p: number[], n: number) => void][] = [
    ['tanh forward', 2, (k, [x, y], n) => k.activationForward(Act.tanh, 0, x!, y!, n)],
    ['sigmoid backward in place', 3, (k, [z, a, d], n) => k.activationBackward(Act.sigmoid, 0, z!, a!, d!, d!, n)],
    ['add', 3, (k, [x, y, o], n) => k.add(x!, y!, o!, n)],
    ['axpy', 2, (k, [x, y], n) => k.axpy(0.25, x!, y!, n)],
    ['scale in place', 1, (k, [x], n) => k.scale(x!, 3, x!, n)],
    ['adam', 4, (k, [w, g, m, v], n) => k.adam(w!, g!, m!, v!, n, 1e-3, 0.9, 0.999, 1e-8, 3)],
    ['momentum (nesterov)', 3, (k, [w, g, v], n) => k.momentum(w!, g!, v!, n, 0.1, 0.9, true)],
  ];
  it.each(OPS.map(([name, inputs, op]) => ({ name, inputs, op })))('$name: bit-identical to one thread', ({ inputs, op }) => {
    for (const n of LENGTHS) {
      const one = run(rig.single, n, (k, p) => op(k, p, n), inputs);
      const many = run(kernels, n, (k, p) => op(k, p, n), inputs);
      expect(firstDifference(one, many), `n = ${n}`).toBe(-1);
    }
  });
});
