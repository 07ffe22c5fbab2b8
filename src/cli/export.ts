/**
 * `simdnet export --model m.sdnt --format onnx|tfjs [--out …]`: a saved model in a format other
 * runtimes load (an ONNX file, or a TF.js layers folder), with what `predict` needs to use it
 * the same way (classes, how raw inputs are scaled, regression targets) carried along as the
 * format's metadata.
 */
import { basename, dirname, extname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { exportTfjs, saveOnnx, ONNX_OPSET } from '../node.js';
import { packageVersion } from './about.js';
import { loadCliModel, taskOf, type ModelMetadata } from './model-file.js';

interface ExportOptions {
  model: string;
  format: 'onnx' | 'tfjs';
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

/** Beside the model: `dir/model.sdnt` → `dir/model.onnx`, or the folder `dir/model-tfjs`. */
function defaultOut(model: string, format: ExportOptions['format']): string {
  return join(dirname(model), `${basename(model, extname(model))}${format === 'onnx' ? '.onnx' : '-tfjs'}`);
}

/** Register the `export` command. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write a saved model in a format other runtimes load: ONNX, or TensorFlow.js layers')
    .requiredOption('--model <file>', 'model file written by `simdnet train`')
    .addOption(new Option('--format <name>', 'target format').choices(['onnx', 'tfjs']).default('onnx'))
    .option('--out <path>', 'the ONNX file, or the TF.js folder (default: beside --model, m.sdnt → m.onnx or m-tfjs/)')
    .option('--verbose', 'show stack traces on errors')
    .action(async (options: ExportOptions) => {
      const { network, meta } = await loadCliModel(options.model, 'js');
      const out = options.out ?? defaultOut(options.model, options.format);
      const metadata = exportMetadata(meta);
      const sample = (network.inputShape ?? [network.inputs]).join(', ');
      if (options.format === 'tfjs') {
        await exportTfjs(network, out, { metadata: { ...metadata, simdnet: packageVersion() } });
        process.stdout.write(`wrote ${out}/model.json and weights.bin (TF.js layers model, input [null, ${sample}], output [null, ${network.outputs}])\n`);
        return;
      }
      await saveOnnx(network, out, { metadata, producerVersion: packageVersion() });
      process.stdout.write(`wrote ${out} (ONNX opset ${ONNX_OPSET}, input "input" [batch, ${sample}], output "output" [batch, ${network.outputs}])\n`);
    });
}
