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
