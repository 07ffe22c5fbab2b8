/**
 * A minimal static file server on 127.0.0.1 for the built demo: correct MIME types
 * (`application/wasm` matters for `compileStreaming`), no directory listings, no caching.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** A running server and how to stop it. */
export interface StaticServer {
  /** Base URL ending in `/`. */
  url: string;
  close(): Promise<void>;
}

/** Headers that make a page cross-origin isolated (SharedArrayBuffer, and so threads). */
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** Serve the files under `root` on an ephemeral port; `isolated` adds the COOP/COEP headers. */
export async function serveStatic(root: string, options: { isolated?: boolean } = {}): Promise<StaticServer> {
  const extra = options.isolated ? ISOLATION : {};
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root + sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store', ...extra }).end(body),
      () => res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('static server: no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Chromium keeps connections alive; without this, close waits minutes for them.
        server.closeAllConnections();
      }),
  };
}
