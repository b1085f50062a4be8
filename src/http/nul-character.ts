import type { FastifyRequest } from 'fastify';
import { invalid, type HeraldError } from '../errors.ts';

/**
 * NUL (U+0000) is refused everywhere a request carries text: PostgreSQL text cannot hold it
 * (a 500 there) while SQLite would store it, so both dialects refuse it at the edge, alike.
 */
export const nulCharacter = (field: string): HeraldError =>
  invalid('NUL_CHARACTER', `${field} contains a NUL character (U+0000), which Herald cannot store; remove it`, { field });

/** The first key or string in a parsed JSON value that holds a NUL, as a field path (`body.to[0].email`). */
export function findNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) {
      if (key.includes('\0')) return `${path} key ${JSON.stringify(key)}`;
      const found = findNul(member, `${path}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** onRequest: a NUL in the path or the query string, raw or percent-encoded, is a 400 before any route sees it. */
export async function refuseNulInUrl(request: FastifyRequest): Promise<void> {
  const { url } = request;
  const query = url.indexOf('?');
  const hasNul = (part: string) => part.includes('\0') || /%00/.test(part);
  if (hasNul(query === -1 ? url : url.slice(0, query))) throw nulCharacter('path');
  if (query !== -1 && hasNul(url.slice(query + 1))) throw nulCharacter('querystring');
}
