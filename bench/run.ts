/**
 * Runs the benchmark families: `npm run bench` runs all but the peer comparison (about 9
 * minutes; `npm run bench:peers`), `npm run bench -- gemm data` a few.
 * Each `bench/<family>.bench.ts` default-exports an async function that prints its own table.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { machineLine } from './machine.js';

const dir = fileURLToPath(new URL('.', import.meta.url));
const families = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !families.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark family: ${unknown.join(', ')} (have: ${families.join(', ')})`);
  process.exit(2);
}
console.log(machineLine());
const ON_REQUEST_ONLY = ['peers'];
for (const family of wanted.length > 0 ? wanted : families.filter((f) => !ON_REQUEST_ONLY.includes(f))) {
  console.log(`\n## ${family}`);
  const mod = (await import(`./${family}.bench.ts`)) as { default: () => Promise<void> };
  await mod.default();
}
