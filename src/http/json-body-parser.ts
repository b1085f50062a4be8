import type { FastifyInstance } from 'fastify';
import { invalid } from '../errors.ts';
import { findNul, nulCharacter } from './nul-character.ts';

// fatal: bytes that are not UTF-8 are an error, not U+FFFD stored in place of what the caller meant.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Herald's one JSON body parser. It keeps the exact bytes (signature verification hashes them) and
 * refuses, with a 400 naming the cause, what JSON.parse would let through but Herald cannot keep
 * faithfully: bytes that are not UTF-8 (INVALID_UTF8), nesting deeper than `maxDepth`
 * (JSON_TOO_DEEP; hashing, rendering and storing walk the value recursively) and NUL characters in
 * any key or string (NUL_CHARACTER; PostgreSQL text cannot hold them, so both dialects refuse them).
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

export function parseJsonBody(raw: Uint8Array, maxDepth: number): unknown {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw invalid('INVALID_UTF8', 'The body is not valid UTF-8; send JSON encoded as UTF-8');
  }
  // JSON.parse does not recurse, so it is safe on any depth; it also rejects raw control characters in strings.
  const value: unknown = JSON.parse(text);
  if (nestingDepthExceeds(text, maxDepth)) {
    throw invalid('JSON_TOO_DEEP', `The body nests objects and arrays more than ${maxDepth} levels deep; flatten it`, { maxDepth });
  }
  // A NUL can only arrive escaped (\u0000); the walk names where, and rules out an escaped backslash followed by "u0000".
  if (text.includes('\\u0000')) {
    const field = findNul(value, 'body');
    if (field !== undefined) throw nulCharacter(field);
  }
  return value;
}

/** Whether valid JSON text opens more than `maxDepth` objects and arrays inside each other. */
function nestingDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return false;
}
