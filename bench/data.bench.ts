/**
 * Data loading: parse rate of a generated 60,000 × 785 MNIST-format CSV (the seeds'
 * `mnist_train.csv` layout) and of the matching IDX pair, plain and gzipped. Reports wall
 * time, rows/s, MB/s of file bytes, and peak RSS sampled every 5 ms while each loader runs.
 *
 * The content is deterministic (seeded): about 19 % non-zero pixels, as in real MNIST, so
 * the CSV is about the real file's size. Bars from the data issue: CSV under 1.5 s with peak
 * memory under 600 MB; IDX under 0.3 s. Each loader runs once to warm up, then three times;
 * the fastest run is reported. Files live in os.tmpdir() and are removed afterwards.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadMnistCsv } from '../src/data/csv.js';
import { loadIdx } from '../src/data/idx.js';
import { Rng } from '../src/util/rng.js';

const ROWS = 60_000;
const PIXELS = 784;
const MB = 1024 * 1024;

/** Pixels and labels of the synthetic set, drawn once and written in both formats. */
function synthesize(): { pixels: Uint8Array; labels: Uint8Array } {
  const rng = new Rng(2024);
  const pixels = new Uint8Array(ROWS * PIXELS);
  const labels = new Uint8Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    labels[r] = rng.int(10);
    for (let p = 0; p < PIXELS; p++) {
      if (rng.next() < 0.19) pixels[r * PIXELS + p] = rng.next() < 0.5 ? 255 - rng.int(8) : 1 + rng.int(254);
    }
  }
  return { pixels, labels };
}

async function writeCsv(path: string, pixels: Uint8Array, labels: Uint8Array): Promise<void> {
  const digits = Array.from({ length: 256 }, (_, v) => Buffer.from(String(v)));
  const out = createWriteStream(path);
  const chunk = Buffer.allocUnsafe(4 * MB);
  let at = 0;
  const flush = async () => {
    const copy = Buffer.from(chunk.subarray(0, at));
    at = 0;
    if (!out.write(copy)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  for (let r = 0; r < ROWS; r++) {
    if (at > chunk.length - 4 * (PIXELS + 1)) await flush();
    at += digits[labels[r]!]!.copy(chunk, at);
    for (let p = 0; p < PIXELS; p++) {
      chunk[at++] = 44;
      at += digits[pixels[r * PIXELS + p]!]!.copy(chunk, at);
    }
    chunk[at++] = 10;
  }
  await flush();
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

function idxBytes(magic: number, dims: number[], data: Uint8Array): Buffer {
  const out = Buffer.alloc(4 + 4 * dims.length + data.length);
  out.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => out.writeUInt32BE(d, 4 + 4 * i));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

interface Measure {
  seconds: number;
  /** User + system CPU time: less distorted than wall time when the machine is shared. */
  cpuSeconds: number;
  peakRss: number;
  baseRss: number;
}

/** Run `load`, sampling RSS every 5 ms; the result is dropped before returning. */
async function measure(load: () => Promise<{ rows: number }>, expectedRows: number): Promise<Measure> {
  (globalThis as { gc?: () => void }).gc?.();
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 5);
  const start = performance.now();
  const cpu = process.cpuUsage();
  const data = await load();
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  clearInterval(timer);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  if (data.rows !== expectedRows) throw new Error(`bench: expected ${expectedRows} rows, loaded ${data.rows}`);
  return { seconds, cpuSeconds, peakRss, baseRss };
}

export default async function (): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'simdnet-data-bench-'));
  try {
    const t0 = performance.now();
    const { pixels, labels } = synthesize();
    const csv = join(dir, 'mnist_train.csv');
    const images = join(dir, 'train-images-idx3-ubyte');
    const labelFile = join(dir, 'train-labels-idx1-ubyte');
    await writeCsv(csv, pixels, labels);
    const imageBytes = idxBytes(0x803, [ROWS, 28, 28], pixels);
    const labelBytes = idxBytes(0x801, [ROWS], labels);
    await writeFile(images, imageBytes);
    await writeFile(labelFile, labelBytes);
    await writeFile(`${images}.gz`, gzipSync(imageBytes));
    await writeFile(`${labelFile}.gz`, gzipSync(labelBytes));
    const size = async (...paths: string[]) => (await Promise.all(paths.map((p) => stat(p)))).reduce((s, i) => s + i.size, 0);
    console.log(`generated ${ROWS} × ${PIXELS + 1} in ${((performance.now() - t0) / 1000).toFixed(1)} s (${dir})`);

    const runs: { name: string; bytes: number; bar?: string; pass?: (m: Measure) => boolean; run: () => Promise<{ rows: number }> }[] = [
      {
        name: 'CSV, seeds scaling', bytes: await size(csv), bar: '< 1.5 s, < 600 MB',
        pass: (m) => m.seconds < 1.5 && m.peakRss < 600 * MB,
        run: () => loadMnistCsv(csv, { scaling: 'seeds' }),
      },
      { name: 'CSV, unit scaling', bytes: await size(csv), run: () => loadMnistCsv(csv) },
      {
        name: 'IDX pair', bytes: await size(images, labelFile), bar: '< 0.3 s',
        pass: (m) => m.seconds < 0.3,
        run: () => loadIdx(images, labelFile),
      },
      { name: 'IDX pair, gzipped', bytes: await size(`${images}.gz`, `${labelFile}.gz`), run: () => loadIdx(`${images}.gz`, `${labelFile}.gz`) },
    ];

    console.log(`load average before the runs: ${loadavg().map((l) => l.toFixed(1)).join(', ')} (wall times stretch when other work shares the cores; CPU time less so)`);
    console.log('| loader | file MB | wall s | CPU s | rows/s | MB/s | RSS before MB | peak RSS MB | bar (on wall time) |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const r of runs) {
      await measure(r.run, ROWS); // warm-up: JIT and page cache
      const best = [await measure(r.run, ROWS), await measure(r.run, ROWS), await measure(r.run, ROWS)].sort((a, b) => a.seconds - b.seconds)[0]!;
      const bar = r.bar ? `${r.bar}: ${r.pass!(best) ? 'met' : 'MISSED'}` : '';
      console.log(
        `| ${r.name} | ${(r.bytes / MB).toFixed(1)} | ${best.seconds.toFixed(3)} | ${best.cpuSeconds.toFixed(3)} | ${Math.round(ROWS / best.seconds).toLocaleString('en-US')} | ` +
        `${(r.bytes / MB / best.seconds).toFixed(0)} | ${(best.baseRss / MB).toFixed(0)} | ${(best.peakRss / MB).toFixed(0)} | ${bar} |`,
      );
    }
    console.log(`process max RSS over the whole run: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (includes generation)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
