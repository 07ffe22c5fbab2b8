import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CLASS_INDEX, loadCsv, loadMnistCsv } from '../../src/data/csv.js';
import { dataFailure, writeFixture } from './fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'simdnet-csv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A row in the seeds' layout: label, then 784 pixels 0–255. */
function mnistRow(label: number, seed: number): number[] {
  return [label, ...Array.from({ length: 784 }, (_, i) => (i * 7 + seed * 13) % 256)];
}

const write = (name: string, contents: string | Uint8Array): Promise<string> => writeFixture(join(dir, name), contents);

const failure = dataFailure;

describe('loadMnistCsv', () => {
  it("reads the seeds' layout with their scaling x·0.99/255 + 0.01 and one-hot labels", async () => {
    const rows = [mnistRow(5, 0), mnistRow(0, 1), mnistRow(4, 2), mnistRow(1, 3), mnistRow(9, 4)];
    const path = await write('mnist_train.csv', rows.map((r) => r.join(',')).join('\n') + '\n');
    const d = await loadMnistCsv(path, { scaling: 'seeds' });
    expect([d.rows, d.features, d.outputs]).toEqual([5, 784, 10]);
    expect([...d.labels]).toEqual([5, 0, 4, 1, 9]);
    for (let r = 0; r < 5; r++) {
      for (let p = 0; p < 784; p++) expect(d.x[r * 784 + p]).toBe(Math.fround((rows[r]![p + 1]! * 0.99) / 255 + 0.01));
      expect([...d.y.subarray(r * 10, r * 10 + 10)]).toEqual(Array.from({ length: 10 }, (_, k) => (k === rows[r]![0] ? 1 : 0)));
    }
    expect(Math.min(...d.x)).toBeCloseTo(0.01, 6);
    expect(Math.max(...d.x)).toBeCloseTo(1, 6);
  });

  it('defaults to x/255, accepts CRLF, blank lines, no final newline, decimals, index targets and a limit', async () => {
    const rows = [mnistRow(3, 5), mnistRow(7, 6), mnistRow(2, 7)];
    const text = `${rows[0]!.join(',')}\r\n\r\n${rows[1]!.join(', ')}\r\n${rows[2]!.map((v, i) => (i === 1 ? '12.5' : String(v))).join(',')}`;
    const path = await write('crlf.csv', text);
    const d = await loadMnistCsv(path, { targets: 'index' });
    expect([d.rows, d.outputs]).toEqual([3, 1]);
    expect([...d.y]).toEqual([3, 7, 2]);
    expect(d.x[784 + 10]).toBe(Math.fround(rows[1]![11]! / 255));
    expect(d.x[2 * 784]).toBe(Math.fround(12.5 / 255));
    expect(d.x.length).toBe(3 * 784);
    expect((await loadMnistCsv(path, { limit: 2 })).rows).toBe(2);
    expect((await loadMnistCsv(path, { scaling: 'raw' })).x[5]).toBe(rows[0]![6]);
  });

  it('skips a header row when told, and hints at it when not', async () => {
    const header = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(',');
    const path = await write('kaggle.csv', `${header}\n${mnistRow(8, 1).join(',')}\n`);
    expect([...(await loadMnistCsv(path, { header: true })).labels]).toEqual([8]);
    const e = await failure(loadMnistCsv(path));
    expect(e.message).toBe(`${path}, line 1, field 1: expected a number (the label), found "l" (if the file has a header row, pass { header: true })`);
  });

  it('accepts a UTF-8 byte order mark, with or without a header, and still counts lines from 1', async () => {
    const bom = '\uFEFF';
    const plain = await write('bom.csv', `${bom}${mnistRow(6, 1).join(',')}\n${mnistRow(2, 2).join(',')}\n`);
    expect([...(await loadMnistCsv(plain, { targets: 'index' })).labels]).toEqual([6, 2]);
    const header = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(',');
    const headed = await write('bom-header.csv', `${bom}${header}\n${mnistRow(4, 3).join(',')}\n`);
    expect([...(await loadMnistCsv(headed, { header: true })).labels]).toEqual([4]);
    const bad = await write('bom-bad.csv', `${bom}${mnistRow(6, 1).join(',')}\n${mnistRow(12, 2).join(',')}\n`);
    expect((await failure(loadMnistCsv(bad))).message).toBe(`${bad}, line 2, field 1: expected a label from 0 to 9, found 12`);
  });

  it('parses across chunk boundaries (more than 1 MiB of text)', async () => {
    const rows = Array.from({ length: 700 }, (_, i) => mnistRow(i % 10, i));
    const path = await write('big.csv', rows.map((r) => r.join(',')).join('\n'));
    const d = await loadMnistCsv(path, { scaling: 'raw', targets: 'index' });
    expect(d.rows).toBe(700);
    for (const r of [0, 349, 350, 699]) expect([...d.x.subarray(r * 784, (r + 1) * 784)]).toEqual(rows[r]!.slice(1));
  });

  const good = mnistRow(1, 1).join(',');
  const bad: [string, string, RegExp][] = [
    ['too few fields', mnistRow(1, 2).slice(0, 784).join(','), /, line 2: expected 785 fields \(a label and 784 pixels\), found 784$/],
    ['too many fields', [...mnistRow(1, 2), 0].join(','), /, line 2: expected 785 fields \(a label and 784 pixels\), found 786$/],
    ['a non-number', mnistRow(1, 2).map((v, i) => (i === 10 ? 'x' : v)).join(','), /, line 2, field 11: expected a number from 0 to 255, found "x"$/],
    ['an empty field', mnistRow(1, 2).map((v, i) => (i === 3 ? '' : v)).join(','), /, line 2, field 4: expected a number, found an empty field$/],
    ['a pixel above 255', mnistRow(1, 2).map((v, i) => (i === 784 ? 256 : v)).join(','), /, line 2, field 785: expected a pixel value from 0 to 255, found 256$/],
    ['a negative pixel', mnistRow(1, 2).map((v, i) => (i === 5 ? -3 : v)).join(','), /, line 2, field 6: expected a number from 0 to 255, found "-"$/],
    ['a label out of range', mnistRow(10, 2).join(','), /, line 2, field 1: expected a label from 0 to 9, found 10$/],
    ['a fractional label', mnistRow(1, 2).map((v, i) => (i === 0 ? '1.5' : v)).join(','), /, line 2, field 1: expected a label from 0 to 9, found 1.5$/],
    ['NaN', mnistRow(1, 2).map((v, i) => (i === 9 ? 'NaN' : v)).join(','), /, line 2, field 10: expected a number from 0 to 255, found "N"$/],
    ['a space inside a number', mnistRow(1, 2).map((v, i) => (i === 9 ? '1 2' : v)).join(','), /, line 2, field 10: expected "," between values, found a space inside a number$/],
  ];
  for (const [what, line, message] of bad) {
    it(`rejects ${what} with the file, line and field`, async () => {
      const path = await write(`bad-${what.replace(/ /g, '-')}.csv`, `${good}\n${line}\n${good}\n`);
      const e = await failure(loadMnistCsv(path));
      expect(e.message.startsWith(path)).toBe(true);
      expect(e.message).toMatch(message);
      expect(e.file).toBe(path);
      expect(e.line).toBe(2);
    });
  }

  it('rejects an empty file, a blank-only file and a missing file', async () => {
    const empty = await write('empty.csv', '');
    expect((await failure(loadMnistCsv(empty))).message).toBe(`${empty}, byte 0: expected MNIST CSV rows, found an empty file`);
    const blank = await write('blank.csv', '\n\n');
    expect((await failure(loadMnistCsv(blank))).message).toMatch(/blank\.csv, line \d+: expected MNIST CSV rows, found none/);
    const missing = join(dir, 'nope.csv');
    expect((await failure(loadMnistCsv(missing))).message).toBe(`${missing}: file not found`);
    expect((await failure(loadMnistCsv(dir))).message).toBe(`${dir}: expected a file, found a directory`);
  });
});

describe('loadCsv', () => {
  it('reads a header, numeric features and a label column by name', async () => {
    const path = await write('iris.csv', 'sepal,"petal, length",species,weight\n1.5,2,setosa,3\n4,-5e-1,virginica,6\n7,8,setosa,9\n');
    const d = await loadCsv(path, { label: 'species', targets: 'one-hot' });
    expect([d.rows, d.features, d.outputs]).toEqual([3, 3, 2]);
    expect(d.featureNames).toEqual(['sepal', 'petal, length', 'weight']);
    expect(d.labelName).toBe('species');
    expect(d.classNames).toEqual(['setosa', 'virginica']);
    expect([...d.x]).toEqual([1.5, 2, 3, 4, -0.5, 6, 7, 8, 9]);
    expect([...d.labels!]).toEqual([0, 1, 0]);
    expect([...d.y]).toEqual([1, 0, 0, 1, 1, 0]);
  });

  it('reads headerless files with the label by index (default last), numeric labels as values', async () => {
    const path = await write('plain.csv', '1,2,0\n3,4,1\n\n5,6,1\n');
    const d = await loadCsv(path, { header: false });
    expect(d.featureNames).toEqual(['column1', 'column2']);
    expect([...d.y]).toEqual([0, 1, 1]);
    expect([...d.labels!]).toEqual([0, 1, 1]);
    const first = await loadCsv(path, { header: false, label: 0, targets: 'index' });
    expect([...first.x]).toEqual([2, 0, 4, 1, 6, 1]);
    const tsv = await write('plain.tsv', 'a\tb\n0.5\t-2.25\n');
    const r = await loadCsv(tsv, { delimiter: '\t' });
    expect([...r.y]).toEqual([-2.25]);
    expect(r.labels).toBeUndefined();
  });

  it('names the file, line and field for bad input', async () => {
    const path = await write('bad.csv', 'a,b,y\n1,2,0\n1,oops,1\n');
    expect((await failure(loadCsv(path))).message).toBe(`${path}, line 3, field 2: expected a number in column "b", found "oops"`);
    const short = await write('short.csv', 'a,b,y\n1,2,0\n1,1\n');
    expect((await failure(loadCsv(short))).message).toBe(`${short}, line 3: expected 3 fields, found 2`);
    const empty = await write('emptyfield.csv', 'a,b,y\n1,,0\n');
    expect((await failure(loadCsv(empty))).message).toBe(`${empty}, line 2, field 2: expected a number in column "b", found an empty field`);
    const nan = await write('nan.csv', 'a,b,y\n1,NaN,0\n');
    expect((await failure(loadCsv(nan))).message).toMatch(/line 2, field 2: expected a number in column "b", found "NaN"/);
    const noLabel = await write('nolabel.csv', 'a,b,y\n1,2,\n');
    expect((await failure(loadCsv(noLabel))).message).toMatch(/line 2, field 3: expected a label, found an empty field/);
    const quote = await write('quote.csv', 'a,b,y\n"1,2,0\n');
    expect((await failure(loadCsv(quote))).message).toMatch(/line 2, field 1: expected a closing quote/);
    expect((await failure(loadCsv(path, { label: 'z' }))).message).toMatch(/line 1: expected a column named "z" in the header, found "a", "b", "y"/);
    const frac = await write('frac.csv', 'a,y\n1,0.5\n');
    expect((await failure(loadCsv(frac, { targets: 'one-hot' }))).message).toMatch(/line 2, field 2: expected a class index \(an integer ≥ 0\) for targets 'one-hot', found 0.5/);
    const headerOnly = await write('header.csv', 'a,b,y\n');
    expect((await failure(loadCsv(headerOnly))).message).toMatch(/expected data rows after the header, found none/);
    const nothing = await write('nothing.csv', '');
    expect((await failure(loadCsv(nothing))).message).toBe(`${nothing}, byte 0: expected CSV rows, found an empty file`);
    await mkdir(join(dir, 'sub'), { recursive: true });
    expect((await failure(loadCsv(join(dir, 'missing.csv')))).message).toMatch(/missing\.csv: file not found/);
  });

  it('names the right line and width for a bad row deep in a large file (past what the parser buffers)', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i % 7},${(i * 3) % 11},${i % 2}`);
    rows[15_000] = '1,2';
    const wide = await write('deep-width.csv', `a,b,label\n${rows.join('\n')}\n`);
    expect((await failure(loadCsv(wide))).message).toBe(`${wide}, line 15002: expected 3 fields, found 2`);
    rows[15_000] = '1,"2,0';
    const quote = await write('deep-quote.csv', `a,b,label\n${rows.join('\n')}\n`);
    expect((await failure(loadCsv(quote))).message).toMatch(new RegExp(`^${quote}, line 15002, field 2: expected`));
  });

  it('reads quoted fields that span lines, and names the line such a record starts on', async () => {
    const path = await write('multiline.csv', 'a,y\n1,"two\nlines"\n\n2,"b"\n3,b\n');
    const d = await loadCsv(path);
    expect(d.classNames).toEqual(['b', 'two\nlines']);
    expect([...d.labels!]).toEqual([1, 0, 0]);
    expect([...d.x]).toEqual([1, 2, 3]);
    const after = await write('multiline-after.csv', 'a,b,y\n1,2,"multi\nline"\n3,4,plain\n5,x,plain\n');
    expect((await failure(loadCsv(after))).message).toBe(`${after}, line 5, field 2: expected a number in column "b", found "x"`);
    const inside = await write('multiline-inside.csv', 'a,y\n1,cat\n"x\ny",cat\n');
    expect((await failure(loadCsv(inside))).message).toBe(`${inside}, line 3, field 1: expected a number in column "a", found "x\\ny"`);
    const width = await write('multiline-width.csv', 'a,y\n1,"p\nq"\n\n7\n');
    expect((await failure(loadCsv(width))).message).toBe(`${width}, line 5: expected 2 fields, found 1`);
    const open = await write('multiline-open.csv', 'a,b,y\n1,2,0\n3,"4,5\n6,7,8\n');
    expect((await failure(loadCsv(open))).message).toBe(`${open}, line 3, field 2: expected a closing quote, found the end of the file`);
    const bom = await write('bom-table.csv', '\uFEFFa,y\r\n1,0\r\n');
    expect((await loadCsv(bom)).featureNames).toEqual(['a']);
  });

  it('detects a header, and finds the label column by name, by the MNIST layout, or takes the last', async () => {
    const named = await write('named.csv', 'x1,Target,x2\n1,0,2\n3,1,4\n');
    const n = await loadCsv(named);
    expect([n.labelName, ...n.featureNames]).toEqual(['Target', 'x1', 'x2']);
    expect([...n.x]).toEqual([1, 2, 3, 4]);
    for (const name of ['label', 'CLASS', 'y']) {
      const d = await loadCsv(await write(`named-${name}.csv`, `${name},a,b\n1,2,3\n`));
      expect([d.labelName, [...d.x]]).toEqual([name, [2, 3]]);
    }
    const headerless = await write('headerless.csv', '1,2,0\n3,4,1\n');
    const h = await loadCsv(headerless);
    expect([h.rows, h.labelName, ...h.featureNames]).toEqual([2, 'column3', 'column1', 'column2']);
    const mnist = await write('mnist-layout.csv', [mnistRow(5, 1), mnistRow(0, 2)].map((r) => r.join(',')).join('\n'));
    const m = await loadCsv(mnist);
    expect([m.rows, m.features, m.labelName]).toEqual([2, 784, 'column1']);
    expect([...m.labels!]).toEqual([5, 0]);
    expect([...m.x.subarray(0, 784)]).toEqual(mnistRow(5, 1).slice(1));
    const other = await write('other.csv', 'a,b,c\n1,2,3\n');
    expect((await loadCsv(other)).labelName).toBe('c');
    expect((await loadCsv(headerless, { header: true })).rows).toBe(1);
  });

  it('keeps integer labels as class indices without class names, and refuses indices above MAX_CLASS_INDEX', async () => {
    const ints = await loadCsv(await write('ints.csv', 'a,y\n1,2\n2,0\n'), { targets: 'one-hot' });
    expect(ints.classNames).toBeUndefined();
    expect([ints.outputs, ...ints.labels!]).toEqual([3, 2, 0]);
    expect(MAX_CLASS_INDEX).toBe(65535);
    const top = await loadCsv(await write('top.csv', `a,y\n1,0\n2,${MAX_CLASS_INDEX}\n`), { targets: 'index' });
    expect([...top.y]).toEqual([0, MAX_CLASS_INDEX]);
    const huge = await write('huge.csv', 'a,y\n1,0\n2,1000000000\n');
    for (const targets of ['index', 'one-hot'] as const) {
      expect((await failure(loadCsv(huge, { targets }))).message).toBe(
        `${huge}, line 3, field 2: expected a class index (an integer ≥ 0) for targets '${targets}', found 1000000000, which is too large for a class index (at most 65535); use targets 'value' for a numeric target`,
      );
    }
    const values = await loadCsv(huge);
    expect([...values.y]).toEqual([0, 1e9]);
    expect(values.labels).toBeUndefined();
  });

  it('counts classes over many rows without spreading them into arguments', async () => {
    const rows = 300_000;
    const path = await write('many.csv', 'a,y\n' + '1,0\n'.repeat(rows - 1) + '2,3\n');
    const d = await loadCsv(path, { targets: 'index' });
    expect([d.rows, d.labels![rows - 1]]).toEqual([rows, 3]);
  });
});
