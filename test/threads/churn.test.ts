/**
 * Engines dropped without close() (a hyper-parameter search in a loop) must not pile up
 * worker threads or memory: the loop keeps one pool's worth of workers (each starting pool
 * takes the previous one's), the live threads stay within cores + 4 whatever the garbage
 * collector does, and RSS stays within 1.5× of the same loop on threads: 1, in a loop that
 * awaits (fit) and in one that never yields (matmul). Before the heaps were weighed for V8's
 * collector and workers collected the heaps they had served, 200 networks ended at ~590 MB
 * against ~70 MB.
 *
 * Each loop runs in a child `node` over dist/ with a fresh process, so the counts are its
 * own. Threads are counted twice: OS threads (/proc/self/task, on Linux) above the count
 * before the loop, and the pool module's own bookkeeping. RSS is compared after one full
 * collection in the child, so both runs are measured at the same point of V8's cycle rather
 * than wherever its heuristics left them; RSS before it is printed too.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../cli/run.js';

const DIST = join(ROOT, 'dist');

interface Churn {
  threads: number | null;
  base: number | null;
  maxExtraThreads: number | null;
  maxPoolWorkers: number;
  rssBeforeGcMB: number;
  rssMB: number;
  ms: number;
}

/** `count` networks (fit one epoch) or engines (one 256³ matmul), each dropped without close(). */
const script = (kind: 'fit' | 'matmul', threads: number | undefined, count: number) => `
  import { existsSync, readdirSync } from 'node:fs';
  import { setFlagsFromString } from 'node:v8';
  import { runInNewContext } from 'node:vm';
  const at = (p) => import(${JSON.stringify(DIST)} + p);
  const { Network, SGD, createEngine } = await at('/node.js');
  const { poolStats } = await at('/threads/pool.js');
  const threads = ${JSON.stringify(threads ?? null)} ?? undefined;
  const tasks = () => existsSync('/proc/self/task') ? readdirSync('/proc/self/task').length : null;
  const rows = 256, x = new Float32Array(rows * 784).map((_, i) => (i * 7919 % 1000) / 1000);
  const y = new Float32Array(rows * 10).map((_, i) => (i % 10 === (i / 10 | 0) % 10 ? 1 : 0));
  const base = tasks();
  let maxExtra = 0, maxPool = 0, used = 0;
  const t0 = Date.now();
  for (let i = 0; i < ${count}; i++) {
    if (${JSON.stringify(kind)} === 'fit') {
      const net = Network.mlp([784, 128, 10], { threads, seed: i });
      await net.fit({ data: x, rows, cols: 784 }, { data: y, rows, cols: 10 }, { epochs: 1, batchSize: 256, optimizer: new SGD({ learningRate: 0.05 }) });
      used = net.engine.threads.count;
    } else {
      const e = createEngine({ threads }), n = 256;
      const a = e.heap.alloc(n * n * 4), c = e.heap.alloc(n * n * 4);
      e.heap.f32.fill(0.5, a >> 2, (a >> 2) + n * n);
      e.kernels.gemm(false, false, n, n, n, 1, a, n, a, n, 0, c, n, 0, 0, 0, e.gemmWork);
      used = e.threads.count;
    }
    if (base !== null) maxExtra = Math.max(maxExtra, tasks() - base);
    maxPool = Math.max(maxPool, poolStats().workers);
  }
  const ms = Date.now() - t0;
  const rssBeforeGcMB = process.memoryUsage().rss / 2 ** 20;
  // Not --expose-gc on the command line: the workers would find gc already there and skip the path users get.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  setFlagsFromString('--no-expose-gc');
  gc();
  await new Promise((r) => setTimeout(r, 50));
  console.log(JSON.stringify({ threads: used, base, maxExtraThreads: base === null ? null : maxExtra, maxPoolWorkers: maxPool,
    rssBeforeGcMB, rssMB: process.memoryUsage().rss / 2 ** 20, ms }));
`;

function churn(kind: 'fit' | 'matmul', threads: number | undefined, count: number): Churn {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script(kind, threads, count)], { encoding: 'utf8', timeout: 60_000 });
  expect(child.error, 'the child did not finish within 60 s').toBeUndefined();
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  return JSON.parse(child.stdout) as Churn;
}

const CORES = availableParallelism();

describe('engines dropped without close()', () => {
  it.each([
    ['fit', 120],
    ['matmul', 300],
  ] as const)('%s × %i on the default thread count: one pool of workers, live threads ≤ cores + 4, RSS ≤ 1.5 × threads: 1', (kind, count) => {
    ensureBuilt();
    const one = churn(kind, 1, count);
    const many = churn(kind, undefined, count);
    const line = (r: Churn) => `threads ${r.threads}: +${r.maxExtraThreads} OS threads at most, ${r.maxPoolWorkers} pool workers, ` +
      `RSS ${r.rssBeforeGcMB.toFixed(0)} MB before gc, ${r.rssMB.toFixed(0)} MB after, ${r.ms} ms`;
    console.info(`${kind} × ${count}\n  ${line(one)}\n  ${line(many)}`);
    expect(many.threads).toBe(CORES);
    expect(many.maxPoolWorkers).toBe(CORES - 1);
    if (many.maxExtraThreads !== null) expect(many.maxExtraThreads).toBeLessThanOrEqual(CORES + 4);
    expect(many.rssMB).toBeLessThanOrEqual(1.5 * one.rssMB);
  });
});
