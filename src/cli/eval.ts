/**
 * `simdnet eval --model m [--data d]`: loss, accuracy and confusion matrix of a saved model.
 * Without `--data` the model's held-out rows are rebuilt from its metadata (same data, seed
 * and split as at training time); with it, a built-in set gives its test part and a file is
 * read whole. Either way rows are mapped onto the model's classes by name and transformed
 * as at training time.
 */
import { Option, type Command } from 'commander';
import { confusionMatrix, formatConfusionMatrix } from '../plot/index.js';
import { loadSource, type SourceOptions } from './data-source.js';
import { DataError, type LabeledDataset } from '../node.js';
import { UsageError } from './errors.js';
import { formatPercent } from './format.js';
import { loadCliModel, type LoadedModel } from './model-file.js';
import { alignClasses, applyTransform, loadProblemData } from './problem.js';

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
  };
}

/**
 * The rows to evaluate on, in the model's classes, shaped and scaled as the model expects:
 * `spec`'s rows, or without it the model's held-out rows.
 */
export async function evaluationRows(m: LoadedModel, spec: string | undefined): Promise<LabeledDataset> {
  const { meta } = m;
  const options = sourceOptions(m);
  let raw: LabeledDataset;
  if (spec === undefined) {
    if (!m.fromCli) throw new UsageError('--data is needed: the model was not saved by simdnet train, so its held-out rows are unknown');
    raw = (await loadProblemData({ ...options, data: meta.data.spec, test: meta.data.test })).test;
  } else {
    const source = await loadSource(spec, options);
    raw = source.test ?? source.train;
  }
  const file = spec ?? meta.data.test ?? meta.data.spec;
  if (raw.features !== m.network.inputs) {
    throw new DataError(`has ${raw.features} features per row, but the model takes ${m.network.inputs} inputs`, { file });
  }
  const rows = alignClasses(raw, meta.classes, file);
  return meta.transform.kind === 'standardize' ? { ...rows, x: applyTransform(meta.transform, rows.x, rows.features) } : rows;
}

/** Register the `eval` command. */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('loss, accuracy and confusion matrix of a saved model on a data set')
    .requiredOption('--model <file>', 'model file written by `simdnet train`')
    .option('--data <source>', 'data as for train (default: the data the model was trained on, its held-out rows)')
    .addOption(new Option('--backend <name>', 'kernels').choices(['wasm', 'js']).default('wasm'))
    .option('--json', 'print the result as JSON')
    .option('--verbose', 'show stack traces on errors')
    .action(async (options: EvalOptions) => {
      const model = await loadCliModel(options.model, options.backend);
      const rows = await evaluationRows(model, options.data);
      const spec = options.data ?? `${model.meta.data.test ?? model.meta.data.spec} (held-out rows)`;
      const result = model.network.evaluate(rows);
      const predicted = model.network.classify(rows);
      const matrix = confusionMatrix(rows.labels, predicted, model.meta.classes.length);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ model: options.model, data: spec, rows: rows.rows, loss: result.loss, accuracy: result.accuracy, confusionMatrix: matrix, classes: model.meta.classes }, null, 2)}\n`);
        return;
      }
      process.stdout.write([
        `model     ${options.model} (${model.network.inputs} inputs, ${model.meta.classes.length} classes)`,
        `data      ${spec}, ${rows.rows.toLocaleString('en-US')} rows`,
        `loss      ${result.loss.toFixed(4)}`,
        `accuracy  ${formatPercent(result.accuracy ?? NaN)}`,
        '',
        'confusion matrix (true class down, predicted across)',
        formatConfusionMatrix(matrix, model.meta.classes),
      ].join('\n') + '\n');
    });
}
