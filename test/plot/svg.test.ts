/**
 * The chart pieces of src/plot/svg.ts: nice ticks and their labels, escaping, and the
 * vertex-per-point line paths the CLI tests count.
 */
import { describe, expect, it } from 'vitest';
import { esc, extent, linearScale, linePath } from '../../src/plot/svg.js';

describe('linearScale', () => {
  it.each([
    [[0.37, 9.2], true, [0, 10], [0, 2, 4, 6, 8, 10], ['0', '2', '4', '6', '8', '10']],
    [[0, 1], false, [0, 1], [0, 0.2, 0.4, 0.6, 0.8, 1], ['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']],
    [[-1.3, 2.6], false, [-1.3, 2.6], [-1, 0, 1, 2], ['−1', '0', '1', '2']],
    [[0.0012, 0.0049], true, [0.001, 0.005], [0.001, 0.002, 0.003, 0.004, 0.005], ['0.001', '0.002', '0.003', '0.004', '0.005']],
  ] as const)('%j (nice %s): domain %j, ticks %j', (domain, nice, niceDomain, ticks, labels) => {
    const s = linearScale([...domain] as [number, number], [0, 100], { nice });
    expect(s.domain.map((v) => Number(v.toPrecision(12)))).toEqual(niceDomain);
    expect(s.ticks.map((v) => Number(v.toPrecision(12)))).toEqual(ticks);
    expect(s.ticks.map((t) => s.format(t))).toEqual(labels);
    expect([s(s.domain[0]), s(s.domain[1])]).toEqual([0, 100]);
  });

  it('widens an empty or single-value domain instead of dividing by zero', () => {
    const s = linearScale([3, 3], [0, 10]);
    expect(s.domain).toEqual([2, 4]);
    expect(Number.isFinite(s(3))).toBe(true);
    expect(extent([[NaN, Infinity]])).toEqual([0, 1]);
    expect(extent([[2, NaN, -1], [5]])).toEqual([-1, 5]);
  });
});

describe('marks', () => {
  it('escapes text and writes one vertex per point', () => {
    expect(esc(`a<b & "c" 'd'>`)).toBe('a&#60;b &#38; &#34;c&#34; &#39;d&#39;&#62;');
    expect(linePath([[0, 0], [1.234, 5.678], [2, 3]], 'red')).toMatch(/ d="M0,0 L1\.23,5\.68 L2,3"/);
  });
});
