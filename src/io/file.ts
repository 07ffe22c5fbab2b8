/**
 * Saving and loading model files in Node. Writes are atomic: the bytes go to a temporary
 * file in the same directory, are flushed, and the file is renamed over the target, so a
 * crash leaves either the old model or the new one, never half of one.
 */
import type { Network } from '../network.js';
import type { Sequential } from '../nn/network.js';
import { decodeModel, encodeModel, type DecodeOptions, type ModelHeader } from './format.js';

/** Write `net` (and metadata) to `path` atomically. */
export async function saveModel(net: Sequential, path: string, metadata: object = {}): Promise<void> {
  const fs = await import('node:fs/promises');
  const { dirname, basename, join } = await import('node:path');
  const bytes = encodeModel(net, metadata);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** Read and validate a model file; errors name the path and the byte offset of the problem. */
export async function loadModel(path: string, options: Omit<DecodeOptions, 'source'> = {}): Promise<{ network: Network; header: ModelHeader }> {
  const fs = await import('node:fs/promises');
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : code ?? (err as Error).message;
    throw new Error(`cannot read model ${path}: ${why}`);
  }
  return decodeModel(bytes, { ...options, source: path });
}
