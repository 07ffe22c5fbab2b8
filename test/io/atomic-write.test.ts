/**
 * The atomic write behind every file the CLI leaves: a failed write removes its temporary file
 * and names the target; temporary files of dead writers are cleaned up by the next write.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Network, saveModel } from '../../src/node.js';
import { writeFileAtomic } from '../../src/io/file.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'simdnet-atomic-'));

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid!;
}

describe('writeFileAtomic', () => {
  it('a rename that fails (the target is a directory) removes the temp file and names the target', async () => {
    const dir = fresh();
    const target = join(dir, 'model.sdnt');
    mkdirSync(target);
    const error = await saveModel(Network.mlp([2, 1], { seed: 1 }), target).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(new RegExp(`^cannot write ${target}: .*the temporary file ${dir}/\\.model\\.sdnt\\.\\d+\\.\\d+\\.tmp was removed\\)$`));
    expect(readdirSync(dir)).toEqual(['model.sdnt']);
  });

  it('a target whose parent is a file fails with the target named and nothing left', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'file'), 'x');
    const target = join(dir, 'file', 'cost.svg');
    await expect(writeFileAtomic(target, '<svg/>')).rejects.toThrow(`cannot write ${target}: a parent is not a directory`);
    expect(readdirSync(dir)).toEqual(['file']);
  });

  it('removes temp files of dead writers in the directory (and of pids reused since), keeps live and foreign ones', async () => {
    const dir = fresh();
    const dead = deadPid();
    // The parent process is alive, but started after 2023: its pid cannot have written in 2023.
    const reused = `.model.sdnt.${process.ppid}.1700000000002.tmp`;
    const stale = [`.model.sdnt.${dead}.1700000000000.tmp`, `.cost.svg.${dead}.1700000000001.tmp`, reused];
    const live = `.model.sdnt.${process.ppid}.${Date.now()}.tmp`;
    const own = `.model.sdnt.${process.pid}.1700000000003.tmp`;
    const foreign = ['.notes.tmp', `model.sdnt.${dead}.1.tmp`];
    for (const name of [...stale, live, own, ...foreign]) writeFileSync(join(dir, name), 'partial');
    await writeFileAtomic(join(dir, 'summary.json'), '{}\n');
    expect(readdirSync(dir).sort()).toEqual([live, own, ...foreign, 'summary.json'].sort());
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe('{}\n');
  });

  it('two writes of one target in a row both land, the last one wins', async () => {
    const dir = fresh();
    const target = join(dir, 'a.txt');
    await Promise.all([writeFileAtomic(target, 'one'), writeFileAtomic(target, 'two')]);
    expect(['one', 'two']).toContain(readFileSync(target, 'utf8'));
    expect(readdirSync(dir)).toEqual(['a.txt']);
  });
});
