/**
 * Base64 of each WASM build, for the single-file build. Empty in the normal build (the
 * `.wasm` files are fetched next to the package); the single-file build replaces this
 * module with one holding both builds.
 */
import type { WasmBuild } from '../wasm/loader.js';

/** Base64-encoded `.wasm` bytes per build, where inlined. */
export const INLINE_WASM: Partial<Record<WasmBuild, string>> = {};
