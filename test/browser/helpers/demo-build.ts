/**
 * Building the demo (and the single-file library) into a test's temporary folder with Vite's
 * API, so a test run never touches demo/dist or dist/.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const demoDir = fileURLToPath(new URL('../../../demo/', import.meta.url));

/** Build the Vite config `config` (a file under demo/) into `outDir`. */
export async function buildWithVite(config: string, outDir: string): Promise<void> {
  await build({ configFile: join(demoDir, config), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}
