/**
 * Ctrl-C at the end of a run and the --out directory: SIGINT sent once the last epoch line is
 * out (while the final evaluation, the model and the plots are being made) still leaves a
 * loadable model whose run id matches summary.json; an --out that cannot be made is one line.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/node.js';
import { ensureBuilt, oneLine, runCli, type RunResult } from './run.js';

const root = mkdtempSync(join(tmpdir(), 'simdnet-cli-interrupt-'));

beforeAll(() => ensureBuilt());

/** Train two epochs on a slice of the digits; SIGINT `delay` ms after the last epoch line. */
async function interruptedAtTheEnd(out: string, delay: number): Promise<{ r: RunResult; sentAt: number }> {
  let child: import('node:child_process').ChildProcess | undefined;
  let sentAt = -1;
  let seen = '';
  const r = await runCli(['train', '--epochs', '2', '--train-size', '300', '--threads', '1', '--out', out], {
    onSpawn: (c) => (child = c),
    onStderr: (chunk) => {
      seen += chunk;
      if (sentAt < 0 && /^epoch 2\/2 /m.test(seen)) {
        sentAt = 0;
        setTimeout(() => {
          sentAt = Date.now();
          child!.kill('SIGINT');
        }, delay);
      }
    },
  });
  return { r, sentAt };
}

describe('Ctrl-C after the last epoch', () => {
  it.each([0, 10, 40, 120, 400])('SIGINT %i ms after the last epoch line leaves a loadable model and exits 130 or 0', async (delay) => {
    const out = join(root, `end-${delay}`);
    const { r, sentAt } = await interruptedAtTheEnd(out, delay);
    expect(sentAt, r.stderr).not.toBe(-1);
    expect(r.signal, r.stderr).toBeNull();
    expect([0, 130], r.stderr).toContain(r.code);
    if (r.code === 130) expect(r.stderr).toMatch(/^interrupted: training had finished; writing the model, plots and summary/m);
    const { header } = await loadModel(join(out, 'model.sdnt'));
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { runId: string; training: { stopReason: string } };
    expect(summary.training.stopReason).toBe('completed');
    expect((header.metadata as { runId?: string }).runId).toBe(summary.runId);
    // Nothing half-written, no lock left behind.
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

describe('--out', () => {
  it('under /proc fails at once with one line', async () => {
    const started = Date.now();
    const r = await runCli(['train', '--data', 'xor', '--epochs', '1', '--out', '/proc/simdnet-x']);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe('simdnet: cannot create the output directory /proc/simdnet-x: no such directory');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('below a file fails with one line, before any training', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const r = await runCli(['train', '--data', 'xor', '--epochs', '1', '--out', join(file, 'out')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(`simdnet: cannot create the output directory ${join(file, 'out')}: a parent is not a directory`);
    expect(r.stderr).not.toMatch(/epoch/);
  });

  it('two runs into one --out: summary.json describes the model beside it', async () => {
    const out = join(root, 'shared');
    const runs = await Promise.all([1, 2].map((seed) => runCli(['train', '--data', 'moons', '--epochs', '3', '--seed', String(seed), '--quiet', '--out', out])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { runId: string };
    const { header } = await loadModel(join(out, 'model.sdnt'));
    expect((header.metadata as { runId?: string }).runId).toBe(summary.runId);
    expect(existsSync(join(out, '.simdnet.lock'))).toBe(false);
  });
});
