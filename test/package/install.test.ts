/**
 * The packed tarball installed with `npm install --omit=dev` in a fresh project: its size on
 * disk, what the tarball holds, that the library imports and the CLI trains and draws from
 * there, and that the shipped type declarations type-check a consumer under TypeScript's
 * `nodenext` and `bundler` module resolution.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run.js';
import { consumerProject, diskBytes, npm, packageSizes, packTarball } from './tarball.js';

const run = promisify(execFile);
/** The install budget (issue 14): the whole production install, simdnet included. */
const BUDGET = 15 * 1024 * 1024;

let tarball: string;
let project: string;
let setupError: unknown;

beforeAll(async () => {
  try {
    tarball = await packTarball();
    project = await consumerProject(tarball);
  } catch (err) {
    setupError = err;
  }
}, 300_000);

function ready(): string {
  if (setupError) throw setupError;
  return project;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe('the installed package', () => {
  it(`installs in at most ${mb(BUDGET)} with no data or charting giants among its dependencies`, () => {
    const nodeModules = join(ready(), 'node_modules');
    const total = diskBytes(nodeModules);
    const sizes = packageSizes(nodeModules);
    console.log(`npm install --omit=dev: ${mb(total)} in ${sizes.length} packages; largest:\n${sizes.slice(0, 8).map((p) => `  ${p.name.padEnd(24)} ${mb(p.bytes)}`).join('\n')}`);
    expect(total).toBeLessThanOrEqual(BUDGET);
    for (const gone of ['mnist', 'vega', 'vega-lite', 'd3-array']) expect(sizes.map((p) => p.name)).not.toContain(gone);
  });

  it('ships LICENSE, the digits, the .wasm builds and source maps that carry their sources; no TypeScript sources or .wat', async () => {
    const files = (await npm(['pack', '--dry-run', '--ignore-scripts', '--json'], ROOT)).trim();
    const paths = (JSON.parse(files) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    for (const f of ['LICENSE', 'README.md', 'build/mnist-digits.bin.gz', 'build/simdnet.simd.wasm', 'build/simdnet.relaxed.shared.wasm', 'dist/standalone/simdnet.js', 'dist/node.d.ts']) expect(paths).toContain(f);
    expect(paths.filter((p) => /\.wat$|^src\/|(?<!\.d)\.ts$/.test(p))).toEqual([]);
    const pkg = join(ready(), 'node_modules', 'simdnet');
    expect(readFileSync(join(pkg, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    const maps = paths.filter((p) => p.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(20);
    for (const m of maps) {
      const map = JSON.parse(readFileSync(join(pkg, m), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      expect(map.sourcesContent?.length, m).toBe(map.sources.length);
      expect(map.sourcesContent!.every((s) => typeof s === 'string' && s.length > 0), m).toBe(true);
    }
  });

  it("import('simdnet') trains on make_moons and reads the bundled digits", async () => {
    const script = `
      import { Network, makeMoons, loadBundledMnist } from 'simdnet';
      import { loadModel } from 'simdnet/node';
      const net = Network.mlp([2, 8, 1], { activation: 'tanh', seed: 1 });
      const moons = makeMoons(400, 0.1, 1);
      await net.fit(moons, { epochs: 300, batchSize: 'full', optimizer: 'adam', learningRate: 0.02 });
      const { train, test } = await loadBundledMnist({ train: 500, test: 100, seed: 1 });
      console.log(JSON.stringify({ accuracy: net.evaluate(moons).accuracy, rows: [train.rows, test.rows], loadModel: typeof loadModel, build: net.engine.build }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: ready() });
    const result = JSON.parse(stdout) as { accuracy: number; rows: number[]; loadModel: string; build: string };
    expect(result.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(result.rows).toEqual([500, 100]);
    expect(result.loadModel).toBe('function');
  });

  it('npx simdnet train (the npm start run, shortened) trains on the bundled digits and writes the model and the plots', async () => {
    const out = join(ready(), 'out');
    const { stdout } = await run('npx', ['--no-install', 'simdnet', 'train', '--epochs', '1', '--train-size', '1000', '--out', out], { cwd: ready() });
    expect(stdout).toMatch(/test accuracy\s+\d+\.\d\d%/);
    for (const f of ['model.sdnt', 'cost.svg', 'confusion-matrix.svg', 'test-samples.svg', 'summary.json']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(readFileSync(join(out, 'confusion-matrix.svg'), 'utf8').match(/aria-roledescription="rect mark"/g)).toHaveLength(100);
    const info = await run('npx', ['--no-install', 'simdnet', 'info'], { cwd: ready() });
    expect(info.stdout).toMatch(/simdnet 0\.\d+\.\d+/);
  });
});

/** A consumer's TypeScript, checked with the shipped declarations and the repository's compiler. */
const NODE_CONSUMER = `
import { Network, makeMoons, loadBundledMnist, saveModel, loadModel, type History } from 'simdnet';
import { loadCsv } from 'simdnet/node';
const net = Network.mlp([2, 4, 1], { activation: 'tanh' });
const history: History = await net.fit(makeMoons(100, 0.1, 1), { epochs: 1 });
const { train } = await loadBundledMnist({ train: 10, test: 10 });
await saveModel(net, 'x.sdnt');
const { network } = await loadModel('x.sdnt');
export const used = [history.steps, train.rows, network.inputs, loadCsv];
`;

const BUNDLER_CONSUMER = `
import { Network, init, makeMoons } from 'simdnet';
import { trainInWorker } from 'simdnet/browser';
import { trainInWorker as standaloneTrain, init as standaloneInit } from 'simdnet/standalone';
import { loadBundledMnist, saveModel, loadModel } from 'simdnet/node';
// @ts-expect-error the browser entry has no Node-only API: it is in 'simdnet/node'
import { loadBundledMnist as notInTheBrowserEntry } from 'simdnet';
await init();
const result = await trainInWorker({ model: { layerDims: [2, 4, 1] }, data: { x: new Float32Array(4), y: new Float32Array(2), rows: 2 }, fit: { epochs: 1 } });
export const used = [Network, makeMoons, result.network, standaloneTrain, standaloneInit, loadBundledMnist, saveModel, loadModel, notInTheBrowserEntry];
`;

describe('type declarations in a consumer', () => {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const check = async (name: string, options: Record<string, unknown>, source: string) => {
    const dir = join(ready(), name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'consumer.ts'), source);
    const compilerOptions = {
      target: 'ES2022', lib: ['ES2022', 'DOM'], strict: true, noEmit: true, skipLibCheck: false,
      typeRoots: [join(ROOT, 'node_modules', '@types')], types: ['node'], ...options,
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }, null, 2));
    const r = await run(process.execPath, [tsc, '-p', dir], { cwd: dir }).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
    expect(r.stdout).toBe('');
  };

  it('module nodenext: the Node API from simdnet and simdnet/node', () => check('ts-nodenext', { module: 'NodeNext', moduleResolution: 'NodeNext' }, NODE_CONSUMER));

  it('moduleResolution bundler: the browser API from simdnet, the Node API from simdnet/node', () =>
    check('ts-bundler', { module: 'ESNext', moduleResolution: 'Bundler' }, BUNDLER_CONSUMER));
});
