/**
 * The training loop: shuffle, stage a batch, forward + loss + backward in the kernels,
 * check the step is finite, clip, update; yield to the event loop so pages and servers stay
 * responsive; report through callbacks; stop early or on abort.
 */
import type { Network, Evaluation } from '../nn/network.js';
import type { MatrixInput, RowMatrix } from '../nn/matrix.js';
import type { Layout } from '../nn/matrix.js';
import { createOptimizer, type Optimizer, type OptimizerName, type LearningRate } from '../optim/index.js';
import { checkNumber, checkPositiveInt } from '../tensor/shape.js';
import { Rng } from '../data/rng.js';
import { EarlyStopping } from './early-stopping.js';
import { NonFiniteError, type Callbacks, type EarlyStoppingOptions, type EpochLog, type History } from './types.js';
import { yieldToEventLoop } from './yield.js';

/** Options for {@link fit}. */
export interface FitOptions {
  /** Passes over the training data. Default 10. */
  epochs?: number;
  /** Rows per update, or `'full'` for full-batch gradient descent (the seeds' iterations). Default 32. */
  batchSize?: number | 'full';
  /** Optimizer instance or name. Default `'sgd'`. */
  optimizer?: Optimizer | OptimizerName;
  /** Learning rate for a named optimizer (number or schedule). */
  learningRate?: LearningRate;
  /** Reshuffle the rows every epoch (seeded). Default true; ignored for full batch. */
  shuffle?: boolean;
  /** Fraction of the rows (taken from the end) held out for validation, in [0, 1). */
  validationSplit?: number;
  /** Explicit validation samples and targets. */
  validationData?: [MatrixInput, MatrixInput | ArrayLike<number>];
  /** L2 weight decay λ: adds λ/(2m)·ΣW² to the cost and λ/m·W to dW. Default 0. */
  l2?: number;
  /** Rescale the whole gradient when its global L2 norm exceeds this. */
  clipNorm?: number;
  /** Layout of `x`, `y` and validation data. Default `'rows'`. */
  layout?: Layout;
  /** Record the cost every this many updates in {@link History.costs}. Default 1. */
  costEvery?: number;
  /** Batch and epoch hooks. */
  callbacks?: Callbacks;
  /** Stop when a metric stops improving. */
  earlyStopping?: EarlyStoppingOptions | boolean;
  /** Stops training cleanly after the current batch. */
  signal?: AbortSignal;
}

/**
 * Train `net` on `x`/`y`. Resolves with the history when training ends (completed, early
 * stopped, aborted or stopped by a callback); rejects with {@link NonFiniteError} if the loss
 * or gradient becomes NaN/Infinity, leaving the weights as they were before that update.
 */
export async function fit(net: Network, x: MatrixInput, y: MatrixInput | ArrayLike<number>, options: FitOptions = {}): Promise<History> {
  const started = performance.now();
  const layout = { layout: options.layout ?? 'rows' } as const;
  const epochs = checkPositiveInt(options.epochs ?? 10, 'fit: epochs');
  let data = net.samples(x, layout, 'fit: x');
  let targets = net.targets(y, data.rows, layout, 'fit: y');
  let validation: { x: RowMatrix; y: RowMatrix } | undefined;
  if (options.validationData) {
    const vx = net.samples(options.validationData[0], layout, 'fit: validationData x');
    validation = { x: vx, y: net.targets(options.validationData[1], vx.rows, layout, 'fit: validationData y') };
  } else if (options.validationSplit) {
    const split = checkNumber(options.validationSplit, 'fit: validationSplit', 0, 0.99);
    const keep = data.rows - Math.round(data.rows * split);
    validation = { x: sliceRows(data, keep, data.rows), y: sliceRows(targets, keep, data.rows) };
    data = sliceRows(data, 0, keep);
    targets = sliceRows(targets, 0, keep);
  }
  if (data.rows === 0) throw new RangeError('fit: no training rows');
  const batchSize = options.batchSize === 'full' ? data.rows : Math.min(checkPositiveInt(options.batchSize ?? 32, 'fit: batchSize'), data.rows);
  const l2 = checkNumber(options.l2 ?? 0, 'fit: l2', 0);
  const clipNorm = options.clipNorm === undefined ? Infinity : checkNumber(options.clipNorm, 'fit: clipNorm', 0);
  const costEvery = checkPositiveInt(options.costEvery ?? 1, 'fit: costEvery');
  const ownOptimizer = typeof options.optimizer !== 'object';
  const optimizer = typeof options.optimizer === 'object' ? options.optimizer : createOptimizer(options.optimizer ?? 'sgd', options.learningRate);
  const shuffle = (options.shuffle ?? true) && batchSize < data.rows;
  const stopper = options.earlyStopping ? new EarlyStopping(options.earlyStopping === true ? {} : options.earlyStopping, validation !== undefined) : undefined;

  const { kernels: k } = net.engine;
  const params = net.params;
  const order = Uint32Array.from({ length: data.rows }, (_, i) => i);
  const rng = new Rng(net.rng.int(2 ** 31));
  const batches = Math.ceil(data.rows / batchSize);
  const history: History = { epochs: [], costs: [], steps: 0, stopReason: 'completed', seconds: 0 };
  net.reserve(batchSize);
  let lastYield = performance.now();

  try {
    training: for (let epoch = 1; epoch <= epochs; epoch++) {
      const epochStart = performance.now();
      if (shuffle) rng.shuffle(order);
      let lossSum = 0;
      let correct = 0;
      for (let b = 0; b < batches; b++) {
        if (options.signal?.aborted) {
          history.stopReason = 'aborted';
          break training;
        }
        const from = b * batchSize;
        const rows = Math.min(batchSize, data.rows - from);
        if (shuffle) net.stageRows(data, targets, order, from, rows);
        else net.stageRange(data, targets, from, rows);
        let cost = net.lossOnStaged(rows, true, true) / rows;
        correct += net.correctOnStaged(rows);
        if (l2 > 0) cost += applyWeightDecay(net, l2, rows);
        let sq = 0;
        for (const p of params) sq += k.sumSquares(p.grad, p.size);
        const step = history.steps + 1;
        if (!Number.isFinite(cost)) throw new NonFiniteError(epoch, b, step, `the loss is ${cost}`);
        if (!Number.isFinite(sq)) throw new NonFiniteError(epoch, b, step, 'a gradient is not finite');
        const norm = Math.sqrt(sq);
        if (norm > clipNorm) for (const p of params) k.scale(p.grad, clipNorm / norm, p.grad, p.size);
        optimizer.step(net.engine, params);
        history.steps = step;
        lossSum += cost * rows;
        if (step % costEvery === 0 || step === 1) history.costs.push({ step, loss: cost });
        const keepGoing = await options.callbacks?.onBatchEnd?.({ epoch, batch: b, batches, step, loss: cost, size: rows });
        if (keepGoing === false) {
          history.stopReason = 'callback';
          break training;
        }
        // Yield every 15 ms, and at least once per epoch so short epochs never starve the loop.
      if (performance.now() - lastYield > 15 || b === batches - 1) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      const seconds = (performance.now() - epochStart) / 1000;
      const log: EpochLog = {
        epoch, loss: lossSum / data.rows, accuracy: correct / data.rows,
        learningRate: rateBefore(optimizer), seconds, samplesPerSecond: data.rows / seconds,
      };
      if (validation) {
        const v: Evaluation = net.evaluateRows(validation.x, validation.y);
        log.valLoss = v.loss;
        log.valAccuracy = v.accuracy;
      }
      history.epochs.push(log);
      const keepGoing = await options.callbacks?.onEpochEnd?.(log);
      if (stopper?.update(net, log)) {
        history.stopReason = 'earlyStopping';
        break;
      }
      if (keepGoing === false) {
        history.stopReason = 'callback';
        break;
      }
    }
  } finally {
    // State of an optimizer made here from a name is unreachable afterwards: free it.
    if (ownOptimizer) optimizer.reset();
  }
  if (stopper) {
    const restored = stopper.finish(net);
    if (restored !== undefined) history.restoredEpoch = restored;
  }
  history.seconds = (performance.now() - started) / 1000;
  return history;
}

/** Add λ/m·W to every decayed gradient; returns the cost term λ/(2m)·ΣW². */
function applyWeightDecay(net: Network, l2: number, rows: number): number {
  const k = net.engine.kernels;
  let sq = 0;
  for (const p of net.params) {
    if (!p.decay) continue;
    sq += k.sumSquares(p.value, p.size);
    k.axpy(l2 / rows, p.value, p.grad, p.size);
  }
  return (l2 / (2 * rows)) * sq;
}

function rateBefore(optimizer: Optimizer): number {
  return typeof optimizer.learningRate === 'number' ? optimizer.learningRate : optimizer.learningRate(Math.max(0, optimizer.iterations - 1));
}

function sliceRows(m: RowMatrix, from: number, to: number): RowMatrix {
  return { data: m.data.subarray(from * m.cols, to * m.cols), rows: to - from, cols: m.cols };
}
