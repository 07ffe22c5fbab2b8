/**
 * float32 values as the little-endian bytes model files store them (ONNX raw_data, TF.js
 * weight shards), and back. Through a DataView, so neither the host's byte order nor the
 * alignment of bytes decoded at any offset of a file matters.
 */

/** The values of every array, one after another, as little-endian float32 bytes. */
export function float32Bytes(arrays: readonly ArrayLike<number>[]): Uint8Array {
  const bytes = new Uint8Array(arrays.reduce((n, a) => n + a.length * 4, 0));
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++, offset += 4) view.setFloat32(offset, a[i]!, true);
  return bytes;
}

/** `count` little-endian float32 values from byte `offset` of `bytes` (which must hold them). */
export function readFloat32(bytes: Uint8Array, offset: number, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Float32Array(count);
  for (let j = 0; j < count; j++) values[j] = view.getFloat32(offset + j * 4, true);
  return values;
}
