/**
 * Runs every code example of the README and of the TSDoc `@example` blocks against the source,
 * so the documentation cannot drift from the API. Each example becomes a module whose
 * `'simdnet'` imports point at src/, and is imported with the working directory set to a fresh
 * temporary folder (examples save files such as 'digits.sdnt').
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { collectExamples, type Example, markdownExamples, rewriteImports, ROOT, stripStar, tsdocExamples } from './extract.js';

const examples = collectExamples();
const modules = mkdtempSync(join(tmpdir(), 'simdnet-examples-'));
afterAll(() => rmSync(modules, { recursive: true, force: true }));

/**
 * Write the example as a module under `modules` and import it with the working directory set to
 * a fresh temporary folder; the import rejects when the example throws (top-level await included).
 */
async function runExample(example: Example): Promise<void> {
  const path = join(modules, `${example.name.replace(/[^\w.-]+/g, '_')}.ts`);
  writeFileSync(path, `${rewriteImports(example.code)}\nexport {};\n`);
  const cwd = process.cwd();
  const scratch = mkdtempSync(join(tmpdir(), 'simdnet-example-cwd-'));
  process.chdir(scratch);
  try {
    await import(/* @vite-ignore */ pathToFileURL(path).href);
  } finally {
    process.chdir(cwd);
    rmSync(scratch, { recursive: true, force: true });
  }
}

describe('documentation examples run', () => {
  // Training examples take seconds (the README's MNIST run about 3 s); allow two minutes each.
  it.each(examples.map((e) => [e.name, e] as const))('%s', async (_, example) => {
    await runExample(example);
  }, 120_000);
});

describe('example extraction', () => {
  it('finds the README block and the TSDoc examples', () => {
    expect(examples.map((e) => e.file)).toEqual(['README.md', 'src/data/batches.ts', 'src/data/mnist.ts', 'src/index.ts', 'src/network.ts', 'src/network.ts', 'src/network.ts', 'src/util/rng.ts']);
    for (const e of examples) expect(e.name).toBe(`${e.file}:${e.line}`);
  });

  it('takes only ```ts fences from Markdown, naming each by the line of its fence', () => {
    const md = ['# t', '```sh', 'npm i simdnet', '```', '', '```ts', "import { xor } from 'simdnet';", 'xor();', '```', '```', 'plain();', '```', '```js', 'js();', '```'].join('\n');
    expect(markdownExamples(md, 'X.md')).toEqual([
      { name: 'X.md:6', file: 'X.md', line: 6, code: "import { xor } from 'simdnet';\nxor();\n" },
    ]);
  });

  it('strips the leading " * " of a doc comment and keeps the indentation of the code', () => {
    expect(stripStar(' *   for (;;) {}')).toBe('  for (;;) {}');
    expect(stripStar('   *')).toBe('');
    expect(stripStar(' * a * b')).toBe('a * b');
    const src = [
      '/**',
      ' * Prose.',
      ' * ```ts',
      ' * notAnExample();',
      ' * ```',
      ' *',
      ' * @example',
      ' * ```ts',
      ' * if (ok) {',
      ' *   go();',
      ' * }',
      ' * ```',
      ' * @example',
      ' * ```html',
      ' * <script></script>',
      ' * ```',
      ' */',
      'export function f() {}',
    ].join('\n');
    expect(tsdocExamples(src, 'src/f.ts')).toEqual([{ name: 'src/f.ts:8', file: 'src/f.ts', line: 8, code: 'if (ok) {\n  go();\n}\n' }]);
  });

  it("rewrites 'simdnet' and its subpaths to the source entries, and rejects unknown subpaths", () => {
    const code = ["import { Network } from 'simdnet';", 'import type { Dataset } from "simdnet";', "const m = await import('simdnet/browser');", "import 'simdnet';", "const s = 'simdnet';"].join('\n');
    expect(rewriteImports(code, '/r')).toBe(
      ["import { Network } from '/r/src/node.ts';", 'import type { Dataset } from "/r/src/node.ts";', "const m = await import('/r/src/browser/index.ts');", "import '/r/src/node.ts';", "const s = 'simdnet';"].join('\n'),
    );
    expect(() => rewriteImports("import { x } from 'simdnet/internal';", '/r')).toThrow("example imports 'simdnet/internal', which package.json does not export");
    expect(rewriteImports("import { xor } from 'simdnet';")).toContain(`from '${ROOT}/src/node.ts'`);
  });

  it('fails when an example throws, and restores the working directory', async () => {
    const cwd = process.cwd();
    const example = (name: string, code: string): Example => ({ name, file: 'X.md', line: 1, code });
    await expect(runExample(example('X.md:1', "import { xor } from 'simdnet';\nxor(-1);\n"))).rejects.toThrow('xor: n');
    await expect(runExample(example('X.md:2', "await Promise.resolve();\nthrow new Error('late');\n"))).rejects.toThrow('late');
    expect(process.cwd()).toBe(cwd);
  });
});
