import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks on the receiving side of what Herald sends: result callbacks (signed with the app's
 * callback secret) and webhook-channel deliveries (signed with the account's secret) both carry
 * `X-Herald-Timestamp` (Unix seconds) and `X-Herald-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`,
 * possibly several comma-separated `v1=` values while a secret is rotated.
 */
export const TIMESTAMP_HEADER = 'x-herald-timestamp';
export const SIGNATURE_HEADER = 'x-herald-signature';

export type SignatureFailure = 'SIGNATURE_MISSING' | 'SIGNATURE_EXPIRED' | 'SIGNATURE_INVALID';

export class HeraldSignatureError extends Error {
  override readonly name = 'HeraldSignatureError';
  readonly code: SignatureFailure;
  constructor(code: SignatureFailure, message: string) {
    super(message);
    this.code = code;
  }
}

export interface VerifySignatureInput {
  secret: string;
  /** The body exactly as received, before JSON parsing. */
  rawBody: string | Uint8Array;
  /** The request's headers (Node's `req.headers`, a Fetch `Headers`, or a plain object in any case). */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** How far the timestamp may be from now, either way. Default 300. */
  toleranceSeconds?: number;
  /** Default Date.now(). */
  nowMs?: number;
}

function header(headers: VerifySignatureInput['headers'], name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(',') : value;
  }
  return undefined;
}

/** Throws HeraldSignatureError (code SIGNATURE_MISSING, SIGNATURE_EXPIRED or SIGNATURE_INVALID) unless Herald signed this request. */
export function verifyHeraldSignature(input: VerifySignatureInput): void {
  const timestamp = header(input.headers, TIMESTAMP_HEADER);
  const signature = header(input.headers, SIGNATURE_HEADER);
  if (!timestamp || !signature) throw new HeraldSignatureError('SIGNATURE_MISSING', 'Both X-Herald-Timestamp and X-Herald-Signature headers are required');
  const seconds = /^\d+$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  const tolerance = input.toleranceSeconds ?? 300;
  if (!(Math.abs((input.nowMs ?? Date.now()) / 1000 - seconds) <= tolerance)) {
    throw new HeraldSignatureError('SIGNATURE_EXPIRED', `X-Herald-Timestamp "${timestamp}" is not within ${tolerance} s of now`);
  }
  const expected = createHmac('sha256', input.secret).update(`${seconds}.`).update(input.rawBody).digest();
  const matches = signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => Buffer.from(part.slice(3), 'hex'))
    .some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
  if (!matches) throw new HeraldSignatureError('SIGNATURE_INVALID', 'X-Herald-Signature does not match the body and timestamp');
}

/** The inbox subscriber hash an app's backend gives its page: hex HMAC-SHA256 of the subscriber id with the app's inbox secret. */
export function subscriberHash(inboxSecret: string, subscriberId: string): string {
  return createHmac('sha256', inboxSecret).update(subscriberId).digest('hex');
}
