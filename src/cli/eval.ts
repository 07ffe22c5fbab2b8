/**
 * `simdnet eval --model m [--data d]`: loss, accuracy and confusion matrix of a saved
 * classifier; MSE, RMSE, MAE and R² in the targets' own units for a regression model.
 * Without `--data` the model's held-out rows are rebuilt from its metadata (same data, seed
 * and split as at training time); with it, a built-in set gives its test part and a file is
 * read whole. Either way rows are mapped onto the model's classes by name (classification)
 * and transformed as at training time.
 */
import { Option, type Command } from 'commander';
import { confusionMatrix, formatConfusionMatrix } from '../plot/index.js';
import { loadRegressionSource, loadSource, type SourceOptions } from './data-source.js';
import { DataError, type Dataset, type LabeledDataset } from '../node.js';
import { UsageError } from './errors.js';
import { formatPercent, formatValue } from './format.js';
import { loadCliModel, taskOf, type LoadedModel } from './model-file.js';
import { alignClasses, applyTransform, loadProblemData, loadRegressionData } from './problem.js';
import { describeTargets, formatMetrics, metricsByTarget, metricsInUnits, predictInUnits } from './regression.js';

interface EvalOptions {
  model: string;
  data?: string;
  backend: 'wasm' | 'js';
  json?: boolean;
  verbose?: boolean;
}

/** How the model's training data was loaded, so files load the same way. */
function sourceOptions(m: LoadedModel): SourceOptions {
  const { meta } = m;
  return {
    seed: meta.data.seed,
    ...(meta.data.samples !== undefined ? { samples: meta.data.samples } : {}),
    ...(meta.data.noise !== undefined ? { noise: meta.data.noise } : {}),
    ...(meta.transform.kind === 'pixels' ? { scaling: meta.transform.scaling } : {}),
    ...(meta.picture ? { imageSize: meta.picture.width } : {}),
    ...(meta.data.label !== undefined ? { label: meta.data.label } : {}),
    ...(taskOf(meta) === 'regression' ? { target: meta.data.target ?? lastColumns(m.network.outputs) } : {}),
  };
}

/** Indices of the last `n` columns, counted from the end: [-2, -1] for two. */
function lastColumns(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i - n);
}

/**
 * `spec`'s rows (loaded by `fromFile`), or without it the model's held-out rows (`heldOut`),
 * checked against the model's inputs; `file` is what errors name.
 */
async function modelRows<T extends Dataset>(
  m: LoadedModel, spec: string | undefined, heldOut: () => Promise<T>, fromFile: (spec: string) => Promise<T>,
): Promise<{ raw: T; file: string }> {
  const { meta } = m;
  if (spec === undefined && !m.fromCli) throw new UsageError('--data is needed: the model was not saved by simdnet train, so its held-out rows are unknown');
  const raw = spec === undefined ? await heldOut() : await fromFile(spec);
  const file = spec ?? meta.data.test ?? meta.data.spec;
  if (raw.features !== m.network.inputs) {
    throw new DataError(`has ${raw.features} features per row, but the model takes ${m.network.inputs} inputs`, { file });
  }
  return { raw, file };
}

/** The held-out problem a model was trained with, as its metadata records it. */
function heldOutOptions(m: LoadedModel) {
  return { ...sourceOptions(m), data: m.meta.data.spec, test: m.meta.data.test };
}

/**
 * The rows to evaluate on, in the model's classes, shaped and scaled as the model expects:
 * `spec`'s rows, or without it the model's held-out rows.
 */
export async function evaluationRows(m: LoadedModel, spec: string | undefined): Promise<LabeledDataset> {
  const { meta } = m;
  const { raw, file } = await modelRows(
    m, spec,
    async () => (await loadProblemData(heldOutOptions(m))).test,
    async (s) => {
      const source = await loadSource(s, sourceOptions(m));
      return source.test ?? source.train;
    },
  );
  const rows = alignClasses(raw, meta.classes, file);
  return meta.transform.kind === 'standardize' ? { ...rows, x: applyTransform(meta.transform, rows.x, rows.features) } : rows;
}

/**
 * A regression model's evaluation rows: inputs transformed as the model expects, targets in
 * their own units. `spec`'s rows, or without it the model's held-out rows.
 */
export async function regressionRows(m: LoadedModel, spec: string | undefined): Promise<Dataset> {
  const { meta } = m;
  const { raw, file } = await modelRows(
    m, spec,
    async () => (await loadRegressionData(heldOutOptions(m))).test,
    async (s) => {
      const source = await loadRegressionSource(s, sourceOptions(m));
      return source.test ?? source.train;
    },
  );
  if (raw.outputs !== m.network.outputs) {
    throw new DataError(`has ${raw.outputs} target columns, but the model predicts ${m.network.outputs}`, { file });
  }
  return meta.transform.kind === 'identity' ? raw : { ...raw, x: applyTransform(meta.transform, raw.x, raw.features) };
}

/** `eval` of a regression model: metrics in the targets' units, as text or JSON. */
async function evalRegression(model: LoadedModel, options: EvalOptions): Promise<void> {
  const rows = await regressionRows(model, options.data);
  const spec = options.data ?? `${model.meta.data.test ?? model.meta.data.spec} (held-out rows)`;
  const targets = model.meta.targets ?? [];
  const predictions = predictInUnits(model.network, rows.x, model.meta.targetTransform ?? { kind: 'identity' });
  const m = metricsInUnits(predictions, rows.y, targets);
  const byTarget = targets.length > 1 ? metricsByTarget(predictions, rows.y, targets) : undefined;
  if (options.json) {
    const result = { model: options.model, data: spec, task: 'regression', rows: rows.rows, targets, mse: m.mse, rmse: m.rmse, mae: m.mae, r2: m.r2, ...(byTarget ? { byTarget } : {}) };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  process.stdout.write([
    `model     ${options.model} (${model.network.inputs} inputs, ${describeTargets(targets)})`,
    `data      ${spec}, ${rows.rows.toLocaleString('en-US')} rows`,
    `MSE       ${formatValue(m.mse)}`,
    `RMSE      ${formatValue(m.rmse)}`,
    `MAE       ${formatValue(m.mae)}`,
    `R²        ${m.r2.toFixed(4)}`,
    ...(byTarget ?? []).map((t) => `  ${t.target.padEnd(8)}${formatMetrics(t)}`),
    '(errors in the targets\' own units)',
  ].join('\n') + '\n');
}

/** Register the `eval` command. */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('loss, accuracy and confusion matrix of a saved classifier, or MSE, RMSE, MAE and R² of a regression model, on a data set')
    .requiredOption('--model <file>', 'model file written by `simdnet train`')
    .option('--data <source>', 'data as for train (default: the data the model was trained on, its held-out rows)')
    .addOption(new Option('--backend <name>', 'kernels').choices(['wasm', 'js']).default('wasm'))
    .option('--json', 'print the result as JSON')
    .option('--verbose', 'show stack traces on errors')
    .action(async (options: EvalOptions) => {
      const model = await loadCliModel(options.model, options.backend);
      if (taskOf(model.meta) === 'regression') return evalRegression(model, options);
      const rows = await evaluationRows(model, options.data);
      const spec = options.data ?? `${model.meta.data.test ?? model.meta.data.spec} (held-out rows)`;
      const result = model.network.evaluate(rows);
      const predicted = model.network.classify(rows);
      const matrix = confusionMatrix(rows.labels, predicted, model.meta.classes.length);
      // A classifier trained with a regression loss (--loss mse) is still scored by its classes.
      const accuracy = result.accuracy ?? matrix.reduce((sum, row, t) => sum + (row[t] ?? 0), 0) / rows.rows;
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ model: options.model, data: spec, rows: rows.rows, loss: result.loss, accuracy, confusionMatrix: matrix, classes: model.meta.classes }, null, 2)}\n`);
        return;
      }
      process.stdout.write([
        `model     ${options.model} (${model.network.inputs} inputs, ${model.meta.classes.length} classes)`,
        `data      ${spec}, ${rows.rows.toLocaleString('en-US')} rows`,
        `loss      ${result.loss.toFixed(4)}`,
        `accuracy  ${formatPercent(accuracy)}`,
        '',
        'confusion matrix (true class down, predicted across)',
        formatConfusionMatrix(matrix, model.meta.classes),
      ].join('\n') + '\n');
    });
}
