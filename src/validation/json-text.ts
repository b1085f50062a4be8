import secureJson from 'secure-json-parse';
import { invalid, type HeraldError } from '../errors.ts';

/**
 * Herald's one JSON text reader, for every edge that takes JSON (HTTP bodies, broker messages).
 * It refuses, with a 400 naming the cause, what JSON.parse would let through but Herald cannot keep
 * faithfully: bytes that are not UTF-8 and \u escapes of lone surrogates, which UTF-8 cannot encode
 * (INVALID_UTF8; both would be stored as U+FFFD), nesting deeper than `maxDepth` (JSON_TOO_DEEP;
 * hashing, rendering and storing walk the value recursively) and NUL characters in any key or
 * string (NUL_CHARACTER; PostgreSQL text cannot hold them, so both dialects refuse them).
 */

// fatal: bytes that are not UTF-8 are an error, not U+FFFD stored in place of what the caller meant.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * NUL (U+0000) is refused everywhere a request carries text: PostgreSQL text cannot hold it
 * (a 500 there) while SQLite would store it, so both dialects refuse it at the edge, alike.
 */
export const nulCharacter = (field: string): HeraldError =>
  invalid('NUL_CHARACTER', `${field} contains a NUL character (U+0000), which Herald cannot store; remove it`, { field });

/** A `\udXXX` escape in JSON text: the cheap sign that a string may hold a lone surrogate. */
export const LONE_SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

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
  if (text.includes('__proto__') || text.includes('constructor')) refusePrototypeKeys(value);
  // Both can only arrive as \u escapes, so the text says cheaply whether the walk that names the field is needed.
  if (text.includes('\\u0000')) {
    const field = findText(value, 'body', (part) => part.includes('\0'));
    if (field !== undefined) throw nulCharacter(field);
  }
  if (LONE_SURROGATE_ESCAPE.test(text)) {
    const field = findText(value, 'body', (part) => !part.isWellFormed());
    if (field !== undefined) throw invalid('INVALID_UTF8', `${field} contains a lone surrogate (a \\ud800-\\udfff escape without its pair), which is no character; send well-formed text`, { field });
  }
  return value;
}

/**
 * `__proto__` and `constructor.prototype` keys (prototype poisoning) are refused as Fastify's own
 * parser does, so no later merge of request data into an object can change its prototype.
 */
function refusePrototypeKeys(value: unknown): void {
  try {
    if (value !== null && typeof value === 'object') secureJson.scan(value, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    throw invalid('JSON_FORBIDDEN_KEY', 'The body uses a "__proto__" or "constructor.prototype" key, which Herald refuses; rename the field');
  }
}

/** The first key or string of a parsed JSON value that `matches`, as a field path (`body.to[0].email`). */
function findText(value: unknown, path: string, matches: (text: string) => boolean): string | undefined {
  if (typeof value === 'string') return matches(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findText(value[i], `${path}[${i}]`, matches);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) {
      if (matches(key)) return `${path} key ${JSON.stringify(key)}`;
      const found = findText(member, `${path}.${key}`, matches);
      if (found !== undefined) return found;
    }
  }
  return undefined;
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
