/**
 * Issue 15: sizes past 2^31 bytes are measured in plain arithmetic and refused up front, with
 * the bytes needed, the heap's limit and the layer or batch to blame, before anything large is
 * allocated; and the limit is a network option (maxMemoryBytes) that error messages name.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Network } from '../../src/index.js';
import { Heap } from '../../src/wasm/heap.js';

/** Watch every heap allocation; `largest()` is the biggest request made since. */
function watchAllocs(): { largest: () => number } {
  const spy = vi.spyOn(Heap.prototype, 'alloc');
  return { largest: () => Math.max(0, ...spy.mock.calls.map((c) => c[0])) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

const backends = [
  { backend: 'js', threads: 1 },
  { backend: 'wasm', threads: 1 },
] as const;

describe.each(backends)('a network too large for the heap ($backend)', (engine) => {
  it.each([
    [[100000, 100000, 10], 'layer 0 (dense): 100000×100000 weights need 40,000,000,000 bytes (80,000,800,000 with biases and gradients)'],
    [[65536, 65536, 1], 'layer 0 (dense): 65536×65536 weights need 17,179,869,184 bytes (34,360,262,656 with biases and gradients)'],
    [[30000, 30000, 10], 'layer 0 (dense): 30000×30000 weights need 3,600,000,000 bytes (7,200,240,000 with biases and gradients)'],
    [[10, 20000, 30000, 1], 'layer 1 (dense): 20000×30000 weights need 2,400,000,000 bytes (4,800,240,000 with biases and gradients)'],
  ])('%j is refused at construction, naming the layer, without a large allocation', (dims, message) => {
    const allocs = watchAllocs();
    const build = () => Network.mlp(dims, engine);
    expect(build).toThrow(RangeError);
    expect(build).toThrow(`${message}; the heap holds at most 2,147,483,648 bytes`);
    expect(allocs.largest()).toBeLessThan(1 << 20);
  });

  it('is refused when the layers fit one by one but not together', () => {
    const allocs = watchAllocs();
    // Each 16000×16000 layer needs 2,048,128,000 bytes with gradients: under 2 GiB alone.
    const build = () => Network.mlp([16000, 16000, 16000, 1], engine);
    expect(build).toThrow(RangeError);
    expect(build).toThrow(/^Network: the 3 layers' weights, biases and gradients need 4,096,384,032 bytes together; the heap holds at most 2,147,483,648 bytes, [\d,]+ of them free$/);
    expect(allocs.largest()).toBeLessThan(1 << 20);
  });
});

describe('maxMemoryBytes', () => {
  it('a small limit refuses a network that fits the default, naming the option', () => {
    const dims = [1000, 1000, 10];
    const fits = Network.mlp(dims, { backend: 'js' });
    expect(fits.memoryStats().persistentLiveBytes).toBeGreaterThan(8_000_000);
    const build = () => Network.mlp(dims, { backend: 'js', maxMemoryBytes: 4 << 20 });
    expect(build).toThrow(RangeError);
    expect(build).toThrow(
      'layer 0 (dense): 1000×1000 weights need 4,000,000 bytes (8,008,000 with biases and gradients); ' +
        'the heap holds at most 4,194,304 bytes (raise maxMemoryBytes, up to 2,147,483,648)',
    );
    expect(() => Network.mlp(dims, { backend: 'wasm', threads: 1, maxMemoryBytes: 4 << 20 })).toThrow('(raise maxMemoryBytes, up to 2,147,483,648)');
  });

  it('a larger limit lets the same network build and train', async () => {
    const net = Network.mlp([1000, 1000, 10], { backend: 'js', maxMemoryBytes: 64 << 20 });
    expect(net.engine.heap.maxBytes).toBe(64 << 20);
    const x = new Float32Array(8 * 1000).map((_, i) => (i % 7) / 7);
    const history = await net.fit(x, [0, 1, 2, 3, 4, 5, 6, 7], { epochs: 1, batchSize: 4 });
    expect(history.steps).toBe(2);
  });

  it.each([
    [0, 'Network: maxMemoryBytes must be a positive integer, got 0'],
    [1.5, 'Network: maxMemoryBytes must be a positive integer, got 1.5'],
    [2 ** 32, 'Network: maxMemoryBytes must be at most 2,147,483,648 bytes (a heap\'s largest size), got 4,294,967,296'],
  ])('refuses %s', (value, message) => {
    const build = () => Network.mlp([2, 3, 1], { backend: 'js', maxMemoryBytes: value });
    expect(build).toThrow(RangeError);
    expect(build).toThrow(message);
  });

  it('is named when the heap itself runs out', () => {
    const net = Network.mlp([2, 3, 1], { backend: 'js', maxMemoryBytes: 1 << 20 });
    expect(() => net.engine.heap.alloc(2 << 20)).toThrow(/^Heap: needs \d+ bytes but the memory may grow to 1048576 bytes at most \(raise maxMemoryBytes, up to 2147483648\)$/);
  });
});

describe('a fit whose batch exceeds the heap', () => {
  const rows = 65536;
  const x = new Float32Array(rows * 4).map((_, i) => Math.sin(i));
  const y = Float32Array.from({ length: rows }, (_, i) => i % 2);

  it.each(backends)('is refused before the first step, weights unchanged ($backend)', async (engine) => {
    // 65,536 rows × 4096 units: z, a and dx of the hidden layer alone need 3 GiB.
    const net = Network.mlp([4, 4096, 1], { ...engine, seed: 3 });
    const before = net.getWeights();
    const live = net.memoryStats().persistentLiveBytes;
    const allocs = watchAllocs();
    const onEpochEnd = vi.fn();
    const run = net.fit(x, y, { epochs: 1, batchSize: 'full', callbacks: { onEpochEnd } });
    await expect(run).rejects.toThrow(RangeError);
    await expect(net.fit(x, y, { epochs: 1, batchSize: rows })).rejects.toThrow(
      /^fit: a batch of 65,536 rows needs 3,[\d,]+ bytes of activations; the parameters and other buffers take [\d,]+ bytes and the heap holds at most 2,147,483,648 bytes; use a smaller batchSize$/,
    );
    expect(onEpochEnd).not.toHaveBeenCalled();
    expect(allocs.largest()).toBeLessThan(1 << 20);
    expect(net.getWeights()).toEqual(before);
    const stats = net.memoryStats();
    expect(stats.persistentLiveBytes).toBeGreaterThan(0);
    expect(stats.persistentLiveBytes).toBeLessThanOrEqual(live + (1 << 20));
  });

  it('names maxMemoryBytes when the limit was set low, and a smaller batch then trains', async () => {
    const net = Network.mlp([4, 64, 1], { backend: 'js', seed: 3, maxMemoryBytes: 1 << 20 });
    const before = net.getWeights();
    await expect(net.fit(x, y, { epochs: 1, batchSize: 4096 })).rejects.toThrow(
      /^fit: a batch of 4,096 rows needs [\d,]+ bytes of activations; .* the heap holds at most 1,048,576 bytes \(raise maxMemoryBytes, up to 2,147,483,648\); use a smaller batchSize$/,
    );
    expect(net.getWeights()).toEqual(before);
    const small = { x: x.subarray(0, 256 * 4), y: y.subarray(0, 256) };
    const history = await net.fit(small.x, small.y, { epochs: 1, batchSize: 64 });
    expect(history.steps).toBe(4);
    expect(net.getWeights()).not.toEqual(before);
  });
});
