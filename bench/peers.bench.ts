/**
 * simdnet against its peers — TensorFlow.js (WASM and CPU backends), ONNX Runtime (Web's WASM
 * build, and the native onnxruntime-node for scale; inference only), brain.js, a hand-written
 * plain-JS MLP and simdnet's own reference backend — in one run and one table:
 * training on the bundled MNIST digits, inference, GEMM at the MLP's shapes, activations.
 *
 *   npm run bench:peers                    full suite (under 15 minutes here)
 *   npm run bench:peers -- --quick         fewer epochs, batch 128 only, shorter timings (under 2)
 *   npm run bench:peers -- --only=gemm,activation   some sections only (for profiling)
 *   npm run bench:peers -- --only=cnn      the CNN rows only (bench/peers/cnn.ts: not interleaved, simdnet on all cores too)
 *
 * Everything is single-threaded and interleaved (A B C, B C A, …) after a warm-up. Results go
 * to bench/results/peers-<date>[-quick].json and .md. A benchmark, never a test or a CI gate.
 */
import os from 'node:os';
import { machineLine } from './machine.js';
import {
  SECTIONS, addRatios, callsPerSecond, fmt, interleave, markdownBars, markdownTables, median, randomFloats,
  relativeError, writeResults, type BarResult, type ResultRow, type Section, type Slot,
} from './peers/harness.js';
import { MODELS, trainingFlopsPerSample, type Dataset, type GemmCase, type Peer, type Prepared, type TrainOptions } from './peers/peer.js';
import { bundledMnist } from './peers/data.js';
import { simdnetPeer } from './peers/simdnet.js';
import { packageVersion, tfjsPeer } from './peers/tfjs.js';
import { brainPeer } from './peers/brain.js';
import { plainJsPeer } from './peers/plain-js.js';
import { ortNativePeer, ortWebPeer } from './peers/onnxruntime.js';
import { cnnPeerRows, type CnnRow } from './peers/cnn.js';
import { loadBundledMnist } from '../src/node.js';

interface Config {
  quick: boolean;
  sections: readonly Section[];
  /** Whether the CNN rows run (bench/peers/cnn.ts): always, unless `--only` leaves out `cnn`. */
  cnn: boolean;
  /** Epochs per training case; each epoch is one timed turn. */
  epochs: number;
  batches: readonly number[];
  /** Training rows used (the quick mode trains on the first rows of the same split). */
  trainRows: number | 'all';
  learningRate: number;
  seed: number;
  /** Rows of a throwaway warm-up epoch per peer and training case. */
  warmupRows: number;
  /** Timed rounds and the length of one turn for inference and kernels. */
  rounds: number;
  turnMs: number;
  inferenceBatches: readonly number[];
}

/** The batch size of the headline rows and the bars; online learners are measured only here. */
const HEADLINE_BATCH = 128;
/** Outputs within this relative distance of plain JS count as the same answer. */
const CHECK_TOLERANCE = 1e-3;

const GEMM_CASES: readonly GemmCase[] = [
  { label: 'X·W₁ 128×784 · 784×128 (forward)', m: 128, n: 128, k: 784, transA: false, transB: false },
  { label: 'Xᵀ·dZ₁ (128×784)ᵀ · (128×128) (dW₁)', m: 784, n: 128, k: 128, transA: true, transB: false },
  { label: 'dZ₁·W₁ᵀ 128×128 · (784×128)ᵀ (dX)', m: 128, n: 784, k: 128, transA: false, transB: true },
  { label: 'A₁·W₂ 128×128 · 128×64 (forward)', m: 128, n: 64, k: 128, transA: false, transB: false },
  { label: 'A₁ᵀ·dZ₂ (128×128)ᵀ · (128×64) (dW₂)', m: 128, n: 64, k: 128, transA: true, transB: false },
  { label: 'X·W₁ 128×784 · 784×25 (tanh model)', m: 128, n: 25, k: 784, transA: false, transB: false },
];
/** The bar's shape: the weight gradient of the first layer. */
const GEMM_BAR_CASE = GEMM_CASES[1]!.label;
/** The GEMM rate training rows are set beside: the first layer's forward product, most of a step's FLOPs. */
const GEMM_RATE_CASE = GEMM_CASES[0]!.label;

interface ActivationCase {
  label: string;
  op: 'relu' | 'tanh' | 'softmax';
  rows: number;
  cols: number;
}

const ACTIVATION_CASES: readonly ActivationCase[] = [
  { label: 'relu 128×128', op: 'relu', rows: 128, cols: 128 },
  { label: 'relu 1024×1024', op: 'relu', rows: 1024, cols: 1024 },
  { label: 'tanh 128×25', op: 'tanh', rows: 128, cols: 25 },
  { label: 'tanh 1024×1024', op: 'tanh', rows: 1024, cols: 1024 },
  { label: 'softmax 128×10 (rows)', op: 'softmax', rows: 128, cols: 10 },
  { label: 'softmax 256×1000 (rows)', op: 'softmax', rows: 256, cols: 1000 },
];
const SOFTMAX_BAR_CASE = ACTIVATION_CASES[5]!.label;

function parseConfig(argv: readonly string[]): Config {
  const quick = argv.includes('--quick');
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const unknown = only?.filter((s) => s !== 'cnn' && !SECTIONS.includes(s as Section)) ?? [];
  if (unknown.length > 0) throw new RangeError(`bench peers: unknown section ${unknown.join(', ')} (have: ${SECTIONS.join(', ')}, cnn)`);
  return {
    quick,
    sections: only ? (only.filter((s) => s !== 'cnn') as Section[]) : SECTIONS,
    cnn: !only || only.includes('cnn'),
    epochs: quick ? 2 : 5,
    batches: quick ? [HEADLINE_BATCH] : [32, HEADLINE_BATCH, 512],
    trainRows: quick ? 2000 : 'all',
    learningRate: 0.1,
    seed: 7,
    warmupRows: quick ? 256 : 512,
    rounds: quick ? 3 : 5,
    turnMs: quick ? 40 : 100,
    inferenceBatches: [1, 256],
  };
}

/** Rows collected by the sections, plus the facts needed to turn them into rows. */
class Report {
  readonly rows: ResultRow[] = [];
  constructor(private readonly machine: string) {}

  add(section: Section, label: string, unit: string, peer: Peer, samples: number[], extra: Partial<ResultRow> = {}): void {
    this.rows.push({
      section, case: label, peer: peer.id, library: peer.library, unit, median: median(samples), samples,
      simdnetSpeedup: null, machine: this.machine, ...extra,
    });
  }
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function trainingSection(cfg: Config, peers: readonly Peer[], all: { train: Dataset; test: Dataset }, report: Report): Promise<void> {
  const data = { train: cfg.trainRows === 'all' ? all.train : sliceRows(all.train, cfg.trainRows), test: all.test };
  const warm = sliceRows(data.train, cfg.warmupRows);
  // simdnet's GEMM rate is timed right after each of its epochs, so the share of it a training
  // row reaches compares two measurements taken under the same load.
  const simdnet = peers.find((p) => p.id === 'simdnet');
  const gemmCase = GEMM_CASES[0]!;
  const gemmProbe = simdnet?.kernels?.gemm(gemmCase, randomFloats(gemmCase.m * gemmCase.k, 100), randomFloats(gemmCase.k * gemmCase.n, 200));
  const gemmFlops = (2 * gemmCase.m * gemmCase.n * gemmCase.k) / 1e9;
  for (const spec of MODELS) {
    for (const batchSize of cfg.batches) {
      const label = `${spec.id}, batch ${batchSize}`;
      const optionsFor = (p: Peer): TrainOptions => ({ batchSize, learningRate: p.learningRate ?? cfg.learningRate, seed: cfg.seed });
      const mine = peers.filter((p) => p.trainer && (!p.fixedBatch || batchSize === HEADLINE_BATCH));
      log(`training ${label}: ${mine.map((p) => p.id).join(', ')}`);
      for (const p of mine) {
        await p.activate();
        const t = await p.trainer!(spec, warm, optionsFor(p));
        await t.epoch();
        t.dispose();
      }
      const trainers = new Map<string, Awaited<ReturnType<NonNullable<Peer['trainer']>>>>();
      for (const p of mine) {
        await p.activate();
        trainers.set(p.id, await p.trainer!(spec, data.train, optionsFor(p)));
      }
      const gemmRates: number[] = [];
      const slots: Slot[] = mine.map((p) => ({
        peer: p.id,
        activate: () => p.activate(),
        turn: async () => {
          const start = performance.now();
          await trainers.get(p.id)!.epoch();
          const rate = data.train.rows / ((performance.now() - start) / 1000);
          if (p === simdnet && gemmProbe) gemmRates.push((await callsPerSecond(() => gemmProbe.run(), cfg.turnMs)) * gemmFlops);
          return rate;
        },
      }));
      const measured = await interleave(slots, cfg.epochs, 0);
      for (const p of mine) {
        await p.activate();
        const t = trainers.get(p.id)!;
        const accuracy = t.accuracy(data.test);
        t.dispose();
        const samples = measured.get(p.id)!;
        const note = [p.fixedBatch, p.learningRate === undefined ? undefined : `learning rate ${p.learningRate}`].filter(Boolean).join('; ');
        const gflops = (median(samples) * trainingFlopsPerSample(spec.sizes)) / 1e9;
        const gemm = p === simdnet && gemmRates.length > 0 ? { gemmRate: median(gemmRates) } : {};
        report.add('training', label, 'samples/s', p, samples, { accuracy, gflops, ...gemm, ...(note ? { note } : {}) });
        log(`  ${p.id.padEnd(11)} ${fmt(median(samples)).padStart(9)} samples/s  accuracy ${(100 * accuracy).toFixed(1)} %`);
      }
    }
  }
  gemmProbe?.dispose();
}

function sliceRows(d: Dataset, rows: number): Dataset {
  return { ...d, rows, x: d.x.subarray(0, rows * d.cols), labels: d.labels.subarray(0, rows), oneHot: d.oneHot.subarray(0, rows * d.classes) };
}

/** Time prepared work per peer, interleaved; `scale` turns calls/s into the reported unit. */
async function timePrepared(cfg: Config, work: Map<Peer, Prepared>, scale: number): Promise<Map<string, number[]>> {
  const slots: Slot[] = [...work].map(([p, w]) => ({
    peer: p.id,
    activate: () => p.activate(),
    turn: async () => (await callsPerSecond(() => w.run(), cfg.turnMs)) * scale,
  }));
  return interleave(slots, cfg.rounds, 1);
}

async function inferenceSection(cfg: Config, peers: readonly Peer[], test: Dataset, report: Report): Promise<void> {
  for (const spec of MODELS) {
    for (const batch of cfg.inferenceBatches) {
      const label = `${spec.id}, batch ${batch}`;
      log(`inference ${label}`);
      const work = new Map<Peer, Prepared>();
      for (const p of peers.filter((q) => q.forward)) {
        await p.activate();
        work.set(p, await p.forward!(spec, test.x, batch, cfg.seed));
      }
      const measured = await timePrepared(cfg, work, batch);
      // Peers running simdnet's own weights must give simdnet's answer (its last output, same input).
      const reference = [...work].find(([p]) => p.id === 'simdnet')?.[1].output();
      for (const [p, w] of work) {
        const err = p.simdnetWeights && reference ? relativeError(w.output(), reference) : undefined;
        const check = err === undefined ? undefined : err <= CHECK_TOLERANCE ? `ok (${err.toExponential(0)})` : `MISMATCH (${err.toExponential(1)})`;
        await p.activate();
        w.dispose();
        report.add('inference', label, 'samples/s', p, measured.get(p.id)!, check ? { check } : {});
      }
    }
  }
}

/**
 * Prepare the same work on every peer with kernels, check each output against plain JS, time
 * them interleaved and add the rows. `reference` must be the plain-JS peer.
 */
async function kernelCase(
  cfg: Config, section: Section, label: string, unit: string, scale: number, peers: readonly Peer[],
  prepare: (p: Peer) => Prepared, report: Report,
): Promise<void> {
  log(`${section} ${label}`);
  const work = new Map<Peer, Prepared>();
  for (const p of peers.filter((q) => q.kernels)) {
    await p.activate();
    const w = prepare(p);
    await w.run();
    work.set(p, w);
  }
  const reference = [...work].find(([p]) => p.id === 'plain-js')?.[1].output();
  const measured = await timePrepared(cfg, work, scale);
  for (const [p, w] of work) {
    const err = reference ? relativeError(w.output(), reference) : NaN;
    const check = p.id === 'plain-js' ? 'reference' : err <= CHECK_TOLERANCE ? `ok (${err.toExponential(0)})` : `MISMATCH (${err.toExponential(1)})`;
    await p.activate();
    w.dispose();
    report.add(section, label, unit, p, measured.get(p.id)!, { check });
  }
}

async function gemmSection(cfg: Config, peers: readonly Peer[], report: Report): Promise<void> {
  for (const [i, c] of GEMM_CASES.entries()) {
    const a = randomFloats(c.m * c.k, 100 + i);
    const b = randomFloats(c.k * c.n, 200 + i);
    await kernelCase(cfg, 'gemm', c.label, 'GFLOP/s', (2 * c.m * c.n * c.k) / 1e9, peers, (p) => p.kernels!.gemm(c, a, b), report);
  }
}

async function activationSection(cfg: Config, peers: readonly Peer[], report: Report): Promise<void> {
  for (const [i, c] of ACTIVATION_CASES.entries()) {
    const n = c.rows * c.cols;
    const x = randomFloats(n, 300 + i, -4, 4);
    const prepare = (p: Peer): Prepared => (c.op === 'softmax' ? p.kernels!.softmax(x, c.rows, c.cols) : p.kernels!.unary(c.op, x));
    await kernelCase(cfg, 'activation', c.label, 'M elements/s', n / 1e6, peers, prepare, report);
  }
}

function bars(rows: readonly ResultRow[], testRows: number): BarResult[] {
  const find = (section: Section, label: string, peer: string): ResultRow | undefined =>
    rows.find((r) => r.section === section && r.case === label && r.peer === peer);
  const out: BarResult[] = [];
  const trainCase = `784-128-64-10, batch ${HEADLINE_BATCH}`;
  const mine = find('training', trainCase, 'simdnet');
  for (const [peer, factor] of [['tfjs-wasm', 5], ['brain.js', 20]] as const) {
    const other = find('training', trainCase, peer);
    if (!mine || !other) continue;
    const speedup = mine.median / other.median;
    const accOk = (mine.accuracy ?? 0) >= (other.accuracy ?? 1);
    // The binomial standard error of an accuracy near 90 % measured on the test set.
    const se = 100 * Math.sqrt((0.9 * 0.1) / testRows);
    const speedOk = speedup >= factor ? 'speed met' : 'speed NOT met';
    const accText = accOk ? 'accuracy met' : 'accuracy NOT met';
    out.push({
      bar: `training ${trainCase}: simdnet ≥ ${factor}× ${peer}, accuracy ≥ ${peer}'s`,
      measured: `${speedup.toFixed(2)}× (${speedOk}); accuracy ${pctOf(mine.accuracy)} vs ${pctOf(other.accuracy)}, ` +
        `test-set standard error ±${se.toFixed(1)} pp (${accText})`,
      met: speedup >= factor && accOk,
    });
  }
  if (mine?.gflops !== undefined && mine.gemmRate !== undefined) {
    const share = mine.gflops / mine.gemmRate;
    out.push({
      bar: `training ${trainCase}: simdnet's effective GFLOP/s ≥ 85 % of the GEMM rate (${GEMM_RATE_CASE}) timed between its epochs`,
      measured: `${fmt(mine.gflops)} of ${fmt(mine.gemmRate)} GFLOP/s = ${(100 * share).toFixed(0)} %`,
      met: share >= 0.85,
    });
  }
  for (const spec of MODELS) {
    for (const batch of [1, 256]) {
      const label = `${spec.id}, batch ${batch}`;
      const ours = find('inference', label, 'simdnet');
      for (const [peer, factor] of [['ort-web', 1.3], ...(batch === 256 ? [['tfjs-wasm', 1.6] as const] : [])] as const) {
        const other = find('inference', label, peer);
        if (!ours || !other) continue;
        out.push({
          bar: `inference ${label}: simdnet ≥ ${factor}× ${peer}`,
          measured: `${fmt(ours.median)} vs ${fmt(other.median)} samples/s = ${(ours.median / other.median).toFixed(2)}×`,
          met: ours.median / other.median >= factor,
        });
      }
    }
  }
  const sm = find('activation', SOFTMAX_BAR_CASE, 'simdnet');
  const smt = find('activation', SOFTMAX_BAR_CASE, 'tfjs-wasm');
  if (sm && smt) {
    out.push({
      bar: `${SOFTMAX_BAR_CASE}: simdnet ≥ 1.5× tfjs-wasm`,
      measured: `${fmt(sm.median)} vs ${fmt(smt.median)} M elements/s = ${(sm.median / smt.median).toFixed(2)}×`,
      met: sm.median / smt.median >= 1.5,
    });
  }
  const g = find('gemm', GEMM_BAR_CASE, 'simdnet');
  const gt = find('gemm', GEMM_BAR_CASE, 'tfjs-wasm');
  if (g && gt) {
    out.push({
      bar: 'GEMM (128×784)ᵀ·(128×128): simdnet ≥ 10× tfjs-wasm',
      measured: `${fmt(g.median)} vs ${fmt(gt.median)} GFLOP/s = ${(g.median / gt.median).toFixed(2)}×`,
      met: g.median / gt.median >= 10,
    });
  }
  return out;
}

/** simdnet's training rows say what share of the GEMM rate timed between their epochs their effective rate is. */
function noteGemmShare(rows: ResultRow[]): void {
  for (const r of rows) {
    if (r.section !== 'training' || r.gflops === undefined || r.gemmRate === undefined) continue;
    const share = `${((100 * r.gflops) / r.gemmRate).toFixed(0)} % of the GEMM rate timed between its epochs (${fmt(r.gemmRate)} GFLOP/s)`;
    r.note = r.note ? `${r.note}; ${share}` : share;
  }
}

function loadAverage(): number {
  return Math.round(os.loadavg()[0]! * 100) / 100;
}

function pctOf(x: number | undefined): string {
  return x === undefined ? '?' : `${(100 * x).toFixed(1)} %`;
}

export default async function peers(): Promise<void> {
  const cfg = parseConfig(process.argv.slice(2));
  const started = performance.now();
  const machine = machineLine();
  const loadBefore = loadAverage();
  const date = new Date().toISOString().slice(0, 10);
  const only = cfg.sections === SECTIONS && cfg.cnn ? '' : ` --only=${[...cfg.sections, ...(cfg.cnn ? ['cnn'] : [])].join(',')}`;
  const command = `npm run bench:peers${cfg.quick ? ' -- --quick' : ''}${only}`;

  // Order matters only for the first round; interleave rotates it after that.
  const all: Peer[] = [
    simdnetPeer('wasm'), await tfjsPeer('wasm'), ortWebPeer(), ortNativePeer(), await tfjsPeer('cpu'), brainPeer(), plainJsPeer(), simdnetPeer('js'),
  ];
  const versions = Object.fromEntries(all.map((p) => [p.id, p.library]));
  const report = new Report(machine);
  const data = await bundledMnist();

  const sections: Record<Section, () => Promise<void>> = {
    training: () => trainingSection(cfg, all, data, report),
    inference: () => inferenceSection(cfg, all, data.test, report),
    gemm: () => gemmSection(cfg, all, report),
    activation: () => activationSection(cfg, all, report),
  };
  log(`setup ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const section of cfg.sections) {
    const t0 = performance.now();
    await sections[section]();
    log(`${section}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  let cnn: { rows: CnnRow[]; markdown: string } | undefined;
  if (cfg.cnn) {
    const t0 = performance.now();
    const digits = await loadBundledMnist({ seed: 0, scaling: 'unit', targets: 'one-hot' });
    cnn = await cnnPeerRows(digits.train, digits.test, { quick: cfg.quick, log });
    log(`cnn: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  addRatios(report.rows);
  noteGemmShare(report.rows);
  const barResults = bars(report.rows, data.test.rows);
  const minutes = (performance.now() - started) / 60000;
  const loadAfter = loadAverage();

  const setup = [
    `Training: bundled MNIST digits via simdnet's \`loadBundledMnist\` (${data.train.rows} train / ${data.test.rows} test, stratified, seed 0, pixels in [0, 1]), ` +
      `the same split for every peer${cfg.trainRows === 'all' ? '' : `, trained on its first ${cfg.trainRows} rows in quick mode`}; SGD, learning rate ${cfg.learningRate}, ${cfg.epochs} epochs, softmax + cross-entropy except brain.js; ` +
      `one warm-up epoch on ${cfg.warmupRows} rows first; samples/s is the median over the epochs, interleaved; accuracy on the test set after the last epoch. ` +
      'Each epoch is its own fit() / model.fit() / train() call (so peers can alternate), and per-call setup such as input validation counts every epoch.',
    `Inference, GEMM, activations: ${cfg.rounds} interleaved rounds of ${cfg.turnMs} ms turns after one warm-up turn; median reported; ` +
      'kernel outputs are checked against plain JS, and inference on simdnet\'s own weights (ONNX Runtime) against simdnet (max abs difference / max |reference|). ' +
      'simdnet\'s inference is the public `network.predict` on a plain { data, rows, cols } matrix, its output copied out as a user gets it.',
    `Effective GFLOP/s of a training row: samples/s × the GEMM FLOPs of one sample (forward 2·in·out per layer, weight gradients 2·in·out, ` +
      `input gradients of every layer but the first: ${MODELS.map((m) => `${m.id} ${fmt(trainingFlopsPerSample(m.sizes) / 1e6)} MFLOP`).join(', ')}); ` +
      `the GEMM rate set beside simdnet's is its median on ${GEMM_RATE_CASE}, one ${cfg.turnMs} ms turn right after each of its epochs (the same load).`,
    '`simdnet ÷ peer` is simdnet\'s median divided by the peer\'s, same case, same run: above 1 simdnet is faster.',
    ...all.flatMap((p) => p.notes),
  ];
  const markdown = [
    `## simdnet vs peers${cfg.quick ? ' (quick)' : ''}`,
    '',
    `- command: \`${command}\``,
    `- date: ${date}, wall time ${minutes.toFixed(1)} min; 1-minute load average ${loadBefore} at the start, ${loadAfter} at the end (other work on the machine)`,
    `- ${machine}`,
    `- versions: ${all.map((p) => `${p.id} = ${p.library}`).join('; ')}`,
    '',
    '### Bars',
    '',
    ...(cfg.quick
      ? [`Quick mode trains ${cfg.epochs} epochs on ${cfg.trainRows} rows, a few dozen updates at batch ${HEADLINE_BATCH}: accuracies are far from ` +
          'converged and move with initialisation and shuffling, so the full run decides the bars.', '']
      : []),
    barResults.length > 0 ? markdownBars(barResults) : '(no bar measured in this run)',
    '',
    markdownTables(report.rows),
    '',
    ...(cnn ? [cnn.markdown, ''] : []),
    '### Setup',
    '',
    ...setup.map((s) => `- ${s}`),
  ].join('\n');
  console.log(markdown);

  const partial = only === '' ? '' : `-only-${[...cfg.sections, ...(cfg.cnn ? ['cnn'] : [])].join('-')}`;
  const name = `peers-${date}${cfg.quick ? '-quick' : ''}${partial}`;
  const json = {
    command, date, machine, loadAverage: { start: loadBefore, end: loadAfter }, wallMinutes: minutes, config: cfg, versions,
    tfjsCore: packageVersion('@tensorflow/tfjs-core'), setup, bars: barResults, rows: report.rows, ...(cnn ? { cnn: cnn.rows } : {}),
  };
  const files = writeResults(new URL('./results/', import.meta.url), name, json, markdown);
  console.log(`\nwrote ${files.json} and ${files.md}`);
}
