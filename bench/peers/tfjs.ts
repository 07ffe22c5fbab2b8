/**
 * TensorFlow.js peers: the WASM backend (XNNPACK inside) and the pure-JS CPU backend, both
 * through the public API a user would call: tfjs-layers `model.fit` for training,
 * `model.predict` for inference, `tf.matMul` / `tf.relu` / `tf.softmax` for kernels. Every
 * timed call reads its result back (`dataSync`) so lazy execution cannot hide work.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { Dataset, KernelSet, ModelSpec, Peer, Prepared, Trainer, TrainOptions } from './peer.js';
import { accuracyOf } from './peer.js';

const require = createRequire(import.meta.url);

/** Installed version of a package, from its own package.json. */
export function packageVersion(name: string): string {
  return (require(`${name}/package.json`) as { version: string }).version;
}

const WASM_BINARIES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;

/** Which binary the WASM backend asked for, recorded by the file map handed to `setWasmPaths`. */
let wasmBinaryLoaded: string | undefined;
let wasmReady: Promise<string[]> | undefined;

/**
 * Point the WASM backend at the package's own dist folder (a file path; nothing is
 * downloaded), force single-threaded, initialise it, and report what actually runs.
 */
export function initWasm(): Promise<string[]> {
  wasmReady ??= (async () => {
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
    const files: Record<string, string> = {};
    for (const name of WASM_BINARIES) {
      Object.defineProperty(files, name, {
        enumerable: true,
        get: () => {
          wasmBinaryLoaded = name;
          return join(dist, name);
        },
      });
    }
    setWasmPaths(files);
    wasmBinaryLoaded = undefined; // setWasmPaths reads every entry to validate the map
    // Under Node 4.22 reports no thread support anyway; pin it so the bar stays single-threaded.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs-wasm: the WASM backend failed to initialise');
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = (tf.backend() as unknown as { wasm: { tfjs: { getThreadsCount(): number } } }).wasm.tfjs.getThreadsCount();
    return [
      `tfjs-wasm: loaded ${wasmBinaryLoaded ?? 'an unknown binary'} from ${dist} (WASM_HAS_SIMD_SUPPORT=${String(simd)}, ` +
        `threads=${threads}; the threaded-SIMD build needs SharedArrayBuffer workers, which tfjs 4.22 does not use under Node).`,
    ];
  })();
  return wasmReady;
}

function initializer(activation: string, seed: number): ReturnType<typeof tfl.initializers.heUniform> {
  return activation === 'relu' ? tfl.initializers.heUniform({ seed }) : tfl.initializers.glorotUniform({ seed });
}

/** The suite's MLP as a tfjs-layers Sequential model (softmax output). */
function buildModel(spec: ModelSpec, seed: number): tfl.Sequential {
  const model = tfl.sequential();
  const sizes = spec.sizes;
  for (let l = 1; l < sizes.length; l++) {
    const activation = l === sizes.length - 1 ? 'softmax' : spec.hidden;
    model.add(tfl.layers.dense({
      units: sizes[l]!,
      activation,
      kernelInitializer: initializer(activation, seed + l),
      ...(l === 1 ? { inputShape: [sizes[0]!] } : {}),
    }));
  }
  return model;
}

class TfTrainer implements Trainer {
  private readonly model: tfl.Sequential;
  private readonly xs: tf.Tensor2D;
  private readonly ys: tf.Tensor2D;

  constructor(spec: ModelSpec, data: Dataset, private readonly options: TrainOptions) {
    this.model = buildModel(spec, options.seed);
    this.model.compile({ optimizer: tf.train.sgd(options.learningRate), loss: 'categoricalCrossentropy' });
    this.xs = tf.tensor2d(data.x, [data.rows, data.cols]);
    this.ys = tf.tensor2d(data.oneHot, [data.rows, data.classes]);
  }

  async epoch(): Promise<void> {
    await this.model.fit(this.xs, this.ys, { epochs: 1, batchSize: this.options.batchSize, shuffle: true, verbose: 0 });
  }

  accuracy(test: Dataset): number {
    const scores = tf.tidy(() => (this.model.predict(tf.tensor2d(test.x, [test.rows, test.cols])) as tf.Tensor).dataSync());
    return accuracyOf(scores, test.labels, test.classes);
  }

  dispose(): void {
    this.xs.dispose();
    this.ys.dispose();
    this.model.dispose();
  }
}

/** Run `op` and read its output back; the output tensor is disposed, the last values kept. */
function readBack(op: () => tf.Tensor, keep: tf.Tensor[] = []): Prepared {
  let out: Float32Array = new Float32Array(0);
  return {
    run: () => {
      const t = op();
      out = t.dataSync() as Float32Array;
      t.dispose();
    },
    output: () => out,
    dispose: () => keep.forEach((t) => t.dispose()),
  };
}

const kernels: KernelSet = {
  gemm(c, a, b) {
    const ta = tf.tensor2d(a, c.transA ? [c.k, c.m] : [c.m, c.k]);
    const tb = tf.tensor2d(b, c.transB ? [c.n, c.k] : [c.k, c.n]);
    return readBack(() => tf.matMul(ta, tb, c.transA, c.transB), [ta, tb]);
  },
  unary(op, x) {
    const tx = tf.tensor1d(x);
    return readBack(() => (op === 'relu' ? tf.relu(tx) : tf.tanh(tx)), [tx]);
  },
  softmax(x, rows, cols) {
    const tx = tf.tensor2d(x, [rows, cols]);
    return readBack(() => tf.softmax(tx), [tx]);
  },
};

/** TensorFlow.js on the `'wasm'` or `'cpu'` backend. */
export async function tfjsPeer(backend: 'wasm' | 'cpu'): Promise<Peer> {
  const notes = backend === 'wasm' ? await initWasm() : ['tfjs-cpu: the pure-JS reference backend of TensorFlow.js.'];
  const activate = async (): Promise<void> => {
    if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) throw new Error(`tfjs: cannot switch to ${backend}`);
  };
  await activate();
  const pkg = backend === 'wasm' ? '@tensorflow/tfjs-backend-wasm' : '@tensorflow/tfjs-backend-cpu';
  return {
    id: `tfjs-${backend}`,
    library: `${pkg} ${packageVersion(pkg)} + tfjs-layers ${packageVersion('@tensorflow/tfjs-layers')}`,
    notes,
    activate,
    trainer: async (spec, train, options) => new TfTrainer(spec, train, options),
    forward: async (spec, x, rows, seed) => {
      const model = buildModel(spec, seed);
      const input = x.subarray(0, rows * spec.sizes[0]!);
      const prepared = readBack(() => tf.tidy(() => model.predict(tf.tensor2d(input, [rows, spec.sizes[0]!])) as tf.Tensor));
      return { ...prepared, dispose: () => model.dispose() };
    },
    kernels,
  };
}
