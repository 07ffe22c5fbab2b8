/**
 * Prediction with the dense weights packed once for the GEMM: the outputs equal, bit for bit,
 * a forward pass through the layers that packs W on every call (the road predict took before),
 * for batches on the one-row path (1…4), on the tile path, across the 1,024-row inference
 * block, on every backend and on 1 or 2 threads; the packed copy follows the weights after a
 * training step and after setWeights; `into` and the heap-resident Predictor give the same
 * outputs without allocating, and a dropped Predictor's rows go back to the heap.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/network.js';
import type { ForwardMode } from '../../src/nn/layer.js';
import { firstDifference, seeded } from '../threads/rig.js';

const PLAIN: ForwardMode = { training: false, logits: false };

/** The outputs of a forward pass that does not use packed weights. */
function unpackedForward(net: Network, x: Float32Array, rows: number): Float32Array {
  const heap = net.engine.heap;
  net.reserve(rows);
  const ptr = heap.alloc(x.length * 4);
  heap.f32.set(x, ptr >> 2);
  let p = ptr;
  for (const layer of net.layers) p = layer.forward(p, rows, PLAIN);
  const out = heap.f32.slice(p >> 2, (p >> 2) + rows * net.outputs);
  heap.release(ptr);
  return out;
}

function expectSame(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const at = firstDifference(actual, expected);
  expect(at, `${what}: first difference at ${at}: ${actual[at]} vs ${expected[at]}`).toBe(-1);
}

const ENGINES = [
  { name: 'wasm simd', options: { build: 'simd' as const, threads: 1 } },
  { name: 'wasm scalar', options: { build: 'scalar' as const, threads: 1 } },
  { name: 'wasm simd, 2 threads', options: { build: 'simd' as const, threads: 2 } },
  { name: 'js', options: { backend: 'js' as const } },
];
const BATCHES = [1, 3, 4, 5, 7, 64, 1030];

describe.each(ENGINES)('predict on $name', ({ options }) => {
  // 25 and 10 units: the narrow layers of the seeds' MNIST network (a 4-wide last panel).
  const net = Network.mlp([20, 25, 13, 10], { activation: 'tanh', seed: 3, ...options });

  it.each(BATCHES)('batch %i: bit-identical to packing W on every call', (rows) => {
    const x = seeded(rows * 20, rows);
    expectSame(net.predict({ data: x, rows, cols: 20 }), unpackedForward(net, x, rows), `batch ${rows}`);
  });

  it('follows the weights after a training step and after setWeights', async () => {
    const x = seeded(6 * 20, 99);
    const before = net.predict({ data: x, rows: 6, cols: 20 });
    await net.fit(x, seeded(6, 5).map((v) => (v > 0 ? 1 : 0)), { epochs: 1, batchSize: 6, learningRate: 0.5 });
    const trained = net.predict({ data: x, rows: 6, cols: 20 });
    expect(firstDifference(trained, before), 'training changed nothing').not.toBe(-1);
    expectSame(trained, unpackedForward(net, x, 6), 'after a step');
    net.setWeights(net.getWeights().map((w) => w.map((v) => v * 0.5)));
    expectSame(net.predict({ data: x, rows: 6, cols: 20 }), unpackedForward(net, x, 6), 'after setWeights');
  });

  it('writes into a given array and returns it; a Predictor gives the same outputs from the heap', () => {
    const x = seeded(5 * 20, 7);
    const expected = net.predict({ data: x, rows: 5, cols: 20 });
    const into = new Float32Array(5 * 10 + 3).fill(-1);
    expect(net.predict({ data: x, rows: 5, cols: 20 }, { into })).toBe(into);
    expectSame(into.subarray(0, 50), expected, 'into');
    expect(Array.from(into.subarray(50))).toEqual([-1, -1, -1]);

    const predictor = net.predictor(8);
    predictor.input.set(x);
    expectSame(predictor.run(5).slice(), expected, 'predictor');
    expectSame(predictor.run(1).slice(), expected.subarray(0, 10), 'predictor, one row');
  });
});

describe('predict on a heap too full for packed weights', () => {
  it('multiplies by W as training does, with the same outputs', () => {
    const net = Network.mlp([784, 128, 10], { seed: 2, threads: 1, build: 'simd', maxMemoryBytes: 8 << 20 });
    const heap = net.engine.heap;
    // Leave 64 KiB: room for one row's buffers, not for the 401 KB packed copy of W.
    const filler = heap.alloc(heap.maxBytes - heap.usedBytes - (64 << 10));
    const x = seeded(784, 4);
    const used = heap.usedBytes;
    const out = net.predict(x);
    expect(heap.usedBytes - used).toBeLessThan(64 << 10);
    expectSame(out, unpackedForward(net, x, 1), 'unpacked');
    heap.release(filler);
    const freed = heap.usedBytes;
    expectSame(net.predict(x), out, 'packed once there is room');
    expect(heap.usedBytes - freed).toBeGreaterThanOrEqual(784 * 128 * 4);
  });
});

describe('predictors dropped', () => {
  it('give their input rows back to the heap once collected', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    setFlagsFromString('--no-expose-gc');
    const net = Network.mlp([100, 8, 2], { seed: 1, threads: 1 });
    net.predictor(1000).run(1);
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const base = net.engine.heap.usedBytes;
    // 40 predictors of 400 KB each, made and dropped: 16 MB if none came back.
    for (let i = 0; i < 40; i++) net.predictor(1000).run(1);
    for (let i = 0; i < 5 && net.engine.heap.usedBytes > base + (2 << 20); i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(net.engine.heap.usedBytes - base).toBeLessThanOrEqual(2 << 20);
  });
});

describe('predict options and predictor arguments', () => {
  const net = Network.mlp([4, 3, 2], { seed: 1, threads: 1 });
  const x = { data: new Float32Array(8), rows: 2, cols: 4 };

  it('refuses an output array too short or not Float32, naming the size needed', () => {
    expect(() => net.predict(x, { into: new Float32Array(3) })).toThrow('predict: into must be a Float32Array of at least 4 floats (2 rows × 2 outputs), got');
    expect(() => net.predict(x, { into: [0, 0, 0, 0] as unknown as Float32Array })).toThrow(TypeError);
    expect(() => net.classify(x, { into: new Float32Array(4) } as never)).toThrow('classify: unknown option "into"');
    expect(() => net.predict(x, { int: new Float32Array(4) } as never)).toThrow('predict: unknown option "int"; did you mean "into"?');
  });

  it('refuses rows outside 1… and runs outside 0…rows', () => {
    expect(() => net.predictor(0)).toThrow('predictor: rows must be a positive integer, got 0');
    expect(() => net.predictor(1.5)).toThrow(RangeError);
    const predictor = net.predictor(2);
    expect(() => predictor.run(3)).toThrow('predictor.run: rows must be an integer in 0…2, got 3');
    expect(predictor.run(0).length).toBe(0);
  });
});
