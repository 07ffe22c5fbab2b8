/**
 * The demo page's entry: take the build the library prefers here (relaxed SIMD in Chromium;
 * `?simd=0` forces the scalar fallback, as on a browser without SIMD), compile it for this
 * thread, then wire the two views.
 */
import { init, overrideSimdSupport, preferredBuild, type WasmBuild } from './simdnet.js';
import { setupDigits } from './digits.js';
import { setupPlayground } from './playground.js';
import { showBuild, showFatal } from './status.js';
import { setupTabs } from './tabs.js';

async function start(): Promise<void> {
  if (new URLSearchParams(location.search).get('simd') === '0') overrideSimdSupport(false);
  const build: WasmBuild = preferredBuild();
  try {
    await init({ build });
  } catch (err) {
    showFatal((err as Error).message);
    throw err;
  }
  showBuild(build);
  setupTabs(document.querySelector('[role="tablist"]')!);
  setupPlayground(build);
  setupDigits(build);
  document.body.dataset.ready = 'true';
}

void start();
