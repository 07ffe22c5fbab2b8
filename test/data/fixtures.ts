/**
 * Helpers shared by the loader tests: writing fixture files and catching DataErrors.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { expect } from 'vitest';
import { DataError } from '../../src/data/errors.js';

/** Write `contents` to `path` (creating its folder) and return the path. */
export async function writeFixture(path: string, contents: string | Uint8Array): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, contents);
  return path;
}

/** The DataError `promise` rejects with; fails the test if it resolves or throws anything else. */
export async function dataFailure(promise: Promise<unknown>): Promise<DataError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DataError);
  return error as DataError;
}

/** Big-endian IDX bytes: magic, dimensions, data. */
export function idxBytes(magic: number, dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
