/**
 * Training throughput in samples/s: one epoch of the bundled MNIST digits per measurement,
 * 784-25(tanh)-10(softmax) and 784-128-64-10 (ReLU), plain SGD, batch 32 / 128 / 512, WASM
 * SIMD, WASM scalar and the reference backend, interleaved so machine drift hits all alike.
 * Single thread. Reported: the median and the best epoch of `REPEATS` (the best survives a busy
 * machine).
 */
import { Network, SGD, loadBundledMnist, type Dataset } from '../src/node.js';

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

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

export default async function (): Promise<void> {
  const { train } = await loadBundledMnist({ seed: 1 });
  // The reference backend needs ~minutes per epoch on the wide model: give it a slice.
  const slice: Dataset = { ...train, rows: 1000, x: train.x.subarray(0, 1000 * 784), y: train.y.subarray(0, 10_000) };
  console.log(`training throughput, samples/s (median and best of ${REPEATS} epochs; reference backend on 1,000 rows)`);
  console.log('| model | batch | wasm-simd | wasm-scalar | js reference | simd / reference |');
  console.log('|---|---|---|---|---|---|');
  for (const model of MODELS) {
    for (const batch of [32, 128, 512]) {
      // One thread: these are the single-thread bars (bench/threads.bench.ts measures scaling).
      const nets = BACKENDS.map((b) => Network.mlp(model.dims, { activation: model.activation, seed: 1, threads: 1, backend: b.backend, ...(b.build ? { build: b.build } : {}) }));
      const rates: number[][] = BACKENDS.map(() => []);
      for (const [i, net] of nets.entries()) await epochRate(net, BACKENDS[i]!.backend === 'js' ? slice : train, batch); // warm-up
      for (let r = 0; r < REPEATS; r++) {
        for (const [i, net] of nets.entries()) rates[i]!.push(await epochRate(net, BACKENDS[i]!.backend === 'js' ? slice : train, batch));
      }
      const cells = rates.map((xs) => `${fmt(median(xs))} (best ${fmt(Math.max(...xs))})`);
      console.log(`| ${model.name} | ${batch} | ${cells.join(' | ')} | ${(median(rates[0]!) / median(rates[2]!)).toFixed(1)}× |`);
    }
  }
}
