/**
 * Which WASM build is chosen when none is asked for: the fastest the runtime validates
 * (relaxed SIMD, SIMD, scalar), and for engines only among builds that can be had now.
 * Detection is overridden here, so no relaxed module is instantiated (Node 20 would refuse it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { overrideRelaxedSimdSupport, overrideSimdSupport, relaxedSimdSupported } from '../../src/wasm/features.js';
import { defaultBuild, preferredBuild, preferredInlineBuild } from '../../src/wasm/loader.js';

afterEach(() => {
  overrideRelaxedSimdSupport(undefined);
  overrideSimdSupport(undefined);
});

describe('build choice', () => {
  it.each([
    { relaxed: true, simd: true, want: 'relaxed' },
    { relaxed: false, simd: true, want: 'simd' },
    { relaxed: undefined, simd: false, want: 'scalar' }, // no SIMD: no relaxed SIMD either
  ] as const)('relaxed $relaxed, simd $simd: preferred and default $want, shared or not', async ({ relaxed, simd, want }) => {
    overrideRelaxedSimdSupport(relaxed);
    overrideSimdSupport(simd);
    expect(preferredBuild()).toBe(want);
    expect(relaxedSimdSupported()).toBe(want === 'relaxed');
    // Node compiles any build on demand, so the default is the preferred build.
    expect([defaultBuild(false), defaultBuild(true)]).toEqual([want, want]);
    // The repository's inline modules carry every build.
    expect(await preferredInlineBuild()).toBe(want);
  });
});
