/**
 * The part of ONNX's protobuf schema (onnx/onnx.proto, IR version 7 onwards) that simdnet
 * reads and writes, as a table for the wire codec in ./wire.ts, and the typed messages it
 * describes. Field numbers and types follow onnx.proto; fields not listed here are skipped
 * when reading.
 */
import { decodeMessage, encodeMessage, type WireSchema } from './wire.js';

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

const repeated = true;

/** onnx.proto's messages, as far as simdnet uses them. */
export const ONNX_SCHEMA: WireSchema = {
  StringStringEntryProto: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } },
  OperatorSetIdProto: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } },
  TensorProto: {
    dims: { repeated, type: 'int64', id: 1 },
    dataType: { type: 'int32', id: 2 },
    floatData: { repeated, type: 'float', id: 4 },
    int64Data: { repeated, type: 'int64', id: 7 },
    name: { type: 'string', id: 8 },
    rawData: { type: 'bytes', id: 9 },
    doubleData: { repeated, type: 'double', id: 10 },
    dataLocation: { type: 'int32', id: 14 },
  },
  AttributeProto: {
    name: { type: 'string', id: 1 },
    f: { type: 'float', id: 2 },
    i: { type: 'int64', id: 3 },
    s: { type: 'bytes', id: 4 },
    t: { type: 'TensorProto', id: 5 },
    floats: { repeated, type: 'float', id: 7 },
    ints: { repeated, type: 'int64', id: 8 },
    type: { type: 'int32', id: 20 },
  },
  NodeProto: {
    input: { repeated, type: 'string', id: 1 },
    output: { repeated, type: 'string', id: 2 },
    name: { type: 'string', id: 3 },
    opType: { type: 'string', id: 4 },
    attribute: { repeated, type: 'AttributeProto', id: 5 },
    domain: { type: 'string', id: 7 },
  },
  Dimension: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } },
  TensorShapeProto: { dim: { repeated, type: 'Dimension', id: 1 } },
  TensorTypeProto: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } },
  TypeProto: { tensorType: { type: 'TensorTypeProto', id: 1 } },
  ValueInfoProto: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } },
  GraphProto: {
    node: { repeated, type: 'NodeProto', id: 1 },
    name: { type: 'string', id: 2 },
    initializer: { repeated, type: 'TensorProto', id: 5 },
    input: { repeated, type: 'ValueInfoProto', id: 11 },
    output: { repeated, type: 'ValueInfoProto', id: 12 },
  },
  ModelProto: {
    irVersion: { type: 'int64', id: 1 },
    producerName: { type: 'string', id: 2 },
    producerVersion: { type: 'string', id: 3 },
    docString: { type: 'string', id: 6 },
    graph: { type: 'GraphProto', id: 7 },
    opsetImport: { repeated, type: 'OperatorSetIdProto', id: 8 },
    metadataProps: { repeated, type: 'StringStringEntryProto', id: 14 },
  },
};

/** Serialize a model to ONNX bytes. */
export function encodeModelProto(message: ModelProto): Uint8Array {
  return encodeMessage(ONNX_SCHEMA, 'ModelProto', message as unknown as Record<string, unknown>);
}

/**
 * Parse ONNX bytes into plain objects (64-bit integers as numbers, absent repeated fields as
 * empty arrays); throws a `WireFormatError` (./wire.ts) naming the byte offset on malformed input.
 */
export function decodeModelProto(bytes: Uint8Array): ModelProto {
  return decodeMessage(ONNX_SCHEMA, 'ModelProto', bytes) as unknown as ModelProto;
}
