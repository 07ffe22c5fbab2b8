/**
 * The one error type for bad data files: it always says which file, where in it, and what
 * was expected versus found.
 */

/** Where in a file a problem is: a 1-based line (text files) or a 0-based byte offset. */
export interface DataErrorLocation {
  /** The file path as the caller gave it. */
  file: string;
  /** 1-based line number, for text formats. */
  line?: number;
  /** 1-based field (column) number within the line, when known. */
  column?: number;
  /** 0-based byte offset, for binary formats. */
  offset?: number;
  /** The underlying error (I/O or decoder), if any. */
  cause?: unknown;
}

/**
 * Thrown for every malformed, truncated, missing or unreadable data file. The message reads
 * `<file>, line 12, field 3: expected …, found …` (or `… byte 16: …`), and the parts are
 * also available as properties.
 */
export class DataError extends Error {
  override readonly name = 'DataError';
  /** The file path as the caller gave it. */
  readonly file: string;
  /** 1-based line number, when the problem is in a text file. */
  readonly line: number | undefined;
  /** 1-based field number within `line`, when known. */
  readonly column: number | undefined;
  /** 0-based byte offset, when the problem is in a binary file. */
  readonly offset: number | undefined;
  /** What went wrong, without the location prefix. */
  readonly detail: string;

  constructor(detail: string, where: DataErrorLocation) {
    super(`${describeLocation(where)}: ${detail}`, where.cause === undefined ? undefined : { cause: where.cause });
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.offset = where.offset;
    this.detail = detail;
  }
}

function describeLocation(where: DataErrorLocation): string {
  let text = where.file;
  if (where.line !== undefined) text += `, line ${where.line}`;
  if (where.column !== undefined) text += `, field ${where.column}`;
  if (where.offset !== undefined) text += `, byte ${where.offset}`;
  return text;
}

/** Turn a Node I/O failure (missing file, permission, directory) into a DataError. */
export function ioError(file: string, error: unknown): DataError {
  const code = (error as { code?: unknown } | null)?.code;
  const detail =
    code === 'ENOENT' ? 'file not found'
    : code === 'EISDIR' ? 'expected a file, found a directory'
    : code === 'EACCES' ? 'permission denied'
    : `cannot read the file (${error instanceof Error ? error.message : String(error)})`;
  return new DataError(detail, { file, cause: error });
}

/** Show a few bytes of text as they appear in the file, for "found …" parts of messages. */
export function quoteBytes(bytes: Uint8Array, max = 24): string {
  const shown = bytes.length > max ? bytes.subarray(0, max) : bytes;
  return JSON.stringify(Buffer.from(shown.buffer, shown.byteOffset, shown.byteLength).toString('latin1')) + (bytes.length > max ? '…' : '');
}
