/** The TF.js oracle of the interop tests: @tensorflow/tfjs-layers on the CPU backend, reading model folders from disk. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';

/** Select TF.js's plain-JavaScript backend (no native tfjs-node here). */
export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
}

/** Load a model folder in TF.js as its file:// handler does: model.json, then each group's shards in order. */
export function loadInTfjs(dir: string): Promise<tfl.LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  return tfl.loadLayersModel({
    load: () => tf.io.getModelArtifactsForJSON(json, async (manifest) => {
      const data = Buffer.concat(manifest.flatMap((group) => group.paths.map((p) => readFileSync(join(dir, p)))));
      return [manifest.flatMap((group) => group.weights), new Uint8Array(data).buffer];
    }),
  });
}

/** TF.js's outputs for `rows` rows of `x`, each of shape `sample` (default flat). */
export function tfjsPredict(model: tfl.LayersModel, x: Float32Array, rows: number, sample?: readonly number[]): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(x, [rows, ...(sample ?? [x.length / rows])])) as tf.Tensor).dataSync() as Float32Array);
}
