/**
 * A full disk, for real: a small tmpfs is mounted (as root, where the machine allows it) and
 * filled by the writes under test. Every failed write must name its target, leave no
 * temporary file, and leave the previous version of the file whole. Without permission to
 * mount, the tests are skipped and say why.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Network, loadModel, makeMoons, saveModel } from '../../src/node.js';
import { decodeCheckpoint } from '../../src/train/checkpoint.js';
import { ensureBuilt, runCli } from '../cli/run.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'simdnet-full-'));
let cannotMount: string | undefined;

beforeAll(() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=640k', 'tmpfs', mountPoint], { stdio: 'pipe' });
  } catch (err) {
    cannotMount = `cannot mount a tmpfs here (${(err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message}); disk-full tests skipped`;
    console.warn(cannotMount);
  }
});

afterAll(() => {
  if (!cannotMount) execFileSync('umount', [mountPoint]);
});

/** Fill the tmpfs until fewer than `free` bytes are left. */
function leaveFree(dir: string, free: number): void {
  const total = Number(execFileSync('df', ['--output=avail', '-B1', mountPoint], { encoding: 'utf8' }).trim().split('\n')[1]);
  if (total > free) writeFileSync(join(dir, 'ballast'), new Uint8Array(total - free));
}

function tempFiles(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.tmp'));
}

/** A model of about 400 KB: bigger than what is left on the disk once ballast is in. */
const big = () => Network.mlp([784, 128, 10], { seed: 1, threads: 1 });

describe('a full disk', () => {
  it('saveModel: names the target, removes its temporary file, keeps the previous model whole', async (ctx) => {
    if (cannotMount) ctx.skip();
    const dir = join(mountPoint, 'save');
    execFileSync('mkdir', [dir]);
    const path = join(dir, 'model.sdnt');
    const small = Network.mlp([2, 3, 1], { seed: 2, threads: 1 });
    await saveModel(small, path);
    leaveFree(dir, 64 * 1024);
    await expect(saveModel(big(), path)).rejects.toThrow(new RegExp(`^cannot write ${path}: no space left on device \\(the temporary file .*\\.tmp was removed\\)$`));
    expect(tempFiles(dir)).toEqual([]);
    expect((await loadModel(path)).network.getWeights()).toEqual(small.getWeights());
  });

  it('fit with a checkpoint path: rejects naming the file, no temporary file, the last checkpoint whole', async (ctx) => {
    if (cannotMount) ctx.skip();
    const dir = join(mountPoint, 'fit');
    execFileSync('mkdir', [dir]);
    const path = join(dir, 'run.ckpt');
    const moons = makeMoons(64, 0.1, 1);
    const net = Network.mlp([2, 4, 1], { seed: 3, threads: 1 });
    await net.fit(moons, { epochs: 1, checkpoint: { path } });
    const before = readFileSync(path);
    leaveFree(dir, 4 * 1024);
    const wide = Network.mlp([2, 400, 1], { seed: 3, threads: 1 });
    await expect(wide.fit(moons, { epochs: 2, checkpoint: { path } })).rejects.toThrow(new RegExp(`^cannot write ${path}: no space left on device`));
    expect(tempFiles(dir)).toEqual([]);
    expect(readFileSync(path)).toEqual(before);
    expect(decodeCheckpoint(readFileSync(path), path).steps).toBe(2);
  });

  it('simdnet train into a full --out: one line naming the file, no temporary or half file', async (ctx) => {
    if (cannotMount) ctx.skip();
    ensureBuilt();
    const out = join(mountPoint, 'cli');
    execFileSync('mkdir', [out]);
    leaveFree(out, 48 * 1024);
    const r = await runCli(['train', '--train-size', '300', '--epochs', '1', '--threads', '1', '--quiet', '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trim()).toMatch(new RegExp(`^simdnet: cannot write ${out}/[\\w.-]+: no space left on device \\(the temporary file .*\\.tmp was removed\\)$`));
    expect(tempFiles(out)).toEqual([]);
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
    for (const name of readdirSync(out)) {
      if (name === 'model.sdnt') await expect(loadModel(join(out, name))).resolves.toBeTruthy();
      if (name.endsWith('.svg')) expect(readFileSync(join(out, name), 'utf8').trimEnd()).toMatch(/<\/svg>$/);
    }
  });
});
