/**
 * Finds, compiles and caches the kernel modules. Each `WebAssembly.Module` is compiled once
 * per process and instantiated once per heap, importing that heap's memory.
 *
 * Every build exists twice: importing an ordinary memory (`simdnet.<build>.wasm`) and
 * importing a shared one (`simdnet.<build>.shared.wasm`, `--enable threads --sharedMemory`)
 * for the worker pool; a module accepts only the kind of memory it declares.
 *
 * Node reads the `.wasm` files beside the package. Browsers get the bytes from an ES module
 * per build (`simdnet.<build>.inline.js`, base64, made by `npm run build`) imported
 * dynamically: every bundler splits such a module into a chunk of its own and serves it like
 * the rest of the app, where a `.wasm` asset found through `new URL(…, import.meta.url)` is
 * lost by some (esbuild, Vite's dev server) unless configured.
 */
import { relaxedSimdSupported, simdSupported } from './features.js';

/**
 * Builds of the same AssemblyScript source: fixed-width SIMD, scalar, and SIMD with
 * `f32x4.relaxed_madd` in the GEMM micro-kernel (only where the runtime enables relaxed SIMD).
 */
export type WasmBuild = 'simd' | 'scalar' | 'relaxed';

const compiled = new Map<string, WebAssembly.Module>();
const key = (build: WasmBuild, shared: boolean): string => (shared ? `${build}.shared` : build);

/** `path` relative to this module. Not written inline, so bundlers do not copy every build as an asset. */
function besideThisModule(path: string): URL {
  return new URL(path, import.meta.url);
}

/** Where a build's bytes live, relative to this module (works from `src/` and `dist/`). */
export function wasmUrl(build: WasmBuild, shared = false): URL {
  return besideThisModule(`../../build/simdnet.${key(build, shared)}.wasm`);
}

/** Each build's bytes in base64, as a module of its own (one chunk per build in a bundle). */
const INLINE: Record<string, () => Promise<{ default: string }>> = {
  simd: () => import('../../build/simdnet.simd.inline.js'),
  scalar: () => import('../../build/simdnet.scalar.inline.js'),
  relaxed: () => import('../../build/simdnet.relaxed.inline.js'),
  'simd.shared': () => import('../../build/simdnet.simd.shared.inline.js'),
  'scalar.shared': () => import('../../build/simdnet.scalar.shared.inline.js'),
  'relaxed.shared': () => import('../../build/simdnet.relaxed.shared.inline.js'),
};

/** The bytes of `build` from its inline module (no request of its own in a bundle). */
export async function inlineWasm(build: WasmBuild, shared = false): Promise<Uint8Array<ArrayBuffer>> {
  const { default: base64 } = await INLINE[key(build, shared)]!();
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The builds this runtime validates, fastest first (scalar runs everywhere). */
function supportedBuilds(): WasmBuild[] {
  if (relaxedSimdSupported()) return ['relaxed', 'simd', 'scalar'];
  return simdSupported() ? ['simd', 'scalar'] : ['scalar'];
}

/**
 * The fastest build this runtime validates: relaxed SIMD (Chromium, Node ≥ 22, Firefox),
 * else SIMD, else scalar; what `init()` loads and browsers and workers compute with when no
 * build is asked for. Node 20 without `--experimental-wasm-relaxed-simd` gets `simd`.
 * Relaxed SIMD may round a multiply-add once or twice depending on the CPU, so results can
 * differ in the last bits between machines; ask for `build: 'simd'` (or call
 * `overrideRelaxedSimdSupport(false)` first) where bit-identical results across machines matter.
 */
export function preferredBuild(): WasmBuild {
  return supportedBuilds()[0]!;
}

/**
 * {@link preferredBuild} among the builds whose inline module holds bytes: a single-file
 * bundle may carry only some (simdnet's leaves relaxed SIMD out), and an empty one cannot
 * compile.
 */
export async function preferredInlineBuild(): Promise<WasmBuild> {
  for (const build of supportedBuilds()) if ((await INLINE[build]!()).default.length > 0) return build;
  return 'scalar';
}

/**
 * The build an engine uses when none is asked for: the fastest supported build whose module
 * can be had synchronously (Node, or preloaded with {@link preloadWasm} — so a page that
 * loaded only `simd` gets `simd`), else {@link preferredBuild}, whose loading then fails
 * asking for `init()`.
 */
export function defaultBuild(shared = false): WasmBuild {
  return supportedBuilds().find((b) => wasmAvailable(b, shared)) ?? preferredBuild();
}

/** True when `memory` is a shared WebAssembly memory (its buffer a SharedArrayBuffer). */
export function isSharedMemory(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
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
export function wasmModule(build: WasmBuild, shared = false): WebAssembly.Module {
  const cached = compiled.get(key(build, shared));
  if (cached) return cached;
  const fs = nodeFs();
  if (!fs) {
    throw new Error(`simdnet: the ${build} WASM build is not loaded yet; await simdnet.init() before computing`);
  }
  const url = wasmUrl(build, shared);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = fs.readFileSync(url);
  } catch (err) {
    throw new Error(`simdnet: cannot read ${url.pathname} (run \`npm run build:wasm\`): ${(err as Error).message}`);
  }
  const mod = new WebAssembly.Module(bytes);
  compiled.set(key(build, shared), mod);
  return mod;
}

/** Source for {@link preloadWasm}: bytes, a URL, or nothing for the package's own copy. */
export type WasmSource = BufferSource | URL | string | undefined;

/** True when `build` (shared or not) is compiled, or can be compiled synchronously (Node). */
export function wasmAvailable(build: WasmBuild, shared = false): boolean {
  return compiled.has(key(build, shared)) || nodeFs() !== undefined;
}

/**
 * Compile `build` asynchronously and cache it. Idempotent. Without `source`: the file beside
 * the package in Node, the build's inline module elsewhere; a URL `source` is fetched and
 * compiled while it streams in. `shared` selects the shared-memory variant (for threads).
 */
export async function preloadWasm(build: WasmBuild = preferredBuild(), source?: WasmSource, shared = false): Promise<WebAssembly.Module> {
  const cached = compiled.get(key(build, shared));
  if (cached) return cached;
  let mod: WebAssembly.Module;
  if (source !== undefined && typeof source !== 'string' && !(source instanceof URL)) {
    mod = await WebAssembly.compile(source);
  } else if (nodeFs() && source === undefined) {
    mod = wasmModule(build, shared);
  } else if (source === undefined) {
    mod = await WebAssembly.compile(await inlineWasm(build, shared));
  } else {
    const response = fetch(source);
    mod = typeof WebAssembly.compileStreaming === 'function'
      ? await WebAssembly.compileStreaming(response)
      : await WebAssembly.compile(await (await response).arrayBuffer());
  }
  compiled.set(key(build, shared), mod);
  return mod;
}

/**
 * Instantiate `build` over `memory` (the shared-memory variant when `memory` is shared);
 * returns its exports (the kernel ABI).
 */
export function instantiate(build: WasmBuild, memory: WebAssembly.Memory): WebAssembly.Exports {
  const instance = new WebAssembly.Instance(wasmModule(build, isSharedMemory(memory)), {
    env: {
      memory,
      abort(): never {
        throw new Error(`simdnet: WASM kernel aborted (${build} build)`);
      },
    },
  });
  return instance.exports;
}
