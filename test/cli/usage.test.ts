/**
 * The CLI's help, version, info, and every bad-input case: the message on stderr (one line,
 * naming the problem, no stack trace unless --verbose) and the exit code (2 usage, 1 failure).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { CLI, ensureBuilt, ROOT, runCli } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-cli-usage-'));

beforeAll(() => ensureBuilt());

/** stderr must be exactly one line. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  return lines[0]!;
}

describe('help and version', () => {
  it('prints the version from package.json', async () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it.each([[], ['train'], ['eval'], ['predict'], ['bench'], ['info']])('--help works for %j', async (...cmd) => {
    const r = await runCli([...cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: simdnet/);
  });

  it('train --help lists the presets and says full-batch epochs are iterations', async () => {
    const r = await runCli(['train', '--help']);
    for (const preset of ['mnist-mlp', 'mnist-textbook', 'moons-2layer', 'moons-deep', 'logistic']) expect(r.stdout).toContain(preset);
    expect(r.stdout).toMatch(/--epochs counts iterations/);
  });
});

describe('output into a pipe that closes early', () => {
  it('ends quietly: no EPIPE stack trace when the reader stops (simdnet --help | head -c 1)', () => {
    for (let i = 0; i < 3; i++) {
      const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" --help | head -c 1 > /dev/null`], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
    }
  });
});

describe('info', () => {
  it('reports version, the WASM build (relaxed where the runtime allows), SIMD support and one thread', async () => {
    const r = await runCli(['info', '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(info['threads']).toBe(info['threadsUnavailable'] === null ? info['cores'] : 1);
    // Relaxed SIMD where the runtime enables it (Node 22 and later), else SIMD, else scalar.
    expect(info['wasmBuild']).toBe(info['relaxedSimd'] ? 'relaxed' : info['simdSupported'] ? 'simd' : 'scalar');
    const text = await runCli(['info']);
    expect(text.stdout).toMatch(new RegExp(`wasm build\\s+${info['wasmBuild']}`));
  });
});

describe('usage errors exit 2 with one line naming the problem', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown option', ['train', '--bogus'], /unknown option '--bogus'/],
    ['unknown command', ['trian'], /unknown command 'trian'.*train/],
    ['bad batch', ['train', '--batch', 'zero'], /--batch.*'zero' is invalid.*positive integer or "full"/],
    ['bad epochs', ['train', '--epochs', '0'], /--epochs.*'0' is invalid.*integer ≥ 1/],
    ['bad threads', ['train', '--threads', '0'], /--threads.*'0' is invalid.*integer ≥ 1/],
    ['bad learning rate', ['train', '--lr', '-1'], /--lr.*'-1' is invalid/],
    ['unknown optimizer', ['train', '--optimizer', 'adamw'], /--optimizer.*'adamw' is invalid.*sgd, momentum/],
    ['unknown activation', ['train', '--activation', 'swish'], /--activation.*'swish' is invalid.*relu/],
    ['unknown preset', ['train', '--preset', 'mnist-big'], /--preset.*'mnist-big' is invalid.*mnist-mlp/],
    ['unknown backend', ['train', '--backend', 'gpu'], /--backend.*'gpu' is invalid/],
    ['malformed layers', ['train', '--layers', '784,,10'], /--layers.*comma-separated positive integers/],
    ['unknown data set', ['train', '--data', 'mnst'], /unknown data set 'mnst'.*mnist, moons/],
    ['layers not matching the width', ['train', '--data', 'moons', '--layers', '3,4,1'], /--layers 3,4,1: the first size must be the data's 2 input features/],
    ['layers not matching the classes', ['train', '--data', 'moons', '--layers', '2,4,3'], /--layers 2,4,3: the last size must match the data's 2 classes/],
    ['loss not fitting the output', ['train', '--data', 'moons', '--loss', 'cce', '--epochs', '1'], /categoricalCrossEntropy needs a softmax output/],
    ['predict without input', ['predict', '--model', 'x.sdnt'], /exactly one of --input <csv> or --image/],
    ['eval without model', ['eval'], /required option '--model <file>'/],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^simdnet: /);
    expect(r.stderr).toMatch(message);
  });
});

describe('failures exit 1 with one line naming the file', () => {
  it('a missing data file', async () => {
    const r = await runCli(['train', '--data', join(dir, 'missing.csv')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/missing\.csv: file not found/);
  });

  it('a malformed CSV names the line and field', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'a,b,label\n1,2,0\n3,x,1\n');
    const r = await runCli(['train', '--data', file]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/bad\.csv, line 3, field 2/);
  });

  it('a missing model file', async () => {
    const r = await runCli(['eval', '--model', join(dir, 'none.sdnt')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/cannot read model .*none\.sdnt: file not found/);
  });

  it('a file that is not a model', async () => {
    const file = join(dir, 'junk.sdnt');
    writeFileSync(file, 'this is not a model file at all');
    const r = await runCli(['predict', '--model', file, '--input', file]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/junk\.sdnt: not a simdnet model/);
  });

  it('shows the stack trace only with --verbose', async () => {
    const quiet = await runCli(['eval', '--model', join(dir, 'none.sdnt')]);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    const verbose = await runCli(['eval', '--model', join(dir, 'none.sdnt'), '--verbose']);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });
});
