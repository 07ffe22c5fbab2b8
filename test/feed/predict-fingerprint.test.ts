/**
 * predict's outputs, bit for bit, as they were before its per-call work was trimmed (issue
 * 16): a fingerprint of the outputs of the two benchmark networks at the batch sizes the
 * peers are measured at (256), a block of 64 and the one-row path (3), on each build. Any
 * change to staging, the finite scan, the output copy or the GEMM's tails that moves one
 * bit of one output fails here.
 */
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/network.js';
import { seeded } from '../threads/rig.js';

/** FNV-1a over the outputs' bit patterns, as 8 hex digits. */
function fingerprint(values: Float32Array): string {
  let h = 0x811c9dc5;
  for (const bits of new Uint32Array(values.buffer, values.byteOffset, values.length)) {
    h = Math.imul(h ^ bits, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

const NETWORKS = [
  { sizes: [784, 25, 10], activation: 'tanh' as const },
  { sizes: [784, 128, 64, 10], activation: 'relu' as const },
];
const ENGINES = [
  { name: 'simd', kernels: 'simd', options: { build: 'simd' as const, threads: 1 } },
  { name: 'simd, 2 threads', kernels: 'simd', options: { build: 'simd' as const, threads: 2 } },
  { name: 'scalar', kernels: 'scalar', options: { build: 'scalar' as const, threads: 1 } },
  { name: 'js', kernels: 'js', options: { backend: 'js' as const } },
];
const ROWS = [256, 64, 3];

/** Fingerprints by kernels (any thread count gives the same bits), network and rows, recorded from predict at f9808af. */
const EXPECTED: Record<string, string> = {
  'simd 784-25-10 ×256': 'cc6fc326',
  'simd 784-25-10 ×64': 'feb6d875',
  'simd 784-25-10 ×3': '8d77af8a',
  'simd 784-128-64-10 ×256': '5bd4be54',
  'simd 784-128-64-10 ×64': '081e36c3',
  'simd 784-128-64-10 ×3': '66c39d93',
  'scalar 784-25-10 ×256': '9990b54e',
  'scalar 784-25-10 ×64': '2d384d05',
  'scalar 784-25-10 ×3': '65fa26fd',
  'scalar 784-128-64-10 ×256': '5871bd59',
  'scalar 784-128-64-10 ×64': 'bf22335a',
  'scalar 784-128-64-10 ×3': 'c29f1998',
  'js 784-25-10 ×256': 'e2575e61',
  'js 784-25-10 ×64': 'ab07f85b',
  'js 784-25-10 ×3': '0419f332',
  'js 784-128-64-10 ×256': 'c9d41125',
  'js 784-128-64-10 ×64': 'f5e3cd03',
  'js 784-128-64-10 ×3': '7d458671',
};

describe.each(ENGINES)('predict on $name', ({ kernels, options }) => {
  it.each(NETWORKS)('$sizes: the outputs of f9808af, bit for bit', ({ sizes, activation }) => {
    const net = Network.mlp(sizes, { activation, seed: 7, ...options });
    const got: Record<string, string> = {};
    for (const rows of ROWS) {
      got[`${kernels} ${sizes.join('-')} ×${rows}`] = fingerprint(net.predict({ data: seeded(rows * 784, rows), rows, cols: 784 }));
    }
    for (const [key, value] of Object.entries(got)) expect(value, key).toBe(EXPECTED[key]);
  });
});
