/**
 * Name options on the command line (--activation, --output-activation, --loss, --initializer,
 * --optimizer): keys that plain objects inherit are usage errors, aliases still work.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './run.js';

beforeAll(() => ensureBuilt());

describe('inherited object keys are not names', () => {
  const cases: [string, string][] = [
    ['--activation', 'constructor'], ['--activation', 'toString'], ['--output-activation', '__proto__'],
    ['--loss', '__proto__'], ['--loss', 'valueOf'], ['--initializer', 'constructor'], ['--initializer', 'hasOwnProperty'],
    ['--optimizer', 'constructor'],
  ];
  it.each(cases)('%s %s exits 2 with one line naming the option', async (option, value) => {
    const r = await runCli(['train', '--data', 'xor', '--epochs', '1', option, value]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
    expect(r.stderr).toMatch(/^simdnet: /);
    expect(r.stderr).toContain(`${option} <name>' argument '${value}' is invalid. expected one of `);
  });
});

describe('aliases reach the model', () => {
  it('leaky-relu, identity, mse, xavierUniform and gd are accepted and saved as canonical names', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'simdnet-cli-names-')), 'run');
    const r = await runCli([
      'train', '--data', 'xor', '--epochs', '1', '--json', '--out', out, '--activation', 'leaky-relu',
      '--output-activation', 'identity', '--loss', 'mse', '--initializer', 'xavierUniform', '--optimizer', 'gd',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const header = modelHeader(join(out, 'model.sdnt'));
    expect(header.loss).toBe('meanSquaredError');
    const dense = header.layers.filter((l) => l.type === 'dense');
    const hidden = dense.slice(0, -1);
    expect(hidden.length).toBeGreaterThan(0);
    for (const layer of hidden) expect(layer.activation?.name).toBe('leakyRelu');
    expect(dense.at(-1)?.activation?.name).toBe('linear');
    for (const layer of dense) expect(layer.initializer).toBe('glorotUniform');
  });
});

/** The JSON header of a model file (layout in src/io/format.ts), read without building the network. */
function modelHeader(path: string): { loss: string; layers: { type: string; activation?: { name: string }; initializer?: string }[] } {
  const bytes = readFileSync(path);
  const length = bytes.readUInt32LE(8);
  return JSON.parse(bytes.subarray(12, 12 + length).toString('utf8'));
}
