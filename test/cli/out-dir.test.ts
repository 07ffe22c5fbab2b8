/**
 * The --out lock: one writer at a time, a lock of a dead process taken over, released after.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it('takes over at once a lock whose pid now belongs to a process started after it', async () => {
    const dir = fresh();
    // This test's own process is alive, but started long after a lock taken at time 1000.
    writeFileSync(join(dir, '.simdnet.lock'), `${process.ppid} 1000\n`);
    // Were the pid taken for the writer, this would wait 120 s and fail on the test's timeout.
    await expect(withOutLock(dir, async () => 'wrote')).resolves.toBe('wrote');
  });

  it('waits for a live holder that took its lock after it started', async () => {
    const dir = fresh();
    writeFileSync(join(dir, '.simdnet.lock'), `${process.ppid} ${Date.now()}\n`);
    let wrote = false;
    const writing = withOutLock(dir, async () => {
      wrote = true;
    });
    await sleep(300);
    expect(wrote).toBe(false);
    rmSync(join(dir, '.simdnet.lock'));
    await writing;
    expect(wrote).toBe(true);
  });

  it('releases the lock when the writing fails', async () => {
    const dir = fresh();
    await expect(withOutLock(dir, async () => {
      throw new Error('disk full');
    })).rejects.toThrow('disk full');
    expect(existsSync(join(dir, '.simdnet.lock'))).toBe(false);
  });
});
