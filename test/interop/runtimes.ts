/**
 * The outside oracles of the interop tests: onnxruntime-node runs exported ONNX bytes, and
 * onnxruntime-web's own protobuf code (generated from onnx.proto by pbjs, independent of
 * simdnet's schema) decodes and builds ONNX models.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { expect } from 'vitest';
import { Rng } from '../../src/util/rng.js';

/** Not in the package's exports map, so required by path. */
const ONNX_PROTO = fileURLToPath(new URL('../../node_modules/onnxruntime-web/lib/onnxjs/ort-schema/protobuf/onnx.js', import.meta.url));

/** The type of {@link onnxProto}. */
export type OnnxProto = typeof import('../../node_modules/onnxruntime-web/lib/onnxjs/ort-schema/protobuf/onnx.js').onnx;

/** onnxruntime's generated `onnx` protobuf namespace (ModelProto, GraphProto, …). */
export const onnxProto: OnnxProto = (createRequire(import.meta.url)(ONNX_PROTO) as { onnx: OnnxProto }).onnx;

/**
 * Run an ONNX model on `rows` rows of `x` (each of shape `sample`, default flat) fed as input
 * `input` (default `'input'`) with onnxruntime-node; the first output's values.
 */
export async function runOrt(model: Uint8Array | string, x: Float32Array, rows: number, { input = 'input', sample }: { input?: string; sample?: readonly number[] } = {}): Promise<Float32Array> {
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model) : await ort.InferenceSession.create(model);
  try {
    const result = await session.run({ [input]: new ort.Tensor('float32', x, [rows, ...(sample ?? [x.length / rows])]) });
    return result[session.outputNames[0]!]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** `rows`×`cols` seeded uniform values in [-2, 2). */
export function randomRows(rows: number, cols: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: rows * cols }, () => rng.uniform(-2, 2));
}

/** Every value of `got` within `tolerance` of `want` (absolute), same length. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tolerance: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  expect(worst, `${what}: worst difference at ${at}: got ${got[at]}, want ${want[at]}`).toBeLessThanOrEqual(tolerance);
}
