/**
 * `simdnet eval --model m --data d`: loss, accuracy and confusion matrix of a saved model on
 * a data set. Built-in sets are rebuilt from the model's metadata (same seed, so the same
 * held-out rows); files are read whole and transformed as at training time.
 */
import { Option, type Command } from 'commander';
import { confusionMatrix, formatConfusionMatrix } from '../plot/index.js';
import { loadSource, type Samples } from './data-source.js';
import { DataError } from '../node.js';
import { formatPercent } from './format.js';
import { loadCliModel, type LoadedModel } from './model-file.js';
import { applyTransform } from './problem.js';

interface EvalOptions {
  model: string;
  data?: string;
  backend: 'wasm' | 'js';
  json?: boolean;
  verbose?: boolean;
}

/** The rows to evaluate on, shaped and scaled as the model expects. */
export async function evaluationRows(m: LoadedModel, spec: string): Promise<Samples> {
  const { meta } = m;
  const builtIn = spec === meta.data.spec && !/[./\\]/.test(spec);
  const source = await loadSource(spec, {
    seed: meta.data.seed,
    ...(meta.data.samples !== undefined ? { samples: meta.data.samples } : {}),
    ...(meta.data.noise !== undefined ? { noise: meta.data.noise } : {}),
    ...(meta.transform.kind === 'pixels' ? { scaling: meta.transform.scaling } : {}),
    ...(meta.picture ? { imageSize: meta.picture.width } : {}),
    ...(meta.data.label !== undefined ? { label: meta.data.label } : {}),
  });
  const rows = builtIn && source.test ? source.test : source.train;
  if (rows.features !== m.network.inputs) {
    throw new DataError(`has ${rows.features} features per row, but the model takes ${m.network.inputs} inputs`, { file: spec });
  }
  const x = meta.transform.kind === 'standardize' ? applyTransform(meta.transform, rows.x, rows.features) : rows.x;
  const classes = meta.classes.length;
  const bad = rows.labels.findIndex((l) => l >= classes);
  if (bad >= 0) throw new DataError(`label ${rows.labels[bad]} at row ${bad} is not one of the model's ${classes} classes`, { file: spec });
  return { ...rows, x };
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
      const spec = options.data ?? model.meta.data.spec;
      const rows = await evaluationRows(model, spec);
      const input = { data: rows.x, rows: rows.rows, cols: rows.features };
      const result = model.network.evaluate(input, rows.labels);
      const predicted = model.network.classify(input);
      const matrix = confusionMatrix(rows.labels, predicted, model.meta.classes.length);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ model: options.model, data: spec, rows: rows.rows, loss: result.loss, accuracy: result.accuracy, confusionMatrix: matrix, classes: model.meta.classes }, null, 2)}\n`);
        return;
      }
      process.stdout.write([
        `model     ${options.model} (${model.network.inputs} inputs, ${model.meta.classes.length} classes)`,
        `data      ${spec}, ${rows.rows.toLocaleString('en-US')} rows`,
        `loss      ${result.loss.toFixed(4)}`,
        `accuracy  ${formatPercent(result.accuracy)}`,
        '',
        'confusion matrix (true class down, predicted across)',
        formatConfusionMatrix(matrix, model.meta.classes),
      ].join('\n') + '\n');
    });
}
