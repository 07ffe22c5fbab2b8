/**
 * The --out lock: one writer at a time, a lock of a dead process taken over, released after.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withOutLock } from '../../src/cli/out-dir.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'simdnet-outlock-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('withOutLock', () => {
  it('writers into one directory take turns, and the lock is gone afterwards', async () => {
    const dir = fresh();
    const log: string[] = [];
    const writer = (name: string) => withOutLock(dir, async () => {
      log.push(`${name} in`);
      await sleep(30);
      log.push(`${name} out`);
    });
    await Promise.all([writer('a'), writer('b')]);
    // Whichever comes first, the other starts only once it is done.
    const [first, second] = log[0] === 'a in' ? ['a', 'b'] : ['b', 'a'];
    expect(log).toEqual([`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
    expect(existsSync(join(dir, '.simdnet.lock'))).toBe(false);
  });

  it('takes over the lock of a process that is gone', async () => {
    const dir = fresh();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(join(dir, '.simdnet.lock'), `${dead}\n`);
    await expect(withOutLock(dir, async () => 'wrote')).resolves.toBe('wrote');
    expect(existsSync(join(dir, '.simdnet.lock'))).toBe(false);
  });

  it('releases the lock when the writing fails', async () => {
    const dir = fresh();
    await expect(withOutLock(dir, async () => {
      throw new Error('disk full');
    })).rejects.toThrow('disk full');
    expect(existsSync(join(dir, '.simdnet.lock'))).toBe(false);
  });
});
