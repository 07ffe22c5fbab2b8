/**
 * Saving and loading model files in Node, and the atomic write every file of a run goes through.
 * A write puts the bytes in a temporary file `.<name>.<pid>.<ms>.tmp` beside the target, flushes
 * it and renames it over the target, so a crash leaves either the old file or the new one, never
 * half of one. A write that fails removes its temporary file and names the target; temporary
 * files of writers that died (`kill -9`, power loss) are removed by the next write into the same
 * directory, once their process is gone (or its pid belongs to a process started since).
 */
import { readFileSync } from 'node:fs';
import type { Network } from '../network.js';
import type { Sequential } from '../nn/network.js';
import { decodeModel, encodeModel, type DecodeOptions, type ModelHeader } from './format.js';

/** `.<name>.<pid>.<ms>.tmp`: the temporary files {@link writeFileAtomic} makes. */
const TEMP_NAME = /^\..+\.(\d+)\.(\d+)\.tmp$/;

/** A failed file-system call in words: "permission denied" rather than "EACCES". */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return 'no such directory';
    case 'ENOTDIR': return 'a parent is not a directory';
    case 'EISDIR': return 'it is a directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EROFS': return 'read-only file system';
    case 'ENOSPC': return 'no space left on device';
    case 'EDQUOT': return 'disk quota exceeded';
    case 'EEXIST': return 'it exists and is not a directory';
    default: return code ?? (err instanceof Error ? err.message : String(err));
  }
}

/**
 * When process `pid` started, in ms since the epoch, where the system says (Linux's /proc);
 * `undefined` elsewhere or when it is gone. Pids are reused: a live pid is the process that
 * left a file only if it started before the file was made.
 */
export function processStartedAt(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (start time, in clock ticks after boot) counted after the parenthesised name,
    // which may hold spaces; the kernel's tick is 100 Hz on every Linux Node runs on.
    const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    return Number.isFinite(startTicks) && Number.isFinite(bootSeconds) ? bootSeconds * 1000 + startTicks * 10 : undefined;
  } catch {
    return undefined;
  }
}

/** Boot time has whole-second precision: starts this close to a file's time count as before it. */
const START_SLACK_MS = 2000;

/**
 * True when the process that made something at `madeAt` (ms since the epoch) as `pid` may
 * still run: the pid is alive and, where start times are known, did not start after `madeAt`.
 */
export function writerMayRun(pid: number, madeAt: number | undefined): boolean {
  if (!processAlive(pid)) return false;
  const started = processStartedAt(pid);
  return started === undefined || madeAt === undefined || !Number.isFinite(madeAt) || started <= madeAt + START_SLACK_MS;
}

/** True when process `pid` exists (a process we may not signal still exists). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the temporary files of dead writers from `dir`: names of the pattern
 * `.<name>.<pid>.<ms>.tmp` whose pid is not this process and no longer runs. Best effort: a
 * directory that cannot be listed, or a file that is already gone, is no error.
 */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  const fs = await import('node:fs/promises');
  const { join } = await import('node:path');
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    const pid = Number(match?.[1] ?? NaN);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || writerMayRun(pid, Number(match?.[2]))) continue;
    try {
      await fs.rm(join(dir, name), { force: true });
      removed.push(join(dir, name));
    } catch {
      // Someone else's file we may not remove: leave it.
    }
  }
  return removed;
}

/** The last timestamp handed out, so two writes of one target in one millisecond differ. */
let lastStamp = 0;

/**
 * Write `data` to `path` atomically (temporary file, flush, rename). On any failure the
 * temporary file is removed and the error says which target could not be written and why.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const fs = await import('node:fs/promises');
  const { dirname, basename, join } = await import('node:path');
  const dir = dirname(path);
  await removeStaleTempFiles(dir);
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${lastStamp}.tmp`);
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await fs.open(tmp, 'wx');
  } catch (err) {
    throw new Error(`cannot write ${path}: ${describeFsError(err)}`, { cause: err });
  }
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, path);
  } catch (err) {
    const removed = await fs.rm(tmp, { force: true }).then(() => true, () => false);
    const temp = removed ? `the temporary file ${tmp} was removed` : `the temporary file ${tmp} could not be removed`;
    throw new Error(`cannot write ${path}: ${describeFsError(err)} (${temp})`, { cause: err });
  }
}

/** Write `net` (and metadata) to `path` atomically. */
export async function saveModel(net: Sequential, path: string, metadata: object = {}): Promise<void> {
  await writeFileAtomic(path, encodeModel(net, metadata));
}

/** Read and validate a model file; errors name the path and the byte offset of the problem. */
export async function loadModel(path: string, options: Omit<DecodeOptions, 'source'> = {}): Promise<{ network: Network; header: ModelHeader }> {
  return decodeModel(await readFileBytes(path, 'model'), { ...options, source: path });
}

/** Read a whole file; a failure names what the file is (`'model'`, `'checkpoint'`) and its path. */
export async function readFileBytes(path: string, what: string): Promise<Uint8Array> {
  const fs = await import('node:fs/promises');
  try {
    return await fs.readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : code ?? (err as Error).message;
    throw new Error(`cannot read ${what} ${path}: ${why}`, { cause: err });
  }
}
