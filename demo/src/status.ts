/**
 * The status line: which WASM build runs, the training worker's threads, the latest training
 * throughput, and how long after navigation the first prediction appeared.
 */
import type { WasmBuild } from './simdnet.js';
import { formatRate, formatSeconds } from './format.js';

const BUILD_NAMES = new Map<WasmBuild, string>([['simd', 'WASM SIMD'], ['relaxed', 'WASM relaxed SIMD'], ['scalar', 'WASM scalar']]);

const buildEl = document.getElementById('status-build')!;
const rateEl = document.getElementById('status-rate')!;
const firstEl = document.getElementById('status-first')!;
const threadsEl = document.getElementById('status-threads')!;
let firstShown = false;

/** Show the build the page (and its workers) compute with. */
export function showBuild(build: WasmBuild): void {
  buildEl.textContent = BUILD_NAMES.get(build) ?? build;
  buildEl.dataset.build = build;
}

/** Show how many threads the training worker computes with, and why one if threads are off. */
export function showThreads(threads: { count: number; reason?: string }): void {
  threadsEl.textContent = threads.reason ? `1 (${threads.reason})` : String(threads.count);
  threadsEl.dataset.count = String(threads.count);
}

/**
 * A throughput meter for one run, started when the worker starts training: call it with the
 * epochs done so far (fractional within an epoch) to show the rate over the whole run. The
 * per-epoch rate the worker reports is no use for small epochs: without cross-origin isolation
 * the timer ticks in 0.1 ms, so 400 rows show as "4.00 M" or "2.00 M" samples/s.
 */
export function runMeter(rowsPerEpoch: number): (epochs: number) => void {
  const started = performance.now();
  return (epochs) => {
    const seconds = (performance.now() - started) / 1000;
    if (seconds > 0) showSamplesPerSecond((epochs * rowsPerEpoch) / seconds);
  };
}

/** Show a training throughput. */
function showSamplesPerSecond(rate: number): void {
  rateEl.textContent = formatRate(rate);
  rateEl.dataset.value = String(Math.round(rate));
}

/** Record that a prediction is on screen; only the first call counts. */
export function notePrediction(): void {
  if (firstShown) return;
  firstShown = true;
  const ms = performance.now();
  firstEl.textContent = ms >= 1000 ? `${formatSeconds(ms / 1000)} after load` : `${ms.toFixed(0)} ms after load`;
  firstEl.dataset.ms = String(Math.round(ms));
}

/** Show a problem that stops the page from working at all. */
export function showFatal(message: string): void {
  buildEl.textContent = `unavailable: ${message}`;
  buildEl.dataset.build = 'none';
}
