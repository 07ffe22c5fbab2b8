/**
 * The machinery every peer shares: interleaved timing, medians, ratios against simdnet, the
 * markdown tables and the result files. Peer modules know their library; this one knows none.
 */
import { mkdirSync, writeFileSync } from 'node:fs';

/** A seeded uniform stream in [0, 1) (mulberry32), so inputs are the same for every peer and run. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` floats uniform in [lo, hi) from `seed`. */
export function randomFloats(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const next = seededRandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

/** Fisher–Yates shuffle in place with a seeded stream. */
export function shuffleInPlace(order: Uint32Array, next: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Calls per second of `fn`, calling it until at least `ms` milliseconds have passed (at least
 * once). When the first call returns a promise every call is awaited; otherwise the loop stays
 * synchronous, so synchronous peers pay nothing for the asynchronous ones.
 */
export async function callsPerSecond(fn: () => void | Promise<void>, ms: number): Promise<number> {
  const start = performance.now();
  const first = fn();
  let calls = 1;
  if (first instanceof Promise) {
    await first;
    while (performance.now() - start < ms) {
      await fn();
      calls++;
    }
  } else {
    while (performance.now() - start < ms) {
      fn();
      calls++;
    }
  }
  return calls / ((performance.now() - start) / 1000);
}

/** One contender in an interleaved measurement. */
export interface Slot {
  /** Peer id, the key of the returned map. */
  readonly peer: string;
  /** Make the peer's runtime current before its turn (e.g. switch the TensorFlow.js backend). */
  readonly activate: () => Promise<void>;
  /** One timed turn; returns a throughput (bigger is better). */
  readonly turn: () => Promise<number> | number;
}

/**
 * Run `warmups` untimed turns per slot, then `rounds` timed rounds. Each round visits every
 * slot once, starting one slot later than the round before (A B C, B C A, C A B …), so slow
 * drift on a shared machine and "who ran right after whom" hit every peer alike.
 */
export async function interleave(slots: readonly Slot[], rounds: number, warmups = 1): Promise<Map<string, number[]>> {
  for (let w = 0; w < warmups; w++) {
    for (const slot of slots) {
      await slot.activate();
      await slot.turn();
    }
  }
  const out = new Map<string, number[]>(slots.map((s) => [s.peer, []]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[(r + i) % slots.length]!;
      await slot.activate();
      out.get(slot.peer)!.push(await slot.turn());
    }
  }
  return out;
}

/** Largest |a − b| relative to the largest |b|: how far a peer's output is from the plain-JS one. */
export function relativeError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= diff)) diff = d; // NaN counts as the worst difference
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / (scale || 1);
}

/** The sections of the report, in print order. */
export type Section = 'training' | 'inference' | 'gemm' | 'activation';
export const SECTIONS: readonly Section[] = ['training', 'inference', 'gemm', 'activation'];

/** One measured (case, peer) pair. Every row carries its machine and library version. */
export interface ResultRow {
  section: Section;
  /** What was measured, e.g. `784-128-64-10, batch 128` or `(128×784)ᵀ·(128×128)`. */
  case: string;
  /** Peer id (`simdnet`, `tfjs-wasm` …). */
  peer: string;
  /** Library and version, e.g. `@tensorflow/tfjs-backend-wasm 4.22.0`. */
  library: string;
  /** Unit of {@link ResultRow.median} and {@link ResultRow.samples}. */
  unit: string;
  /** Median of the timed turns. */
  median: number;
  /** Every timed turn, in run order. */
  samples: number[];
  /** simdnet's median divided by this row's median, same case, same run (null when simdnet has no row). */
  simdnetSpeedup: number | null;
  /** Test accuracy reached (training rows only). */
  accuracy?: number;
  /** Training rows: samples/s × the GEMM FLOPs of one sample (see `trainingFlopsPerSample`), in GFLOP/s. */
  gflops?: number;
  /** simdnet's training rows: its GEMM rate (GFLOP/s) timed right after each epoch, median. */
  gemmRate?: number;
  /** Output check against plain JS for kernels (`ok 3e-7` or `MISMATCH …`). */
  check?: string;
  /** Anything the reader needs to interpret the row. */
  note?: string;
  /** The machine line of the run. */
  machine: string;
}

/** A bar from the issue and whether this run met it. */
export interface BarResult {
  bar: string;
  measured: string;
  met: boolean;
}

/** Fill in {@link ResultRow.simdnetSpeedup} from the simdnet row of the same section and case. */
export function addRatios(rows: ResultRow[], reference = 'simdnet'): void {
  for (const row of rows) {
    const ref = rows.find((r) => r.section === row.section && r.case === row.case && r.peer === reference);
    row.simdnetSpeedup = ref && row.median > 0 ? ref.median / row.median : null;
  }
}

/** A number with three significant digits and thousands separators (no exponent notation). */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function pct(x: number | undefined): string {
  return x === undefined ? '' : `${(100 * x).toFixed(1)} %`;
}

function ratio(x: number | null): string {
  if (x === null) return '';
  return `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`;
}

const TITLES: Record<Section, string> = {
  training: 'Training (samples/s over one epoch, median of the epochs; test accuracy after the last)',
  inference: 'Inference (forward pass, samples/s)',
  gemm: 'GEMM (C = op(A)·op(B), GFLOP/s = 2mnk / time)',
  activation: 'Activations and softmax (elements/s, in millions)',
};

/** Head of the output-check column: kernels are checked against plain JS, inference on simdnet's weights against simdnet. */
const CHECK_TITLES: Record<Section, string> = {
  training: 'output check', inference: 'output vs simdnet', gemm: 'output vs plain JS', activation: 'output vs plain JS',
};

/** The tables of one run as markdown, one table per section; `simdnet ÷ peer` > 1 means simdnet is faster. */
export function markdownTables(rows: readonly ResultRow[]): string {
  const parts: string[] = [];
  for (const section of SECTIONS) {
    const mine = rows.filter((r) => r.section === section);
    if (mine.length === 0) continue;
    const withAcc = mine.some((r) => r.accuracy !== undefined);
    const withFlops = mine.some((r) => r.gflops !== undefined);
    const withCheck = mine.some((r) => r.check !== undefined);
    const head = ['case', 'peer', `median (${mine[0]!.unit})`, 'simdnet ÷ peer'];
    if (withFlops) head.push('effective GFLOP/s');
    if (withAcc) head.push('test accuracy');
    if (withCheck) head.push(CHECK_TITLES[section]);
    head.push('note');
    const lines = [`### ${TITLES[section]}`, '', `| ${head.join(' | ')} |`, `|${head.map((_, i) => (i >= 2 && i < head.length - 1 ? '---:' : '---')).join('|')}|`];
    let lastCase = '';
    for (const r of mine) {
      const cells = [r.case === lastCase ? '' : r.case, r.peer, fmt(r.median), ratio(r.simdnetSpeedup)];
      if (withFlops) cells.push(r.gflops === undefined ? '' : fmt(r.gflops));
      if (withAcc) cells.push(pct(r.accuracy));
      if (withCheck) cells.push(r.check ?? '');
      cells.push(r.note ?? '');
      lines.push(`| ${cells.join(' | ')} |`);
      lastCase = r.case;
    }
    parts.push(lines.join('\n'));
  }
  return parts.join('\n\n');
}

/** The bars as a markdown table. */
export function markdownBars(bars: readonly BarResult[]): string {
  const lines = ['| bar (single thread, same run) | measured | met |', '|---|---|---|'];
  for (const b of bars) lines.push(`| ${b.bar} | ${b.measured} | ${b.met ? 'yes' : '**NO**'} |`);
  return lines.join('\n');
}

/** Write `<dir>/<name>.json` and `<dir>/<name>.md`; returns both paths. */
export function writeResults(dir: URL, name: string, json: unknown, markdown: string): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const jsonUrl = new URL(`${name}.json`, dir);
  const mdUrl = new URL(`${name}.md`, dir);
  writeFileSync(jsonUrl, `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(mdUrl, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  return { json: jsonUrl.pathname, md: mdUrl.pathname };
}
