/**
 * ONNX Runtime as an inference peer, on simdnet's own weights: the network simdnet's row
 * builds (same spec, same seed) is written by simdnet's exporter (`exportOnnx`, a Gemm +
 * activation graph with the softmax output) and run by
 *
 * - onnxruntime-web: its WebAssembly SIMD build, one thread, the way a page runs it (under
 *   Node the package's `node` export loads the same .wasm and JS glue);
 * - onnxruntime-node: the native C++ library (MLAS kernels with whatever vector width the CPU
 *   has, AVX-512 here), one intra-op thread — another class of hardware width, labelled so.
 *
 * Every call goes through `session.run` with a fresh input tensor over the same floats, as a
 * user calls it; its promise is awaited, so the async API's cost counts.
 */
import * as ortWeb from 'onnxruntime-web';
import ortNode from 'onnxruntime-node';
import { exportOnnx, Network } from '../../src/node.js';
import type { ModelSpec, Peer, Prepared } from './peer.js';

/** A package's version as it reports itself (neither exports its package.json). */
function version(env: { versions: { common: string } & Record<string, string | undefined> }, key: string): string {
  return env.versions[key] ?? env.versions.common;
}

/** The ONNX bytes of the network simdnet's inference row builds for `spec` and `seed`. */
function exported(spec: ModelSpec, seed: number): Uint8Array {
  return exportOnnx(Network.mlp([...spec.sizes], { activation: spec.hidden, seed, threads: 1 }));
}

/** The methods both packages share (the same onnxruntime-common API). */
interface Runtime {
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;
  create(bytes: Uint8Array): Promise<{
    readonly inputNames: readonly string[];
    readonly outputNames: readonly string[];
    run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown }>>;
    release(): Promise<void>;
  }>;
}

function ortPeer(id: string, library: string, notes: string[], runtime: Runtime): Peer {
  return {
    id,
    library,
    notes,
    simdnetWeights: true,
    activate: async () => {},
    forward: async (spec, x, rows, seed): Promise<Prepared> => {
      const session = await runtime.create(exported(spec, seed));
      const input = x.subarray(0, rows * spec.sizes[0]!);
      const dims = [rows, spec.sizes[0]!];
      const [inName] = session.inputNames;
      const [outName] = session.outputNames;
      let out: Float32Array = new Float32Array(0);
      return {
        run: async () => {
          const result = await session.run({ [inName!]: new runtime.Tensor('float32', input, dims) });
          out = result[outName!]!.data as Float32Array;
        },
        output: () => out,
        dispose: () => void session.release(),
      };
    },
  };
}

/** onnxruntime-web's WASM SIMD build on one thread. */
export function ortWebPeer(): Peer {
  ortWeb.env.wasm.numThreads = 1;
  ortWeb.env.wasm.proxy = false;
  return ortPeer(
    'ort-web',
    `onnxruntime-web ${version(ortWeb.env, 'web')} (wasm)`,
    ['ort-web: onnxruntime-web\'s WebAssembly backend (ort-wasm-simd-threaded.wasm, its only WASM build: SIMD) with ' +
      'env.wasm.numThreads = 1, no proxy worker, default graph optimisations; the graph is simdnet\'s exportOnnx of the same network (same weights).'],
    {
      Tensor: ortWeb.Tensor as unknown as Runtime['Tensor'],
      create: (bytes) => ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'] }) as unknown as ReturnType<Runtime['create']>,
    },
  );
}

/** onnxruntime-node's native CPU provider on one thread. */
export function ortNativePeer(): Peer {
  return ortPeer(
    'ort-native',
    `onnxruntime-node ${version(ortNode.env, 'node')} (native)`,
    ['ort-native: onnxruntime-node, the native C++ runtime (CPU execution provider, MLAS kernels at the CPU\'s full vector width), ' +
      'intraOpNumThreads = interOpNumThreads = 1, sequential execution; not WebAssembly — a different class of hardware width, shown for scale.'],
    {
      Tensor: ortNode.Tensor as unknown as Runtime['Tensor'],
      create: (bytes) => ortNode.InferenceSession.create(bytes, {
        executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential',
      }) as unknown as ReturnType<Runtime['create']>,
    },
  );
}
