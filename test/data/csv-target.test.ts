/**
 * loadCsv with `target`: numeric target columns for regression, their errors, and a round
 * trip of random numbers through a file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCsv, type CsvOptions } from '../../src/data/csv.js';
import { checkCounters, checkFinite } from '../../src/data/checked.js';
import { dataFailure, writeFixture } from './fixtures.js';

const SEED = 20261130;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'simdnet-csv-target-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const write = (name: string, contents: string): Promise<string> => writeFixture(join(dir, name), contents);

/** The rejection of `promise`, which must be an `type` (TypeError, RangeError). */
async function rejection(promise: Promise<unknown>, type: ErrorConstructor): Promise<Error> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(type);
  return error as Error;
}

const HOUSES = 'size,rooms,"price, usd",age\n50,2,100.5,10\n80,3,-2e2,1\n120,4,3.25,30\n';

describe('loadCsv with target', () => {
  it('reads one target column by name, by index and by negative index', async () => {
    const path = await write('houses.csv', HOUSES);
    for (const target of ['price, usd', 2, -2] as const) {
      const d = await loadCsv(path, { target });
      expect([d.rows, d.features, d.outputs]).toEqual([3, 3, 1]);
      expect(d.featureNames).toEqual(['size', 'rooms', 'age']);
      expect(d.targetNames).toEqual(['price, usd']);
      expect(d.targetColumns).toEqual([2]);
      expect([...d.x]).toEqual([50, 2, 10, 80, 3, 1, 120, 4, 30]);
      expect([...d.y]).toEqual([100.5, -200, 3.25]);
      expect(d.labels).toBeUndefined();
      expect(d.classNames).toBeUndefined();
      expect(d.labelName).toBeUndefined();
      expect(d.labelColumn).toBeUndefined();
    }
  });

  it('reads several targets into y in the order given, with quoted header names and headerless files', async () => {
    const path = await write('houses-multi.csv', HOUSES);
    const d = await loadCsv(path, { target: ['age', 'price, usd'] });
    expect([d.rows, d.features, d.outputs]).toEqual([3, 2, 2]);
    expect([d.featureNames, d.targetNames, d.targetColumns]).toEqual([['size', 'rooms'], ['age', 'price, usd'], [3, 2]]);
    expect([...d.x]).toEqual([50, 2, 80, 3, 120, 4]);
    expect([...d.y]).toEqual([10, 100.5, 1, -200, 30, 3.25]);
    const mixed = await loadCsv(path, { target: [0, -1] });
    expect([mixed.featureNames, mixed.targetNames]).toEqual([['rooms', 'price, usd'], ['size', 'age']]);
    expect([...mixed.y]).toEqual([50, 10, 80, 1, 120, 30]);
    const plain = await write('plain-targets.csv', '1,2,3\n4,5,6\n');
    const h = await loadCsv(plain, { target: [-1, 0] });
    expect([h.featureNames, h.targetNames, [...h.x], [...h.y]]).toEqual([['column2'], ['column3', 'column1'], [2, 5], [3, 1, 6, 4]]);
  });

  it('marks x and y as checked, so the boundary does not scan them again', async () => {
    const d = await loadCsv(await write('marked.csv', HOUSES), { target: [2, 3] });
    const scanned = checkCounters.scanned;
    checkFinite(d.x, d.features, 'x');
    checkFinite(d.y, d.outputs, 'y');
    expect(checkCounters.scanned).toBe(scanned);
  });

  it('grows x and y past their first allocation', async () => {
    const rows = 3000;
    const text = 'a,t1,b,t2\n' + Array.from({ length: rows }, (_, i) => `${i},${-i},${i / 2},${i * 4}`).join('\n');
    const d = await loadCsv(await write('grow.csv', text), { target: ['t1', 't2'] });
    expect([d.rows, d.x.length, d.y.length]).toEqual([rows, 2 * rows, 2 * rows]);
    expect([...d.y.subarray(2 * (rows - 1))]).toEqual([-(rows - 1), 4 * (rows - 1)]);
    expect([...d.x.subarray(2 * (rows - 1))]).toEqual([rows - 1, (rows - 1) / 2]);
  });

  it('keeps classification as it was, with the label column as the one target name', async () => {
    const d = await loadCsv(await write('classes.csv', 'a,species,b\n1,cat,2\n3,dog,4\n'), { label: 'species' });
    expect([d.labelName, d.labelColumn, d.targetNames, d.targetColumns, d.classNames]).toEqual(['species', 1, ['species'], [1], ['cat', 'dog']]);
    expect([...d.x, ...d.y]).toEqual([1, 2, 3, 4, 0, 1]);
  });

  it('names the file, line, field and target column for bad target values', async () => {
    const cases: [string, string, string][] = [
      ['a non-number', 'size,price\n1,2\n3,n/a\n', 'line 3, field 2: expected a number in target column "price", found "n/a"'],
      ['an empty target', 'size,price\n1,2\n3,\n', 'line 3, field 2: expected a number in target column "price", found an empty field'],
      ['a float32 overflow', 'size,price\n1,2\n3,1e39\n', 'line 3, field 2: expected a number in target column "price", found "1e39" (outside the float32 range)'],
      ['NaN', 'size,price\n1,NaN\n', 'line 2, field 2: expected a number in target column "price", found "NaN"'],
      ['Infinity', 'size,price\n1,-Infinity\n', 'line 2, field 2: expected a number in target column "price", found "-Infinity"'],
      ['a bad feature', 'size,price\nbig,2\n', 'line 2, field 1: expected a number in column "size", found "big"'],
    ];
    for (const [what, text, message] of cases) {
      const path = await write(`bad-target-${what.replace(/ /g, '-')}.csv`, text);
      const e = await dataFailure(loadCsv(path, { target: 'price' }));
      expect(e.message, what).toBe(`${path}, ${message}`);
      expect(e.file).toBe(path);
    }
  });

  it('names a missing target column and lists the header', async () => {
    const path = await write('houses-missing.csv', HOUSES);
    const e = await dataFailure(loadCsv(path, { target: ['age', 'value'] }));
    expect(e.message).toBe(`${path}, line 1: expected a target column named "value" in the header, found "size", "rooms", "price, usd", "age"`);
  });

  it('rejects contradictory or impossible target options', async () => {
    const path = await write('houses-options.csv', HOUSES);
    const typeErrors: [CsvOptions, string][] = [
      [{ target: 'age', label: 'size' }, 'loadCsv: give either label (classification) or target (regression), not both'],
      [{ target: ['age', 3] }, 'loadCsv: target column "age" is given twice'],
      [{ target: [-1, 'age'] }, 'loadCsv: target column "age" is given twice'],
      [{ target: 'age', targets: 'one-hot' }, "loadCsv: targets 'one-hot' is for a label column, not for numeric target columns"],
      [{ target: 'age', header: false }, 'loadCsv: target column "age" given by name, but header is false'],
    ];
    for (const [options, message] of typeErrors) expect((await rejection(loadCsv(path, options), TypeError)).message).toBe(message);
    expect((await rejection(loadCsv(path, { target: 4 }), RangeError)).message).toBe('loadCsv: target column 4 is outside the 4 columns');
    expect((await rejection(loadCsv(path, { target: -5 }), RangeError)).message).toBe('loadCsv: target column -5 is outside the 4 columns');
    expect((await rejection(loadCsv(path, { target: 1.5 }), RangeError)).message).toBe('loadCsv: target column 1.5 is outside the 4 columns');
    expect((await rejection(loadCsv(path, { target: [] }), RangeError)).message).toBe('loadCsv: target is an empty list; give at least one target column');
    const all = await dataFailure(loadCsv(path, { target: [0, 1, 2, 3] }));
    expect(all.message).toBe(`${path}, line 1: expected a feature column besides the targets, found only "size", "rooms", "price, usd", "age"`);
    const one = await write('one-column.csv', 'price\n1\n');
    expect((await dataFailure(loadCsv(one, { target: 0 }))).message).toBe(`${one}, line 1: expected at least 2 columns (features and a target), found 1`);
  });

  it('round-trips random numbers: every field comes back as its float32, features in file order, targets in the order given', async () => {
    const float = fc.double({ min: -3e38, max: 3e38, noNaN: true });
    const tableCase = fc
      .record({ width: fc.integer({ min: 2, max: 6 }), rows: fc.integer({ min: 1, max: 8 }) })
      .chain(({ width, rows }) =>
        fc.record({
          width: fc.constant(width),
          values: fc.array(fc.array(float, { minLength: width, maxLength: width }), { minLength: rows, maxLength: rows }),
          // A non-empty proper subset of the columns, in a random order, each named one of three ways.
          targets: fc.shuffledSubarray(Array.from({ length: width }, (_, c) => c), { minLength: 1, maxLength: width - 1 }).chain((cols) =>
            fc.tuple(...cols.map((c) => fc.constantFrom<string | number>(c, c - width, `col ${c}`))),
          ),
          pad: fc.boolean(),
        }),
      );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(tableCase, async ({ width, values, targets, pad }) => {
        const show = (v: number): string => (pad ? ' ' : '') + (Object.is(v, -0) ? '-0' : String(v));
        const header = Array.from({ length: width }, (_, c) => `"col ${c}"`).join(',');
        const path = await write(`round-trip-${run++}.csv`, [header, ...values.map((row) => row.map(show).join(','))].join('\n') + '\n');
        const d = await loadCsv(path, { target: targets });
        const columns = targets.map((t) => (typeof t === 'string' ? Number(t.slice(4)) : t < 0 ? t + width : t));
        const featureColumns = Array.from({ length: width }, (_, c) => c).filter((c) => !columns.includes(c));
        expect([d.rows, d.features, d.outputs]).toEqual([values.length, featureColumns.length, columns.length]);
        expect(d.targetColumns).toEqual(columns);
        expect(d.featureNames).toEqual(featureColumns.map((c) => `col ${c}`));
        expect(Array.from(d.x)).toEqual(values.flatMap((row) => featureColumns.map((c) => Math.fround(row[c]!))));
        expect(Array.from(d.y)).toEqual(values.flatMap((row) => columns.map((c) => Math.fround(row[c]!))));
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});
