import { randomBytes } from 'node:crypto';

/** Crockford's base32, lower case: readable, URL-safe, and sorts like the numbers it encodes. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const RANDOM_DIGITS = 16; // 80 bits
const POOL_BYTES = 4096;

let pool = randomBytes(POOL_BYTES);
let poolOffset = 0;
let lastMs = -1;
const lastRandom = new Uint8Array(RANDOM_DIGITS);

/** One base32 digit of randomness; drawn from a pooled buffer because a crypto call per id dominated accept profiles. */
function randomDigit(): number {
  if (poolOffset === POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  return pool[poolOffset++]! & 31;
}

/**
 * Prefixed, time-ordered identifiers in the ULID layout (`msg_01jh...`: 48-bit milliseconds,
 * 80 random bits): readable in logs, unique across processes, and strictly increasing within
 * a process — several ids in one millisecond count up — so ordering events by id is their order.
 */
export type IdPrefix = 'app' | 'usr' | 'sub' | 'cha' | 'msg' | 'dlv' | 'evt' | 'cbk' | 'rck' | 'tpl' | 'aud' | 'wps' | 'mty' | 'grp' | 'sch' | 'dgb' | 'dgi' | 'esc' | 'inb' | 'ann' | 'alr' | 'alm';

export function newId(prefix: IdPrefix, nowMs = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    for (let i = 0; i < RANDOM_DIGITS; i++) lastRandom[i] = randomDigit();
  } else {
    let i = RANDOM_DIGITS - 1;
    while (lastRandom[i] === 31) lastRandom[i--] = 0;
    lastRandom[i]!++;
  }
  let time = '';
  for (let ms = lastMs, i = 0; i < 10; i++, ms = Math.floor(ms / 32)) time = ALPHABET[ms % 32] + time;
  let random = '';
  for (const digit of lastRandom) random += ALPHABET[digit];
  return `${prefix}_${time}${random}`;
}

/** Whether `value` has the shape of an id that newId(prefix) makes. */
export function isId(prefix: IdPrefix, value: string): boolean {
  return value.length === prefix.length + 27 && value.startsWith(`${prefix}_`) && ID_BODY.test(value.slice(prefix.length + 1));
}
const ID_BODY = /^[0-9a-hjkmnp-tv-z]{26}$/;

/** When an id of newId's layout was made (epoch ms; the process clock that made it), or undefined for anything else. */
export function timeOfId(value: string): number | undefined {
  const body = value.slice(value.indexOf('_') + 1);
  if (!ID_BODY.test(body)) return undefined;
  let ms = 0;
  for (const digit of body.slice(0, 10)) ms = ms * 32 + ALPHABET.indexOf(digit);
  return ms;
}

/** Access key ids look like AWS ones (`HKxxxxxxxxxxxxxxxxxx`, 20 upper-case characters) so SigV4 tools accept them. */
export function newAccessKeyId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = randomBytes(18);
  let id = 'HK';
  for (const byte of bytes) id += alphabet[byte & 31];
  return id;
}

/** 40 characters of base64url: 240 bits, like an AWS secret access key. */
export function newSecret(): string {
  return randomBytes(30).toString('base64url');
}
