/**
 * The relaxed-SIMD build (f32x4.relaxed_madd in the GEMM micro-kernel and the direct
 * convolution's forward). Node 20 validates it only with --experimental-wasm-relaxed-simd (not
 * allowed in NODE_OPTIONS), so the check runs in a child `node` with that flag over dist/,
 * keeping this suite flag-free.
 *
 * Tolerance vs the SIMD build: relaxed_madd may fuse (one rounding per product-add instead
 * of two), so each element differs by rounding only; the bound is that of an f32 sum of k
 * products, |Δ| ≤ |alpha|·√k·k·2⁻²⁴·max|a|·max|b| + 1e-6·|c| (test/kernels/gemm.test.ts uses the
 * same √k bound against the f64 reference). Across thread counts the relaxed build is
 * bit-identical to itself, like every build, and its packed-B entry to its plain GEMM.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../cli/run.js';
import { relaxedSimdSupported } from '../../src/wasm/features.js';

const FLAG = '--experimental-wasm-relaxed-simd';

const script = (dist: string) => `
  const at = (p) => import(${JSON.stringify(dist)} + p);
  const { relaxedSimdSupported } = await at('/wasm/features.js');
  const { createEngine } = await at('/engine.js');
  if (!relaxedSimdSupported()) { console.log(JSON.stringify({ unsupported: true })); process.exit(0); }
  const out = { unsupported: false, defaultBuild: createEngine({ threads: 1 }).build, cases: [] };
  const engines = { simd: createEngine({ build: 'simd', threads: 1 }), relaxed: createEngine({ build: 'relaxed', threads: 1 }),
    relaxed3: createEngine({ build: 'relaxed', threads: 3 }) };
  for (const [m, n, k] of [[4, 8, 8], [3, 25, 784], [33, 17, 300], [300, 270, 520], [257, 600, 64]]) {
    for (const [ta, tb] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
      const res = {};
      for (const [name, e] of Object.entries(engines)) {
        const a = e.heap.alloc(m * k * 4), b = e.heap.alloc(k * n * 4), c = e.heap.alloc(m * n * 4);
        const f = e.heap.f32; let s = 7;
        for (let i = 0; i < m * k + k * n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; f[(i < m * k ? a >> 2 : (b >> 2) - m * k) + i] = s / 2 ** 31 - 1; }
        e.kernels.gemm(!!ta, !!tb, m, n, k, 1, a, ta ? m : k, b, tb ? k : n, 0, c, n, 0, 0, 0, e.gemmWork);
        res[name] = e.heap.f32.slice(c >> 2, (c >> 2) + m * n);
        // The packed-B entry must give the same C as the plain one, bit for bit.
        const pb = e.heap.alloc(e.kernels.gemmPackedBytes(n, k));
        e.kernels.gemmPackB(!!tb, n, k, b, tb ? k : n, pb);
        e.kernels.gemmPacked(!!ta, m, n, k, 1, a, ta ? m : k, pb, 0, c, n, 0, 0, 0, e.gemmWork);
        res[name + 'Packed'] = e.heap.f32.slice(c >> 2, (c >> 2) + m * n);
        e.heap.release(a); e.heap.release(b); e.heap.release(c); e.heap.release(pb);
      }
      let worst = 0, differ = 0, threadDiffs = 0, packedDiffs = 0;
      const atol = Math.sqrt(k) * k * 2 ** -24;
      for (let i = 0; i < m * n; i++) {
        const d = Math.abs(res.relaxed[i] - res.simd[i]);
        if (d !== 0) differ++;
        worst = Math.max(worst, d / (atol + 1e-6 * Math.abs(res.simd[i])));
        if (!Object.is(res.relaxed[i], res.relaxed3[i])) threadDiffs++;
        for (const name of Object.keys(engines)) if (!Object.is(res[name][i], res[name + 'Packed'][i])) packedDiffs++;
      }
      out.cases.push({ shape: [m, n, k, ta, tb], worstOverTolerance: worst, differ, threadDiffs, packedDiffs });
    }
  }
  // The direct convolution's forward fuses its multiply-adds in the relaxed build too.
  for (const [batch, h, w, c, k, f, pad] of [[16, 28, 28, 1, 5, 8, 0], [8, 12, 12, 8, 5, 16, 0], [5, 9, 7, 3, 3, 12, 1]]) {
    const [oh, ow] = [h + 2 * pad - k + 1, w + 2 * pad - k + 1];
    const taps = k * k * c;
    const res = {};
    for (const [name, e] of Object.entries(engines)) {
      const x = e.heap.alloc(batch * h * w * c * 4), wt = e.heap.alloc(taps * f * 4), bias = e.heap.alloc(f * 4), y = e.heap.alloc(batch * oh * ow * f * 4);
      const fl = e.heap.f32; let s = 11;
      for (const [p, n] of [[x, batch * h * w * c], [wt, taps * f], [bias, f]]) for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; fl[(p >> 2) + i] = s / 2 ** 31 - 1; }
      e.kernels.conv2d(x, batch, h, w, c, k, k, 1, 1, pad, pad, oh, ow, wt, f, bias, 0, 0, y);
      res[name] = e.heap.f32.slice(y >> 2, (y >> 2) + batch * oh * ow * f);
      for (const p of [x, wt, bias, y]) e.heap.release(p);
    }
    let worst = 0, differ = 0, threadDiffs = 0;
    const atol = Math.sqrt(taps) * taps * 2 ** -24;
    for (let i = 0; i < res.simd.length; i++) {
      const d = Math.abs(res.relaxed[i] - res.simd[i]);
      if (d !== 0) differ++;
      worst = Math.max(worst, d / (atol + 1e-6 * Math.abs(res.simd[i])));
      if (!Object.is(res.relaxed[i], res.relaxed3[i])) threadDiffs++;
    }
    out.cases.push({ shape: ['conv2d', batch, h, w, c, k, f, pad], worstOverTolerance: worst, differ, threadDiffs, packedDiffs: 0 });
  }
  engines.relaxed3.close();
  console.log(JSON.stringify(out));
`;

describe('relaxed SIMD build', () => {
  // Node 22 and later enable relaxed SIMD by default (and no longer know the flag).
  const flags = relaxedSimdSupported() ? [] : [FLAG];
  it(`is chosen ${flags.length ? `under ${FLAG}` : 'by default'}, stays within the tolerance of the SIMD build and is bit-identical across threads`, (ctx) => {
    ensureBuilt();
    const child = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script(join(ROOT, 'dist'))], { encoding: 'utf8', timeout: 120_000 });
    if (child.status !== 0 && /bad option|not allowed|unknown/i.test(child.stderr)) {
      console.warn(`relaxed SIMD test skipped: this Node (${process.version}) does not accept ${FLAG}: ${child.stderr.trim()}`);
      ctx.skip();
    }
    expect(child.stderr).toBe('');
    const result = JSON.parse(child.stdout) as {
      unsupported: boolean; defaultBuild: string;
      cases: { shape: (number | string)[]; worstOverTolerance: number; differ: number; threadDiffs: number; packedDiffs: number }[];
    };
    if (result.unsupported) {
      console.warn(`relaxed SIMD test skipped: ${process.version} with ${FLAG} still does not validate f32x4.relaxed_madd`);
      ctx.skip();
    }
    expect(result.defaultBuild).toBe('relaxed');
    // On x86 with FMA V8 fuses relaxed_madd, so some elements must round differently (else the build would not be relaxed).
    console.info(`relaxed vs simd: ${result.cases.reduce((s, c) => s + c.differ, 0)} elements differ (by rounding) over ${result.cases.length} cases`);
    // The convolution cases too: their forward fuses, so some outputs must round differently.
    expect(result.cases.filter((c) => c.shape[0] === 'conv2d').reduce((s, c) => s + c.differ, 0)).toBeGreaterThan(0);
    for (const c of result.cases) {
      expect(c.worstOverTolerance, `shape ${c.shape.join(',')}`).toBeLessThanOrEqual(1);
      expect(c.threadDiffs, `shape ${c.shape.join(',')}: relaxed, 3 threads vs 1`).toBe(0);
      expect(c.packedDiffs, `shape ${c.shape.join(',')}: packed B vs plain, every engine`).toBe(0);
    }
  });
});
