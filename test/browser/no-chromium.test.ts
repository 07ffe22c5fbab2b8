/**
 * Without Chromium, every test that needs it fails with the install message, and nothing
 * else (no TypeError from a setup that never ran). Runs those test files in a child vitest
 * with SIMDNET_CHROMIUM pointing nowhere.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { ROOT } from '../cli/run.js';

/** Every test file that drives Chromium. */
const FILES = ['test/browser/demo.test.ts', 'test/browser/standalone.test.ts', 'test/package/bundlers.test.ts'];

interface Report {
  testResults: { name: string; assertionResults: { status: string; failureMessages: string[] }[] }[];
}

it('without Chromium, every browser test fails with the install message only', async () => {
  const report = join(mkdtempSync(join(tmpdir(), 'simdnet-no-chromium-')), 'report.json');
  const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
  const env = { ...process.env, SIMDNET_CHROMIUM: join(tmpdir(), 'no-such-chromium') };
  await promisify(execFile)(process.execPath, [vitest, 'run', ...FILES, '--reporter=json', `--outputFile=${report}`], { cwd: ROOT, env }).catch(() => undefined);
  const { testResults } = JSON.parse(readFileSync(report, 'utf8')) as Report;
  expect(testResults.map((f) => f.name.slice(ROOT.length)).sort()).toEqual([...FILES].sort());
  for (const file of testResults) {
    expect(file.assertionResults.length, file.name).toBeGreaterThan(0);
    for (const test of file.assertionResults) {
      expect(test.status).toBe('failed');
      expect(test.failureMessages.join('\n').split('\n')[0]).toMatch(/^Error: The browser tests need Chromium at .*no-such-chromium, which does not exist\. Install it with `apt-get update && apt-get install -y chromium`/);
    }
  }
}, 180_000);
