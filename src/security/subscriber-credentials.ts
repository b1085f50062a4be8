import { createHmac, timingSafeEqual } from 'node:crypto';
import { unauthenticated } from '../errors.ts';

/**
 * How a subscriber proves who they are to the inbox API, both signed with the app's inbox secret
 * by the app's own backend: a subscriber hash (hex HMAC-SHA256 of the subscriber id, Novu's
 * convention, never expires) or a token `hit1.<base64url payload>.<base64url HMAC-SHA256>` whose
 * payload `{ app, sub, exp }` names the app and expires.
 */
export const INBOX_TOKEN_PREFIX = 'hit1.';

interface TokenPayload {
  app: string;
  sub: string;
  /** Epoch seconds. */
  exp: number;
}

function hmac(secret: string, message: string): Buffer {
  return createHmac('sha256', secret).update(message).digest();
}

function sameBytes(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function subscriberHash(secret: string, subscriberId: string): string {
  return hmac(secret, subscriberId).toString('hex');
}

/** Throws INBOX_HASH_INVALID unless `hash` is the subscriber's hash under `secret` (constant-time). */
export function verifySubscriberHash(secret: string, subscriberId: string, hash: string): void {
  const given = /^[0-9a-fA-F]{64}$/.test(hash) ? Buffer.from(hash, 'hex') : Buffer.alloc(0);
  if (!sameBytes(given, hmac(secret, subscriberId))) {
    throw unauthenticated('INBOX_HASH_INVALID', 'The subscriber hash does not match: compute it as hex HMAC-SHA256 of the subscriber id with the app\'s inbox secret');
  }
}

export function mintInboxToken(secret: string, claims: { appId: string; subscriberId: string; expiresAtMs: number }): string {
  const payload: TokenPayload = { app: claims.appId, sub: claims.subscriberId, exp: Math.floor(claims.expiresAtMs / 1000) };
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${INBOX_TOKEN_PREFIX}${encoded}.${hmac(secret, INBOX_TOKEN_PREFIX + encoded).toString('base64url')}`;
}

const tokenInvalid = () => unauthenticated('INBOX_TOKEN_INVALID', 'The inbox token is malformed, altered or signed with another secret: ask the app for a new one');

function readToken(token: string): { payload: TokenPayload; signed: string; signature: string } {
  const parts = token.split('.');
  if (parts.length !== 3 || `${parts[0]}.` !== INBOX_TOKEN_PREFIX) throw tokenInvalid();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    throw tokenInvalid();
  }
  const { app, sub, exp } = (payload ?? {}) as Partial<TokenPayload>;
  if (typeof app !== 'string' || typeof sub !== 'string' || sub === '' || typeof exp !== 'number' || !Number.isFinite(exp)) throw tokenInvalid();
  return { payload: { app, sub, exp }, signed: `${INBOX_TOKEN_PREFIX}${parts[1]}`, signature: parts[2]! };
}

/**
 * The subscriber a token proves, after checking its signature under `secret`, that it names
 * `appId`, and that it has not expired at `nowMs`. Throws INBOX_TOKEN_INVALID or INBOX_TOKEN_EXPIRED.
 */
export function verifyInboxToken(secret: string, token: string, appId: string, nowMs: number): { subscriberId: string; expiresAtMs: number } {
  const { payload, signed, signature } = readToken(token);
  if (!sameBytes(Buffer.from(signature, 'base64url'), hmac(secret, signed)) || payload.app !== appId) throw tokenInvalid();
  const expiresAtMs = payload.exp * 1000;
  if (nowMs >= expiresAtMs) throw unauthenticated('INBOX_TOKEN_EXPIRED', `The inbox token expired at ${new Date(expiresAtMs).toISOString()}: ask the app for a new one`);
  return { subscriberId: payload.sub, expiresAtMs };
}
