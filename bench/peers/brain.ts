/**
 * brain.js 1.6.1, `NeuralNetwork` (pure JS). Its closest setup to the suite, because it
 * cannot express the suite's model exactly:
 * - one activation for every layer, the output included: tanh everywhere for 784-25-10,
 *   ReLU everywhere for 784-128-64-10 (there is no softmax);
 * - its only loss is the squared error against the one-hot target (no cross-entropy);
 * - online updates, one sample at a time (no mini-batch), in the order given (no shuffle);
 * - "SGD" is its momentum rule with momentum 1e-9 (its validator rejects 0);
 * - learning rate 0.03: per-sample squared-error updates at the suite's 0.1 drive the ReLU
 *   network to constant outputs (10 % test accuracy); 0.03 learns (0.01 learns more slowly);
 * - weights start uniform in ±0.2 from `Math.random` (no seed).
 */
import brain from 'brain.js';
import type { Dataset, ModelSpec, Peer, Prepared, Trainer, TrainOptions } from './peer.js';
import { argmax } from './peer.js';
import { packageVersion } from './tfjs.js';

/** Smallest momentum brain.js accepts is anything above 0. */
const MOMENTUM = 1e-9;
/** The suite's 0.1 diverges with online updates on the ReLU model; see the module comment. */
const LEARNING_RATE = 0.03;

interface Sample {
  input: number[];
  output: number[];
}

function samples(data: Dataset): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < data.rows; i++) {
    out.push({
      input: Array.from(data.x.subarray(i * data.cols, (i + 1) * data.cols)),
      output: Array.from(data.oneHot.subarray(i * data.classes, (i + 1) * data.classes)),
    });
  }
  return out;
}

function network(spec: ModelSpec): brain.NeuralNetwork {
  return new brain.NeuralNetwork({ hiddenLayers: spec.sizes.slice(1, -1), activation: spec.hidden });
}

/** Options for one pass: `iterations` counts passes over the data in brain.js. */
function passOptions(learningRate: number): brain.INeuralNetworkTrainingOptions {
  return { iterations: 1, learningRate, momentum: MOMENTUM, errorThresh: 1e-12, log: false };
}

class BrainTrainer implements Trainer {
  private readonly net: brain.NeuralNetwork;
  private readonly data: Sample[];

  constructor(spec: ModelSpec, train: Dataset, private readonly options: TrainOptions) {
    this.net = network(spec);
    this.data = samples(train);
  }

  async epoch(): Promise<void> {
    this.net.train(this.data, passOptions(this.options.learningRate));
  }

  accuracy(test: Dataset): number {
    let correct = 0;
    for (let i = 0; i < test.rows; i++) {
      const out = this.net.run(test.x.subarray(i * test.cols, (i + 1) * test.cols) as unknown as number[]) as ArrayLike<number>;
      if (argmax(out, 0, test.classes) === test.labels[i]) correct++;
    }
    return correct / test.rows;
  }

  dispose(): void {}
}

/** The brain.js peer: training and inference only (it exposes no kernels). */
export function brainPeer(): Peer {
  return {
    id: 'brain.js',
    library: `brain.js ${packageVersion('brain.js')}`,
    notes: [
      'brain.js: no softmax or cross-entropy in 1.6.1, so the hidden activation is used on the output too and the loss is ' +
        `squared error; online updates (batch size does not apply); learning rate ${LEARNING_RATE} (at the suite's 0.1 the ReLU model ` +
        `collapses to 10 % accuracy); momentum ${MOMENTUM} because 0 is rejected; unseeded ±0.2 init.`,
    ],
    fixedBatch: 'online (1 sample per update)',
    learningRate: LEARNING_RATE,
    activate: async () => {},
    trainer: async (spec, train, options) => new BrainTrainer(spec, train, options),
    forward: async (spec, x, rows) => {
      const net = network(spec);
      const cols = spec.sizes[0]!;
      const outputs = spec.sizes[spec.sizes.length - 1]!;
      // brain.js sizes and initialises a network on its first training call.
      net.train([{ input: Array.from(x.subarray(0, cols)), output: new Array<number>(outputs).fill(0) }], passOptions(0.1));
      const out = new Float32Array(rows * outputs);
      const prepared: Prepared = {
        run: () => {
          for (let i = 0; i < rows; i++) {
            out.set(net.run(x.subarray(i * cols, (i + 1) * cols) as unknown as number[]) as ArrayLike<number>, i * outputs);
          }
        },
        output: () => out,
        dispose: () => {},
      };
      return prepared;
    },
  };
}
