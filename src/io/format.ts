/**
 * The model file format (version 1), one self-contained binary that works the same in Node
 * and in a browser:
 *
 *   offset 0   "SDNT" magic
 *          4   u32 format version (1)
 *          8   u32 byte length J of the JSON header
 *         12   J bytes of UTF-8 JSON: architecture, loss, seed, parameter names/sizes, metadata
 *    12 + J'   float32 little-endian parameters in header order (J' = J rounded up to 4), then
 *              the saved state arrays (batch norm's running statistics) in header order
 *        end   u32 CRC-32 of every byte before it
 *
 * Every field is checked on load, and a problem is reported with its byte offset.
 */
import { Network } from '../network.js';
import { plannedArraySizes, type LayerSpec, type NetworkOptions, type Sequential } from '../nn/network.js';
import type { LayerConfig } from '../nn/layer.js';
import type { BackendName } from '../engine.js';
import type { WasmBuild } from '../wasm/loader.js';
import { crc32 } from '../util/crc32.js';

const MAGIC = 0x544e4453; // "SDNT" read as little-endian u32
/** The format version this build writes and reads. */
export const MODEL_FORMAT_VERSION = 1;

/** The JSON header of a model file. */
export interface ModelHeader {
  format: 'simdnet-model';
  inputs: number;
  /** Image shape of an input row, for networks built with one (conv2d, pooling). */
  inputShape?: [number, number, number];
  layers: LayerConfig[];
  loss: string;
  seed: number;
  params: { name: string; size: number }[];
  /** Non-trainable arrays stored after the parameters; absent in files of networks without any. */
  state?: { name: string; size: number }[];
  /** Class names in output order, when the network was trained on named classes. */
  classNames?: string[];
  /** Free-form facts about the model: class names, input scaling, training summary. */
  metadata: Record<string, unknown>;
}

/** Raised for a file that is not a valid model; says what is wrong and where. */
export class ModelFormatError extends Error {
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'ModelFormatError';
  }
}

/** Encode a network and optional metadata as model-file bytes. */
export function encodeModel(net: Sequential, metadata: object = {}): Uint8Array {
  const state = net.state;
  const params = [...net.params, ...state];
  const header: ModelHeader = {
    format: 'simdnet-model', inputs: net.inputs, ...(net.inputShape ? { inputShape: [...net.inputShape] } : {}),
    layers: net.layerConfigs(), loss: net.loss, seed: net.seed,
    params: net.params.map((p) => ({ name: p.name, size: p.size })),
    ...(state.length > 0 ? { state: state.map((p) => ({ name: p.name, size: p.size })) } : {}),
    ...(net.classNames ? { classNames: [...net.classNames] } : {}),
    metadata: { ...metadata },
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const jsonPadded = (json.length + 3) & ~3;
  const floats = params.reduce((n, p) => n + p.size, 0);
  const bytes = new Uint8Array(12 + jsonPadded + floats * 4 + 4);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, MODEL_FORMAT_VERSION, true);
  view.setUint32(8, json.length, true);
  bytes.set(json, 12);
  bytes.fill(0x20, 12 + json.length, 12 + jsonPadded);
  let offset = 12 + jsonPadded;
  for (const p of params) {
    const values = net.engine.heap.floats(p.value, p.size);
    for (let i = 0; i < p.size; i++, offset += 4) view.setFloat32(offset, values[i]!, true);
  }
  view.setUint32(offset, crc32(bytes.subarray(0, offset)), true);
  return bytes;
}

/** Options for {@link decodeModel}. */
export interface DecodeOptions {
  /** Backend of the new network. Default `'wasm'`. */
  backend?: BackendName;
  build?: WasmBuild;
  /** Name used in error messages (a path). Default `'model'`. */
  source?: string;
  /** Heap limit of the new network; see {@link NetworkOptions.maxMemoryBytes}. */
  maxMemoryBytes?: number;
}

/**
 * The array sizes (parameters, then state) the header's architecture implies, computed without
 * building anything; `undefined` when the description is invalid, which building the network
 * then reports in its own words.
 */
function architectureSizes(header: ModelHeader): number[] | undefined {
  try {
    return plannedArraySizes({ inputs: header.inputs, ...(header.inputShape !== undefined ? { inputShape: header.inputShape } : {}), layers: header.layers as LayerSpec[] });
  } catch {
    return undefined;
  }
}

/** Decode model-file bytes into a network and its metadata, validating everything. */
export function decodeModel(bytes: Uint8Array, options: DecodeOptions = {}): { network: Network; header: ModelHeader } {
  const source = options.source ?? 'model';
  const fail = (message: string): never => {
    throw new ModelFormatError(source, message);
  };
  if (bytes.length < 16) fail(`file is ${bytes.length} bytes, too short to be a simdnet model`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) fail('not a simdnet model (bad magic at byte 0)');
  const version = view.getUint32(4, true);
  if (version !== MODEL_FORMAT_VERSION) fail(`format version ${version} at byte 4 is not supported (this build reads ${MODEL_FORMAT_VERSION})`);
  const storedCrc = view.getUint32(bytes.length - 4, true);
  if (crc32(bytes.subarray(0, bytes.length - 4)) !== storedCrc) {
    fail(`checksum mismatch at byte ${bytes.length - 4}: the file is truncated or corrupted`);
  }
  const jsonLength = view.getUint32(8, true);
  if (12 + jsonLength > bytes.length - 4) fail(`header length ${jsonLength} at byte 8 runs past the end of the file`);
  let header: ModelHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + jsonLength))) as ModelHeader;
  } catch (err) {
    return fail(`header at byte 12 is not valid JSON: ${(err as Error).message}`);
  }
  if (header?.format !== 'simdnet-model' || !Array.isArray(header.layers) || !Array.isArray(header.params)) {
    fail('header at byte 12 lacks format/layers/params');
  }
  if (header.state !== undefined && !Array.isArray(header.state)) fail('header at byte 12: state must be a list');
  const stored = [...header.params, ...(header.state ?? [])];
  // Sizes are checked against the file's length before anything is built or allocated, so a
  // small file that claims a huge network costs nothing.
  const claimed = stored.map((p, i) => {
    const size = (p as { size?: unknown } | null)?.size;
    const field = i < header.params.length ? `params[${i}]` : `state[${i - header.params.length}]`;
    if (!Number.isSafeInteger(size) || (size as number) < 0) fail(`header at byte 12: ${field}.size must be a non-negative integer, got ${String(size)}`);
    return size as number;
  });
  const weightsAt = 12 + Math.ceil(jsonLength / 4) * 4;
  const claimedBytes = claimed.reduce((n, size) => n + size * 4, 0);
  if (weightsAt + claimedBytes !== bytes.length - 4) {
    fail(`header at byte 12 lists ${claimedBytes} bytes of weights from byte ${weightsAt}, but the file has ${bytes.length - 4 - weightsAt}`);
  }
  const implied = architectureSizes(header);
  if (implied && (implied.length !== claimed.length || implied.some((size, i) => size !== claimed[i]))) {
    fail(`parameter list in the header (${claimed.join(', ')}) does not match the architecture (${implied.join(', ')})`);
  }
  let network: Network;
  try {
    network = new Network({
      inputs: header.inputs, ...(header.inputShape !== undefined ? { inputShape: header.inputShape } : {}),
      layers: header.layers as LayerSpec[], loss: header.loss, seed: header.seed,
      ...(header.classNames !== undefined ? { classNames: header.classNames } : {}),
      backend: options.backend ?? 'wasm', ...(options.build ? { build: options.build } : {}),
      ...(options.maxMemoryBytes !== undefined ? { maxMemoryBytes: options.maxMemoryBytes } : {}),
    });
  } catch (err) {
    return fail(`header describes an invalid network: ${(err as Error).message}`);
  }
  const params = [...network.params, ...network.state];
  if (params.length !== stored.length || params.some((p, i) => p.size !== stored[i]?.size)) {
    fail(`parameter list in the header (${stored.map((p) => p.size).join(', ')}) does not match the architecture (${params.map((p) => p.size).join(', ')})`);
  }
  let offset = 12 + ((jsonLength + 3) & ~3);
  const floats = params.reduce((n, p) => n + p.size, 0);
  if (offset + floats * 4 !== bytes.length - 4) {
    fail(`expected ${floats * 4} bytes of weights at byte ${offset}, found ${bytes.length - 4 - offset}`);
  }
  for (const p of params) {
    const values = network.engine.heap.floats(p.value, p.size);
    for (let i = 0; i < p.size; i++, offset += 4) {
      const v = view.getFloat32(offset, true);
      if (!Number.isFinite(v)) fail(`${p.name}[${i}] at byte ${offset} is ${v}`);
      values[i] = v;
    }
  }
  return { network, header };
}
