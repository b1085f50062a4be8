import type { FastifyRequest } from 'fastify';
import { nulCharacter } from '../validation/json-text.ts';

/** onRequest: a NUL in the path or the query string, raw or percent-encoded, is a 400 before any route sees it. */
export async function refuseNulInUrl(request: FastifyRequest): Promise<void> {
  const { url } = request;
  const query = url.indexOf('?');
  const hasNul = (part: string) => part.includes('\0') || /%00/.test(part);
  if (hasNul(query === -1 ? url : url.slice(0, query))) throw nulCharacter('path');
  if (query !== -1 && hasNul(url.slice(query + 1))) throw nulCharacter('querystring');
}
