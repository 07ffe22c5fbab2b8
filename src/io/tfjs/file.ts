/**
 * TF.js layers models on disk: a folder with model.json and its weight files, as TF.js's
 * `file://` handler writes them and `tf.loadLayersModel` reads them.
 */
import type { Network } from '../../network.js';
import type { Sequential } from '../../nn/network.js';
import { ModelFormatError } from '../format.js';
import { describeFsError, readFileBytes, writeFileAtomic } from '../file.js';
import type { ImportOptions } from '../stack.js';
import { decodeTfjs, encodeTfjs, TFJS_WEIGHTS_FILE, type TfjsExportOptions, type TfjsModelJson } from './format.js';

/**
 * Write `net` into folder `dir` (made if missing) as `model.json` and `weights.bin`, each
 * atomically; the weights first, so a model.json is never there without its weights.
 */
export async function exportTfjs(net: Sequential, dir: string, options: TfjsExportOptions = {}): Promise<void> {
  const { modelJson, weights } = encodeTfjs(net, options);
  const fs = await import('node:fs/promises');
  const { join } = await import('node:path');
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (err) {
    throw new Error(`cannot make folder ${dir}: ${describeFsError(err)}`, { cause: err });
  }
  await writeFileAtomic(join(dir, TFJS_WEIGHTS_FILE), weights);
  await writeFileAtomic(join(dir, 'model.json'), `${JSON.stringify(modelJson, null, 1)}\n`);
}

/**
 * Read a TF.js layers model — a folder holding model.json, or the model.json itself — as a
 * trainable network. Its weight files are read from beside model.json and may not lie
 * outside that folder. Errors name the file.
 */
export async function importTfjs(path: string, options: Omit<ImportOptions, 'source'> = {}): Promise<Network> {
  const { dirname, join, relative, resolve, isAbsolute } = await import('node:path');
  const file = path.endsWith('.json') ? path : join(path, 'model.json');
  const fail = (message: string): never => {
    throw new ModelFormatError(file, message);
  };
  let json: TfjsModelJson;
  try {
    json = JSON.parse(new TextDecoder().decode(await readFileBytes(file, 'TF.js model'))) as TfjsModelJson;
  } catch (err) {
    if (err instanceof SyntaxError) return fail(`not valid JSON: ${err.message}`);
    throw err;
  }
  if (!Array.isArray(json?.weightsManifest)) fail('has no weightsManifest list');
  const dir = dirname(file);
  const shards = await Promise.all(json.weightsManifest.map(async (group) => {
    const parts = await Promise.all((group?.paths ?? []).map((p) => {
      const inside = relative(dir, resolve(dir, p));
      if (inside.startsWith('..') || isAbsolute(inside)) fail(`weights path "${p}" lies outside ${dir}`);
      return readFileBytes(join(dir, p), 'TF.js weights');
    }));
    const bytes = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
    parts.reduce((at, b) => (bytes.set(b, at), at + b.length), 0);
    return bytes;
  }));
  return decodeTfjs(json, shards, { ...options, source: file });
}
