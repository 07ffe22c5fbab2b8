/**
 * The package as a user gets it: `npm pack` of this repository (the build already made, so
 * packing runs no script), installed into a fresh project in a temporary folder with
 * `npm install --omit=dev`, outside the repository so nothing resolves back into it.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt, ROOT } from '../cli/run.js';

const run = promisify(execFile);
const NPM_CLI = process.env.npm_execpath?.endsWith('.js') ? process.env.npm_execpath : undefined;

/** Run npm (the one running the tests when known) in `cwd`; resolves with stdout. */
export async function npm(args: string[], cwd: string): Promise<string> {
  const [file, argv] = NPM_CLI ? [process.execPath, [NPM_CLI, ...args]] : ['npm', args];
  const { stdout } = await run(file, argv, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_loglevel: 'error', npm_config_update_notifier: 'false' } });
  return stdout;
}

/** What the package is built from, checked before packing so a missing build is named. */
const BUILT = ['dist/node.js', 'dist/index.js', 'build/simdnet.simd.wasm', 'build/simdnet.simd.inline.js', 'build/mnist-digits.bin.gz'];

/**
 * `npm pack` into a new temporary folder; returns the tarball's path. `dist/` is brought up to
 * date first as the CLI tests do (tsc), the worker bundle written again over what tsc made, and
 * the single file built when it is missing.
 */
export async function packTarball(): Promise<string> {
  ensureBuilt();
  await run(process.execPath, [join(ROOT, 'scripts', 'bundle-worker.mjs')], { cwd: ROOT });
  if (!existsSync(join(ROOT, 'dist', 'standalone', 'simdnet.js'))) await npm(['run', 'build:standalone'], ROOT);
  const missing = BUILT.filter((f) => !existsSync(join(ROOT, f)));
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}; run \`npm run build\``);
  const dir = mkdtempSync(join(tmpdir(), 'simdnet-pack-'));
  const [info] = JSON.parse(await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT)) as { filename: string }[];
  return join(dir, info!.filename);
}

/**
 * A new project in a temporary folder with `tarball` installed as a production dependency
 * (`npm install --omit=dev`), plus `extra` files (relative path → content). Returns its folder.
 */
export async function consumerProject(tarball: string, extra: Record<string, string> = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'simdnet-consumer-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  for (const [path, content] of Object.entries(extra)) writeFileSync(join(dir, path), content);
  await npm(['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', tarball], dir);
  return dir;
}

/** Bytes a folder takes on disk (allocated blocks, as `du` counts them). */
export function diskBytes(path: string): number {
  const s = statSync(path, { bigint: false });
  if (!s.isDirectory()) return s.blocks * 512;
  let total = s.blocks * 512;
  for (const entry of readdirSync(path)) total += diskBytes(join(path, entry));
  return total;
}

/** The installed packages of `nodeModules` (scoped ones as `@scope/name`), largest first, with their size on disk. */
export function packageSizes(nodeModules: string): { name: string; bytes: number }[] {
  const out: { name: string; bytes: number }[] = [];
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const inner of readdirSync(join(nodeModules, entry))) out.push({ name: `${entry}/${inner}`, bytes: diskBytes(join(nodeModules, entry, inner)) });
    } else {
      out.push({ name: entry, bytes: diskBytes(join(nodeModules, entry)) });
    }
  }
  return out.sort((a, b) => b.bytes - a.bytes);
}
