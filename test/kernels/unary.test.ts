/**
 * Activation kernels (f32_act_forward / f32_act_backward) in both WASM builds against the f64
 * reference, over every tail length, in place, at awkward points, and in a dense accuracy
 * sweep of the polynomial approximations in assembly/math.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Act, type ActCode } from '../../src/backend/kernels.js';
import { wasmUrl } from '../../src/wasm/loader.js';
import { expectClose, makeRig, randomArray } from '../helpers/harness.js';

const SIZES = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 1000, 4099];
const ACTS = Object.entries(Act) as [string, ActCode][];
const LEAK = 0.1;

// Forward: the WASM transcendental helpers are within ~2e-7 relative of the f64 oracle (see
// the sweep below) and the reference adds ≤ 0.5 ulp (6e-8) when storing; 4e-7 covers both.
// atol 1e-38 only matters where results are subnormal (sigmoid/softplus of z ≲ −87).
const FWD_RTOL = 4e-7;
const FWD_ATOL = 1e-38;
// Backward: both sides evaluate the same formula on the same f32 a/z; WASM rounds each f32
// step (≤ 3 roundings ≈ 2e-7 relative) and 1 − a² can cancel, so allow 2e-7 absolute for
// |da| ≤ 1. Softplus recomputes σ(z) (≤ 2e-7).
const BWD_RTOL = 5e-7;
const BWD_ATOL = 2e-7;

const rig = makeRig();
afterEach(() => rig.releaseAll());

function inputs(act: ActCode, n: number, seed: number): Float32Array {
  const x = randomArray(n, seed, -8, 8);
  // Exact zeros exercise the z > 0 convention of step/ReLU/leaky.
  for (let i = 0; i < n; i += 7) x[i] = 0;
  if (act === Act.sigmoid || act === Act.softplus) for (let i = 3; i < n; i += 11) x[i] = x[i]! * 12;
  return x;
}

describe.each(rig.builds.map((b) => [b.flavor, b] as const))('%s activations', (_name, k) => {
  it.each(ACTS)('%s forward matches the reference for every size, also in place', (name, act) => {
    for (const n of SIZES) {
      const xs = inputs(act, n, 11 + n);
      const x = rig.buffer(n, xs);
      const y = rig.buffer(n);
      const yRef = rig.buffer(n);
      rig.ref.activationForward(act, LEAK, x, yRef, n);
      k.activationForward(act, LEAK, x, y, n);
      const expected = rig.read(yRef, n);
      expectClose(rig.read(y, n), expected, FWD_RTOL, FWD_ATOL, `${name} n=${n}`);
      rig.expectGuard(y, n, `${name} n=${n}`);
      expect(rig.read(x, n), `${name} n=${n}: input changed`).toEqual(xs);
      k.activationForward(act, LEAK, x, x, n);
      expectClose(rig.read(x, n), expected, FWD_RTOL, FWD_ATOL, `${name} n=${n} in place`);
      rig.expectGuard(x, n, `${name} n=${n} in place`);
      rig.releaseAll();
    }
  });

  it.each(ACTS)('%s backward matches the reference for every size, also with dz = da', (name, act) => {
    for (const n of SIZES) {
      const zs = inputs(act, n, 101 + n);
      const das = randomArray(n, 202 + n);
      const z = rig.buffer(n, zs);
      const a = rig.buffer(n);
      rig.ref.activationForward(act, LEAK, z, a, n);
      const as = rig.read(a, n);
      const da = rig.buffer(n, das);
      const dz = rig.buffer(n);
      const dzRef = rig.buffer(n);
      rig.ref.activationBackward(act, LEAK, z, a, da, dzRef, n);
      k.activationBackward(act, LEAK, z, a, da, dz, n);
      const expected = rig.read(dzRef, n);
      expectClose(rig.read(dz, n), expected, BWD_RTOL, BWD_ATOL, `${name}' n=${n}`);
      rig.expectGuard(dz, n, `${name}' n=${n}`);
      expect(rig.read(z, n)).toEqual(zs);
      expect(rig.read(a, n)).toEqual(as);
      expect(rig.read(da, n)).toEqual(das);
      k.activationBackward(act, LEAK, z, a, da, da, n);
      expectClose(rig.read(da, n), expected, BWD_RTOL, BWD_ATOL, `${name}' n=${n} dz = da`);
      rig.expectGuard(da, n, `${name}' n=${n} dz = da`);
      rig.releaseAll();
    }
  });

  // Values at the points where implementations usually go wrong, checked against numbers
  // worked out by hand (not against the reference), each through a vector lane (first 4
  // copies) and the scalar tail (5th copy).
  const f32 = Math.fround;
  const forwardPoints: [string, ActCode, number, number][] = [
    ['sigmoid(0)', Act.sigmoid, 0, 0.5],
    ['sigmoid(100)', Act.sigmoid, 100, 1],
    ['sigmoid(-100)', Act.sigmoid, -100, f32(Math.exp(-100))],
    ['sigmoid(20)', Act.sigmoid, 20, f32(1 / (1 + Math.exp(-20)))],
    ['sigmoid(-20)', Act.sigmoid, -20, f32(Math.exp(-20) / (1 + Math.exp(-20)))],
    ['sigmoid(+Inf)', Act.sigmoid, Infinity, 1],
    ['sigmoid(-Inf)', Act.sigmoid, -Infinity, 0],
    ['tanh(1e-4)', Act.tanh, 1e-4, f32(Math.tanh(f32(1e-4)))],
    ['tanh(-3e-3)', Act.tanh, -3e-3, f32(Math.tanh(f32(-3e-3)))],
    ['tanh(100)', Act.tanh, 100, 1],
    ['tanh(-100)', Act.tanh, -100, -1],
    ['tanh(-Inf)', Act.tanh, -Infinity, -1],
    ['bipolar(-100)', Act.bipolarSigmoid, -100, -1],
    ['bipolar(-1e4)', Act.bipolarSigmoid, -1e4, -1],
    ['bipolar(2e-5)', Act.bipolarSigmoid, 2e-5, f32(f32(2e-5) / 2)],
    ['arctan(+Inf)', Act.arctan, Infinity, f32(Math.PI / 2)],
    ['arctan(-1e30)', Act.arctan, -1e30, f32(-Math.PI / 2)],
    ['softplus(100)', Act.softplus, 100, 100],
    ['softplus(-100)', Act.softplus, -100, f32(Math.exp(-100))],
    ['softplus(0)', Act.softplus, 0, f32(Math.LN2)],
    ['softplus(-20)', Act.softplus, -20, f32(Math.log1p(Math.exp(-20)))],
    ['step(0)', Act.binaryStep, 0, 0],
    ['step(1e-30)', Act.binaryStep, 1e-30, 1],
    ['relu(0)', Act.relu, 0, 0],
    ['relu(-1e-30)', Act.relu, -1e-30, 0],
    ['leaky(-2)', Act.leakyRelu, -2, f32(-2 * LEAK)],
    ['leaky(0)', Act.leakyRelu, 0, 0],
    ['sigmoid(NaN)', Act.sigmoid, NaN, NaN],
    ['tanh(NaN)', Act.tanh, NaN, NaN],
    ['arctan(NaN)', Act.arctan, NaN, NaN],
    ['softplus(NaN)', Act.softplus, NaN, NaN],
    ['relu(NaN)', Act.relu, NaN, NaN],
    ['step(NaN)', Act.binaryStep, NaN, 0],
  ];
  it.each(forwardPoints)('%s', (what, act, z, want) => {
    const x = rig.buffer(5, new Array(5).fill(z));
    const y = rig.buffer(5);
    k.activationForward(act, LEAK, x, y, 5);
    const got = rig.read(y, 5);
    for (let i = 0; i < 5; i++) {
      if (Number.isNaN(want)) expect(got[i], what).toBeNaN();
      else expect(Math.abs(got[i]! - want), `${what} lane ${i}: ${got[i]}`).toBeLessThanOrEqual(3e-7 * Math.abs(want));
    }
  });

  // f'(z) from (z, a), with da = 1 so dz is the derivative itself.
  const derivativePoints: [string, ActCode, number, number][] = [
    ['relu\'(0)', Act.relu, 0, 0],
    ['relu\'(1e-30)', Act.relu, 1e-30, 1],
    ['leaky\'(0)', Act.leakyRelu, 0, f32(LEAK)],
    ['leaky\'(-3)', Act.leakyRelu, -3, f32(LEAK)],
    ['step\'(0)', Act.binaryStep, 0, 0],
    ['step\'(5)', Act.binaryStep, 5, 0],
    ['identity\'(7)', Act.identity, 7, 1],
    ['sigmoid\'(0)', Act.sigmoid, 0, 0.25],
    ['sigmoid\'(20)', Act.sigmoid, 20, f32(Math.exp(-20))],
    ['sigmoid\'(-20)', Act.sigmoid, -20, f32(Math.exp(-20))],
    ['sigmoid\'(100)', Act.sigmoid, 100, 0],
    ['sigmoid\'(-100)', Act.sigmoid, -100, f32(Math.exp(-100))],
    ['tanh\'(0)', Act.tanh, 0, 1],
    ['tanh\'(100)', Act.tanh, 100, 0],
    ['tanh\'(-100)', Act.tanh, -100, 0],
    ['bipolar\'(0)', Act.bipolarSigmoid, 0, 0.5],
    ['bipolar\'(-100)', Act.bipolarSigmoid, -100, 0],
    ['bipolar\'(-1e4)', Act.bipolarSigmoid, -1e4, 0],
    ['arctan\'(0)', Act.arctan, 0, 1],
    ['arctan\'(1e20)', Act.arctan, 1e20, 0],
    ['softplus\'(0)', Act.softplus, 0, 0.5],
    ['softplus\'(100)', Act.softplus, 100, 1],
    ['softplus\'(-100)', Act.softplus, -100, f32(Math.exp(-100))],
  ];
  it.each(derivativePoints)('%s', (what, act, zv, want) => {
    const z = rig.buffer(5, new Array(5).fill(zv));
    const a = rig.buffer(5);
    k.activationForward(act, LEAK, z, a, 5);
    const da = rig.buffer(5, new Array(5).fill(1));
    const dz = rig.buffer(5);
    k.activationBackward(act, LEAK, z, a, da, dz, 5);
    const got = rig.read(dz, 5);
    // sigmoid'(±20) from a(1−a): a ≈ 1 − 2e-9 is not representable near 1, so +20 loses
    // everything to rounding (a = 1, a(1−a) = 0) — that is the a-based formula's nature.
    const tol = what === 'sigmoid\'(20)' ? Math.abs(want) : 3e-7 * Math.abs(want) + 1e-45;
    for (let i = 0; i < 5; i++) expect(Math.abs(got[i]! - want), `${what} lane ${i}: ${got[i]}`).toBeLessThanOrEqual(tol);
  });

  it('propagates NaN and Infinity in da even where the derivative is 0', () => {
    const z = rig.buffer(5, [-1, -1, -1, -1, -1]);
    const a = rig.buffer(5, [0, 0, 0, 0, 0]);
    const da = rig.buffer(5, [NaN, Infinity, 1, NaN, NaN]);
    const dz = rig.buffer(5);
    k.activationBackward(Act.relu, 0, z, a, da, dz, 5);
    const got = rig.read(dz, 5);
    expect([Number.isNaN(got[0]), Number.isNaN(got[1]), got[2], Number.isNaN(got[3]), Number.isNaN(got[4])])
      .toEqual([true, true, 0, true, true]);
  });
});

describe('accuracy sweep of the WASM approximations (SIMD lanes and scalar build)', () => {
  const N = 100_000;
  const oracle: Partial<Record<ActCode, (z: number) => number>> = {
    [Act.sigmoid]: (z) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))),
    [Act.bipolarSigmoid]: (z) => Math.tanh(z / 2),
    [Act.tanh]: Math.tanh,
    [Act.arctan]: Math.atan,
    [Act.softplus]: (z) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))),
  };
  // Max relative error against f64 over 1e5 points in [−90, 90] plus small-|z| and special
  // inputs. Measured: sigmoid 1.7e-7, bipolar 1.3e-7, tanh 1.3e-7, arctan 1.7e-7, softplus
  // 1.2e-7 (the same in both builds); the bound leaves a little room.
  const BOUND = 2.5e-7;
  const special = [0, -0, 1e-45, -1e-45, 1e-40, -1e-40, 1e-20, -1e-20, 1e-7, -1e-7, 0.62499, 0.625, 0.62501,
    0.4142135, 0.4142136, 2.4142134, 2.4142137, 87.3, -87.3, 88.72, -88.72, 88.73, -103.9, -104.1, 1e30, -1e30];
  const xs = new Float32Array(N + special.length);
  for (let i = 0; i < N; i++) xs[i] = -90 + (180 * i) / (N - 1);
  xs.set(special, N);
  // Also a log-spaced sweep near 0, where tanh/atan/bipolar must keep relative precision.
  const small = new Float32Array(2000);
  for (let i = 0; i < 1000; i++) small[i] = 10 ** (-12 + (12 * i) / 999) * 0.7;
  for (let i = 0; i < 1000; i++) small[1000 + i] = -small[i]!;

  for (const k of rig.builds) {
    it.each(Object.keys(oracle).map(Number) as ActCode[])(`${k.flavor}: activation %i within 2.5e-7 relative`, (act) => {
      for (const set of [xs, small]) {
        const x = rig.buffer(set.length, set);
        const y = rig.buffer(set.length);
        k.activationForward(act, 0, x, y, set.length);
        const got = rig.read(y, set.length);
        let worst = 0;
        let at = 0;
        for (let i = 0; i < set.length; i++) {
          const want = oracle[act]!(set[i]!);
          const g = got[i]!;
          expect(Number.isFinite(g), `act ${act} at ${set[i]} gave ${g}`).toBe(Number.isFinite(want) || Math.abs(want) > 3.4e38);
          // Subnormal results carry fewer bits; judge those absolutely.
          const err = Math.abs(want) < 1.1754944e-38 ? Math.abs(g - want) / 1.1754944e-38 : Math.abs(g - want) / Math.abs(want);
          if (err > worst) {
            worst = err;
            at = set[i]!;
          }
        }
        expect(worst, `act ${act}: worst relative error ${worst} at z = ${at}`).toBeLessThanOrEqual(BOUND);
        rig.releaseAll();
      }
    });

    it(`${k.flavor}: ±Infinity and NaN inputs`, () => {
      const x = rig.buffer(3, [Infinity, -Infinity, NaN]);
      const y = rig.buffer(3);
      const want: Partial<Record<ActCode, number[]>> = {
        [Act.sigmoid]: [1, 0, NaN], [Act.bipolarSigmoid]: [1, -1, NaN], [Act.tanh]: [1, -1, NaN],
        [Act.arctan]: [Math.fround(Math.PI / 2), -Math.fround(Math.PI / 2), NaN], [Act.softplus]: [Infinity, 0, NaN],
        [Act.relu]: [Infinity, 0, NaN], [Act.leakyRelu]: [Infinity, -Infinity, NaN], [Act.identity]: [Infinity, -Infinity, NaN],
      };
      for (const [act, w] of Object.entries(want)) {
        k.activationForward(Number(act) as ActCode, 0.5, x, y, 3);
        expect(Array.from(rig.read(y, 3)), `act ${act}`).toEqual(w);
      }
    });
  }
});

describe('WASM modules', () => {
  it('write nothing into the shared memory when instantiated (no data segments)', () => {
    // Every build, in its ordinary and its shared-memory (threads) variant.
    for (const build of ['simd', 'scalar', 'relaxed'] as const) {
      for (const shared of [false, true]) {
        const memory = new WebAssembly.Memory({ initial: 2, maximum: 4, shared });
        const bytes = new Uint8Array(memory.buffer);
        bytes.fill(0xa5);
        // Relaxed SIMD needs a runtime flag to compile (Node 20), but segments show in the binary.
        const wasm = readFileSync(wasmUrl(build, shared));
        expect(hasDataSection(wasm), `${build}${shared ? ' shared' : ''} build has a data section`).toBe(false);
        if (build === 'relaxed' && !WebAssembly.validate(wasm)) continue;
        const mod = new WebAssembly.Module(wasm);
        new WebAssembly.Instance(mod, { env: { memory, abort: () => { throw new Error('abort'); } } });
        expect(bytes.every((b) => b === 0xa5), `${build}${shared ? ' shared' : ''} build initialised memory`).toBe(true);
      }
    }
  });
});

/** True when the module binary has a data section (id 11), walking the section headers. */
function hasDataSection(wasm: Uint8Array): boolean {
  let p = 8;
  const leb = (): number => {
    let result = 0, shift = 0, byte: number;
    do {
      byte = wasm[p++]!;
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return result >>> 0;
  };
  while (p < wasm.length) {
    const id = wasm[p++]!;
    const size = leb();
    if (id === 11) return true;
    p += size;
  }
  return false;
}
