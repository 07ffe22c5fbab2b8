/**
 * The training loop: shuffle, stage a batch, forward + loss + backward in the kernels,
 * check the step is finite, clip, update; yield to the event loop so pages and servers stay
 * responsive; report through callbacks; stop early or on abort.
 */
import type { Sequential } from '../nn/network.js';
import type { Dataset } from '../data/dataset.js';
import { isDataset } from '../data/boundary.js';
import { Rng } from '../util/rng.js';
import { ImageShifter, checkAugment, type AugmentOptions } from '../data/augment.js';
import { Optimizer, createOptimizer, rateAt, type OptimizerName, type LearningRate } from '../optim/index.js';
import { checkNumber, checkOptionKeys, checkPositiveInt } from '../util/check.js';
import { describe } from '../util/describe.js';
import { argmax } from '../util/argmax.js';
import { addStaged, correctOnStaged, evaluatePrepared } from '../feed/inference.js';
import { RegressionSums } from '../feed/metrics.js';
import { stagerFor } from '../feed/stager.js';
import { prepareData, readArgs, type DataArgs, type DataInput, type LayoutOption, type ValidationInput } from '../feed/args.js';
import { fingerprintOf, type TrainingSettings, type TrainingState } from './checkpoint.js';
import { CostRecorder } from './costs.js';
import { Checkpointer, RATE_SAMPLE_STEPS, checkResumable, networkOf, readResume, type CheckpointOptions, type ResumeInput } from './resume.js';
import { modelStateOf, restoreModelState } from './model-state.js';
import { EarlyStopping } from './early-stopping.js';
import { NonFiniteError, type Callbacks, type EarlyStoppingOptions, type EpochLog, type History } from './types.js';
import { yieldToEventLoop } from './yield.js';

/** Options for {@link fit}. */
export interface FitOptions extends LayoutOption {
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
  /** Validation data: a Dataset, or samples and targets as `fit` takes them. */
  validationData?: ValidationInput;
  /** L2 weight decay λ: adds λ/(2m)·ΣW² to the cost and λ/m·W to dW. Default 0. */
  l2?: number;
  /** Rescale the whole gradient when its global L2 norm exceeds this. */
  clipNorm?: number;
  /**
   * Training-time augmentation of an image network's batches: each training image is shifted
   * by a few random whole pixels every time it is staged (seeded, drawn from the shuffling
   * stream, so a seed reproduces the run and a checkpoint resumes it). Validation rows and
   * inference are never changed. Needs the network's `inputShape`.
   */
  augment?: AugmentOptions;
  /**
   * Record the cost every this many updates in {@link History.costs}. Default `'auto'`: every
   * update until 8,192 samples, then every 2nd, 4th … so memory stays bounded however long
   * the run.
   */
  costEvery?: number | 'auto';
  /** Batch and epoch hooks. */
  callbacks?: Callbacks;
  /** Stop when a metric stops improving. */
  earlyStopping?: EarlyStoppingOptions | boolean;
  /** Stops training cleanly after the current batch. */
  signal?: AbortSignal;
  /**
   * Save the run's whole state (weights, optimizer, position, random streams, history) every
   * epoch or every N updates, and when the run stops, so it can be continued with `resume`.
   */
  checkpoint?: CheckpointOptions;
  /**
   * Continue the run a checkpoint was taken from: same network, data and settings (only
   * `epochs` may grow). The weights then match those of the uninterrupted run bit for bit.
   */
  resume?: ResumeInput;
}

/** The training and validation rows, prepared for the network. */
interface TrainingData {
  train: Dataset;
  validation: Dataset | undefined;
}

/** Everything {@link fit} checks and builds before its first step. */
interface Plan extends TrainingData {
  epochs: number;
  batchSize: number;
  l2: number;
  clipNorm: number;
  augment: AugmentOptions | undefined;
  costEvery: number | 'auto';
  ownOptimizer: boolean;
  optimizer: Optimizer;
  shuffle: boolean;
  stopper: EarlyStopping | undefined;
  callbacks: Callbacks | undefined;
  checkpointer: Checkpointer | undefined;
}

/** Where a run stands between two updates, and the running sums of its epoch. */
interface Position {
  epoch: number;
  /** The next batch of the epoch. */
  batch: number;
  /** Whether the epoch's row order has been drawn. */
  orderDrawn: boolean;
  loss: number;
  correct: number;
  sums: RegressionSums | undefined;
  /** Seconds the epoch trained before this call (resumed mid-epoch). */
  secondsBefore: number;
}

/**
 * Train `net` on a {@link Dataset}, or on samples `x` and targets `y` (class indices or
 * one-hot rows for a softmax output, 0/1 for a sigmoid output, values for a linear one).
 * Resolves with the history when training ends (completed, early stopped, aborted or stopped
 * by a callback); rejects with {@link NonFiniteError} if the loss or gradient becomes
 * NaN/Infinity, leaving the weights as they were before that update.
 *
 * A network without class names takes those of a training Dataset that has them; datasets
 * with named classes are then mapped through them by name.
 */
export function fit(net: Sequential, data: Dataset, options?: FitOptions): Promise<History>;
export function fit(net: Sequential, ...args: DataArgs<FitOptions>): Promise<History>;
export async function fit(net: Sequential, ...args: DataArgs<FitOptions>): Promise<History> {
  const started = performance.now();
  const { options, adopt, ...input } = readArgs<FitOptions>(args, 'fit');
  const names = net.classNames;
  let plan: Plan;
  try {
    if (adopt && names === undefined) inFit(() => (net.classNames = adopt));
    plan = planOf(net, input, options);
  } catch (e) {
    // A rejected call leaves the network as it was: no class names taken from data it refused.
    net.classNames = names;
    throw e;
  }
  const { epochs, train, validation, batchSize, l2, clipNorm, augment, costEvery, ownOptimizer, optimizer, shuffle, stopper, callbacks, checkpointer } = plan;

  const regression = net.task === 'regression';
  const { kernels: k } = net.engine;
  const params = net.params;
  const stager = stagerFor(net);
  const order = Uint32Array.from({ length: train.rows }, (_, i) => i);
  const rng = new Rng(net.rng.int(2 ** 31));
  const shifter = augment && augment.shift > 0 ? new ImageShifter(net.inputShape!, augment.shift, rng) : undefined;
  const batches = Math.ceil(train.rows / batchSize);
  const costs = new CostRecorder(costEvery);
  const history: History = { epochs: [], costs: costs.samples, steps: 0, stopReason: 'completed', seconds: 0 };
  const newEpoch = (epoch: number): Position => ({
    epoch, batch: 0, orderDrawn: false, loss: 0, correct: 0, sums: regression ? new RegressionSums(net.outputs) : undefined, secondsBefore: 0,
  });
  let at = newEpoch(1);
  let secondsBefore = 0;
  const settings = checkpointer || options.resume !== undefined ? settingsOf(plan) : undefined;
  if (options.resume !== undefined) {
    const state = await readResume(options.resume);
    checkResumable(net, state, settings!, epochs);
    inFit(() => optimizer.setState(net.engine, params, state.optimizer), 'fit: resume');
    net.setWeights(state.weights);
    restoreModelState(net, state.modelState);
    net.rng.setState(state.networkRng);
    rng.setState(state.shuffleRng);
    order.set(state.order);
    costs.setState(state.history.costs);
    stopper?.setState(state.earlyStopping ?? { best: null, bestEpoch: 0, waited: 0 });
    history.epochs.push(...state.history.epochs);
    history.steps = state.steps;
    secondsBefore = state.history.seconds;
    at = { ...newEpoch(state.epoch), batch: state.batch, orderDrawn: state.orderDrawn, loss: state.epochSums.loss, correct: state.epochSums.correct, secondsBefore: state.epochSums.seconds };
    if (state.epochSums.regression) at.sums?.setState(state.epochSums.regression);
  }
  let epochStart = performance.now();
  /** The run as it stands, for a checkpoint. */
  const snapshot = (): TrainingState => ({
    network: networkOf(net), weights: net.getWeights(), modelState: modelStateOf(net), settings: settings!,
    epoch: at.epoch, batch: at.batch, orderDrawn: at.orderDrawn, order: order.slice(), steps: history.steps,
    shuffleRng: rng.getState(), networkRng: net.rng.getState(), optimizer: optimizer.getState(net.engine, params),
    epochSums: {
      loss: at.loss, correct: at.correct, regression: at.sums?.getState() ?? null,
      seconds: at.batch === 0 ? 0 : at.secondsBefore + (performance.now() - epochStart) / 1000,
    },
    history: { epochs: history.epochs.map((e) => ({ ...e })), costs: costs.getState(), seconds: secondsBefore + (performance.now() - started) / 1000 },
    earlyStopping: stopper?.getState() ?? null,
  });
  stager.reserve(batchSize);
  let lastYield = performance.now();

  try {
    training: while (at.epoch <= epochs) {
      const { epoch } = at;
      epochStart = performance.now();
      if (shuffle && !at.orderDrawn) rng.shuffle(order);
      at.orderDrawn = true;
      let savePending = false;
      for (let b = at.batch; b < batches; b++) {
        if (options.signal?.aborted) {
          history.stopReason = 'aborted';
          break training;
        }
        const from = b * batchSize;
        const rows = Math.min(batchSize, train.rows - from);
        if (shuffle) stager.stageRows(train, order, from, rows);
        else stager.stageRange(train, from, rows, true);
        shifter?.apply(net.engine.heap.f32, stager.inputs >> 2, rows);
        let cost = net.computeLoss(stager.inputs, stager.targets, rows, true, true) / rows;
        if (at.sums) addStaged(at.sums, net, stager.targets, rows);
        else at.correct += correctOnStaged(net, stager.targets, rows);
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
        at.batch = b + 1;
        at.loss += cost * rows;
        costs.record(step, cost);
        const keepGoing = await callbacks?.onBatchEnd?.({ epoch, batch: b, batches, step, loss: cost, size: rows });
        if (keepGoing === false) {
          history.stopReason = 'callback';
          break training;
        }
        // A checkpoint due on an epoch's last update waits for the epoch's end (its log and
        // early stopping's verdict), so it resumes at the next epoch.
        if (checkpointer?.dueAfter(step)) {
          if (b < batches - 1) await checkpointer.save(snapshot());
          else savePending = true;
        }
        // Yield every 15 ms, and at least once per epoch so short epochs never starve the loop.
        if (performance.now() - lastYield > 15 || b === batches - 1) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      const log = epochLog(net, at, train.rows, (performance.now() - epochStart) / 1000 + at.secondsBefore, optimizer, validation);
      history.epochs.push(log);
      const keepGoing = await callbacks?.onEpochEnd?.(log);
      const stop = stopper?.update(net, log) ?? false;
      at = newEpoch(epoch + 1);
      if (stop) {
        history.stopReason = 'earlyStopping';
        break;
      }
      if (keepGoing === false) {
        history.stopReason = 'callback';
        break;
      }
      if (checkpointer && (checkpointer.everyEpoch || savePending) && epoch < epochs) await checkpointer.save(snapshot());
    }
    // The last checkpoint is where the run ended, so a resume (with more epochs, or after
    // Ctrl-C) continues from there. An early-stopped run is finished: it has none.
    if (checkpointer && history.stopReason !== 'earlyStopping') await checkpointer.save(snapshot());
  } finally {
    // State of an optimizer made here from a name is unreachable afterwards: free it.
    if (ownOptimizer) optimizer.reset();
  }
  if (stopper) {
    const restored = stopper.finish(net);
    if (restored !== undefined) history.restoredEpoch = restored;
  }
  history.seconds = secondsBefore + (performance.now() - started) / 1000;
  return history;
}

/** The log of the epoch `at` has just finished. */
function epochLog(net: Sequential, at: Position, rows: number, seconds: number, optimizer: Optimizer, validation: Dataset | undefined): EpochLog {
  const log: EpochLog = { epoch: at.epoch, loss: at.loss / rows, learningRate: rateBefore(optimizer), seconds, samplesPerSecond: rows / seconds };
  if (at.sums) {
    const m = at.sums.metrics();
    Object.assign(log, { rmse: m.rmse, mae: m.mae, r2: m.r2 });
  } else {
    log.accuracy = at.correct / rows;
  }
  if (validation) {
    const v = evaluatePrepared(net, validation);
    log.valLoss = v.loss;
    if (v.task === 'regression') Object.assign(log, { valRmse: v.rmse, valMae: v.mae, valR2: v.r2 });
    else log.valAccuracy = v.accuracy;
  }
  return log;
}

/** What a resumed run must share with the checkpoint's run. */
function settingsOf(plan: Plan): TrainingSettings {
  return {
    batchSize: plan.batchSize, shuffle: plan.shuffle, l2: plan.l2, clipNorm: Number.isFinite(plan.clipNorm) ? plan.clipNorm : null,
    costEvery: plan.costEvery, ...(plan.augment ? { augment: plan.augment } : {}), learningRates: RATE_SAMPLE_STEPS.map((step) => rateAt(plan.optimizer.learningRate, step)), data: fingerprintOf(plan.train), validation: plan.validation ? fingerprintOf(plan.validation) : null,
  };
}

/** Every option {@link FitOptions} knows. */
const FIT_OPTIONS: readonly (keyof FitOptions)[] = [
  'epochs', 'batchSize', 'optimizer', 'learningRate', 'shuffle', 'validationSplit', 'validationData',
  'l2', 'clipNorm', 'augment', 'costEvery', 'callbacks', 'earlyStopping', 'signal', 'layout', 'checkpoint', 'resume',
];

/** Check every option and prepare the data, before anything changes. */
function planOf(net: Sequential, input: DataInput, options: FitOptions): Plan {
  checkOptionKeys(options, FIT_OPTIONS, 'fit');
  const epochs = checkPositiveInt(options.epochs ?? 10, 'fit: epochs');
  const { train, validation } = trainingData(net, input, options);
  const batchSize = options.batchSize === 'full' ? train.rows : Math.min(checkPositiveInt(options.batchSize ?? 32, "fit: batchSize (or 'full')"), train.rows);
  const l2 = checkNumber(options.l2 ?? 0, 'fit: l2', 0);
  const clipNorm = options.clipNorm === undefined ? Infinity : checkNumber(options.clipNorm, 'fit: clipNorm', 0);
  const augment = options.augment === undefined ? undefined : checkAugment(options.augment, net.inputShape, 'fit: augment');
  const costEvery = options.costEvery === undefined || options.costEvery === 'auto' ? 'auto' : checkPositiveInt(options.costEvery, "fit: costEvery (or 'auto')");
  const callbacks = callbacksOf(options.callbacks);
  const stopper = stopperOf(options.earlyStopping, validation !== undefined);
  const ownOptimizer = !(options.optimizer instanceof Optimizer);
  const optimizer = optimizerOf(options);
  const shuffle = (options.shuffle ?? true) && batchSize < train.rows;
  const checkpointer = Checkpointer.of(options.checkpoint);
  return { epochs, train, validation, batchSize, l2, clipNorm, augment, costEvery, ownOptimizer, optimizer, shuffle, stopper, callbacks, checkpointer };
}

/**
 * Run a check from below fit (optimizers, early stopping, the network's class names) so its
 * TypeError or RangeError names `fit` (or `where`, e.g. 'fit: resume') first, as every error
 * of the call does.
 */
function inFit<T>(check: () => T, where = 'fit'): T {
  try {
    return check();
  } catch (e) {
    if ((e instanceof TypeError || e instanceof RangeError) && !e.message.startsWith(`${where}: `)) e.message = `${where}: ${e.message}`;
    throw e;
  }
}

function callbacksOf(callbacks: unknown): Callbacks | undefined {
  if (callbacks === undefined) return undefined;
  if (typeof callbacks !== 'object' || callbacks === null) throw new TypeError(`fit: callbacks must be an object with onBatchEnd and/or onEpochEnd, got ${describe(callbacks)}`);
  for (const hook of ['onBatchEnd', 'onEpochEnd'] as const) {
    const f = (callbacks as Callbacks)[hook];
    if (f !== undefined && typeof f !== 'function') throw new TypeError(`fit: callbacks.${hook} must be a function, got ${describe(f)}`);
  }
  return callbacks as Callbacks;
}

const MONITORS: readonly unknown[] = ['loss', 'accuracy', 'valLoss', 'valAccuracy', 'r2', 'valR2'];

function stopperOf(option: unknown, hasValidation: boolean): EarlyStopping | undefined {
  if (option === undefined || option === false) return undefined;
  if (option !== true && (typeof option !== 'object' || option === null || Array.isArray(option))) {
    throw new TypeError(`fit: earlyStopping must be true or an object ({ monitor, patience, minDelta, restoreBestWeights }), got ${describe(option)}`);
  }
  const settings = option === true ? {} : (option as EarlyStoppingOptions);
  if (settings.monitor !== undefined && !MONITORS.includes(settings.monitor)) {
    throw new TypeError(`fit: earlyStopping.monitor must be 'loss', 'accuracy', 'valLoss', 'valAccuracy', 'r2' or 'valR2', got ${describe(settings.monitor)}`);
  }
  return inFit(() => new EarlyStopping(settings, hasValidation));
}

/** Prepare the training rows and the validation rows (given, or split off the end). */
function trainingData(net: Sequential, input: DataInput, options: FitOptions): TrainingData {
  const all = prepareData(net, input, options, 'fit');
  let train = all;
  let validation: Dataset | undefined;
  if (options.validationData !== undefined) {
    validation = prepareData(net, readValidation(options.validationData), options, 'fit: validationData');
  } else if (options.validationSplit !== undefined) {
    const split = checkNumber(options.validationSplit, 'fit: validationSplit', 0, 0.99);
    const held = Math.round(all.rows * split);
    if (split > 0 && held === 0) {
      throw new RangeError(`fit: validationSplit ${split} of ${all.rows} rows holds out no rows; use a larger split or pass validationData`);
    }
    if (held > 0) {
      validation = sliceRows(all, all.rows - held, all.rows);
      train = sliceRows(all, 0, all.rows - held);
    }
  }
  if (train.rows === 0) throw new RangeError('fit: no training rows');
  checkTwoClasses(net, train);
  return { train, validation };
}

/** `validationData` as the arguments of {@link prepareData}. */
function readValidation(value: ValidationInput): DataInput {
  if (Array.isArray(value)) {
    if (value.length !== 2) throw new TypeError(`fit: validationData must be a Dataset or [x, y], got an array of ${value.length}`);
    return { x: value[0], y: value[1] };
  }
  if (!isDataset(value)) throw new TypeError(`fit: validationData must be a Dataset or [x, y], got ${describe(value)}`);
  return { dataset: value };
}

/** A classifier trained on rows of one class learns nothing and reports 100%: refuse it. */
function checkTwoClasses(net: Sequential, train: Dataset): void {
  if (net.targetKind === 'values' || train.rows < 2) return;
  const k = train.outputs;
  const classOf = (r: number): number => (k === 1 ? +(train.y[r]! >= 0.5) : argmax(train.y, r * k, k));
  const first = classOf(0);
  for (let r = 1; r < train.rows; r++) if (classOf(r) !== first) return;
  const name = net.classNames?.[first] ?? String(first);
  throw new RangeError(`fit: all ${train.rows} training rows are of class ${JSON.stringify(name)}; a classifier needs rows of at least two classes`);
}

function optimizerOf(options: FitOptions): Optimizer {
  const { optimizer } = options;
  if (optimizer instanceof Optimizer) {
    if (options.learningRate !== undefined) throw new TypeError('fit: learningRate applies to a named optimizer; set it on the Optimizer instance instead');
    return optimizer;
  }
  if (optimizer !== undefined && typeof optimizer !== 'string') {
    throw new TypeError(`fit: optimizer must be an Optimizer (new SGD(), new Adam() …) or a name, got ${describe(optimizer)}`);
  }
  return inFit(() => createOptimizer(optimizer ?? 'sgd', options.learningRate));
}

/** Add λ/m·W to every decayed gradient; returns the cost term λ/(2m)·ΣW². */
function applyWeightDecay(net: Sequential, l2: number, rows: number): number {
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

/** Rows `[from, to)` of a prepared dataset, as views (no copy). */
function sliceRows(d: Dataset, from: number, to: number): Dataset {
  const out: Dataset = {
    x: d.x.subarray(from * d.features, to * d.features), y: d.y.subarray(from * d.outputs, to * d.outputs),
    rows: to - from, features: d.features, outputs: d.outputs,
  };
  if (d.labels) out.labels = d.labels.subarray(from, to);
  if (d.classNames) out.classNames = d.classNames;
  return out;
}
