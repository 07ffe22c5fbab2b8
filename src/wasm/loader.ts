/**
 * Finds, compiles and caches the kernel modules. Each `WebAssembly.Module` is compiled once
 * per process and instantiated once per heap, importing that heap's memory.
 */
import { simdSupported } from './features.js';

/** The two builds of the same AssemblyScript source. */
export type WasmBuild = 'simd' | 'scalar';

const compiled = new Map<WasmBuild, WebAssembly.Module>();

/** Where a build's bytes live, relative to this module (works from `src/` and `dist/`). */
export function wasmUrl(build: WasmBuild): URL {
  return new URL(`../../build/simdnet.${build}.wasm`, import.meta.url);
}

/** The best build this runtime can run. */
export function preferredBuild(): WasmBuild {
  return simdSupported() ? 'simd' : 'scalar';
}

type NodeFs = { readFileSync(path: URL): Uint8Array<ArrayBuffer> };

function nodeFs(): NodeFs | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.('node:fs') as NodeFs | undefined;
}

/**
 * The compiled module for `build`, compiling it synchronously on first use. Works in Node
 * (reads the file next to the package); in a browser call {@link preloadWasm} first.
 */
export function wasmModule(build: WasmBuild): WebAssembly.Module {
  const cached = compiled.get(build);
  if (cached) return cached;
  const fs = nodeFs();
  if (!fs) {
    throw new Error(`simdnet: the ${build} WASM build is not loaded yet; await simdnet.init() before computing`);
  }
  const url = wasmUrl(build);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = fs.readFileSync(url);
  } catch (err) {
    throw new Error(`simdnet: cannot read ${url.pathname} (run \`npm run build:wasm\`): ${(err as Error).message}`);
  }
  const mod = new WebAssembly.Module(bytes);
  compiled.set(build, mod);
  return mod;
}

/** Source for {@link preloadWasm}: bytes, a URL, or nothing for the file next to the package. */
export type WasmSource = BufferSource | URL | string | undefined;

/** Compile `build` asynchronously (streaming where possible) and cache it. Idempotent. */
export async function preloadWasm(build: WasmBuild = preferredBuild(), source?: WasmSource): Promise<WebAssembly.Module> {
  const cached = compiled.get(build);
  if (cached) return cached;
  let mod: WebAssembly.Module;
  if (source !== undefined && typeof source !== 'string' && !(source instanceof URL)) {
    mod = await WebAssembly.compile(source);
  } else if (nodeFs() && source === undefined) {
    mod = wasmModule(build);
  } else {
    const url = source ?? wasmUrl(build);
    const response = fetch(url);
    mod = typeof WebAssembly.compileStreaming === 'function'
      ? await WebAssembly.compileStreaming(response)
      : await WebAssembly.compile(await (await response).arrayBuffer());
  }
  compiled.set(build, mod);
  return mod;
}

/** Instantiate `build` over `memory`; returns its exports (the kernel ABI). */
export function instantiate(build: WasmBuild, memory: WebAssembly.Memory): WebAssembly.Exports {
  const instance = new WebAssembly.Instance(wasmModule(build), {
    env: {
      memory,
      abort(): never {
        throw new Error(`simdnet: WASM kernel aborted (${build} build)`);
      },
    },
  });
  return instance.exports;
}
