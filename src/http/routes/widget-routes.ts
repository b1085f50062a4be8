import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { acceptsGzip, matchesEtag } from '../accept-encoding.ts';
import type { RouteModule } from '../route-module.ts';

/** The widget's script, read and compressed once: it changes only with a deployment. */
function loadWidget() {
  const raw = readFileSync(new URL('../../widget/herald-inbox.js', import.meta.url));
  return { raw, gzipped: gzipSync(raw, { level: 9 }), etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"` };
}

/**
 * `GET /widget/herald-inbox.js`: the `<herald-inbox>` web component (src/widget), public and
 * unauthenticated — pages on any origin load it with `<script type="module">`, so it is served
 * with `Access-Control-Allow-Origin: *`. Cached for 5 minutes and revalidated by ETag.
 */
export const registerWidgetRoutes: RouteModule = (server) => {
  const widget = loadWidget();
  server.get('/widget/herald-inbox.js', { schema: { hide: true } }, async (request, reply) => {
    reply.header('cache-control', 'public, max-age=300').header('etag', widget.etag).header('vary', 'Accept-Encoding').header('access-control-allow-origin', '*');
    reply.type('text/javascript; charset=utf-8');
    if (matchesEtag(request.headers['if-none-match'], widget.etag)) return reply.status(304).send();
    const acceptEncoding: string | undefined = request.headers['accept-encoding'];
    if (acceptsGzip(acceptEncoding)) return reply.header('content-encoding', 'gzip').send(widget.gzipped);
    return reply.send(widget.raw);
  });
};
