import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Network } from '../../src/node.js';
import { makeBlobs, makeMoons, makeSine } from '../../src/data/generators.js';
import { CheckpointFormatError, decodeCheckpoint } from '../../src/train/checkpoint.js';
import type { FitOptions } from '../../src/train/fit.js';
import type { History } from '../../src/train/types.js';
import type { Dataset } from '../../src/data/dataset.js';
import { Adam, stepDecay } from '../../src/optim/index.js';
import { Rng } from '../../src/util/rng.js';

/** One training problem: how to build its network, its data and its fit options. */
interface Scenario {
  name: string;
  build: () => Network;
  data: Dataset;
  options: () => FitOptions;
}

const moons = makeMoons(120, 0.15, 3);
const blobs = makeBlobs(150, 3, 0.8, 4);
const sine = makeSine(90, 0.05, 5);
// 6×6 one-channel pictures of three classes: a bright row, column or diagonal, plus noise.
const images = ((): Dataset => {
  const rng = new Rng(9);
  const rows = 45;
  const x = new Float32Array(rows * 36);
  const y = new Float32Array(rows * 3);
  for (let r = 0; r < rows; r++) {
    const c = r % 3;
    const at = rng.int(6);
    for (let i = 0; i < 6; i++) {
      const [row, col] = c === 0 ? [at, i] : c === 1 ? [i, at] : [i, i];
      x[r * 36 + row * 6 + col] = 1;
    }
    for (let i = 0; i < 36; i++) x[r * 36 + i]! += 0.2 * rng.next();
    y[r * 3 + c] = 1;
  }
  return { x, y, rows, features: 36, outputs: 3 };
})();

// Each scenario exercises a different piece of state a resume must restore: dropout's stream,
// Adam's moments, momentum's velocity, a schedule's position, validation and early stopping,
// regression sums, a partial last batch.
const SCENARIOS: Scenario[] = [
  {
    name: 'dropout + Adam + validation split, partial last batch',
    build: () => new Network({
      inputs: 2, seed: 11, threads: 1,
      layers: [{ type: 'dense', units: 12, activation: 'relu' }, { type: 'dropout', rate: 0.3 }, { type: 'dense', units: 1, activation: 'sigmoid' }],
    }),
    data: moons,
    options: () => ({ epochs: 6, batchSize: 25, optimizer: 'adam', learningRate: 0.02, validationSplit: 0.2 }),
  },
  {
    name: 'softmax + Nesterov momentum + step decay + L2 + clipping',
    build: () => Network.mlp([2, 10, 3], { activation: 'tanh', seed: 12, threads: 1 }),
    data: blobs,
    options: () => ({ epochs: 5, batchSize: 16, optimizer: 'nesterov', learningRate: stepDecay(0.1, 0.5, 20), l2: 0.01, clipNorm: 1 }),
  },
  {
    name: 'early stopping with best weights, RMSprop',
    build: () => Network.mlp([2, 8, 3], { activation: 'relu', seed: 13, threads: 1 }),
    data: blobs,
    options: () => ({
      epochs: 12, batchSize: 32, optimizer: 'rmsprop', learningRate: 0.05, validationSplit: 0.3,
      earlyStopping: { monitor: 'valLoss', patience: 1, minDelta: 0.05 },
    }),
  },
  {
    name: 'regression (linear output, running R² sums), an Adam instance',
    build: () => Network.mlp([1, 16, 1], { activation: 'tanh', outputActivation: 'linear', seed: 14, threads: 1 }),
    data: sine,
    options: () => ({ epochs: 4, batchSize: 8, optimizer: new Adam({ learningRate: 0.01 }) }),
  },
  {
    name: 'a small CNN with batch norm (running statistics are model state)',
    build: () => new Network({
      inputShape: [6, 6, 1], seed: 15, threads: 1,
      layers: [
        { type: 'conv2d', filters: 3, kernelSize: 3, activation: 'relu' }, { type: 'batchNorm' },
        { type: 'maxPool2d', size: 2 }, { type: 'dense', units: 3, activation: 'softmax' },
      ],
    }),
    data: images,
    options: () => ({ epochs: 3, batchSize: 10, optimizer: 'adam', learningRate: 0.01, validationSplit: 0.2 }),
  },
  {
    name: 'a small CNN on shifted images (augment draws from the shuffling stream)',
    build: () => new Network({
      inputShape: [6, 6, 1], seed: 16, threads: 1,
      layers: [{ type: 'conv2d', filters: 3, kernelSize: 3, activation: 'relu' }, { type: 'maxPool2d', size: 2 }, { type: 'dense', units: 3, activation: 'softmax' }],
    }),
    data: images,
    options: () => ({ epochs: 3, batchSize: 10, optimizer: 'adam', learningRate: 0.01, augment: { shift: 1 } }),
  },
];

/** Weights and model state (batch norm's running statistics): what a model file holds. */
function modelOf(net: Network): Float32Array[] {
  return [...net.getWeights(), ...net.state.map((a) => net.engine.heap.floats(a.value, a.size).slice())];
}

/** Everything but wall-clock time, for comparing two runs' histories. */
function untimed(h: History): unknown {
  return { ...h, seconds: 0, epochs: h.epochs.map((e) => ({ ...e, seconds: 0, samplesPerSecond: 0 })) };
}

/** A run of the scenario that saves a checkpoint after every update. */
async function runSavingEvery(s: Scenario): Promise<{ net: Network; history: History; checkpoints: Uint8Array[] }> {
  const checkpoints: Uint8Array[] = [];
  const net = s.build();
  const history = await net.fit(s.data, { ...s.options(), checkpoint: { every: 1, save: (bytes) => void checkpoints.push(bytes) } });
  return { net, history, checkpoints };
}

describe('fit: checkpoint and resume', () => {
  for (const s of SCENARIOS) {
    it(`${s.name}: saving checkpoints does not change the run`, async () => {
      const plain = s.build();
      const h0 = await plain.fit(s.data, s.options());
      const { net, history, checkpoints } = await runSavingEvery(s);
      expect(modelOf(net)).toEqual(modelOf(plain));
      expect(untimed(history)).toEqual(untimed(h0));
      // One per update; an early-stopped run saves none for the epoch it stopped in.
      expect(checkpoints.length).toBeGreaterThanOrEqual(history.stopReason === 'earlyStopping' ? history.steps - 1 : history.steps);
    });

    it(`${s.name}: resuming from any update gives the uninterrupted run's weights bit for bit`, async () => {
      const { net: full, history, checkpoints } = await runSavingEvery(s);
      const expected = modelOf(full);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: checkpoints.length - 1 }), async (k) => {
          const resumed = s.build();
          const h = await resumed.fit(s.data, { ...s.options(), resume: checkpoints[k]! });
          expect(modelOf(resumed)).toEqual(expected);
          expect(untimed(h)).toEqual(untimed(history));
        }),
        { numRuns: 6, seed: 7 },
      );
    });
  }

  it('a run stopped by its AbortSignal at a random update resumes to the same weights', async () => {
    const s = SCENARIOS[0]!;
    const full = s.build();
    const fullHistory = await full.fit(s.data, s.options());
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: fullHistory.steps - 1 }), async (stopAt) => {
        let last: Uint8Array | undefined;
        const controller = new AbortController();
        const first = s.build();
        const h1 = await first.fit(s.data, {
          ...s.options(), signal: controller.signal,
          checkpoint: { every: 1000, save: (bytes) => void (last = bytes) },
          callbacks: { onBatchEnd: ({ step }) => void (step === stopAt && controller.abort()) },
        });
        expect(h1.stopReason).toBe('aborted');
        expect(h1.steps).toBe(stopAt);
        const second = s.build();
        const h2 = await second.fit(s.data, { ...s.options(), resume: last! });
        expect(modelOf(second)).toEqual(modelOf(full));
        expect(h2.steps).toBe(fullHistory.steps);
        expect(h2.stopReason).toBe('completed');
      }),
      { numRuns: 5, seed: 3 },
    );
  });

  it('early stopping restores the best epoch\'s batch-norm running statistics with its weights', async () => {
    const s = SCENARIOS[4]!;
    const net = s.build();
    const atEpoch: Float32Array[][] = [];
    const h = await net.fit(s.data, {
      ...s.options(), epochs: 30, learningRate: 0.05, earlyStopping: { monitor: 'valLoss', patience: 1, minDelta: 0.02 },
      callbacks: { onEpochEnd: () => void atEpoch.push(modelOf(net)) },
    });
    expect(h.restoredEpoch).toBeLessThan(h.epochs.length);
    expect(modelOf(net)).toEqual(atEpoch[h.restoredEpoch! - 1]);
  });

  it('a finished run resumes with more epochs as if it had been asked for them at once', async () => {
    const s = SCENARIOS[1]!;
    const long = s.build();
    await long.fit(s.data, { ...s.options(), epochs: 8 });
    let last: Uint8Array | undefined;
    const short = s.build();
    await short.fit(s.data, { ...s.options(), checkpoint: { save: (bytes) => void (last = bytes) } });
    const h = await short.fit(s.data, { ...s.options(), epochs: 8, resume: last! });
    expect(modelOf(short)).toEqual(modelOf(long));
    expect(h.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('writes the checkpoint file atomically to a path and resumes from the path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'simdnet-ckpt-'));
    try {
      const s = SCENARIOS[0]!;
      const path = join(dir, 'run.ckpt');
      const full = s.build();
      await full.fit(s.data, s.options());
      const controller = new AbortController();
      const first = s.build();
      await first.fit(s.data, {
        ...s.options(), signal: controller.signal, checkpoint: { path, every: 3 },
        callbacks: { onBatchEnd: ({ step }) => void (step === 7 && controller.abort()) },
      });
      expect(await readdir(dir)).toEqual(['run.ckpt']);
      const second = s.build();
      await second.fit(s.data, { ...s.options(), resume: path });
      expect(modelOf(second)).toEqual(modelOf(full));
      await expect(second.fit(s.data, { ...s.options(), resume: join(dir, 'missing.ckpt') })).rejects.toThrow(/cannot read checkpoint .*missing\.ckpt: file not found/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('refuses a checkpoint it cannot continue exactly, naming the difference', () => {
    const s = SCENARIOS[1]!;
    let bytes: Uint8Array;
    const checkpoint = async (): Promise<Uint8Array> => {
      if (!bytes) await s.build().fit(s.data, { ...s.options(), epochs: 1, checkpoint: { save: (b) => void (bytes = b) } });
      return bytes;
    };

    it('another batch size', async () => {
      await expect(s.build().fit(s.data, { ...s.options(), batchSize: 8, resume: await checkpoint() }))
        .rejects.toThrow(/fit: resume: the checkpoint was made with batchSize 16, this call has 8/);
    });
    it('another learning rate schedule (a decay over more updates)', async () => {
      await expect(s.build().fit(s.data, { ...s.options(), learningRate: stepDecay(0.1, 0.5, 40), resume: await checkpoint() }))
        .rejects.toThrow(/fit: resume: the checkpoint was made with another learning rate or schedule \(update 33 used 0.05, this call's would use 0.1\)/);
    });
    it('other data', async () => {
      const other = makeBlobs(150, 3, 0.8, 99);
      await expect(s.build().fit(other, { ...s.options(), resume: await checkpoint() })).rejects.toThrow(/fit: resume: the checkpoint was made with data \{.*xCrc32/);
    });
    it('another augmentation, or none', async () => {
      const cnn = SCENARIOS[5]!;
      let shifted: Uint8Array | undefined;
      await cnn.build().fit(cnn.data, { ...cnn.options(), epochs: 1, checkpoint: { save: (b) => void (shifted = b) } });
      await expect(cnn.build().fit(cnn.data, { ...cnn.options(), augment: { shift: 2 }, resume: shifted! }))
        .rejects.toThrow('fit: resume: the checkpoint was made with augment {"shift":1}, this call has {"shift":2}');
      await expect(cnn.build().fit(cnn.data, { ...cnn.options(), augment: undefined, resume: shifted! }))
        .rejects.toThrow('fit: resume: the checkpoint was made with augment {"shift":1}, this call has none');
    });
    it('another network', async () => {
      const wider = Network.mlp([2, 11, 3], { activation: 'tanh', seed: 12, threads: 1 });
      await expect(wider.fit(s.data, { ...s.options(), resume: await checkpoint() })).rejects.toThrow(/fit: resume: the checkpoint is of another network/);
    });
    it('another optimizer', async () => {
      await expect(s.build().fit(s.data, { ...s.options(), optimizer: 'adam', resume: await checkpoint() }))
        .rejects.toThrow(/fit: resume: the saved optimizer .*momentum.* differs from this one .*adam/);
    });
    it('fewer epochs than the checkpoint has done', async () => {
      const net = s.build();
      let late: Uint8Array | undefined;
      await net.fit(s.data, { ...s.options(), epochs: 3, checkpoint: { save: (b) => void (late = b) } });
      await expect(s.build().fit(s.data, { ...s.options(), epochs: 2, resume: late! })).rejects.toThrow(/at epoch 4, past this call's 2 epochs/);
    });
    it('a resume that is not a checkpoint', async () => {
      await expect(s.build().fit(s.data, { ...s.options(), resume: 42 as never })).rejects.toThrow(/fit: resume must be a checkpoint/);
    });
    it('a checkpoint option without a destination, or with an unknown key', async () => {
      await expect(s.build().fit(s.data, { ...s.options(), checkpoint: { every: 5 } })).rejects.toThrow(/exactly one of path .* and save/);
      await expect(s.build().fit(s.data, { ...s.options(), checkpoint: { save: () => {}, evry: 5 } as never })).rejects.toThrow(/checkpoint has no option 'evry'/);
      await expect(s.build().fit(s.data, { ...s.options(), checkpoint: { save: () => {}, every: 0 } })).rejects.toThrow(/checkpoint\.every/);
    });
  });

  describe('checkpoint bytes are validated before use', () => {
    it('every single-byte corruption and every truncation is refused with an offset', async () => {
      let bytes!: Uint8Array;
      await SCENARIOS[1]!.build().fit(blobs, { ...SCENARIOS[1]!.options(), epochs: 1, checkpoint: { save: (b) => void (bytes = b) } });
      expect(decodeCheckpoint(bytes).steps).toBeGreaterThan(0);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, flip) => {
          const bad = bytes.slice();
          bad[at]! ^= flip;
          expect(() => decodeCheckpoint(bad, 'x.ckpt')).toThrow(CheckpointFormatError);
          expect(() => decodeCheckpoint(bad, 'x.ckpt')).toThrow(/^x\.ckpt: .*byte \d+/);
        }),
        { numRuns: 200, seed: 5 },
      );
      fc.assert(
        fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (length) => {
          expect(() => decodeCheckpoint(bytes.subarray(0, length), 'x.ckpt')).toThrow(CheckpointFormatError);
        }),
        { numRuns: 100, seed: 6 },
      );
    });
  });
});
