/**
 * `simdnet train`: load data, build the network, train with live progress, evaluate on the
 * held-out rows, save the model and the plots, and print a summary. Classification reports
 * accuracy and a confusion matrix; regression (`--target`, `--data sine`) reports RMSE, MAE and
 * R² in the targets' own units. Ctrl-C stops after the current batch and still saves the best
 * weights seen so far; after training it lets the evaluation and the writes finish.
 */
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import {
  ACTIVATION_NAMES, INITIALIZER_NAMES, OPTIMIZER_NAMES, PIXEL_SCALINGS, cosineDecay, saveModel,
  type Dataset, type LearningRate, type EpochLog, type History, type Network,
} from '../node.js';
import type { RegressionMetrics } from '../feed/metrics.js';
import { confusionMatrix, formatConfusionMatrix } from '../plot/index.js';
import { writeFileAtomic } from '../io/file.js';
import { packageVersion } from './about.js';
import { curvePoints, writePlots, writeRegressionPlots } from './artifacts.js';
import { BUILTIN_DATA, REGRESSION_DATA } from './data-source.js';
import { ExitCode, UsageError } from './errors.js';
import { formatPercent, formatRate, formatSeconds } from './format.js';
import type { ModelMetadata } from './model-file.js';
import { newRunId, prepareOutDir, withOutLock } from './out-dir.js';
import { buildNetwork, describeNetwork, resolveLayers, resolveRegressionLayers } from './network.js';
import { activationName, initializerName, lossName, optimizerName } from './names.js';
import * as parse from './parse.js';
import { parseImageLayers, type ImageLayersOption } from './image-layers.js';
import { defaultsFor, mergeSettings, PRESETS, PRESET_NAMES, type PresetName, type Task, type TrainSettings } from './presets.js';
import { prepareProblem, type ClassificationProblem, type Problem, type RegressionProblem } from './problem.js';
import { progressMode, TrainingProgress } from './progress.js';
import { describeTargets, formatMetrics, metricsByTarget, metricsInUnits, predictInUnits, type TargetMetrics } from './regression.js';

/** Options as commander hands them over (all optional: presets and defaults fill the rest). */
interface TrainOptions extends Partial<TrainSettings> {
  preset?: PresetName;
  /** `--image-layers`: sets the input shape and the image layers of a CNN. */
  imageLayers?: ImageLayersOption;
  out: string;
  label?: string;
  task?: Task;
  target?: (string | number)[];
  /** False with `--no-standardize-targets`. */
  standardizeTargets: boolean;
  /** `--checkpoint` alone is true: every epoch. */
  checkpoint?: number | 'epoch' | true;
  resume?: string;
  quiet?: boolean;
  json?: boolean;
  verbose?: boolean;
}

/** What every summary holds, whatever the task. */
interface SummaryBase {
  command: 'train';
  /** Also in the model's metadata: the summary and the model beside it come from one run. */
  runId: string;
  preset?: string;
  network: { layers: number[]; description: string; loss: string; parameters: number; backend: string; threads: number };
  training: {
    optimizer: string; learningRate: number; batch: number | 'full'; epochs: number; epochsRun: number; updates: number;
    stopReason: string; seconds: number; samplesPerSecond: number; savedEpoch?: number;
    /** Training-time augmentation, when used. */
    augment?: { shift: number };
    /** Ctrl-C was pressed: during training (then stopReason is 'aborted') or after it. */
    interrupted?: boolean;
    /** The checkpoint this run continued (`--resume`). */
    resumedFrom?: string;
  };
  curve: { x: string; step: number; points: number };
  files: Record<string, string>;
  seconds: number;
}

/** Where the rows came from. */
interface DataSummary {
  source: string; kind: string; trainRows: number; testRows: number; testFrom: string; features: number;
}

/** The machine-readable result of a classification run. */
export interface ClassificationSummary extends SummaryBase {
  task: 'classification';
  data: DataSummary & { classes: string[] };
  results: { trainLoss: number; trainAccuracy: number; testLoss: number; testAccuracy: number };
}

/** The machine-readable result of a regression run; every metric is in the targets' own units. */
export interface RegressionSummary extends SummaryBase {
  task: 'regression';
  data: DataSummary & { targets: string[]; standardizedTargets: boolean };
  results: {
    trainMse: number; trainRmse: number; trainMae: number; trainR2: number;
    testMse: number; testRmse: number; testMae: number; testR2: number;
    /** Test-row metrics of each target, when there are several. */
    testByTarget?: TargetMetrics[];
  };
}

/** The machine-readable result, also written to `summary.json`. */
export type TrainSummary = ClassificationSummary | RegressionSummary;

/** Register `train` on the program. */
export function registerTrain(program: Command): void {
  const presetHelp = PRESET_NAMES.map((n) => `  ${n.padEnd(16)}${PRESETS[n].description}`).join('\n');
  program
    .command('train')
    .description('train a network and save the model, plots and a summary (default: the bundled MNIST digits)')
    .addOption(new Option('--preset <name>', 'a ready-made recipe (see below); other options override it').choices(PRESET_NAMES))
    .option('--data <source>', `${BUILTIN_DATA.join('|')}, a CSV file, an IDX prefix or an image folder (one sub-folder per class); sine is regression`)
    .option('--test <file>', 'held-out data in the same format as --data (default: the built-in test set, or 20% of the rows)')
    .option('--layers <sizes>', 'layer sizes, input first, e.g. 784,128,64,10', parse.layerSizes)
    .option('--image-layers <spec>', 'a CNN: image layers before the dense ones, input shape first, e.g. 28x28x1,conv5x5x8,maxpool2,conv5x5x16,maxpool2 (also avgpool<k>, gap, bn, flatten; s<stride>, same)', parseImageLayers)
    .option('--activation <name>', `hidden activation: ${ACTIVATION_NAMES.join(', ')}`, activationName)
    .option('--output-activation <name>', 'output activation (default: sigmoid for one output, softmax for more; linear for regression)', activationName)
    .option('--loss <name>', 'loss (default: cross-entropy matching the output; meanSquaredError for regression, or huber)', lossName)
    .option('--initializer <name>', `weight initializer: ${INITIALIZER_NAMES.join(', ')}`, initializerName)
    .option('--optimizer <name>', `${OPTIMIZER_NAMES.join(', ')}`, optimizerName)
    .option('--lr <rate>', 'learning rate', parse.positiveNumber)
    .addOption(new Option('--schedule <name>', 'learning-rate schedule: constant, or cosine decay to 5% of --lr').choices(['constant', 'cosine']))
    .option('--epochs <n>', 'passes over the data; with --batch full, gradient-descent iterations', parse.intAtLeast(1))
    .option('--batch <n|full>', 'rows per update, or "full" for full-batch gradient descent (then --epochs counts iterations)', parse.batchSize)
    .option('--dropout <rate>', 'dropout rate after each hidden layer, in [0, 1)', parse.fraction)
    .option('--l2 <lambda>', 'L2 weight decay', parse.nonNegativeNumber)
    .option('--augment-shift <pixels>', 'image networks: shift each training image by up to this many pixels each way, a new random shift each time it is trained on (seeded; 0 = off)', parse.intAtLeast(0))
    .option('--seed <n>', 'seed for data generation, splits, weights and shuffling (default 1)', parse.integer)
    .addOption(new Option('--backend <name>', 'kernels: WebAssembly or the TypeScript reference').choices(['wasm', 'js']))
    .option('--threads <n>', 'threads for the kernels (default: every core; results do not depend on it)', parse.intAtLeast(1))
    .option('--out <dir>', 'where the model, plots and summary.json go', 'simdnet-out')
    .option('--samples <n>', 'points to generate for the toy data sets', parse.intAtLeast(4))
    .option('--noise <x>', 'noise of the toy data sets', parse.nonNegativeNumber)
    .addOption(new Option('--scaling <name>', "MNIST pixel scaling: unit (x/255) or seeds (x·0.99/255+0.01)").choices(PIXEL_SCALINGS.filter((s) => s !== 'raw')))
    .option('--train-size <n>', 'use at most n training rows (quick runs)', parse.intAtLeast(1))
    .option('--image-size <n>', 'resize images of an image folder to n×n (default 64)', parse.intAtLeast(1))
    .option('--label <column>', 'label column of a tabular CSV: name or 0-based index (default: the last)')
    .option('--target <columns>', 'regression: target column(s) of a CSV, names or 0-based indices, comma-separated', parse.columnList)
    .addOption(new Option('--task <task>', 'default: regression with --target or --data sine, else classification').choices(['classification', 'regression']))
    .option('--no-standardize-targets', 'regression: learn the targets in their own units (default: standardized, predictions mapped back)')
    .option('--checkpoint [every]', 'save <out>/checkpoint.sdck after every epoch (or every n updates) and on Ctrl-C, to continue with --resume', parse.checkpointEvery)
    .option('--resume <file>', 'continue the run a checkpoint was saved from, bit for bit (same options; --epochs may grow)')
    .option('--quiet', 'no progress output')
    .option('--json', 'print the summary as JSON on stdout (no progress)')
    .option('--verbose', 'show stack traces on errors')
    .addHelpText('after', `\nPresets:\n${presetHelp}\n\nWith --batch full every "epoch" is one gradient-descent iteration over all rows, as in the\nseeds' num_iterations; the cost curve is then plotted every 100 iterations.\nCtrl-C stops after the current batch, saves the best weights so far and exits with 130; after\nthe last epoch it lets the evaluation and the writes finish, then exits with 130. Ctrl-C twice\nquits at once.`)
    .action((options: TrainOptions) => runTrain(options));
}

/** The preset in effect: the one named, or the default when no data set is named either. */
function presetOf(options: TrainOptions): PresetName | undefined {
  return options.preset ?? (options.data === undefined ? 'mnist-mlp' : undefined);
}

/** Remembers the weights of the epoch with the lowest training loss. */
class BestWeights {
  epoch = 0;
  private loss = Infinity;
  private weights: Float32Array[] | undefined;

  constructor(private readonly net: Network) {}

  update(log: EpochLog): void {
    if (!(log.loss < this.loss)) return;
    this.loss = log.loss;
    this.epoch = log.epoch;
    this.weights = this.net.getWeights();
  }

  restore(): boolean {
    if (!this.weights) return false;
    this.net.setWeights(this.weights);
    return true;
  }
}

/** The constant rate, or a cosine schedule over every update of the run. */
function learningRateOf(s: TrainSettings, rows: number): LearningRate {
  if (s.schedule !== 'cosine') return s.lr;
  const updates = s.epochs * (s.batch === 'full' ? 1 : Math.ceil(rows / s.batch));
  return cosineDecay(s.lr, updates, s.lr * 0.05);
}

/**
 * Ctrl-C over the whole run, from the first batch to the last file written. The first press
 * aborts training after the current batch, or, once training is over, lets the evaluation and
 * the writes finish; either way the run saves and exits 130. The first press also gives SIGINT
 * back its default action, so a second press quits at once, even in the middle of a
 * computation that never yields to the event loop. The handler stays until the process exits:
 * a press between the last write and the exit still means "interrupted" (130), never a kill.
 */
class Interrupt {
  readonly controller = new AbortController();
  training = true;

  constructor(private readonly progress: TrainingProgress) {}

  private readonly onSigint = () => {
    this.stop();
    this.controller.abort();
    process.exitCode = ExitCode.interrupted;
    this.progress.note(this.training
      ? 'interrupted: stopping after the current batch (Ctrl-C again to quit now)'
      : 'interrupted: training had finished; writing the model, plots and summary (Ctrl-C again to quit now)');
  };

  get requested(): boolean {
    return this.controller.signal.aborted;
  }

  start(): void {
    process.on('SIGINT', this.onSigint);
  }

  stop(): void {
    process.off('SIGINT', this.onSigint);
  }
}

/** Run fit with progress; `interrupt` aborts it after the current batch. */
async function fitWithProgress(net: Network, problem: { train: Dataset; test: Dataset }, s: TrainSettings, options: TrainOptions, progress: TrainingProgress, best: BestWeights, interrupt: Interrupt): Promise<History> {
  const fullBatch = s.batch === 'full';
  const { train, test } = problem;
  try {
    return await net.fit(train, {
      epochs: s.epochs, batchSize: s.batch, optimizer: s.optimizer, learningRate: learningRateOf(s, train.rows),
      ...(s.l2 ? { l2: s.l2 } : {}),
      ...(s.augmentShift ? { augment: { shift: s.augmentShift } } : {}),
      ...(options.checkpoint !== undefined ? { checkpoint: { path: checkpointPath(options.out), every: options.checkpoint === true ? 'epoch' : options.checkpoint } } : {}),
      ...(options.resume !== undefined ? { resume: options.resume } : {}),
      signal: interrupt.controller.signal,
      ...(fullBatch ? {} : { validationData: test }),
      callbacks: {
        onBatchEnd: (log) => progress.onBatch(log),
        onEpochEnd: (log) => {
          best.update(log);
          progress.onEpoch(log);
        },
      },
    });
  } finally {
    interrupt.training = false;
    progress.stop();
  }
}

/** Where `--checkpoint` writes. */
function checkpointPath(out: string): string {
  return join(out, 'checkpoint.sdck');
}

function dataMetadata(s: TrainSettings, problem: Problem): ModelMetadata['data'] {
  const src = problem.source;
  return {
    spec: src.spec, kind: src.kind, seed: s.seed,
    ...(s.samples !== undefined ? { samples: s.samples } : {}), ...(s.noise !== undefined ? { noise: s.noise } : {}),
    ...(s.test !== undefined ? { test: s.test } : {}),
  };
}

function metadataFor(s: TrainSettings, options: TrainOptions, problem: ClassificationProblem, results: ModelMetadata['results']): ModelMetadata {
  const src = problem.source;
  return {
    simdnet: packageVersion(), createdAt: new Date().toISOString(),
    data: {
      ...dataMetadata(s, problem),
      ...(options.label !== undefined ? { label: labelOption(options.label)! } : {}),
      ...(src.labelColumn !== undefined ? { labelColumn: src.labelColumn } : {}),
    },
    classes: [...problem.classNames], features: problem.train.features,
    ...(src.picture ? { picture: src.picture } : {}),
    transform: problem.transform,
    ...(presetOf(options) ? { preset: presetOf(options) } : {}),
    ...(results ? { results } : {}),
  };
}

function regressionMetadataFor(s: TrainSettings, options: TrainOptions, problem: RegressionProblem, results: ModelMetadata['results']): ModelMetadata {
  const src = problem.source;
  return {
    simdnet: packageVersion(), createdAt: new Date().toISOString(), task: 'regression',
    data: {
      ...dataMetadata(s, problem),
      ...(src.targetColumns !== undefined ? { target: options.target ?? [-1], targetColumns: [...src.targetColumns] } : {}),
    },
    classes: [], targets: [...problem.targetNames], features: problem.train.features,
    transform: problem.transform, targetTransform: problem.targetTransform,
    ...(presetOf(options) ? { preset: presetOf(options) } : {}),
    ...(results ? { results } : {}),
  };
}

function labelOption(label: string | undefined): string | number | undefined {
  if (label === undefined) return undefined;
  return /^-?\d+$/.test(label) ? Number(label) : label;
}

/**
 * The task: `--task` when given, else regression for `--target` or a regression built-in,
 * else classification. Options of the other task are usage errors rather than ignored.
 */
function taskFor(options: TrainOptions, data: string): Task {
  const task = options.task ?? (options.target !== undefined || REGRESSION_DATA.includes(data) ? 'regression' : 'classification');
  if (task === 'classification') {
    if (options.target !== undefined) throw new UsageError('--target names regression targets; a classification takes its classes from --label');
    if (!options.standardizeTargets) throw new UsageError('--no-standardize-targets is for regression; a classification has no targets to standardize');
  } else if (options.label !== undefined) {
    throw new UsageError('--label names the class column of a classification; regression takes its targets from --target');
  } else if (options.target !== undefined && REGRESSION_DATA.includes(data)) {
    throw new UsageError(`--target names columns of a CSV file; --data ${data} has its one target built in`);
  }
  return task;
}

/** Fraction of `predicted` equal to `labels`. */
function accuracyOf(predicted: Int32Array, labels: Int32Array): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}

/** Everything a finished run hands to its task's report. */
interface Run {
  started: number;
  runId: string;
  interrupt: Interrupt;
  options: TrainOptions;
  presetName: PresetName | undefined;
  s: TrainSettings;
  layers: number[];
  net: Network;
  history: History;
  savedEpoch: number | undefined;
}

/** The whole `train` command. */
export async function runTrain(options: TrainOptions): Promise<void> {
  const started = performance.now();
  const presetName = presetOf(options);
  const preset: Partial<TrainSettings> = presetName ? PRESETS[presetName].settings : {};
  const early = mergeSettings<TrainSettings>(preset, options);
  const seed = early.seed ?? 1;
  const data = early.data ?? 'mnist';
  const task = taskFor(options, data);
  const label = labelOption(options.label);
  const problem = await prepareProblem({
    data, seed, task,
    ...(early.test !== undefined ? { test: early.test } : {}),
    ...(early.samples !== undefined ? { samples: early.samples } : {}),
    ...(early.noise !== undefined ? { noise: early.noise } : {}),
    ...(early.scaling !== undefined ? { scaling: early.scaling } : {}),
    ...(early.trainSize !== undefined ? { trainSize: early.trainSize } : {}),
    ...(early.imageSize !== undefined ? { imageSize: early.imageSize } : {}),
    ...(label !== undefined ? { label } : {}),
    ...(options.target !== undefined ? { target: options.target } : {}),
    standardizeTargets: options.standardizeTargets,
  });
  // Data-kind and task defaults < preset < command line.
  const s = mergeSettings<TrainSettings>(defaultsFor(problem.source.kind, task), preset, options, options.imageLayers ?? {}) as TrainSettings;
  const features = problem.train.features;
  const layers = problem.task === 'regression'
    ? resolveRegressionLayers(s.layers, features, problem.targetNames, problem.source.kind)
    : resolveLayers(s.layers, features, problem.classes, problem.source.kind);
  const net = buildNetwork({
    layers, activation: s.activation, outputActivation: s.outputActivation, loss: s.loss, initializer: s.initializer, dropout: s.dropout, seed: s.seed, backend: s.backend, threads: s.threads,
    convolutions: s.convolutions, inputShape: s.inputShape,
  });
  if (s.augmentShift && !net.inputShape) {
    throw new UsageError(`--augment-shift ${s.augmentShift} moves images: it needs an image network (--image-layers, or a CNN preset such as mnist-cnn)`);
  }
  if (problem.task === 'regression' && net.task !== 'regression') {
    throw new UsageError(`--loss ${net.loss} is a classification loss; regression learns with meanSquaredError or huber`);
  }
  const quiet = options.quiet === true || options.json === true;
  const say = (text: string) => {
    if (!quiet) process.stdout.write(`${text}\n`);
  };
  const fullBatch = s.batch === 'full';
  const what = problem.task === 'regression' ? `regression on ${describeTargets(problem.targetNames)}` : `${problem.classes} classes`;
  say(`simdnet train${presetName ? ` (preset ${presetName})` : ''}: ${problem.source.spec}, ${problem.train.rows.toLocaleString('en-US')} training and ${problem.test.rows.toLocaleString('en-US')} test rows (${problem.testFrom}), ${features} features, ${what}`);
  say(`network ${describeNetwork(net)}, loss ${net.loss}, ${net.parameterCount.toLocaleString('en-US')} parameters, ${net.backend} kernels, ${describeThreadsInUse(net)}`);
  const units = problem.task === 'regression' && problem.targetTransform.kind === 'standardize' ? '; per-epoch loss, RMSE and MAE in standardized target units' : '';
  const shifts = s.augmentShift ? `, images shifted up to ${s.augmentShift} px` : '';
  say(`training: ${s.optimizer} lr ${s.lr}, ${fullBatch ? `full batch, ${s.epochs} iterations` : `batch ${s.batch}, ${s.epochs} epochs`}${shifts}${units}`);

  // Before training, so that a --out that cannot be made costs no training.
  await prepareOutDir(options.out);
  const progress = new TrainingProgress({ epochs: s.epochs, fullBatch, mode: progressMode(quiet), task: net.task });
  const best = new BestWeights(net);
  const interrupt = new Interrupt(progress);
  interrupt.start();
  const history = await fitWithProgress(net, problem, s, options, progress, best, interrupt);
  let savedEpoch: number | undefined;
  if (history.stopReason === 'aborted' && best.restore()) savedEpoch = best.epoch;

  const run: Run = { started, runId: newRunId(), interrupt, options, presetName, s, layers, net, history, savedEpoch };
  await withOutLock(options.out, () => (problem.task === 'regression' ? finishRegression(run, problem) : finishClassification(run, problem)));
  if (interrupt.requested) process.exitCode = ExitCode.interrupted;
}

/** The parts of the summary every task shares, in groups so each summary keeps its key order. */
function summaryBase(run: Run, train: Dataset, files: Record<string, string>) {
  const { net, history, s } = run;
  const curve = curvePoints(history, s.batch === 'full');
  const trainSeconds = history.epochs.reduce((t, e) => t + e.seconds, 0);
  const preset: Pick<SummaryBase, 'preset'> = run.presetName ? { preset: run.presetName } : {};
  const runPart: Pick<SummaryBase, 'network' | 'training'> = {
    network: { layers: run.layers, description: describeNetwork(net), loss: net.loss, parameters: net.parameterCount, backend: net.backend, threads: net.engine.threads.count },
    training: {
      optimizer: s.optimizer, learningRate: s.lr, batch: s.batch, epochs: s.epochs, epochsRun: history.epochs.length, updates: history.steps,
      stopReason: history.stopReason, seconds: history.seconds, samplesPerSecond: (train.rows * history.epochs.length) / Math.max(trainSeconds, 1e-9),
      ...(s.augmentShift ? { augment: { shift: s.augmentShift } } : {}),
      ...(run.savedEpoch !== undefined ? { savedEpoch: run.savedEpoch } : {}),
      ...(run.interrupt.requested ? { interrupted: true } : {}),
      ...(run.options.resume !== undefined ? { resumedFrom: run.options.resume } : {}),
    },
  };
  if (run.options.checkpoint !== undefined) files = { ...files, checkpoint: checkpointPath(run.options.out) };
  // `seconds` is filled in by report(), last thing before writing.
  const output: Pick<SummaryBase, 'curve' | 'files' | 'seconds'> = { curve: { x: curve.xTitle, step: curve.step, points: curve.points.length }, files, seconds: 0 };
  return { preset, run: runPart, output };
}

function dataSummary(problem: Problem): DataSummary {
  return {
    source: problem.source.spec, kind: problem.source.kind, trainRows: problem.train.rows, testRows: problem.test.rows,
    testFrom: problem.testFrom, features: problem.train.features,
  };
}

/** Write summary.json and print the summary (as JSON with `--json`). */
async function report(run: Run, summary: TrainSummary, print: () => void): Promise<void> {
  summary.seconds = (performance.now() - run.started) / 1000;
  summary.training.interrupted ||= run.interrupt.requested || undefined;
  await writeFileAtomic(summary.files['summary']!, `${JSON.stringify(summary, null, 2)}\n`);
  if (run.options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else print();
}

async function finishClassification(run: Run, problem: ClassificationProblem): Promise<void> {
  const { net, options, s } = run;
  const { train, test } = problem;
  const trainEval = net.evaluate(train);
  const testEval = net.evaluate(test);
  const testPredictions = net.classify(test);
  const confusion = confusionMatrix(test.labels, testPredictions, problem.classes);
  // A classifier trained with a regression loss (e.g. --loss mse on 0/1 targets) is still
  // scored by its classes.
  const trainAccuracy = trainEval.accuracy ?? accuracyOf(net.classify(train), train.labels);
  const testAccuracy = testEval.accuracy ?? accuracyOf(testPredictions, test.labels);

  const modelPath = join(options.out, 'model.sdnt');
  const metadata = { ...metadataFor(s, options, problem, { trainAccuracy, testAccuracy }), runId: run.runId };
  await saveModel(net, modelPath, metadata as unknown as Record<string, unknown>);
  const title = run.presetName ?? problem.source.spec;
  const plots = await writePlots({ dir: options.out, net, problem, history: run.history, fullBatch: s.batch === 'full', testPredictions, confusion, title });
  const base = summaryBase(run, train, { model: modelPath, ...plots, summary: join(options.out, 'summary.json') });
  const summary: ClassificationSummary = {
    command: 'train', runId: run.runId, task: 'classification', ...base.preset,
    data: { ...dataSummary(problem), classes: [...problem.classNames] },
    ...base.run,
    results: { trainLoss: trainEval.loss, trainAccuracy, testLoss: testEval.loss, testAccuracy },
    ...base.output,
  };
  await report(run, summary, () => printSummary(summary, problem, confusion, options.quiet === true));
}

async function finishRegression(run: Run, problem: RegressionProblem): Promise<void> {
  const { net, options, s } = run;
  const { raw, targetNames } = problem;
  const trainPredictions = predictInUnits(net, problem.train.x, problem.targetTransform);
  const testPredictions = predictInUnits(net, problem.test.x, problem.targetTransform);
  const trainMetrics = metricsInUnits(trainPredictions, raw.train.y, targetNames);
  const testMetrics = metricsInUnits(testPredictions, raw.test.y, targetNames);

  const modelPath = join(options.out, 'model.sdnt');
  const metadata = {
    ...regressionMetadataFor(s, options, problem, {
      trainRmse: trainMetrics.rmse, trainMae: trainMetrics.mae, trainR2: trainMetrics.r2,
      testRmse: testMetrics.rmse, testMae: testMetrics.mae, testR2: testMetrics.r2,
    }),
    runId: run.runId,
  };
  await saveModel(net, modelPath, metadata as unknown as Record<string, unknown>);
  const title = run.presetName ?? problem.source.spec;
  const plots = await writeRegressionPlots({ dir: options.out, net, problem, history: run.history, fullBatch: s.batch === 'full', testPredictions, title });
  const base = summaryBase(run, problem.train, { model: modelPath, ...plots, summary: join(options.out, 'summary.json') });
  const summary: RegressionSummary = {
    command: 'train', runId: run.runId, task: 'regression', ...base.preset,
    data: { ...dataSummary(problem), targets: [...targetNames], standardizedTargets: problem.targetTransform.kind === 'standardize' },
    ...base.run,
    results: {
      ...prefixed('train', trainMetrics), ...prefixed('test', testMetrics),
      ...(targetNames.length > 1 ? { testByTarget: metricsByTarget(testPredictions, raw.test.y, targetNames) } : {}),
    },
    ...base.output,
  };
  await report(run, summary, () => printRegressionSummary(summary));
}

/** `{ trainMse, trainRmse, trainMae, trainR2 }` from metrics and the prefix `train`. */
function prefixed<P extends 'train' | 'test'>(prefix: P, m: RegressionMetrics): Record<`${P}${'Mse' | 'Rmse' | 'Mae' | 'R2'}`, number> {
  return { [`${prefix}Mse`]: m.mse, [`${prefix}Rmse`]: m.rmse, [`${prefix}Mae`]: m.mae, [`${prefix}R2`]: m.r2 } as Record<`${P}${'Mse' | 'Rmse' | 'Mae' | 'R2'}`, number>;
}

/** The lines after the results that every summary ends with: interruption first, time and files last. */
function closingLines(s: TrainSummary): { head: string[]; tail: string[] } {
  const t = s.training;
  const head = t.stopReason === 'aborted'
    ? [`interrupted after ${t.updates} updates; ${t.savedEpoch ? `saved the weights of epoch ${t.savedEpoch} (lowest training loss)` : 'saved the current weights'}`]
    : t.interrupted ? ['interrupted after training had finished; saved the final weights'] : [];
  const tail = [
    `time            ${formatSeconds(s.seconds)} total, ${formatSeconds(t.seconds)} training, ${formatRate(t.samplesPerSecond)} samples/s (${s.network.backend})`,
    `files           ${Object.values(s.files).join('\n                ')}`,
  ];
  return { head, tail };
}

function printSummary(s: ClassificationSummary, problem: ClassificationProblem, confusion: number[][], quiet: boolean): void {
  const { head, tail } = closingLines(s);
  const lines = [...head];
  if (!quiet && problem.source.kind !== 'points' && problem.classes <= 20) {
    lines.push('', 'confusion matrix (test rows: true class down, predicted across)', formatConfusionMatrix(confusion, problem.classNames), '');
  }
  const r = s.results;
  lines.push(
    `test accuracy   ${formatPercent(r.testAccuracy)}  (loss ${r.testLoss.toFixed(4)}, ${s.data.testRows.toLocaleString('en-US')} rows)`,
    `train accuracy  ${formatPercent(r.trainAccuracy)}  (loss ${r.trainLoss.toFixed(4)})`,
    ...tail,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

function printRegressionSummary(s: RegressionSummary): void {
  const { head, tail } = closingLines(s);
  const r = s.results;
  const metrics = (p: 'train' | 'test') => formatMetrics({ mse: r[`${p}Mse`], rmse: r[`${p}Rmse`], mae: r[`${p}Mae`], r2: r[`${p}R2`] });
  const lines = [
    ...head,
    `test            ${metrics('test')}  (${s.data.testRows.toLocaleString('en-US')} rows, in the targets' units)`,
    `train           ${metrics('train')}`,
    ...(r.testByTarget ?? []).map((m) => `  test ${m.target.padEnd(10)} ${formatMetrics(m)}`),
    ...tail,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** "2 threads", or "1 thread" with the reason when threads are unavailable. */
function describeThreadsInUse(net: Network): string {
  const { count, reason } = net.engine.threads;
  return count === 1 ? `1 thread${reason ? ` (${reason})` : ''}` : `${count} threads`;
}
