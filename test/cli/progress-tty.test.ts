/**
 * `simdnet train` on a terminal, through a pseudo-terminal made by `script -qc`: the per-epoch
 * lines stay on screen above the live bar, the bar is gone when training ends, and every
 * frame of the bar shows numbers of one moment (the current epoch's mean loss so far — the
 * last frame equals the epoch's line — never the previous epoch's accuracy).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { CLI, ensureBuilt } from './run.js';

beforeAll(() => ensureBuilt());

/** What a terminal shows after `raw`: carriage returns, newlines and erase-to-end-of-line applied. */
function screen(raw: string): string[] {
  const lines = [''];
  let col = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\r') col = 0;
    else if (c === '\n') {
      lines.push('');
      col = 0;
    } else if (c === '\x1b') {
      const m = /^\x1b\[[0-9;?]*([A-Za-z])/.exec(raw.slice(i));
      if (!m) continue;
      if (m[1] === 'K') lines[lines.length - 1] = lines.at(-1)!.slice(0, col);
      i += m[0].length - 1;
    } else {
      const line = lines.at(-1)!;
      lines[lines.length - 1] = line.slice(0, col).padEnd(col) + c + line.slice(col + 1);
      col++;
    }
  }
  return lines;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

it('on a terminal, the epoch lines stay above the live bar, and the bar shows one moment', async () => {
  const out = mkdtempSync(join(tmpdir(), 'simdnet-tty-'));
  const command = [process.execPath, CLI, 'train', '--data', 'moons', '--epochs', '3', '--batch', '8', '--out', out].map(quote).join(' ');
  const { stdout: raw } = await promisify(execFile)('script', ['-qec', `stty cols 200; ${command}`, '/dev/null'], { env: { ...process.env, TERM: 'xterm' } });

  // Frames of the bar, as drawn (each starts after a carriage return).
  const frames = raw.split('\r').map((f) => f.replace(/\x1b\[K/g, '')).filter((f) => /^epoch \d\/3 batch \d+\/\d+ \[/.test(f));
  expect(frames.length).toBeGreaterThan(0);
  for (const f of frames) {
    expect(f).toMatch(/^epoch (\d)\/3 batch (\d+)\/(\d+) \[[█░]{24}\] \d+% \| epoch loss \d+\.\d{4} \| [\d,]+ samples\/s \| ETA /);
    expect(f).not.toMatch(/acc/);
  }

  const shown = screen(raw);
  const epochLines = shown.filter((l) => /^epoch \d\/3 {2}loss /.test(l));
  expect(epochLines.map((l) => l.slice(0, 9))).toEqual(['epoch 1/3', 'epoch 2/3', 'epoch 3/3']);
  expect(shown.indexOf(epochLines[2]!)).toBeLessThan(shown.findIndex((l) => l.startsWith('test accuracy')));
  // No bar left on screen.
  expect(shown.filter((l) => l.includes('░') || l.includes('█'))).toEqual([]);
  // The last frame is the last batch; its running loss is the epoch's loss.
  const last = frames.at(-1)!;
  const [, batch, batches] = /batch (\d+)\/(\d+)/.exec(last)!;
  expect(batch).toBe(batches);
  expect(/epoch loss (\S+)/.exec(last)![1]).toBe(/^epoch 3\/3 {2}loss (\S+)/.exec(epochLines[2]!)![1]);
});
