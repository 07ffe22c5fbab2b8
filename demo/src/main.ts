/**
 * The demo page's entry: choose the WASM build (`?simd=0` forces the scalar fallback, as on
 * a browser without SIMD), compile it for this thread, then wire the two views.
 */
import { init, overrideSimdSupport, simdSupported, type WasmBuild } from './simdnet.js';
import { setupDigits } from './digits.js';
import { setupPlayground } from './playground.js';
import { showBuild, showFatal } from './status.js';
import { setupTabs } from './tabs.js';

async function start(): Promise<void> {
  if (new URLSearchParams(location.search).get('simd') === '0') overrideSimdSupport(false);
  const build: WasmBuild = simdSupported() ? 'simd' : 'scalar';
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
