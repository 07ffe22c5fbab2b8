/**
 * The machine line every benchmark prints, so a number is never quoted without its context.
 */
import os from 'node:os';
import { defaultBuild } from '../src/wasm/loader.js';

/** CPU model, core count, Node and V8 versions, and the WASM build networks get by default, in one line. */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `machine: ${cpu}, ${os.availableParallelism()} cores, Node ${process.versions.node}, V8 ${process.versions.v8}, ${os.platform()}-${os.arch()}, default WASM build ${defaultBuild()}`;
}
