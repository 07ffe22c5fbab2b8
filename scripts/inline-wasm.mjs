#!/usr/bin/env node
/**
 * Build step, after the .wasm builds: each build/simdnet.<build>.wasm also as an ES module,
 * build/simdnet.<build>.inline.js, whose default export is the bytes in base64 (with a .d.ts
 * beside it). src/wasm/loader.ts imports these dynamically in browsers, so every bundler
 * (Vite's dev server included, esbuild, webpack) gets the kernels as a chunk it splits off and
 * loads like any other, with no `.wasm` asset to copy or serve and nothing to configure.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../build/', import.meta.url));
const builds = readdirSync(dir).filter((f) => /^simdnet\..+\.wasm$/.test(f));
if (builds.length === 0) throw new Error('no build/simdnet.*.wasm: run `npm run build:wasm` first');
for (const file of builds) {
  const name = file.replace(/\.wasm$/, '');
  const base64 = readFileSync(join(dir, file)).toString('base64');
  writeFileSync(join(dir, `${name}.inline.js`), `// ${file} in base64 (scripts/inline-wasm.mjs).\nexport default ${JSON.stringify(base64)};\n`);
  writeFileSync(join(dir, `${name}.inline.d.ts`), `/** ${file} in base64. */\ndeclare const base64: string;\nexport default base64;\n`);
}
