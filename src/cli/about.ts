/**
 * Facts about this installation, shared by `info`, `bench` and the model metadata.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createEngine, simdSupported, type KernelFlavor, type WasmBuild } from '../node.js';

/** The package version, read from package.json next to `src/` or `dist/`. */
export function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/** CPU, cores, Node and platform in one line, printed beside every benchmark number. */
export function machineDescription(): string {
  const cpu = os.cpus()[0]?.model.trim() || 'unknown CPU';
  return `${cpu}, ${os.availableParallelism()} cores, Node ${process.versions.node}, ${os.platform()}-${os.arch()}`;
}

/**
 * The kernels a WASM engine actually gets (`wasm-simd` or `wasm-scalar`), or the reason none
 * could be loaded (for example, the .wasm files have not been built).
 */
export function activeKernels(build?: WasmBuild): { flavor: KernelFlavor } | { error: string } {
  try {
    return { flavor: createEngine({ backend: 'wasm', ...(build ? { build } : {}) }).kernels.flavor };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Whether this runtime validates WebAssembly SIMD. */
export function runtimeSimd(): boolean {
  return simdSupported();
}
