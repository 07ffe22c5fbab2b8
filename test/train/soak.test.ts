/**
 * A reduced soak (bench/soak.ts): 300,000 updates of fit + predict + evaluate in a loop, in a
 * fresh process. The heap's books must not move after the first round (no block or byte leaks
 * per call), the linear memory must not grow, the thread count must stay put, and RSS after
 * warm-up must grow by less than 10 MB. `npm run bench:soak` runs the full 10^7 updates.
 *
 * The child runs with V8's young generation at a fixed size (SOAK_NODE_FLAGS): under a busy
 * machine Node 24 grew it mid-run (heapTotal 61 → 92 MB with the live JS heap flat at 23.5 MB),
 * which put 10–20 MB of fresh pages into RSS at once and failed the bound with nothing leaking;
 * pinned, RSS stayed within 4 MB over 7 runs beside two busy loops.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run.js';
import type { SoakSample } from '../../bench/soak.js';
import { SOAK_NODE_FLAGS } from '../../bench/soak-flags.js';

describe('soak', () => {
  it('300,000 updates: flat heap, memory and threads; RSS growth under 10 MB', () => {
    const r = spawnSync(process.execPath, [...SOAK_NODE_FLAGS, join(ROOT, 'node_modules', 'vite-node', 'vite-node.mjs'), 'bench/soak.ts', '--', '--updates', '300000', '--samples', '10', '--json'], {
      cwd: ROOT, encoding: 'utf8', timeout: 240_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const { samples } = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { samples: SoakSample[] };
    expect(samples.length).toBeGreaterThanOrEqual(10);
    const [first, warm] = [samples[0]!, samples[1]!];
    for (const s of samples) {
      expect(s.heapLiveBytes, `after ${s.updates} updates`).toBe(first.heapLiveBytes);
      expect(s.heapLiveBlocks, `after ${s.updates} updates`).toBe(first.heapLiveBlocks);
      expect(s.memoryBytes, `after ${s.updates} updates`).toBe(first.memoryBytes);
      expect(s.threads, `after ${s.updates} updates`).toBe(first.threads);
    }
    const last = samples.at(-1)!;
    expect(last.updates).toBeGreaterThanOrEqual(300_000);
    expect(last.rssMB - warm.rssMB).toBeLessThan(10);
  }, 300_000);
});
