import { describe, expect, it } from 'vitest';
import { CostRecorder, MAX_COST_SAMPLES } from '../../src/train/costs.js';
import { Network } from '../../src/network.js';
import { xor } from '../../src/data/generators.js';

describe('the cost record', () => {
  it('stays bounded over ten million updates by default, evenly spaced, the first update kept', () => {
    const r = new CostRecorder('auto');
    for (let step = 1; step <= 10_000_000; step++) r.record(step, 1 / step);
    const s = r.samples;
    expect(s.length).toBeLessThanOrEqual(MAX_COST_SAMPLES);
    expect(s.length).toBeGreaterThan(MAX_COST_SAMPLES / 2);
    expect(s[0]).toEqual({ step: 1, loss: 1 });
    const stride = s[2]!.step - s[1]!.step;
    expect(Math.log2(stride) % 1).toBe(0);
    for (let i = 2; i < s.length; i++) expect(s[i]!.step - s[i - 1]!.step).toBe(stride);
  });

  it('keeps exactly every costEvery-th update when given one (the seeds\' every 100 iterations)', () => {
    const r = new CostRecorder(100);
    for (let step = 1; step <= 10_000; step++) r.record(step, step);
    expect(r.samples.map((c) => c.step)).toEqual([1, ...Array.from({ length: 100 }, (_, i) => (i + 1) * 100)]);
  });

  it('is what fit reports: every update of a short run, a bounded record of a long one', async () => {
    const data = xor(400, 0.1, 1);
    const net = Network.mlp([2, 4, 1], { seed: 1, threads: 1 });
    const short = await net.fit(data, { epochs: 2, batchSize: 8 });
    expect(short.costs.map((c) => c.step)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const long = await net.fit(data, { epochs: 50, batchSize: 1 });
    expect(long.steps).toBe(20_000);
    expect(long.costs.length).toBeLessThanOrEqual(MAX_COST_SAMPLES);
    expect((await net.fit(data, { epochs: 1, batchSize: 1, costEvery: 1 })).costs).toHaveLength(400);
    await expect(net.fit(data, { costEvery: 0 })).rejects.toThrow("fit: costEvery (or 'auto') must be a positive integer, got 0");
  });
});
