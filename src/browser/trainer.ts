/**
 * One training job as the worker runs it: compile the kernels, build the network, fit while
 * reporting progress and weight snapshots, then send the model file. Kept apart from the
 * worker's message plumbing so it can run (and be tested) on any thread.
 */
import { Network } from '../network.js';
import { encodeModel } from '../io/format.js';
import { preferredBuild, type WasmBuild } from '../wasm/loader.js';
import { init } from '../wasm/init.js';
import type { FromWorker, ModelDescription, ProgressEvent, TrainMessage } from './protocol.js';

/** Sends a message to the page, moving the listed buffers instead of copying them. */
export type Post = (message: FromWorker, transfer?: Transferable[]) => void;

/** Build the network a {@link ModelDescription} asks for, on the given WASM build. */
export function networkFrom(model: ModelDescription, build: WasmBuild): Network {
  if ('layerDims' in model) {
    const { layerDims, ...options } = model;
    return Network.mlp(layerDims, { ...options, build });
  }
  return new Network({ ...model, build });
}

/** Run `job` to the end (or until `signal` aborts), reporting through `post`. Never throws. */
export async function runTrainingJob(job: TrainMessage, post: Post, signal: AbortSignal): Promise<void> {
  try {
    const started = performance.now();
    const build = job.build ?? preferredBuild();
    // The shared-memory variant comes along where threads can run in this worker.
    await init({ build, source: job.wasm });
    const net = networkFrom(job.model, build);
    const { x, y, rows } = job.data;
    const samples = { data: x, rows, cols: net.inputs };
    const { count, reason } = net.engine.threads;
    post({ type: 'started', build, setupMs: performance.now() - started, threads: reason ? { count, reason } : { count } });

    const progressEvery = job.progressInterval ?? 0;
    const batchEvery = job.batchInterval;
    let lastBatch = -Infinity;
    const snapshotEvery = job.snapshotInterval;
    let lastProgress = -Infinity;
    let lastSnapshot = -Infinity;
    let pending: ProgressEvent | undefined;
    const progress = (event: ProgressEvent): void => {
      post({ type: 'progress', ...event });
      pending = undefined;
      lastProgress = performance.now();
    };
    const snapshot = (epoch: number): void => {
      const weights = net.getWeights();
      post({ type: 'snapshot', epoch, weights }, weights.map((w) => w.buffer));
      lastSnapshot = performance.now();
    };
    const history = await net.fit(samples, y, {
      ...job.fit,
      signal,
      callbacks: {
        ...(batchEvery !== undefined
          ? {
              onBatchEnd: ({ epoch, batch, batches, loss }) => {
                if (performance.now() - lastBatch < batchEvery) return;
                post({ type: 'batch', epoch, batches: batch + 1, of: batches, loss });
                lastBatch = performance.now();
              },
            }
          : {}),
        onEpochEnd: ({ epoch, loss, accuracy, r2, samplesPerSecond }) => {
          pending = { epoch, loss, samplesPerSecond, ...(accuracy !== undefined ? { accuracy } : {}), ...(r2 !== undefined ? { r2 } : {}) };
          if (performance.now() - lastProgress >= progressEvery) progress(pending);
          if (snapshotEvery !== undefined && performance.now() - lastSnapshot >= snapshotEvery) snapshot(epoch);
        },
      },
    });
    if (pending) progress(pending);
    const lastEpoch = history.epochs.at(-1)?.epoch ?? 0;
    if (snapshotEvery !== undefined) snapshot(lastEpoch);
    const evaluation = net.evaluate(samples, y);
    const test = job.test && net.evaluate({ data: job.test.x, rows: job.test.rows, cols: net.inputs }, job.test.y);
    const model = encodeModel(net, { ...job.metadata, trainedIn: 'browser-worker', build, epochs: lastEpoch, accuracy: evaluation.accuracy, ...(test ? { testAccuracy: test.accuracy } : {}) });
    post({ type: 'done', model, history, evaluation, ...(test ? { testEvaluation: test } : {}) }, [model.buffer as ArrayBuffer]);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    post({ type: 'error', name: e.name, message: e.message });
  }
}
