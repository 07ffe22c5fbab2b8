/**
 * Training throughput in samples/s: one epoch of the bundled MNIST digits per measurement,
 * 784-25(tanh)-10(softmax) and 784-128-64-10 (ReLU), plain SGD, batch 32 / 128 / 512, WASM
 * SIMD, WASM scalar and the reference backend, interleaved so machine drift hits all alike.
 * Single thread. Reported: the median and the best epoch of `REPEATS` (the best survives a busy
 * machine).
 *
 * For the SIMD build, also how near the step runs to its GEMMs: the step's FLOPs counted from
 * the layers (forward, dW for every layer, dX for all but the first: 2·batch·in·out each), the
 * effective GFLOP/s of the training epochs, and the GFLOP/s of the same step's GEMM calls alone
 * (same shapes, transposes and fused epilogues, on the network's own engine), timed between the
 * epochs of the same run; their ratio is the share of the step the GEMMs take (issue 16: ≥ 85%).
 */
import { Network, SGD, loadBundledMnist, type Dataset } from '../src/node.js';
import { Act, type ActCode } from '../src/backend/kernels.js';

const REPEATS = 3;
const MODELS = [
  { name: '784-25-10 tanh', dims: [784, 25, 10], activation: 'tanh' as const },
  { name: '784-128-64-10 relu', dims: [784, 128, 64, 10], activation: 'relu' as const },
];
const BACKENDS = [
  { label: 'wasm-simd', backend: 'wasm' as const, build: 'simd' as const },
  { label: 'wasm-scalar', backend: 'wasm' as const, build: 'scalar' as const },
  { label: 'js reference', backend: 'js' as const, build: undefined },
];

async function epochRate(net: Network, data: Dataset, batchSize: number): Promise<number> {
  const history = await net.fit(data, { epochs: 1, batchSize, optimizer: new SGD({ learningRate: 0.05 }) });
  return history.epochs[0]!.samplesPerSecond;
}

/** FLOPs of one training step of an MLP with layer widths `dims`. */
export function stepFlops(dims: readonly number[], batch: number): number {
  let flops = 0;
  for (let i = 0; i + 1 < dims.length; i++) flops += 2 * batch * dims[i]! * dims[i + 1]! * (i > 0 ? 3 : 2);
  return flops;
}

/**
 * Seconds per step of the step's GEMM calls alone on `net`'s engine: forward with bias and
 * the hidden activation fused (logits for the output), then dW = Xᵀ·dZ per layer and
 * dX = dZ·Wᵀ for all but the first. Median of `REPEATS` timings of ~0.2 s each.
 */
export function gemmSecondsPerStep(net: Network, dims: readonly number[], batch: number, hidden: ActCode): number {
  const { kernels: k, heap, gemmWork } = net.engine;
  const layers = dims.length - 1;
  const alloc = (floats: number): number => {
    const p = heap.alloc(floats * 4);
    heap.f32.fill(0.01, p >> 2, (p >> 2) + floats);
    return p;
  };
  const acts = dims.map((d) => alloc(batch * d));
  const grads = dims.map((d) => alloc(batch * d));
  const w = dims.slice(1).map((d, i) => alloc(dims[i]! * d));
  const dw = dims.slice(1).map((d, i) => alloc(dims[i]! * d));
  const bias = alloc(Math.max(...dims));
  const step = (): void => {
    for (let i = 0; i < layers; i++) {
      const [n, m] = [dims[i]!, dims[i + 1]!];
      k.gemm(false, false, batch, m, n, 1, acts[i]!, n, w[i]!, m, 0, acts[i + 1]!, m, bias, i + 1 < layers ? hidden : Act.identity, 0, gemmWork);
    }
    for (let i = layers - 1; i >= 0; i--) {
      const [n, m] = [dims[i]!, dims[i + 1]!];
      k.gemm(true, false, n, m, batch, 1, acts[i]!, n, grads[i + 1]!, m, 0, dw[i]!, m, 0, Act.identity, 0, gemmWork);
      if (i > 0) k.gemm(false, true, batch, n, m, 1, grads[i + 1]!, m, w[i]!, m, 0, grads[i]!, n, 0, Act.identity, 0, gemmWork);
    }
  };
  for (let i = 0; i < 20; i++) step();
  const times: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    let steps = 0;
    const t0 = performance.now();
    do {
      step();
      steps++;
    } while (performance.now() - t0 < 200);
    times.push((performance.now() - t0) / 1000 / steps);
  }
  for (const p of [...acts, ...grads, ...w, ...dw, bias]) heap.release(p);
  return median(times);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

export default async function (): Promise<void> {
  const { train } = await loadBundledMnist({ seed: 1 });
  // The reference backend needs ~minutes per epoch on the wide model: give it a slice.
  const slice: Dataset = { ...train, rows: 1000, x: train.x.subarray(0, 1000 * 784), y: train.y.subarray(0, 10_000) };
  console.log(`training throughput, samples/s (median and best of ${REPEATS} epochs; reference backend on 1,000 rows)`);
  console.log('| model | batch | wasm-simd | wasm-scalar | js reference | simd / reference | simd GFLOP/s: step, GEMMs alone, ratio |');
  console.log('|---|---|---|---|---|---|---|');
  for (const model of MODELS) {
    for (const batch of [32, 128, 512]) {
      // One thread: these are the single-thread bars (bench/threads.bench.ts measures scaling).
      const nets = BACKENDS.map((b) => Network.mlp(model.dims, { activation: model.activation, seed: 1, threads: 1, backend: b.backend, ...(b.build ? { build: b.build } : {}) }));
      const rates: number[][] = BACKENDS.map(() => []);
      for (const [i, net] of nets.entries()) await epochRate(net, BACKENDS[i]!.backend === 'js' ? slice : train, batch); // warm-up
      const gemmSeconds: number[] = [];
      const hidden: ActCode = model.activation === 'relu' ? Act.relu : Act.tanh;
      for (let r = 0; r < REPEATS; r++) {
        for (const [i, net] of nets.entries()) rates[i]!.push(await epochRate(net, BACKENDS[i]!.backend === 'js' ? slice : train, batch));
        gemmSeconds.push(gemmSecondsPerStep(nets[0]!, model.dims, batch, hidden));
      }
      const cells = rates.map((xs) => `${fmt(median(xs))} (best ${fmt(Math.max(...xs))})`);
      const flops = stepFlops(model.dims, batch);
      const stepRate = (flops * median(rates[0]!)) / batch / 1e9;
      const gemmRate = flops / median(gemmSeconds) / 1e9;
      const near = `${stepRate.toFixed(1)}, ${gemmRate.toFixed(1)}, ${((100 * stepRate) / gemmRate).toFixed(0)}%`;
      console.log(`| ${model.name} | ${batch} | ${cells.join(' | ')} | ${(median(rates[0]!) / median(rates[2]!)).toFixed(1)}× | ${near} |`);
    }
  }
}
