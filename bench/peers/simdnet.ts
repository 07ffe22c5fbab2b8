/**
 * simdnet itself, through the same public API a user calls: `Network.mlp` + `fit` for
 * training, `predict` for inference, and the engine's kernels (`createEngine().kernels`) for
 * the kernel rows. `'wasm'` is the SIMD build (the default); `'js'` is simdnet's reference
 * backend, the in-house pure-JS baseline. Always one thread (`threads: 1`): the comparison is
 * single-threaded, and simdnet's default is every core.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Act, createEngine, Network, type Engine } from '../../src/node.js';
import type { Dataset, GemmCase, KernelSet, ModelSpec, Peer, Prepared, Trainer, TrainOptions } from './peer.js';

/**
 * simdnet's version from the repository's package.json, plus the commit and whether the
 * kernels or sources differ from it, since the benchmark runs the working tree.
 */
function simdnetVersion(): string {
  const root = new URL('../../', import.meta.url);
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', 'src', 'assembly') !== '';
    return `${pkg.version} @ ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted changes in src/ or assembly/' : ''}`;
  } catch {
    return pkg.version;
  }
}

/** The suite is single-threaded; simdnet would otherwise use every core. */
const THREADS = 1;

function checkSingleThread(engine: Engine): void {
  if (engine.threads.count !== THREADS) throw new Error(`bench: simdnet engine runs ${engine.threads.count} threads, expected ${THREADS}`);
}

function matrix(data: Float32Array, rows: number, cols: number): { data: Float32Array; rows: number; cols: number } {
  return { data, rows, cols };
}

class SimdnetTrainer implements Trainer {
  private readonly net: Network;

  constructor(spec: ModelSpec, private readonly data: Dataset, private readonly options: TrainOptions, backend: 'wasm' | 'js') {
    this.net = Network.mlp([...spec.sizes], { activation: spec.hidden, seed: options.seed, backend, threads: THREADS });
    checkSingleThread(this.net.engine);
  }

  async epoch(): Promise<void> {
    const { data, options } = this;
    await this.net.fit(matrix(data.x, data.rows, data.cols), matrix(data.oneHot, data.rows, data.classes), {
      epochs: 1, batchSize: options.batchSize, optimizer: 'sgd', learningRate: options.learningRate, shuffle: true,
    });
  }

  accuracy(test: Dataset): number {
    return this.net.evaluate(matrix(test.x, test.rows, test.cols), matrix(test.oneHot, test.rows, test.classes)).accuracy ?? NaN;
  }

  dispose(): void {}
}

/** Copy `values` into a fresh heap allocation; returns its pointer. */
function upload(engine: Engine, values: Float32Array): number {
  const ptr = engine.heap.alloc(values.length * 4);
  engine.heap.f32.set(values, ptr >> 2);
  return ptr;
}

/** Kernels of one engine; inputs are copied into its heap once, outputs read back by `output()` only. */
function engineKernels(engine: Engine): KernelSet {
  const k = engine.kernels;
  const prepared = (inputs: number[], out: number, length: number, run: () => void): Prepared => ({
    run,
    output: () => engine.heap.floats(out, length).slice(),
    dispose: () => [...inputs, out].forEach((p) => engine.heap.release(p)),
  });
  return {
    gemm(c: GemmCase, a: Float32Array, b: Float32Array): Prepared {
      const pa = upload(engine, a);
      const pb = upload(engine, b);
      const pc = engine.heap.alloc(c.m * c.n * 4);
      const lda = c.transA ? c.m : c.k;
      const ldb = c.transB ? c.k : c.n;
      return prepared([pa, pb], pc, c.m * c.n, () =>
        k.gemm(c.transA, c.transB, c.m, c.n, c.k, 1, pa, lda, pb, ldb, 0, pc, c.n, 0, Act.identity, 0, engine.gemmWork));
    },
    unary(op, x) {
      const px = upload(engine, x);
      const py = engine.heap.alloc(x.length * 4);
      const act = op === 'relu' ? Act.relu : Act.tanh;
      return prepared([px], py, x.length, () => k.activationForward(act, 0, px, py, x.length));
    },
    softmax(x, rows, cols) {
      const px = upload(engine, x);
      const py = engine.heap.alloc(x.length * 4);
      return prepared([px], py, x.length, () => k.softmaxRows(px, py, rows, cols));
    },
  };
}

/** simdnet with the `'wasm'` (SIMD build) or `'js'` (reference) backend. */
export function simdnetPeer(backend: 'wasm' | 'js'): Peer {
  const engine = createEngine({ backend, threads: THREADS });
  checkSingleThread(engine);
  const flavor = engine.kernels.flavor;
  const build = engine.build === undefined ? '' : `, build ${engine.build}`;
  return {
    id: backend === 'wasm' ? 'simdnet' : 'simdnet-js',
    library: `simdnet ${simdnetVersion()} (${flavor})`,
    notes: [`${backend === 'wasm' ? 'simdnet' : 'simdnet-js'}: kernels ${flavor}${build}, threads ${engine.threads.count} (asked ${THREADS}); fit() with optimizer 'sgd', shuffle on.`],
    activate: async () => {},
    trainer: async (spec, train, options) => new SimdnetTrainer(spec, train, options, backend),
    forward: async (spec, x, rows, seed) => {
      const net = Network.mlp([...spec.sizes], { activation: spec.hidden, seed, backend, threads: THREADS });
      checkSingleThread(net.engine);
      const input = matrix(x.subarray(0, rows * spec.sizes[0]!), rows, spec.sizes[0]!);
      let out: Float32Array = new Float32Array(0);
      return { run: () => void (out = net.predict(input)), output: () => out, dispose: () => {} };
    },
    kernels: engineKernels(engine),
  };
}
