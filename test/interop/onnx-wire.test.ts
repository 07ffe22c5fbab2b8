/**
 * The ONNX wire codec (src/io/onnx/wire.ts) against an outside oracle: onnxruntime-web's
 * protobuf code, generated from onnx.proto by pbjs. Random messages of every type simdnet
 * reads go both ways; damaged bytes are refused with an offset, never with a crash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeModelProto, encodeModelProto, ONNX_SCHEMA, type ModelProto } from '../../src/io/onnx/schema.js';
import { decodeMessage, encodeMessage, WireFormatError, type ScalarType } from '../../src/io/onnx/wire.js';
import { onnxProto } from './runtimes.js';

type Message = Record<string, unknown>;

const SCALARS: Record<ScalarType, fc.Arbitrary<unknown>> = {
  int32: fc.integer(),
  int64: fc.maxSafeInteger(),
  float: fc.float(),
  double: fc.double(),
  string: fc.string({ unit: 'grapheme', maxLength: 6 }),
  bytes: fc.uint8Array({ maxLength: 12 }),
};

/** Any message of `type`: every field of the schema may be absent, repeated ones 0–3 times. */
function message(type: string): fc.Arbitrary<Message> {
  const fields = Object.entries(ONNX_SCHEMA[type]!).map(([name, field]) => {
    const value = field.type in SCALARS ? SCALARS[field.type as ScalarType] : fc.constant(null).chain(() => message(field.type));
    return [name, field.repeated ? fc.array(value, { maxLength: 3 }) : value] as const;
  });
  return fc.record(Object.fromEntries(fields), { requiredKeys: [] }) as fc.Arbitrary<Message>;
}

/** `value` as our decoder gives it: only the schema's fields, repeated ones always as arrays, bytes as Uint8Array. */
function normalize(type: string, value: Message): Message {
  const out: Message = {};
  for (const [name, field] of Object.entries(ONNX_SCHEMA[type]!)) {
    const v = value[name];
    const one = (item: unknown): unknown => (field.type in SCALARS ? (item instanceof Uint8Array ? new Uint8Array(item) : item) : normalize(field.type, item as Message));
    if (field.repeated) out[name] = ((v as unknown[] | undefined) ?? []).map(one);
    else if (v !== undefined && v !== null) out[name] = one(v);
  }
  return out;
}

/** What onnxruntime's generated code reads from `bytes`, in our shape. */
function oracleDecode(bytes: Uint8Array): Message {
  const decoded = onnxProto.ModelProto.decode(bytes);
  return normalize('ModelProto', onnxProto.ModelProto.toObject(decoded, { longs: Number, arrays: true }) as Message);
}

describe('ONNX wire codec vs onnxruntime-web’s generated protobuf code', () => {
  it('what simdnet writes, onnxruntime reads as the same message', () => {
    fc.assert(fc.property(message('ModelProto'), (model) => {
      expect(oracleDecode(encodeModelProto(model as ModelProto))).toEqual(normalize('ModelProto', model));
    }), { numRuns: 300 });
  });

  it('what onnxruntime writes (repeated numbers packed), simdnet reads as the same message', () => {
    fc.assert(fc.property(message('ModelProto'), (model) => {
      const bytes = onnxProto.ModelProto.encode(onnxProto.ModelProto.fromObject(model)).finish();
      expect(decodeModelProto(bytes)).toEqual(oracleDecode(bytes));
    }), { numRuns: 300 });
  });

  it('keeps 64-bit integers exact to 2^53 either side of zero, and zeros that are set', () => {
    const cases = [0, 1, -1, 127, 128, -128, 2 ** 31, -(2 ** 31), 2 ** 32, -(2 ** 32) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
    for (const i of cases) {
      const minus = i === 0 ? 0 : -i;
      const model = { irVersion: i, graph: { node: [{ attribute: [{ name: 'a', i, ints: [i, minus] }] }] } };
      const bytes = encodeModelProto(model);
      expect(decodeModelProto(bytes).graph!.node![0]!.attribute![0], `i = ${i}`).toMatchObject({ i, ints: [i, minus] });
      expect(decodeModelProto(bytes).irVersion).toBe(i);
      expect(oracleDecode(bytes)).toMatchObject({ irVersion: i });
    }
    expect(() => encodeModelProto({ irVersion: 2 ** 53 })).toThrow('ModelProto.irVersion: 9007199254740992 is not an integer protobuf can carry exactly');
    expect(() => encodeModelProto({ irVersion: 1.5 })).toThrow(RangeError);
  });

  it('skips fields it does not know, of every wire type, groups included', () => {
    // ModelProto field 20 (unknown) as a varint, a fixed64, a fixed32, a length-delimited run and a group
    // holding a varint, then irVersion = 7.
    const bytes = new Uint8Array([
      0xa0, 0x01, 0x96, 0x01,
      0xa1, 0x01, 1, 2, 3, 4, 5, 6, 7, 8,
      0xa5, 0x01, 1, 2, 3, 4,
      0xa2, 0x01, 2, 0xff, 0xff,
      0xa3, 0x01, 0x08, 0x05, 0xa4, 0x01,
      0x08, 0x07,
    ]);
    expect(decodeModelProto(bytes)).toMatchObject({ irVersion: 7 });
  });

  it('refuses damaged bytes with a WireFormatError naming the offset, and nothing else', () => {
    fc.assert(fc.property(
      message('ModelProto'),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      fc.nat(),
      (model, flips, cut) => {
        const bytes = encodeModelProto(model as ModelProto);
        const damaged = bytes.slice(0, bytes.length === 0 ? 0 : cut % (bytes.length + 1));
        for (const [at, value] of flips) if (damaged.length > 0) damaged[at % damaged.length] = value;
        try {
          decodeModelProto(damaged);
        } catch (err) {
          expect(err).toBeInstanceOf(WireFormatError);
          expect((err as Error).message).toMatch(/ at byte offset \d+$/);
        }
      },
    ), { numRuns: 500 });
  });

  it('names what is wrong: a truncated varint, a length past the end, a wrong wire type, wire types 6 and 7', () => {
    const fail = (bytes: number[]) => () => decodeMessage(ONNX_SCHEMA, 'ModelProto', new Uint8Array(bytes));
    expect(fail([0x08, 0x80])).toThrow('truncated varint at byte offset 1');
    expect(fail([0x3a, 0x05, 0x0a])).toThrow('length 5 runs past the end of its message at byte offset 1');
    expect(fail([0x0d, 0, 0, 0, 0])).toThrow('field 1 (ModelProto.irVersion) has wire type 5, expected 0 at byte offset 0');
    expect(fail([0xa6, 0x01])).toThrow('invalid wire type 6 at byte offset 2');
    expect(fail([0xa7, 0x01])).toThrow('invalid wire type 7 at byte offset 2');
    expect(fail([0xa3, 0x01, 0xac, 0x01])).toThrow('group 20 closed by field 21 at byte offset 2');
    expect(fail([0x00])).toThrow('invalid field number at byte offset 0');
    expect(fail([0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])).toThrow('varint longer than 10 bytes at byte offset 1');
  });

  it('writes nested messages of any size in one piece', () => {
    const big = new Uint8Array(300_000).map((_, i) => i % 251);
    const bytes = encodeMessage(ONNX_SCHEMA, 'ModelProto', { graph: { initializer: [{ name: 'w', rawData: big }] } });
    const graph = decodeModelProto(bytes).graph!;
    const raw = graph.initializer![0]!.rawData!;
    expect(raw.length).toBe(big.length);
    expect(raw.every((v, i) => v === big[i])).toBe(true);
  });
});
