import type { FastifyInstance } from 'fastify';
import { parseJsonBody } from '../validation/json-text.ts';

/**
 * Herald's one JSON body parser. It keeps the exact bytes (signature verification hashes them) and
 * parses them with parseJsonBody (src/validation/json-text.ts), which says what it refuses and why.
 */
export function installJsonBodyParser(server: FastifyInstance<any, any, any, any, any>, { maxDepth }: { maxDepth: number }): void {
  server.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    if (raw.length === 0) return done(null, undefined);
    try {
      done(null, parseJsonBody(raw, maxDepth));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

