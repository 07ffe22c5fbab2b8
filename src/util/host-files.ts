/**
 * File access for options that take a path (`fit`'s checkpoint and resume). The browser-safe
 * core cannot import Node's file system, so the Node entry installs it here when loaded; in a
 * browser a path is refused with the alternative to use.
 */

/** The file operations the core needs from its host. */
export interface HostFiles {
  /** Write `bytes` to `path` atomically (temporary file + rename). */
  writeFileAtomic(path: string, bytes: Uint8Array): Promise<void>;
  /** Read a whole file. */
  readFile(path: string): Promise<Uint8Array>;
}

let installed: HostFiles | undefined;

/** Called by the Node entry point. */
export function installHostFiles(files: HostFiles): void {
  installed = files;
}

/** The host's file access; `what` names the option in the error a browser gets. */
export function hostFiles(what: string): HostFiles {
  if (!installed) throw new TypeError(`${what}: a file path needs Node's file system (import 'simdnet' in Node); in a browser pass bytes or a save function instead`);
  return installed;
}
