import type { FastifyRequest } from 'fastify';
import { invalid, type HeraldError } from '../errors.ts';

/**
 * NUL (U+0000) is refused everywhere a request carries text: PostgreSQL text cannot hold it
 * (a 500 there) while SQLite would store it, so both dialects refuse it at the edge, alike.
 */
export const nulCharacter = (field: string): HeraldError =>
  invalid('NUL_CHARACTER', `${field} contains a NUL character (U+0000), which Herald cannot store; remove it`, { field });

/** onRequest: a NUL in the path or the query string, raw or percent-encoded, is a 400 before any route sees it. */
export async function refuseNulInUrl(request: FastifyRequest): Promise<void> {
  const { url } = request;
  const query = url.indexOf('?');
  const hasNul = (part: string) => part.includes('\0') || /%00/.test(part);
  if (hasNul(query === -1 ? url : url.slice(0, query))) throw nulCharacter('path');
  if (query !== -1 && hasNul(url.slice(query + 1))) throw nulCharacter('querystring');
}
