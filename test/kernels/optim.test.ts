/**
 * Optimizer kernels in both WASM builds: three consecutive steps against the f64 reference
 * for every size (weights and state compared after each step, gradient untouched), plus
 * hand-computed single steps. Hyper-parameters are f32-exact so that only kernel rounding is
 * measured (the WASM ABI passes them as f32).
 *
 * Tolerance: rtol 4 eps on w (a short chain of f32 operations: ≤ 4 roundings; the bias
 * corrections are f32 reciprocals), 12 eps on state (see STATE_RTOL), plus absolute terms for cancellation,
 * where the result is small but the rounding happened on the larger operands:
 * w = w − step rounds at eps·|w| (|w| ≤ ~1.1 here) and the step, ≤ ~4·lr, carries ≲ 8 eps;
 * momentum's v = μv + g rounds at eps·(|μv| + |g|) ≤ 8 eps (|v| ≤ 5.5, |g| ≤ 2 over three
 * steps); Adam's m likewise at ≤ eps·0.4; rmsprop's s and Adam's v are sums of non-negative
 * terms and need no absolute slack.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectClose, makeRig, randomArray } from '../helpers/harness.js';

const SIZES = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 1000, 4099];
const EPS = 2 ** -24;
const f = Math.fround;
const LR = f(0.01), MU = f(0.9), RHO = f(0.9), B1 = f(0.9), B2 = f(0.999), E = f(1e-7);

const rig = makeRig();
afterEach(() => rig.releaseAll());

type Opt = 'sgd' | 'momentum' | 'nesterov' | 'rmsprop' | 'adam';
const OPTS: [Opt, number][] = [['sgd', 0], ['momentum', 1], ['nesterov', 1], ['rmsprop', 1], ['adam', 2]];
// ≤ 4 roundings per step, and the previous steps' differences carried along (scaled by the
// decay, ≤ 1): after three steps ≤ 12 eps.
const STATE_RTOL = 12 * EPS;
const W_ATOL = 3 * EPS + 32 * EPS * LR;
const STATE_ATOL: Record<Opt, number> = { sgd: 0, momentum: 16 * EPS, nesterov: 16 * EPS, rmsprop: 1e-38, adam: EPS };

describe.each(rig.builds.map((b) => [b.flavor, b] as const))('%s optimizers', (_name, k) => {
  it.each(OPTS)('%s: three steps match the reference at every size', (opt, states) => {
    for (const n of SIZES) {
      const ws = randomArray(n, 111 + n, -1, 1);
      const w = rig.buffer(n, ws);
      const wRef = rig.buffer(n, ws);
      const st = Array.from({ length: states }, () => rig.buffer(n, new Float32Array(n)));
      const stRef = Array.from({ length: states }, () => rig.buffer(n, new Float32Array(n)));
      for (let t = 1; t <= 3; t++) {
        const gs = randomArray(n, 1000 * t + n, -2, 2);
        const g = rig.buffer(n, gs);
        const run = (kk: typeof k, ww: number, s: number[]): void => {
          if (opt === 'sgd') kk.sgd(ww, g, n, LR);
          else if (opt === 'momentum' || opt === 'nesterov') kk.momentum(ww, g, s[0]!, n, LR, MU, opt === 'nesterov');
          else if (opt === 'rmsprop') kk.rmsprop(ww, g, s[0]!, n, LR, RHO, E);
          else kk.adam(ww, g, s[0]!, s[1]!, n, LR, B1, B2, E, t);
        };
        run(rig.ref, wRef, stRef);
        run(k, w, st);
        const what = `${opt} n=${n} step ${t}`;
        expectClose(rig.read(w, n), rig.read(wRef, n), 4 * EPS, W_ATOL, `${what} w`);
        rig.expectGuard(w, n, `${what} w`);
        for (let i = 0; i < states; i++) {
          expectClose(rig.read(st[i]!, n), rig.read(stRef[i]!, n), STATE_RTOL, STATE_ATOL[opt], `${what} state ${i}`);
          rig.expectGuard(st[i]!, n, `${what} state ${i}`);
        }
        expect(rig.read(g, n), `${what}: g changed`).toEqual(gs);
      }
      rig.releaseAll();
    }
  });

  // Hand-computed steps, 5 elements so both the vector body and the scalar tail are checked.
  const W = [1, -2, 0.5, 3, -0.25];
  const G = [0.5, -1, 2, -0.125, 1];

  it('sgd: w − lr·g', () => {
    const w = rig.buffer(5, W);
    const g = rig.buffer(5, G);
    k.sgd(w, g, 5, 0.5);
    expect(Array.from(rig.read(w, 5))).toEqual([0.75, -1.5, -0.5, 3.0625, -0.75]);
  });

  it('momentum and Nesterov from v = 0, two steps with the same gradient', () => {
    for (const nesterov of [false, true]) {
      const w = rig.buffer(5, W);
      const g = rig.buffer(5, G);
      const v = rig.buffer(5, [0, 0, 0, 0, 0]);
      k.momentum(w, g, v, 5, 0.5, 0.5, nesterov);
      // v = g; w −= 0.5·v, or with Nesterov w −= 0.5·(g + 0.5·g) = 0.75·g
      expect(Array.from(rig.read(v, 5))).toEqual(G);
      expect(Array.from(rig.read(w, 5))).toEqual(W.map((x, i) => x - (nesterov ? 0.75 : 0.5) * G[i]!));
      k.momentum(w, g, v, 5, 0.5, 0.5, nesterov);
      // v = 0.5·g + g = 1.5·g; w −= 0.5·1.5·g (= 0.75 g) or 0.5·(g + 0.75·g) (= 0.875 g)
      expect(Array.from(rig.read(v, 5))).toEqual(G.map((x) => 1.5 * x));
      expect(Array.from(rig.read(w, 5))).toEqual(W.map((x, i) => x - (nesterov ? 1.625 : 1.25) * G[i]!));
    }
  });

  it('rmsprop from s = 0: s = (1−ρ)g², w −= lr·g/(√s + eps)', () => {
    const w = rig.buffer(5, W);
    const g = rig.buffer(5, G);
    const s = rig.buffer(5, [0, 0, 0, 0, 0]);
    k.rmsprop(w, g, s, 5, 0.5, 0.75, 0);
    // 1 − ρ = 0.25 → √s = |g|/2, so every weight moves by lr·sign(g)·2 = ±1.
    expect(Array.from(rig.read(s, 5))).toEqual(G.map((x) => 0.25 * x * x));
    expect(Array.from(rig.read(w, 5))).toEqual(W.map((x, i) => x - Math.sign(G[i]!)));
  });

  it('adam step 1 from zeros moves each weight by lr·sign(g) (bias correction undoes 1 − β)', () => {
    const w = rig.buffer(5, W);
    const g = rig.buffer(5, G);
    const m = rig.buffer(5, [0, 0, 0, 0, 0]);
    const v = rig.buffer(5, [0, 0, 0, 0, 0]);
    k.adam(w, g, m, v, 5, LR, B1, B2, E, 1);
    expectClose(rig.read(m, 5), G.map((x) => (1 - B1) * x), 2 * EPS, 0, 'm');
    expectClose(rig.read(v, 5), G.map((x) => (1 - B2) * x * x), 2 * EPS, 0, 'v');
    // Exactly w − lr·g/(|g| + eps); |g| ≥ 0.125 so eps shifts the step by < 1e-6 relative.
    expectClose(rig.read(w, 5), W.map((x, i) => x - LR * Math.sign(G[i]!)), 0, 4 * EPS * 3 + 1e-6 * LR, 'w');
  });

  it('adam at step 1000 applies the bias correction for t (not step 1)', () => {
    const w = rig.buffer(5, W);
    const g = rig.buffer(5, G);
    const m = rig.buffer(5, G.map((x) => 0.5 * x));
    const v = rig.buffer(5, G.map((x) => 0.25 * x * x));
    const wRef = rig.buffer(5, W);
    const mRef = rig.buffer(5, G.map((x) => 0.5 * x));
    const vRef = rig.buffer(5, G.map((x) => 0.25 * x * x));
    k.adam(w, g, m, v, 5, LR, B1, B2, E, 1000);
    rig.ref.adam(wRef, g, mRef, vRef, 5, LR, B1, B2, E, 1000);
    expectClose(rig.read(w, 5), rig.read(wRef, 5), 4 * EPS, W_ATOL, 'w');
    // Hand check of one element: m = 0.9·0.25 + 0.1·0.5 = 0.275, v = 0.999·0.0625 + 0.001·0.25,
    // 1 − 0.9^1000 = 1, 1 − 0.999^1000 = 0.632305…
    const vh = 0.999 * 0.0625 + 0.001 * 0.25;
    const want = 1 - 0.01 * 0.275 / (Math.sqrt(vh / (1 - 0.999 ** 1000)) + 1e-7);
    expect(Math.abs(rig.read(w, 1)[0]! - want)).toBeLessThanOrEqual(2e-7);
  });
});
