/**
 * The part of ONNX's protobuf schema (onnx/onnx.proto, IR version 7 onwards) that simdnet
 * reads and writes, as a protobufjs JSON descriptor, and the typed messages it describes.
 *
 * Why `protobufjs/light` and a descriptor: the light build does the wire encoding by
 * reflection from this data, without the .proto parser of the full build, and without the
 * generated code (thousands of lines for all of onnx.proto) a static build would need. Field
 * numbers and types follow onnx.proto; fields not listed here are skipped when reading.
 */
import protobuf from 'protobufjs/light.js';

/** TensorProto.DataType values simdnet meets. */
export const DataType = { FLOAT: 1, INT64: 7, DOUBLE: 11 } as const;

/** AttributeProto.AttributeType values simdnet writes. */
export const AttributeType = { FLOAT: 1, INT: 2, TENSOR: 4, INTS: 7 } as const;

/** A tensor: shape, element type and values (raw little-endian bytes or typed fields). */
export interface TensorProto {
  dims?: number[];
  dataType?: number;
  floatData?: number[];
  int64Data?: number[];
  doubleData?: number[];
  name?: string;
  rawData?: Uint8Array;
  /** 1 when the values live in a separate file (not supported). */
  dataLocation?: number;
}

/** A node's attribute; `type` says which of the value fields is meant. */
export interface AttributeProto {
  name: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  floats?: number[];
  ints?: number[];
}

/** One operator application. */
export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  domain?: string;
  attribute?: AttributeProto[];
}

/** A dimension: a fixed size or a symbolic name such as `batch`. */
export interface Dimension {
  dimValue?: number;
  dimParam?: string;
}

/** A graph input's or output's name, element type and shape. */
export interface ValueInfoProto {
  name: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: Dimension[] } } };
}

/** The computation: nodes, constant tensors, inputs and outputs. */
export interface GraphProto {
  node?: NodeProto[];
  name?: string;
  initializer?: TensorProto[];
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
}

/** A key/value pair of the model's metadata. */
export interface StringStringEntryProto {
  key: string;
  value: string;
}

/** A whole ONNX file. */
export interface ModelProto {
  irVersion?: number;
  opsetImport?: { domain?: string; version?: number }[];
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  graph?: GraphProto;
  metadataProps?: StringStringEntryProto[];
}

const repeated = 'repeated';

/**
 * onnx.proto is proto2: every optional field has explicit presence, so an attribute of 0
 * (a LeakyRelu slope, a Softmax axis) is written and read as set, not dropped as a default.
 * protobufjs takes types without an edition for proto3, hence the marking.
 */
function proto2(types: Record<string, protobuf.IType>): Record<string, protobuf.IType> {
  return Object.fromEntries(Object.entries(types).map(([name, type]) => [name, { ...type, edition: 'proto2' }]));
}

const DESCRIPTOR: protobuf.INamespace = {
  nested: {
    onnx: {
      nested: proto2({
        StringStringEntryProto: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        TensorProto: {
          fields: {
            dims: { rule: repeated, type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            floatData: { rule: repeated, type: 'float', id: 4 },
            int64Data: { rule: repeated, type: 'int64', id: 7 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
            doubleData: { rule: repeated, type: 'double', id: 10 },
            dataLocation: { type: 'int32', id: 14 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            floats: { rule: repeated, type: 'float', id: 7 },
            ints: { rule: repeated, type: 'int64', id: 8 },
            type: { type: 'int32', id: 20 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: repeated, type: 'string', id: 1 },
            output: { rule: repeated, type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: repeated, type: 'AttributeProto', id: 5 },
            domain: { type: 'string', id: 7 },
          },
        },
        Dimension: { fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } },
        TensorShapeProto: { fields: { dim: { rule: repeated, type: 'Dimension', id: 1 } } },
        TensorTypeProto: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
        TypeProto: { fields: { tensorType: { type: 'TensorTypeProto', id: 1 } } },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: repeated, type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: repeated, type: 'TensorProto', id: 5 },
            input: { rule: repeated, type: 'ValueInfoProto', id: 11 },
            output: { rule: repeated, type: 'ValueInfoProto', id: 12 },
          },
        },
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            docString: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: repeated, type: 'OperatorSetIdProto', id: 8 },
            metadataProps: { rule: repeated, type: 'StringStringEntryProto', id: 14 },
          },
        },
      }),
    },
  },
};

/** Built on first use, so importing simdnet costs nothing until a model is converted. */
let modelType: protobuf.Type | undefined;

function model(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(DESCRIPTOR).lookupType('onnx.ModelProto');
  return modelType;
}

/** Serialize a model to ONNX bytes, in an array of its own. */
export function encodeModelProto(message: ModelProto): Uint8Array {
  const type = model();
  // Copied: in Node, protobufjs hands out a Buffer, which may be a slice of a shared pool.
  return new Uint8Array(type.encode(type.fromObject(message)).finish());
}

/**
 * Parse ONNX bytes into plain objects (64-bit integers as numbers, absent repeated fields as
 * empty arrays); throws protobufjs's error, with its byte offset, on malformed input.
 */
export function decodeModelProto(bytes: Uint8Array): ModelProto {
  const type = model();
  return type.toObject(type.decode(bytes), { longs: Number, arrays: true }) as ModelProto;
}
