/**
 * Building the demo (and the single-file library) into a temporary folder with Vite's API,
 * so a test run never touches demo/dist or dist/.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const demoDir = fileURLToPath(new URL('../../../demo/', import.meta.url));

/** Build the Vite config `config` (a file under demo/) into a new temporary folder; returns it. */
export async function buildWithVite(config: string): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'simdnet-web-'));
  await build({ configFile: join(demoDir, config), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}
