import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { unauthenticated } from '../errors.ts';

/**
 * The proof an app gives on a send request it publishes to a broker (broker credentials are often
 * shared by many systems, so the broker's own login says nothing about the app):
 *
 *   herald-access-key: <access key id>
 *   herald-signature:  v1=<hex HMAC-SHA256(secret access key, string to sign)>
 *
 * where the string to sign binds what Herald acts on besides the payload — the key, the explicit
 * idempotency key and the reply address — so none of them can be swapped on a captured request:
 *
 *   HERALD-INGEST-V1\n<access key id>\n<idempotency key or "">\n<reply-to or "">\n<hex SHA-256 of the payload bytes>
 *
 * There is no timestamp: a broker may hold a request for hours while Herald is down, and that
 * request must still be accepted. A replay of a captured request is harmless when it carries an
 * idempotency key (or the broker's message id), which is why the docs ask for one.
 */
export const INGEST_HEADERS = {
  accessKey: 'herald-access-key',
  signature: 'herald-signature',
  idempotencyKey: 'herald-idempotency-key',
  /** Where the outcome goes when the broker has no reply property of its own (NATS). */
  replyTo: 'herald-reply-to',
  correlationId: 'herald-correlation-id',
} as const;

const SCHEME = 'HERALD-INGEST-V1';
const VERSION_PREFIX = 'v1=';

export interface IngestSignedParts {
  accessKeyId: string;
  idempotencyKey: string | undefined;
  replyTo: string | undefined;
  payload: Uint8Array | string;
}

export function ingestStringToSign({ accessKeyId, idempotencyKey, replyTo, payload }: IngestSignedParts): string {
  const payloadHash = createHash('sha256').update(payload).digest('hex');
  return [SCHEME, accessKeyId, idempotencyKey ?? '', replyTo ?? '', payloadHash].join('\n');
}

/** The `herald-signature` header value for a request. */
export function signIngestRequest(secretAccessKey: string, parts: IngestSignedParts): string {
  return VERSION_PREFIX + createHmac('sha256', secretAccessKey).update(ingestStringToSign(parts)).digest('hex');
}

/** Throws SIGNATURE_MISSING or SIGNATURE_MISMATCH (unauthenticated). */
export function verifyIngestSignature(secretAccessKey: string, parts: IngestSignedParts, signature: string | undefined): void {
  if (signature === undefined || signature === '') {
    throw unauthenticated('SIGNATURE_MISSING', `Sign the request: put "${VERSION_PREFIX}<hex HMAC-SHA256>" in the ${INGEST_HEADERS.signature} header (see docs/brokers.md)`);
  }
  const expected = Buffer.from(signIngestRequest(secretAccessKey, parts));
  const given = Buffer.from(signature.trim());
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw unauthenticated('SIGNATURE_MISMATCH', `The ${INGEST_HEADERS.signature} header does not match the request; sign "${SCHEME}", the access key id, the idempotency key, the reply-to and the payload's SHA-256 as docs/brokers.md shows, with the key's secret`);
  }
}
