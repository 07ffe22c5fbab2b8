/**
 * CSV loaders. `loadMnistCsv` streams the seeds' `mnist_train.csv` layout (no header; a label
 * then 784 pixel values 0–255 per line) straight from file bytes into a Float32Array, never
 * holding the text. `loadCsv` reads ordinary tabular files (parsed by csv-parse, so quoting
 * follows RFC 4180) with a label column (classification) or numeric target columns (regression).
 */
import { open, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { CsvError, type Info, type InfoRecord, parse } from 'csv-parse';
import { type Dataset, type LabeledDataset, type TargetFormat, targetsFromLabels } from './dataset.js';
import { DataError, ioError } from './errors.js';
import { markFinite } from './checked.js';
import { type PixelScaling, checkScaling, pixelTable, scalePixel } from './pixels.js';

const CHUNK_BYTES = 1 << 20;

/** Options for {@link loadMnistCsv}. */
export interface MnistCsvOptions {
  /** Pixel scaling (default `'unit'`, x/255); `'seeds'` is x·0.99/255 + 0.01. */
  scaling?: PixelScaling;
  /** Targets as one-hot columns (default) or a single column of class indices. */
  targets?: TargetFormat;
  /** Read at most this many rows (default: all). */
  limit?: number;
  /** Pixels per row (default 784 = 28×28). */
  features?: number;
  /** Number of classes; labels must be 0..classes−1 (default 10). */
  classes?: number;
  /** Skip the first line (for variants such as Kaggle's `label,pixel0,…`). Default false. */
  header?: boolean;
}

/** Byte values the parser switches on. */
const COMMA = 44;
const NEWLINE = 10;
const RETURN = 13;
const SPACE = 32;
const TAB = 9;
const DOT = 46;
const ZERO = 48;
/** The UTF-8 byte order mark, skipped at the start of a file. */
const BOM = [0xef, 0xbb, 0xbf] as const;

/** Field flags: a decimal point was seen; whitespace followed the digits. */
const FRACTION = 1;
const TRAILING_SPACE = 2;

/** Where parsing stands: rows completed and the current 1-based line. */
interface MnistCsvParser {
  /** Parse `bytes[0..end)`; returns false once the row capacity is full. */
  feed(bytes: Uint8Array, end: number): boolean;
  /** Complete a last line that has no trailing newline. */
  finish(): void;
  rows(): number;
  line(): number;
}

/**
 * Incremental parser for MNIST-format CSV bytes, writing labels and scaled pixels straight
 * into `x` and `labels`. A digit costs one compare and a multiply-add; a comma after a plain
 * integer pixel costs a table lookup and a store; everything unusual (decimals, spaces,
 * errors) leaves the fast path through one `flags` test.
 *
 * The state between chunks lives in closure variables rather than object fields on purpose:
 * `feed` gets on-stack-replaced inside its first 1 MiB chunk, before the code after the loop
 * has ever run, and a property store there (no type feedback yet) made V8 deoptimize at the
 * end of every chunk — about 100 times per file. Context-slot stores need no feedback.
 */
function mnistCsvParser(
  file: string, x: Float32Array, labels: Int32Array, features: number, classes: number, scaling: PixelScaling, header: boolean,
): MnistCsvParser {
  const fields = features + 1;
  const table = pixelTable(scaling);
  const capacity = labels.length;
  let skipLine = header;
  let atStart = true;
  let rowsDone = 0;
  let lineAt = 1;
  let fieldAt = 0;
  let valueAt = 0;
  let digitsAt = 0;
  let fractionAt = 0;
  let flagsAt = 0;

  const fail = (detail: string, line: number, field?: number): never => {
    throw new DataError(detail, field === undefined ? { file, line } : { file, line, column: field + 1 });
  };

  /** The value of a field off the fast path (a decimal, or a label), or the error it deserves. */
  const slowField = (value: number, digits: number, fractionDigits: number, field: number, line: number): number => {
    if (digits === 0) fail('expected a number, found an empty field', line, field);
    const v = fractionDigits > 0 ? value / 10 ** fractionDigits : value;
    if (field === 0) {
      if (!Number.isInteger(v) || v >= classes) fail(`expected a label from 0 to ${classes - 1}, found ${v}`, line, 0);
      return v;
    }
    if (v > 255) fail(`expected a pixel value from 0 to 255, found ${v}`, line, field);
    return scalePixel(v, scaling);
  };

  const unexpected = (c: number, line: number, field: number): never => {
    const shown = c >= 33 && c < 127 ? JSON.stringify(String.fromCharCode(c)) : `byte 0x${c.toString(16).padStart(2, '0')}`;
    const hint = line === 1 ? ' (if the file has a header row, pass { header: true })' : '';
    return fail(`expected a number${field === 0 ? ' (the label)' : ' from 0 to 255'}, found ${shown}${hint}`, line, field);
  };

  const feed = (bytes: Uint8Array, end: number): boolean => {
    // Locals, not closure reads, inside the loop: measured ~20 % faster.
    const out = x;
    const outLabels = labels;
    const scaled = table;
    const width = features;
    const expected = fields;
    const labelLimit = classes;
    const full = capacity;
    let rows = rowsDone;
    let line = lineAt;
    let field = fieldAt;
    let value = valueAt;
    let digits = digitsAt;
    let fractionDigits = fractionAt;
    let flags = flagsAt;
    let base = rows * width - 1; // x index of pixel field f is base + f
    let i = 0;
    if (atStart) {
      // Editors on Windows save UTF-8 with a byte order mark; it is not part of the first label.
      atStart = false;
      if (end >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2]) i = 3;
    }
    if (skipLine) {
      const at = bytes.subarray(i, end).indexOf(NEWLINE);
      if (at < 0) return true;
      skipLine = false;
      line++;
      i += at + 1;
    }
    let more = true;
    for (; i < end; i++) {
      const c = bytes[i]!;
      const d = c - ZERO;
      if (d >= 0 && d <= 9) {
        if (flags !== 0) {
          if (flags & TRAILING_SPACE) fail('expected "," between values, found a space inside a number', line, field);
          fractionDigits++;
        }
        value = value * 10 + d;
        digits++;
        continue;
      }
      if (c === COMMA || c === NEWLINE) {
        // A newline ends a field unless the line is blank so far.
        if (c === COMMA || field > 0 || digits > 0 || flags !== 0) {
          if (flags === 0 && digits > 0 && field > 0 && field < expected && value <= 255) {
            out[base + field] = scaled[value]!;
          } else if (flags === 0 && digits > 0 && field === 0 && value < labelLimit) {
            outLabels[rows] = value;
          } else if (field < expected) {
            const v = slowField(value, digits, fractionDigits, field, line);
            if (field === 0) outLabels[rows] = v;
            else out[base + field] = v;
          }
          field++;
          value = 0;
          digits = 0;
          fractionDigits = 0;
          flags = 0;
          if (c === NEWLINE) {
            if (field !== expected) fail(`expected ${fields} fields (a label and ${features} pixels), found ${field}`, line);
            rows++;
            base += width;
            field = 0;
          }
        }
        if (c === NEWLINE) {
          line++;
          if (rows === full) {
            more = false;
            break;
          }
        }
        continue;
      }
      if (c === SPACE || c === TAB || c === RETURN) {
        if (digits > 0) flags |= TRAILING_SPACE;
      } else if (c === DOT && (flags & (FRACTION | TRAILING_SPACE)) === 0) {
        flags |= FRACTION;
      } else {
        unexpected(c, line, field);
      }
    }
    rowsDone = rows;
    lineAt = line;
    fieldAt = field;
    valueAt = value;
    digitsAt = digits;
    fractionAt = fractionDigits;
    flagsAt = flags;
    return more;
  };

  return {
    feed,
    finish: () => {
      if (rowsDone < capacity && (fieldAt > 0 || digitsAt > 0 || flagsAt !== 0)) feed(Uint8Array.of(NEWLINE), 1);
    },
    rows: () => rowsDone,
    line: () => lineAt,
  };
}

/**
 * Load an MNIST-format CSV (the seeds' `mnist_train.csv` / `mnist_test.csv`): no header, one
 * image per line, the label (0–9) then 784 pixel values 0–255. The file is streamed twice
 * (once to count lines so the output is allocated exactly, once to parse bytes directly into
 * it), so memory stays near the size of the result. A UTF-8 byte order mark and blank lines
 * are skipped; any malformed line throws a {@link DataError} naming the file, line and field.
 *
 * @returns x rows×784 scaled pixels, y one-hot (rows×10) or class indices, labels.
 */
export async function loadMnistCsv(path: string, options: MnistCsvOptions = {}): Promise<LabeledDataset> {
  const scaling = options.scaling ?? 'unit';
  checkScaling(scaling, 'loadMnistCsv: scaling');
  const features = options.features ?? 784;
  const classes = options.classes ?? 10;
  const format = options.targets ?? 'one-hot';
  if (!Number.isInteger(features) || features < 1) throw new RangeError(`loadMnistCsv: features must be a positive integer, got ${features}`);
  if (!Number.isInteger(classes) || classes < 1) throw new RangeError(`loadMnistCsv: classes must be a positive integer, got ${classes}`);
  const limit = options.limit ?? Infinity;
  if (!(limit >= 0)) throw new RangeError(`loadMnistCsv: limit must be ≥ 0, got ${limit}`);

  const size = await fileSize(path);
  if (size === 0) throw new DataError('expected MNIST CSV rows, found an empty file', { file: path, offset: 0 });
  const lines = await countLines(path);
  const capacity = Math.min(lines - (options.header ? 1 : 0), limit);
  const x = new Float32Array(Math.max(0, capacity) * features);
  const labels = new Int32Array(Math.max(0, capacity));
  const parser = mnistCsvParser(path, x, labels, features, classes, scaling, options.header ?? false);
  if (capacity > 0) {
    await readChunks(path, (bytes, end) => parser.feed(bytes, end));
    parser.finish();
  }
  const rows = parser.rows();
  if (rows === 0) throw new DataError('expected MNIST CSV rows, found none (the file has only blank lines or a header)', { file: path, line: parser.line() });
  // Blank lines make the line count an over-estimate; trim only then.
  const xOut = rows === capacity ? x : x.slice(0, rows * features);
  const labelsOut = rows === capacity ? labels : labels.slice(0, rows);
  return { x: markFinite(xOut), y: targetsFromLabels(labelsOut, classes, format), rows, features, outputs: format === 'one-hot' ? classes : 1, labels: labelsOut };
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return info.size;
  } catch (error) {
    throw ioError(path, error);
  }
}

/** Stream the file through `consume(bytes, length)` in 1 MiB chunks until it returns false. */
async function readChunks(path: string, consume: (bytes: Uint8Array, end: number) => boolean): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw ioError(path, error);
  }
  try {
    // A plain Uint8Array, not a Buffer: V8 indexes it noticeably faster in the hot loop.
    const buffer = new Uint8Array(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0 || !consume(buffer, bytesRead)) break;
    }
  } finally {
    await handle.close();
  }
}

/** Lines in the file: newline count, plus one if the last line has no newline. */
async function countLines(path: string): Promise<number> {
  let count = 0;
  let last = NEWLINE;
  await readChunks(path, (bytes, end) => {
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, end);
    for (let at = view.indexOf(NEWLINE); at !== -1; at = view.indexOf(NEWLINE, at + 1)) count++;
    last = view[end - 1]!;
    return true;
  });
  return count + (last === NEWLINE ? 0 : 1);
}

/**
 * The largest integer label {@link loadCsv} takes as a class index for `targets: 'index'` or
 * `'one-hot'`. Larger integers are almost surely a numeric target (a price, an id), and as
 * classes they would make every consumer allocate one output or class name per index.
 */
export const MAX_CLASS_INDEX = 65535;

/** Header names taken as the label column when none is given (compared in lower case). */
const LABEL_COLUMN_NAMES: ReadonlySet<string> = new Set(['label', 'class', 'target', 'y']);

/** Fields per record in the seeds' MNIST layout: a label and 28×28 pixels. */
const MNIST_FIELDS = 785;

/** Options for {@link loadCsv}. */
export interface CsvOptions {
  /**
   * The first record holds column names. Default: detected — the first record is a header when
   * one of its fields is not a number (empty fields count as numbers). A headerless file whose
   * first record holds a text label therefore needs `header: false`.
   */
  header?: boolean;
  /**
   * The label column: a name (needs a header) or a 0-based index; negative counts from the end.
   * Default, first that applies: the header column named `label`, `class`, `target` or `y`
   * (any case); for a headerless file in the seeds' MNIST layout (785 fields whose first is an
   * integer 0–9), column 0; otherwise the last column. Not together with `target`.
   */
  label?: string | number;
  /**
   * Numeric target columns, for regression: one column or a list, each a name (needs a header)
   * or a 0-based index; negative counts from the end. `y` then holds the targets' values in
   * the order given here (`outputs` = the number of targets), the other columns are the
   * features, and there are no labels or class names. Not together with `label`, nor with
   * `targets: 'index' | 'one-hot'`.
   */
  target?: CsvTarget;
  /** Field separator (default `,`). */
  delimiter?: string;
  /**
   * Targets: `'value'` (default) the label as a number (class index for text labels);
   * `'index'` a class index; `'one-hot'` one column per class. `'index'` and `'one-hot'` need
   * text labels or integer labels from 0 to {@link MAX_CLASS_INDEX}.
   */
  targets?: 'value' | TargetFormat;
}

/** A target column by header name or 0-based index (negative counts from the end), or a list of them. */
export type CsvTarget = string | number | readonly (string | number)[];

/** A tabular dataset with its column names. */
export interface CsvDataset extends Dataset {
  /** Names of the feature columns (`column1`, … when there is no header). */
  featureNames: string[];
  /** Names of the columns `y` comes from, in `y`'s column order: the label column, or each target column. */
  targetNames: string[];
  /** 0-based positions in the file of the columns `y` comes from, in `y`'s column order. */
  targetColumns: number[];
  /** Name of the label column; absent when loaded with `target`. */
  labelName?: string;
  /** 0-based position of the label column in the file; absent when loaded with `target`. */
  labelColumn?: number;
  /** For text labels: the class names, sorted; class i is `classNames[i]`. Absent for numeric labels and targets. */
  classNames?: string[];
}

/** What {@link loadCsv} returns without `target`: a dataset with a label column. */
export interface CsvLabelDataset extends CsvDataset {
  labelName: string;
  labelColumn: number;
}

/**
 * Load a tabular CSV: numeric feature columns plus one label column, or, with `target`, plus
 * numeric target columns (see {@link CsvOptions} for how the header and the label column are
 * chosen when not given). Parsing is RFC 4180 by csv-parse: quoted fields may hold delimiters,
 * `""` for a quote, and line breaks; a UTF-8 byte order mark and blank lines are skipped.
 *
 * Labels may be text, which become classes in sorted order (`classNames`), or numbers: integers
 * from 0 to {@link MAX_CLASS_INDEX} are class indices themselves (`labels`, no `classNames`),
 * other numbers are targets by value only (no `labels`). Target columns hold numbers only.
 * Empty fields, non-numbers, values outside the float32 range, rows of the wrong width and
 * unusable class indices throw a {@link DataError} with the file, the line a record starts on
 * and the field.
 */
export function loadCsv(path: string, options?: CsvOptions & { target?: undefined }): Promise<CsvLabelDataset>;
export function loadCsv(path: string, options: CsvOptions): Promise<CsvDataset>;
export async function loadCsv(path: string, options: CsvOptions = {}): Promise<CsvDataset> {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"') throw new TypeError(`loadCsv: delimiter must be one character other than '"', got ${JSON.stringify(delimiter)}`);
  const format = options.targets ?? 'value';
  const target = options.target;
  if (target !== undefined) {
    if (options.label !== undefined) throw new TypeError('loadCsv: give either label (classification) or target (regression), not both');
    if (format !== 'value') throw new TypeError(`loadCsv: targets '${format}' is for a label column, not for numeric target columns`);
    if (typeof target !== 'string' && typeof target !== 'number' && target.length === 0) throw new RangeError('loadCsv: target is an empty list; give at least one target column');
  }
  await fileSize(path);

  let names: string[] | undefined;
  let width = -1;
  /** Per column: FEATURE, LABEL, or the column's index in `y` (≥ 0). */
  let roles: Int32Array | undefined;
  let labelColumn = -1;
  let targetColumns: number[] = [];
  let features = 0;
  let outputs = 0;
  let x: Float32Array = new Float32Array(1024);
  let y: Float32Array = new Float32Array(0);
  let rows = 0;
  let lastLine = 0;
  const labelText: string[] = [];
  const labelLine: number[] = [];
  for await (const { fields, line } of csvRecords(path, delimiter)) {
    lastLine = line;
    if (width < 0) {
      width = fields.length;
      if (width < 2) throw new DataError(`expected at least 2 columns (features and a ${target === undefined ? 'label' : 'target'}), found ${width}`, { file: path, line });
      const header = options.header ?? looksLikeHeader(fields);
      names = header ? fields : fields.map((_, i) => `column${i + 1}`);
      roles = new Int32Array(width).fill(FEATURE);
      if (target === undefined) {
        labelColumn = resolveColumn(options.label ?? defaultLabelColumn(fields, header), 'label', names, header, path);
        roles[labelColumn] = LABEL;
        targetColumns = [labelColumn];
      } else {
        targetColumns = resolveTargetColumns(target, names, header, path);
        targetColumns.forEach((c, k) => (roles![c] = k));
        outputs = targetColumns.length;
        y = new Float32Array(1024 * outputs);
      }
      features = width - targetColumns.length;
      if (features === 0) throw new DataError(`expected a feature column besides the targets, found only ${names.map((n) => JSON.stringify(n)).join(', ')}`, { file: path, line });
      if (header) continue;
    }
    // Widths are checked here, not by csv-parse: its error comes before the records it still
    // buffers are handed over, so it would name neither the right line nor the expected width.
    if (fields.length !== width) throw new DataError(`expected ${width} fields, found ${fields.length}`, { file: path, line });
    if ((rows + 1) * features > x.length) x = grow(x);
    if ((rows + 1) * outputs > y.length) y = grow(y);
    let f = 0;
    for (let c = 0; c < width; c++) {
      const value = fields[c]!;
      const role = roles![c]!;
      if (role === LABEL) {
        if (value.trim() === '') throw new DataError('expected a label, found an empty field', { file: path, line, column: c + 1 });
        labelText.push(value);
        labelLine.push(line);
        continue;
      }
      const number = numberField(value, role === FEATURE ? 'column' : 'target column', names![c]!, path, line, c);
      if (role === FEATURE) x[rows * features + f++] = number;
      else y[rows * outputs + role] = number;
    }
    rows++;
  }
  if (width < 0) throw new DataError('expected CSV rows, found an empty file', { file: path, offset: 0 });
  if (rows === 0) throw new DataError('expected data rows after the header, found none', { file: path, line: lastLine });

  const featureNames = names!.filter((_, c) => roles![c] === FEATURE);
  const xOut = markFinite(x.length === rows * features ? x : x.slice(0, rows * features));
  if (target !== undefined) {
    return {
      x: xOut,
      y: markFinite(y.length === rows * outputs ? y : y.slice(0, rows * outputs)),
      rows,
      features,
      outputs,
      featureNames,
      targetNames: targetColumns.map((c) => names![c]!),
      targetColumns,
    };
  }
  const classes = classesOf(labelText, format, (bad, detail) => new DataError(detail, { file: path, line: labelLine[bad]!, column: labelColumn + 1 }));
  const labelY = format === 'one-hot' ? targetsFromLabels(classes.labels!, classes.count, 'one-hot') : format === 'index' ? Float32Array.from(classes.labels!) : classes.values;
  const out: CsvLabelDataset = {
    x: xOut,
    y: labelY,
    rows,
    features,
    outputs: format === 'one-hot' ? classes.count : 1,
    featureNames,
    targetNames: [names![labelColumn]!],
    targetColumns,
    labelName: names![labelColumn]!,
    labelColumn,
  };
  if (classes.labels) out.labels = classes.labels;
  if (classes.names) out.classNames = classes.names;
  return out;
}

/** Column roles in {@link loadCsv} besides a target's index in `y`. */
const FEATURE = -1;
const LABEL = -2;

/** A copy of `a` with twice the room (at least 1024 values). */
function grow(a: Float32Array): Float32Array {
  const grown = new Float32Array(Math.max(1024, a.length * 2));
  grown.set(a);
  return grown;
}

/**
 * A numeric field as the float32 it becomes, or the DataError naming the column (`kind` is
 * `column` or `target column`): 1e39 is a finite double but Infinity in float32.
 */
function numberField(value: string, kind: string, name: string, file: string, line: number, c: number): number {
  const blank = value.trim() === '';
  const number = blank ? NaN : Math.fround(Number(value));
  if (!Number.isFinite(number)) {
    const found = blank ? 'an empty field' : JSON.stringify(value);
    const range = !blank && Number.isFinite(Number(value)) ? ' (outside the float32 range)' : '';
    throw new DataError(`expected a number in ${kind} ${JSON.stringify(name)}, found ${found}${range}`, { file, line, column: c + 1 });
  }
  return number;
}

/** A record's fields and the 1-based line it starts on. */
interface CsvRecord {
  fields: string[];
  line: number;
}

/**
 * Stream the records of a CSV file through csv-parse, turning its syntax errors and I/O
 * failures into {@link DataError}s. Unquoted fields are trimmed; a quote inside an unquoted
 * field is kept as text (so the number check reports it like any other stray character).
 */
async function* csvRecords(path: string, delimiter: string): AsyncGenerator<CsvRecord> {
  const source = createReadStream(path);
  // Where the parser itself stands (it runs ahead of this loop by the records it buffers).
  const parsed = { endedAt: 0, blankLines: 0 };
  const parser = parse({
    delimiter, bom: true, info: true, skip_empty_lines: true, trim: true, relax_quotes: true, relax_column_count: true,
    on_record: (record: string[], context: InfoRecord) => {
      parsed.endedAt = context.lines;
      parsed.blankLines = context.empty_lines;
      return record;
    },
  });
  source.on('error', (error) => parser.destroy(error));
  // csv-parse reports the line a record ends on; a multi-line record's errors should name the
  // line it starts on: one past where the previous record ended, plus the blank lines skipped.
  let endedAt = 0;
  let blankLines = 0;
  try {
    for await (const { record, info } of source.pipe(parser) as AsyncIterable<{ record: string[]; info: Info }>) {
      yield { fields: record, line: endedAt + 1 + info.empty_lines - blankLines };
      endedAt = info.lines;
      blankLines = info.empty_lines;
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw ioError(path, error);
    // Records parsed before the error may still be buffered, unseen by this loop: count from
    // the last record the parser finished, not the last one this loop received.
    const skipped = typeof error['empty_lines'] === 'number' ? error['empty_lines'] - parsed.blankLines : 0;
    throw csvSyntaxError(error, { file: path, line: parsed.endedAt + 1 + skipped }, delimiter);
  } finally {
    source.destroy();
    parser.destroy();
  }
}

/** The DataError for a csv-parse error in the record starting at `where.line`. */
function csvSyntaxError(error: CsvError, where: { file: string; line: number }, delimiter: string): DataError {
  const field = typeof error['column'] === 'number' ? { column: error['column'] + 1 } : {};
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new DataError('expected a closing quote, found the end of the file', { ...where, ...field, cause: error });
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new DataError(`expected ${JSON.stringify(delimiter)} or the end of the line after a quoted field, found more text (a quote inside quotes is written "")`, { ...where, ...field, cause: error });
    default:
      return new DataError(`expected CSV, found a syntax error (${error.message})`, { ...where, ...field, cause: error });
  }
}

/** A first record is a header when one of its fields is text rather than a number. */
function looksLikeHeader(fields: readonly string[]): boolean {
  return fields.some((f) => f.trim() !== '' && !Number.isFinite(Number(f)));
}

/** The label column when none is given; see {@link CsvOptions.label}. */
function defaultLabelColumn(first: readonly string[], header: boolean): number {
  if (header) {
    const named = first.findIndex((name) => LABEL_COLUMN_NAMES.has(name.trim().toLowerCase()));
    if (named >= 0) return named;
  } else if (first.length === MNIST_FIELDS) {
    const digit = first[0]!.trim() === '' ? NaN : Number(first[0]);
    if (Number.isInteger(digit) && digit >= 0 && digit <= 9) return 0;
  }
  return first.length - 1;
}

/** A label or target column given by name or index, as a 0-based position in `names`. */
function resolveColumn(column: string | number, role: 'label' | 'target', names: readonly string[], header: boolean, file: string): number {
  if (typeof column === 'string') {
    if (!header) throw new TypeError(`loadCsv: ${role} column ${JSON.stringify(column)} given by name, but header is false`);
    const at = names.indexOf(column);
    const named = role === 'label' ? 'a column named' : 'a target column named';
    if (at < 0) throw new DataError(`expected ${named} ${JSON.stringify(column)} in the header, found ${names.map((n) => JSON.stringify(n)).join(', ')}`, { file, line: 1 });
    return at;
  }
  const at = column < 0 ? names.length + column : column;
  if (!Number.isInteger(column) || at < 0 || at >= names.length) throw new RangeError(`loadCsv: ${role} column ${column} is outside the ${names.length} columns`);
  return at;
}

/** The target columns' positions in the order given; a column named twice is a TypeError. */
function resolveTargetColumns(target: CsvTarget, names: readonly string[], header: boolean, file: string): number[] {
  const given = typeof target === 'string' || typeof target === 'number' ? [target] : target;
  const columns: number[] = [];
  for (const column of given) {
    const at = resolveColumn(column, 'target', names, header, file);
    if (columns.includes(at)) throw new TypeError(`loadCsv: target column ${JSON.stringify(names[at])} is given twice`);
    columns.push(at);
  }
  return columns;
}

/** The label column read as classes: targets by value, class indices, names, class count. */
interface LabelClasses {
  /** Each label as a number (its class index for text labels). */
  values: Float32Array;
  /** Class indices, when the labels are text or integers 0…{@link MAX_CLASS_INDEX}. */
  labels?: Int32Array;
  /** Sorted class names, for text labels. */
  names?: string[];
  /** Number of classes (1 when the labels are not classes). */
  count: number;
}

/**
 * Read labels as classes. `fail(row, detail)` builds the error for a row whose label cannot be
 * a class index when `format` needs one.
 */
function classesOf(text: readonly string[], format: CsvOptions['targets'], fail: (row: number, detail: string) => DataError): LabelClasses {
  const numbers = text.map(Number);
  if (numbers.some((v) => !Number.isFinite(v))) {
    const names = [...new Set(text)].sort();
    const index = new Map(names.map((name, i) => [name, i]));
    const labels = Int32Array.from(text, (t) => index.get(t)!);
    return { values: Float32Array.from(labels), labels, names, count: names.length };
  }
  const bad = numbers.findIndex((v) => !Number.isInteger(v) || v < 0 || v > MAX_CLASS_INDEX);
  if (bad < 0) {
    const labels = Int32Array.from(numbers);
    // A loop, not Math.max(...labels): spreading a large array overflows the call stack.
    let largest = 0;
    for (const label of labels) if (label > largest) largest = label;
    return { values: Float32Array.from(numbers), labels, count: largest + 1 };
  }
  if (format !== 'value') {
    const tooLarge = Number.isInteger(numbers[bad]) && numbers[bad]! > MAX_CLASS_INDEX;
    const why = tooLarge ? `, which is too large for a class index (at most ${MAX_CLASS_INDEX}); use targets 'value' for a numeric target` : '';
    throw fail(bad, `expected a class index (an integer ≥ 0) for targets '${format}', found ${text[bad]}${why}`);
  }
  return { values: Float32Array.from(numbers), count: 1 };
}
