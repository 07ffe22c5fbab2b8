/**
 * Soak: train in a loop the way a long job or a hyper-parameter search does — fit one epoch,
 * predict, evaluate, again — for a given number of updates, and sample the process's memory,
 * the heap's books and the thread count as it goes. A leak of even a few bytes per update shows
 * as RSS growth over millions of updates. Each sample is taken after a full garbage
 * collection, so it counts what is kept, not the garbage of the last round.
 *
 *   npm run bench:soak                       # 10^7 updates (minutes), a table
 *   npm run bench:soak -- --updates 300000 --json
 *
 * test/train/soak.test.ts runs it on a reduced budget and asserts the bounds.
 */
import { existsSync, readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Network, makeMoons } from '../src/node.js';
import { machineLine } from './machine.js';

/** One look at the process, after `updates` updates. */
export interface SoakSample {
  updates: number;
  seconds: number;
  rssMB: number;
  jsHeapMB: number;
  heapLiveBytes: number;
  heapLiveBlocks: number;
  memoryBytes: number;
  costSamples: number;
  threads: number | null;
}

const { values } = parseArgs({
  options: {
    updates: { type: 'string', default: '10000000' },
    samples: { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
  },
});
const total = Number(values.updates);
const sampleCount = Number(values.samples);

const ROWS = 4096;
const BATCH = 4;
const data = makeMoons(ROWS, 0.1, 1);
const net = Network.mlp([2, 16, 16, 1], { seed: 1 });
// A full collection before each sample (gc() without restarting node under --expose-gc).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const threadCount = (): number | null => (existsSync('/proc/self/task') ? readdirSync('/proc/self/task').length : null);

const samples: SoakSample[] = [];
const started = performance.now();
let updates = 0;
let costSamples = 0;
let nextSample = 0;
while (updates < total) {
  const history = await net.fit(data, { epochs: 1, batchSize: BATCH, optimizer: 'adam', learningRate: 1e-3 });
  updates += history.steps;
  costSamples = history.costs.length;
  net.predict(data);
  net.evaluate(data);
  if (updates >= nextSample || updates >= total) {
    collectGarbage();
    const heap = net.engine.heap.stats();
    const mem = process.memoryUsage();
    samples.push({
      updates, seconds: (performance.now() - started) / 1000, rssMB: mem.rss / 2 ** 20, jsHeapMB: mem.heapUsed / 2 ** 20,
      heapLiveBytes: heap.persistentLiveBytes, heapLiveBlocks: heap.persistentLiveBlocks, memoryBytes: heap.memoryBytes,
      costSamples, threads: threadCount(),
    });
    nextSample += total / sampleCount;
  }
}

if (values.json) {
  process.stdout.write(`${JSON.stringify({ machine: machineLine(), samples })}\n`);
} else {
  console.log(machineLine());
  console.log(`soak: 2-16-16-1 on ${ROWS} moons, batch ${BATCH}, Adam; fit one epoch + predict + evaluate per round`);
  console.log('| updates | seconds | RSS MB | JS heap MB | WASM live bytes | blocks | memory bytes | threads |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of samples) {
    console.log(`| ${s.updates.toLocaleString('en-US')} | ${s.seconds.toFixed(1)} | ${s.rssMB.toFixed(1)} | ${s.jsHeapMB.toFixed(1)} | ${s.heapLiveBytes} | ${s.heapLiveBlocks} | ${s.memoryBytes} | ${s.threads ?? '?'} |`);
  }
  const warm = samples[Math.floor(samples.length / 10)]!;
  const last = samples.at(-1)!;
  console.log(`RSS growth after warm-up (${warm.updates.toLocaleString('en-US')} → ${last.updates.toLocaleString('en-US')} updates): ${(last.rssMB - warm.rssMB).toFixed(1)} MB; ${Math.round(last.updates / last.seconds).toLocaleString('en-US')} updates/s`);
}
