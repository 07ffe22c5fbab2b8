/**
 * The `--out` directory of a run: created safely, and written by one run at a time.
 *
 * Created one level at a time with plain `mkdir`, under a time limit: Node's recursive mkdir
 * never settles under /proc, and a hung command is worse than a clear error.
 *
 * One run at a time: the model, plots and summary.json are written while holding a lock file
 * (`.simdnet.lock`, holding the writer's pid and the time it was taken) in the directory, and summary.json and the model's
 * metadata carry the same run id. Two runs into one `--out` therefore take turns, and the
 * summary always describes the model beside it. A lock whose process is gone (`kill -9`) is taken
 * over, and so is one whose pid now belongs to a process started after the lock was taken. Why a lock rather than a staging directory renamed into place: renaming the files in one
 * by one still interleaves with another run, and a directory cannot be renamed over a non-empty
 * one; the lock is one small file and works on any file system.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describeFsError, writerMayRun } from '../io/file.js';

/** How long creating `--out` may take before it counts as failed. */
const MKDIR_TIMEOUT_MS = 5000;
/** How long a run waits for another run writing the same `--out`. */
const LOCK_WAIT_MS = 120_000;
const LOCK_NAME = '.simdnet.lock';

/** Reject after `ms` unless `work` settles first. */
function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function isDirectory(path: string): Promise<boolean | undefined> {
  try {
    return (await stat(path)).isDirectory();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Create `dir` and any missing parents, one plain mkdir each. */
async function makeDirectories(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    const kind = await isDirectory(d);
    if (kind === true) break;
    if (kind === false) throw Object.assign(new Error(`${d} is not a directory`), { code: 'ENOTDIR' });
    if (dirname(d) === d) break;
    missing.unshift(d);
  }
  for (const d of missing) {
    try {
      await mkdir(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !(await isDirectory(d))) throw err;
    }
  }
}

/** Make `dir` exist, or throw one line saying why it cannot. */
export async function prepareOutDir(dir: string): Promise<void> {
  try {
    await withTimeout(makeDirectories(dir), MKDIR_TIMEOUT_MS, `no answer after ${MKDIR_TIMEOUT_MS / 1000} s`);
  } catch (err) {
    throw new Error(`cannot create the output directory ${dir}: ${describeFsError(err)}`, { cause: err });
  }
}

/** A fresh id for one run, shared by its summary.json and its model's metadata. */
export function newRunId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Hold `--out`'s lock while `write` runs. Waits for a live holder, takes over from a dead one,
 * and releases the lock even when the process exits in between (a second Ctrl-C).
 */
export async function withOutLock<T>(dir: string, write: () => Promise<T>): Promise<T> {
  const lock = join(dir, LOCK_NAME);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(`${process.pid} ${Date.now()}\n`);
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot write in ${dir}: ${describeFsError(err)}`, { cause: err });
    }
    const [holder, madeAt] = (await readFile(lock, 'utf8').catch(() => '')).trim().split(' ').map(Number) as [number, number | undefined];
    const dead = Number.isSafeInteger(holder) && holder > 0 ? holder !== process.pid && !writerMayRun(holder, madeAt)
      // No pid in it: its writer died between creating and filling it, unless that was just now.
      : Date.now() - ((await stat(lock).catch(() => undefined))?.mtimeMs ?? Date.now()) > 10_000;
    if (dead) {
      await rm(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another simdnet run (pid ${holder || '?'}) is still writing ${dir}; waited ${LOCK_WAIT_MS / 1000} s`);
    await sleep(50);
  }
  const release = () => rmSync(lock, { force: true });
  process.on('exit', release);
  try {
    return await write();
  } finally {
    process.off('exit', release);
    release();
  }
}
