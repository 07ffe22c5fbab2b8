/** ONNX files in Node: written atomically, read with errors that name the path. */
import type { Network } from '../../network.js';
import type { Sequential } from '../../nn/network.js';
import { readFileBytes, writeFileAtomic } from '../file.js';
import type { ImportOptions } from '../stack.js';
import { exportOnnx, type OnnxExportOptions } from './export.js';
import { importOnnx } from './import.js';

/** Write `net` as an ONNX model to `path` atomically (temporary file, flush, rename). */
export async function saveOnnx(net: Sequential, path: string, options: OnnxExportOptions = {}): Promise<void> {
  await writeFileAtomic(path, exportOnnx(net, options));
}

/** Read the ONNX model at `path` as a trainable network; see {@link importOnnx}. Errors name the path. */
export async function loadOnnx(path: string, options: Omit<ImportOptions, 'source'> = {}): Promise<Network> {
  return importOnnx(await readFileBytes(path, 'ONNX model'), { ...options, source: path });
}
