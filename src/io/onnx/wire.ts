/**
 * Protocol Buffers' binary wire format, driven by a table of message descriptions: enough of
 * it to read and write the ONNX messages simdnet uses (src/io/onnx/schema.ts).
 *
 * Why not a protobuf library: the subset is small (varints, 32/64-bit fixed values and
 * length-delimited fields), while the reflection libraries compile their codecs with
 * `new Function` (refused on pages with a strict Content-Security-Policy) and add about
 * 100 KB to a browser bundle and 4 MB to an install. The tests check this codec byte for
 * byte against protobufjs on random messages.
 *
 * Semantics follow proto2, as onnx.proto does: a scalar field that is set is written even
 * when it is 0; repeated numbers are written unpacked and read in either form; fields not in
 * the table are skipped; 64-bit integers become JavaScript numbers (exact up to 2^53).
 */

/** The value types a field can have; any other name is the name of a message. */
export type ScalarType = 'int32' | 'int64' | 'float' | 'double' | 'string' | 'bytes';

/** One field: its number on the wire, its type and whether it repeats. */
export interface FieldSpec {
  id: number;
  type: ScalarType | string;
  repeated?: true;
}

/** A message type: its fields by property name. */
export type MessageSpec = Readonly<Record<string, FieldSpec>>;

/** Every message type by name, so fields can refer to one another. */
export type WireSchema = Readonly<Record<string, MessageSpec>>;

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const START_GROUP = 3;
const END_GROUP = 4;
const FIXED32 = 5;

const TWO_32 = 4294967296;
/** Nesting allowed when skipping unknown groups, so hostile input cannot exhaust the stack. */
const MAX_GROUP_DEPTH = 64;

const SCALAR_WIRE: Readonly<Record<ScalarType, number>> = {
  int32: VARINT, int64: VARINT, float: FIXED32, double: FIXED64, string: LENGTH_DELIMITED, bytes: LENGTH_DELIMITED,
};

function isScalar(type: string): type is ScalarType {
  return Object.hasOwn(SCALAR_WIRE, type);
}

function wireTypeOf(type: string): number {
  return isScalar(type) ? SCALAR_WIRE[type] : LENGTH_DELIMITED;
}

/** Bytes that are not a valid encoding of the message; the text names the byte offset. */
export class WireFormatError extends Error {
  override name = 'WireFormatError';
}

// ---------------------------------------------------------------------------------------
// Reading

class Reader {
  pos = 0;
  private readonly view: DataView;
  private readonly utf8 = new TextDecoder();

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(message: string, at = this.pos): never {
    throw new WireFormatError(`${message} at byte offset ${at}`);
  }

  need(count: number, end: number): void {
    if (this.pos + count > end) this.fail(`truncated: ${count} bytes needed, ${end - this.pos} left`);
  }

  /** A varint as its low and high 32 bits. */
  varint64(end: number): [number, number] {
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) this.fail('truncated varint', start);
      const byte = this.bytes[this.pos++]!;
      const bits = byte & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= bits << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if (byte < 0x80) return [lo >>> 0, hi >>> 0];
    }
    return this.fail('varint longer than 10 bytes', start);
  }

  /** A varint read as a two's-complement 64-bit integer, as the nearest number. */
  int64(end: number): number {
    const [lo, hi] = this.varint64(end);
    if (hi >>> 31 === 0) return hi * TWO_32 + lo;
    // Negative: negate the 64-bit value, then the sign.
    const nlo = (~lo + 1) >>> 0;
    const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
    return -(nhi * TWO_32 + nlo);
  }

  /** A length prefix, checked against what is left of the enclosing message. */
  length(end: number): number {
    const at = this.pos;
    const [lo, hi] = this.varint64(end);
    if (hi !== 0 || lo > end - this.pos) this.fail(`length ${hi === 0 ? lo : 'over 2^32'} runs past the end of its message`, at);
    return lo;
  }

  scalar(type: ScalarType, end: number): number | string | Uint8Array {
    switch (type) {
      case 'int32': return this.varint64(end)[0] | 0;
      case 'int64': return this.int64(end);
      case 'float': {
        this.need(4, end);
        const value = this.view.getFloat32(this.pos, true);
        this.pos += 4;
        return value;
      }
      case 'double': {
        this.need(8, end);
        const value = this.view.getFloat64(this.pos, true);
        this.pos += 8;
        return value;
      }
      case 'string':
      case 'bytes': {
        const size = this.length(end);
        const slice = this.bytes.subarray(this.pos, this.pos + size);
        this.pos += size;
        // Bytes are copied so the message does not keep the whole file alive.
        return type === 'string' ? this.utf8.decode(slice) : new Uint8Array(slice);
      }
    }
  }

  /** Moves past a field of a number not in the table. */
  skip(wireType: number, field: number, end: number, depth = 0): void {
    switch (wireType) {
      case VARINT: this.varint64(end); return;
      case FIXED64: this.need(8, end); this.pos += 8; return;
      case FIXED32: this.need(4, end); this.pos += 4; return;
      case LENGTH_DELIMITED: {
        const size = this.length(end); // read first: it moves pos past the prefix
        this.pos += size;
        return;
      }
      case START_GROUP: {
        if (depth >= MAX_GROUP_DEPTH) this.fail('groups nested too deeply');
        for (;;) {
          const at = this.pos;
          const [tag] = this.varint64(end);
          if ((tag & 7) === END_GROUP) {
            if (tag >>> 3 !== field) this.fail(`group ${field} closed by field ${tag >>> 3}`, at);
            return;
          }
          this.skip(tag & 7, tag >>> 3, end, depth + 1);
        }
      }
      default: this.fail(`invalid wire type ${wireType}`);
    }
  }
}

/** A message type's fields by number and its repeated fields' names, worked out once per type. */
interface FieldIndex {
  byNumber: Map<number, FieldSpec & { name: string }>;
  repeated: string[];
}

const indexes = new WeakMap<MessageSpec, FieldIndex>();

function indexOf(spec: MessageSpec): FieldIndex {
  let index = indexes.get(spec);
  if (!index) {
    const fields = Object.entries(spec);
    index = {
      byNumber: new Map(fields.map(([name, field]) => [field.id, { name, ...field }])),
      repeated: fields.filter(([, field]) => field.repeated).map(([name]) => name),
    };
    indexes.set(spec, index);
  }
  return index;
}

function readMessage(reader: Reader, schema: WireSchema, typeName: string, end: number): Record<string, unknown> {
  const { byNumber, repeated } = indexOf(schema[typeName]!);
  const message: Record<string, unknown> = {};
  for (const name of repeated) message[name] = [];
  while (reader.pos < end) {
    const at = reader.pos;
    const [tag, tagHigh] = reader.varint64(end);
    const wireType = tag & 7;
    const number = tag >>> 3;
    if (tagHigh !== 0 || number === 0) reader.fail('invalid field number', at);
    const field = byNumber.get(number);
    if (!field) {
      if (wireType === END_GROUP) reader.fail('end of a group that was never started', at);
      reader.skip(wireType, number, end);
      continue;
    }
    const expected = wireTypeOf(field.type);
    if (field.repeated && expected !== LENGTH_DELIMITED && wireType === LENGTH_DELIMITED) {
      // Packed repeated numbers: one length-delimited run of values.
      const size = reader.length(end);
      const runEnd = reader.pos + size;
      const values = message[field.name] as unknown[];
      while (reader.pos < runEnd) values.push(reader.scalar(field.type as ScalarType, runEnd));
      continue;
    }
    if (wireType !== expected) reader.fail(`field ${number} (${typeName}.${field.name}) has wire type ${wireType}, expected ${expected}`, at);
    let value: unknown;
    if (isScalar(field.type)) value = reader.scalar(field.type, end);
    else {
      const size = reader.length(end);
      value = readMessage(reader, schema, field.type, reader.pos + size);
    }
    if (field.repeated) (message[field.name] as unknown[]).push(value);
    else message[field.name] = value; // the last occurrence wins, as protobuf says
  }
  if (reader.pos !== end) reader.fail('field runs past the end of its message');
  return message;
}

/**
 * Decode `bytes` as the message `typeName` of `schema`: a plain object with a property per
 * field present (repeated fields always, as arrays). Throws {@link WireFormatError} naming
 * the byte offset on malformed input.
 */
export function decodeMessage(schema: WireSchema, typeName: string, bytes: Uint8Array): Record<string, unknown> {
  const reader = new Reader(bytes);
  return readMessage(reader, schema, typeName, bytes.length);
}

// ---------------------------------------------------------------------------------------
// Writing

/** Encoded pieces, joined once at the end so nested messages are not copied per level. */
class Writer {
  readonly parts: Uint8Array[] = [];
  length = 0;
  private readonly utf8 = new TextEncoder();

  push(part: Uint8Array): void {
    this.parts.push(part);
    this.length += part.length;
  }

  varint64(lo: number, hi: number): void {
    const out: number[] = [];
    while (hi !== 0 || lo > 0x7f) {
      out.push((lo & 0x7f) | 0x80);
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    out.push(lo);
    this.push(Uint8Array.from(out));
  }

  /** An integer as a varint; negative values take ten bytes, as two's complement. */
  integer(value: number, what: string): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`${what}: ${value} is not an integer protobuf can carry exactly`);
    const magnitude = Math.abs(value);
    let lo = magnitude >>> 0;
    let hi = Math.floor(magnitude / TWO_32) >>> 0;
    if (value < 0) {
      lo = (~lo + 1) >>> 0;
      hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
    }
    this.varint64(lo, hi);
  }

  tag(id: number, wireType: number): void {
    this.varint64(((id << 3) | wireType) >>> 0, 0);
  }

  scalar(type: ScalarType, value: unknown, what: string): void {
    switch (type) {
      case 'int32':
      case 'int64': this.integer(value as number, what); return;
      case 'float': {
        const out = new Uint8Array(4);
        new DataView(out.buffer).setFloat32(0, value as number, true);
        this.push(out);
        return;
      }
      case 'double': {
        const out = new Uint8Array(8);
        new DataView(out.buffer).setFloat64(0, value as number, true);
        this.push(out);
        return;
      }
      case 'string':
      case 'bytes': {
        const bytes = type === 'string' ? this.utf8.encode(value as string) : (value as Uint8Array);
        this.varint64(bytes.length, 0);
        this.push(bytes);
      }
    }
  }

  /** Everything written, in one array. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

function writeMessage(writer: Writer, schema: WireSchema, typeName: string, message: Readonly<Record<string, unknown>>): void {
  // Fields go out in field-number order, as protobuf's own writers do.
  const fields = Object.entries(schema[typeName]!).sort(([, a], [, b]) => a.id - b.id);
  for (const [name, field] of fields) {
    const value = message[name];
    if (value === undefined || value === null) continue;
    for (const item of field.repeated ? (value as readonly unknown[]) : [value]) {
      writer.tag(field.id, wireTypeOf(field.type));
      if (isScalar(field.type)) {
        writer.scalar(field.type, item, `${typeName}.${name}`);
        continue;
      }
      const inner = new Writer();
      writeMessage(inner, schema, field.type, item as Record<string, unknown>);
      writer.varint64(inner.length, 0);
      for (const part of inner.parts) writer.push(part);
    }
  }
}

/** Encode `message` as the message `typeName` of `schema`; properties not in it are ignored. */
export function encodeMessage(schema: WireSchema, typeName: string, message: Readonly<Record<string, unknown>>): Uint8Array {
  const writer = new Writer();
  writeMessage(writer, schema, typeName, message);
  return writer.finish();
}
