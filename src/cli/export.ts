/**
 * `simdnet export --model m.sdnt --format onnx --out m.onnx`: a saved model in a format other
 * runtimes load, with what `predict` needs to use it the same way (classes, how raw inputs are
 * scaled, regression targets) carried along as the format's metadata.
 */
import { basename, dirname, extname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { saveOnnx, ONNX_OPSET } from '../node.js';
import { packageVersion } from './about.js';
import { loadCliModel, taskOf, type ModelMetadata } from './model-file.js';

interface ExportOptions {
  model: string;
  format: 'onnx';
  out?: string;
  verbose?: boolean;
}

/** The metadata other runtimes need to feed the model raw rows and read its outputs. */
export function exportMetadata(meta: ModelMetadata): Record<string, unknown> {
  return {
    task: taskOf(meta),
    ...(meta.classes.length > 0 ? { classes: meta.classes } : {}),
    inputScaling: meta.transform,
    ...(meta.targets ? { targets: meta.targets } : {}),
    ...(meta.targetTransform ? { targetScaling: meta.targetTransform } : {}),
    ...(meta.picture ? { picture: meta.picture } : {}),
  };
}

/** `dir/model.sdnt` → `dir/model.onnx`. */
function defaultOut(model: string): string {
  return join(dirname(model), `${basename(model, extname(model))}.onnx`);
}

/** Register the `export` command. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write a saved model in a format other runtimes load (ONNX)')
    .requiredOption('--model <file>', 'model file written by `simdnet train`')
    .addOption(new Option('--format <name>', 'target format').choices(['onnx']).default('onnx'))
    .option('--out <file>', 'where to write the exported model (default: beside --model, m.sdnt → m.onnx)')
    .option('--verbose', 'show stack traces on errors')
    .action(async (options: ExportOptions) => {
      const { network, meta } = await loadCliModel(options.model, 'js');
      const out = options.out ?? defaultOut(options.model);
      await saveOnnx(network, out, { metadata: exportMetadata(meta), producerVersion: packageVersion() });
      process.stdout.write(`wrote ${out} (ONNX opset ${ONNX_OPSET}, input "input" [batch, ${network.inputs}], output "output" [batch, ${network.outputs}])\n`);
    });
}
