/**
 * Model-file fixtures: a valid file's JSON header rewritten, for tests of what the decoder
 * refuses.
 */
import type { ModelHeader } from '../../src/io/format.js';
import { crc32 } from '../../src/util/crc32.js';

/** `bytes` with its JSON header edited by `edit`, the weights kept and the CRC fixed. */
export function withHeader(bytes: Uint8Array, edit: (header: ModelHeader) => void): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const oldLength = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + oldLength))) as ModelHeader;
  edit(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = (json.length + 3) & ~3;
  const weights = bytes.subarray(12 + ((oldLength + 3) & ~3), bytes.length - 4);
  const out = new Uint8Array(12 + padded + weights.length + 4);
  out.set(bytes.subarray(0, 8));
  const outView = new DataView(out.buffer);
  outView.setUint32(8, json.length, true);
  out.set(json, 12);
  out.fill(0x20, 12 + json.length, 12 + padded);
  out.set(weights, 12 + padded);
  outView.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}
