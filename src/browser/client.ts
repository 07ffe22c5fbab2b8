/**
 * The page's side of worker training: post a job, relay progress, and turn the returned
 * model file back into a {@link Network} that predicts on the calling thread.
 */
import type { Evaluation } from '../feed/inference.js';
import { decodeModel, type ModelHeader } from '../io/format.js';
import type { Network } from '../network.js';
import type { History } from '../train/types.js';
import { preloadWasm, type WasmBuild } from '../wasm/loader.js';
import type { BatchEvent, FromWorker, ProgressEvent, ThreadsInUse, TrainMessage } from './protocol.js';

/** A training job: everything in a {@link TrainMessage} but its tag. */
export type TrainJob = Omit<TrainMessage, 'type'>;

/** Options for {@link trainInWorker}. */
export interface TrainInWorkerOptions {
  /**
   * The worker to use, or a factory for one. Default: a new module worker running this
   * package's worker entry; it is terminated when the job ends. A worker you pass stays alive.
   */
  worker?: Worker | (() => Worker);
  /** Called once the worker has loaded its kernels and built the network. */
  onStarted?(info: { build: WasmBuild; setupMs: number; threads: ThreadsInUse }): void;
  /** Called after every epoch. */
  onProgress?(event: ProgressEvent): void;
  /** Called during epochs when the job sets `batchInterval`. */
  onBatch?(event: BatchEvent): void;
  /** Called with the current weights (`Network.getWeights()` order) when the job asks for snapshots. */
  onSnapshot?(weights: Float32Array[], epoch: number): void;
  /** Aborting stops training after the current batch; the promise still resolves with that model. */
  signal?: AbortSignal;
}

/** What a finished worker job gives back. */
export interface TrainResult {
  /** The trained network, decoded on this thread. */
  network: Network;
  /** The model file's header (architecture and metadata). */
  header: ModelHeader;
  /** The model file's bytes, ready to save or send. */
  model: Uint8Array;
  history: History;
  /** Loss and accuracy on the whole training set at the end. */
  evaluation: Evaluation;
  /** The same on the job's held-out `test` rows, when it brought some. */
  testEvaluation?: Evaluation;
  /** The WASM build the worker trained with. */
  build: WasmBuild;
}

/**
 * `trainInWorker` with the default worker supplied by the caller, so each entry point
 * (bundler build, single file) can say where its worker script lives.
 */
export function trainInWorkerWith(createDefault: () => Worker, job: TrainJob, options: TrainInWorkerOptions = {}): Promise<TrainResult> {
  const owned = typeof options.worker !== 'object';
  const worker = typeof options.worker === 'object' ? options.worker : (options.worker ?? createDefault)();
  const { signal } = options;
  return new Promise<TrainResult>((resolve, reject) => {
    let build: WasmBuild | undefined;
    const onAbort = (): void => worker.postMessage({ type: 'abort' });
    const finish = (): void => {
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
      signal?.removeEventListener('abort', onAbort);
      if (owned) worker.terminate();
    };
    const onError = (event: ErrorEvent): void => {
      finish();
      reject(new Error(`simdnet worker failed to run: ${event.message || 'could not load the worker script'}`));
    };
    const onMessage = (event: MessageEvent<FromWorker>): void => {
      const m = event.data;
      switch (m.type) {
        case 'started':
          build = m.build;
          options.onStarted?.({ build: m.build, setupMs: m.setupMs, threads: m.threads });
          break;
        case 'progress':
          options.onProgress?.({ epoch: m.epoch, loss: m.loss, accuracy: m.accuracy, samplesPerSecond: m.samplesPerSecond });
          break;
        case 'batch':
          options.onBatch?.({ epoch: m.epoch, batches: m.batches, of: m.of, loss: m.loss });
          break;
        case 'snapshot':
          options.onSnapshot?.(m.weights, m.epoch);
          break;
        case 'error':
          finish();
          reject(Object.assign(new Error(m.message), { name: m.name }));
          break;
        case 'done':
          finish();
          decodeResult(m.model, build ?? 'scalar', job.wasm).then(
            ({ network, header }) => {
              const { history, evaluation, testEvaluation } = m;
              resolve({ network, header, model: m.model, history, evaluation, ...(testEvaluation ? { testEvaluation } : {}), build: build ?? 'scalar' });
            },
            reject,
          );
          break;
      }
    };
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
    const message: TrainMessage = { type: 'train', ...job };
    worker.postMessage(message);
    if (signal?.aborted) onAbort();
  });
}

async function decodeResult(model: Uint8Array, build: WasmBuild, wasm: ArrayBuffer | undefined): Promise<{ network: Network; header: ModelHeader }> {
  await preloadWasm(build, wasm);
  return decodeModel(model, { build, source: 'model from the worker' });
}
