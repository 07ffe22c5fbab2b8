/**
 * `simdnet train`: load data, build the network, train with live progress, evaluate on the
 * held-out rows, save the model and the plots, and print a summary. Ctrl-C stops after the
 * current batch and still saves the best weights seen so far.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import {
  ACTIVATION_NAMES, INITIALIZER_NAMES, OPTIMIZER_NAMES, PIXEL_SCALINGS, cosineDecay, saveModel,
  type LearningRate, type EpochLog, type History, type Network,
} from '../node.js';
import { confusionMatrix, formatConfusionMatrix } from '../plot/index.js';
import { packageVersion } from './about.js';
import { curvePoints, writePlots } from './artifacts.js';
import { BUILTIN_DATA } from './data-source.js';
import { ExitCode } from './errors.js';
import { formatPercent, formatRate, formatSeconds } from './format.js';
import type { ModelMetadata } from './model-file.js';
import { buildNetwork, describeNetwork, resolveLayers } from './network.js';
import { activationName, initializerName, lossName, optimizerName } from './names.js';
import * as parse from './parse.js';
import { defaultsFor, mergeSettings, PRESETS, PRESET_NAMES, type PresetName, type TrainSettings } from './presets.js';
import { prepareProblem, type Problem } from './problem.js';
import { progressMode, TrainingProgress } from './progress.js';

/** Options as commander hands them over (all optional: presets and defaults fill the rest). */
interface TrainOptions extends Partial<TrainSettings> {
  preset?: PresetName;
  out: string;
  label?: string;
  quiet?: boolean;
  json?: boolean;
  verbose?: boolean;
}

/** The machine-readable result, also written to `summary.json`. */
export interface TrainSummary {
  command: 'train';
  preset?: string;
  data: { source: string; kind: string; trainRows: number; testRows: number; testFrom: string; features: number; classes: string[] };
  network: { layers: number[]; description: string; loss: string; parameters: number; backend: string; threads: number };
  training: {
    optimizer: string; learningRate: number; batch: number | 'full'; epochs: number; epochsRun: number; updates: number;
    stopReason: string; seconds: number; samplesPerSecond: number; savedEpoch?: number;
  };
  results: { trainLoss: number; trainAccuracy: number; testLoss: number; testAccuracy: number };
  curve: { x: string; step: number; points: number };
  files: Record<string, string>;
  seconds: number;
}

/** Register `train` on the program. */
export function registerTrain(program: Command): void {
  const presetHelp = PRESET_NAMES.map((n) => `  ${n.padEnd(16)}${PRESETS[n].description}`).join('\n');
  program
    .command('train')
    .description('train a network and save the model, plots and a summary (default: the bundled MNIST digits)')
    .addOption(new Option('--preset <name>', 'a ready-made recipe (see below); other options override it').choices(PRESET_NAMES))
    .option('--data <source>', `${BUILTIN_DATA.join('|')}, a CSV file, an IDX prefix or an image folder (one sub-folder per class)`)
    .option('--test <file>', 'held-out data in the same format as --data (default: the built-in test set, or 20% of the rows)')
    .option('--layers <sizes>', 'layer sizes, input first, e.g. 784,128,64,10', parse.layerSizes)
    .option('--activation <name>', `hidden activation: ${ACTIVATION_NAMES.join(', ')}`, activationName)
    .option('--output-activation <name>', 'output activation (default: sigmoid for one output, softmax for more)', activationName)
    .option('--loss <name>', 'loss (default: cross-entropy matching the output)', lossName)
    .option('--initializer <name>', `weight initializer: ${INITIALIZER_NAMES.join(', ')}`, initializerName)
    .option('--optimizer <name>', `${OPTIMIZER_NAMES.join(', ')}`, optimizerName)
    .option('--lr <rate>', 'learning rate', parse.positiveNumber)
    .addOption(new Option('--schedule <name>', 'learning-rate schedule: constant, or cosine decay to 5% of --lr').choices(['constant', 'cosine']))
    .option('--epochs <n>', 'passes over the data; with --batch full, gradient-descent iterations', parse.intAtLeast(1))
    .option('--batch <n|full>', 'rows per update, or "full" for full-batch gradient descent (then --epochs counts iterations)', parse.batchSize)
    .option('--dropout <rate>', 'dropout rate after each hidden layer, in [0, 1)', parse.fraction)
    .option('--l2 <lambda>', 'L2 weight decay', parse.nonNegativeNumber)
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
    .option('--quiet', 'no progress output')
    .option('--json', 'print the summary as JSON on stdout (no progress)')
    .option('--verbose', 'show stack traces on errors')
    .addHelpText('after', `\nPresets:\n${presetHelp}\n\nWith --batch full every "epoch" is one gradient-descent iteration over all rows, as in the\nseeds' num_iterations; the cost curve is then plotted every 100 iterations.\nCtrl-C stops after the current batch, saves the best weights so far and exits with 130.`)
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

/** Run fit with progress, and SIGINT turned into an abort after the current batch. */
async function fitWithProgress(net: Network, problem: Problem, s: TrainSettings, progress: TrainingProgress, best: BestWeights): Promise<History> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    controller.abort();
    progress.note('interrupted: stopping after the current batch (Ctrl-C again to quit now)');
  };
  process.on('SIGINT', onSigint);
  const fullBatch = s.batch === 'full';
  const { train, test } = problem;
  try {
    return await net.fit(train, {
      epochs: s.epochs, batchSize: s.batch, optimizer: s.optimizer, learningRate: learningRateOf(s, train.rows),
      ...(s.l2 ? { l2: s.l2 } : {}),
      signal: controller.signal,
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
    process.off('SIGINT', onSigint);
    progress.stop();
  }
}

function metadataFor(s: TrainSettings, options: TrainOptions, problem: Problem, results: ModelMetadata['results']): ModelMetadata {
  const src = problem.source;
  return {
    simdnet: packageVersion(), createdAt: new Date().toISOString(),
    data: {
      spec: src.spec, kind: src.kind, seed: s.seed,
      ...(s.samples !== undefined ? { samples: s.samples } : {}), ...(s.noise !== undefined ? { noise: s.noise } : {}),
      ...(options.label !== undefined ? { label: labelOption(options.label)! } : {}),
      ...(src.labelColumn !== undefined ? { labelColumn: src.labelColumn } : {}),
      ...(s.test !== undefined ? { test: s.test } : {}),
    },
    classes: [...problem.classNames], features: problem.train.features,
    ...(src.picture ? { picture: src.picture } : {}),
    transform: problem.transform,
    ...(presetOf(options) ? { preset: presetOf(options) } : {}),
    ...(results ? { results } : {}),
  };
}

function labelOption(label: string | undefined): string | number | undefined {
  if (label === undefined) return undefined;
  return /^-?\d+$/.test(label) ? Number(label) : label;
}

/** The whole `train` command. */
export async function runTrain(options: TrainOptions): Promise<void> {
  const started = performance.now();
  const presetName = presetOf(options);
  const preset: Partial<TrainSettings> = presetName ? PRESETS[presetName].settings : {};
  const early = mergeSettings<TrainSettings>(preset, options);
  const seed = early.seed ?? 1;
  const label = labelOption(options.label);
  const problem = await prepareProblem({
    data: early.data ?? 'mnist', seed,
    ...(early.test !== undefined ? { test: early.test } : {}),
    ...(early.samples !== undefined ? { samples: early.samples } : {}),
    ...(early.noise !== undefined ? { noise: early.noise } : {}),
    ...(early.scaling !== undefined ? { scaling: early.scaling } : {}),
    ...(early.trainSize !== undefined ? { trainSize: early.trainSize } : {}),
    ...(early.imageSize !== undefined ? { imageSize: early.imageSize } : {}),
    ...(label !== undefined ? { label } : {}),
  });
  // Data-kind defaults < preset < command line.
  const s = mergeSettings<TrainSettings>(defaultsFor(problem.source.kind), preset, options) as TrainSettings;
  const layers = resolveLayers(s.layers, problem.train.features, problem.classes, problem.source.kind);
  const net = buildNetwork({
    layers, activation: s.activation, outputActivation: s.outputActivation, loss: s.loss, initializer: s.initializer, dropout: s.dropout, seed: s.seed, backend: s.backend, threads: s.threads,
  });
  const quiet = options.quiet === true || options.json === true;
  const say = (text: string) => {
    if (!quiet) process.stdout.write(`${text}\n`);
  };
  const fullBatch = s.batch === 'full';
  say(`simdnet train${presetName ? ` (preset ${presetName})` : ''}: ${problem.source.spec}, ${problem.train.rows.toLocaleString('en-US')} training and ${problem.test.rows.toLocaleString('en-US')} test rows (${problem.testFrom}), ${problem.train.features} features, ${problem.classes} classes`);
  say(`network ${describeNetwork(net)}, loss ${net.loss}, ${net.parameterCount.toLocaleString('en-US')} parameters, ${net.backend} kernels, ${describeThreadsInUse(net)}`);
  say(`training: ${s.optimizer} lr ${s.lr}, ${fullBatch ? `full batch, ${s.epochs} iterations` : `batch ${s.batch}, ${s.epochs} epochs`}`);

  const progress = new TrainingProgress({ epochs: s.epochs, fullBatch, mode: progressMode(quiet) });
  const best = new BestWeights(net);
  const history = await fitWithProgress(net, problem, s, progress, best);
  let savedEpoch: number | undefined;
  if (history.stopReason === 'aborted' && best.restore()) savedEpoch = best.epoch;

  const { train, test } = problem;
  const trainEval = net.evaluate(train);
  const testEval = net.evaluate(test);
  const testPredictions = net.classify(test);
  const confusion = confusionMatrix(test.labels, testPredictions, problem.classes);

  await mkdir(options.out, { recursive: true });
  const modelPath = join(options.out, 'model.sdnt');
  const metadata = metadataFor(s, options, problem, { trainAccuracy: trainEval.accuracy ?? NaN, testAccuracy: testEval.accuracy ?? NaN });
  await saveModel(net, modelPath, metadata as unknown as Record<string, unknown>);
  const title = presetName ?? problem.source.spec;
  const plots = await writePlots({ dir: options.out, net, problem, history, fullBatch, testPredictions, confusion, title });
  const summaryPath = join(options.out, 'summary.json');
  const curve = curvePoints(history, fullBatch);
  const trainSeconds = history.epochs.reduce((t, e) => t + e.seconds, 0);
  const summary: TrainSummary = {
    command: 'train',
    ...(presetName ? { preset: presetName } : {}),
    data: {
      source: problem.source.spec, kind: problem.source.kind, trainRows: train.rows, testRows: test.rows, testFrom: problem.testFrom,
      features: train.features, classes: [...problem.classNames],
    },
    network: { layers, description: describeNetwork(net), loss: net.loss, parameters: net.parameterCount, backend: net.backend, threads: net.engine.threads.count },
    training: {
      optimizer: s.optimizer, learningRate: s.lr, batch: s.batch, epochs: s.epochs, epochsRun: history.epochs.length, updates: history.steps,
      stopReason: history.stopReason, seconds: history.seconds, samplesPerSecond: (train.rows * history.epochs.length) / Math.max(trainSeconds, 1e-9),
      ...(savedEpoch !== undefined ? { savedEpoch } : {}),
    },
    results: { trainLoss: trainEval.loss, trainAccuracy: trainEval.accuracy ?? NaN, testLoss: testEval.loss, testAccuracy: testEval.accuracy ?? NaN },
    curve: { x: curve.xTitle, step: curve.step, points: curve.points.length },
    files: { model: modelPath, ...plots, summary: summaryPath },
    seconds: (performance.now() - started) / 1000,
  };
  await writeFile(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);

  if (options.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    printSummary(summary, problem, confusion, options.quiet === true);
  }
  if (history.stopReason === 'aborted') process.exitCode = ExitCode.interrupted;
}

function printSummary(s: TrainSummary, problem: Problem, confusion: number[][], quiet: boolean): void {
  const lines: string[] = [];
  if (s.training.stopReason === 'aborted') {
    lines.push(`interrupted after ${s.training.updates} updates; ${s.training.savedEpoch ? `saved the weights of epoch ${s.training.savedEpoch} (lowest training loss)` : 'saved the current weights'}`);
  }
  if (!quiet && problem.source.kind !== 'points' && problem.classes <= 20) {
    lines.push('', 'confusion matrix (test rows: true class down, predicted across)', formatConfusionMatrix(confusion, problem.classNames), '');
  }
  const r = s.results;
  const t = s.training;
  lines.push(
    `test accuracy   ${formatPercent(r.testAccuracy)}  (loss ${r.testLoss.toFixed(4)}, ${s.data.testRows.toLocaleString('en-US')} rows)`,
    `train accuracy  ${formatPercent(r.trainAccuracy)}  (loss ${r.trainLoss.toFixed(4)})`,
    `time            ${formatSeconds(s.seconds)} total, ${formatSeconds(t.seconds)} training, ${formatRate(t.samplesPerSecond)} samples/s (${s.network.backend})`,
    `files           ${Object.values(s.files).join('\n                ')}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** "2 threads", or "1 thread" with the reason when threads are unavailable. */
function describeThreadsInUse(net: Network): string {
  const { count, reason } = net.engine.threads;
  return count === 1 ? `1 thread${reason ? ` (${reason})` : ''}` : `${count} threads`;
}
