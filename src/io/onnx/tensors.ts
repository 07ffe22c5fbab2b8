/** ONNX tensors and float attributes as the values simdnet computes with. */
import { readFloat32 } from '../floats.js';
import { DataType, type TensorProto } from './schema.js';

/** A tensor's shape and values. */
export interface FloatTensor {
  dims: number[];
  values: Float32Array;
}

/**
 * The values of a float32 tensor stored in the model (raw little-endian bytes or float_data),
 * checked against its shape; anything else fails naming `what`.
 */
export function floatTensor(t: TensorProto, what: string, fail: (message: string) => never): FloatTensor {
  if (t.dataLocation === 1) fail(`${what} is stored in an external file; simdnet reads weights stored in the model`);
  if (t.dataType !== DataType.FLOAT) fail(`${what} has data type ${t.dataType}; simdnet reads float32 (type ${DataType.FLOAT})`);
  const dims = t.dims ?? [];
  const count = dims.reduce((n, d) => n * d, 1);
  const raw = t.rawData;
  if (raw !== undefined && raw.length > 0) {
    if (raw.length !== count * 4) fail(`${what}: shape [${dims.join(', ')}] needs ${count * 4} bytes, raw_data has ${raw.length}`);
    return { dims, values: readFloat32(raw, 0, count) };
  }
  const data = t.floatData ?? [];
  if (data.length !== count) fail(`${what}: shape [${dims.join(', ')}] needs ${count} values, float_data has ${data.length}`);
  return { dims, values: Float32Array.from(data) };
}

/** The values of an int64 tensor stored in the model (raw little-endian bytes or int64_data), as numbers. */
export function int64Tensor(t: TensorProto, what: string, fail: (message: string) => never): number[] {
  if (t.dataType !== DataType.INT64) fail(`${what} has data type ${t.dataType}; an int64 tensor (type ${DataType.INT64}) is needed`);
  const count = (t.dims ?? []).reduce((n, d) => n * d, 1);
  const raw = t.rawData;
  if (raw === undefined || raw.length === 0) return t.int64Data?.length === count ? t.int64Data : fail(`${what}: ${count} values expected, int64_data has ${t.int64Data?.length ?? 0}`);
  if (raw.length !== count * 8) fail(`${what}: ${count} values need ${count * 8} bytes, raw_data has ${raw.length}`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Array.from({ length: count }, (_, j) => Number(view.getBigInt64(j * 8, true)));
}

/**
 * The shortest decimal with the float32 value `value`: a rate or slope written as float32
 * reads back as the 0.2 it was, not 0.20000000298.
 */
export function shortestDecimal(value: number): number {
  for (let digits = 1; digits < 9; digits++) {
    const short = Number(value.toPrecision(digits));
    if (Math.fround(short) === value) return short;
  }
  return value;
}
