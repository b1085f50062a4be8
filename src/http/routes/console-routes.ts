import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { acceptsGzip, matchesEtag } from '../accept-encoding.ts';
import type { RouteModule } from '../route-module.ts';

/**
 * The web console (console/, built by `npm install` into HERALD_CONSOLE_DIR) on Herald's own port:
 * `/assets/*` are Vite's content-hashed files, cached for a year; every other console path gets
 * index.html (history-mode routing), never cached, so a deployment takes effect on the next load.
 */

/**
 * The first path segments of the console's pages (console/src/router.ts; a test keeps the two
 * lists equal). Only these get index.html: every other path stays the API's 404, and no catch-all
 * route competes with the API's routes (or turns the router's 414 for an over-long id into a 404).
 */
export const CONSOLE_SECTIONS = ['setup', 'login', 'apps', 'channel-accounts', 'templates', 'messages', 'message-types', 'receiver-groups', 'subscribers', 'schedules', 'announcements', 'users', 'dashboard', 'alarms', 'audit-log'] as const;

/** A console page's path as its router writes it: plain segments, no encoding tricks (`%2F`, `;`, `//`, a trailing `/`). */
const CONSOLE_PATH = /^(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,255}){1,6}$/;
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json']);

/**
 * Strict enough for the console (scripts and styles only from Herald; inline styles, which Element
 * Plus sets on elements; template previews in sandboxed srcdoc frames), and no framing elsewhere.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-src 'self' about:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

interface ConsoleFile {
  body: Buffer;
  gzipped: Buffer | undefined;
  type: string;
  etag: string;
}

function toConsoleFile(body: Buffer, extension: string): ConsoleFile {
  const compress = COMPRESSIBLE.has(extension) && body.length > 1024;
  return {
    body,
    gzipped: compress ? gzipSync(body, { level: 9 }) : undefined,
    type: CONTENT_TYPES[extension] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  };
}

/** The page shown until the console is built: a person opening Herald learns what to run. */
function notBuiltPage(directory: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Herald console not built</title></head><body style="font-family:sans-serif;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>The Herald web console is not built</h1>
<p>Herald looked for it in <code>${directory.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)}</code>. Run <code>npm install</code> (or <code>npm run console:build</code>) in Herald's directory, then reload this page.</p>
<p>The API works without it: <a href="/docs">API reference</a>, <a href="/healthz">/healthz</a>.</p>
</body></html>`;
}

export const registerConsoleRoutes: RouteModule = (server, { context }) => {
  const directory = context.config.http.consoleDir;
  // Read on first request, not at start: most Herald processes (workers, tests) never serve the console.
  const cache = new Map<string, ConsoleFile>();
  const load = async (relative: string): Promise<ConsoleFile | undefined> => {
    const cached = cache.get(relative);
    if (cached) return cached;
    let body: Buffer;
    try {
      body = await readFile(path.join(directory, relative));
    } catch {
      return undefined;
    }
    const file = toConsoleFile(body, path.extname(relative).toLowerCase());
    cache.set(relative, file);
    return file;
  };

  const send = (request: FastifyRequest, reply: FastifyReply, file: ConsoleFile) => {
    reply.header('etag', file.etag).header('vary', 'Accept-Encoding').header('x-content-type-options', 'nosniff').type(file.type);
    if (matchesEtag(request.headers['if-none-match'], file.etag)) return reply.status(304).send();
    if (file.gzipped && acceptsGzip(request.headers['accept-encoding'])) return reply.header('content-encoding', 'gzip').send(file.gzipped);
    return reply.send(file.body);
  };

  const sendIndex = async (request: FastifyRequest, reply: FastifyReply) => {
    const index = await load('index.html');
    reply.header('cache-control', 'no-cache').header('content-security-policy', CONTENT_SECURITY_POLICY).header('referrer-policy', 'same-origin');
    if (!index) return reply.status(503).header('retry-after', '60').type('text/html; charset=utf-8').send(notBuiltPage(directory));
    return send(request, reply, index);
  };

  server.get('/', { schema: { hide: true } }, sendIndex);

  server.get('/assets/:name', { schema: { hide: true } }, async (request, reply) => {
    const { name } = request.params as { name: string };
    const file = ASSET_NAME.test(name) ? await load(path.join('assets', name)) : undefined;
    if (!file) return reply.callNotFound();
    // Vite names assets by their content hash: a changed file gets a new name.
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    return send(request, reply, file);
  });

  const sendPage = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!CONSOLE_PATH.test(request.url.split('?')[0]!)) return reply.callNotFound();
    return sendIndex(request, reply);
  };
  for (const section of CONSOLE_SECTIONS) {
    server.get(`/${section}`, { schema: { hide: true } }, sendPage);
    server.get(`/${section}/*`, { schema: { hide: true } }, sendPage);
  }
};
