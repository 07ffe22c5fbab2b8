/**
 * Finds the code examples a reader sees — the README's ```ts blocks and the ```ts block of each
 * TSDoc `@example` under src/ — and turns each into a module that imports the source tree
 * instead of the published package, so test/docs/examples.test.ts can run them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in test/docs/). */
export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** One runnable example. */
export interface Example {
  /** `<file>:<line>`, the line of the opening fence, e.g. `README.md:54`. */
  name: string;
  /** Path relative to the repository root, with `/` separators. */
  file: string;
  /** 1-based line of the opening ```ts fence in `file`. */
  line: number;
  /** The code between the fences, as a reader sees it (no ` * ` prefixes). */
  code: string;
}

const FENCE_OPEN = /^\s*```(?:ts|typescript)\s*$/;
const FENCE_CLOSE = /^\s*```\s*$/;

/** Every ```ts fenced block of a Markdown text. */
export function markdownExamples(text: string, file: string): Example[] {
  const lines = text.split(/\r?\n/);
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    // Skip other fences whole, so a ```ts inside a ```md block is not taken for code.
    if (/^\s*```/.test(lines[i]!) && !FENCE_OPEN.test(lines[i]!)) {
      i = closingFence(lines, i + 1, file, i + 1);
      continue;
    }
    if (!FENCE_OPEN.test(lines[i]!)) continue;
    const end = closingFence(lines, i + 1, file, i + 1);
    out.push({ name: `${file}:${i + 1}`, file, line: i + 1, code: lines.slice(i + 1, end).join('\n') + '\n' });
    i = end;
  }
  return out;
}

/**
 * The ```ts block of every `@example` tag in the `/** … *\/` comments of a TypeScript source.
 * An `@example` without a ```ts block (prose, or an ```html block) is not code we can run and
 * is skipped.
 */
export function tsdocExamples(text: string, file: string): Example[] {
  const lines = text.split(/\r?\n/);
  const out: Example[] = [];
  let inDoc = false;
  let inExample = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (!inDoc) {
      if (/^\s*\/\*\*/.test(raw) && !raw.includes('*/', raw.indexOf('/**') + 3)) inDoc = true;
      continue;
    }
    if (/\*\//.test(raw)) {
      inDoc = inExample = false;
      continue;
    }
    const line = stripStar(raw);
    if (/^\s*@\w+/.test(line)) inExample = /^\s*@example\b/.test(line);
    if (!inExample || !FENCE_OPEN.test(line)) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/\*\//.test(lines[j]!); j++) {
      const inner = stripStar(lines[j]!);
      if (FENCE_CLOSE.test(inner)) break;
      body.push(inner);
    }
    if (j >= lines.length || /\*\//.test(lines[j]!)) throw new Error(`${file}:${i + 1}: \`\`\`ts block in @example is not closed`);
    out.push({ name: `${file}:${i + 1}`, file, line: i + 1, code: body.join('\n') + '\n' });
    i = j;
  }
  return out;
}

/** A doc-comment line without its leading ` * ` (indentation inside the code is kept). */
export function stripStar(line: string): string {
  return line.replace(/^\s*\*(?: |$)/, '');
}

function closingFence(lines: string[], from: number, file: string, openedAt: number): number {
  for (let j = from; j < lines.length; j++) if (FENCE_CLOSE.test(lines[j]!)) return j;
  throw new Error(`${file}:${openedAt}: fenced block is not closed`);
}

/** Package specifiers (see package.json `exports`) and the source file each stands for under Node. */
export const ENTRIES: Readonly<Record<string, string>> = {
  simdnet: 'src/node.ts',
  'simdnet/browser': 'src/browser/index.ts',
  'simdnet/worker': 'src/browser/worker.ts',
  'simdnet/standalone': 'src/browser/standalone.ts',
};

/**
 * Point every `'simdnet'` / `'simdnet/…'` import (static, `export … from` and dynamic) at the
 * absolute path of the matching source entry. Unknown subpaths throw, so an example cannot
 * import something the package does not export.
 */
export function rewriteImports(code: string, root: string = ROOT): string {
  return code.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(simdnet(?:\/[^'"]*)?)\2/g, (_, head: string, quote: string, specifier: string) => {
    const entry = ENTRIES[specifier];
    if (!entry) throw new Error(`example imports '${specifier}', which package.json does not export`);
    return `${head}${quote}${join(root, entry).split(sep).join('/')}${quote}`;
  });
}

/** Every example of README.md and of src/**\/*.ts, in file order. */
export function collectExamples(root: string = ROOT): Example[] {
  const examples = markdownExamples(readFileSync(join(root, 'README.md'), 'utf8'), 'README.md');
  for (const path of sourceFiles(join(root, 'src'))) {
    const file = relative(root, path).split(sep).join('/');
    examples.push(...tsdocExamples(readFileSync(path, 'utf8'), file));
  }
  return examples;
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}
