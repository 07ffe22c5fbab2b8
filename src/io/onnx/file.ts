/** ONNX files in Node, written atomically. */
import type { Sequential } from '../../nn/network.js';
import { writeFileAtomic } from '../file.js';
import { exportOnnx, type OnnxExportOptions } from './export.js';

/** Write `net` as an ONNX model to `path` atomically (temporary file, flush, rename). */
export async function saveOnnx(net: Sequential, path: string, options: OnnxExportOptions = {}): Promise<void> {
  await writeFileAtomic(path, exportOnnx(net, options));
}
