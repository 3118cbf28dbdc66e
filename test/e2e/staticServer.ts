/**
 * A minimal static HTTP server for browser tests: serves a fixed map of URL paths to files or
 * in-memory text on 127.0.0.1 at a free port chosen by the OS.
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname } from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".map": "application/json",
};

/** One served resource: a file on disk or literal text. */
export type Resource = { file: string } | { text: string };

export interface StaticServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:43121 */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Headers that make a page cross-origin isolated (`crossOriginIsolated` true), which browsers
 * require before they offer SharedArrayBuffer, and so the library's worker threads.
 */
export const CROSS_ORIGIN_ISOLATION = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };

/**
 * Serves `routes` (URL path → resource); anything else is 404. Pages are cross-origin isolated
 * unless `isolated` is false.
 */
export async function serveStatic(routes: Record<string, Resource>, { isolated = true } = {}): Promise<StaticServer> {
  const extra = isolated ? CROSS_ORIGIN_ISOLATION : {};
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const resource = routes[path];
    if (!resource) {
      res.writeHead(404).end(`not found: ${path}`);
      return;
    }
    const body = "file" in resource ? readFile(resource.file) : Promise.resolve(Buffer.from(resource.text));
    body.then(
      (bytes) => res.writeHead(200, { "content-type": CONTENT_TYPES[extname(path)] ?? "application/octet-stream", ...extra }).end(bytes),
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
