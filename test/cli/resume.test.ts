/**
 * `simdnet train --checkpoint` and `--resume`, and faults in the middle of a run: a run
 * stopped by Ctrl-C or killed with SIGKILL at a random moment leaves only whole files, and
 * resuming from its checkpoint ends with the model an uninterrupted run makes, bit for bit.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, loadModel } from '../../src/node.js';
import { ensureBuilt, runCli, type RunResult } from './run.js';

const root = mkdtempSync(join(tmpdir(), 'simdnet-cli-resume-'));

beforeAll(() => ensureBuilt());

/** The digits run every test here makes: small enough for seconds, long enough to interrupt. */
// A constant rate: the default cosine decay spans the run's epochs, so a resume that adds
// epochs would be another schedule (and is refused, see test/train/resume.test.ts).
const DIGITS = ['train', '--train-size', '1500', '--layers', '784,32,10', '--schedule', 'constant', '--epochs', '3', '--threads', '1', '--quiet'];

async function weightsOf(dir: string): Promise<Float32Array[]> {
  return (await loadModel(join(dir, 'model.sdnt'))).network.getWeights();
}

let uninterrupted: Float32Array[];
beforeAll(async () => {
  const out = join(root, 'uninterrupted');
  const r = await runCli([...DIGITS, '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  uninterrupted = await weightsOf(out);
}, 120_000);

/** Start a digits run with checkpoints and send `signal` `delay` ms after its first update. */
function stoppedRun(out: string, signal: NodeJS.Signals, delay: number, every: string): Promise<RunResult> {
  let child: import('node:child_process').ChildProcess | undefined;
  const timer = setInterval(() => {
    // The first checkpoint marks training under way; wait for it so the stop lands in training.
    if (!child || !existsSync(join(out, 'checkpoint.sdck'))) return;
    clearInterval(timer);
    setTimeout(() => child!.kill(signal), delay);
  }, 5);
  return runCli([...DIGITS.filter((a) => a !== '--quiet'), '--checkpoint', every, '--out', out], { onSpawn: (c) => (child = c) })
    .finally(() => clearInterval(timer));
}

/** Every file in `out` is whole: temporary files aside, each one loads. */
async function expectWholeFiles(out: string): Promise<void> {
  for (const name of readdirSync(out)) {
    if (name.startsWith('.')) continue;
    const path = join(out, name);
    if (name === 'checkpoint.sdck') expect(() => decodeCheckpoint(readFileSync(path), path)).not.toThrow();
    else if (name === 'model.sdnt') await expect(loadModel(path)).resolves.toBeTruthy();
    else if (name.endsWith('.json')) expect(() => JSON.parse(readFileSync(path, 'utf8'))).not.toThrow();
    else if (name.endsWith('.svg')) expect(readFileSync(path, 'utf8').trimEnd()).toMatch(/<\/svg>$/);
  }
}

describe('train --checkpoint / --resume', () => {
  it('a run of fewer epochs, resumed with more, ends with the longer run\'s model', async () => {
    const short = join(root, 'short');
    const r1 = await runCli([...DIGITS.map((a) => (a === '3' ? '1' : a)), '--checkpoint', '--out', short]);
    expect(r1.code, r1.stderr).toBe(0);
    const summary1 = JSON.parse(readFileSync(join(short, 'summary.json'), 'utf8')) as { files: Record<string, string> };
    expect(summary1.files['checkpoint']).toBe(join(short, 'checkpoint.sdck'));
    const long = join(root, 'long');
    const r2 = await runCli([...DIGITS, '--resume', join(short, 'checkpoint.sdck'), '--out', long]);
    expect(r2.code, r2.stderr).toBe(0);
    expect(await weightsOf(long)).toEqual(uninterrupted);
    const summary2 = JSON.parse(readFileSync(join(long, 'summary.json'), 'utf8')) as { training: { resumedFrom: string; epochsRun: number } };
    expect(summary2.training.resumedFrom).toBe(join(short, 'checkpoint.sdck'));
    expect(summary2.training.epochsRun).toBe(3);
  }, 120_000);

  it('refuses a checkpoint of other settings in one line naming the difference', async () => {
    const short = join(root, 'short-other');
    expect((await runCli([...DIGITS.map((a) => (a === '3' ? '1' : a)), '--checkpoint', '--out', short])).code).toBe(0);
    const r = await runCli([...DIGITS, '--batch', '16', '--resume', join(short, 'checkpoint.sdck'), '--out', join(root, 'other')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^simdnet: fit: resume: the checkpoint was made with batchSize 64, this call has 16/m);
  }, 120_000);

  it('Ctrl-C at a random moment of training: whole files, and --resume finishes the same model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 600 }), async (delay) => {
        const out = join(root, `sigint-${delay}`);
        const r = await stoppedRun(out, 'SIGINT', delay, '20');
        expect([0, 130], r.stderr).toContain(r.code);
        await expectWholeFiles(out);
        expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
        const resumed = join(out, 'resumed');
        const again = await runCli([...DIGITS, '--resume', join(out, 'checkpoint.sdck'), '--out', resumed]);
        expect(again.code, again.stderr).toBe(0);
        expect(await weightsOf(resumed)).toEqual(uninterrupted);
      }),
      { numRuns: 3, seed: 11 },
    );
  }, 300_000);

  it('kill -9 at a random moment, even mid-write: whole files, and --resume finishes the same model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 900 }), async (delay) => {
        const out = join(root, `sigkill-${delay}`);
        // A checkpoint after every update: the kill very likely lands inside a write.
        const r = await stoppedRun(out, 'SIGKILL', delay, '1');
        expect(r.signal === 'SIGKILL' || r.code === 0, r.stderr).toBe(true);
        await expectWholeFiles(out);
        // Resuming into the same directory also clears the dead run's temporary files.
        const again = await runCli([...DIGITS, '--resume', join(out, 'checkpoint.sdck'), '--out', out]);
        expect(again.code, again.stderr).toBe(0);
        expect(await weightsOf(out)).toEqual(uninterrupted);
        expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
      }),
      { numRuns: 3, seed: 12 },
    );
  }, 300_000);
});
