/**
 * CSV loaders. `loadMnistCsv` streams the seeds' `mnist_train.csv` layout (no header; a label
 * then 784 pixel values 0–255 per line) straight from file bytes into a Float32Array, never
 * holding the text. `loadCsv` reads ordinary tabular files with a header and a label column.
 */
import { open, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { type Dataset, type LabeledDataset, type TargetFormat, targetsFromLabels } from './dataset.js';
import { DataError, ioError } from './errors.js';
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
  return { x: xOut, y: targetsFromLabels(labelsOut, classes, format), rows, features, outputs: format === 'one-hot' ? classes : 1, labels: labelsOut };
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

/** Options for {@link loadCsv}. */
export interface CsvOptions {
  /** The first line holds column names (default true). */
  header?: boolean;
  /** The label column: a name (needs a header) or a 0-based index; negative counts from the end. Default −1 (last). */
  label?: string | number;
  /** Field separator (default `,`). */
  delimiter?: string;
  /**
   * Targets: `'value'` (default) the label as a number (class index for text labels);
   * `'index'` a class index; `'one-hot'` one column per class.
   */
  targets?: 'value' | TargetFormat;
}

/** A tabular dataset with its column names. */
export interface CsvDataset extends Dataset {
  /** Names of the feature columns (`column1`, … when there is no header). */
  featureNames: string[];
  /** Name of the label column. */
  labelName: string;
  /** For text labels: the class names, sorted; class i is `classNames[i]`. */
  classNames?: string[];
}

/**
 * Load a tabular CSV: numeric feature columns plus one label column. Labels may be numbers or
 * text (text labels become classes in sorted order). Quoted fields (`"a,b"`, `""` for a
 * quote) are understood. Empty fields, non-numbers and rows of the wrong width throw a
 * {@link DataError} with the line and field.
 */
export async function loadCsv(path: string, options: CsvOptions = {}): Promise<CsvDataset> {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"') throw new TypeError(`loadCsv: delimiter must be one character other than '"', got ${JSON.stringify(delimiter)}`);
  const header = options.header ?? true;
  const format = options.targets ?? 'value';
  await fileSize(path);

  const stream = createReadStream(path, { encoding: 'utf8' });
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  let names: string[] | undefined;
  let width = -1;
  let labelColumn = -1;
  let x = new Float32Array(1024);
  let rows = 0;
  const labelText: string[] = [];
  const labelLine: number[] = [];
  let lineNumber = 0;
  try {
    for await (const raw of reader) {
      lineNumber++;
      const text = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      const fields = splitCsvLine(text, delimiter, path, lineNumber);
      if (width < 0) {
        width = fields.length;
        if (width < 2) throw new DataError(`expected at least 2 columns (features and a label), found ${width}`, { file: path, line: lineNumber });
        names = header ? fields.map((f) => f.trim()) : fields.map((_, i) => `column${i + 1}`);
        labelColumn = resolveLabelColumn(options.label ?? -1, names, header, path);
        if (header) continue;
      }
      if (fields.length !== width) throw new DataError(`expected ${width} fields, found ${fields.length}`, { file: path, line: lineNumber });
      const features = width - 1;
      if ((rows + 1) * features > x.length) {
        const grown = new Float32Array(x.length * 2);
        grown.set(x);
        x = grown;
      }
      let f = 0;
      for (let c = 0; c < width; c++) {
        const value = fields[c]!.trim();
        if (c === labelColumn) {
          if (value === '') throw new DataError('expected a label, found an empty field', { file: path, line: lineNumber, column: c + 1 });
          labelText.push(value);
          labelLine.push(lineNumber);
          continue;
        }
        const number = value === '' ? NaN : Number(value);
        if (!Number.isFinite(number)) {
          throw new DataError(`expected a number in column ${JSON.stringify(names![c])}, found ${value === '' ? 'an empty field' : JSON.stringify(value)}`, { file: path, line: lineNumber, column: c + 1 });
        }
        x[rows * features + f++] = number;
      }
      rows++;
    }
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw ioError(path, error);
  } finally {
    reader.close();
    stream.destroy();
  }
  if (width < 0) throw new DataError('expected CSV rows, found an empty file', { file: path, offset: 0 });
  if (rows === 0) throw new DataError('expected data rows after the header, found none', { file: path, line: lineNumber });

  const features = width - 1;
  const numeric = labelText.map(Number);
  const allNumeric = numeric.every((v, i) => Number.isFinite(v) && labelText[i] !== '');
  let labels: Int32Array | undefined;
  let classNames: string[] | undefined;
  let values: Float32Array;
  if (allNumeric) {
    values = Float32Array.from(numeric);
    if (numeric.every((v) => Number.isInteger(v) && v >= 0)) labels = Int32Array.from(numeric);
    else if (format !== 'value') {
      const bad = numeric.findIndex((v) => !Number.isInteger(v) || v < 0);
      throw new DataError(`expected a class index (an integer ≥ 0) for targets '${format}', found ${labelText[bad]}`, { file: path, line: labelLine[bad]!, column: labelColumn + 1 });
    }
  } else {
    classNames = [...new Set(labelText)].sort();
    const index = new Map(classNames.map((name, i) => [name, i]));
    labels = Int32Array.from(labelText, (t) => index.get(t)!);
    values = Float32Array.from(labels);
  }
  const classes = classNames ? classNames.length : labels ? Math.max(...labels) + 1 : 1;
  const y = format === 'one-hot' ? targetsFromLabels(labels!, classes, 'one-hot') : format === 'index' ? Float32Array.from(labels!) : values;
  const out: CsvDataset = {
    x: x.length === rows * features ? x : x.slice(0, rows * features),
    y,
    rows,
    features,
    outputs: format === 'one-hot' ? classes : 1,
    featureNames: names!.filter((_, c) => c !== labelColumn),
    labelName: names![labelColumn]!,
  };
  if (labels) out.labels = labels;
  if (classNames) out.classNames = classNames;
  return out;
}

function resolveLabelColumn(label: string | number, names: string[], header: boolean, file: string): number {
  if (typeof label === 'string') {
    if (!header) throw new TypeError(`loadCsv: label column ${JSON.stringify(label)} given by name, but header is false`);
    const at = names.indexOf(label);
    if (at < 0) throw new DataError(`expected a column named ${JSON.stringify(label)} in the header, found ${names.map((n) => JSON.stringify(n)).join(', ')}`, { file, line: 1 });
    return at;
  }
  const at = label < 0 ? names.length + label : label;
  if (!Number.isInteger(label) || at < 0 || at >= names.length) throw new RangeError(`loadCsv: label column ${label} is outside the ${names.length} columns`);
  return at;
}

/** Split one CSV line, honouring double-quoted fields with `""` escapes. */
function splitCsvLine(line: string, delimiter: string, file: string, lineNumber: number): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let text = '';
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) throw new DataError('expected a closing quote, found the end of the line', { file, line: lineNumber, column: fields.length + 1 });
        text += line.slice(i, close);
        if (line[close + 1] === '"') {
          text += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      fields.push(text);
      if (i < line.length && line[i] !== delimiter) {
        throw new DataError(`expected ${JSON.stringify(delimiter)} after a quoted field, found ${JSON.stringify(line[i])}`, { file, line: lineNumber, column: fields.length });
      }
    } else {
      const next = line.indexOf(delimiter, i);
      fields.push(line.slice(i, next < 0 ? line.length : next));
      i = next < 0 ? line.length : next;
    }
    if (i >= line.length) return fields;
    i++; // past the delimiter
  }
}
